/*
 * source_imds.c - credentials of the IAM role attached to an EC2 instance,
 * from the instance metadata service (IMDS).
 *
 * Behaviour follows botocore 1.43 (utils.py IMDSFetcher and
 * InstanceMetadataFetcher, credentials.py create_credential_resolver) and
 * the conformance data in aws-config/imds-endpoint-tests.json:
 *   - IMDSv2: "PUT /latest/api/token" with
 *     "x-aws-ec2-metadata-token-ttl-seconds: 21600"; the token goes in the
 *     "x-aws-ec2-metadata-token" header of the two GETs (role name, then
 *     the role's credentials);
 *   - the token request gives no token (and IMDSv1 is tried, unless
 *     disabled) when it is answered 403, 404 or 405, when an attempt times
 *     out (botocore returns at once on ReadTimeoutError), or when every
 *     attempt failed otherwise; 400 is an error;
 *   - each GET is tried up to num_attempts times while the answer is not
 *     200, is empty, or (credentials) is not JSON; the attempts, their
 *     backoff (after any failure: 100, 200, 400, 800 ms; botocore does not
 *     wait) and the timeouts are lib/http.c's, which reports a timeout as
 *     one (CURLE_OPERATION_TIMEDOUT) and whether the request went out;
 *   - timeout and attempts from AWS_METADATA_SERVICE_TIMEOUT (seconds,
 *     default 1) and AWS_METADATA_SERVICE_NUM_ATTEMPTS (default 1);
 *   - AWS_EC2_METADATA_DISABLED=true turns the source off;
 *   - credentials about to expire are extended (static stability).
 * Differences, on purpose: the session token is kept and reused until
 * shortly before its TTL (botocore asks for a new one on every refresh),
 * and a 401 with a kept token gets one new token and one more try; the
 * metadata endpoint is never reached through a proxy; botocore logs and
 * returns "no credentials" for every failure, while this source returns
 * RDSIAM_ERR_NO_CREDENTIALS only where there is no instance role to be had
 * (nothing took the request: not on EC2; or no role attached) and a
 * precise error otherwise (an answer too large or broken, a timeout after
 * the request went out).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "endpoint.h"
#include "http.h"
#include "json_creds.h"
#include "source_imds.h"
#include "withhold.h"

#define ENV_DISABLED "AWS_EC2_METADATA_DISABLED"
#define ENV_V1_DISABLED "AWS_EC2_METADATA_V1_DISABLED"
#define ENV_ENDPOINT "AWS_EC2_METADATA_SERVICE_ENDPOINT"
#define ENV_MODE "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"
#define ENV_USE_IPV6 "AWS_IMDS_USE_IPV6"
#define ENV_TIMEOUT "AWS_METADATA_SERVICE_TIMEOUT"
#define ENV_ATTEMPTS "AWS_METADATA_SERVICE_NUM_ATTEMPTS"

/* botocore _evaluate_expiration: the refresh window is the config's
 * ec2_credential_refresh_window, which create_credential_resolver sets to
 * _DEFAULT_ADVISORY_REFRESH_TIMEOUT (15 minutes); jitter 2..10 minutes. */
#define EXTEND_WINDOW 900
#define EXTEND_JITTER_MIN 120
#define EXTEND_JITTER_MAX 600

/* A session token is opaque; real ones are ~56 base64 characters. */
#define TOKEN_MAX 4096
/* IAM role names: at most 64 characters of [A-Za-z0-9+=,.@_-]. */
#define ROLE_MAX 64

/* ------------------------------------------------------------------------ */
/* Settings                                                                  */
/* ------------------------------------------------------------------------ */

/* botocore ensure_boolean: true exactly when the text is "true" in any
 * case; every other value is false. */
static bool is_true(const char *v)
{
    return v && strcasecmp(v, "true") == 0;
}

/* The environment variable when set, else the profile value. *from names
 * where it came from, for messages. */
static const char *pick(const char *env, const char *profile_value,
                        const char *profile_key, const char **from)
{
    const char *v = rdsiam__getenv(env);

    *from = env;
    if (v)
        return v;
    *from = profile_key;
    return profile_value;
}

