/*
 * sso_token.c - the IAM Identity Center access token: the cache file of
 * `aws sso login`, its refresh through SSO-OIDC and the write-back (see
 * sso_token.h).
 *
 * Behaviour follows botocore 1.43 (tokens.py SSOTokenProvider, utils.py
 * SSOTokenLoader and JSONFileCache):
 *   - "remaining < _REFRESH_WINDOW" (15 minutes): refresh, in the
 *     sso_session form only;
 *   - no refresh unless refreshToken, clientId, clientSecret and
 *     registrationExpiresAt are all in the file, and not once the
 *     registration has expired;
 *   - CreateToken(grantType=refresh_token, clientId, clientSecret,
 *     refreshToken), unsigned, restJson1 POST /token;
 *   - the new file: startUrl, region (the sso-session's), accessToken,
 *     expiresAt (now + expiresIn, "%Y-%m-%dT%H:%M:%SZ"), clientId,
 *     clientSecret, registrationExpiresAt, and refreshToken when the answer
 *     has one, in that order;
 *   - a refresh that fails keeps the cached token while it is valid
 *     ("SSO token refresh attempt failed"); then the session is over.
 * botocore lets an error that is not a service's answer (no connection, a
 * file it cannot write) escape a refresh; here every failed refresh is
 * the same: the cached token is used while it is valid (docs/DESIGN.md,
 * "Where we differ from botocore").
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cache_file.h"
#include "endpoint.h"
#include "file.h"
#include "json_reader.h"
#include "sso_token.h"
#include "withhold.h"

#define SSO_TOKEN_MAX 8192
#define SSO_WHAT "IAM Identity Center"
#define OIDC_WHAT "SSO-OIDC CreateToken"

/* The profile's name for messages (the source keeps a printable copy). */
static const char *profile_name(const rdsiam__sso_config *cfg)
{
    return cfg->profile ? cfg->profile : "default";
}

void rdsiam__sso_token_clear(rdsiam__sso_token *t)
{
    if (!t)
        return;
    rdsiam__free_secret_str(t->access_token);
    free(t->client_id);
    rdsiam__free_secret_str(t->client_secret);
    rdsiam__free_secret_str(t->refresh_token);
    free(t->registration_expires_at);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------------ */
/* The cache file                                                            */
/* ------------------------------------------------------------------------ */

int rdsiam__sso_cache_path(const rdsiam__sso_config *cfg, char **path,
                           rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *home, *key;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    char hex[2 * 20 + 1];
    rdsiam__buf b;

    if (!cfg || !path)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "IAM Identity Center: config or path is NULL");
    *path = NULL;
    rdsiam__buf_init(&b, 8192);
    /* SSOTokenLoader._generate_cache_key: the session name when there is
     * one, else the start URL; sha1(...).hexdigest(). */
    key = cfg->session_name ? cfg->session_name : cfg->start_url;
    RDSIAM_ENSURE(err, key != NULL, RDSIAM_ERR_PROFILE_INCOMPLETE,
                  "IAM Identity Center: profile \"%.100s\" has neither "
                  "sso_session nor sso_start_url",
                  profile_name(cfg));
    RDSIAM_ENSURE(err,
                  EVP_Digest(key, strlen(key), md, &md_len, EVP_sha1(), NULL) ==
                          1 &&
                      md_len == 20,
                  RDSIAM_ERR_CRYPTO, "IAM Identity Center: SHA-1 failed");
    rdsiam__hex(hex, md, 20);
    hex[40] = '\0';
    /* botocore: os.path.expanduser("~/.aws/sso/cache") */
    home = rdsiam__getenv_nonempty("HOME");
    RDSIAM_ENSURE(
        err, home != NULL, RDSIAM_ERR_FILE_IO,
        "IAM Identity Center: HOME is not set, so the SSO token cache "
        "(~/.aws/sso/cache) cannot be found");
    rc = rdsiam__buf_printf(&b, "%s/.aws/sso/cache/%s.json", home, hex);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, RDSIAM_ERR_FILE_IO,
                  "IAM Identity Center: HOME is too long");
    *path = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, *path != NULL, RDSIAM_ERR_NO_MEMORY,
                  "IAM Identity Center: out of memory");
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* Older CLIs wrote expiresAt as "2019-11-14T04:05:45UTC"; dateutil reads
 * both that and "...Z". */
