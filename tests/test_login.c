/*
 * test_login.c - the `aws login` credential source (lib/source_login.c)
 * and its DPoP proofs (lib/dpop.c), against the sign-in routes of
 * tests/helpers/aws_standin.py on 127.0.0.1 (AWS_ENDPOINT_URL_SIGNIN),
 * which verifies every proof: its ES256 signature with the key in its
 * header, that key against the session's, htm, htu, iat and a jti never
 * seen before.
 *
 * Expected values: the cache file name is sha256(session).hexdigest() as
 * botocore 1.43's generate_login_cache_key computes it; default endpoints
 * are the URLs botocore 1.43 sends CreateOAuth2Token to
 * (create_client("signin", region_name=R), before-send); the JWK of
 * TEST_KEY and its header are what botocore's _build_dpop_header writes
 * for that key (python3 cryptography: the public numbers, base64url,
 * json.dumps(separators=(',', ':'))); the refreshed credentials are what
 * aws_standin.py issues for refresh token R: "ASIALOGIN" +
 * sha256(R)[:11].upper(), "loginSecret/" + sha256("s" + R)[:24],
 * "loginSession/" + sha256("t" + R)[:24], "loginRefresh-" +
 * sha256("next:" + R)[:16]; messages follow botocore's LoginError family
 * as cited at each test.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>
#include <openssl/evp.h>

#include "helpers/fake_env.h"
#include "helpers/standin.h"
#include "helpers/threads.h"
#include "helpers/wipes.h"
#include "internal.h"
#include "provider.h"

#if RDSIAM_HTTP
#include "dpop.h"
#include "endpoint.h"
#include "source_login.h"
#endif

#define SESSION "arn:aws:signin:us-east-1:123456789012:session/abc"
/* python3 -c "import hashlib; print(hashlib.sha256(b'" SESSION
 * "').hexdigest())" */
#define SESSION_SHA256                                                         \
    "132c4b5683d6d9174740af40e90946b811bf9c9bc9b82b3f6c1de12f410638c7"
#define CLIENT "arn:aws:signin:::devtools/same-device"
#define REFRESH "loginRefreshTokenEXAMPLE"
/* what the stand-in issues for REFRESH (see the top) */
#define NEW_AKID "ASIALOGIND5706A2BC5F"
#define NEW_SECRET "loginSecret/b046515eb49a343ba4ca6ec7"
#define NEW_TOKEN "loginSession/3f226efd9ef14bdfbeececcb"
#define NEW_REFRESH "loginRefresh-23f57136db28bbb7"
#define OLD_AKID "ASIACACHEDLOGIN00001"
#define OLD_SECRET "cachedLoginSecret/abcdefghijklmnopqrstuvwxyz"
#define OLD_TOKEN "cachedLoginSessionToken/xyz=="
/* The pinned clock (and the stand-in's): 2026-01-01T00:00:00Z */
#define NOW INT64_C(1767225600)

/* A P-256 key for the tests alone (openssl ecparam -name prime256v1
 * -genkey -noout), as `aws login` writes it (SEC1 PEM). */
#define TEST_KEY_PEM                                                           \
    "-----BEGIN EC PRIVATE KEY-----\n"                                         \
    "MHcCAQEEIO7hRAbka0g7mW97h4SpD4Dc6RqKMX+I4bWOmEdM+qRXoAoGCCqGSM49\n"       \
    "AwEHoUQDQgAEPWRFxNncHhrLpr7z8pYACetCYkXNQbcTNfgdMJtB992eTs8eEB0R\n"       \
    "4Kuik/OxKuMw+uHTvVVXpZHfGp4OixWRQA==\n"                                   \
    "-----END EC PRIVATE KEY-----\n"
#define TEST_KEY_JSON                                                          \
    "-----BEGIN EC PRIVATE KEY-----\\n"                                        \
    "MHcCAQEEIO7hRAbka0g7mW97h4SpD4Dc6RqKMX+I4bWOmEdM+qRXoAoGCCqGSM49\\n"      \
    "AwEHoUQDQgAEPWRFxNncHhrLpr7z8pYACetCYkXNQbcTNfgdMJtB992eTs8eEB0R\\n"      \
    "4Kuik/OxKuMw+uHTvVVXpZHfGp4OixWRQA==\\n"                                  \
    "-----END EC PRIVATE KEY-----\\n"
/* The same key as PKCS#8 (python3 cryptography, private_bytes PKCS8) */
#define TEST_KEY_PKCS8                                                         \
    "-----BEGIN PRIVATE KEY-----\n"                                            \
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7uFEBuRrSDuZb3uH\n"       \
    "hKkPgNzpGooxf4jhtY6YR0z6pFehRANCAAQ9ZEXE2dweGsumvvPylgAJ60JiRc1B\n"       \
    "txM1+B0wm0H33Z5Ozx4QHRHgq6KT87Eq4zD64dO9VVelkd8ang6LFZFA\n"               \
    "-----END PRIVATE KEY-----\n"