/* Whole number in 1..max, digits only. */
static int parse_count(const char *v, const char *from, long max, long *out,
                       rdsiam_error *err)
{
    long n = 0;
    const char *p = v;
    char shown[24];

    rdsiam__printable(shown, sizeof shown, v);
    if (!*p)
        return rdsiam__fail(err, RDSIAM_ERR_ENV_INVALID,
                            "instance metadata: %s is empty", from);
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || n > max)
            return rdsiam__fail(err, RDSIAM_ERR_ENV_INVALID,
                                "instance metadata: %s \"%s\" is not a whole "
                                "number from 1 to %ld",
                                from, shown, max);
        n = n * 10 + (*p - '0');
    }
    if (n < 1 || n > max)
        return rdsiam__fail(err, RDSIAM_ERR_ENV_INVALID,
                            "instance metadata: %s \"%s\" is not a whole "
                            "number from 1 to %ld",
                            from, shown, max);
    *out = n;
    return RDSIAM_OK;
}

/* "IPv4" / "IPv6" in any case (botocore lowercases and compares). */
static int parse_mode(const char *v, const char *from, bool *ipv6,
                      rdsiam_error *err)
{
    char shown[40];

    if (strcasecmp(v, "ipv4") == 0) {
        *ipv6 = false;
        return RDSIAM_OK;
    }
    if (strcasecmp(v, "ipv6") == 0) {
        *ipv6 = true;
        return RDSIAM_OK;
    }
    rdsiam__printable(shown, sizeof shown, v);
    return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                        "instance metadata: %s: `%s` is not a valid endpoint "
                        "mode (valid, in any case: IPv4, IPv6)",
                        from, shown);
}

/* What an endpoint may be (endpoint.h): http or https to any host, a
 * host name a DNS name (botocore's is_valid_uri: is_valid_endpoint_url or
 * is_valid_ipv6_endpoint_url); no user information, query or fragment. */
#define POLICY (RDSIAM__ALLOW_ANY | RDSIAM__URL_DNS)

static int check_endpoint(const char *url, const char *from, rdsiam_error *err)
{
    rdsiam__url u;
    rdsiam__url_fault f = rdsiam__url_parse(url, RDSIAM__IMDS_URI_MAX, POLICY,
                                            &u);

    return rdsiam__url_fail(err, f, &u, POLICY, RDSIAM__IMDS_URI_MAX,
                            "instance metadata: %s is not a valid endpoint",
                            from);
}

/* The endpoint mode in force: code, environment, profile, then the older
 * imds_use_ipv6 switch (botocore resolve_imds_endpoint_mode). */
static int resolve_mode(const rdsiam__imds_config *cfg, bool *ipv6,
                        rdsiam_error *err)
{
    const char *from, *v;

    *ipv6 = false;
    if (cfg->endpoint_mode)
        return parse_mode(cfg->endpoint_mode, "the endpoint mode option", ipv6,
                          err);
    v = pick(ENV_MODE, cfg->profile_endpoint_mode,
             "profile setting ec2_metadata_service_endpoint_mode", &from);
    if (v)
        return parse_mode(v, from, ipv6, err);
    *ipv6 = is_true(pick(ENV_USE_IPV6, cfg->profile_use_ipv6,
                         "profile setting imds_use_ipv6", &from));
    return RDSIAM_OK;
}

static int resolve_base(const rdsiam__imds_config *cfg, char **base,
                        rdsiam_error *err)
{
    const char *from = "the endpoint option", *v;
    bool ipv6;
    int rc;

    rc = resolve_mode(cfg, &ipv6, err);
    if (rc != RDSIAM_OK)
        return rc;
    v = cfg->endpoint;
    if (!v)
        v = pick(ENV_ENDPOINT, cfg->profile_endpoint,
                 "profile setting ec2_metadata_service_endpoint", &from);
    if (v) {
        rc = check_endpoint(v, from, err);
        if (rc != RDSIAM_OK)
            return rc;
    } else {
        v = ipv6 ? RDSIAM__IMDS_BASE_IPV6 : RDSIAM__IMDS_BASE_IPV4;
    }
    *base = rdsiam__strdup(v);
    return *base ? RDSIAM_OK
                 : rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                                "instance metadata: out of memory");
}

