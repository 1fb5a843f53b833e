/*
 * provider_profile.c - credentials from the shared config and credentials
 * files: static keys or credential_process.
 *
 * Within one profile the order is botocore's (ProfileProviderBuilder):
 * static keys whose aws_access_key_id is defined in the credentials file,
 * then credential_process, then static keys from the config file. Keys
 * are merged across the two files per property (credentials file wins).
 *
 * A profile that does not exist is an error when it was asked for, by the
 * caller or by AWS_PROFILE / AWS_DEFAULT_PROFILE (botocore raises
 * ProfileNotFound for both); a missing "default" profile, missing files,
 * or a profile without credentials give RDSIAM_ERR_NO_CREDENTIALS so a
 * chain moves on.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "process.h"
#include "profile.h"
#include "provider.h"

typedef struct profile_source {
    char *profile;      /* explicit profile, or NULL */
    long timeout_ms;    /* credential_process limit */
    char name[96];      /* "profile NAME" for messages */
} profile_source;

static void creds_release(rdsiam_credentials *c)
{
    rdsiam__free_secret_str((char *)(uintptr_t)c->access_key_id);
    rdsiam__free_secret_str((char *)(uintptr_t)c->secret_access_key);
    rdsiam__free_secret_str((char *)(uintptr_t)c->session_token);
    memset(c, 0, sizeof(*c));
}

static const char *nonempty(const char *s)
{
    return (s && *s) ? s : NULL;
}

/* Static keys from the merged profile into *out. */
static int static_keys(const rdsiam__profile *p, const char *profile,
                       rdsiam_credentials *out, rdsiam_error *err)
{
    const char *id = nonempty(rdsiam__profile_get(p, "aws_access_key_id"));
    const char *secret =
        nonempty(rdsiam__profile_get(p, "aws_secret_access_key"));
    const char *token = nonempty(rdsiam__profile_get(p, "aws_session_token"));
    int rc = RDSIAM_OK;

    /* botocore also reads the legacy aws_security_token. */
    if (!token)
        token = nonempty(rdsiam__profile_get(p, "aws_security_token"));
    ENSURE_MSG(id, RDSIAM_ERR_PROFILE_INCOMPLETE,
               "profile %s has aws_secret_access_key but no "
               "aws_access_key_id",
               profile);
    ENSURE_MSG(secret, RDSIAM_ERR_PROFILE_INCOMPLETE,
               "profile %s has aws_access_key_id but no "
               "aws_secret_access_key",
               profile);
    out->access_key_id = rdsiam__strdup(id);
    out->secret_access_key = rdsiam__strdup(secret);
    out->session_token = token ? rdsiam__strdup(token) : NULL;
    out->expiration = 0;
    ENSURE(out->access_key_id && out->secret_access_key &&
               (!token || out->session_token),
           rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY));
    rdsiam__ok(err);
done:
    if (rc != RDSIAM_OK)
        creds_release(out);
    return rc;
}

static int profile_fetch(void *self, rdsiam_credentials *out,
                         rdsiam_error *err)
{
    profile_source *src = self;
    rdsiam__profile_set set;
    const rdsiam__profile *p;
    const rdsiam__profile_prop *id;
    const char *name, *process;
    char *paths = NULL;
    bool from_env = false, found = false;
    int rc = RDSIAM_OK;

    rdsiam__profile_set_init(&set);
    memset(out, 0, sizeof(*out));
    name = rdsiam__profile_selected(src->profile, &from_env);
    GUARD(rdsiam__profile_load(&set, &found, &paths, err));
    p = rdsiam__profile_find(&set, name);
    if (!p) {
        if (src->profile || from_env)
            rc = rdsiam__fail(err, RDSIAM_ERR_PROFILE_NOT_FOUND,
                              "profile %s not found in %s", name, paths);
        else
            rc = rdsiam__fail(err, RDSIAM_ERR_NO_CREDENTIALS,
                              "profile %s not found in %s", name, paths);
        goto done;
    }
    id = rdsiam__profile_prop_get(p, "aws_access_key_id");
    process = nonempty(rdsiam__profile_get(p, "credential_process"));
    if (id && id->origin == RDSIAM__PROFILE_CREDENTIALS && id->value.len) {
        GUARD(static_keys(p, name, out, err));
    } else if (process) {
        char what[96];
        snprintf(what, sizeof(what), "profile %s", name);
        GUARD(rdsiam__process_credentials(process, src->timeout_ms, what, out,
                                          err));
    } else if (nonempty(rdsiam__profile_get(p, "aws_access_key_id")) ||
               nonempty(rdsiam__profile_get(p, "aws_secret_access_key"))) {
        GUARD(static_keys(p, name, out, err));
    } else {
        rc = rdsiam__fail(err, RDSIAM_ERR_NO_CREDENTIALS,
                          "profile %s has no credentials (%s)", name, paths);
        goto done;
    }
done:
    free(paths);
    rdsiam__profile_set_free(&set);
    if (rc != RDSIAM_OK)
        creds_release(out);
    return rc;
}

static void profile_destroy(void *self)
{
    profile_source *src = self;

    if (!src)
        return;
    free(src->profile);
    free(src);
}

int rdsiam__source_profile(rdsiam__source *out,
                           const rdsiam_provider_options *opts,
                           rdsiam_error *err)
{
    profile_source *src;

    if (!out)
        return rdsiam__fail_code(err, RDSIAM_ERR_NULL_ARGUMENT);
    memset(out, 0, sizeof(*out));
    src = calloc(1, sizeof(*src));
    if (!src)
        return rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY);
    if (opts && opts->profile && *opts->profile) {
        src->profile = rdsiam__strdup(opts->profile);
        if (!src->profile) {
            free(src);
            return rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY);
        }
        snprintf(src->name, sizeof(src->name), "profile %s", opts->profile);
    } else {
        snprintf(src->name, sizeof(src->name), "profile");
    }
    src->timeout_ms = (opts && opts->timeout_ms > 0) ? opts->timeout_ms : 0;
    out->name = src->name;
    out->fetch = profile_fetch;
    out->destroy = profile_destroy;
    out->self = src;
    rdsiam__ok(err);
    return RDSIAM_OK;
}