/* Another P-256 key, and a P-384 one (openssl ecparam -name secp384r1) */
#define OTHER_KEY_PEM                                                          \
    "-----BEGIN EC PRIVATE KEY-----\n"                                         \
    "MHcCAQEEIM/S1g0KPtLe5TtMUKx4Ym54dEd64wlehgf8VdOp3VOCoAoGCCqGSM49\n"       \
    "AwEHoUQDQgAERqehTL6AZyfvBeaO5eG8KjuhBch/Bjj1E9QKgDwjyZallfhBt3GA\n"       \
    "IgA0FiXiH4BA720juoBw4j07sGgDDEIqPQ==\n"                                   \
    "-----END EC PRIVATE KEY-----\n"
#define P384_KEY_PEM                                                           \
    "-----BEGIN EC PRIVATE KEY-----\n"                                         \
    "MIGkAgEBBDCRc3WynbRuH8v2cMn4pPzWIbUtWJmN6lH+dhXrNYCgOsnrx1e5jxl7\n"       \
    "hhnVnITLZDagBwYFK4EEACKhZANiAAR+/UvnKcOSnkX0wshXT5u4kBbk52N1yXsm\n"       \
    "D/C0mqn7L/5JPd+llKoowS9VTJwhG+ISTwNfjDcORE4e0kRQfxmEmcBpba19j7Va\n"       \
    "KiR8ykXzjTCQMaq0d3PS/Nrp35jb8FU=\n"                                       \
    "-----END EC PRIVATE KEY-----\n"
/* The JWT header botocore writes for TEST_KEY, base64url:
 * {"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC",
 * "x":"PWRFxNncHhrLpr7z8pYACetCYkXNQbcTNfgdMJtB990",
 * "y":"nk7PHhAdEeCropPzsSrjMPrh071VV6WR3xqeDosVkUA","crv":"P-256"}} */
#define TEST_KEY_HEADER                                                        \
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwie"    \
    "CI6IlBXUkZ4Tm5jSGhyTHByN3o4cFlBQ2V0Q1lrWE5RYmNUTmZnZE1KdEI5OTAiLCJ5Ij"    \
    "oibms3UEhoQWRFZUNyb3BQenNTcmpNUHJoMDcxVlY2V1IzeHFlRG9zVmtVQSIsImNydiI6"   \
    "IlAtMjU2In19"

static fake_home home;
static char cache_dir[256];

static int setup(void **state)
{
    char path[256];

    (void)state;
    if (fake_home_setup(&home, "login") != 0)
        return -1;
    snprintf(path, sizeof path, "%s/.aws", home.dir);
    if (mkdir(path, 0700) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/.aws/login", home.dir);
    if (mkdir(path, 0700) != 0)
        return -1;
    snprintf(cache_dir, sizeof cache_dir, "%s/.aws/login/cache", home.dir);
    return mkdir(cache_dir, 0700);
}

static int teardown(void **state)
{
    (void)state;
    rdsiam__sys_set_clock(NULL, NULL);
    fake_home_teardown(&home);
    return 0;
}

static bool contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

#if RDSIAM_HTTP

/* ------------------------------------------------------------------------ */
/* Offline                                                                   */
/* ------------------------------------------------------------------------ */

/* get_login_token_cache_directory: AWS_LOGIN_CACHE_DIRECTORY with
 * os.path.expandvars then expanduser, else ~/.aws/login/cache; the file is
 * os.path.join(dir, sha256 + ".json"). */
static void test_cache_path(void **state)
{
    static const struct {
        const char *dir;  /* NULL: unset */
        const char *want; /* "~" stands for the fake HOME */
    } cases[] = {
        {NULL, "~/.aws/login/cache/"},
        {"/var/cache/login", "/var/cache/login/"},
        {"/var/cache/login/", "/var/cache/login/"},
        {"~/lc", "~/lc/"},
        {"~", "~/"},
        {"$HOME/lc", "~/lc/"},
        {"${HOME}/lc", "~/lc/"},
        {"/x/$RDSIAM_NOT_SET_ANYWHERE/y", "/x/$RDSIAM_NOT_SET_ANYWHERE/y/"},
        {"/x/${RDSIAM_NOT_SET}", "/x/${RDSIAM_NOT_SET}/"},
        {"/x/$", "/x/$/"},
        {"~rdsiam-no-such-user/x", "~rdsiam-no-such-user/x/"},
        {"", ""}, /* os.path.join("", name): relative */
    };
    char *path = NULL, want[512];
    rdsiam_error e;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fake_env_set("AWS_LOGIN_CACHE_DIRECTORY", cases[i].dir);
        assert_int_equal(rdsiam__login_cache_path(SESSION, &path, &e),
                         RDSIAM_OK);
        if (cases[i].want[0] == '~' && cases[i].want[1] != 'r')
            snprintf(want, sizeof want, "%s%s" SESSION_SHA256 ".json", home.dir,
                     cases[i].want + 1);
        else
            snprintf(want, sizeof want, "%s" SESSION_SHA256 ".json",
                     cases[i].want);
        if (strcmp(path, want) != 0)
            print_message("case %zu: %s\n", i, path);
        assert_string_equal(path, want);
        free(path);
    }
    /* ~root from the password database */
    fake_env_set("AWS_LOGIN_CACHE_DIRECTORY", "~root/lc");
    assert_int_equal(rdsiam__login_cache_path(SESSION, &path, &e), RDSIAM_OK);
    assert_string_equal(path, "/root/lc/" SESSION_SHA256 ".json");
    free(path);
    fake_env_set("AWS_LOGIN_CACHE_DIRECTORY", NULL);
    fake_env_set("HOME", NULL);
    assert_int_equal(rdsiam__login_cache_path(SESSION, &path, &e),
                     RDSIAM_ERR_FILE_IO);
    assert_string_equal(e.message, "login: HOME is not set, so the login "
                                   "cache (~/.aws/login/cache) cannot be "
                                   "found");
    assert_null(path);
    fake_env_set("HOME", home.dir);
}

