/*
 * source_login.c - credentials of an `aws login` session: a profile with
 * login_session = ARN, whose credentials the AWS CLI keeps in a cache file
 * and refreshes through the sign-in service with a DPoP proof.
 *
 * Behaviour follows botocore 1.43 (credentials.py LoginProvider,
 * LoginCredentialFetcher, _build_dpop_header; utils.py
 * get_login_token_cache_directory, LoginTokenLoader,
 * generate_login_cache_key):
 *   - the cache directory is AWS_LOGIN_CACHE_DIRECTORY ($VAR and ~
 *     expanded, as os.path.expandvars and expanduser do), else
 *     ~/.aws/login/cache; the file is <sha256 hex of the session>.json;
 *   - a missing file is an error that says to run `aws login` again; so is
 *     a file without accessToken, refreshToken, dpopKey or clientId;
 *   - credentials with more than 5 minutes left (_REFRESH_THRESHOLD) are
 *     used as cached, without a call;
 *   - otherwise CreateOAuth2Token: POST /v1/token (restJson1, unsigned)
 *     with {clientId, grantType: refresh_token, refreshToken} and a DPoP
 *     header (dpop.c) for the request's URL, to AWS_ENDPOINT_URL_SIGNIN,
 *     AWS_ENDPOINT_URL, or the region's sign-in endpoint
 *     (endpoint-rule-set-1.json: https://REGION.signin.aws.amazon.com in
 *     the aws partition);
 *   - the answer replaces accessToken (its accountId kept, expiresAt now
 *     + expiresIn) and refreshToken in the file, every other member kept
 *     (token.update), and the file is written back (cache_file.c);
 *   - AccessDeniedException TOKEN_EXPIRED or USER_CREDENTIALS_CHANGED:
 *     log in again; INSUFFICIENT_PERMISSIONS: signin:CreateOAuth2Token is
 *     missing.
 * The region is the provider's (botocore's session region, which the AWS
 * CLI's --region sets), else AWS_REGION, AWS_DEFAULT_REGION, the profile's.
 *
 * SPDX-License-Identifier: MIT
 */
#include "source.h"

#if RDSIAM_HTTP

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_file.h"
#include "dpop.h"
#include "endpoint.h"
#include "file.h"
#include "json_reader.h"
#include "source_login.h"
#include "withhold.h"

#define WHAT "login"
#define CALL "login: sign-in CreateOAuth2Token"

/* LoginCredentialFetcher._REFRESH_THRESHOLD */
#define REFRESH_THRESHOLD 300

/* ------------------------------------------------------------------------ */
/* The cache file                                                            */
/* ------------------------------------------------------------------------ */

/* os.path.expandvars: $NAME and ${NAME} replaced when set, left as they
 * are otherwise (NAME: letters, digits, '_'; in braces, anything but '}'). */
static int expand_vars(const char *s, rdsiam__buf *out)
{
    char name[256];
    const char *v;
    size_t n;
    int rc = RDSIAM_OK;

    while (*s && rc == RDSIAM_OK) {
        const char *start = s + 1, *end;

        if (*s != '$') {
            rc = rdsiam__buf_append_char(out, *s++);
            continue;
        }
        if (*start == '{') {
            end = strchr(start + 1, '}');
            n = end ? (size_t)(end - start - 1) : 0;
            start++;
        } else {
            n = strspn(start, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                              "TUVWXYZ0123456789_");
            end = start + n - 1;
        }
        v = NULL;
        if (n > 0 && n < sizeof name) {
            memcpy(name, start, n);
            name[n] = '\0';
            v = rdsiam__getenv(name);
        }
        if (!v) {
            rc = rdsiam__buf_append_char(out, *s++);
            continue;
        }
        rc = rdsiam__buf_append_str(out, v);
        s = end + 1;
    }
    return rc;
}

/* os.path.expanduser on s (already NUL-terminated in b): "~" and "~/..."
 * from HOME, "~user/..." from the password database; anything else, or an
 * unknown user, as it is. */
