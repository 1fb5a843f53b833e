/*
 * source_profile.c - static keys from a profile of the shared config and
 * credentials files.
 *
 * Two sources, at botocore's two positions in the chain
 * (create_credential_resolver): "shared credentials file", whose
 * aws_access_key_id is set in the credentials file, comes before
 * credential_process; "config file", keys set only in the config file,
 * after it. Keys are merged across the two files per property (the
 * credentials file wins), so a secret in one file completes a key id in
 * the other, as in botocore. botocore also reads the legacy
 * aws_security_token when aws_session_token is absent.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

static const char *nonempty(const char *s)
{
    return (s && *s) ? s : NULL;
}

static int static_keys(const rdsiam__profile *p, const char *name,
                       rdsiam__creds *out, rdsiam_error *err)
{
    const char *id = nonempty(rdsiam__profile_get(p, "aws_access_key_id"));
    const char *secret =
        nonempty(rdsiam__profile_get(p, "aws_secret_access_key"));
    const char *token = nonempty(rdsiam__profile_get(p, "aws_session_token"));
    char what[160];
    int rc = RDSIAM_OK;

    if (!token)
        token = nonempty(rdsiam__profile_get(p, "aws_security_token"));
    RDSIAM_ENSURE(err, id, RDSIAM_ERR_PROFILE_INCOMPLETE,
                  "profile %s has aws_secret_access_key but no "
                  "aws_access_key_id",
                  name);
    RDSIAM_ENSURE(err, secret, RDSIAM_ERR_PROFILE_INCOMPLETE,
                  "profile %s has aws_access_key_id but no "
                  "aws_secret_access_key",
                  name);
    snprintf(what, sizeof what, "profile %s", name);
    RDSIAM_GUARD(rdsiam__creds_set(out, id, secret, token, what, err));
    rdsiam__ok(err);
done:
    return rc;
}

/* The fetch of both positions: credentials_file for the one before
 * credential_process (aws_access_key_id set in the credentials file),
 * else the one after it (keys anywhere). */
static int profile_fetch(rdsiam__bound *b, bool credentials_file,
                         rdsiam__creds *out, rdsiam_error *err)
{
    const rdsiam__profile *p = NULL;
    const rdsiam__profile_prop *id;
    const char *name = rdsiam__bound_profile(b);
    bool in_creds_file;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__resolution_profile(b->res, b->profile, &p, err));
    id = rdsiam__profile_prop_get(p, "aws_access_key_id");
    in_creds_file =
        id && id->origin == RDSIAM__PROFILE_CREDENTIALS && id->value.len > 0;
    if (credentials_file) {
        RDSIAM_ENSURE(
            err, in_creds_file, RDSIAM_ERR_NO_CREDENTIALS,
            "profile %s has no aws_access_key_id in the credentials file",
            name);
    } else {
        RDSIAM_ENSURE(
            err,
            nonempty(rdsiam__profile_get(p, "aws_access_key_id")) ||
                nonempty(rdsiam__profile_get(p, "aws_secret_access_key")),
            RDSIAM_ERR_NO_CREDENTIALS,
            "profile %s has no aws_access_key_id or aws_secret_access_key",
            name);
    }
    RDSIAM_GUARD(static_keys(p, name, out, err));
done:
    return rc;
}

static int credentials_file_fetch(void *self, rdsiam__creds *out,
                                  rdsiam_error *err)
{
    return profile_fetch(self, true, out, err);
}

static int config_file_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    return profile_fetch(self, false, out, err);
}

int rdsiam__source_shared_credentials(rdsiam__source *out,
                                      rdsiam__resolution *res,
                                      const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "shared credentials file",
                             credentials_file_fetch, res, profile, err);
}

int rdsiam__source_config_keys(rdsiam__source *out, rdsiam__resolution *res,
                               const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "config file", config_file_fetch, res,
                             profile, err);
}