/* A cache file as the AWS CLI's `aws login` writes it (BaseLoginToken
 * Fetcher._exchange_auth_code_for_access_token), plus a member a later
 * CLI might add; the access token expiring at exp. */
#define CACHE_AT(exp, refresh, key)                                            \
    "{\"accessToken\": {\"accessKeyId\": \"" OLD_AKID "\", "                   \
    "\"secretAccessKey\": \"" OLD_SECRET "\", \"sessionToken\": \"" OLD_TOKEN  \
    "\", \"accountId\": \"123456789012\", \"expiresAt\": \"" exp               \
    "\"}, \"tokenType\": \"aws_sigv4\", \"clientId\": \"" CLIENT "\", "        \
    "\"refreshToken\": \"" refresh "\", \"idToken\": \"id.token.sig\", "       \
    "\"dpopKey\": \"" key "\", \"futureField\": [1, true, null]}"
#define CACHE(exp) CACHE_AT(exp, REFRESH, TEST_KEY_JSON)

static void test_parse(void **state)
{
    static const struct {
        const char *doc;
        const char *message;
    } bad[] = {
        {"{\"accessToken\": {}, \"clientId\": \"c\"}",
         "login: the login cache file is missing required fields: "
         "refreshToken, dpopKey; run `aws login` again"},
        {"{}", "missing required fields: accessToken, refreshToken, dpopKey, "
               "clientId;"},
        {"{\"accessToken\": \"x\", \"refreshToken\": \"r\", \"dpopKey\": "
         "\"k\", "
         "\"clientId\": \"c\"}",
         "login: accessToken is not an object"},
        {"{\"accessToken\": {\"accessKeyId\": \"\"}, \"refreshToken\": \"r\", "
         "\"dpopKey\": \"k\", \"clientId\": \"c\"}",
         "login: accessKeyId is empty"},
        {CACHE("tomorrow"), "login: accessToken.expiresAt in the login cache "
                            "file is not an ISO-8601 time"},
        {CACHE_AT("2026-01-01T00:10:00Z", "r\\u0000t", "k"),
         "login: refreshToken in the login cache file contains a NUL "
         "character"},
        {"{\"accessToken\": {}, ", "login: the login cache file is not valid "
                                   "JSON"},
        {"[]", "login: the login cache file is not a JSON object"},
    };
    const char *good = CACHE("2026-01-01T00:10:00Z");
    rdsiam__login_token t;
    rdsiam_error e;
    char nul[] = "{\"refreshToken\": \"r\0t\"}";

    (void)state;
    assert_int_equal(rdsiam__login_parse(good, strlen(good), &t, &e),
                     RDSIAM_OK);
    assert_string_equal(t.access_key_id, OLD_AKID);
    assert_string_equal(t.secret_access_key, OLD_SECRET);
    assert_string_equal(t.session_token, OLD_TOKEN);
    assert_string_equal(t.account_id, "123456789012");
    assert_int_equal(t.expires_at, NOW + 600);
    assert_string_equal(t.refresh_token, REFRESH);
    assert_string_equal(t.dpop_key, TEST_KEY_PEM);
    assert_string_equal(t.client_id, CLIENT);
    rdsiam__login_token_clear(&t);
    assert_null(t.doc);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(
            rdsiam__login_parse(bad[i].doc, strlen(bad[i].doc), &t, &e),
            RDSIAM_ERR_JSON);
        if (!contains(e.message, bad[i].message))
            print_message("case %zu: %s\n", i, e.message);
        assert_true(contains(e.message, bad[i].message));
        assert_null(t.doc);
    }
    /* a raw NUL byte: not JSON at all */
    assert_int_equal(rdsiam__login_parse(nul, sizeof nul - 1, &t, &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "login: the login cache file is not valid "
                                   "JSON");
}

/* botocore's URL for CreateOAuth2Token in each partition, and the
 * overrides (service id "Signin": AWS_ENDPOINT_URL_SIGNIN). */
