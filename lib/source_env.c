/*
 * source_env.c - credentials from environment variables.
 *
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY    both required
 *   AWS_SECURITY_TOKEN, then AWS_SESSION_TOKEN  optional session token
 *   AWS_CREDENTIAL_EXPIRATION                   optional, ISO-8601
 *
 * The token order is botocore's (EnvProvider.TOKENS lists
 * AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN and takes the first
 * non-empty one); every other SDK reads only AWS_SESSION_TOKEN, and the two
 * agree whenever only that one is set. Empty variables count as unset, as
 * in botocore.
 *
 * Unlike botocore, which skips the environment when only the secret is set,
 * either half without the other is reported: a half-configured environment
 * is a mistake the user wants to hear about, not a reason to fall through
 * to a profile with other credentials.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"

#define ENV_KEY "AWS_ACCESS_KEY_ID"
#define ENV_SECRET "AWS_SECRET_ACCESS_KEY"
#define ENV_SECURITY_TOKEN "AWS_SECURITY_TOKEN"
#define ENV_SESSION_TOKEN "AWS_SESSION_TOKEN"
#define ENV_EXPIRATION "AWS_CREDENTIAL_EXPIRATION"

static int env_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    const char *key, *secret, *token, *expiry;
    int64_t expiration = 0;
    bool time_ok;
    int rc = RDSIAM_OK;

    (void)self;
    memset(out, 0, sizeof *out);
    key = rdsiam__getenv_nonempty(ENV_KEY);
    secret = rdsiam__getenv_nonempty(ENV_SECRET);
    RDSIAM_ENSURE(err, key || secret, RDSIAM_ERR_NO_CREDENTIALS,
                  ENV_KEY " and " ENV_SECRET " are not set");
    RDSIAM_ENSURE(err, key, RDSIAM_ERR_ENV_INCOMPLETE,
                  ENV_KEY " is not set (" ENV_SECRET " is)");
    RDSIAM_ENSURE(err, secret, RDSIAM_ERR_ENV_INCOMPLETE,
                  ENV_SECRET " is not set (" ENV_KEY " is)");
    token = rdsiam__getenv_nonempty(ENV_SECURITY_TOKEN);
    if (!token)
        token = rdsiam__getenv_nonempty(ENV_SESSION_TOKEN);
    expiry = rdsiam__getenv_nonempty(ENV_EXPIRATION);
    time_ok = !expiry || rdsiam__parse_time(expiry, &expiration) == 0;
    RDSIAM_ENSURE(err, time_ok, RDSIAM_ERR_ENV_INVALID,
                  ENV_EXPIRATION " is not a time like 2026-01-02T03:04:05Z");
    RDSIAM_GUARD(
        rdsiam__creds_set(out, key, secret, token, "environment", err));
    out->expires = expiry != NULL;
    out->expiration = expiration;
    rdsiam__ok(err);
done:
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

static void env_destroy(void *self)
{
    (void)self;
}

int rdsiam__source_env(rdsiam__source *out, rdsiam__resolution *res,
                       const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    out->name = "environment";
    out->fetch = env_fetch;
    out->destroy = env_destroy;
    out->self = NULL;
    rdsiam__ok(err);
    return RDSIAM_OK;
}