static int expand_user(const char *s, rdsiam__buf *out)
{
    const char *slash = strchr(s, '/'), *home = NULL;
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    char user[256], pwbuf[4096];
    struct passwd pw, *res = NULL;

    if (s[0] != '~')
        return rdsiam__buf_append_str(out, s);
    if (n == 1) {
        home = rdsiam__getenv_nonempty("HOME");
    } else if (n < sizeof user) {
        memcpy(user, s + 1, n - 1);
        user[n - 1] = '\0';
        if (getpwnam_r(user, &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
            home = res->pw_dir;
    }
    if (!home)
        return rdsiam__buf_append_str(out, s);
    n = strlen(home);
    while (n > 1 && home[n - 1] == '/')
        n--;
    if (rdsiam__buf_append(out, home, n) != RDSIAM_OK)
        return RDSIAM_ERR_NO_MEMORY;
    return rdsiam__buf_append_str(
        out, s + (slash ? (size_t)(slash - s) : strlen(s)));
}

int rdsiam__login_cache_path(const char *session, char **path,
                             rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *dir = rdsiam__getenv("AWS_LOGIN_CACHE_DIRECTORY");
    unsigned char md[RDSIAM__SHA256_LEN];
    char hex[2 * RDSIAM__SHA256_LEN + 1];
    rdsiam__buf vars, b;

    *path = NULL;
    rdsiam__buf_init(&vars, 4096);
    rdsiam__buf_init(&b, 4096 + 80);
    /* generate_login_cache_key: sha256(session).hexdigest() */
    rdsiam__sha256_once(session, strlen(session), md);
    rdsiam__hex(hex, md, sizeof md);
    hex[sizeof hex - 1] = '\0';
    if (dir) {
        /* "in os.environ": set, even empty, it is the directory */
        rc = expand_vars(dir, &vars);
        if (rc == RDSIAM_OK)
            rc = expand_user(vars.data ? vars.data : "", &b);
    } else {
        dir = rdsiam__getenv_nonempty("HOME");
        RDSIAM_ENSURE(err, dir, RDSIAM_ERR_FILE_IO,
                      "login: HOME is not set, so the login cache "
                      "(~/.aws/login/cache) cannot be found");
        rc = rdsiam__buf_printf(&b, "%s/.aws/login/cache", dir);
    }
    /* os.path.join(dir, key + ".json"): no '/' after an empty dir or one
     * that ends in '/' */
    if (rc == RDSIAM_OK)
        rc = rdsiam__buf_printf(&b, "%s%s.json",
                                !b.len || b.data[b.len - 1] == '/' ? "" : "/",
                                hex);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK,
                  rc == RDSIAM_ERR_NO_MEMORY ? rc : RDSIAM_ERR_FILE_IO,
                  "login: the login cache directory (AWS_LOGIN_CACHE_DIRECTORY "
                  "or HOME) is too long");
    *path = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, *path, RDSIAM_ERR_NO_MEMORY, "login: out of memory");
done:
    rdsiam__buf_free(&vars);
    rdsiam__buf_free(&b);
    return rc;
}

void rdsiam__login_token_clear(rdsiam__login_token *t)
{
    if (!t)
        return;
    rdsiam__json_free(t->access);
    rdsiam__json_free(t->doc);
    memset(t, 0, sizeof *t);
}

/* A required string member of j, non-empty. */
static int need(const rdsiam__json *j, const char *name, const char **v,
                rdsiam_error *err)
{
    int rc = rdsiam__json_string(j, name, true, v, err);

    if (rc == RDSIAM_OK && !**v)
        rc = rdsiam__fail(err, RDSIAM_ERR_JSON, "login: %s is empty", name);
    return rc;
}

int rdsiam__login_parse(const char *text, size_t len, rdsiam__login_token *t,
                        rdsiam_error *err)
{
    static const char *const required[] = {"accessToken", "refreshToken",
                                           "dpopKey", "clientId"};
    char missing[96] = "";
    const char *when = NULL;
    int rc = RDSIAM_OK;

    memset(t, 0, sizeof *t);
    RDSIAM_GUARD(rdsiam__json_parse(text, len, WHAT, "the login cache file",
                                    RDSIAM_ERR_JSON, &t->doc, err));
    /* LoginCredentialFetcher._REQUIRED_TOKEN_FIELDS, named all at once */
    for (size_t i = 0; i < 4; i++)
        if (!rdsiam__json_has(t->doc, required[i]))
            snprintf(missing + strlen(missing),
                     sizeof missing - strlen(missing), "%s%s",
                     missing[0] ? ", " : "", required[i]);
    RDSIAM_ENSURE(err, !missing[0], RDSIAM_ERR_JSON,
                  "login: the login cache file is missing required fields: "
                  "%s; run `aws login` again",
                  missing);
    RDSIAM_GUARD(rdsiam__json_object(t->doc, "accessToken", &t->access, err));
    RDSIAM_GUARD(need(t->access, "accessKeyId", &t->access_key_id, err));
    RDSIAM_GUARD(
        need(t->access, "secretAccessKey", &t->secret_access_key, err));
    RDSIAM_GUARD(need(t->access, "sessionToken", &t->session_token, err));
    RDSIAM_GUARD(need(t->access, "accountId", &t->account_id, err));
    RDSIAM_GUARD(need(t->access, "expiresAt", &when, err));
    RDSIAM_ENSURE(err, rdsiam__parse_time(when, &t->expires_at) == 0,
                  RDSIAM_ERR_JSON,
                  "login: accessToken.expiresAt in the login cache file is not "
                  "an ISO-8601 time");
    RDSIAM_GUARD(need(t->doc, "refreshToken", &t->refresh_token, err));
    RDSIAM_GUARD(need(t->doc, "dpopKey", &t->dpop_key, err));
    RDSIAM_GUARD(need(t->doc, "clientId", &t->client_id, err));
done:
    if (rc != RDSIAM_OK)
        rdsiam__login_token_clear(t);
    return rc;
}