static void test_endpoint(void **state)
{
    static const char *const cases[][2] = {
        {"us-east-1", "https://us-east-1.signin.aws.amazon.com/v1/token"},
        {"eu-west-1", "https://eu-west-1.signin.aws.amazon.com/v1/token"},
        {"cn-north-1", "https://cn-north-1.signin.amazonaws.cn/v1/token"},
        {"us-gov-west-1",
         "https://us-gov-west-1.signin.amazonaws-us-gov.com/v1/token"},
        {"us-iso-east-1", "https://signin.us-iso-east-1.c2s.ic.gov/v1/token"},
    };
    char *url = NULL;
    rdsiam_error e;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(rdsiam__login_endpoint(NULL, cases[i][0], &url, &e),
                         RDSIAM_OK);
        assert_string_equal(url, cases[i][1]);
        free(url);
    }
    assert_int_equal(rdsiam__login_endpoint(NULL, "", &url, &e),
                     RDSIAM_ERR_NO_REGION);
    assert_string_equal(e.message, "login: no region for the sign-in service "
                                   "(the profile's region, AWS_REGION or "
                                   "AWS_DEFAULT_REGION)");
    assert_null(url);
    assert_int_equal(rdsiam__login_endpoint(NULL, "us-east-1/x", &url, &e),
                     RDSIAM_ERR_REGION_INVALID);
    /* a configured endpoint needs no region (botocore: the same URL) */
    fake_env_set("AWS_ENDPOINT_URL_SIGNIN", "http://127.0.0.1:9/base/");
    assert_int_equal(rdsiam__login_endpoint(NULL, NULL, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "http://127.0.0.1:9/base/v1/token");
    free(url);
    fake_env_set("AWS_ENDPOINT_URL_SIGNIN", "http://signin.example");
    assert_int_equal(rdsiam__login_endpoint(NULL, "us-east-1", &url, &e),
                     RDSIAM_ERR_URI_NOT_ALLOWED);
    assert_string_equal(e.message, "login: AWS_ENDPOINT_URL_SIGNIN: plain "
                                   "http is not allowed to host "
                                   "'signin.example': only to loopback "
                                   "(127.0.0.0/8, [::1], localhost); use "
                                   "https");
    fake_env_set("AWS_ENDPOINT_URL_SIGNIN", NULL);
    fake_env_set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    assert_int_equal(rdsiam__login_endpoint(NULL, NULL, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "http://127.0.0.1:9/v1/token");
    free(url);
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    assert_int_equal(rdsiam__login_endpoint(NULL, "us-east-1", &url, &e),
                     RDSIAM_OK);
    assert_string_equal(url,
                        "https://us-east-1.signin.aws.amazon.com/v1/token");
    free(url);
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", NULL);
    fake_env_set("AWS_ENDPOINT_URL", NULL);
}

/* base64url (no padding) of text, for a JWT part, decoded into out. */
static void b64url_decode(const char *text, size_t n, char *out, size_t size)
{
    char in[2048];
    size_t k = 0;
    int got;

    assert_true(n + 4 < sizeof in);
    for (size_t i = 0; i < n; i++)
        in[k++] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
    while (k % 4)
        in[k++] = '=';
    in[k] = '\0';
    assert_true(k / 4 * 3 < size);
    got = EVP_DecodeBlock((unsigned char *)out, (unsigned char *)in, (int)k);
    assert_true(got >= 0);
    got -= (int)(n % 4 == 2 ? 2 : n % 4 == 3 ? 1 : 0);
    out[got] = '\0';
}

/* The proof's parts: header and payload as text, the signature's length. */
static void proof_parts(const char *proof, char *header, char *payload,
                        size_t size, size_t *sig_len)
{
    const char *dot1 = strchr(proof, '.'), *dot2;
    char sig[256];

    assert_non_null(dot1);
    dot2 = strchr(dot1 + 1, '.');
    assert_non_null(dot2);
    assert_null(strchr(dot2 + 1, '.'));
    b64url_decode(proof, (size_t)(dot1 - proof), header, size);
    b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), payload, size);
    /* 64 bytes are 86 base64url characters */
    assert_int_equal(strlen(dot2 + 1), 86);
    b64url_decode(dot2 + 1, strlen(dot2 + 1), sig, sizeof sig);
    *sig_len = 64;
    /* the parts are unpadded base64url: no '=', '+' or '/' */
    assert_null(strpbrk(proof, "=+/"));
}

/* The jti that ends a payload ("...,"jti":"<36>"}") as str(uuid.uuid4())
 * writes it: 8-4-4-4-12 lower-case hex, version 4, the RFC 4122 variant. */
