/*
 * sts.c - AWS STS AssumeRole and AssumeRoleWithWebIdentity over the Query
 * protocol: endpoint resolution and the form-encoded POST (signed with our
 * own SigV4 header signing for AssumeRole, unsigned for web identity). The
 * XML answer is read by sts_answer.c.
 *
 * Secrets here: the source credentials (signing only), the web identity
 * token (in the request body), and the returned secret key and session
 * token (in the response body and the parser's buffers). Every buffer that
 * holds one is wiped before it is freed; expat allocates through a memory
 * suite that wipes each block it frees, so its copies of the answer are
 * wiped too. The web identity token leads the form, so libcurl's upload
 * buffer keeps none of it; libcurl's copies of the request headers (the
 * session token) and of the answer are freed unwiped (see http.c).
 *
 * References: STS API reference (AssumeRole, AssumeRoleWithWebIdentity,
 * Common Errors); botocore 1.43 (endpoint rules: regional by default since
 * sts_regional_endpoints defaults to "regional"; retry rules in
 * data/_retry.json and retries/standard.py).
 *
 * SPDX-License-Identifier: MIT
 */
#include "sts.h"

#if RDSIAM_HTTP

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "endpoint.h"
#include "http.h"
#include "withhold.h"

static bool sts_retry(void *ctx, long status, const char *body, size_t len)
{
    (void)ctx;
    /* 5xx and 429, then the throttling codes (STS throttles with 400). */
    return rdsiam__http_retry_default(NULL, status, body, len) ||
           rdsiam__sts_retryable_code(body, len);
}

/* ------------------------------------------------------------------------ */
/* The endpoint                                                              */
/* ------------------------------------------------------------------------ */

/* What an STS endpoint may be (endpoint.h): plain http only to loopback;
 * a host name a DNS name, as botocore's is_valid_endpoint_url wants. */
#define POLICY (RDSIAM__ALLOW_LOOPBACK | RDSIAM__URL_DNS)

/* url read by the URL parser, its faults prefixed with source. */
static int parse_url(const char *url, const char *source, rdsiam__url *u,
                     rdsiam_error *err)
{
    rdsiam__url_fault f = rdsiam__url_parse(url, RDSIAM__STS_URL_MAX, POLICY,
                                            u);

    return rdsiam__url_fail(err, f, u, POLICY, RDSIAM__STS_URL_MAX, "%s",
                            source);
}

void rdsiam__sts_endpoint_free(rdsiam__sts_endpoint *ep)
{
    if (!ep)
        return;
    free(ep->url);
    ep->url = NULL;
}

void rdsiam__sts_config_copy(rdsiam__sts_config *out,
                             const rdsiam__sts_config *cfg, bool *ok)
{
    *out = *cfg;
    out->region = rdsiam__strdup_opt(
        cfg->region && *cfg->region ? cfg->region : NULL, ok);
    out->endpoint_url = rdsiam__strdup_opt(cfg->endpoint_url, ok);
    out->ca_file = rdsiam__strdup_opt(cfg->ca_file, ok);
}

/* The strings are the copy's own (rdsiam__sts_config_copy), const only to
 * fit the borrowed-settings type. */
void rdsiam__sts_config_free(rdsiam__sts_config *cfg)
{
    free((char *)(uintptr_t)cfg->region);
    free((char *)(uintptr_t)cfg->endpoint_url);
    free((char *)(uintptr_t)cfg->ca_file);
    memset(cfg, 0, sizeof *cfg);
}

int rdsiam__sts_config_of(rdsiam__resolution *res, char *region, size_t size,
                          rdsiam__sts_config *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__resolution_region(res, region, size, err));
    out->region = region;
    RDSIAM_GUARD(rdsiam__resolution_env_setting(
        res, "AWS_CA_BUNDLE", "ca_bundle", &out->ca_file, err));
    out->timeout_ms = res->timeout_ms;
    out->res = res;
done:
    return rc;
}