int rdsiam__imds_settings_resolve(const rdsiam__imds_config *cfg,
                                  rdsiam__imds_settings *out, rdsiam_error *err)
{
    static const rdsiam__imds_config none;
    int rc = RDSIAM_OK;
    const char *from, *v;
    long timeout = RDSIAM__IMDS_DEFAULT_TIMEOUT;
    long attempts = RDSIAM__IMDS_DEFAULT_ATTEMPTS;

    if (!out)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "instance metadata: settings pointer is NULL");
    memset(out, 0, sizeof *out);
    if (!cfg)
        cfg = &none;
    out->disabled = is_true(rdsiam__getenv(ENV_DISABLED));
    out->v1_disabled =
        is_true(pick(ENV_V1_DISABLED, cfg->profile_v1_disabled,
                     "profile setting ec2_metadata_v1_disabled", &from));
    v = pick(ENV_TIMEOUT, cfg->profile_timeout,
             "profile setting metadata_service_timeout", &from);
    if (v)
        RDSIAM_GUARD(
            parse_count(v, from, RDSIAM__IMDS_MAX_TIMEOUT, &timeout, err));
    v = pick(ENV_ATTEMPTS, cfg->profile_num_attempts,
             "profile setting metadata_service_num_attempts", &from);
    if (v)
        RDSIAM_GUARD(
            parse_count(v, from, RDSIAM__IMDS_MAX_ATTEMPTS, &attempts, err));
    out->timeout_ms = timeout * 1000;
    out->attempts = (unsigned int)attempts;
    RDSIAM_GUARD(resolve_base(cfg, &out->base, err));
done:
    if (rc != RDSIAM_OK)
        rdsiam__imds_settings_free(out);
    return rc;
}

void rdsiam__imds_settings_free(rdsiam__imds_settings *s)
{
    if (!s)
        return;
    free(s->base);
    s->base = NULL;
}

int rdsiam__imds_url(const char *base, const char *path, char **url)
{
    rdsiam__buf b;
    size_t n = strlen(base);
    int rc;

    rdsiam__buf_init(&b, RDSIAM__IMDS_URI_MAX + 256);
    rc = rdsiam__buf_printf(&b, "%s%s%s", base,
                            (n && base[n - 1] == '/') ? "" : "/", path);
    *url = rc == RDSIAM_OK ? rdsiam__buf_take(&b) : NULL;
    rdsiam__buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The credentials document (one function to swap for a shared reader)      */
/* ------------------------------------------------------------------------ */

/* botocore _evaluate_expiration: credentials that expire within the
 * refresh window plus a jitter are given now + window + jitter, so an
 * instance keeps working while the credential service is unavailable
 * ("static stability"); a later refresh tries again. */
static int64_t extended_expiration(int64_t expiration)
{
    unsigned char r[2] = {0, 0};
    int64_t now = rdsiam__now(), jitter, offset;

    if (RAND_bytes(r, (int)sizeof r) != 1)
        r[0] = r[1] = 0;
    jitter =
        EXTEND_JITTER_MIN + ((int64_t)r[0] << 8 | r[1]) %
                                (EXTEND_JITTER_MAX - EXTEND_JITTER_MIN + 1);
    offset = EXTEND_WINDOW + jitter;
    return now >= expiration - offset ? now + offset : expiration;
}

int rdsiam__imds_parse(const char *body, size_t len, rdsiam__creds *out,
                       rdsiam_error *err)
{
    static const rdsiam__json_creds_fields fields = {
        "AccessKeyId", "SecretAccessKey", "Token", true, "Expiration", true,
    };
    int rc = RDSIAM_OK;
    rdsiam__json *j = NULL;
    const char *code = NULL;
    char shown[48];

    RDSIAM_ENSURE(err, body && out, RDSIAM_ERR_NULL_ARGUMENT,
                  "instance metadata: body or credentials is NULL");
    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__json_parse(body, len, "instance metadata",
                                    "the credentials answer", RDSIAM_ERR_JSON,
                                    &j, err));
    /* IMDS answers {"Code":"Success",...}; another Code is an error it
     * reports in a 200 answer (e.g. the role does not trust EC2). */
    RDSIAM_GUARD(rdsiam__json_string(j, "Code", false, &code, err));
    if (code) {
        rdsiam__printable(shown, sizeof shown, code);
        RDSIAM_ENSURE(err, strcmp(code, "Success") == 0, RDSIAM_ERR_JSON,
                      "instance metadata: the service answered Code \"%s\" "
                      "instead of \"Success\"",
                      shown);
    }
    RDSIAM_GUARD(rdsiam__json_creds(j, &fields, out, err));
    out->expiration = extended_expiration(out->expiration);
done:
    rdsiam__json_free(j);
    if (rc != RDSIAM_OK && out)
        rdsiam__creds_clear(out);
    return rc;
}