static int parse_expires(const char *s, int64_t *t)
{
    char buf[64];
    size_t n = strlen(s);

    if (n >= 3 && n < sizeof buf && strcmp(s + n - 3, "UTC") == 0) {
        memcpy(buf, s, n - 3);
        buf[n - 3] = 'Z';
        buf[n - 2] = '\0';
        return rdsiam__parse_time(buf, t);
    }
    return rdsiam__parse_time(s, t);
}

/* Something an HTTP header can carry: printable ASCII, no CR or LF. */
static bool header_safe(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > SSO_TOKEN_MAX)
        return false;
    for (i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] >= 0x7f)
            return false;
    return true;
}

/* An optional string member, copied: NULL when absent or not a string
 * (no refresh then); *ok false when out of memory. */
static char *optional(const rdsiam__json *j, const char *name, bool *ok)
{
    const char *v = NULL;

    if (rdsiam__json_string(j, name, false, &v, NULL) != RDSIAM_OK)
        return NULL;
    return rdsiam__strdup_opt(v, ok);
}

int rdsiam__sso_parse_token(const char *body, size_t len, rdsiam__sso_token *t,
                            rdsiam_error *err)
{
    static const char what[] = "the SSO token cache file";
    int rc = RDSIAM_OK;
    rdsiam__json *j = NULL;
    const char *v = NULL;
    char shown[48];
    bool ok = true;

    RDSIAM_ENSURE(err, body && t, RDSIAM_ERR_NULL_ARGUMENT,
                  "IAM Identity Center: body or token is NULL");
    memset(t, 0, sizeof *t);
    RDSIAM_GUARD(rdsiam__json_parse(body, len, SSO_WHAT, what, RDSIAM_ERR_JSON,
                                    &j, err));
    RDSIAM_GUARD(rdsiam__json_string(j, "expiresAt", true, &v, err));
    rdsiam__escape_controls(shown, sizeof shown, v);
    RDSIAM_ENSURE(err, parse_expires(v, &t->expires_at) == 0, RDSIAM_ERR_JSON,
                  "IAM Identity Center: expiresAt \"%s\" in %s is not an "
                  "ISO-8601 time",
                  shown, what);
    RDSIAM_GUARD(rdsiam__json_string(j, "accessToken", true, &v, err));
    RDSIAM_ENSURE(err, header_safe(v), RDSIAM_ERR_JSON,
                  "IAM Identity Center: accessToken in %s is empty, longer "
                  "than %d bytes, or has characters an HTTP header cannot "
                  "carry",
                  what, SSO_TOKEN_MAX);
    t->access_token = rdsiam__strdup_opt(v, &ok);
    t->client_id = optional(j, "clientId", &ok);
    t->client_secret = optional(j, "clientSecret", &ok);
    t->refresh_token = optional(j, "refreshToken", &ok);
    t->registration_expires_at = optional(j, "registrationExpiresAt", &ok);
    RDSIAM_ENSURE(err, ok, RDSIAM_ERR_NO_MEMORY,
                  "IAM Identity Center: out of memory");
done:
    rdsiam__json_free(j);
    if (rc != RDSIAM_OK)
        rdsiam__sso_token_clear(t);
    return rc;
}

/* Read and parse the file at path (a secret) with the one secret-file
 * reader: a regular file of at most RDSIAM__SSO_CACHE_MAX bytes
 * (non-blocking, so a FIFO put in its place cannot make the read wait). */