/* The URL to call when not the default: the caller's, else the configured
 * one (endpoint.c), copied into ep with where it came from (ep->url[0] ==
 * '\0': none). */
static int configured_url(const rdsiam__sts_config *cfg,
                          rdsiam__endpoint_url *ep, rdsiam_error *err)
{
    if (cfg->endpoint_url) {
        memset(ep, 0, sizeof *ep);
        snprintf(ep->source, sizeof ep->source, "STS endpoint_url");
        if (strlen(cfg->endpoint_url) > RDSIAM__ENDPOINT_MAX)
            return rdsiam__url_fail(err, RDSIAM__URL_TOO_LONG, NULL, POLICY,
                                    RDSIAM__ENDPOINT_MAX, "%s", ep->source);
        snprintf(ep->url, sizeof ep->url, "%s", cfg->endpoint_url);
        return RDSIAM_OK;
    }
    return rdsiam__endpoint_lookup("STS", cfg->res, "sts", ep, err);
}

int rdsiam__sts_resolve_endpoint(const rdsiam__sts_config *cfg,
                                 rdsiam__sts_endpoint *out, rdsiam_error *err)
{
    static const rdsiam__sts_config none;
    int rc = RDSIAM_OK;
    const char *source = "default STS endpoint";
    rdsiam__endpoint_url conf;
    rdsiam__buf b;
    rdsiam__url u;

    rdsiam__buf_init(&b, RDSIAM__STS_URL_MAX + 1);
    if (!out)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "STS endpoint output is NULL");
    memset(out, 0, sizeof *out);
    if (!cfg)
        cfg = &none;
    if (cfg->region) {
        rc = rdsiam__check_region(cfg->region, NULL, err);
        if (rc != RDSIAM_OK) {
            rdsiam__error_prefix(err, "STS region");
            goto done;
        }
    }
    /* With no region botocore calls the global endpoint and signs for
     * us-east-1; a custom endpoint without a region is signed the same. */
    snprintf(out->region, sizeof out->region, "%s",
             cfg->region ? cfg->region : "us-east-1");
    RDSIAM_GUARD(configured_url(cfg, &conf, err));
    if (conf.url[0]) {
        snprintf(out->source, sizeof out->source, "%s", conf.source);
        source = out->source;
        RDSIAM_GUARD(rdsiam__buf_append_str(&b, conf.url));
    } else if (cfg->region) {
        RDSIAM_GUARD(
            rdsiam__buf_printf(&b, "https://sts.%s.%s", cfg->region,
                               rdsiam__partition_dns_suffix(cfg->region)));
    } else {
        RDSIAM_GUARD(rdsiam__buf_append_str(&b, "https://sts.amazonaws.com"));
    }
    RDSIAM_GUARD(parse_url(b.data, source, &u, err));
    out->plain_http = !u.https;
    if (source != out->source)
        snprintf(out->source, sizeof out->source, "%s", source);
    out->url = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, out->url != NULL, RDSIAM_ERR_NO_MEMORY,
                  "%s: out of memory", source);
done:
    rdsiam__buf_free(&b);
    if (rc == RDSIAM_ERR_SIGV4_TOO_LARGE) /* the buffer's hard maximum */
        rc = rdsiam__url_fail(err, RDSIAM__URL_TOO_LONG, NULL, POLICY,
                              RDSIAM__STS_URL_MAX, "%s", source);
    else if (rc == RDSIAM_ERR_NO_MEMORY)
        rc = rdsiam__fail(err, rc, "%s: out of memory", source);
    if (rc != RDSIAM_OK)
        rdsiam__sts_endpoint_free(out);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The request                                                               */
/* ------------------------------------------------------------------------ */

/* The Query protocol's form encoding as botocore writes it: RFC 3986
 * unreserved characters as is, every other byte %XX. */
