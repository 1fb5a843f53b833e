/*
 * source_sso.c - credentials for an IAM Identity Center (SSO) profile, from
 * the portal's GetRoleCredentials with the access token `aws sso login`
 * leaves in ~/.aws/sso/cache/ (sso_token.c reads it, and refreshes it in
 * the sso_session form).
 *
 * Behaviour follows botocore 1.43 (credentials.py SSOProvider and
 * SSOCredentialFetcher):
 *   - both profile forms: sso_session naming an [sso-session NAME] section,
 *     and the legacy sso_start_url / sso_region in the profile;
 *   - an expired token is refused before the portal is asked
 *     (UnauthorizedSSOTokenError);
 *   - GET /federation/credentials?role_name=R&account_id=A with the token
 *     in x-amz-sso_bearer_token, unsigned; 401 (UnauthorizedException)
 *     means the session is over;
 *   - roleCredentials.expiration is in milliseconds since the epoch.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "http.h"
#include "json_reader.h"
#include "source_sso.h"
#include "sso_token.h"
#include "withhold.h"

/* ------------------------------------------------------------------------ */
/* The portal's answer                                                       */
/* ------------------------------------------------------------------------ */

int rdsiam__sso_parse_credentials(const char *body, size_t len,
                                  rdsiam__creds *out, rdsiam_error *err)
{
    static const char what[] = "the portal's answer";
    int rc = RDSIAM_OK;
    rdsiam__json *j = NULL, *rcj = NULL;
    const char *ak = NULL, *sk = NULL, *st = NULL;
    int64_t ms = 0;

    RDSIAM_ENSURE(err, body && out, RDSIAM_ERR_NULL_ARGUMENT,
                  "IAM Identity Center: body or credentials is NULL");
    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__json_parse(body, len, "IAM Identity Center", what,
                                    RDSIAM_ERR_JSON, &j, err));
    RDSIAM_GUARD(rdsiam__json_object(j, "roleCredentials", &rcj, err));
    RDSIAM_GUARD(rdsiam__json_string(rcj, "accessKeyId", true, &ak, err));
    RDSIAM_GUARD(rdsiam__json_string(rcj, "secretAccessKey", true, &sk, err));
    RDSIAM_GUARD(rdsiam__json_string(rcj, "sessionToken", true, &st, err));
    /* Role credentials are temporary: without their token they sign
     * nothing a service takes. */
    RDSIAM_ENSURE(err, *st, RDSIAM_ERR_JSON,
                  "IAM Identity Center: sessionToken in %s is empty", what);
    RDSIAM_GUARD(rdsiam__json_int(rcj, "expiration", &ms, err));
    /* SSOCredentialFetcher._parse_timestamp: milliseconds / 1000 */
    RDSIAM_ENSURE(err, ms > 0 && ms / 1000 <= RDSIAM__TIME_MAX, RDSIAM_ERR_JSON,
                  "IAM Identity Center: expiration in %s is not a time in "
                  "milliseconds since 1970",
                  what);
    RDSIAM_GUARD(
        rdsiam__creds_set(out, ak, sk, st, "IAM Identity Center answer", err));
    out->expires = true;
    out->expiration = ms / 1000;
    RDSIAM_ENSURE(err, out->expiration > rdsiam__now(),
                  RDSIAM_ERR_CREDENTIALS_EXPIRED,
                  "IAM Identity Center: the portal returned credentials that "
                  "have already expired");
done:
    rdsiam__json_free(rcj);
    rdsiam__json_free(j);
    if (rc != RDSIAM_OK && out)
        rdsiam__creds_clear(out);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The portal endpoint                                                       */
/* ------------------------------------------------------------------------ */

/* Percent-encode s (RFC 3986 unreserved kept) onto b. */
static int append_encoded(rdsiam__buf *b, const char *s)
{
    size_t n = strlen(s), need = rdsiam__uri_encoded_len(s, n);
    char *tmp;
    int rc;

    tmp = malloc(need + 1);
    if (!tmp)
        return RDSIAM_ERR_NO_MEMORY;
    rdsiam__uri_encode(tmp, s, n);
    rc = rdsiam__buf_append(b, tmp, need);
    free(tmp);
    return rc;
}

