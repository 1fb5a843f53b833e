/*
 * source_static.c - fixed credentials given by the caller
 * (rdsiam_provider_new_static), copied.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"

static int static_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    if (rdsiam__creds_copy(out, self) != RDSIAM_OK)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "out of memory copying credentials");
    rdsiam__ok(err);
    return RDSIAM_OK;
}

static void static_destroy(void *self)
{
    rdsiam__creds_clear(self);
    free(self);
}

int rdsiam__source_static(rdsiam__source *out, const rdsiam_credentials *c,
                          rdsiam_error *err)
{
    rdsiam__creds *copy = NULL;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__check_credentials(c, err));
    RDSIAM_ENSURE(err, c->expiration >= 0, RDSIAM_ERR_INVALID_ARGUMENT,
                  "credentials expiration is negative");
    copy = calloc(1, sizeof *copy);
    RDSIAM_ENSURE(err, copy, RDSIAM_ERR_NO_MEMORY,
                  "out of memory copying credentials");
    copy->access_key_id = rdsiam__strdup(c->access_key_id);
    copy->secret_access_key = rdsiam__strdup(c->secret_access_key);
    copy->session_token = c->session_token && *c->session_token
                              ? rdsiam__strdup(c->session_token)
                              : NULL;
    /* The public struct's convention: 0 means "does not expire". */
    copy->expires = c->expiration != 0;
    copy->expiration = c->expiration;
    RDSIAM_ENSURE(
        err,
        copy->access_key_id && copy->secret_access_key &&
            (!c->session_token || !*c->session_token || copy->session_token),
        RDSIAM_ERR_NO_MEMORY, "out of memory copying credentials");
    out->name = "static credentials";
    out->fetch = static_fetch;
    out->destroy = static_destroy;
    out->self = copy;
    copy = NULL;
    rdsiam__ok(err);
done:
    if (copy)
        static_destroy(copy);
    return rc;
}