static int form_add(rdsiam__buf *b, const char *name, const char *value,
                    size_t n)
{
    int rc = RDSIAM_OK;
    size_t i;

    if (b->len)
        RDSIAM_GUARD(rdsiam__buf_append_char(b, '&'));
    RDSIAM_GUARD(rdsiam__buf_append_str(b, name));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '='));
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];

        if (RDSIAM__UNRESERVED(c))
            RDSIAM_GUARD(rdsiam__buf_append_char(b, (char)c));
        else
            RDSIAM_GUARD(rdsiam__buf_printf(b, "%%%02X", c));
    }
done:
    return rc;
}

static bool all_in(const char *s, size_t n, const char *extra)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || (c && strchr(extra, c))))
            return false;
    }
    return true;
}

/* The parameters STS would refuse, refused here with a message naming
 * them (STS API reference: RoleArn 20..2048; RoleSessionName 2..64 of
 * [\w+=,.@-]; ExternalId 2..1224 of [\w+=,.@:/-]; DurationSeconds
 * 900..43200). */
static int check_params(const char *role_arn, const char *session_name,
                        const char *external_id, unsigned int duration,
                        rdsiam_error *err)
{
    size_t n;

    if (!role_arn || !session_name)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "role_arn or role_session_name is NULL");
    n = strlen(role_arn);
    if (n < 20 || n > 2048 || !all_in(role_arn, n, "+=,.@:/_-"))
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "role_arn is not an ARN of 20..2048 characters");
    n = strlen(session_name);
    if (n < 2 || n > RDSIAM__STS_SESSION_NAME_MAX ||
        !all_in(session_name, n, "_+=,.@-"))
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "role_session_name must be 2..64 of "
                            "A-Za-z0-9_+=,.@-");
    if (external_id) {
        n = strlen(external_id);
        if (n < 2 || n > 1224 || !all_in(external_id, n, "_+=,.@:/-"))
            return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                                "external_id must be 2..1224 of "
                                "A-Za-z0-9_+=,.@:/-");
    }
    if (duration && (duration < 900 || duration > 43200))
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "duration_seconds must be 900..43200");
    return RDSIAM_OK;
}

/* One STS call, described for send(). */
typedef struct sts_call {
    const char *action;
    const rdsiam__buf *body;          /* the form */
    const rdsiam_credentials *signer; /* NULL: unsigned */
    /* Strings that must never appear in a message (what was sent). */
    rdsiam__sent secrets[2];
} sts_call;

#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

/* Sign the form with call->signer: fills res and the extra headers. */
static int sign(const sts_call *call, const rdsiam__sts_endpoint *ep,
                const char *host, const char *path, rdsiam_sigv4_result *res,
                rdsiam_error *err)
{
    rdsiam_header hs[2] = {{"Content-Type", CONTENT_TYPE}, {"Host", host}};
    rdsiam_sigv4_request r;
    rdsiam_sigv4_params p;
    int rc;

    memset(&r, 0, sizeof r);
    r.method = "POST";
    r.path = path;
    r.query = "";
    r.headers = hs;
    r.header_count = 2;
    r.body = (const unsigned char *)call->body->data;
    r.body_len = call->body->len;
    memset(&p, 0, sizeof p);
    p.region = ep->region;
    p.service = "sts";
    rc = rdsiam_sigv4_sign_headers(&r, &p, call->signer, res, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "signing STS %s", call->action);
    return rc;
}