static int load(const char *path, const rdsiam__sso_config *cfg,
                rdsiam__sso_token *t, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    char key[101], what[220];
    bool found = false;
    rdsiam__buf b;

    rdsiam__buf_init(&b, RDSIAM__SSO_CACHE_MAX);
    rdsiam__escape_controls(key, sizeof key,
                            cfg->session_name ? cfg->session_name
                                              : cfg->start_url);
    snprintf(what, sizeof what, "%.200s", path);
    rc = rdsiam__file_read(path, what, b.max, RDSIAM_ERR_FILE_IO,
                           RDSIAM__FILE_MISSING_OK, &b, &found, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, SSO_WHAT);
        goto done;
    }
    RDSIAM_ENSURE(err, found, RDSIAM_ERR_FILE_IO,
                  "IAM Identity Center: no cached SSO token for %s \"%s\" "
                  "(%.200s does not exist); run `aws sso login --profile "
                  "%.100s`",
                  cfg->session_name ? "session" : "start URL", key, path,
                  profile_name(cfg));
    rc = rdsiam__sso_parse_token(b.data ? b.data : "", b.len, t, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "%.200s", path);
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The refresh                                                               */
/* ------------------------------------------------------------------------ */

int rdsiam__sso_service_url(const rdsiam__sso_config *cfg, const char *service,
                            const char *host, rdsiam__buf *b, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    bool found = false;

    RDSIAM_GUARD(
        rdsiam__endpoint_append(SSO_WHAT, cfg->res, service, b, &found, err));
    if (found)
        goto done;
    rc = rdsiam__check_region(cfg->region, NULL, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "IAM Identity Center: sso_region");
        goto done;
    }
    rc = rdsiam__buf_printf(b, "https://%s.%s.%s", host, cfg->region,
                            rdsiam__partition_dns_suffix(cfg->region));
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc,
                  "IAM Identity Center: URL too long");
done:
    return rc;
}

#if RDSIAM_HTTP

/* Whether t can be refreshed (SSOTokenProvider._refresh_access_token);
 * why says why not. */
static bool refreshable(const rdsiam__sso_token *t, char *why, size_t size)
{
    int64_t reg = 0;
    char when[21];

    if (!t->refresh_token || !t->client_id || !t->client_secret ||
        !t->registration_expires_at) {
        snprintf(why, size,
                 "the cache file has no refreshToken, clientId, "
                 "clientSecret and registrationExpiresAt to refresh it with");
        return false;
    }
    if (parse_expires(t->registration_expires_at, &reg) != 0) {
        snprintf(why, size,
                 "registrationExpiresAt in the cache file is not an "
                 "ISO-8601 time");
        return false;
    }
    if (reg <= rdsiam__now()) {
        rdsiam__iso8601(when, reg >= 0 && reg <= RDSIAM__TIME_MAX ? reg : 0);
        snprintf(why, size, "its client registration expired at %s", when);
        return false;
    }
    return true;
}

int rdsiam__sso_oidc_url(const rdsiam__sso_config *cfg, char **url,
                         rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    rdsiam__buf b;

    *url = NULL;
    rdsiam__buf_init(&b, RDSIAM__SSO_URL_MAX);
    /* botocore's sso-oidc endpoint rules: https://oidc.{Region}.{dnsSuffix};
     * CreateToken is POST /token */
    RDSIAM_GUARD(rdsiam__sso_service_url(cfg, "sso_oidc", "oidc", &b, err));
    rc = rdsiam__buf_append_str(&b, "/token");
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc,
                  "IAM Identity Center: SSO-OIDC URL too long");
    *url = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, *url != NULL, RDSIAM_ERR_NO_MEMORY,
                  "IAM Identity Center: out of memory");
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* A refusal as a message: the OAuth error code the service names
 * (invalid_grant, ...) when the answer has one. */
static int refused(long status, const rdsiam__buf *answer, rdsiam_error *err)
{
    rdsiam__json *j = NULL;
    const char *code = NULL;
    char shown[64] = "";

    if (rdsiam__json_parse(answer->data ? answer->data : "", answer->len,
                           OIDC_WHAT, "the answer", RDSIAM_ERR_JSON, &j,
                           NULL) == RDSIAM_OK &&
        rdsiam__json_string(j, "error", false, &code, NULL) == RDSIAM_OK &&
        code)
        rdsiam__escape_controls(shown, sizeof shown, code);
    rdsiam__json_free(j);
    return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS, "%s: HTTP %ld%s%s",
                        OIDC_WHAT, status, shown[0] ? " " : "", shown);
}

/* The answer into t: accessToken, expiresIn, and refreshToken when there
 * is one (botocore writes none back otherwise). */
