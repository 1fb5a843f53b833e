/*
 * connect.c - rdsiam_connect_token, the one call for short programs: a
 * thin wrapper over a default provider (see rdsiam.h for the three ways to
 * a token and which to use when).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>

#include "internal.h"

int rdsiam_connect_token(const rdsiam_token_params *params,
                         const rdsiam_provider_options *opts, char **out,
                         rdsiam_error *err)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    size_t need = 0;
    char *buf = NULL;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT,
                  "token out pointer is NULL");
    *out = NULL;
    /* Inputs first: a typo must not cost a credential fetch. */
    RDSIAM_GUARD(rdsiam_token_params_check(params, err));
    /* STS (assumed roles, web identity) is asked in the token's region,
     * as botocore asks in the region of the client needing credentials. */
    if (opts)
        o = *opts;
    if (!o.region && params && params->region)
        o.region = params->region;
    RDSIAM_GUARD(rdsiam_provider_new_default(&p, &o, err));
    /* The size depends on the session token: ask with the credentials. */
    rc = rdsiam_provider_generate_token(p, params, NULL, 0, &need, err);
    if (rc == RDSIAM_ERR_BUFFER_TOO_SMALL)
        rc = RDSIAM_OK; /* expected: need is the size */
    RDSIAM_GUARD(rc);
    buf = malloc(need);
    RDSIAM_ENSURE(err, buf, RDSIAM_ERR_NO_MEMORY,
                  "out of memory for the token");
    RDSIAM_GUARD(
        rdsiam_provider_generate_token(p, params, buf, need, NULL, err));
    *out = buf;
    buf = NULL;
done:
    if (buf)
        rdsiam__free_secret(buf, need);
    rdsiam_provider_free(p);
    return rc;
}