static int send_call(const rdsiam__sts_config *cfg, const sts_call *call,
                     rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    rdsiam__sts_endpoint ep;
    rdsiam_sigv4_result res;
    rdsiam__http_header hs[5];
    rdsiam__http_request req;
    rdsiam__buf answer;
    rdsiam__url u;
    char host[300];
    size_t n = 0;
    long status = 0;

    memset(&ep, 0, sizeof ep);
    memset(&res, 0, sizeof res);
    rdsiam__buf_init(&answer, RDSIAM__STS_MAX_BODY);
    RDSIAM_GUARD(rdsiam__sts_resolve_endpoint(cfg, &ep, err));
    /* The Host header is the authority as written; the path is signed as
     * written (no query or fragment: it runs to the end). */
    RDSIAM_GUARD(parse_url(ep.url, ep.source, &u, err));
    RDSIAM_ENSURE(err, u.authority_len < sizeof host, RDSIAM_ERR_URI_INVALID,
                  "%s: host too long", ep.source);
    memcpy(host, u.authority, u.authority_len);
    host[u.authority_len] = '\0';
    hs[n++] = (rdsiam__http_header){"Content-Type", CONTENT_TYPE, false};
    hs[n++] = (rdsiam__http_header){"Host", host, false};
    hs[n++] = (rdsiam__http_header){"Accept", "text/xml", false};
    memset(&req, 0, sizeof req);
    if (call->signer) {
        RDSIAM_GUARD(sign(call, &ep, host, u.path_len ? u.path : "/", &res,
                          err));
        hs[n++] = (rdsiam__http_header){"X-Amz-Date", res.amz_date, false};
        if (rdsiam__session_token(call->signer))
            hs[n++] = (rdsiam__http_header){"X-Amz-Security-Token",
                                            rdsiam__session_token(call->signer),
                                            true};
        req.authorization = res.authorization;
    }
    req.method = "POST";
    req.url = ep.url;
    req.headers = hs;
    req.n_headers = n;
    req.body = call->body->data;
    req.body_len = call->body->len;
    req.ca_file = cfg->ca_file;
    req.timeout_ms =
        cfg->timeout_ms > 0 ? cfg->timeout_ms : RDSIAM__STS_TIMEOUT_MS;
    req.retries =
        (cfg->max_attempts ? cfg->max_attempts : RDSIAM__STS_ATTEMPTS) - 1;
    req.backoff_ms = cfg->backoff_ms;
    req.retry_status = sts_retry;
    req.any_status = true;
    req.max_body = RDSIAM__STS_MAX_BODY;
    if (ep.plain_http) {
        req.no_proxy = true;
        req.allow_addr = rdsiam__endpoint_addr_loopback;
    }
    rc = rdsiam__http_perform(&req, &answer, &status, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "STS %s", call->action);
        goto done;
    }
    rc = rdsiam__sts_parse(call->action, status, answer.data, answer.len, out,
                           err);
    /* STS's own errors name the action already, in full. */
    if (rc != RDSIAM_OK && rc != RDSIAM_ERR_STS)
        rdsiam__error_prefix(err, "STS %s", call->action);
done:
    /* What the answer said is shown (an STS Message, an Expiration)
     * only when it quotes nothing that was sent as a secret: a
     * misbehaving endpoint could echo the request. */
    if (rc != RDSIAM_OK) {
        char who[64];

        snprintf(who, sizeof who, "STS %s", call->action);
        rdsiam__withhold_sent(err, who, call->secrets, 2);
    }
    rdsiam__buf_free(&answer);
    rdsiam_sigv4_result_free(&res);
    rdsiam__sts_endpoint_free(&ep);
    return rc;
}

