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

typedef struct assume_role {
    rdsiam__source inner;
    char *name;
    char *role_arn, *session_name, *external_id;
    unsigned int duration_seconds;
    rdsiam__sts_config sts; /* strings owned, res borrowed */
} assume_role;

static int inner_credentials(const assume_role *r, rdsiam__creds *src,
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

static int assume_role_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const assume_role *r = self;
    rdsiam__creds src;
    rdsiam_credentials view;
    char fallback[48];
    const char *session = r->session_name;

    memset(&src, 0, sizeof src);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "%s: credentials pointer is NULL", r->name);
    RDSIAM_GUARD(inner_credentials(r, &src, err));
    if (!session) {
        /* botocore: f'botocore-session-{int(time.time())}' */
        snprintf(fallback, sizeof fallback, "botocore-session-%" PRId64,
                 rdsiam__now());
        session = fallback;
    }
    view = rdsiam__creds_view(&src);
    rc = rdsiam__sts_assume_role(&r->sts, &view, r->role_arn, session,
                                 r->external_id, r->duration_seconds, out, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "%s", r->name);
done:
    rdsiam__creds_clear(&src); /* wipes the inner secret */
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
    rdsiam__sts_config_free(&r->sts);
    free(r);
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

int rdsiam__assume_role_new(rdsiam__source *out, rdsiam__source *inner,
                            const rdsiam__assume_role_config *cfg,
                            rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    assume_role *r = NULL;
    bool ok = true;

    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out && inner && inner->fetch, RDSIAM_ERR_NULL_ARGUMENT,
                  "assume role: source or inner source is NULL");
    RDSIAM_GUARD(check_config(cfg, err));
    r = calloc(1, sizeof *r);
    RDSIAM_ENSURE(err, r != NULL, RDSIAM_ERR_NO_MEMORY,
                  "assume role: out of memory");
    r->inner = *inner;
    memset(inner, 0, sizeof *inner); /* now owned by r */
    r->duration_seconds = cfg->duration_seconds;
    r->name = rdsiam__strdup_opt(cfg->name ? cfg->name : "assume role", &ok);
    r->role_arn = rdsiam__strdup_opt(cfg->role_arn, &ok);
    r->session_name = rdsiam__strdup_opt(cfg->session_name, &ok);
    r->external_id = rdsiam__strdup_opt(cfg->external_id, &ok);
    rdsiam__sts_config_copy(&r->sts, &cfg->sts, &ok);
    RDSIAM_ENSURE(err, ok, RDSIAM_ERR_NO_MEMORY, "assume role: out of memory");
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

/* ------------------------------------------------------------------------ */
/* In a chain: the role of a profile, built from the resolution              */
/* ------------------------------------------------------------------------ */

/*
 * botocore 1.43's AssumeRoleProvider, rule by rule:
 *  - a profile is a role profile when it has role_arn and no
 *    web_identity_token_file (_has_assume_role_config_vars; role_arn with a
 *    token file is the web identity source's);
 *  - exactly one of source_profile and credential_source (both:
 *    InvalidConfigError; neither: PartialCredentialsError);
 *  - credential_source is Environment, Ec2InstanceMetadata or EcsContainer
 *    (CanonicalNameCredentialSourcer);
 *  - a source profile with static keys, or that is not itself a role
 *    profile, is resolved by the profile sources (web identity without
 *    environment variables, SSO, shared credentials, login,
 *    credential_process, config keys: _resolve_credentials_from_profile);
 *    otherwise its role is
 *    assumed first, and so on down the chain;
 *  - a source profile already visited is a loop (InfiniteLoopConfigError),
 *    except a profile naming itself that has static keys;
 *  - external_id, role_session_name and duration_seconds are sent as
 *    given; no role_session_name gives botocore-session-<unix time>.
 * mfa_serial is refused: botocore asks for the code on the terminal, and a
 * library has none.
 */

/* ------------------------------------------------------------------------ */
/* A source_profile's own sources (botocore's profile providers)         */
/* ------------------------------------------------------------------------ */

static const rdsiam__source_new_fn source_profile_links[] = {
    rdsiam__source_web_identity,
    rdsiam__source_sso,
    rdsiam__source_shared_credentials,
    rdsiam__source_login,
    rdsiam__source_process,
    rdsiam__source_config_keys,
};

typedef struct profile_chain_src {
    rdsiam__resolution *res;
    char *profile;
} profile_chain_src;