static void assert_uuid4(const char *payload)
{
    const char *s = payload + strlen(payload) - 38;

    assert_int_equal(strlen(s), 38);
    assert_string_equal(s + 36, "\"}");
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(s[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", s[i]));
    }
    assert_int_equal(s[14], '4');
    assert_non_null(strchr("89ab", s[19]));
}

/* The proof for TEST_KEY: botocore's header, the claims in its order,
 * a 64-byte signature, a fresh jti each time; keys that are not P-256,
 * or not keys, are refused without quoting them. */
static void test_proof(void **state)
{
    char *a = NULL, *b = NULL, header[1024], payload[1024], want[512];
    size_t sig_len = 0;
    rdsiam_error e;

    (void)state;
    assert_int_equal(rdsiam__dpop_proof(TEST_KEY_PEM, "login", "POST",
                                        "https://us-east-1.signin.aws.amazon."
                                        "com/v1/token",
                                        NOW, &a, &e),
                     RDSIAM_OK);
    assert_int_equal(
        strncmp(a, TEST_KEY_HEADER ".", strlen(TEST_KEY_HEADER) + 1), 0);
    proof_parts(a, header, payload, sizeof header, &sig_len);
    assert_string_equal(header,
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{"
                        "\"kty\":\"EC\",\"x\":\"PWRFxNncHhrLpr7z8pYACetCYkXNQbc"
                        "TNfgdMJtB990\",\"y\":\"nk7PHhAdEeCropPzsSrjMPrh071VV6"
                        "WR3xqeDosVkUA\",\"crv\":\"P-256\"}}");
    snprintf(want, sizeof want,
             "{\"htm\":\"POST\",\"htu\":\"https://us-east-1.signin.aws."
             "amazon.com/v1/token\",\"iat\":1767225600,\"jti\":\"%.36s\"}",
             payload + strlen(payload) - 38);
    assert_string_equal(payload, want);
    assert_uuid4(payload);
    /* the same key as PKCS#8: the same header; a new jti */
    assert_int_equal(rdsiam__dpop_proof(TEST_KEY_PKCS8, "login", "POST",
                                        "http://127.0.0.1:9/v1/token", NOW, &b,
                                        &e),
                     RDSIAM_OK);
    assert_int_equal(
        strncmp(b, TEST_KEY_HEADER ".", strlen(TEST_KEY_HEADER) + 1), 0);
    proof_parts(b, header, want, sizeof header, &sig_len);
    assert_string_not_equal(payload + strlen(payload) - 38,
                            want + strlen(want) - 38);
    free(a);
    free(b);
    b = NULL;
    assert_int_equal(rdsiam__dpop_proof(P384_KEY_PEM, "login", "POST",
                                        "http://127.0.0.1:9/v1/token", NOW, &b,
                                        &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "login: dpopKey is not a P-256 (ES256) key");
    assert_null(b);
    assert_int_equal(rdsiam__dpop_proof("-----BEGIN EC PRIVATE KEY-----\nAAAA\n"
                                        "-----END EC PRIVATE KEY-----\n",
                                        "login", "POST", "http://x/", NOW, &b,
                                        &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "login: dpopKey is not a PEM private key");
    assert_int_equal(
        rdsiam__dpop_proof("", "login", "POST", "http://x/", NOW, &b, &e),
        RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "login: dpopKey is empty or too long");
    assert_null(b);
}

/* ------------------------------------------------------------------------ */
/* The sign-in stand-in on loopback                                          */
/* ------------------------------------------------------------------------ */

static standin server;

static const char STANDIN_CONFIG[] =
    "{\"now\": 1767225600, \"login\": {\"dpop_key\": \"" TEST_KEY_JSON "\"}}";

static int server_setup(void **state)
{
    (void)state;
    return standin_start(&server, STANDIN_CONFIG);
}

static int server_teardown(void **state)
{
    (void)state;
    standin_stop(&server);
    return 0;
}

static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return NOW;
}

#define PROFILE_DEV                                                            \
    "[profile dev]\nlogin_session = " SESSION "\nregion = us-east-1\n"

/* Point sign-in at the stand-in under prefix, pin the clock, write the
 * profile and the cache file. */
static void use(const char *prefix, const char *cache)
{
    static char ep[256];
    char path[512];

    snprintf(ep, sizeof ep, "http://127.0.0.1:%d%s", server.port, prefix);
    fake_env_set("AWS_ENDPOINT_URL_SIGNIN", ep);
    rdsiam__sys_set_clock(pinned_clock, NULL);
    fake_write_file(home.config, PROFILE_DEV);
    snprintf(path, sizeof path, "%s/" SESSION_SHA256 ".json", cache_dir);
    if (cache)
        fake_write_file(path, cache);
}

static long signin_hits(const char *prefix)
{
    char path[256];

    snprintf(path, sizeof path, "%s/v1/token", prefix);
    return standin_hits(&server, path);
}

/* The login source of profile dev, in a resolution of its own. */
static int fetch(rdsiam__creds *c, rdsiam_error *e)
{
    rdsiam_provider_options o = {.profile = "dev"};
    rdsiam__resolution r;
    rdsiam__source s;
    int rc;

    memset(c, 0, sizeof *c);
    memset(e, 0, sizeof *e);
    assert_int_equal(rdsiam__resolution_open(&r, &o, NULL), RDSIAM_OK);
    assert_int_equal(rdsiam__source_login(&s, &r, NULL, NULL), RDSIAM_OK);
    assert_string_equal(s.name, "login");
    rc = s.fetch(s.self, c, e);
    s.destroy(s.self);
    rdsiam__resolution_close(&r);
    return rc;
}

static void read_cache(char *out, size_t size, unsigned *mode)
{
    char path[512];
    struct stat st;
    FILE *f;
    size_t n;

    snprintf(path, sizeof path, "%s/" SESSION_SHA256 ".json", cache_dir);
    assert_int_equal(stat(path, &st), 0);
    *mode = (unsigned)st.st_mode & 07777u;
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
}

/* More than 5 minutes left (_REFRESH_THRESHOLD): the cached credentials,
 * no call. */
static void test_cached(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("/signin/cached", CACHE("2026-01-01T00:05:01Z"));
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, OLD_AKID);
    assert_string_equal(c.secret_access_key, OLD_SECRET);
    assert_string_equal(c.session_token, OLD_TOKEN);
    assert_true(c.expires);
    assert_int_equal(c.expiration, NOW + 301);
    rdsiam__creds_clear(&c);
    assert_int_equal(signin_hits("/signin/cached"), 0);
}

/* What the stand-in logged for path: the i-th request's DPoP header and
 * body, into the buffers. */
static void logged(const char *path, size_t i, char *dpop, char *body,
                   size_t size)
{
    char *text = standin_report(&server, "_log", path);
    json_object *log, *req, *headers, *h;

    assert_non_null(text);
    log = json_tokener_parse(text);
    free(text);
    assert_non_null(log);
    assert_true(i < json_object_array_length(log));
    req = json_object_array_get_idx(log, i);
    snprintf(body, size, "%s",
             json_object_get_string(json_object_object_get(req, "body")));
    headers = json_object_object_get(req, "headers");
    dpop[0] = '\0';
    for (size_t k = 0; k < json_object_array_length(headers); k++) {
        h = json_object_array_get_idx(headers, k);
        if (strcmp(json_object_get_string(json_object_array_get_idx(h, 0)),
                   "DPoP") == 0)
            snprintf(dpop, size, "%s",
                     json_object_get_string(json_object_array_get_idx(h, 1)));
    }
    json_object_put(log);
}

/* Five minutes left: one CreateOAuth2Token, whose DPoP proof the stand-in
 * verified (signature, key, htm, htu, iat, jti) or it would not have
 * answered; the request as botocore sends it; the file written back with
 * accessToken and refreshToken replaced and every other member kept, in
 * order (token.update), mode 0600. */
static void test_refresh(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;
    char dpop[2048], body[1024], header[1024], payload[1024], want[512];
    char file[4096];
    size_t sig_len = 0;
    unsigned mode = 0;

    (void)state;
    use("/signin/r1", CACHE("2026-01-01T00:05:00Z"));
    wipes_watch(NEW_SECRET);
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, NEW_AKID);
    assert_string_equal(c.secret_access_key, NEW_SECRET);
    assert_string_equal(c.session_token, NEW_TOKEN);
    assert_true(c.expires);
    assert_int_equal(c.expiration, NOW + 900); /* expiresIn 900 */
    rdsiam__creds_clear(&c);
    /* every copy of the new secret: the answer as received, the JSON
     * reader's value, the text written back (written straight into its
     * buffer), the credentials handed out */
    assert_int_equal(wipes_stop(), 4);
    assert_int_equal(signin_hits("/signin/r1"), 1);
    logged("/signin/r1/v1/token", 0, dpop, body, sizeof body);
    assert_string_equal(body, "{\"clientId\":\"" CLIENT "\","
                              "\"grantType\":\"refresh_token\","
                              "\"refreshToken\":\"" REFRESH "\"}");
    proof_parts(dpop, header, payload, sizeof header, &sig_len);
    assert_int_equal(
        strncmp(dpop, TEST_KEY_HEADER ".", strlen(TEST_KEY_HEADER) + 1), 0);
    snprintf(want, sizeof want,
             "{\"htm\":\"POST\",\"htu\":\"http://127.0.0.1:%d/signin/r1/v1/"
             "token\",\"iat\":1767225600,\"jti\":\"%.36s\"}",
             server.port, payload + strlen(payload) - 38);
    assert_string_equal(payload, want);
    assert_uuid4(payload);
    read_cache(file, sizeof file, &mode);
    assert_string_equal(
        file, "{\"accessToken\":{\"accessKeyId\":\"" NEW_AKID "\","
              "\"secretAccessKey\":\"" NEW_SECRET "\","
              "\"sessionToken\":\"" NEW_TOKEN "\","
              "\"accountId\":\"123456789012\","
              "\"expiresAt\":\"2026-01-01T00:15:00Z\"},"
              "\"tokenType\":\"aws_sigv4\",\"clientId\":\"" CLIENT
              "\",\"refreshToken\":\"" NEW_REFRESH "\","
              "\"idToken\":\"id.token.sig\",\"dpopKey\":\"" TEST_KEY_JSON
              "\",\"futureField\":[1,true,null]}");
    assert_int_equal(mode, 0600);
    /* the next fetch reads what was written: fresh, no call */
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, NEW_AKID);
    assert_int_equal(c.expiration, NOW + 900);
    rdsiam__creds_clear(&c);
    assert_int_equal(signin_hits("/signin/r1"), 1);
    /* and its refresh token is the one the stand-in issued */
    use("/signin/r1b", NULL);
    {
        char path[512];
        snprintf(path, sizeof path, "%s/" SESSION_SHA256 ".json", cache_dir);
        /* expire it again by hand: the same file, an earlier expiresAt */
        fake_write_file(
            path, CACHE_AT("2026-01-01T00:00:00Z", NEW_REFRESH, TEST_KEY_JSON));
    }
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    logged("/signin/r1b/v1/token", 0, dpop, body, sizeof body);
    assert_true(contains(body, "\"refreshToken\":\"" NEW_REFRESH "\""));
}

