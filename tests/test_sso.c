/*
 * test_sso.c - the IAM Identity Center (SSO) credential source
 * (lib/source_sso.c).
 *
 * Offline: cache file names for both profile forms, token cache parsing,
 * portal answers, the portal URL and its overrides, configuration checks.
 * Online: fetches through the source from the SSO portal routes of
 * tests/helpers/aws_standin.py on 127.0.0.1, reached through
 * AWS_ENDPOINT_URL_SSO, with token cache files in a temporary HOME.
 *
 * Expected values: cache file names are sha1(...).hexdigest() as botocore
 * 1.43's SSOTokenLoader computes them (python3 -c "import hashlib;
 * print(hashlib.sha1(b'my-sso').hexdigest())"); credentials are those
 * aws_standin.py serves (SSO_DEFAULT there); messages follow botocore's
 * SSOProvider and UnauthorizedSSOTokenError as cited at each test.
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

#include "helpers/fake_env.h"
#include "helpers/standin.h"
#include "helpers/threads.h"
#include "helpers/wipes.h"
#include "http.h"
#include "internal.h"
#include "provider.h"
#include "source_sso.h"
#include "sso_token.h"

/* What aws_standin.py's SSO portal serves and accepts (SSO_DEFAULT). */
#define GOOD_AKID "ASIASSOEXAMPLE123456"
#define GOOD_SECRET "ssoSecretKeyEXAMPLE/abcdefghijklmnopqrstuv+1"
#define GOOD_TOKEN "ssoSessionTokenEXAMPLE/xyz+abc=="
#define GOOD_EXPIRATION INT64_C(4102444800) /* 4102444800000 ms / 1000 */
#define ACCESS_TOKEN "ssoAccessTokenEXAMPLE"
#define ACCOUNT "111122223333"
#define ROLE "ReadOnly"
#define START_URL "https://my-sso-portal.awsapps.com/start"
/* sha1 hex of "my-sso" and of START_URL (hashlib, as SSOTokenLoader) */
#define SESSION_SHA1 "0ad374308c5a4e22f723adf10145eafad7c4031c"
#define START_URL_SHA1 "c7aaaf71fcc8777ae2475525ed049d39fe16c484"

static fake_home home;
static char cache_dir[256];

