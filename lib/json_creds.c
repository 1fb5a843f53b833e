/*
 * json_creds.c - credentials read from a JSON document (see json_creds.h),
 * on the JSON reader (json.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "json_creds.h"

/* Required strings must not be empty. */
static int nonempty(const rdsiam__json *j, const char *name, const char *v,
                    rdsiam_error *err)
{
    if (v && !*v)
        return rdsiam__fail(err, rdsiam__json_code(j), "%s: %s is empty",
                            rdsiam__json_what(j), name);
    return RDSIAM_OK;
}

int rdsiam__json_creds(const rdsiam__json *j,
                       const rdsiam__json_creds_fields *f, rdsiam__creds *out,
                       rdsiam_error *err)
{
    const char *ak = NULL, *sk = NULL, *st = NULL, *exp = NULL;
    int64_t t = 0;
    bool time_ok;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__json_string(j, f->access_key_id, true, &ak, err));
    RDSIAM_GUARD(rdsiam__json_string(j, f->secret_access_key, true, &sk, err));
    if (f->session_token)
        RDSIAM_GUARD(rdsiam__json_string(j, f->session_token,
                                         f->session_token_required, &st, err));
    if (f->expiration)
        RDSIAM_GUARD(rdsiam__json_string(j, f->expiration,
                                         f->expiration_required, &exp, err));
    RDSIAM_GUARD(nonempty(j, f->access_key_id, ak, err));
    RDSIAM_GUARD(nonempty(j, f->secret_access_key, sk, err));
    if (f->session_token_required)
        RDSIAM_GUARD(nonempty(j, f->session_token, st, err));
    time_ok = !exp || rdsiam__parse_time(exp, &t) == 0;
    RDSIAM_ENSURE(err, time_ok, rdsiam__json_code(j),
                  "%s: %s is not an ISO-8601 time", rdsiam__json_what(j),
                  f->expiration);
    RDSIAM_GUARD(rdsiam__creds_set(out, ak, sk, st, rdsiam__json_what(j), err));
    out->expires = exp != NULL;
    out->expiration = t;
    rdsiam__ok(err);
done:
    return rc;
}