/* POST body to the stand-in's path with a DPoP header: the status and
 * the answer into out. */
static long post(const char *path, const char *dpop_value, char *out,
                 size_t size)
{
    rdsiam__http_header h = {.name = "DPoP", .value = dpop_value};
    static const char body[] = "{\"clientId\":\"" CLIENT "\","
                               "\"grantType\":\"refresh_token\","
                               "\"refreshToken\":\"" REFRESH "\"}";
    char url[256];
    rdsiam__buf answer;
    long status = 0;

    rdsiam__buf_init(&answer, 65536);
    standin_url(&server, path, url, sizeof url);
    assert_int_equal(rdsiam__endpoint_post_json("test", url, body,
                                                sizeof body - 1, &h, 1, 2000,
                                                NULL, &status, &answer, NULL),
                     RDSIAM_OK);
    snprintf(out, size, "%s", answer.data ? answer.data : "");
    rdsiam__buf_free(&answer);
    return status;
}

/* A proof by key for method, url and iat, with a character of its
 * signature changed when tamper: the stand-in answers 400 naming check. */
static void refused_proof(const char *key, const char *method, const char *url,
                          int64_t iat, bool tamper, const char *check)
{
    char *p = NULL, answer[1024], want[128];

    assert_int_equal(rdsiam__dpop_proof(key, "t", method, url, iat, &p, NULL),
                     RDSIAM_OK);
    /* not the last character, whose low bits are padding that decoders
     * ignore */
    if (tamper)
        p[strlen(p) - 10] = p[strlen(p) - 10] == 'A' ? 'B' : 'A';
    assert_int_equal(post("/signin/chk/v1/token", p, answer, sizeof answer),
                     400);
    snprintf(want, sizeof want, "\"DPoP: %s\"", check);
    if (!contains(answer, want))
        print_message("%s\n", answer);
    assert_true(contains(answer, want));
    free(p);
}