static int profile_chain_fetch(void *self, rdsiam__creds *out,
                               rdsiam_error *err)
{
    profile_chain_src *pc = self;
    rdsiam__source src;
    int rc = RDSIAM_ERR_NO_CREDENTIALS;

    memset(out, 0, sizeof *out);
    for (size_t i = 0;
         i < sizeof source_profile_links / sizeof source_profile_links[0] &&
         rc == RDSIAM_ERR_NO_CREDENTIALS;
         i++) {
        memset(&src, 0, sizeof src);
        rc = source_profile_links[i](&src, pc->res, pc->profile, err);
        if (rc == RDSIAM_ERR_NOT_BUILT_IN) {
            rc = RDSIAM_ERR_NO_CREDENTIALS;
            continue;
        }
        if (rc != RDSIAM_OK)
            break;
        rc = src.fetch(src.self, out, err);
        src.destroy(src.self);
    }
    /* botocore: 'The source profile "%s" must have credentials.' */
    if (rc == RDSIAM_ERR_NO_CREDENTIALS)
        rdsiam__fail(err, rc,
                     "source profile %s has no credentials (no static keys, "
                     "credential_process, web_identity_token_file, "
                     "login_session or SSO settings)",
                     pc->profile);
    return rc;
}

static void profile_chain_destroy(void *self)
{
    profile_chain_src *pc = self;

    if (!pc)
        return;
    free(pc->profile);
    free(pc);
}

static int source_profile_chain(rdsiam__source *out, rdsiam__resolution *res,
                                const char *profile, rdsiam_error *err)
{
    profile_chain_src *pc = calloc(1, sizeof *pc);
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    out->name = "source profile";
    RDSIAM_ENSURE(err, pc && profile, RDSIAM_ERR_NO_MEMORY,
                  "out of memory building a source profile's sources");
    pc->res = res;
    pc->profile = rdsiam__strdup(profile);
    RDSIAM_ENSURE(err, pc->profile, RDSIAM_ERR_NO_MEMORY,
                  "out of memory building a source profile's sources");
    out->fetch = profile_chain_fetch;
    out->destroy = profile_chain_destroy;
    out->self = pc;
    pc = NULL;
    rdsiam__ok(err);
done:
    profile_chain_destroy(pc);
    return rc;
}

#define HOPS_MAX 1024 /* more hops than this is a loop or a mistake */

typedef struct build_ctx {
    rdsiam__resolution *res;
    char region[RDSIAM_REGION_MAX + 1];
    /* Every hop's STS settings, the resolution's: the selected profile's
     * configured endpoint, not the hop's (botocore: one session, one
     * scoped config, for every client the chain creates). */
    rdsiam__sts_config sts;
    const char *visited[HOPS_MAX];
    size_t n_visited;
} build_ctx;

static bool has(const rdsiam__profile *p, const char *key)
{
    return rdsiam__profile_get(p, key) != NULL;
}

/* botocore _has_static_credentials: either key present counts. */
static bool has_static(const rdsiam__profile *p)
{
    return has(p, "aws_access_key_id") || has(p, "aws_secret_access_key");
}

static bool is_role(const rdsiam__profile *p)
{
    return has(p, "role_arn") && !has(p, "web_identity_token_file");
}

/* "a -> b -> c -> a" for the message. */
static int loop_error(const build_ctx *c, const char *parent, const char *next,
                      rdsiam_error *err)
{
    rdsiam__buf b;
    int rc;

    rdsiam__buf_init(&b, RDSIAM_ERROR_MESSAGE_SIZE);
    for (size_t i = 0; i < c->n_visited; i++)
        (void)rdsiam__buf_printf(&b, "%s -> ", c->visited[i]);
    (void)rdsiam__buf_append_str(&b, next);
    rc = rdsiam__fail(err, RDSIAM_ERR_PROFILE_INVALID,
                      "profile %s: source_profile %s makes a loop: %s", parent,
                      next, b.data ? b.data : "");
    rdsiam__buf_free(&b);
    return rc;
}

static int build_role(build_ctx *c, const char *name, const rdsiam__profile *p,
                      rdsiam__source *out, rdsiam_error *err);

static int credential_source(build_ctx *c, const char *name, const char *cs,
                             rdsiam__source *out, rdsiam_error *err)
{
    if (strcmp(cs, "Environment") == 0)
        return rdsiam__source_env(out, c->res, NULL, err);
    if (strcmp(cs, "Ec2InstanceMetadata") == 0)
        return rdsiam__source_imds(out, c->res, NULL, err);
    if (strcmp(cs, "EcsContainer") == 0)
        return rdsiam__source_container(out, c->res, NULL, err);
    return rdsiam__fail(err, RDSIAM_ERR_PROFILE_INVALID,
                        "profile %s: credential_source %.64s is not one of "
                        "Environment, Ec2InstanceMetadata, EcsContainer",
                        name, cs);
}

