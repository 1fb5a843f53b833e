/*
 * source_web_identity.c - the web identity credential source: an OIDC
 * token read from a file (EKS writes and rotates it for a pod's service
 * account) exchanged with STS AssumeRoleWithWebIdentity, unsigned.
 *
 * Settings (see source_web_identity.h): the environment's
 * AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME each
 * beat the profile's web_identity_token_file, role_arn and
 * role_session_name, as in botocore's AssumeRoleWithWebIdentityProvider.
 * Everything is read at fetch time, so a rotated token file (EKS renews it
 * about hourly) or a changed variable is picked up by the next refresh.
 *
 * The token is a bearer credential: the file's contents live in one
 * bounded buffer that is wiped after the call, and the STS request body
 * that carries it is wiped by sts.c.
 *
 * SPDX-License-Identifier: MIT
 */
#include "source_web_identity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

#if RDSIAM_HTTP

typedef struct web_identity {
    char *token_file, *role_arn, *session_name;
    bool use_env;
    rdsiam__sts_config sts; /* strings owned, res borrowed */
} web_identity;

/* ------------------------------------------------------------------------ */
/* The token file                                                            */
/* ------------------------------------------------------------------------ */

/* Read the token file with the one secret-file reader (O_CLOEXEC |
 * O_NONBLOCK, regular files only, bounded, every chunk wiped). */
static int read_token(const char *path, const char *what, rdsiam__buf *b,
                      rdsiam_error *err)
{
    char name[160];
    int rc;

    snprintf(name, sizeof name, "%s %.100s", what, path);
    rc = rdsiam__file_read(path, name, b->max, RDSIAM_ERR_FILE_IO, 0, b, NULL,
                           err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "web identity");
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Settings                                                                  */
/* ------------------------------------------------------------------------ */

/* The environment's value when allowed and set (botocore tests "in
 * os.environ": an empty variable counts), else the field; *what names it. */
static const char *setting(const web_identity *w, const char *env,
                           const char *field, const char *field_name,
                           const char **what)
{
    const char *v = w->use_env ? rdsiam__getenv(env) : NULL;

    if (v) {
        *what = env;
        return v;
    }
    *what = field_name;
    return field;
}

static int web_identity_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const web_identity *w = self;
    const char *file, *role, *session, *file_what, *role_what, *what;
    char fallback[48];
    rdsiam__buf token;
    bool from_env;

    rdsiam__buf_init(&token, RDSIAM__STS_WEB_TOKEN_MAX);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "web identity: credentials pointer is NULL");
    file = setting(w, RDSIAM__WEB_IDENTITY_TOKEN_FILE_ENV, w->token_file,
                   "web_identity_token_file", &file_what);
    /* botocore: "if not token_path: return None" (empty counts as unset). */
    RDSIAM_ENSURE(err, file && *file, RDSIAM_ERR_NO_CREDENTIALS,
                  "web identity: no token file (%s, web_identity_token_file)",
                  RDSIAM__WEB_IDENTITY_TOKEN_FILE_ENV);
    role = setting(w, RDSIAM__WEB_IDENTITY_ROLE_ARN_ENV, w->role_arn,
                   "role_arn", &role_what);
    from_env = strcmp(file_what, RDSIAM__WEB_IDENTITY_TOKEN_FILE_ENV) == 0;
    /* botocore raises InvalidConfigError here: configured, but broken. */
    RDSIAM_ENSURE(err, role && *role,
                  from_env ? RDSIAM_ERR_ENV_INCOMPLETE
                           : RDSIAM_ERR_PROFILE_INCOMPLETE,
                  "web identity: %s is set but no role ARN is (%s or the "
                  "profile's role_arn)",
                  file_what, RDSIAM__WEB_IDENTITY_ROLE_ARN_ENV);
    session = setting(w, RDSIAM__WEB_IDENTITY_SESSION_ENV, w->session_name,
                      "role_session_name", &what);
    if (!session) {
        /* botocore: f'botocore-session-{int(time.time())}' */
        snprintf(fallback, sizeof fallback, "botocore-session-%" PRId64,
                 rdsiam__now());
        session = fallback;
    }
    RDSIAM_GUARD(read_token(file, file_what, &token, err));
    rc = rdsiam__sts_assume_role_with_web_identity(&w->sts, role, session,
                                                   token.data ? token.data : "",
                                                   token.len, out, err);
    if (rc == RDSIAM_ERR_STS)
        rdsiam__error_prefix(err, "web identity");
    else if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "web identity (%s %.80s)", file_what, file);