#if RDSIAM_HTTP

/* Whether body is JSON at all: botocore retries the credentials request
 * while json.loads fails. */
static bool is_json(const char *body, size_t len)
{
    rdsiam__json *j = NULL;
    int r = rdsiam__json_parse(body, len, "instance metadata", "the answer",
                               RDSIAM_ERR_JSON, &j, NULL);

    rdsiam__json_free(j);
    return r == RDSIAM_OK;
}

#endif /* RDSIAM_HTTP */

/* ------------------------------------------------------------------------ */
/* The source                                                                */
/* ------------------------------------------------------------------------ */

#if RDSIAM_HTTP

typedef struct imds_source {
    rdsiam__imds_config cfg; /* every string owned */
    char *token;             /* IMDSv2 session token: secret */
    char *token_base;        /* the endpoint that issued it */
    int64_t token_renew_at;  /* rdsiam__now() from which it is renewed */
} imds_source;

static void drop_token(imds_source *src)
{
    rdsiam__free_secret_str(src->token);
    free(src->token_base);
    src->token = NULL;
    src->token_base = NULL;
    src->token_renew_at = 0;
}

static void config_free(rdsiam__imds_config *c)
{
    free((char *)(uintptr_t)c->endpoint);
    free((char *)(uintptr_t)c->endpoint_mode);
    free((char *)(uintptr_t)c->profile_endpoint);
    free((char *)(uintptr_t)c->profile_endpoint_mode);
    free((char *)(uintptr_t)c->profile_v1_disabled);
    free((char *)(uintptr_t)c->profile_use_ipv6);
    free((char *)(uintptr_t)c->profile_timeout);
    free((char *)(uintptr_t)c->profile_num_attempts);
    memset(c, 0, sizeof *c);
}

static bool config_copy(rdsiam__imds_config *dst,
                        const rdsiam__imds_config *src)
{
    bool ok = true;

    memset(dst, 0, sizeof *dst);
    if (!src)
        return true;
    dst->endpoint = rdsiam__strdup_opt(src->endpoint, &ok);
    dst->endpoint_mode = rdsiam__strdup_opt(src->endpoint_mode, &ok);
    dst->profile_endpoint = rdsiam__strdup_opt(src->profile_endpoint, &ok);
    dst->profile_endpoint_mode =
        rdsiam__strdup_opt(src->profile_endpoint_mode, &ok);
    dst->profile_v1_disabled =
        rdsiam__strdup_opt(src->profile_v1_disabled, &ok);
    dst->profile_use_ipv6 = rdsiam__strdup_opt(src->profile_use_ipv6, &ok);
    dst->profile_timeout = rdsiam__strdup_opt(src->profile_timeout, &ok);
    dst->profile_num_attempts =
        rdsiam__strdup_opt(src->profile_num_attempts, &ok);
    return ok;
}

static void imds_destroy(void *self)
{
    imds_source *src = self;

    if (!src)
        return;
    drop_token(src);
    config_free(&src->cfg);
    free(src);
}

/* How one request ended, after all its attempts (made by lib/http.c,
 * which does every retry and its backoff). */
typedef struct answer {
    int rc;           /* RDSIAM_OK: a complete answer arrived */
    long status;      /* its status */
    rdsiam__buf body; /* its body (wiped when freed) */
    rdsiam__http_outcome how;
    char why[RDSIAM_ERROR_MESSAGE_SIZE]; /* the client's message when rc is not
                                            RDSIAM_OK */
} answer;

/* Retry policies (rdsiam__http_request.retry_status and retry_2xx): GETs
 * are asked again while the answer is not a non-empty 200 (credentials:
 * JSON), except a 401 to a request that carried a token, which ends at
 * once (the caller renews the token); the token request while the answer
 * is none of 200, 400, 403, 404 and 405 (botocore's IMDSFetcher). */