int rdsiam__sts_assume_role(const rdsiam__sts_config *cfg,
                            const rdsiam_credentials *source,
                            const char *role_arn, const char *session_name,
                            const char *external_id,
                            unsigned int duration_seconds, rdsiam__creds *out,
                            rdsiam_error *err)
{
    static const rdsiam__sts_config none;
    int rc = RDSIAM_OK;
    rdsiam__buf form;
    sts_call call;
    char duration[16];

    rdsiam__buf_init(&form, 8192);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "STS AssumeRole: output is NULL");
    rc = rdsiam__check_credentials(source, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "STS AssumeRole: source credentials");
        goto done;
    }
    rc = check_params(role_arn, session_name, external_id, duration_seconds,
                      err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "STS AssumeRole");
        goto done;
    }
    RDSIAM_GUARD(form_add(&form, "Action", "AssumeRole", 10));
    RDSIAM_GUARD(form_add(&form, "Version", RDSIAM__STS_API_VERSION, 10));
    RDSIAM_GUARD(form_add(&form, "RoleArn", role_arn, strlen(role_arn)));
    RDSIAM_GUARD(
        form_add(&form, "RoleSessionName", session_name, strlen(session_name)));
    if (duration_seconds) {
        snprintf(duration, sizeof duration, "%u", duration_seconds);
        RDSIAM_GUARD(
            form_add(&form, "DurationSeconds", duration, strlen(duration)));
    }
    if (external_id)
        RDSIAM_GUARD(
            form_add(&form, "ExternalId", external_id, strlen(external_id)));
    memset(&call, 0, sizeof call);
    call.action = "AssumeRole";
    call.body = &form;
    call.signer = source;
    call.secrets[0].text = source->secret_access_key;
    call.secrets[0].len = strlen(source->secret_access_key);
    call.secrets[1].text = rdsiam__session_token(source);
    call.secrets[1].len =
        call.secrets[1].text ? strlen(call.secrets[1].text) : 0;
    rc = send_call(cfg ? cfg : &none, &call, out, err);
done:
    rdsiam__buf_free(&form);
    if (rc == RDSIAM_ERR_NO_MEMORY)
        rdsiam__fail(err, rc, "STS AssumeRole: out of memory");
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

int rdsiam__sts_assume_role_with_web_identity(
    const rdsiam__sts_config *cfg, const char *role_arn,
    const char *session_name, const char *token, size_t token_len,
    rdsiam__creds *out, rdsiam_error *err)
{
    static const rdsiam__sts_config none;
    int rc = RDSIAM_OK;
    rdsiam__buf form;
    sts_call call;

    /* Every byte of the token may become %XX. */
    rdsiam__buf_init(&form, 3 * RDSIAM__STS_WEB_TOKEN_MAX + 8192);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out != NULL && token != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "STS AssumeRoleWithWebIdentity: token or output is NULL");
    RDSIAM_ENSURE(err, token_len >= 4 && token_len <= RDSIAM__STS_WEB_TOKEN_MAX,
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "STS AssumeRoleWithWebIdentity: the web identity token is "
                  "%zu bytes, not 4..%d",
                  token_len, RDSIAM__STS_WEB_TOKEN_MAX);
    RDSIAM_ENSURE(err, !memchr(token, '\0', token_len),
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "STS AssumeRoleWithWebIdentity: the web identity token "
                  "contains a NUL byte");
    rc = check_params(role_arn, session_name, NULL, 0, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "STS AssumeRoleWithWebIdentity");
        goto done;
    }
    RDSIAM_GUARD(form_add(&form, "Action", "AssumeRoleWithWebIdentity", 25));
    RDSIAM_GUARD(form_add(&form, "Version", RDSIAM__STS_API_VERSION, 10));
    /* The token before the fields that are not secret: the body's last
     * bytes are the ones libcurl's upload buffer keeps (http.c). The
     * Query protocol does not care about order. */
    RDSIAM_GUARD(form_add(&form, "WebIdentityToken", token, token_len));
    RDSIAM_GUARD(form_add(&form, "RoleArn", role_arn, strlen(role_arn)));
    RDSIAM_GUARD(
        form_add(&form, "RoleSessionName", session_name, strlen(session_name)));
    memset(&call, 0, sizeof call);
    call.action = "AssumeRoleWithWebIdentity";
    call.body = &form;
    call.secrets[0].text = token;
    call.secrets[0].len = token_len;
    rc = send_call(cfg ? cfg : &none, &call, out, err);
done:
    rdsiam__buf_free(&form); /* wipes the token's copy */
    if (rc == RDSIAM_ERR_NO_MEMORY)
        rdsiam__fail(err, rc, "STS AssumeRoleWithWebIdentity: out of memory");
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

#endif /* RDSIAM_HTTP */
