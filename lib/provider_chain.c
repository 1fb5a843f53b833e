/*
 * provider_chain.c - the default credential chain and the providers built
 * on the shared-file and container sources.
 *
 * Order (issue "Credential providers", after botocore's
 * create_credential_resolver): environment, then the shared-file profile
 * (static keys or credential_process), then container endpoints. A source
 * that is not configured moves the chain on; any other error stops it.
 *
 * An explicitly named profile means that profile only: the chain is the
 * profile source alone. botocore likewise drops the environment source
 * when a profile is set on the session ("An explicitly provided profile
 * will negate an EnvProvider"), while AWS_PROFILE in the environment does
 * not beat environment keys.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "provider.h"

#define CHAIN_MAX 3

static bool explicit_profile(const rdsiam_provider_options *opts)
{
    return opts && opts->profile && *opts->profile;
}

/* Add the container source, or note that it is compiled out. */
static int add_container(rdsiam__source *src, size_t *n, const char **skipped,
                         const rdsiam_provider_options *opts,
                         rdsiam_error *err)
{
    int rc = rdsiam__source_container(&src[*n], opts, err);

    if (rc == RDSIAM_ERR_NOT_BUILT_IN) {
        *skipped = "container (not built in)";
        rdsiam__ok(err);
        return RDSIAM_OK;
    }
    if (rc == RDSIAM_OK)
        (*n)++;
    return rc;
}

static void destroy_all(rdsiam__source *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (src[i].destroy)
            src[i].destroy(src[i].self);
}

int rdsiam_provider_new_default(rdsiam_provider **out,
                                const rdsiam_provider_options *opts,
                                rdsiam_error *err)
{
    rdsiam__source src[CHAIN_MAX];
    const char *skipped = NULL;
    size_t n = 0;
    int rc = RDSIAM_OK;

    memset(src, 0, sizeof src);
    ENSURE_MSG(out, RDSIAM_ERR_NULL_ARGUMENT, "provider out pointer is NULL");
    *out = NULL;
    if (explicit_profile(opts))
        return rdsiam_provider_new_profile(out, opts, err);
    GUARD(rdsiam__source_env(&src[n], err));
    n++;
    GUARD(rdsiam__source_profile(&src[n], opts, err));
    n++;
    GUARD(add_container(src, &n, &skipped, opts, err));
    rc = rdsiam__provider_new(out, src, n, skipped, opts, err);
    n = 0; /* handed over, also on failure */
done:
    destroy_all(src, n);
    return rc;
}

int rdsiam_provider_new_profile(rdsiam_provider **out,
                                const rdsiam_provider_options *opts,
                                rdsiam_error *err)
{
    rdsiam__source src;
    int rc = RDSIAM_OK;

    ENSURE_MSG(out, RDSIAM_ERR_NULL_ARGUMENT, "provider out pointer is NULL");
    *out = NULL;
    GUARD(rdsiam__source_profile(&src, opts, err));
    rc = rdsiam__provider_new(out, &src, 1, NULL, opts, err);
done:
    return rc;
}

int rdsiam_provider_new_container(rdsiam_provider **out,
                                  const rdsiam_provider_options *opts,
                                  rdsiam_error *err)
{
    rdsiam__source src;
    int rc = RDSIAM_OK;

    ENSURE_MSG(out, RDSIAM_ERR_NULL_ARGUMENT, "provider out pointer is NULL");
    *out = NULL;
    GUARD(rdsiam__source_container(&src, opts, err));
    rc = rdsiam__provider_new(out, &src, 1, NULL, opts, err);
done:
    return rc;
}