/* The stand-in's checks refuse what they should: a proof sent twice (jti),
 * for another URL (htu) or method (htm), from another time (iat), by
 * another key, with a signature that does not verify; a good one passes. */
static void test_standin_checks_proofs(void **state)
{
    char url[256], other[256], *p = NULL, answer[1024];

    (void)state;
    standin_url(&server, "/signin/chk/v1/token", url, sizeof url);
    standin_url(&server, "/signin/elsewhere/v1/token", other, sizeof other);
    assert_int_equal(
        rdsiam__dpop_proof(TEST_KEY_PEM, "t", "POST", url, NOW, &p, NULL),
        RDSIAM_OK);
    assert_int_equal(post("/signin/chk/v1/token", p, answer, sizeof answer),
                     200);
    assert_int_equal(post("/signin/chk/v1/token", p, answer, sizeof answer),
                     400);
    assert_string_equal(answer, "{\"error\": \"INVALID_REQUEST\", "
                                "\"message\": \"DPoP: jti already used\"}");
    free(p);
    refused_proof(TEST_KEY_PEM, "POST", other, NOW, false, "htu");
    refused_proof(TEST_KEY_PEM, "GET", url, NOW, false, "htm");
    refused_proof(TEST_KEY_PEM, "POST", url, NOW - 61, false, "iat");
    refused_proof(OTHER_KEY_PEM, "POST", url, NOW, false,
                  "jwk is not the session's key");
    refused_proof(TEST_KEY_PEM, "POST", url, NOW, true, "signature");
}

/* The service refuses: botocore's LoginRefreshRequired ("Your session has
 * expired or credentials have changed. Please reauthenticate using 'aws
 * login'.") and LoginInsufficientPermissions; a proof it refuses; 5xx
 * after the retries. The file is left as it was. */
static void test_refused(void **state)
{
    static const struct {
        const char *prefix;
        const char *message;
    } cases[] = {
        {"/signin/expired",
         "login: sign-in CreateOAuth2Token: HTTP 400 TOKEN_EXPIRED: the "
         "session has expired or its credentials have changed; run `aws "
         "login --profile dev`"},
        {"/signin/changed",
         "login: sign-in CreateOAuth2Token: HTTP 400 USER_CREDENTIALS_CHANGED: "
         "the session has expired or its credentials have changed; run `aws "
         "login --profile dev`"},
        {"/signin/perm",
         "login: sign-in CreateOAuth2Token: HTTP 400 INSUFFICIENT_PERMISSIONS: "
         "permission for signin:CreateOAuth2Token is missing"},
        {"/signin/otherkey",
         "login: sign-in CreateOAuth2Token: HTTP 400 INVALID_REQUEST"},
        {"/signin/500x3",
         "login: sign-in CreateOAuth2Token: HTTP 500 server_error"},
    };
    static const char cache[] = CACHE("2026-01-01T00:04:00Z");
    rdsiam__creds c;
    rdsiam_error e;
    char file[4096];
    unsigned mode;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        use(cases[i].prefix, cache);
        assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
        assert_string_equal(e.message, cases[i].message);
        assert_null(c.access_key_id);
        read_cache(file, sizeof file, &mode);
        assert_string_equal(file, cache);
    }
    assert_int_equal(signin_hits("/signin/500x3"), 3);
    use("/signin/malformed", cache);
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "login: sign-in CreateOAuth2Token: the "
                                   "answer is not valid JSON");
}

/* Not configured, configured without a session to read, a key that is no
 * good when a refresh needs it. */