done:
    rdsiam__buf_free(&token);
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

static void web_identity_destroy(void *self)
{
    web_identity *w = self;

    if (!w)
        return;
    free(w->token_file);
    free(w->role_arn);
    free(w->session_name);
    rdsiam__sts_config_free(&w->sts);
    free(w);
}

int rdsiam__web_identity_new(rdsiam__source *out,
                             const rdsiam__web_identity_config *cfg,
                             rdsiam_error *err)
{
    static const rdsiam__web_identity_config none;
    web_identity *w;
    bool ok = true;

    if (!out)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "web identity: source is NULL");
    memset(out, 0, sizeof *out);
    if (!cfg)
        cfg = &none;
    w = calloc(1, sizeof *w);
    if (!w)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "web identity: out of memory");
    w->use_env = cfg->use_env;
    w->token_file = rdsiam__strdup_opt(cfg->token_file, &ok);
    w->role_arn = rdsiam__strdup_opt(cfg->role_arn, &ok);
    w->session_name = rdsiam__strdup_opt(cfg->session_name, &ok);
    rdsiam__sts_config_copy(&w->sts, &cfg->sts, &ok);
    if (!ok) {
        web_identity_destroy(w);
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "web identity: out of memory");
    }
    out->name = "web identity";
    out->fetch = web_identity_fetch;
    out->destroy = web_identity_destroy;
    out->self = w;
    rdsiam__ok(err);
    return RDSIAM_OK;
}

/* ------------------------------------------------------------------------ */
/* In a chain: the settings from the resolution                              */
/* ------------------------------------------------------------------------ */

/*
 * botocore's AssumeRoleWithWebIdentityProvider: the profile's
 * web_identity_token_file, role_arn and role_session_name, each beaten by
 * its environment variable unless env vars are disabled, which they are
 * when the caller named the profile (create_credential_resolver:
 * disable_env_vars) and for a source_profile of an assumed role
 * (_resolve_credentials_from_profile: disable_env_vars=True).
 */
static int link_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    rdsiam__bound *l = self;
    rdsiam__web_identity_config cfg = {0};
    rdsiam__source src = {0};
    const rdsiam__profile *p = NULL;
    char region[RDSIAM_REGION_MAX + 1];
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    rc = rdsiam__resolution_profile(l->res, l->profile, &p, err);
    /* A missing default profile leaves the environment to look at. */
    if (rc == RDSIAM_ERR_NO_CREDENTIALS)
        rc = RDSIAM_OK;
    RDSIAM_GUARD(rc);
    if (p) {
        cfg.token_file = rdsiam__profile_get(p, "web_identity_token_file");
        cfg.role_arn = rdsiam__profile_get(p, "role_arn");
        cfg.session_name = rdsiam__profile_get(p, "role_session_name");
    }
    cfg.use_env = !l->profile && !l->res->env_off;
    RDSIAM_ENSURE(err,
                  (cfg.token_file && *cfg.token_file) ||
                      (cfg.use_env && rdsiam__getenv_nonempty(
                                          RDSIAM__WEB_IDENTITY_TOKEN_FILE_ENV)),
                  RDSIAM_ERR_NO_CREDENTIALS, "%s",
                  cfg.use_env ? "no token file (AWS_WEB_IDENTITY_TOKEN_FILE, "
                                "web_identity_token_file)"
                              : "no web_identity_token_file in the profile");
    RDSIAM_GUARD(
        rdsiam__sts_config_of(l->res, region, sizeof region, &cfg.sts, err));
    RDSIAM_GUARD(rdsiam__web_identity_new(&src, &cfg, err));
    rc = src.fetch(src.self, out, err);
done:
    if (src.destroy)
        src.destroy(src.self);
    return rc;
}

int rdsiam__source_web_identity(rdsiam__source *out, rdsiam__resolution *res,
                                const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "web identity", link_fetch, res, profile,
                             err);
}

#endif /* RDSIAM_HTTP */