static int source_profile(build_ctx *c, const char *parent, const char *sname,
                          rdsiam__source *out, rdsiam_error *err)
{
    const rdsiam__profile_set *set;
    const rdsiam__profile *sp;
    bool seen = false;
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(rdsiam__resolution_files(c->res, &set, NULL, err));
    sp = rdsiam__profile_find(set, sname);
    RDSIAM_ENSURE(err, sp, RDSIAM_ERR_PROFILE_INVALID,
                  "profile %s: its source_profile %s does not exist", parent,
                  sname);
    for (size_t i = 0; i < c->n_visited; i++)
        seen = seen || strcmp(c->visited[i], sname) == 0;
    /* A profile may name itself to use its own static keys. */
    if (seen && (strcmp(sname, parent) != 0 || !has_static(sp)))
        RDSIAM_GUARD(loop_error(c, parent, sname, err));
    RDSIAM_ENSURE(err, c->n_visited < HOPS_MAX, RDSIAM_ERR_PROFILE_INVALID,
                  "profile %s: more than %d source_profile hops", parent,
                  HOPS_MAX);
    c->visited[c->n_visited++] = sname;
    if (has_static(sp) || !is_role(sp))
        rc = source_profile_chain(out, c->res, sname, err);
    else
        rc = build_role(c, sname, sp, out, err);
done:
    return rc;
}

static int duration(const char *name, const char *v, unsigned int *out,
                    rdsiam_error *err)
{
    char *end = NULL;
    long n;

    *out = 0;
    if (!v)
        return RDSIAM_OK;
    n = strtol(v, &end, 10);
    if (!*v || *end || n < 900 || n > 43200)
        return rdsiam__fail(err, RDSIAM_ERR_PROFILE_INVALID,
                            "profile %s: duration_seconds is not a whole "
                            "number of seconds from 900 to 43200",
                            name);
    *out = (unsigned int)n;
    return RDSIAM_OK;
}

static int build_role(build_ctx *c, const char *name, const rdsiam__profile *p,
                      rdsiam__source *out, rdsiam_error *err)
{
    const char *sp = rdsiam__profile_get(p, "source_profile");
    const char *cs = rdsiam__profile_get(p, "credential_source");
    rdsiam__assume_role_config cfg = {0};
    rdsiam__source inner = {0};
    char label[160];
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, !has(p, "mfa_serial"), RDSIAM_ERR_PROFILE_INVALID,
                  "profile %s sets mfa_serial: an MFA code cannot be asked "
                  "for here; use a profile without mfa_serial (for example "
                  "with credentials from `aws sts get-session-token`)",
                  name);
    RDSIAM_ENSURE(err, !(sp && cs), RDSIAM_ERR_PROFILE_INVALID,
                  "profile %s has both source_profile and credential_source",
                  name);
    RDSIAM_ENSURE(err, sp || cs, RDSIAM_ERR_PROFILE_INCOMPLETE,
                  "profile %s has role_arn but neither source_profile nor "
                  "credential_source",
                  name);
    RDSIAM_GUARD(duration(name, rdsiam__profile_get(p, "duration_seconds"),
                          &cfg.duration_seconds, err));
    if (cs)
        RDSIAM_GUARD(credential_source(c, name, cs, &inner, err));
    else
        RDSIAM_GUARD(source_profile(c, name, sp, &inner, err));
    snprintf(label, sizeof label, "assume role (profile %s)", name);
    cfg.role_arn = rdsiam__profile_get(p, "role_arn");
    cfg.session_name = rdsiam__profile_get(p, "role_session_name");
    cfg.external_id = rdsiam__profile_get(p, "external_id");
    cfg.name = label;
    cfg.sts = c->sts;
    /* Takes inner (destroys it on failure). */
    rc = rdsiam__assume_role_new(out, &inner, &cfg, err);
done:
    if (inner.destroy)
        inner.destroy(inner.self);
    return rc;
}

static int link_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    rdsiam__bound *l = self;
    const rdsiam__profile *p = NULL;
    const char *name = rdsiam__bound_profile(l);
    rdsiam__source src = {0};
    build_ctx *c = NULL;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__resolution_profile(l->res, l->profile, &p, err));
    RDSIAM_ENSURE(err, is_role(p), RDSIAM_ERR_NO_CREDENTIALS,
                  "profile %s has no role_arn", name);
    c = calloc(1, sizeof *c);
    RDSIAM_ENSURE(err, c, RDSIAM_ERR_NO_MEMORY, "assume role: out of memory");
    c->res = l->res;
    RDSIAM_GUARD(rdsiam__sts_config_of(l->res, c->region, sizeof c->region,
                                       &c->sts, err));
    c->visited[c->n_visited++] = name;
    RDSIAM_GUARD(build_role(c, name, p, &src, err));
    rc = src.fetch(src.self, out, err);
done:
    if (src.destroy)
        src.destroy(src.self);
    free(c);
    return rc;
}

int rdsiam__source_assume_role(rdsiam__source *out, rdsiam__resolution *res,
                               const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "assume role", link_fetch, res, profile, err);
}

#endif /* RDSIAM_HTTP */