static void test_cache_problems(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;
    char path[512], want[1024];

    (void)state;
    use("/signin/p", NULL);
    snprintf(path, sizeof path, "%s/" SESSION_SHA256 ".json", cache_dir);
    unlink(path);
    fake_write_file(home.config, "[profile dev]\nregion = us-east-1\n");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    assert_string_equal(e.message, "profile dev has no login_session");
    /* botocore: "Unable to load a existing login session for session
     * ARN. Please reauthenticate with 'aws login'." */
    fake_write_file(home.config, PROFILE_DEV);
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_FILE_IO);
    snprintf(want, sizeof want,
             "login: no cached login session for \"" SESSION "\" (%s does not "
             "exist); run `aws login --profile dev`",
             path);
    assert_string_equal(e.message, want);
    fake_write_file(path, "{\"accessToken\": ");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_JSON);
    snprintf(want, sizeof want,
             "%s: login: the login cache file is not valid JSON", path);
    assert_string_equal(e.message, want);
    /* the key matters only when a refresh needs it */
    fake_write_file(path, CACHE_AT("2026-01-01T00:10:00Z", REFRESH, "nokey"));
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    fake_write_file(path, CACHE_AT("2026-01-01T00:01:00Z", REFRESH, "nokey"));
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "login: dpopKey is not a PEM private key");
    assert_int_equal(signin_hits("/signin/p"), 0);
    /* no region to find sign-in in */
    fake_env_set("AWS_ENDPOINT_URL_SIGNIN", NULL);
    fake_write_file(home.config,
                    "[profile dev]\nlogin_session = " SESSION "\n");
    fake_write_file(path, CACHE("2026-01-01T00:01:00Z"));
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_NO_REGION);
}

/* ------------------------------------------------------------------------ */
/* In the chains                                                             */
/* ------------------------------------------------------------------------ */

static int key_of(const char *profile, char *key, size_t size, rdsiam_error *e)
{
    rdsiam_provider_options o = {.profile = profile};
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *ref = NULL;
    int rc = rdsiam_provider_new_default(&p, &o, e);

    if (rc == RDSIAM_OK)
        rc = rdsiam_provider_get_credentials(p, &ref, e);
    if (rc == RDSIAM_OK)
        snprintf(key, size, "%s",
                 rdsiam_credentials_ref_get(ref)->access_key_id);
    rdsiam_credentials_ref_free(ref);
    rdsiam_provider_free(p);
    return rc;
}

/* botocore's ProfileProviderBuilder: shared credentials file, then login,
 * then credential_process; a source_profile's sources include it too. */
static void test_chain_position(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    use("/signin/chain", CACHE("2026-01-01T01:00:00Z"));
    fake_write_file(home.credentials, "[dev]\naws_access_key_id = "
                                      "AKIDCREDSFILE000\naws_secret_access_key"
                                      " = s\n");
    assert_int_equal(key_of("dev", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, "AKIDCREDSFILE000");
    unlink(home.credentials);
    fake_write_file(home.config,
                    PROFILE_DEV "credential_process = /bin/false\n"
                                "aws_access_key_id = AKIDCONFIGFILE00\n"
                                "aws_secret_access_key = s\n");
    assert_int_equal(key_of("dev", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, OLD_AKID);
    /* the default profile, no name given */
    fake_write_file(home.config, "[default]\nlogin_session = " SESSION
                                 "\nregion = us-east-1\n");
    assert_int_equal(key_of(NULL, key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, OLD_AKID);
    assert_int_equal(signin_hits("/signin/chain"), 0);
}

typedef struct asker {
    int rc;
    char akid[64];
} asker;

static void *ask(void *arg)
{
    asker *a = arg;

    a->rc = key_of("dev", a->akid, sizeof a->akid, NULL);
    return NULL;
}

/* Eight providers at once with credentials about to expire: the cache
 * file's lock lets one refresh; the others read what it wrote. */
static void test_refresh_once(void **state)
{
    asker a[8];

    (void)state;
    use("/signin/once", CACHE("2026-01-01T00:01:00Z"));
    memset(a, 0, sizeof a);
    threads_run(8, ask, a, sizeof a[0]);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(a[i].rc, RDSIAM_OK);
        assert_string_equal(a[i].akid, NEW_AKID);
    }
    assert_int_equal(signin_hits("/signin/once"), 1);
}

#define SERVER_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#else /* !RDSIAM_HTTP */

/* Built with HTTP=no the source says so, as the other network sources. */
static void test_not_built_in(void **state)
{
    rdsiam__source s;
    rdsiam_error e;

    (void)state;
    assert_int_equal(rdsiam__source_login(&s, NULL, NULL, &e),
                     RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(s.name, "login");
    assert_true(contains(e.message, "HTTP=no"));
}

#endif /* RDSIAM_HTTP */

int main(void)
{
#if RDSIAM_HTTP
    const struct CMUnitTest offline[] = {
        cmocka_unit_test_setup_teardown(test_cache_path, setup, teardown),
        cmocka_unit_test(test_parse),
        cmocka_unit_test_setup_teardown(test_endpoint, setup, teardown),
        cmocka_unit_test(test_proof),
    };
    const struct CMUnitTest online[] = {
        SERVER_TEST(test_cached),
        SERVER_TEST(test_refresh),
        SERVER_TEST(test_standin_checks_proofs),
        SERVER_TEST(test_refused),
        SERVER_TEST(test_cache_problems),
        SERVER_TEST(test_chain_position),
        SERVER_TEST(test_refresh_once),
    };
    int failed;

    alarm(300);
    signal(SIGPIPE, SIG_IGN);
    failed = cmocka_run_group_tests_name("login offline", offline, NULL, NULL);
    return failed + cmocka_run_group_tests_name("login stand-in", online,
                                                server_setup, server_teardown);
#else
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_not_built_in, setup, teardown),
    };

    return cmocka_run_group_tests_name("login (HTTP=no)", tests, NULL, NULL);
#endif
}