typedef struct policy {
    bool want_json;
    bool with_token;
} policy;

static bool get_again(void *ctx, long status, const char *body, size_t len)
{
    const policy *p = ctx;

    if (status == 401 && p->with_token)
        return false;
    return status != 200 || len == 0 || (p->want_json && !is_json(body, len));
}

static bool token_again(void *ctx, long status, const char *body, size_t len)
{
    (void)ctx;
    (void)body;
    (void)len;
    return status != 200 && status != 400 && status != 403 && status != 404 &&
           status != 405;
}

/* One request, with up to s->attempts attempts, every status returned. */
static void request(const rdsiam__imds_settings *s, const char *method,
                    const char *url, const rdsiam__http_header *hdr, policy *p,
                    answer *a)
{
    rdsiam__http_request req;
    rdsiam_error e;

    memset(&req, 0, sizeof req);
    req.method = method;
    req.url = url;
    req.headers = hdr;
    req.n_headers = hdr ? 1 : 0;
    req.connect_timeout_ms = s->timeout_ms;
    req.timeout_ms = s->timeout_ms;
    req.retries = s->attempts - 1;
    req.retry_status = p ? get_again : token_again;
    req.retry_2xx = p ? get_again : NULL;
    req.retry_ctx = p;
    /* botocore: a timed-out token request means no token (IMDSv1). */
    req.timeout_is_final = p == NULL;
    req.any_status = true;
    /* The metadata service is on the instance itself: never a proxy. */
    req.no_proxy = true;
    req.outcome = &a->how;
    rdsiam__buf_free(&a->body);
    a->status = 0;
    memset(&e, 0, sizeof e);
    a->rc = rdsiam__http_perform(&req, &a->body, &a->status, &e);
    if (a->rc == RDSIAM_OK)
        snprintf(a->why, sizeof a->why, "HTTP status %ld", a->status);
    else
        snprintf(a->why, sizeof a->why, "%s", e.message);
}

/* Outcome of the token request: a token, none (use IMDSv1), or an error. */
enum token_outcome { TOKEN_GOT, TOKEN_NONE, TOKEN_ERROR };

static enum token_outcome request_token(const rdsiam__imds_settings *s,
                                        const char *url, answer *a)
{
    static const rdsiam__http_header ttl = {
        "x-aws-ec2-metadata-token-ttl-seconds", "21600", false};

    request(s, "PUT", url, &ttl, NULL, a);
    if (a->rc == RDSIAM_OK)
        return a->status == 200   ? TOKEN_GOT
               : a->status == 400 ? TOKEN_ERROR
                                  : TOKEN_NONE; /* 403, 404, 405, or tries
                                                   spent on other answers */
    if (a->rc != RDSIAM_ERR_HTTP)
        return TOKEN_ERROR; /* out of memory, bad URL: not transient */
    /* botocore: ReadTimeoutError -> None, and no answer after every
     * attempt -> None. An answer that came but could not be taken (too
     * large, broken) is an error. */
    return a->how.timed_out || !a->how.sent ? TOKEN_NONE : TOKEN_ERROR;
}

static bool token_valid(const char *t, size_t len)
{
    size_t i;

    if (len == 0 || len > TOKEN_MAX || strlen(t) != len)
        return false;
    for (i = 0; i < len; i++)
        if (t[i] <= 0x20 || t[i] >= 0x7f)
            return false;
    return true;
}

/* Make sure src holds a session token for s->base, or learn that IMDSv1
 * is to be used (*v1). */