int rdsiam__sso_portal_url(const rdsiam__sso_config *cfg, char **url,
                           rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    rdsiam__buf b;

    if (!cfg || !url)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "IAM Identity Center: config or url is NULL");
    *url = NULL;
    rdsiam__buf_init(&b, RDSIAM__SSO_URL_MAX);
    /* botocore's sso endpoint: https://portal.sso.{Region}.{dnsSuffix} */
    RDSIAM_GUARD(rdsiam__sso_service_url(cfg, "sso", "portal.sso", &b, err));
    /* GetRoleCredentials: roleName -> role_name, accountId -> account_id
     * (query string, in the order of the API model). */
    rc = rdsiam__buf_append_str(&b, "/federation/credentials?role_name=");
    if (rc == RDSIAM_OK)
        rc = append_encoded(&b, cfg->role_name);
    if (rc == RDSIAM_OK)
        rc = rdsiam__buf_append_str(&b, "&account_id=");
    if (rc == RDSIAM_OK)
        rc = append_encoded(&b, cfg->account_id);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc,
                  "IAM Identity Center: URL too long");
    *url = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, *url != NULL, RDSIAM_ERR_NO_MEMORY,
                  "IAM Identity Center: out of memory");
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The source                                                                */
/* ------------------------------------------------------------------------ */

#if RDSIAM_HTTP

/* The profile's name for messages (the source keeps a printable copy). */
static const char *profile_name(const rdsiam__sso_config *cfg)
{
    return cfg->profile ? cfg->profile : "default";
}

typedef struct sso_source {
    rdsiam__sso_config cfg; /* every string owned */
} sso_source;

static void config_free(rdsiam__sso_config *c)
{
    free((char *)(uintptr_t)c->profile);
    free((char *)(uintptr_t)c->session_name);
    free((char *)(uintptr_t)c->start_url);
    free((char *)(uintptr_t)c->region);
    free((char *)(uintptr_t)c->account_id);
    free((char *)(uintptr_t)c->role_name);
    free((char *)(uintptr_t)c->ca_file);
    memset(c, 0, sizeof *c);
}

static void sso_destroy(void *self)
{
    sso_source *src = self;

    if (!src)
        return;
    config_free(&src->cfg);
    free(src);
}

/* botocore SSOProvider._load_sso_config: "The profile "NAME" is configured
 * to use SSO but is missing required configuration: a, b". */
static int check_config(const rdsiam__sso_config *cfg, rdsiam_error *err)
{
    char missing[128] = "", shown[101];
    size_t o = 0;
    const char *names[4] = {NULL, NULL, NULL, NULL};
    int i, k = 0;

    if (!cfg->role_name || !*cfg->role_name)
        names[k++] = "sso_role_name";
    if (!cfg->account_id || !*cfg->account_id)
        names[k++] = "sso_account_id";
    if (!cfg->start_url || !*cfg->start_url)
        names[k++] = "sso_start_url";
    if (!cfg->region || !*cfg->region)
        names[k++] = "sso_region";
    if (k == 0)
        return RDSIAM_OK;
    for (i = 0; i < k; i++) {
        int w = snprintf(missing + o, sizeof missing - o, "%s%s", i ? ", " : "",
                         names[i]);
        if (w > 0 && (size_t)w < sizeof missing - o)
            o += (size_t)w;
    }
    rdsiam__printable(shown, sizeof shown, profile_name(cfg));
    return rdsiam__fail(err, RDSIAM_ERR_PROFILE_INCOMPLETE,
                        "IAM Identity Center: the profile \"%s\" is "
                        "configured to use SSO but is missing required "
                        "configuration: %s",
                        shown, missing);
}

