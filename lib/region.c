/*
 * region.c - which region to sign for, when the caller leaves it to the
 * library (rdsiam_provider_generate_token and rdsiam_connect_token with
 * params->region NULL).
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

#include "region.h"

#include "profile.h"

/* Check region (from `what`) and copy it into buf. */
static int put_region(const char *region, const char *what, char *buf,
                      size_t bufsize, rdsiam_error *err)
{
    size_t n;
    int rc = rdsiam__check_region(region, NULL, err);

    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "%s", what);
        return rc;
    }
    n = strlen(region);
    if (n >= bufsize)
        return rdsiam__fail(err, RDSIAM_ERR_BUFFER_TOO_SMALL,
                            "region buffer too small: %zu bytes needed", n + 1);
    memcpy(buf, region, n + 1);
    rdsiam__ok(err);
    return RDSIAM_OK;
}

int rdsiam__resolve_region(const char *explicit_region, const char *profile,
                           char *buf, size_t bufsize, rdsiam_error *err)
{
    char *value = NULL;
    const char *v, *name;
    bool found = false, from_env = false;
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
    name = rdsiam__profile_selected(profile, &from_env);
    RDSIAM_GUARD(
        rdsiam__profile_setting(profile, "region", &value, &found, err));
    /* A profile asked for by name that does not exist is the mistake to
     * report, not the region it would have held. */
    RDSIAM_ENSURE(err, found || !(profile || from_env),
                  RDSIAM_ERR_PROFILE_NOT_FOUND,
                  "profile %s not found in the shared config and credentials "
                  "files",
                  name);
    RDSIAM_ENSURE(err, value && *value, RDSIAM_ERR_NO_REGION,
                  "no region: pass one, or set AWS_REGION, AWS_DEFAULT_REGION "
                  "or `region` in the profile");
    rc = put_region(value, "profile setting region", buf, bufsize, err);
done:
    free(value);
    return rc;
}