static int get_token(imds_source *src, const rdsiam__imds_settings *s, bool *v1,
                     rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    char *url = NULL;
    char where[160];
    enum token_outcome o;
    answer a;

    *v1 = false;
    if (src->token && src->token_base &&
        strcmp(src->token_base, s->base) == 0 &&
        rdsiam__now() < src->token_renew_at)
        return RDSIAM_OK;
    drop_token(src);
    memset(&a, 0, sizeof a);
    rc = rdsiam__imds_url(s->base, RDSIAM__IMDS_TOKEN_PATH, &url);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "instance metadata: out of memory");
    rdsiam__http_url_for_message(url, where, sizeof where);
    o = request_token(s, url, &a);
    RDSIAM_ENSURE(err, o != TOKEN_ERROR || a.rc != RDSIAM_OK,
                  RDSIAM_ERR_HTTP_STATUS,
                  "instance metadata: PUT %s: HTTP status 400: the service "
                  "refused the token request as malformed",
                  where);
    RDSIAM_ENSURE(err, o != TOKEN_ERROR, a.rc, "instance metadata: %s", a.why);
    if (o == TOKEN_NONE) {
        /* botocore _assert_v1_enabled: "Unable to retrieve token for use
         * in IMDSv2 call and IMDSv1 has been disabled". */
        RDSIAM_ENSURE(err, !s->v1_disabled,
                      a.rc == RDSIAM_OK ? RDSIAM_ERR_HTTP_STATUS : a.rc,
                      "instance metadata: no IMDSv2 session token (%s%s%s%s) "
                      "and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED or "
                      "the profile's ec2_metadata_v1_disabled)",
                      a.rc == RDSIAM_OK ? "PUT " : "",
                      a.rc == RDSIAM_OK ? where : "",
                      a.rc == RDSIAM_OK ? ": " : "", a.why);
        *v1 = true;
        goto done;
    }
    RDSIAM_ENSURE(err, token_valid(a.body.data, a.body.len), RDSIAM_ERR_HTTP,
                  "instance metadata: PUT %s: the session token in the answer "
                  "is empty, longer than %d bytes or not printable ASCII",
                  where, TOKEN_MAX);
    src->token_base = rdsiam__strdup(s->base);
    RDSIAM_ENSURE(err, src->token_base != NULL, RDSIAM_ERR_NO_MEMORY,
                  "instance metadata: out of memory");
    src->token = rdsiam__buf_take(&a.body);
    src->token_renew_at =
        rdsiam__now() + RDSIAM__IMDS_TOKEN_TTL - RDSIAM__IMDS_TOKEN_MARGIN;
done:
    rdsiam__buf_free(&a.body);
    free(url);
    if (rc != RDSIAM_OK)
        drop_token(src);
    return rc;
}

/* GET base/path (see get_again for when it is asked again). */
static void get_metadata(const imds_source *src, const rdsiam__imds_settings *s,
                         const char *url, bool want_json, answer *a)
{
    rdsiam__http_header hdr = {"x-aws-ec2-metadata-token", src->token, true};
    policy p = {want_json, src->token != NULL};

    request(s, "GET", url, src->token ? &hdr : NULL, &p, a);
}

/* The last answer of a GET as a result. listing: the role-name request,
 * where 404 or an empty list means no role is attached. */
static int judge(const answer *a, const char *url, bool listing,
                 bool with_token, rdsiam_error *err)
{
    char where[160];

    rdsiam__http_url_for_message(url, where, sizeof where);
    /* "No credentials" (the chain moves on) only when nothing answered:
     * not on EC2, or the service is not there. */
    if (a->rc == RDSIAM_ERR_HTTP && !a->how.sent)
        return rdsiam__fail(err, RDSIAM_ERR_NO_CREDENTIALS,
                            "instance metadata: nothing answered GET %s "
                            "(not on EC2, or the service is unreachable): %s",
                            where, a->why);
    if (a->rc != RDSIAM_OK)
        return rdsiam__fail(err, a->rc, "instance metadata: %s", a->why);
    if (listing && (a->status == 404 || (a->status == 200 && !a->body.len)))
        return rdsiam__fail(
            err, RDSIAM_ERR_NO_CREDENTIALS,
            "instance metadata: no IAM role is attached to "
            "this instance (GET %s: %s)",
            where, a->status == 404 ? "HTTP status 404" : "empty role list");
    if (a->status == 401 && with_token)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "instance metadata: GET %s: HTTP status 401: the "
                            "session token was refused, also after renewing "
                            "it",
                            where);
    if (a->status == 401)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "instance metadata: GET %s: HTTP status 401: the "
                            "service requires an IMDSv2 session token, and "
                            "the token request was refused",
                            where);
    if (a->status != 200)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "instance metadata: GET %s: HTTP status %ld (%u "
                            "attempt%s)",
                            where, a->status, a->how.attempts,
                            a->how.attempts == 1 ? "" : "s");
    if (!a->body.len)
        return rdsiam__fail(err, RDSIAM_ERR_JSON,
                            "instance metadata: GET %s: empty answer", where);
    return RDSIAM_OK;
}

