/*
 * region.c - which region to sign for, and the one-call token for the
 * common case.
 *
 * Region order: the caller's explicit region, AWS_REGION,
 * AWS_DEFAULT_REGION, then the profile's `region` setting. AWS_REGION
 * comes first as in aws-c-auth, the Go v2, Rust, Java and JavaScript SDKs
 * and the AWS CLI v2; plain botocore reads only AWS_DEFAULT_REGION
 * (configprovider.py: 'region': ('region', 'AWS_DEFAULT_REGION', ...)), so
 * the two differ only when AWS_REGION is set. A region is never guessed
 * from a hostname.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "profile.h"

/* Check region (from `what`) and copy it into buf. */
static int put_region(const char *region, const char *what, char *buf,
                      size_t bufsize, rdsiam_error *err)
{
    size_t n;
    int rc = rdsiam__check_region(region, err);

    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "%s", what);
        return rc;
    }
    n = strlen(region);
    if (n >= bufsize)
        return rdsiam__fail(err, RDSIAM_ERR_BUFFER_TOO_SMALL,
                            "region buffer too small: %zu bytes needed",
                            n + 1);
    memcpy(buf, region, n + 1);
    rdsiam__ok(err);
    return RDSIAM_OK;
}

int rdsiam_resolve_region(const char *explicit_region, const char *profile,
                          char *buf, size_t bufsize, rdsiam_error *err)
{
    char *value = NULL;
    const char *v;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, buf, RDSIAM_ERR_NULL_ARGUMENT, "region buffer is NULL");
    RDSIAM_ENSURE(err, bufsize > 0, RDSIAM_ERR_BUFFER_TOO_SMALL,
               "region buffer too small: size is 0");
    buf[0] = '\0';
    if (explicit_region)
        return put_region(explicit_region, "region argument", buf, bufsize,
                          err);
    if ((v = rdsiam__getenv_nonempty("AWS_REGION")))
        return put_region(v, "AWS_REGION", buf, bufsize, err);
    if ((v = rdsiam__getenv_nonempty("AWS_DEFAULT_REGION")))
        return put_region(v, "AWS_DEFAULT_REGION", buf, bufsize, err);
    if (profile && !*profile)
        profile = NULL;
    RDSIAM_GUARD(rdsiam__profile_setting(profile, "region", &value, NULL, err));
    RDSIAM_ENSURE(err, value && *value, RDSIAM_ERR_NO_REGION,
               "no region: pass one, or set AWS_REGION, AWS_DEFAULT_REGION "
               "or `region` in the profile");
    rc = put_region(value, "profile setting region", buf, bufsize, err);
done:
    free(value);
    return rc;
}

int rdsiam_connect_token(const char *hostname, unsigned int port,
                         const char *username, const char *region,
                         char **out, rdsiam_error *err)
{
    char reg[RDSIAM_REGION_MAX + 1];
    rdsiam_token_params params = {0};
    rdsiam_credentials creds = {0};
    const rdsiam_credentials probe = {"AKIDPROBE", "probe", NULL, 0};
    rdsiam_provider *p = NULL;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT, "token out pointer is NULL");
    *out = NULL;
    RDSIAM_GUARD(rdsiam_resolve_region(region, NULL, reg, sizeof reg, err));
    params.hostname = hostname;
    params.port = port;
    params.username = username;
    params.region = reg;
    /* Check the inputs before any credential source runs (a
     * credential_process or an HTTP fetch is not free): asking for the
     * size with placeholder credentials validates everything else. */
    rc = rdsiam_generate_token_ex(&params, &probe, NULL, 0, NULL, err);
    ENSURE(rc == RDSIAM_ERR_BUFFER_TOO_SMALL, rc);
    rc = RDSIAM_OK;
    RDSIAM_GUARD(rdsiam_provider_new_default(&p, NULL, err));
    RDSIAM_GUARD(rdsiam_provider_get_credentials(p, &creds, err));
    rc = rdsiam_token_alloc(&params, &creds, out, err);
done:
    rdsiam_credentials_clear(&creds);
    rdsiam_provider_free(p);
    return rc;
}