static int setup(void **state)
{
    char aws[200], sso[220];

    (void)state;
    if (fake_home_setup(&home, "sso") != 0)
        return -1;
    snprintf(aws, sizeof aws, "%s/.aws", home.dir);
    snprintf(sso, sizeof sso, "%s/.aws/sso", home.dir);
    snprintf(cache_dir, sizeof cache_dir, "%s/.aws/sso/cache", home.dir);
    if (mkdir(aws, 0700) != 0 || mkdir(sso, 0700) != 0 ||
        mkdir(cache_dir, 0700) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char path[512];

    (void)state;
    snprintf(path, sizeof path, "%s/" SESSION_SHA1 ".json", cache_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/" START_URL_SHA1 ".json", cache_dir);
    unlink(path);
    rmdir(cache_dir);
    snprintf(path, sizeof path, "%s/.aws/sso", home.dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/.aws", home.dir);
    rmdir(path);
    rdsiam__sys_set_clock(NULL, NULL);
    fake_home_teardown(&home);
    return 0;
}

static bool contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

static rdsiam__sso_config session_form(void)
{
    rdsiam__sso_config c;

    memset(&c, 0, sizeof c);
    c.profile = "dev";
    c.session_name = "my-sso";
    c.start_url = START_URL;
    c.region = "us-east-1";
    c.account_id = ACCOUNT;
    c.role_name = ROLE;
    return c;
}

static rdsiam__sso_config legacy_form(void)
{
    rdsiam__sso_config c = session_form();

    c.profile = "legacy";
    c.session_name = NULL;
    return c;
}

#if RDSIAM_HTTP
/* Write the cache file of cfg with the given text. */
static void write_cache(const rdsiam__sso_config *cfg, const char *text)
{
    char *path = NULL;

    assert_int_equal(rdsiam__sso_cache_path(cfg, &path, NULL), RDSIAM_OK);
    fake_write_file(path, text);
    free(path);
}
#endif

#define CACHE(token, exp)                                                      \
    "{\"startUrl\": \"" START_URL "\", \"region\": \"us-east-1\", "            \
    "\"accessToken\": \"" token "\", \"expiresAt\": \"" exp "\"}"

/* ------------------------------------------------------------------------ */
/* Offline                                                                   */
/* ------------------------------------------------------------------------ */

/* SSOTokenLoader._generate_cache_key: the session name if any, else the
 * start URL. */
static void test_cache_path(void **state)
{
    rdsiam__sso_config s = session_form(), l = legacy_form();
    char *path = NULL, expect[512];
    rdsiam_error e;

    (void)state;
    assert_int_equal(rdsiam__sso_cache_path(&s, &path, &e), RDSIAM_OK);
    snprintf(expect, sizeof expect, "%s/.aws/sso/cache/" SESSION_SHA1 ".json",
             home.dir);
    assert_string_equal(path, expect);
    free(path);
    assert_int_equal(rdsiam__sso_cache_path(&l, &path, &e), RDSIAM_OK);
    snprintf(expect, sizeof expect, "%s/.aws/sso/cache/" START_URL_SHA1 ".json",
             home.dir);
    assert_string_equal(path, expect);
    free(path);
    fake_env_set("HOME", NULL);
    assert_int_equal(rdsiam__sso_cache_path(&s, &path, &e), RDSIAM_ERR_FILE_IO);
    assert_null(path);
    assert_true(contains(e.message, "HOME is not set"));
    fake_env_set("HOME", home.dir);
}

static void test_parse_token(void **state)
{
    static const struct {
        const char *doc;
        const char *message;
    } bad[] = {
        {"{\"accessToken\": \"t\"}", "has no expiresAt"},
        {"{\"expiresAt\": \"2100-01-01T00:00:00Z\"}", "has no accessToken"},
        {"{\"accessToken\": 5, \"expiresAt\": \"2100-01-01T00:00:00Z\"}",
         "IAM Identity Center: accessToken is not a string"},
        {CACHE("", "2100-01-01T00:00:00Z"), "accessToken in the SSO token "
                                            "cache file is empty"},
        {CACHE("a\\r\\nInjected: 1", "2100-01-01T00:00:00Z"),
         "characters an HTTP header cannot carry"},
        {CACHE("a\\u0000b", "2100-01-01T00:00:00Z"), "NUL character"},
        {CACHE("t", "next week"), "expiresAt \"next week\" in the SSO token "
                                  "cache file is not an ISO-8601 time"},
        {"{\"accessToken\": \"t\", ", "not valid JSON"},
        {"", "not valid JSON"},
        {"[]", "not a JSON object"},
    };
    rdsiam__sso_token t;
    rdsiam_error e;
    size_t i;
    const char *full = "{\"startUrl\": \"" START_URL "\", \"region\": "
                       "\"us-east-1\", \"accessToken\": \"tok\", "
                       "\"expiresAt\": \"2026-12-01T12:00:00Z\", "
                       "\"clientId\": \"cid\", \"clientSecret\": \"cs\", "
                       "\"registrationExpiresAt\": \"2027-01-01T00:00:00Z\", "
                       "\"refreshToken\": \"rt\"}";

    (void)state;
    assert_int_equal(rdsiam__sso_parse_token(
                         CACHE("tok", "2026-12-01T12:00:00Z"),
                         strlen(CACHE("tok", "2026-12-01T12:00:00Z")), &t, &e),
                     RDSIAM_OK);
    assert_string_equal(t.access_token, "tok");
    assert_int_equal(
        t.expires_at,
        INT64_C(1796126400)); /* date -u -d 2026-12-01T12:00:00Z +%s */
    /* no refresh fields: nothing to refresh with */
    assert_null(t.client_id);
    assert_null(t.client_secret);
    assert_null(t.refresh_token);
    assert_null(t.registration_expires_at);
    rdsiam__sso_token_clear(&t);
    /* the suffix older AWS CLI v2 releases wrote */
    assert_int_equal(
        rdsiam__sso_parse_token(CACHE("tok", "2026-12-01T12:00:00UTC"),
                                strlen(CACHE("tok", "2026-12-01T12:00:00UTC")),
                                &t, &e),
        RDSIAM_OK);
    assert_int_equal(t.expires_at, INT64_C(1796126400));
    rdsiam__sso_token_clear(&t);
    /* what `aws sso login` writes for an sso-session (botocore reads the
     * same fields in SSOTokenProvider._refresh_access_token) */
    assert_int_equal(rdsiam__sso_parse_token(full, strlen(full), &t, &e),
                     RDSIAM_OK);
    assert_string_equal(t.client_id, "cid");
    assert_string_equal(t.client_secret, "cs");
    assert_string_equal(t.refresh_token, "rt");
    assert_string_equal(t.registration_expires_at, "2027-01-01T00:00:00Z");
    rdsiam__sso_token_clear(&t);
    assert_null(t.access_token);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(
            rdsiam__sso_parse_token(bad[i].doc, strlen(bad[i].doc), &t, &e),
            RDSIAM_ERR_JSON);
        if (!contains(e.message, bad[i].message))
            print_message("case %zu: %s\n", i, e.message);
        assert_true(contains(e.message, bad[i].message));
        assert_null(t.access_token);
    }
}

#define ROLE_CREDS(akid, exp)                                                  \
    "{\"roleCredentials\":{\"accessKeyId\":\"" akid "\","                      \
    "\"secretAccessKey\":\"" GOOD_SECRET "\",\"sessionToken\":\"" GOOD_TOKEN   \
    "\",\"expiration\":" exp "}}"

static void test_parse_credentials(void **state)
{
    static const struct {
        const char *doc;
        int rc;
        const char *message;
    } bad[] = {
        {ROLE_CREDS("asiassoexample123456", "4102444800000"),
         RDSIAM_ERR_ACCESS_KEY_INVALID,
         "IAM Identity Center answer: the access key id is not 16 to 128"},
        {ROLE_CREDS("ASIA\\u0000SSOEXAMPLE12345", "4102444800000"),
         RDSIAM_ERR_JSON, "NUL character"},
        {ROLE_CREDS(GOOD_AKID, "\"4102444800000\""), RDSIAM_ERR_JSON,
         "IAM Identity Center: expiration is not an integer"},
        {ROLE_CREDS(GOOD_AKID, "4102444800000.5"), RDSIAM_ERR_JSON,
         "IAM Identity Center: expiration is not an integer"},
        {ROLE_CREDS(GOOD_AKID, "-1"), RDSIAM_ERR_JSON,
         "expiration in the portal's answer is not a time"},
        {ROLE_CREDS(GOOD_AKID, "1234567890000"), RDSIAM_ERR_CREDENTIALS_EXPIRED,
         "already expired"},
        {"{\"roleCredentials\":{\"accessKeyId\":\"" GOOD_AKID "\","
         "\"secretAccessKey\":\"" GOOD_SECRET "\",\"sessionToken\":\"\","
         "\"expiration\":4102444800000}}",
         RDSIAM_ERR_JSON,
         "IAM Identity Center: sessionToken in the portal's answer is empty"},
        {"{\"roleCredentials\":{}}", RDSIAM_ERR_JSON,
         "the portal's answer has no accessKeyId"},
        {"{\"roleCredentials\":[]}", RDSIAM_ERR_JSON,
         "IAM Identity Center: roleCredentials is not an object"},
        {"{}", RDSIAM_ERR_JSON, "the portal's answer has no roleCredentials"},
        {"{\"roleCredentials\":{\"accessKeyId\":\"A", RDSIAM_ERR_JSON,
         "not valid JSON"},
    };
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;
    const char *good = ROLE_CREDS(GOOD_AKID, "4102444800999");

    (void)state;
    assert_int_equal(rdsiam__sso_parse_credentials(good, strlen(good), &c, &e),
                     RDSIAM_OK);
    assert_string_equal(c.access_key_id, GOOD_AKID);
    assert_string_equal(c.secret_access_key, GOOD_SECRET);
    assert_string_equal(c.session_token, GOOD_TOKEN);
    assert_int_equal(c.expiration, GOOD_EXPIRATION); /* ms rounded down */
    rdsiam__creds_clear(&c);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(rdsiam__sso_parse_credentials(
                             bad[i].doc, strlen(bad[i].doc), &c, &e),
                         bad[i].rc);
        if (!contains(e.message, bad[i].message))
            print_message("case %zu: %s\n", i, e.message);
        assert_true(contains(e.message, bad[i].message));
        assert_null(c.access_key_id);
        assert_null(c.secret_access_key);
    }
}

/* The configured endpoints are read by endpoint.c's URL parser, which
 * needs libcurl. */
#if RDSIAM_HTTP
static void test_portal_url(void **state)
{
    rdsiam__sso_config c = session_form();
    char *url = NULL;
    rdsiam_error e;

    (void)state;
    /* botocore's sso endpoint: https://portal.sso.{region}.amazonaws.com */
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "https://portal.sso.us-east-1.amazonaws.com"
                             "/federation/credentials?role_name=ReadOnly"
                             "&account_id=111122223333");
    free(url);
    c.role_name = "Admin+Role/x";
    c.region = "eu-west-2";
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "https://portal.sso.eu-west-2.amazonaws.com"
                             "/federation/credentials?role_name=Admin%2BRole"
                             "%2Fx&account_id=111122223333");
    free(url);
    /* other partitions: botocore's create_client("sso", region_name=R)
     * .meta.endpoint_url */
    {
        static const char *const part[][2] = {
            {"cn-north-1", "https://portal.sso.cn-north-1.amazonaws.com.cn"},
            {"us-gov-west-1", "https://portal.sso.us-gov-west-1.amazonaws.com"},
            {"us-iso-east-1", "https://portal.sso.us-iso-east-1.c2s.ic.gov"},
            {"us-isob-east-1",
             "https://portal.sso.us-isob-east-1.sc2s.sgov.gov"},
            {"eu-isoe-west-1",
             "https://portal.sso.eu-isoe-west-1.cloud.adc-e.uk"},
            {"us-isof-south-1",
             "https://portal.sso.us-isof-south-1.csp.hci.ic.gov"},
        };
        size_t i;

        c = session_form();
        for (i = 0; i < sizeof part / sizeof *part; i++) {
            c.region = part[i][0];
            assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
            assert_int_equal(strncmp(url, part[i][1], strlen(part[i][1])), 0);
            assert_string_equal(url + strlen(part[i][1]),
                                "/federation/credentials?role_name=ReadOnly"
                                "&account_id=111122223333");
            free(url);
        }
    }
    c = session_form();
    c.region = "us-east-1.evil.example/";
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e),
                     RDSIAM_ERR_REGION_INVALID);
    assert_null(url);
    c = session_form();
    fake_env_set("AWS_ENDPOINT_URL", "https://global.example");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "https://global.example/federation/credentials"
                             "?role_name=ReadOnly&account_id=111122223333");
    free(url);
    fake_env_set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9/p/");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "http://127.0.0.1:9/p/federation/credentials"
                             "?role_name=ReadOnly&account_id=111122223333");
    free(url);
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    assert_true(contains(url, "https://portal.sso.us-east-1.amazonaws.com/"));
    free(url);
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", NULL);
    fake_env_set("AWS_ENDPOINT_URL_SSO", "http://portal.example");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e),
                     RDSIAM_ERR_URI_NOT_ALLOWED);
    assert_string_equal(e.message,
                        "IAM Identity Center: AWS_ENDPOINT_URL_SSO: plain "
                        "http is not allowed to host 'portal.example': only "
                        "to loopback (127.0.0.0/8, [::1], localhost); use "
                        "https");
    fake_env_set("AWS_ENDPOINT_URL_SSO", "http://[::1]:8080");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    free(url);
    fake_env_set("AWS_ENDPOINT_URL_SSO", "http://localhost");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e), RDSIAM_OK);
    free(url);
    fake_env_set("AWS_ENDPOINT_URL_SSO", "ftp://x");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e),
                     RDSIAM_ERR_URI_INVALID);
    fake_env_set("AWS_ENDPOINT_URL_SSO", "https://u@x");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e),
                     RDSIAM_ERR_URI_INVALID);
    fake_env_set("AWS_ENDPOINT_URL_SSO", "https://x/?a=b");
    assert_int_equal(rdsiam__sso_portal_url(&c, &url, &e),
                     RDSIAM_ERR_URI_INVALID);
    fake_env_set("AWS_ENDPOINT_URL_SSO", NULL);
    fake_env_set("AWS_ENDPOINT_URL", NULL);
}