/* A portal error answer as a message. */
static int portal_error(const sso_source *src, long status, const char *where,
                        rdsiam_error *err)
{
    const rdsiam__sso_config *c = &src->cfg;
    char role[65], account[33];

    rdsiam__printable(role, sizeof role, c->role_name);
    rdsiam__printable(account, sizeof account, c->account_id);

    if (status == 401)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "IAM Identity Center: the portal refused the SSO "
                            "token (HTTP 401 UnauthorizedException): the "
                            "session has expired or is otherwise invalid; run "
                            "`aws sso login --profile %.100s`",
                            profile_name(c));
    if (status == 403)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "IAM Identity Center: the portal refused role "
                            "\"%s\" in account \"%s\" (HTTP 403 "
                            "ForbiddenException): check sso_role_name and "
                            "sso_account_id of profile \"%.100s\"",
                            role, account, profile_name(c));
    return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                        "IAM Identity Center: GET %s: HTTP status %ld", where,
                        status);
}

static int sso_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const sso_source *src = self;
    char *url = NULL, *token = NULL;
    char where[160];
    rdsiam__http_header hdr;
    rdsiam__http_request req;
    rdsiam__buf body;
    long status = 0;

    rdsiam__buf_init(&body, RDSIAM__HTTP_MAX_BODY);
    RDSIAM_ENSURE(err, out != NULL && src != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "IAM Identity Center: credentials pointer is NULL");
    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__sso_portal_url(&src->cfg, &url, err));
    RDSIAM_GUARD(rdsiam__sso_token_get(&src->cfg, &token, err));
    rdsiam__http_url_for_message(url, where, sizeof where);
    hdr.name = "x-amz-sso_bearer_token";
    hdr.value = token;
    hdr.secret = true;
    memset(&req, 0, sizeof req);
    req.method = "GET";
    req.url = url;
    req.headers = &hdr;
    req.n_headers = 1;
    req.timeout_ms = src->cfg.timeout_ms;
    req.ca_file = src->cfg.ca_file;
    req.retries = RDSIAM__HTTP_RETRIES; /* 5xx and 429 */
    req.any_status = true;
    rdsiam__endpoint_restrict(&req);
    rc = rdsiam__http_perform(&req, &body, &status, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "IAM Identity Center");
        goto done;
    }
    if (status != 200)
        RDSIAM_GUARD(portal_error(src, status, where, err));
    RDSIAM_GUARD(rdsiam__sso_parse_credentials(body.data, body.len, out, err));
done:
    if (rc != RDSIAM_OK && token) {
        /* The answer's member names may be shown: never an echo of the
         * access token. */
        rdsiam__sent sent = {token, strlen(token)};
        rdsiam__withhold_sent(err, "IAM Identity Center", &sent, 1);
    }
    rdsiam__buf_free(&body);
    rdsiam__free_secret_str(token);
    free(url);
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

int rdsiam__sso_new(rdsiam__source *out, const rdsiam__sso_config *cfg,
                    rdsiam_error *err)
{
    sso_source *src;
    bool ok = true;
    int rc;

    if (!out || !cfg)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "IAM Identity Center: source or config is NULL");
    memset(out, 0, sizeof *out);
    rc = check_config(cfg, err);
    if (rc != RDSIAM_OK)
        return rc;
    src = calloc(1, sizeof *src);
    if (!src)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "IAM Identity Center: out of memory");
    src->cfg.profile = rdsiam__strdup_opt(cfg->profile, &ok);
    src->cfg.session_name = rdsiam__strdup_opt(cfg->session_name, &ok);
    src->cfg.start_url = rdsiam__strdup_opt(cfg->start_url, &ok);
    src->cfg.region = rdsiam__strdup_opt(cfg->region, &ok);
    src->cfg.account_id = rdsiam__strdup_opt(cfg->account_id, &ok);
    src->cfg.role_name = rdsiam__strdup_opt(cfg->role_name, &ok);
    src->cfg.timeout_ms = cfg->timeout_ms;
    src->cfg.ca_file = rdsiam__strdup_opt(cfg->ca_file, &ok);
    src->cfg.res = cfg->res;
    /* The name only ever appears in messages: keep it printable. */
    if (src->cfg.profile)
        rdsiam__printable((char *)(uintptr_t)src->cfg.profile,
                          strlen(src->cfg.profile) + 1, src->cfg.profile);
    if (!ok) {
        sso_destroy(src);
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "IAM Identity Center: out of memory");
    }
    out->name = "sso";
    out->fetch = sso_fetch;
    out->destroy = sso_destroy;
    out->self = src;
    rdsiam__ok(err);
    return RDSIAM_OK;
}