static int take_answer(const rdsiam__buf *answer, rdsiam__sso_token *t,
                       rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    rdsiam__json *j = NULL;
    const char *access = NULL, *refresh = NULL;
    int64_t in = 0, now = rdsiam__now();
    char *a = NULL, *r = NULL;

    RDSIAM_GUARD(rdsiam__json_parse(answer->data ? answer->data : "",
                                    answer->len, OIDC_WHAT, "the answer",
                                    RDSIAM_ERR_JSON, &j, err));
    RDSIAM_GUARD(rdsiam__json_string(j, "accessToken", true, &access, err));
    RDSIAM_ENSURE(err, header_safe(access), RDSIAM_ERR_JSON,
                  "%s: accessToken in the answer is empty, longer than %d "
                  "bytes, or has characters an HTTP header cannot carry",
                  OIDC_WHAT, SSO_TOKEN_MAX);
    RDSIAM_GUARD(rdsiam__json_int(j, "expiresIn", &in, err));
    RDSIAM_ENSURE(err, in > 0 && in <= RDSIAM__TIME_MAX - now, RDSIAM_ERR_JSON,
                  "%s: expiresIn in the answer is not a positive number of "
                  "seconds",
                  OIDC_WHAT);
    RDSIAM_GUARD(rdsiam__json_string(j, "refreshToken", false, &refresh, err));
    a = rdsiam__strdup(access);
    r = refresh ? rdsiam__strdup(refresh) : NULL;
    RDSIAM_ENSURE(err, a && (r || !refresh), RDSIAM_ERR_NO_MEMORY,
                  "%s: out of memory", OIDC_WHAT);
    rdsiam__free_secret_str(t->access_token);
    rdsiam__free_secret_str(t->refresh_token);
    t->access_token = a;
    t->refresh_token = r;
    a = r = NULL;
    t->expires_at = now + in;
done:
    rdsiam__free_secret_str(a);
    rdsiam__free_secret_str(r);
    rdsiam__json_free(j);
    return rc;
}

/* SSO-OIDC CreateToken at url with t's refresh token; t takes the
 * answer. */
static int create_token(const rdsiam__sso_config *cfg, const char *url,
                        rdsiam__sso_token *t, rdsiam_error *err)
{
    const rdsiam__json_member input[] = {
        {.name = "clientId", .string = t->client_id},
        {.name = "clientSecret", .string = t->client_secret},
        {.name = "grantType", .string = "refresh_token"},
        {.name = "refreshToken", .string = t->refresh_token},
    };
    int rc = RDSIAM_OK;
    rdsiam__buf body, answer;
    long status = 0;

    rdsiam__buf_init(&body, RDSIAM__HTTP_MAX_BODY);
    rdsiam__buf_init(&answer, RDSIAM__HTTP_MAX_BODY);
    RDSIAM_GUARD(rdsiam__json_write(NULL, input, 4, OIDC_WHAT, &body, err));
    RDSIAM_GUARD(rdsiam__endpoint_post_json(
        OIDC_WHAT, url, body.data, body.len, NULL, 0, cfg->timeout_ms,
        cfg->ca_file, &status, &answer, err));
    if (status != 200)
        RDSIAM_GUARD(refused(status, &answer, err));
    RDSIAM_GUARD(take_answer(&answer, t, err));
done:
    if (rc != RDSIAM_OK) {
        /* The answer's error code or member names may be shown: never an
         * echo of what was sent. */
        const rdsiam__sent sent[] = {
            {t->client_secret, t->client_secret ? strlen(t->client_secret) : 0},
            {t->refresh_token, t->refresh_token ? strlen(t->refresh_token) : 0},
        };
        rdsiam__withhold_sent(err, OIDC_WHAT, sent, 2);
    }
    rdsiam__buf_free(&body);
    rdsiam__buf_free(&answer);
    return rc;
}

/* Write t back in botocore's format (SSOTokenProvider._attempt_create_token
 * builds the document; _sso_json_dumps writes it). */