/* SSOProvider._load_sso_config: "The profile "NAME" is configured to use
 * SSO but is missing required configuration: ..." */
static void test_config_checks(void **state)
{
    rdsiam__sso_config c = legacy_form();
    rdsiam__source s;
    rdsiam_error e;

    (void)state;
    c.start_url = NULL;
    c.region = NULL;
    assert_int_equal(rdsiam__sso_new(&s, &c, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(e.message,
                        "IAM Identity Center: the profile \"legacy\" is "
                        "configured to use SSO but is missing required "
                        "configuration: sso_start_url, sso_region");
    assert_null(s.self);
    c = session_form();
    c.role_name = "";
    c.profile = "a\x1b[31mb";
    assert_int_equal(rdsiam__sso_new(&s, &c, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    /* a control character in a name never reaches a message */
    assert_true(contains(e.message, "the profile \"a?[31mb\" is"));
    assert_true(contains(e.message, "configuration: sso_role_name"));
}

/* ------------------------------------------------------------------------ */
/* The portal stand-in on loopback                                          */
/* ------------------------------------------------------------------------ */

static standin server;
static char endpoint[256];

/* GET path from the stand-in as text into out (the test fails if that is
 * impossible). */
static void get_text(const char *path, char *out, size_t size)
{
    assert_int_equal(standin_get_text(&server, path, out, size), 0);
}

static int server_setup(void **state)
{
    (void)state;
    return standin_start(&server, NULL);
}

static int server_teardown(void **state)
{
    (void)state;
    standin_stop(&server);
    return 0;
}

/* Point AWS_ENDPOINT_URL_SSO at the stand-in ("" or "/sso/OPTS"). */
static void use(const char *prefix)
{
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d%s", server.port,
             prefix);
    fake_env_set("AWS_ENDPOINT_URL_SSO", endpoint);
}

static int fetch(const rdsiam__sso_config *cfg, rdsiam__creds *c,
                 rdsiam_error *e)
{
    rdsiam__source s;
    int rc;

    assert_int_equal(rdsiam__sso_new(&s, cfg, NULL), RDSIAM_OK);
    assert_string_equal(s.name, "sso");
    memset(e, 0, sizeof *e);
    memset(c, 0, sizeof *c);
    rc = s.fetch(s.self, c, e);
    s.destroy(s.self);
    return rc;
}

static void assert_good(rdsiam__creds *c)
{
    assert_string_equal(c->access_key_id, GOOD_AKID);
    assert_string_equal(c->secret_access_key, GOOD_SECRET);
    assert_string_equal(c->session_token, GOOD_TOKEN);
    assert_int_equal(c->expiration, GOOD_EXPIRATION);
    rdsiam__creds_clear(c);
}

static long portal_hits(const char *prefix)
{
    char path[256];

    snprintf(path, sizeof path,
             "%s/federation/credentials?role_name=ReadOnly"
             "&account_id=111122223333",
             prefix);
    return standin_hits(&server, path);
}

/* Both forms, each with its own cache file; the token goes in the
 * x-amz-sso_bearer_token header. */
static void test_fetch_both_forms(void **state)
{
    rdsiam__sso_config s = session_form(), l = legacy_form();
    rdsiam__creds c;
    rdsiam_error e;
    char log[8192];

    (void)state;
    use("/sso/forms");
    write_cache(&s, CACHE(ACCESS_TOKEN, "2100-01-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(portal_hits("/sso/forms"), 1);
    get_text("/_log?p=/sso/forms/federation/credentials%3F"
             "role_name%3DReadOnly%26account_id%3D111122223333",
             log, sizeof log);
    assert_true(
        contains(log, "[\"x-amz-sso_bearer_token\", \"" ACCESS_TOKEN "\"]"));
    assert_true(contains(log, "\"method\": \"GET\""));
    /* The legacy form has no file yet: its name differs. */
    assert_int_equal(fetch(&l, &c, &e), RDSIAM_ERR_FILE_IO);
    write_cache(&l, CACHE(ACCESS_TOKEN, "2100-01-01T00:00:00Z"));
    assert_int_equal(fetch(&l, &c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(portal_hits("/sso/forms"), 2);
    /* The plain path (no prefix) works as well. */
    use("");
    assert_int_equal(fetch(&l, &c, &e), RDSIAM_OK);
    assert_good(&c);
}

/* UnauthorizedSSOTokenError is raised for an expired legacy token before
 * the portal is asked; ours names the command to run. */
static void test_expired_token(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("/sso/expired");
    write_cache(&s, CACHE(ACCESS_TOKEN, "2020-01-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_string_equal(e.message,
                        "IAM Identity Center: the SSO session for profile "
                        "\"dev\" expired at 2020-01-01T00:00:00Z and was not "
                        "refreshed: the cache file has no refreshToken, "
                        "clientId, clientSecret and registrationExpiresAt to "
                        "refresh it with; run `aws sso login --profile dev`");
    assert_int_equal(portal_hits("/sso/expired"), 0);
    assert_null(c.access_key_id);
}

static void test_cache_file_problems(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;
    char path[512], expect[768], big[70000];

    (void)state;
    use("/sso/files");
    snprintf(path, sizeof path, "%s/" SESSION_SHA1 ".json", cache_dir);
    unlink(path);
    /* botocore: "Error loading SSO Token: Token for my-sso does not exist" */
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_FILE_IO);
    snprintf(expect, sizeof expect,
             "IAM Identity Center: no cached SSO token for session \"my-sso\" "
             "(%s does not exist); run `aws sso login --profile dev`",
             path);
    assert_string_equal(e.message, expect);
    write_cache(&s, "{\"accessToken\": \"" ACCESS_TOKEN "\"");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_JSON);
    assert_true(contains(e.message, path));
    assert_true(contains(e.message, "the SSO token cache file is not valid "
                                    "JSON"));
    write_cache(&s, "{\"accessToken\": \"" ACCESS_TOKEN "\"}");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_JSON);
    assert_true(contains(e.message, "has no expiresAt"));
    /* larger than 64 KiB */
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[0] = '{';
    big[sizeof big - 2] = '}';
    write_cache(&s, big);
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_FILE_IO);
    assert_true(contains(e.message, "is larger than 65536 bytes"));
    /* a FIFO in its place: refused at once, never waited on */
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_FILE_IO);
    assert_true(contains(e.message, "is not a regular file"));
    unlink(path);
    assert_int_equal(portal_hits("/sso/files"), 0);
}

/* Portal errors: 401 (UnauthorizedException -> UnauthorizedSSOTokenError
 * in botocore), 403 (ForbiddenException: no such assignment). */
static void test_portal_errors(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("/sso/errors");
    write_cache(&s, CACHE("notTheToken", "2100-01-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(e.message,
                        "IAM Identity Center: the portal refused the SSO "
                        "token (HTTP 401 UnauthorizedException): the session "
                        "has expired or is otherwise invalid; run `aws sso "
                        "login --profile dev`");
    write_cache(&s, CACHE(ACCESS_TOKEN, "2100-01-01T00:00:00Z"));
    s.role_name = "Admin";
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(e.message,
                        "IAM Identity Center: the portal refused role "
                        "\"Admin\" in account \"111122223333\" (HTTP 403 "
                        "ForbiddenException): check sso_role_name and "
                        "sso_account_id of profile \"dev\"");
    assert_null(c.access_key_id);
}

/* 429 and 5xx are retried (two retries); a third failure is reported. */
static void test_portal_retries(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    write_cache(&s, CACHE(ACCESS_TOKEN, "2100-01-01T00:00:00Z"));
    use("/sso/429x1.503x2");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(portal_hits("/sso/429x1.503x2"), 3);
    use("/sso/500x3");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_true(contains(e.message, "HTTP status 500"));
    assert_int_equal(portal_hits("/sso/500x3"), 3);
}

static void test_portal_bad_answers(void **state)
{
    static const struct {
        const char *prefix;
        int rc;
        const char *message;
    } cases[] = {
        {"/sso/malformed", RDSIAM_ERR_JSON, "not valid JSON"},
        {"/sso/truncated", RDSIAM_ERR_JSON, "not valid JSON"},
        {"/sso/nul", RDSIAM_ERR_JSON, "NUL character"},
        {"/sso/badakid", RDSIAM_ERR_ACCESS_KEY_INVALID,
         "IAM Identity Center answer: the access key id is not 16 to 128"},
        {"/sso/msexp", RDSIAM_ERR_JSON,
         "IAM Identity Center: expiration is not an integer"},
    };
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;

    (void)state;
    write_cache(&s, CACHE(ACCESS_TOKEN, "2100-01-01T00:00:00Z"));
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        use(cases[i].prefix);
        assert_int_equal(fetch(&s, &c, &e), cases[i].rc);
        if (!contains(e.message, cases[i].message))
            print_message("%s: %s\n", cases[i].prefix, e.message);
        assert_true(contains(e.message, cases[i].message));
        assert_null(c.access_key_id);
    }
}

/* A portal slower than the timeout: each of the three attempts times out. */
static void test_portal_slow(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    write_cache(&s, CACHE(ACCESS_TOKEN, "2100-01-01T00:00:00Z"));
    s.timeout_ms = 300;
    use("/sso/slow1000");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_HTTP);
    assert_true(contains(e.message, "IAM Identity Center: "));
    assert_true(contains(e.message, "(3 attempts)"));
    s.timeout_ms = 3000;
    use("/sso/slow500");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_good(&c);
}

/* ------------------------------------------------------------------------ */
/* The refresh through SSO-OIDC (sso_token.c)                                */
/* ------------------------------------------------------------------------ */

/* What aws_standin.py's SSO-OIDC lets in (OIDC_DEFAULT) and answers:
 * access token "ssoAccess-" + sha256(R)[:16] for refresh token R, next
 * refresh token "ssoRefresh-" + sha256("next:" + R)[:16], and the portal's
 * session token for that access token GOOD_TOKEN-<sha256(access)[:8]>
 * (python3 -c "import hashlib; print(hashlib.sha256(b'...').hexdigest())").
 */
#define CLIENT_ID "ssoClientIdEXAMPLE"
#define CLIENT_SECRET "ssoClientSecretEXAMPLE"
#define REFRESH "ssoRefreshTokenEXAMPLE"
#define NEW_ACCESS "ssoAccess-61e7c2a1ea8ab080"
#define NEW_REFRESH "ssoRefresh-a497e933458934ca"
#define NEW_SESSION_TOKEN GOOD_TOKEN "-1d2ca057"
/* The pinned clock: 2026-01-01T00:00:00Z (date -u -d ... +%s) */
#define NOW INT64_C(1767225600)

static int64_t pinned = NOW;

static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return pinned;
}

/* A cache file as `aws sso login` writes it for an sso-session, the
 * access token expiring at exp and the registration at reg. */
#define REFRESHABLE(exp, reg)                                                  \
    "{\"startUrl\": \"" START_URL "\", \"region\": \"us-east-1\", "            \
    "\"accessToken\": \"" ACCESS_TOKEN "\", \"expiresAt\": \"" exp "\", "      \
    "\"clientId\": \"" CLIENT_ID "\", \"clientSecret\": \"" CLIENT_SECRET      \
    "\", \"registrationExpiresAt\": \"" reg "\", \"refreshToken\": \"" REFRESH \
    "\"}"

/* The whole cache file of cfg into out; its mode into *mode. */
static void read_cache(const rdsiam__sso_config *cfg, char *out, size_t size,
                       unsigned *mode)
{
    char *path = NULL;
    struct stat st;
    FILE *f;
    size_t n;

    assert_int_equal(rdsiam__sso_cache_path(cfg, &path, NULL), RDSIAM_OK);
    assert_int_equal(stat(path, &st), 0);
    *mode = (unsigned)st.st_mode & 07777u;
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
    free(path);
}

/* Point the portal and SSO-OIDC at the stand-in, each under its own tag. */
static void use_both(const char *sso, const char *oidc)
{
    static char oidc_ep[256];

    use(sso);
    snprintf(oidc_ep, sizeof oidc_ep, "http://127.0.0.1:%d%s", server.port,
             oidc);
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", oidc_ep);
}

static long oidc_hits(const char *prefix)
{
    char path[256];

    snprintf(path, sizeof path, "%s/token", prefix);
    return standin_hits(&server, path);
}

/* The default endpoint, as botocore resolves it (create_client("sso-oidc",
 * region_name=R), the URL of a CreateToken request), and the overrides. */
static void test_oidc_url(void **state)
{
    rdsiam__sso_config c = session_form();
    char *url = NULL;
    rdsiam_error e;

    (void)state;
    assert_int_equal(rdsiam__sso_oidc_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "https://oidc.us-east-1.amazonaws.com/token");
    free(url);
    c.region = "cn-north-1";
    assert_int_equal(rdsiam__sso_oidc_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "https://oidc.cn-north-1.amazonaws.com.cn/token");
    free(url);
    c.region = "us-iso-east-1";
    assert_int_equal(rdsiam__sso_oidc_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "https://oidc.us-iso-east-1.c2s.ic.gov/token");
    free(url);
    fake_env_set("AWS_ENDPOINT_URL", "http://127.0.0.1:9/all/");
    assert_int_equal(rdsiam__sso_oidc_url(&c, &url, &e), RDSIAM_OK);
    assert_string_equal(url, "http://127.0.0.1:9/all/token");
    free(url);
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc.example");
    assert_int_equal(rdsiam__sso_oidc_url(&c, &url, &e),
                     RDSIAM_ERR_URI_NOT_ALLOWED);
    assert_string_equal(e.message,
                        "IAM Identity Center: AWS_ENDPOINT_URL_SSO_OIDC: "
                        "plain http is not allowed to host 'oidc.example': "
                        "only to loopback (127.0.0.0/8, [::1], localhost); "
                        "use https");
    assert_null(url);
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", NULL);
    fake_env_set("AWS_ENDPOINT_URL", NULL);
}

/* Inside the 15-minute window: one CreateToken with the cached
 * registration and refresh token, the new token used at once, and the
 * file written back as botocore writes it (_attempt_create_token's fields
 * in its order, expiresAt = now + expiresIn (3600), mode 0600). */
static void test_refresh_in_window(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;
    char log[8192], file[4096];
    unsigned mode = 0;
    int copies;

    (void)state;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    use_both("/sso/r1", "/oidc/r1");
    /* 10 minutes left: inside the window */
    write_cache(&s,
                REFRESHABLE("2026-01-01T00:10:00Z", "2026-04-01T00:00:00Z"));
    wipes_watch(NEW_REFRESH);
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    copies = wipes_stop();
    assert_string_equal(c.session_token, NEW_SESSION_TOKEN);
    assert_string_equal(c.access_key_id, GOOD_AKID);
    rdsiam__creds_clear(&c);
    assert_int_equal(oidc_hits("/oidc/r1"), 1);
    /* The request as botocore sends it (restJson1, members in the
     * model's order). */
    get_text("/_log?p=/oidc/r1/token", log, sizeof log);
    assert_true(contains(log, "\"method\": \"POST\""));
    assert_true(contains(log, "[\"Content-Type\", \"application/json\"]"));
    assert_true(contains(log, "\"body\": \"{\\\"clientId\\\":\\\"" CLIENT_ID
                              "\\\",\\\"clientSecret\\\":\\\"" CLIENT_SECRET
                              "\\\",\\\"grantType\\\":\\\"refresh_token\\\","
                              "\\\"refreshToken\\\":\\\"" REFRESH "\\\"}\""));
    read_cache(&s, file, sizeof file, &mode);
    assert_string_equal(file, "{\"startUrl\":\"" START_URL "\","
                              "\"region\":\"us-east-1\","
                              "\"accessToken\":\"" NEW_ACCESS "\","
                              "\"expiresAt\":\"2026-01-01T01:00:00Z\","
                              "\"clientId\":\"" CLIENT_ID "\","
                              "\"clientSecret\":\"" CLIENT_SECRET "\","
                              "\"registrationExpiresAt\":"
                              "\"2026-04-01T00:00:00Z\","
                              "\"refreshToken\":\"" NEW_REFRESH "\"}");
    assert_int_equal(mode, 0600);
    /* Every copy of the new refresh token was wiped: the answer as
     * received, the JSON reader's decoded value, the text of the
     * write-back (written straight into its buffer), the token's own
     * string. */
    assert_int_equal(copies, 4);
    /* 16 minutes later the new token still has 44: no call. */
    pinned = NOW + 16 * 60;
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_string_equal(c.session_token, NEW_SESSION_TOKEN);
    rdsiam__creds_clear(&c);
    assert_int_equal(oidc_hits("/oidc/r1"), 1);
    pinned = NOW;
}

/* With the cache file of cfg expiring at exp (registration good), the
 * portal's credentials carry want; SSO-OIDC has then been asked hits
 * times under /oidc/r2. */
static void expect_token(const rdsiam__sso_config *cfg, const char *exp,
                         const char *want, long hits)
{
    char text[1024];
    rdsiam__creds c;
    rdsiam_error e;

    snprintf(text, sizeof text, REFRESHABLE("%s", "2026-04-01T00:00:00Z"), exp);
    write_cache(cfg, text);
    assert_int_equal(fetch(cfg, &c, &e), RDSIAM_OK);
    assert_string_equal(c.session_token, want);
    rdsiam__creds_clear(&c);
    assert_int_equal(oidc_hits("/oidc/r2"), hits);
}

/* Outside the window (15 minutes and more left), the legacy form,
 * and a token that expired an hour ago but can still be refreshed. */
static void test_refresh_when(void **state)
{
    rdsiam__sso_config s = session_form(), l = legacy_form();

    (void)state;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    use_both("/sso/r2", "/oidc/r2");
    expect_token(&s, "2026-01-01T00:15:01Z", GOOD_TOKEN, 0);
    /* "remaining < _REFRESH_WINDOW": 15 minutes exactly is outside */
    expect_token(&s, "2026-01-01T00:15:00Z", GOOD_TOKEN, 0);
    expect_token(&s, "2026-01-01T00:14:59Z", NEW_SESSION_TOKEN, 1);
    /* botocore refreshes only the sso_session form */
    expect_token(&l, "2026-01-01T00:05:00Z", GOOD_TOKEN, 1);
    /* expired, but the refresh token and registration are good */
    expect_token(&s, "2025-12-31T23:00:00Z", NEW_SESSION_TOKEN, 2);
}

/* A refresh that fails: the cached token is used while it is valid (and
 * the file left alone); an expired one gives the error botocore's
 * "Token has expired and refresh failed" becomes here, naming the command
 * and why. */
static void test_refresh_fails(void **state)
{
    static const char valid[] =
        REFRESHABLE("2026-01-01T00:10:00Z", "2026-04-01T00:00:00Z");
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;
    char file[4096];
    unsigned mode;

    (void)state;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    use_both("/sso/r3", "/oidc/grant");
    write_cache(&s, valid);
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_string_equal(c.session_token, GOOD_TOKEN);
    rdsiam__creds_clear(&c);
    assert_int_equal(oidc_hits("/oidc/grant"), 1);
    read_cache(&s, file, sizeof file, &mode);
    assert_string_equal(file, valid);
    write_cache(&s,
                REFRESHABLE("2025-12-31T23:59:59Z", "2026-04-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_string_equal(e.message,
                        "IAM Identity Center: the SSO session for profile "
                        "\"dev\" expired at 2025-12-31T23:59:59Z and was not "
                        "refreshed: SSO-OIDC CreateToken: HTTP 400 "
                        "invalid_grant; run `aws sso login --profile dev`");
    assert_null(c.access_key_id);
    /* 5xx: retried twice, then the same */
    use_both("/sso/r3", "/oidc/500x3");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_true(contains(e.message, "and was not refreshed: SSO-OIDC "
                                    "CreateToken: HTTP 500 server_error;"));
    assert_int_equal(oidc_hits("/oidc/500x3"), 3);
    /* nothing listening */
    {
        static char closed[64];
        snprintf(closed, sizeof closed, "http://127.0.0.1:%d",
                 standin_closed_port());
        fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", closed);
    }
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_true(contains(e.message, "and was not refreshed: SSO-OIDC "
                                    "CreateToken: POST http://127.0.0.1:"));
    /* answers that are no good: not JSON, a token a header cannot carry */
    use_both("/sso/r3", "/oidc/malformed");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_true(contains(e.message, "was not refreshed: SSO-OIDC CreateToken: "
                                    "the answer is not valid JSON;"));
    use_both("/sso/r3", "/oidc/badtoken");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_true(contains(e.message, "accessToken in the answer is empty, "
                                    "longer than 8192 bytes, or has "
                                    "characters an HTTP header cannot "
                                    "carry;"));
    /* the settings are wrong: an error at once, as botocore's */
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc.example");
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_URI_NOT_ALLOWED);
}

/* No refresh without what it needs: an expired registration, or no
 * refresh token (a file from an `aws sso login` without sso_session). */
static void test_refresh_impossible(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    use_both("/sso/r4", "/oidc/r4");
    write_cache(&s,
                REFRESHABLE("2025-12-31T23:00:00Z", "2025-12-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_string_equal(e.message,
                        "IAM Identity Center: the SSO session for profile "
                        "\"dev\" expired at 2025-12-31T23:00:00Z and was not "
                        "refreshed: its client registration expired at "
                        "2025-12-01T00:00:00Z; run `aws sso login --profile "
                        "dev`");
    /* still valid: used, no call */
    write_cache(&s,
                REFRESHABLE("2026-01-01T00:01:00Z", "2025-12-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_string_equal(c.session_token, GOOD_TOKEN);
    rdsiam__creds_clear(&c);
    write_cache(&s, REFRESHABLE("2025-12-31T23:00:00Z", "next spring"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_true(contains(e.message, "was not refreshed: registrationExpiresAt "
                                    "in the cache file is not an ISO-8601 "
                                    "time;"));
    assert_int_equal(oidc_hits("/oidc/r4"), 0);
}

/* botocore writes no refreshToken when the answer has none. */
static void test_refresh_without_new_refresh_token(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam__creds c;
    rdsiam_error e;
    char file[4096];
    unsigned mode;

    (void)state;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    use_both("/sso/r5", "/oidc/norefresh");
    write_cache(&s,
                REFRESHABLE("2026-01-01T00:10:00Z", "2026-04-01T00:00:00Z"));
    assert_int_equal(fetch(&s, &c, &e), RDSIAM_OK);
    assert_string_equal(c.session_token, NEW_SESSION_TOKEN);
    rdsiam__creds_clear(&c);
    read_cache(&s, file, sizeof file, &mode);
    assert_string_equal(file, "{\"startUrl\":\"" START_URL "\","
                              "\"region\":\"us-east-1\","
                              "\"accessToken\":\"" NEW_ACCESS "\","
                              "\"expiresAt\":\"2026-01-01T01:00:00Z\","
                              "\"clientId\":\"" CLIENT_ID "\","
                              "\"clientSecret\":\"" CLIENT_SECRET "\","
                              "\"registrationExpiresAt\":"
                              "\"2026-04-01T00:00:00Z\"}");
}

/* ------------------------------------------------------------------------ */
/* One refresh however many ask                                              */
/* ------------------------------------------------------------------------ */

#define SSO_PROFILE                                                            \
    "[profile dev]\nsso_session = my-sso\nsso_account_id = " ACCOUNT           \
    "\nsso_role_name = " ROLE                                                  \
    "\n[sso-session my-sso]\nsso_start_url = " START_URL                       \
    "\nsso_region = us-east-1\n"

typedef struct asker {
    rdsiam_provider *shared; /* NULL: make a provider of its own */
    int rc;
    char session_token[128];
} asker;

static void *ask(void *arg)
{
    asker *a = arg;
    rdsiam_provider_options o = {.profile = "dev"};
    rdsiam_provider *p = a->shared;
    rdsiam_credentials_ref *ref = NULL;
    rdsiam_error e;

    a->rc = p ? RDSIAM_OK : rdsiam_provider_new_profile(&p, &o, &e);
    if (a->rc == RDSIAM_OK)
        a->rc = rdsiam_provider_get_credentials(p, &ref, &e);
    if (a->rc == RDSIAM_OK)
        snprintf(a->session_token, sizeof a->session_token, "%s",
                 rdsiam_credentials_ref_get(ref)->session_token);
    rdsiam_credentials_ref_free(ref);
    if (!a->shared)
        rdsiam_provider_free(p);
    return NULL;
}

/* Eight threads through one provider (its single flight), then eight
 * providers at once (the cache file's lock: the first refreshes, the
 * others read what it wrote): one CreateToken each time. */
static void test_refresh_once(void **state)
{
    rdsiam__sso_config s = session_form();
    rdsiam_provider_options o = {.profile = "dev"};
    rdsiam_provider *p = NULL;
    asker a[8];
    int i;

    (void)state;
    fake_write_file(home.config, SSO_PROFILE);
    use_both("/sso/once", "/oidc/once1");
    write_cache(&s,
                REFRESHABLE("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"));
    assert_int_equal(rdsiam_provider_new_profile(&p, &o, NULL), RDSIAM_OK);
    memset(a, 0, sizeof a);
    for (i = 0; i < 8; i++)
        a[i].shared = p;
    threads_run(8, ask, a, sizeof a[0]);
    for (i = 0; i < 8; i++) {
        assert_int_equal(a[i].rc, RDSIAM_OK);
        assert_string_equal(a[i].session_token, NEW_SESSION_TOKEN);
    }
    rdsiam_provider_free(p);
    assert_int_equal(oidc_hits("/oidc/once1"), 1);

    use_both("/sso/once", "/oidc/once2");
    write_cache(&s,
                REFRESHABLE("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"));
    memset(a, 0, sizeof a);
    threads_run(8, ask, a, sizeof a[0]);
    for (i = 0; i < 8; i++) {
        assert_int_equal(a[i].rc, RDSIAM_OK);
        assert_string_equal(a[i].session_token, NEW_SESSION_TOKEN);
    }
    assert_int_equal(oidc_hits("/oidc/once2"), 1);
}

#define SERVER_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#endif /* RDSIAM_HTTP */

int main(void)
{
    const struct CMUnitTest offline[] = {
        cmocka_unit_test_setup_teardown(test_cache_path, setup, teardown),
        cmocka_unit_test(test_parse_token),
        cmocka_unit_test(test_parse_credentials),
#if RDSIAM_HTTP
        cmocka_unit_test_setup_teardown(test_portal_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_checks, setup, teardown),
#endif
    };
#if RDSIAM_HTTP
    const struct CMUnitTest online[] = {
        SERVER_TEST(test_fetch_both_forms),
        SERVER_TEST(test_expired_token),
        SERVER_TEST(test_cache_file_problems),
        SERVER_TEST(test_portal_errors),
        SERVER_TEST(test_portal_retries),
        SERVER_TEST(test_portal_bad_answers),
        SERVER_TEST(test_portal_slow),
        SERVER_TEST(test_oidc_url),
        SERVER_TEST(test_refresh_in_window),
        SERVER_TEST(test_refresh_when),
        SERVER_TEST(test_refresh_fails),
        SERVER_TEST(test_refresh_impossible),
        SERVER_TEST(test_refresh_without_new_refresh_token),
        SERVER_TEST(test_refresh_once),
    };
    int failed;
#endif

    alarm(300);
    signal(SIGPIPE, SIG_IGN);
#if RDSIAM_HTTP
    failed = cmocka_run_group_tests_name("sso offline", offline, NULL, NULL);
    return failed + cmocka_run_group_tests_name("sso stand-in", online,
                                                server_setup, server_teardown);
#else
    return cmocka_run_group_tests_name("sso offline", offline, NULL, NULL);
#endif
}