/* ------------------------------------------------------------------------ */
/* In a chain: the settings of a profile and its sso-session                 */
/* ------------------------------------------------------------------------ */

/* botocore _resolve_sso_session_reference: a key set in both the profile
 * and the [sso-session NAME] section must agree; the section's wins. */
static int session_value(const rdsiam__profile *p, const rdsiam__profile *s,
                         const char *key, const char *pname, const char *sname,
                         const char **out, rdsiam_error *err)
{
    const char *pv = rdsiam__profile_get(p, key);
    const char *sv = rdsiam__profile_get(s, key);
    char a[101], b[101];

    *out = sv ? sv : pv;
    if (sv && pv && strcmp(sv, pv) != 0) {
        rdsiam__printable(a, sizeof a, pname);
        rdsiam__printable(b, sizeof b, sname);
        return rdsiam__fail(err, RDSIAM_ERR_PROFILE_INVALID,
                            "IAM Identity Center: %s differs between profile "
                            "\"%s\" and sso-session \"%s\"",
                            key, a, b);
    }
    return RDSIAM_OK;
}

static int link_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    rdsiam__bound *l = self;
    const char *name = rdsiam__bound_profile(l);
    const rdsiam__profile *p = NULL, *sess = NULL;
    const rdsiam__profile_set *set = NULL;
    rdsiam__sso_config cfg = {0};
    rdsiam__source src = {0};
    char shown[101];
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__resolution_profile(l->res, l->profile, &p, err));
    /* "Role name & Account ID indicate the cred provider should be used" */
    RDSIAM_ENSURE(err,
                  rdsiam__profile_get(p, "sso_role_name") ||
                      rdsiam__profile_get(p, "sso_account_id"),
                  RDSIAM_ERR_NO_CREDENTIALS,
                  "profile %s has no sso_account_id or sso_role_name", name);
    cfg.profile = name;
    cfg.session_name = rdsiam__profile_get(p, "sso_session");
    cfg.start_url = rdsiam__profile_get(p, "sso_start_url");
    cfg.region = rdsiam__profile_get(p, "sso_region");
    cfg.account_id = rdsiam__profile_get(p, "sso_account_id");
    cfg.role_name = rdsiam__profile_get(p, "sso_role_name");
    if (cfg.session_name) {
        RDSIAM_GUARD(rdsiam__resolution_files(l->res, &set, NULL, err));
        sess = rdsiam__profile_find_sso(set, cfg.session_name);
        rdsiam__printable(shown, sizeof shown, cfg.session_name);
        RDSIAM_ENSURE(err, sess, RDSIAM_ERR_PROFILE_INVALID,
                      "IAM Identity Center: the specified sso-session does "
                      "not exist: \"%s\"",
                      shown);
        RDSIAM_GUARD(session_value(p, sess, "sso_start_url", name,
                                   cfg.session_name, &cfg.start_url, err));
        RDSIAM_GUARD(session_value(p, sess, "sso_region", name,
                                   cfg.session_name, &cfg.region, err));
    }
    cfg.timeout_ms = l->res->timeout_ms;
    cfg.res = l->res;
    RDSIAM_GUARD(rdsiam__resolution_env_setting(
        l->res, "AWS_CA_BUNDLE", "ca_bundle", &cfg.ca_file, err));
    RDSIAM_GUARD(rdsiam__sso_new(&src, &cfg, err));
    rc = src.fetch(src.self, out, err);
done:
    if (src.destroy)
        src.destroy(src.self);
    return rc;
}

int rdsiam__source_sso(rdsiam__source *out, rdsiam__resolution *res,
                       const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "sso", link_fetch, res, profile, err);
}

#endif /* RDSIAM_HTTP */