/* IAM role names: 1..64 of [A-Za-z0-9+=,.@_-]. A trailing newline is
 * dropped. */
static int take_role(answer *a, char role[ROLE_MAX + 1], rdsiam_error *err)
{
    size_t n = a->body.len, i;

    while (n > 0 &&
           (a->body.data[n - 1] == '\n' || a->body.data[n - 1] == '\r'))
        n--;
    for (i = 0; i < n && n <= ROLE_MAX; i++)
        if (a->body.data[i] == '\0' ||
            (!strchr("+=,.@_-", a->body.data[i]) &&
             !((a->body.data[i] >= 'a' && a->body.data[i] <= 'z') ||
               (a->body.data[i] >= 'A' && a->body.data[i] <= 'Z') ||
               (a->body.data[i] >= '0' && a->body.data[i] <= '9'))))
            break;
    if (n == 0 || n > ROLE_MAX || i < n)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP,
                            "instance metadata: the role list is not one IAM "
                            "role name (1 to 64 of A-Z a-z 0-9 +=,.@_-)");
    memcpy(role, a->body.data, n);
    role[n] = '\0';
    return RDSIAM_OK;
}

/* Role name, then its credentials, with the token src holds (if any).
 * *refused: a 401 answered the token. */
static int fetch_once(imds_source *src, const rdsiam__imds_settings *s,
                      rdsiam__creds *out, bool *refused, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    char *url = NULL, *path = NULL;
    char role[ROLE_MAX + 1];
    answer a;

    *refused = false;
    memset(&a, 0, sizeof a);
    rc = rdsiam__imds_url(s->base, RDSIAM__IMDS_CREDS_PATH, &url);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "instance metadata: out of memory");
    get_metadata(src, s, url, false, &a);
    *refused = a.rc == RDSIAM_OK && a.status == 401 && src->token;
    RDSIAM_GUARD(judge(&a, url, true, src->token != NULL, err));
    RDSIAM_GUARD(take_role(&a, role, err));
    free(url);
    url = NULL;
    rc = rdsiam__imds_url(s->base, RDSIAM__IMDS_CREDS_PATH, &path);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "instance metadata: out of memory");
    rc = rdsiam__imds_url(path, role, &url);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "instance metadata: out of memory");
    rdsiam__buf_free(&a.body);
    memset(&a, 0, sizeof a);
    get_metadata(src, s, url, true, &a);
    *refused = a.rc == RDSIAM_OK && a.status == 401 && src->token;
    RDSIAM_GUARD(judge(&a, url, false, src->token != NULL, err));
    RDSIAM_GUARD(rdsiam__imds_parse(a.body.data, a.body.len, out, err));
done:
    rdsiam__buf_free(&a.body);
    free(url);
    free(path);
    return rc;
}

static int imds_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    imds_source *src = self;
    rdsiam__imds_settings s;
    bool v1 = false, refused = false, renewed = false;

    memset(&s, 0, sizeof s);
    RDSIAM_ENSURE(err, out != NULL && src != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "instance metadata: credentials pointer is NULL");
    memset(out, 0, sizeof *out);
    /* Off means off: no setting is even looked at (a malformed timeout
     * cannot stop a chain that has IMDS disabled). */
    RDSIAM_ENSURE(err, !is_true(rdsiam__getenv(ENV_DISABLED)),
                  RDSIAM_ERR_NO_CREDENTIALS,
                  "instance metadata: disabled by %s=true", ENV_DISABLED);
    RDSIAM_GUARD(rdsiam__imds_settings_resolve(&src->cfg, &s, err));
    for (;;) {
        RDSIAM_GUARD(get_token(src, &s, &v1, err));
        rc = fetch_once(src, &s, out, &refused, err);
        /* A token the service no longer takes (expired, or the service
         * restarted): one new token and one more try. */
        if (rc == RDSIAM_OK || !refused || renewed)
            break;
        drop_token(src);
        renewed = true;
    }