static int write_back(const rdsiam__sso_config *cfg, const char *path,
                      const rdsiam__sso_token *t, rdsiam_error *err)
{
    char expires[21];
    const rdsiam__json_member doc[] = {
        {.name = "startUrl", .string = cfg->start_url},
        {.name = "region", .string = cfg->region},
        {.name = "accessToken", .string = t->access_token},
        {.name = "expiresAt", .string = expires},
        {.name = "clientId", .string = t->client_id},
        {.name = "clientSecret", .string = t->client_secret},
        {.name = "registrationExpiresAt", .string = t->registration_expires_at},
        {.name = "refreshToken", .string = t->refresh_token},
    };
    int rc = RDSIAM_OK;
    rdsiam__buf text;

    rdsiam__iso8601(expires, t->expires_at);
    rdsiam__buf_init(&text, RDSIAM__SSO_CACHE_MAX);
    RDSIAM_GUARD(rdsiam__json_write(NULL, doc, t->refresh_token ? 8 : 7,
                                    SSO_WHAT, &text, err));
    RDSIAM_GUARD(rdsiam__cache_write(path, text.data, text.len, SSO_WHAT, err));
done:
    rdsiam__buf_free(&text);
    return rc;
}

/*
 * Refresh *t (read from path) if it can be, under the file's lock. Only
 * a mistake in the settings (the SSO-OIDC endpoint) or a file that can no
 * longer be read is an error; a refresh that cannot happen or fails
 * leaves *t as it was (or as another refresher left the file) and says
 * why.
 */
static int refresh(const rdsiam__sso_config *cfg, const char *path,
                   rdsiam__sso_token *t, char *why, size_t size,
                   rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    rdsiam__cache_lock lock = {-1};
    rdsiam__sso_token again;
    rdsiam_error e;
    char *url = NULL;

    if (!refreshable(t, why, size))
        return RDSIAM_OK;
    RDSIAM_GUARD(rdsiam__sso_oidc_url(cfg, &url, err));
    rdsiam__cache_lock_take(&lock, path, RDSIAM__CACHE_LOCK_WAIT_MS);
    /* Whoever held the lock before may have refreshed: read again. */
    RDSIAM_GUARD(load(path, cfg, &again, err));
    rdsiam__sso_token_clear(t);
    *t = again;
    if (t->expires_at - rdsiam__now() >= RDSIAM__SSO_REFRESH_WINDOW ||
        !refreshable(t, why, size))
        goto done;
    if (create_token(cfg, url, t, &e) != RDSIAM_OK) {
        snprintf(why, size, "%.400s", e.message);
        goto done;
    }
    /* A file that cannot be written costs the next fetch a refresh of
     * its own; the token just issued is good either way. */
    (void)write_back(cfg, path, t, &e);
done:
    rdsiam__cache_lock_release(&lock);
    free(url);
    return rc;
}

#endif /* RDSIAM_HTTP */

int rdsiam__sso_token_get(const rdsiam__sso_config *cfg, char **token,
                          rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    char *path = NULL;
    char why[RDSIAM_ERROR_MESSAGE_SIZE / 2] = "", when[21];
    rdsiam__sso_token t;

    memset(&t, 0, sizeof t);
    *token = NULL;
    RDSIAM_GUARD(rdsiam__sso_cache_path(cfg, &path, err));
    RDSIAM_GUARD(load(path, cfg, &t, err));
#if RDSIAM_HTTP
    if (cfg->session_name &&
        t.expires_at - rdsiam__now() < RDSIAM__SSO_REFRESH_WINDOW)
        RDSIAM_GUARD(refresh(cfg, path, &t, why, sizeof why, err));
#endif
    /* botocore: "remaining <= 0" is expired */
    rdsiam__iso8601(when, t.expires_at >= 0 && t.expires_at <= RDSIAM__TIME_MAX
                              ? t.expires_at
                              : 0);
    RDSIAM_ENSURE(
        err, t.expires_at > rdsiam__now(), RDSIAM_ERR_CREDENTIALS_EXPIRED,
        "IAM Identity Center: the SSO session for profile "
        "\"%.100s\" expired at %s%s%s; run `aws sso login "
        "--profile %.100s`",
        profile_name(cfg), when, why[0] ? " and was not refreshed: " : "", why,
        profile_name(cfg));
    *token = t.access_token;
    t.access_token = NULL;
done:
    rdsiam__sso_token_clear(&t);
    free(path);
    return rc;
}
