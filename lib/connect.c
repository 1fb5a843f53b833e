/*
 * connect.c - rdsiam_connect_token, the one call for short programs: a
 * thin wrapper over a default provider (see rdsiam.h for the three ways to
 * a token and which to use when).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>

#include "provider.h"

typedef struct job {
    rdsiam_token_params params; /* with the region resolved */
    char *buf;
    size_t size;
} job;

/* With one set of credentials: the size (a query that stops before the
 * signature), the buffer, then the one signature. */
static int sign_job(void *ctx, const rdsiam_credentials *creds,
                    rdsiam_error *err)
{
    job *j = ctx;
    size_t need = 0;
    int rc = rdsiam_generate_token_ex(&j->params, creds, NULL, 0, &need, err);

    if (rc != RDSIAM_ERR_BUFFER_TOO_SMALL) /* never OK: no buffer */
        return rc;
    j->buf = malloc(need);
    if (!j->buf)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "out of memory for the token");
    j->size = need;
    return rdsiam_generate_token_ex(&j->params, creds, j->buf, need, NULL, err);
}

int rdsiam_connect_token(const rdsiam_token_params *params,
                         const rdsiam_provider_options *opts, char **out,
                         rdsiam_error *err)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    job j = {0};
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
    if (!o.region && params->region)
        o.region = params->region;
    RDSIAM_GUARD(rdsiam_provider_new_default(&p, &o, err));
    j.params = *params;
    /* One pass through the provider: one credential look-up, one token
     * signed (the size depends on the session token). */
    RDSIAM_GUARD(rdsiam__provider_sign(p, &j.params.region, sign_job, &j, err));
    *out = j.buf;
    j.buf = NULL;
done:
    if (j.buf)
        rdsiam__free_secret(j.buf, j.size);
    rdsiam_provider_free(p);
    return rc;
}