/* Read and parse the cache file (a secret) with the one secret-file
 * reader. */
static int load(const char *path, const char *session, const char *profile,
                rdsiam__login_token *t, rdsiam__buf *text, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    char shown[160], what[220];
    bool found = false;

    rdsiam__buf_free(text);
    snprintf(what, sizeof what, "%.200s", path);
    rc = rdsiam__file_read(path, what, text->max, RDSIAM_ERR_FILE_IO,
                           RDSIAM__FILE_MISSING_OK, text, &found, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, WHAT);
        goto done;
    }
    rdsiam__escape_controls(shown, sizeof shown, session);
    /* botocore: "Unable to load a existing login session for session
     * NAME. Please reauthenticate with 'aws login'." */
    RDSIAM_ENSURE(err, found, RDSIAM_ERR_FILE_IO,
                  "login: no cached login session for \"%s\" (%.200s does "
                  "not exist); run `aws login --profile %.100s`",
                  shown, path, profile);
    rc = rdsiam__login_parse(text->data ? text->data : "", text->len, t, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "%.200s", path);
done:
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The refresh                                                               */
/* ------------------------------------------------------------------------ */

int rdsiam__login_endpoint(rdsiam__resolution *res, const char *region,
                           char **url, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *suffix;
    bool found = false;
    rdsiam__buf b;

    *url = NULL;
    rdsiam__buf_init(&b, RDSIAM__ENDPOINT_MAX + 16);
    RDSIAM_GUARD(rdsiam__endpoint_append(WHAT, res, "signin", &b, &found, err));
    if (!found) {
        RDSIAM_ENSURE(err, region && *region, RDSIAM_ERR_NO_REGION,
                      "login: no region for the sign-in service (the "
                      "profile's region, AWS_REGION or AWS_DEFAULT_REGION)");
        RDSIAM_GUARD(rdsiam__check_region(region, NULL, err));
        /* signin's endpoint-rule-set-1.json, neither FIPS nor dual-stack */
        suffix = rdsiam__partition_dns_suffix(region);
        if (strncmp(region, "us-gov-", 7) == 0)
            rc = rdsiam__buf_printf(
                &b, "https://%s.signin.amazonaws-us-gov.com", region);
        else if (strcmp(suffix, "amazonaws.com") == 0)
            rc = rdsiam__buf_printf(&b, "https://%s.signin.aws.amazon.com",
                                    region);
        else if (strcmp(suffix, "amazonaws.com.cn") == 0)
            rc = rdsiam__buf_printf(&b, "https://%s.signin.amazonaws.cn",
                                    region);
        else
            rc = rdsiam__buf_printf(&b, "https://signin.%s.%s", region, suffix);
    }
    if (rc == RDSIAM_OK)
        rc = rdsiam__buf_append_str(&b, "/v1/token");
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc,
                  "login: the sign-in URL is too long");
    *url = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, *url, RDSIAM_ERR_NO_MEMORY, "login: out of memory");
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* A refusal as botocore reports it (the "error" member of the answer). */
static int refused(long status, const rdsiam__buf *answer, const char *profile,
                   rdsiam_error *err)
{
    rdsiam__json *j = NULL;
    const char *code = NULL;
    char shown[64] = "";

    if (rdsiam__json_parse(answer->data ? answer->data : "", answer->len, CALL,
                           "the answer", RDSIAM_ERR_JSON, &j,
                           NULL) == RDSIAM_OK &&
        rdsiam__json_string(j, "error", false, &code, NULL) == RDSIAM_OK &&
        code)
        rdsiam__escape_controls(shown, sizeof shown, code);
    rdsiam__json_free(j);
    if (strcmp(shown, "TOKEN_EXPIRED") == 0 ||
        strcmp(shown, "USER_CREDENTIALS_CHANGED") == 0)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "%s: HTTP %ld %s: the session has expired or its "
                            "credentials have changed; run `aws login "
                            "--profile %.100s`",
                            CALL, status, shown, profile);
    if (strcmp(shown, "INSUFFICIENT_PERMISSIONS") == 0)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                            "%s: HTTP %ld %s: permission for "
                            "signin:CreateOAuth2Token is missing",
                            CALL, status, shown);
    return rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS, "%s: HTTP %ld%s%s", CALL,
                        status, shown[0] ? " " : "", shown);
}