done:
    if (rc != RDSIAM_OK && src && src->token) {
        /* The answer's Code or member names may be shown: never an echo
         * of the session token it was asked with. */
        rdsiam__sent sent = {src->token, strlen(src->token)};
        rdsiam__withhold_sent(err, "instance metadata", &sent, 1);
    }
    rdsiam__imds_settings_free(&s);
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

int rdsiam__imds_new(rdsiam__source *out, const rdsiam__imds_config *cfg,
                     rdsiam_error *err)
{
    imds_source *src;

    if (!out)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "instance metadata: source pointer is NULL");
    memset(out, 0, sizeof *out);
    src = calloc(1, sizeof *src);
    if (!src)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "instance metadata: out of memory");
    if (!config_copy(&src->cfg, cfg)) {
        imds_destroy(src);
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "instance metadata: out of memory");
    }
    out->name = "instance metadata";
    out->fetch = imds_fetch;
    out->destroy = imds_destroy;
    out->self = src;
    rdsiam__ok(err);
    return RDSIAM_OK;
}

/* ------------------------------------------------------------------------ */
/* In a chain: settings from the selected profile, the token kept            */
/* ------------------------------------------------------------------------ */

/* What the chain keeps between fetches: the IMDSv2 session token. */
typedef struct token_state {
    char *token, *token_base;
    int64_t renew_at;
} token_state;

static void token_state_free(void *data)
{
    token_state *t = data;

    if (!t)
        return;
    rdsiam__free_secret_str(t->token);
    free(t->token_base);
    free(t);
}

/* botocore's InstanceMetadataFetcher config: each setting from the
 * environment, then the session's profile. */
static int link_config(rdsiam__bound *l, rdsiam__imds_config *cfg,
                       rdsiam_error *err)
{
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        {"ec2_metadata_service_endpoint",
         offsetof(rdsiam__imds_config, profile_endpoint)},
        {"ec2_metadata_service_endpoint_mode",
         offsetof(rdsiam__imds_config, profile_endpoint_mode)},
        {"ec2_metadata_v1_disabled",
         offsetof(rdsiam__imds_config, profile_v1_disabled)},
        {"imds_use_ipv6", offsetof(rdsiam__imds_config, profile_use_ipv6)},
        {"metadata_service_timeout",
         offsetof(rdsiam__imds_config, profile_timeout)},
        {"metadata_service_num_attempts",
         offsetof(rdsiam__imds_config, profile_num_attempts)},
    };
    int rc = RDSIAM_OK;

    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char **slot =
            (const char **)(void *)((char *)cfg + keys[i].offset);
        RDSIAM_GUARD(rdsiam__resolution_setting(l->res, l->profile, keys[i].key,
                                                slot, err));
    }
done:
    return rc;
}

static int link_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    rdsiam__bound *l = self;
    rdsiam__source_state *st = l->res->state;
    rdsiam__imds_config cfg;
    rdsiam__source s = {0};
    imds_source *src;
    token_state *t = st ? st->data : NULL;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    /* Off means off, before any file is read. */
    RDSIAM_ENSURE(err, !is_true(rdsiam__getenv(ENV_DISABLED)),
                  RDSIAM_ERR_NO_CREDENTIALS, "disabled by %s=true",
                  ENV_DISABLED);
    RDSIAM_GUARD(link_config(l, &cfg, err));
    RDSIAM_GUARD(rdsiam__imds_new(&s, &cfg, err));
    src = s.self;
    if (t) { /* lend the kept token to this fetch */
        src->token = t->token;
        src->token_base = t->token_base;
        src->token_renew_at = t->renew_at;
        t->token = t->token_base = NULL;
    }
    rc = s.fetch(s.self, out, err);
    if (st && !t) {
        t = calloc(1, sizeof *t);
        if (t) {
            st->data = t;
            st->free = token_state_free;
        }
    }
    if (t) { /* and keep what it ends with */
        t->token = src->token;
        t->token_base = src->token_base;
        t->renew_at = src->token_renew_at;
        src->token = src->token_base = NULL;
    }
done:
    if (s.destroy)
        s.destroy(s.self);
    return rc;
}

int rdsiam__source_imds(rdsiam__source *out, rdsiam__resolution *res,
                        const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "instance metadata", link_fetch, res, profile,
                             err);
}

#endif /* RDSIAM_HTTP */
