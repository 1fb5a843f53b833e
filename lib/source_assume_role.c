/*
 * source_assume_role.c - assumed-role credentials: fetch the inner
 * source's credentials, then call STS AssumeRole signed with them. A chain
 * of roles is a chain of these, each wrapping the previous hop, so every
 * hop is signed with the credentials of the hop before it.
 *
 * SPDX-License-Identifier: MIT
 */
#include "source_assume_role.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if RDSIAM_HTTP

#include "sts.h"

typedef struct assume_role {
    rdsiam__source inner;
    char *name;
    char *role_arn, *session_name, *external_id;
    unsigned int duration_seconds;
    char *region, *profile, *endpoint_url, *ca_file;
    long timeout_ms;
} assume_role;

/* "prefix: message" without cutting the message short (STS's messages are
 * long and name the role). */
static void prefix_whole(rdsiam_error *err, const char *prefix)
{
    char old[RDSIAM_ERROR_MESSAGE_SIZE];

    if (!err)
        return;
    memcpy(old, err->message, sizeof old);
    old[sizeof old - 1] = '\0';
    rdsiam__fail(err, err->code, "%s: %s", prefix, old);
}

static int inner_credentials(const assume_role *r, rdsiam_credentials *src,
                             rdsiam_error *err)
{
    int rc = r->inner.fetch(r->inner.self, src, err);

    if (rc == RDSIAM_ERR_NO_CREDENTIALS) {
        rc = RDSIAM_ERR_PROFILE_INCOMPLETE;
        if (err)
            err->code = rc;
    }
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "%s: source credentials (%s)", r->name,
                             r->inner.name ? r->inner.name : "?");
    return rc;
}

static int assume_role_fetch(void *self, rdsiam_credentials *out,
                             rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const assume_role *r = self;
    rdsiam_credentials src;
    rdsiam__sts_config cfg;
    char region[RDSIAM_REGION_MAX + 1], fallback[48];
    const char *session = r->session_name;

    memset(&src, 0, sizeof src);
    if (out)
        memset(out, 0, sizeof *out);
    ENSURE_MSG(out != NULL, RDSIAM_ERR_NULL_ARGUMENT,
               "%s: credentials pointer is NULL", r->name);
    rc = rdsiam_resolve_region(r->region, r->profile, region, sizeof region,
                               err);
    if (rc == RDSIAM_ERR_NO_REGION) {
        region[0] = '\0';
        rc = RDSIAM_OK;
    }
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "%s: STS region", r->name);
        goto done;
    }
    GUARD(inner_credentials(r, &src, err));
    if (!session) {
        /* botocore: f'botocore-session-{int(time.time())}' */
        snprintf(fallback, sizeof fallback, "botocore-session-%" PRId64,
                 rdsiam__now());
        session = fallback;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.region = region[0] ? region : NULL;
    cfg.endpoint_url = r->endpoint_url;
    cfg.ca_file = r->ca_file;
    cfg.timeout_ms = r->timeout_ms;
    rc = rdsiam__sts_assume_role(&cfg, &src, r->role_arn, session,
                                 r->external_id, r->duration_seconds, out, err);
    if (rc != RDSIAM_OK)
        prefix_whole(err, r->name);
done:
    rdsiam_credentials_clear(&src); /* wipes the inner secret */
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

static void assume_role_destroy(void *self)
{
    assume_role *r = self;

    if (!r)
        return;
    if (r->inner.destroy)
        r->inner.destroy(r->inner.self);
    free(r->name);
    free(r->role_arn);
    free(r->session_name);
    free(r->external_id);
    free(r->region);
    free(r->profile);
    free(r->endpoint_url);
    free(r->ca_file);
    free(r);
}

static bool copy(char **dst, const char *s)
{
    *dst = s ? rdsiam__strdup(s) : NULL;
    return !s || *dst;
}

static int check_config(const rdsiam__assume_role_config *cfg,
                        rdsiam_error *err)
{
    if (!cfg || !cfg->role_arn || !*cfg->role_arn)
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "assume role: role_arn is missing");
    if (cfg->duration_seconds &&
        (cfg->duration_seconds < 900 || cfg->duration_seconds > 43200))
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "assume role: duration_seconds must be "
                            "900..43200");
    return RDSIAM_OK;
}

int rdsiam__source_assume_role(rdsiam__source *out, rdsiam__source *inner,
                               const rdsiam__assume_role_config *cfg,
                               rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    assume_role *r = NULL;

    if (out)
        memset(out, 0, sizeof *out);
    ENSURE_MSG(out && inner && inner->fetch, RDSIAM_ERR_NULL_ARGUMENT,
               "assume role: source or inner source is NULL");
    GUARD(check_config(cfg, err));
    r = calloc(1, sizeof *r);
    ENSURE_MSG(r != NULL, RDSIAM_ERR_NO_MEMORY, "assume role: out of memory");
    r->inner = *inner;
    memset(inner, 0, sizeof *inner); /* now owned by r */
    r->duration_seconds = cfg->duration_seconds;
    r->timeout_ms = cfg->timeout_ms;
    ENSURE_MSG(copy(&r->name, cfg->name ? cfg->name : "assume role") &&
                   copy(&r->role_arn, cfg->role_arn) &&
                   copy(&r->session_name, cfg->session_name) &&
                   copy(&r->external_id, cfg->external_id) &&
                   copy(&r->region, cfg->region) &&
                   copy(&r->profile, cfg->profile) &&
                   copy(&r->endpoint_url, cfg->endpoint_url) &&
                   copy(&r->ca_file, cfg->ca_file),
               RDSIAM_ERR_NO_MEMORY, "assume role: out of memory");
    out->name = r->name;
    out->fetch = assume_role_fetch;
    out->destroy = assume_role_destroy;
    out->self = r;
    r = NULL;
done:
    assume_role_destroy(r);
    if (rc != RDSIAM_OK && inner && inner->destroy) {
        inner->destroy(inner->self);
        memset(inner, 0, sizeof *inner);
    }
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

#else /* !RDSIAM_HTTP */

int rdsiam__source_assume_role(rdsiam__source *out, rdsiam__source *inner,
                               const rdsiam__assume_role_config *cfg,
                               rdsiam_error *err)
{
    (void)cfg;
    if (out)
        memset(out, 0, sizeof *out);
    if (inner && inner->destroy) {
        inner->destroy(inner->self);
        memset(inner, 0, sizeof *inner);
    }
    return rdsiam__fail(err, RDSIAM_ERR_NOT_BUILT_IN,
                        "assume role: built without HTTP support (HTTP=no)");
}

#endif /* RDSIAM_HTTP */