/* The answer's credentials into *out, and with its refresh token into the
 * file's text (t's document, updated as botocore's token.update does),
 * written back. */
static int take_answer(const char *path, const rdsiam__login_token *t,
                       const rdsiam__buf *answer, int64_t now,
                       rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    rdsiam__json *j = NULL, *a = NULL;
    const char *ak = NULL, *sk = NULL, *st = NULL, *refresh = NULL;
    int64_t in = 0;
    char expires[21];
    rdsiam__buf text;

    rdsiam__buf_init(&text, RDSIAM__LOGIN_CACHE_MAX);
    RDSIAM_GUARD(rdsiam__json_parse(answer->data ? answer->data : "",
                                    answer->len, CALL, "the answer",
                                    RDSIAM_ERR_JSON, &j, err));
    RDSIAM_GUARD(rdsiam__json_object(j, "accessToken", &a, err));
    RDSIAM_GUARD(need(a, "accessKeyId", &ak, err));
    RDSIAM_GUARD(need(a, "secretAccessKey", &sk, err));
    RDSIAM_GUARD(need(a, "sessionToken", &st, err));
    RDSIAM_GUARD(need(j, "refreshToken", &refresh, err));
    RDSIAM_GUARD(rdsiam__json_int(j, "expiresIn", &in, err));
    RDSIAM_ENSURE(err, in > 0 && in <= RDSIAM__TIME_MAX - now, RDSIAM_ERR_JSON,
                  "%s: expiresIn in the answer is not a positive number of "
                  "seconds",
                  CALL);
    RDSIAM_GUARD(rdsiam__creds_set(out, ak, sk, st, CALL, err));
    out->expires = true;
    out->expiration = now + in;
    rdsiam__iso8601(expires, now + in);
    {
        const rdsiam__json_member access[] = {
            {.name = "accessKeyId", .string = ak},
            {.name = "secretAccessKey", .string = sk},
            {.name = "sessionToken", .string = st},
            {.name = "accountId", .string = t->account_id},
            {.name = "expiresAt", .string = expires},
        };
        const rdsiam__json_member update[] = {
            {.name = "accessToken", .members = access, .n = 5},
            {.name = "refreshToken", .string = refresh},
        };

        RDSIAM_GUARD(rdsiam__json_write(t->doc, update, 2, WHAT, &text, err));
    }
    /* A file that cannot be written costs the next fetch a refresh of its
     * own (the sign-in service answers the same refresh token again within
     * its validity); the credentials just issued are good either way. */
    (void)rdsiam__cache_write(path, text.data, text.len, WHAT, NULL);
done:
    rdsiam__buf_free(&text);
    rdsiam__json_free(a);
    rdsiam__json_free(j);
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

/* CreateOAuth2Token with t's refresh token and a DPoP proof over the
 * request; the new credentials into *out and the file. */
static int refresh(const char *path, const char *url, long timeout_ms,
                   const char *ca_file, const char *profile,
                   const rdsiam__login_token *t, rdsiam__creds *out,
                   rdsiam_error *err)
{
    const rdsiam__json_member input[] = {
        {.name = "clientId", .string = t->client_id},
        {.name = "grantType", .string = "refresh_token"},
        {.name = "refreshToken", .string = t->refresh_token},
    };
    int64_t now = rdsiam__now();
    char *proof = NULL;
    rdsiam__http_header dpop = {.name = "DPoP", .secret = false};
    rdsiam__buf body, answer;
    long status = 0;
    int rc = RDSIAM_OK;

    rdsiam__buf_init(&body, RDSIAM__HTTP_MAX_BODY);
    rdsiam__buf_init(&answer, RDSIAM__HTTP_MAX_BODY);
    /* _build_dpop_header(private_key, params['url']): htm POST, htu the
     * URL the request goes to, iat now, a fresh jti */
    RDSIAM_GUARD(
        rdsiam__dpop_proof(t->dpop_key, WHAT, "POST", url, now, &proof, err));
    dpop.value = proof;
    RDSIAM_GUARD(rdsiam__json_write(NULL, input, 3, CALL, &body, err));
    RDSIAM_GUARD(rdsiam__endpoint_post_json(CALL, url, body.data, body.len,
                                            &dpop, 1, timeout_ms, ca_file,
                                            &status, &answer, err));
    if (status != 200)
        RDSIAM_GUARD(refused(status, &answer, profile, err));
    RDSIAM_GUARD(take_answer(path, t, &answer, now, out, err));
done:
    if (rc != RDSIAM_OK) {
        /* The answer's error code or member names may be shown: never an
         * echo of the refresh token. */
        const rdsiam__sent sent = {
            t->refresh_token, t->refresh_token ? strlen(t->refresh_token) : 0};
        rdsiam__withhold_sent(err, CALL, &sent, 1);
    }
    free(proof);
    rdsiam__buf_free(&body);
    rdsiam__buf_free(&answer);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The source                                                                */
/* ------------------------------------------------------------------------ */

static int cached(const rdsiam__login_token *t, rdsiam__creds *out,
                  rdsiam_error *err)
{
    int rc = rdsiam__creds_set(out, t->access_key_id, t->secret_access_key,
                               t->session_token, "login cache file", err);

    if (rc == RDSIAM_OK) {
        out->expires = true;
        out->expiration = t->expires_at;
    }
    return rc;
}

static int login_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    rdsiam__bound *l = self;
    const char *name = rdsiam__bound_profile(l), *session, *ca_file = NULL;
    const rdsiam__profile *p = NULL;
    char *path = NULL, *url = NULL, *ca = NULL;
    char region[RDSIAM_REGION_MAX + 1];
    rdsiam__login_token t;
    rdsiam__cache_lock lock = {-1};
    rdsiam__buf text;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    memset(&t, 0, sizeof t);
    rdsiam__buf_init(&text, RDSIAM__LOGIN_CACHE_MAX);
    RDSIAM_GUARD(rdsiam__resolution_profile(l->res, l->profile, &p, err));
    session = rdsiam__profile_get(p, "login_session");
    RDSIAM_ENSURE(err, session, RDSIAM_ERR_NO_CREDENTIALS,
                  "profile %s has no login_session", name);
    RDSIAM_GUARD(rdsiam__login_cache_path(session, &path, err));
    RDSIAM_GUARD(load(path, session, name, &t, &text, err));
    if (t.expires_at - rdsiam__now() > REFRESH_THRESHOLD) {
        RDSIAM_GUARD(cached(&t, out, err));
        goto done;
    }
    RDSIAM_GUARD(rdsiam__resolution_region(l->res, region, sizeof region, err));
    RDSIAM_GUARD(rdsiam__login_endpoint(l->res, region, &url, err));
    RDSIAM_GUARD(rdsiam__resolution_env_setting(l->res, "AWS_CA_BUNDLE",
                                                "ca_bundle", &ca_file, err));
    ca = rdsiam__strdup(ca_file); /* the environment may change under it */
    RDSIAM_ENSURE(err, ca || !ca_file, RDSIAM_ERR_NO_MEMORY,
                  "login: out of memory");
    /* One refresher at a time per file, and whoever was first may have
     * refreshed already: read it again under the lock. */
    rdsiam__cache_lock_take(&lock, path, RDSIAM__CACHE_LOCK_WAIT_MS);
    rdsiam__login_token_clear(&t);
    RDSIAM_GUARD(load(path, session, name, &t, &text, err));
    if (t.expires_at - rdsiam__now() > REFRESH_THRESHOLD)
        RDSIAM_GUARD(cached(&t, out, err));
    else
        RDSIAM_GUARD(
            refresh(path, url, l->res->timeout_ms, ca, name, &t, out, err));
done:
    rdsiam__cache_lock_release(&lock);
    rdsiam__login_token_clear(&t);
    rdsiam__buf_free(&text);
    free(path);
    free(url);
    free(ca);
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

int rdsiam__source_login(rdsiam__source *out, rdsiam__resolution *res,
                         const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "login", login_fetch, res, profile, err);
}

#endif /* RDSIAM_HTTP */
