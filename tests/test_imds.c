/*
 * test_imds.c - the EC2 instance metadata credential source
 * (lib/source_imds.c).
 *
 * Three parts:
 *   1. Settings: every case of aws-config/imds-endpoint-tests.json (the
 *      profile values read from the case's config file the way the chain
 *      will fill them in), then timeouts, attempts, switches and endpoint
 *      checks. No network.
 *   2. The credentials document, parsed without a network.
 *   3. Fetches from tests/helpers/aws_standin.py on 127.0.0.1 (its IMDS
 *      routes, reached through the endpoint override): IMDSv2, token reuse
 *      and renewal, refusal and IMDSv1 fallback, v1 disabled, throttling
 *      and 5xx retries, slow, bad and truncated answers, expiry, disabled.
 *
 * Every environment variable is read through the library's seam
 * (tests/helpers/fake_env.c), and AWS_EC2_METADATA_DISABLED stays "true"
 * except in the tests that point the endpoint at the stand-in, so nothing
 * here can reach 169.254.169.254 or fd00:ec2::254.
 *
 * Expected credentials are the ones aws_standin.py serves (IMDS_CREDS
 * there); expected behaviour comes from botocore 1.43 (utils.py
 * IMDSFetcher, InstanceMetadataFetcher; credentials.py
 * create_credential_resolver) as cited at each test.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json.h>

#include "helpers/fake_env.h"
#include "helpers/standin.h"
#include "helpers/threads.h"
#include "http.h"
#include "internal.h"
#include "provider.h"
#include "source_imds.h"

/* What tests/helpers/aws_standin.py serves (IMDS_CREDS). */
#define GOOD_AKID "ASIAIMDSEXAMPLE12345"
#define GOOD_SECRET "imdsSecretKeyEXAMPLE/abcdefghijklmnopqrstu+1"
#define GOOD_TOKEN "imdsSessionTokenEXAMPLE/xyz+abc=="
#define GOOD_EXPIRATION                                                        \
    INT64_C(4102444800) /* 2100-01-01T00:00:00Z (date -u -d) */

static fake_home home;

static int setup(void **state)
{
    (void)state;
    return fake_home_setup(&home, "imds");
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

/* ------------------------------------------------------------------------ */
/* 1. Settings                                                               */
/* ------------------------------------------------------------------------ */

/* The endpoint checks are endpoint.c's URL parser, which needs libcurl:
 * with HTTP=no every endpoint is refused as not built in. */
#if RDSIAM_HTTP

/* Fill the profile fields as the chain will: from the config file of the
 * case (the "default" profile). The strings are owned by the caller. */
static void profile_fields(rdsiam__imds_config *cfg, char **ep, char **mode)
{
    rdsiam_error e;

    assert_int_equal(rdsiam__profile_setting(
                         NULL, "ec2_metadata_service_endpoint", ep, NULL, &e),
                     RDSIAM_OK);
    assert_int_equal(
        rdsiam__profile_setting(NULL, "ec2_metadata_service_endpoint_mode",
                                mode, NULL, &e),
        RDSIAM_OK);
    cfg->profile_endpoint = *ep;
    cfg->profile_endpoint_mode = *mode;
}

static void run_vector(struct json_object *tc, const char *config_path)
{
    struct json_object *env, *fs, *result, *docs, *ok, *errv, *o;
    rdsiam__imds_config cfg;
    rdsiam__imds_settings s;
    char *ep = NULL, *mode = NULL, *url = NULL;
    rdsiam_error e;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    assert_true(json_object_object_get_ex(tc, "env", &env));
    assert_true(json_object_object_get_ex(tc, "fs", &fs));
    assert_true(json_object_object_get_ex(tc, "result", &result));
    assert_true(json_object_object_get_ex(tc, "docs", &docs));
    fake_env_reset();
    fake_env_set("HOME", home.dir);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
    unlink(config_path);
    {
        json_object_object_foreach(env, k, v)
        {
            /* "config" in the case means the file written below. */
            fake_env_set(k, strcmp(k, "AWS_CONFIG_FILE") == 0
                                ? config_path
                                : json_object_get_string(v));
        }
    }
    if (json_object_object_get_ex(fs, "config", &o))
        fake_write_file(config_path, json_object_get_string(o));
    profile_fields(&cfg, &ep, &mode);
    if (json_object_object_get_ex(tc, "endpoint_override", &o))
        cfg.endpoint = json_object_get_string(o);
    if (json_object_object_get_ex(tc, "mode_override", &o))
        cfg.endpoint_mode = json_object_get_string(o);
    memset(&e, 0, sizeof e);
    rc = rdsiam__imds_settings_resolve(&cfg, &s, &e);
    if (json_object_object_get_ex(result, "Ok", &ok)) {
        if (rc != RDSIAM_OK)
            print_message("case '%s': %s\n", json_object_get_string(docs),
                          e.message);
        assert_int_equal(rc, RDSIAM_OK);
        assert_int_equal(
            rdsiam__imds_url(s.base, RDSIAM__IMDS_TOKEN_PATH, &url), RDSIAM_OK);
        assert_string_equal(url, json_object_get_string(ok));
        free(url);
        rdsiam__imds_settings_free(&s);
    } else {
        assert_true(json_object_object_get_ex(result, "Err", &errv));
        if (rc == RDSIAM_OK ||
            !contains(e.message, json_object_get_string(errv)))
            print_message("case '%s': rc %d message '%s'\n",
                          json_object_get_string(docs), rc, e.message);
        assert_int_not_equal(rc, RDSIAM_OK);
        assert_null(s.base);
        assert_true(contains(e.message, json_object_get_string(errv)));
    }
    free(ep);
    free(mode);
}

/* aws-config/imds-endpoint-tests.json: each case resolves to its Ok token
 * URL or fails with a message containing Err. */
static void test_endpoint_vectors(void **state)
{
    const char *path = "tests/vectors/aws-config/imds-endpoint-tests.json";
    char config_path[256];
    struct json_object *root, *tests;
    size_t i, n;

    (void)state;
    snprintf(config_path, sizeof config_path, "%s/config", home.dir);
    root = json_object_from_file(path);
    assert_non_null(root);
    assert_true(json_object_object_get_ex(root, "tests", &tests));
    n = json_object_array_length(tests);
    assert_int_equal(n, 14); /* the file's case count */
    for (i = 0; i < n; i++)
        run_vector(json_object_array_get_idx(tests, i), config_path);
    json_object_put(root);
    unlink(config_path);
}

#endif /* RDSIAM_HTTP */

static int resolve(const rdsiam__imds_config *cfg, rdsiam__imds_settings *s,
                   rdsiam_error *e)
{
    memset(e, 0, sizeof *e);
    return rdsiam__imds_settings_resolve(cfg, s, e);
}

/* Defaults: botocore DEFAULT_METADATA_SERVICE_TIMEOUT = 1 second, one
 * attempt, http://169.254.169.254; disabled as fake_home sets it. */
static void test_settings_defaults(void **state)
{
    rdsiam__imds_settings s;
    rdsiam_error e;

    (void)state;
    assert_int_equal(resolve(NULL, &s, &e), RDSIAM_OK);
    assert_string_equal(s.base, "http://169.254.169.254");
    assert_int_equal(s.timeout_ms, 1000);
    assert_int_equal(s.attempts, 1);
    assert_true(s.disabled);
    assert_false(s.v1_disabled);
    rdsiam__imds_settings_free(&s);
    /* botocore: env.get('AWS_EC2_METADATA_DISABLED').lower() == 'true' */
    fake_env_set("AWS_EC2_METADATA_DISABLED", "TRUE");
    assert_int_equal(resolve(NULL, &s, &e), RDSIAM_OK);
    assert_true(s.disabled);
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "1");
    assert_int_equal(resolve(NULL, &s, &e), RDSIAM_OK);
    assert_false(s.disabled);
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
}

/* Timeout and attempts: environment over profile; whole numbers only. */
static void test_settings_numbers(void **state)
{
    rdsiam__imds_config cfg;
    rdsiam__imds_settings s;
    rdsiam_error e;
    static const char *const bad[] = {
        "0", "-1", "1.5", "", "abc", "3601", "99999999999999999999", " 2"};
    size_t i;

    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.profile_timeout = "3";
    cfg.profile_num_attempts = "4";
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_int_equal(s.timeout_ms, 3000);
    assert_int_equal(s.attempts, 4);
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", "5");
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_int_equal(s.timeout_ms, 5000);
    assert_int_equal(s.attempts, 2);
    rdsiam__imds_settings_free(&s);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", bad[i]);
        assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_ERR_ENV_INVALID);
        assert_null(s.base);
        assert_true(contains(e.message, "AWS_METADATA_SERVICE_TIMEOUT"));
    }
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", "abc");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_ERR_ENV_INVALID);
    assert_string_equal(e.message,
                        "instance metadata: AWS_METADATA_SERVICE_TIMEOUT "
                        "\"abc\" is not a whole number from 1 to 3600");
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", NULL);
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_ERR_ENV_INVALID);
    assert_string_equal(e.message,
                        "instance metadata: AWS_METADATA_SERVICE_NUM_ATTEMPTS "
                        "\"0\" is not a whole number from 1 to 100");
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", NULL);
    cfg.profile_num_attempts = "x";
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_ERR_ENV_INVALID);
    assert_true(
        contains(e.message, "profile setting metadata_service_num_attempts"));
}

/* v1 switch and the older IPv6 switch (botocore ensure_boolean: only
 * "true", any case). */
static void test_settings_switches(void **state)
{
    rdsiam__imds_config cfg;
    rdsiam__imds_settings s;
    rdsiam_error e;

    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.profile_v1_disabled = "True";
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_true(s.v1_disabled);
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", "false");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_false(s.v1_disabled); /* the environment wins */
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", "true");
    cfg.profile_v1_disabled = NULL;
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_true(s.v1_disabled);
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", NULL);
    /* resolve_imds_endpoint_mode: imds_use_ipv6 when no mode is set. */
    cfg.profile_use_ipv6 = "true";
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_string_equal(s.base, "http://[fd00:ec2::254]");
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv4");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_string_equal(s.base, "http://169.254.169.254");
    rdsiam__imds_settings_free(&s);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", NULL);
    cfg.profile_use_ipv6 = NULL;
    fake_env_set("AWS_IMDS_USE_IPV6", "TRUE");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_string_equal(s.base, "http://[fd00:ec2::254]");
    rdsiam__imds_settings_free(&s);
}

#if RDSIAM_HTTP
/* The wording: lib/endpoint.c (rdsiam__url_fail), after the variable. */
#define NOT_VALID                                                              \
    "instance metadata: AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid "     \
    "endpoint: "
#define BAD_HOST "the host is not a valid host name or IP address"
#define BAD_PORT "the port is not a number in 1..65535"
#define NO_QUERY "a query or fragment is not allowed"
#define BAD_CHAR                                                               \
    "invalid uri character before the path (a space, a control, a "            \
    "backslash or a non-ASCII character)"

/* Endpoint precedence beyond the vectors, and endpoint checks. botocore
 * resolves the mode (and refuses a bad one) before it looks at the
 * endpoint; a profile endpoint beats an environment mode. */
static void test_settings_endpoints(void **state)
{
    static const struct {
        const char *endpoint;
        int rc;
        const char *detail;
    } cases[] = {
        {"http://127.0.0.1:8080", RDSIAM_OK, NULL},
        {"http://127.0.0.1:8080/imds/x/", RDSIAM_OK, NULL},
        {"https://metadata.example.com", RDSIAM_OK, NULL},
        {"http://[::1]:80", RDSIAM_OK, NULL},
        {"http://host.", RDSIAM_OK, NULL},
        {"ftp://host", RDSIAM_ERR_URI_INVALID,
         NOT_VALID "the scheme must be http or https"},
        {"host:80", RDSIAM_ERR_URI_INVALID,
         NOT_VALID "URI did not specify a host (it must start with http:// or "
                   "https://)"},
        {"http://", RDSIAM_ERR_URI_INVALID, NOT_VALID "the host is empty"},
        {"http://-bad.example", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_HOST},
        {"http://under_score", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_HOST},
        {"http://[::g]/", RDSIAM_ERR_URI_INVALID,
         NOT_VALID "the host is not a valid IPv6 address (a zone id is not "
                   "allowed)"},
        {"http://[::1", RDSIAM_ERR_URI_INVALID,
         NOT_VALID "the IPv6 address has no closing ']'"},
        {"http://host:0", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_PORT},
        {"http://host:65536", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_PORT},
        {"http://host:8a", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_PORT},
        {"http://u:p@host", RDSIAM_ERR_URI_INVALID,
         NOT_VALID "user information (user@) is not allowed"},
        {"http://host/?x=1", RDSIAM_ERR_URI_INVALID, NOT_VALID NO_QUERY},
        {"http://host/#f", RDSIAM_ERR_URI_INVALID, NOT_VALID NO_QUERY},
        /* "invalid uri character": imds-endpoint-tests.json's Err */
        {"http://ho st", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_CHAR},
        {"http://host\r\n", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_CHAR},
        {"http://h\xc3\xa9st", RDSIAM_ERR_URI_INVALID, NOT_VALID BAD_CHAR},
        {"http://host/a b", RDSIAM_ERR_URI_INVALID,
         NOT_VALID
         "invalid uri character in the path, query or fragment "
         "(a space, a control, a backslash or a non-ASCII character)"},
    };
    rdsiam__imds_config cfg;
    rdsiam__imds_settings s;
    rdsiam_error e;
    size_t i;

    (void)state;
    memset(&cfg, 0, sizeof cfg);
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", cases[i].endpoint);
        assert_int_equal(resolve(&cfg, &s, &e), cases[i].rc);
        if (cases[i].rc == RDSIAM_OK) {
            assert_string_equal(s.base, cases[i].endpoint);
            rdsiam__imds_settings_free(&s);
        } else {
            assert_string_equal(e.message, cases[i].detail);
        }
    }
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", NULL);
    /* profile endpoint over an environment mode */
    cfg.profile_endpoint = "http://127.0.0.2";
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_OK);
    assert_string_equal(s.base, "http://127.0.0.2");
    rdsiam__imds_settings_free(&s);
    /* a bad mode is refused even when an endpoint is set */
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "v6");
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(e.message,
                        "instance metadata: "
                        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: `v6` is not "
                        "a valid endpoint mode (valid, in any case: IPv4, "
                        "IPv6)");
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", NULL);
    cfg.profile_endpoint = "http://bad host";
    assert_int_equal(resolve(&cfg, &s, &e), RDSIAM_ERR_URI_INVALID);
    assert_string_equal(e.message,
                        "instance metadata: profile setting "
                        "ec2_metadata_service_endpoint is not a valid "
                        "endpoint: " BAD_CHAR);
}
#endif /* RDSIAM_HTTP */

static void test_url_join(void **state)
{
    char *url = NULL;

    (void)state;
    /* botocore _construct_url: a '/' only when the base lacks one */
    assert_int_equal(
        rdsiam__imds_url("http://[fd00:ec2::254]/", "latest/x", &url),
        RDSIAM_OK);
    assert_string_equal(url, "http://[fd00:ec2::254]/latest/x");
    free(url);
    assert_int_equal(rdsiam__imds_url("http://h/p", "latest/x", &url),
                     RDSIAM_OK);
    assert_string_equal(url, "http://h/p/latest/x");
    free(url);
}

/* ------------------------------------------------------------------------ */
/* 2. The credentials document                                               */
/* ------------------------------------------------------------------------ */

static int64_t pinned_now;
static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return pinned_now;
}

static int parse(const char *json, rdsiam__creds *c, rdsiam_error *e)
{
    memset(e, 0, sizeof *e);
    return rdsiam__imds_parse(json, strlen(json), c, e);
}

#define DOC(code, akid, exp)                                                   \
    "{\"Code\":\"" code "\",\"LastUpdated\":\"2026-01-01T00:00:00Z\","         \
    "\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" akid "\","                      \
    "\"SecretAccessKey\":\"" GOOD_SECRET "\",\"Token\":\"" GOOD_TOKEN "\","    \
    "\"Expiration\":\"" exp "\"}"

static void test_parse_good(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    assert_int_equal(
        parse(DOC("Success", GOOD_AKID, "2100-01-01T00:00:00Z"), &c, &e),
        RDSIAM_OK);
    assert_string_equal(c.access_key_id, GOOD_AKID);
    assert_string_equal(c.secret_access_key, GOOD_SECRET);
    assert_string_equal(c.session_token, GOOD_TOKEN);
    assert_int_equal(c.expiration, GOOD_EXPIRATION);
    rdsiam__creds_clear(&c);
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *doc;
        const char *message;
    } cases[] = {
        {"", "not valid JSON"},
        {"{\"AccessKeyId\": \"ASIA", "not valid JSON"},
        {"{\"a\":1} x", "not valid JSON"},
        /* json-c's strict mode lets these through; RFC 8259 does not */
        {"{'a':1}", "not valid JSON"},
        {"{\"a\":NaN}", "not valid JSON"},
        {"{\"a\":Infinity}", "not valid JSON"},
        {"{\"a\":1.}", "not valid JSON"},
        {"{\"a\":\"tab\there\"}", "not valid JSON"},
        {"{\"a\":\"\xff\"}", "not valid JSON"},
        {"[1]", "not a JSON object"},
        {DOC("AssumeRoleUnauthorizedAccess", GOOD_AKID, "2100-01-01T00:00:00Z"),
         "answered Code \"AssumeRoleUnauthorizedAccess\""},
        {DOC("Success", "ASIA\\u0000IMDSEXAMPLE12345", "2100-01-01T00:00:00Z"),
         "contains a NUL character"},
        {DOC("Success", GOOD_AKID, "tomorrow"),
         "instance metadata: Expiration is not an ISO-8601 time"},
        {"{\"Code\":\"Success\",\"AccessKeyId\":\"" GOOD_AKID "\"}",
         "the credentials answer has no SecretAccessKey"},
        {"{\"Code\":\"Success\",\"AccessKeyId\":\"" GOOD_AKID
         "\",\"SecretAccessKey\":\"s\",\"Token\":7}",
         "instance metadata: Token is not a string"},
        /* Found by fuzz_imds_json: an empty Token is refused, not
         * taken as long-term credentials. */
        {"{\"Code\":\"Success\",\"AccessKeyId\":\"" GOOD_AKID
         "\",\"SecretAccessKey\":\"s\",\"Token\":\"\","
         "\"Expiration\":\"2100-01-01T00:00:00Z\"}",
         "instance metadata: Token is empty"},
        {"{\"Code\":1}", "instance metadata: Code is not a string"},
    };
    /* The key id form is checked by the shared rdsiam__creds_set, with
     * its own code (IAM: 16 to 128 characters of A-Z and 0-9). */
    static const char *const bad_akid[] = {
        DOC("Success", "asiaimdsexample12345", "2100-01-01T00:00:00Z"),
        DOC("Success", "ASIASHORT", "2100-01-01T00:00:00Z"),
    };
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(parse(cases[i].doc, &c, &e), RDSIAM_ERR_JSON);
        if (!contains(e.message, cases[i].message))
            print_message("case %zu: %s\n", i, e.message);
        assert_true(contains(e.message, cases[i].message));
        assert_null(c.access_key_id);
        assert_null(c.secret_access_key);
        assert_null(c.session_token);
    }
    for (i = 0; i < sizeof bad_akid / sizeof *bad_akid; i++) {
        assert_int_equal(parse(bad_akid[i], &c, &e),
                         RDSIAM_ERR_ACCESS_KEY_INVALID);
        assert_string_equal(e.message, "instance metadata: the access key id "
                                       "is not 16 to 128 characters A-Z and "
                                       "0-9");
        assert_null(c.access_key_id);
    }
}

/* botocore _evaluate_expiration with the chain's refresh window of 900 s
 * (create_credential_resolver: _DEFAULT_ADVISORY_REFRESH_TIMEOUT): expiry
 * within 900 s + jitter (120..600 s) of now becomes now + 900 + jitter, so
 * now + 1020..1500; later expiries are kept. */
static void test_parse_static_stability(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;
    int i;

    (void)state;
    pinned_now = INT64_C(1780000000); /* 2026-05-28T20:26:40Z */
    rdsiam__sys_set_clock(pinned_clock, NULL);
    for (i = 0; i < 20; i++) {
        assert_int_equal(
            parse(DOC("Success", GOOD_AKID, "2009-02-13T23:31:30Z"), &c, &e),
            RDSIAM_OK);
        assert_in_range(c.expiration, pinned_now + 1020, pinned_now + 1500);
        rdsiam__creds_clear(&c);
    }
    /* 2026-05-28T20:43:40Z = now + 1020 (date -u -d @1780001020): inside
     * every window (the smallest jitter too), so always extended. */
    for (i = 0; i < 20; i++) {
        assert_int_equal(
            parse(DOC("Success", GOOD_AKID, "2026-05-28T20:43:40Z"), &c, &e),
            RDSIAM_OK);
        assert_in_range(c.expiration, pinned_now + 1020, pinned_now + 1500);
        rdsiam__creds_clear(&c);
    }
    /* 2026-05-28T20:51:41Z = now + 1501: beyond every window, kept. */
    assert_int_equal(
        parse(DOC("Success", GOOD_AKID, "2026-05-28T20:51:41Z"), &c, &e),
        RDSIAM_OK);
    assert_int_equal(c.expiration, pinned_now + 1501);
    rdsiam__creds_clear(&c);
    rdsiam__sys_set_clock(NULL, NULL);
}

#if RDSIAM_HTTP

/* ------------------------------------------------------------------------ */
/* 3. The stand-in on loopback                                               */
/* ------------------------------------------------------------------------ */

static standin server;

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

/* The endpoint for the stand-in's options, in a static buffer, with IMDS
 * enabled and everything else at its default. */
static char endpoint[256];

static void use(const char *opts)
{
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d/imds/%s",
             server.port, opts);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "false");
}

static int fetch_with(rdsiam__source *s, rdsiam__creds *c, rdsiam_error *e)
{
    memset(e, 0, sizeof *e);
    memset(c, 0, sizeof *c);
    return s->fetch(s->self, c, e);
}

/* One fetch through a new source. */
static int fetch(rdsiam__creds *c, rdsiam_error *e)
{
    rdsiam__source s;
    int rc;

    assert_int_equal(rdsiam__imds_new(&s, NULL, NULL), RDSIAM_OK);
    assert_string_equal(s.name, "instance metadata");
    rc = fetch_with(&s, c, e);
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

/* The same for credentials a provider handed out. */
static void assert_good_public(rdsiam_credentials_ref *r)
{
    const rdsiam_credentials *c = rdsiam_credentials_ref_get(r);

    assert_string_equal(c->access_key_id, GOOD_AKID);
    assert_string_equal(c->secret_access_key, GOOD_SECRET);
    assert_string_equal(c->session_token, GOOD_TOKEN);
    assert_int_equal(c->expiration, GOOD_EXPIRATION);
    rdsiam_credentials_ref_free(r);
}

static long hits_of(const char *opts, const char *rest)
{
    char path[512];

    snprintf(path, sizeof path, "/imds/%s/%s", opts, rest);
    return standin_hits(&server, path);
}

#define TOKEN_P "latest/api/token"
#define LIST_P "latest/meta-data/iam/security-credentials/"
#define CREDS_P "latest/meta-data/iam/security-credentials/rdsiam-test-role"

/* Whether the last request on path carried the token header (from the
 * stand-in's /_log), and the TTL header of the token request. */
static bool carried_token(const char *opts, const char *rest)
{
    char q[512], text[8192];

    snprintf(q, sizeof q, "/_log?p=/imds/%s/%s", opts, rest);
    get_text(q, text, sizeof text);
    /* libcurl sends header names as given: lower case. */
    return contains(text, "[\"x-aws-ec2-metadata-token\", \"IMDSTOKEN-");
}

static bool sent_ttl(const char *opts)
{
    char q[512], text[8192];

    snprintf(q, sizeof q, "/_log?p=/imds/%s/" TOKEN_P, opts);
    get_text(q, text, sizeof text);
    return contains(text, "[\"x-aws-ec2-metadata-token-ttl-seconds\", "
                          "\"21600\"]");
}

/* IMDSv2 with tokens required: PUT, then both GETs with the token. */
static void test_fetch_v2(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("v2.a");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("v2.a", TOKEN_P), 1);
    assert_int_equal(hits_of("v2.a", LIST_P), 1);
    assert_int_equal(hits_of("v2.a", CREDS_P), 1);
    assert_true(sent_ttl("v2.a"));
    assert_true(carried_token("v2.a", LIST_P));
    assert_true(carried_token("v2.a", CREDS_P));
}

/* The session token is kept in the source and reused until 120 s before
 * its 21600 s TTL; then a new one is asked for. */
static void test_token_reuse_and_renewal(void **state)
{
    rdsiam__source s;
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("v2.b");
    pinned_now = INT64_C(1780000000);
    rdsiam__sys_set_clock(pinned_clock, NULL);
    assert_int_equal(rdsiam__imds_new(&s, NULL, NULL), RDSIAM_OK);
    assert_int_equal(fetch_with(&s, &c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    pinned_now += 21600 - 120 - 1; /* last second of reuse */
    assert_int_equal(fetch_with(&s, &c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    assert_int_equal(hits_of("v2.b", TOKEN_P), 1);
    assert_int_equal(hits_of("v2.b", LIST_P), 2);
    pinned_now += 1; /* 120 s before the TTL: renewed */
    assert_int_equal(fetch_with(&s, &c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("v2.b", TOKEN_P), 2);
    assert_int_equal(hits_of("v2.b", CREDS_P), 3);
    s.destroy(s.self);
    rdsiam__sys_set_clock(NULL, NULL);
}

/* A kept token the service refuses (401: expired there) is replaced once. */
static void test_token_refused_renewed(void **state)
{
    rdsiam__source s;
    rdsiam__creds c;
    rdsiam_error e;
    char text[64];

    (void)state;
    use("v2.c");
    assert_int_equal(rdsiam__imds_new(&s, NULL, NULL), RDSIAM_OK);
    assert_int_equal(fetch_with(&s, &c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    get_text("/imds/v2.c/_expire", text, sizeof text);
    assert_string_equal(text, "expired");
    assert_int_equal(fetch_with(&s, &c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("v2.c", TOKEN_P), 2);
    /* first fetch 1, then one 401 and one success */
    assert_int_equal(hits_of("v2.c", LIST_P), 3);
    s.destroy(s.self);
    /* Tokens that live 0 s at the service: refused even when new. */
    use("v2.life0");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_true(contains(e.message, "HTTP status 401: the session token was "
                                    "refused, also after renewing it"));
    assert_int_equal(hits_of("v2.life0", TOKEN_P), 2);
}

/* botocore _fetch_metadata_token: 403, 404, 405 give no token, and the
 * GETs go without one (IMDSv1). */
static void test_v1_fallback(void **state)
{
    static const char *const opts[] = {"t403", "t404", "t405"};
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        use(opts[i]);
        assert_int_equal(fetch(&c, &e), RDSIAM_OK);
        assert_good(&c);
        assert_int_equal(hits_of(opts[i], TOKEN_P), 1);
        assert_false(carried_token(opts[i], LIST_P));
        assert_false(carried_token(opts[i], CREDS_P));
    }
}

/* AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled: no fallback.
 * botocore raises MetadataRetrievalError "Unable to retrieve token for use
 * in IMDSv2 call and IMDSv1 has been disabled". */
static void test_v1_disabled(void **state)
{
    rdsiam__imds_config cfg;
    rdsiam__source s;
    rdsiam__creds c;
    rdsiam_error e;
    char expect[512];

    (void)state;
    use("t403.d");
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", "true");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
    snprintf(expect, sizeof expect,
             "instance metadata: no IMDSv2 session token (PUT "
             "http://127.0.0.1:%d/imds/t403.d/latest/api/token: HTTP status "
             "403) and "
             "IMDSv1 "
             "is disabled (AWS_EC2_METADATA_V1_DISABLED or the profile's "
             "ec2_metadata_v1_disabled)",
             server.port);
    assert_string_equal(e.message, expect);
    assert_int_equal(hits_of("t403.d", LIST_P), 0);
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", NULL);
    /* the same from the profile setting */
    memset(&cfg, 0, sizeof cfg);
    cfg.profile_v1_disabled = "true";
    assert_int_equal(rdsiam__imds_new(&s, &cfg, NULL), RDSIAM_OK);
    assert_int_equal(fetch_with(&s, &c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_true(contains(e.message, "IMDSv1 is disabled"));
    s.destroy(s.self);
    /* with a token, v1_disabled changes nothing */
    use("v2.d");
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", "true");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    fake_env_set("AWS_EC2_METADATA_V1_DISABLED", NULL);
}

/* Other token answers: 400 is an error (BadIMDSRequestError); a 500 on
 * every attempt gives no token (the loop ends with None), so IMDSv1 is
 * used; so does a timeout, at once (ReadTimeoutError returns None). */
static void test_token_answers(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("t400");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_true(contains(e.message, "HTTP status 400: the service refused "
                                    "the token request as malformed"));
    assert_int_equal(hits_of("t400", LIST_P), 0);
    /* Token refused, but the GETs need one: IMDSv1 gets 401. */
    use("t403.v2");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_true(contains(e.message, "HTTP status 401: the service requires an "
                                    "IMDSv2 session token, and the token "
                                    "request was refused"));
    use("t500");
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("t500", TOKEN_P), 2);
    assert_false(carried_token("t500", CREDS_P));
    /* 1.5 s against a 1 s timeout: one token attempt of three, then v1. */
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
    use("tslow1500");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("tslow1500", TOKEN_P), 1);
    assert_false(carried_token("tslow1500", CREDS_P));
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", NULL);
}

/* Throttling and 5xx: every non-200 answer is tried again while attempts
 * remain (botocore _default_retry); with the default single attempt the
 * status is the error. */
static void test_retries(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;
    char expect[512];

    (void)state;
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
    use("v2.c429x2");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("v2.c429x2", CREDS_P), 3);
    use("v2.l503x2.c500x1");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("v2.l503x2.c500x1", LIST_P), 3);
    assert_int_equal(hits_of("v2.l503x2.c500x1", CREDS_P), 2);
    use("v2.c503x3");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
    snprintf(
        expect, sizeof expect,
        "instance metadata: GET http://127.0.0.1:%d/imds/v2.c503x3/" CREDS_P
        ": HTTP status 503 (3 attempts)",
        server.port);
    assert_string_equal(e.message, expect);
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", NULL);
    use("v2.c429x1");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP_STATUS);
    assert_true(contains(e.message, "HTTP status 429 (1 attempt)"));
    assert_null(c.access_key_id);
}

/* Bad answers: each a precise error, nothing handed out. Credentials that
 * are not JSON are asked for again while attempts remain
 * (_needs_retry_for_credentials). */
static void test_bad_answers(void **state)
{
    static const struct {
        const char *opts;
        int rc;
        const char *message;
    } cases[] = {
        {"malformed", RDSIAM_ERR_JSON, "not valid JSON"},
        {"truncated", RDSIAM_ERR_JSON, "not valid JSON"},
        {"nul", RDSIAM_ERR_JSON, "contains a NUL character"},
        {"codefail", RDSIAM_ERR_JSON,
         "answered Code \"AssumeRoleUnauthorizedAccess\""},
        {"badakid", RDSIAM_ERR_ACCESS_KEY_INVALID,
         "instance metadata: the access key id is not 16 to 128 characters"},
        {"empty", RDSIAM_ERR_JSON, "empty answer"},
        {"norole", RDSIAM_ERR_NO_CREDENTIALS,
         "no IAM role is attached to this instance"},
    };
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        use(cases[i].opts);
        assert_int_equal(fetch(&c, &e), cases[i].rc);
        if (!contains(e.message, cases[i].message))
            print_message("%s: %s\n", cases[i].opts, e.message);
        assert_true(contains(e.message, cases[i].message));
        assert_null(c.access_key_id);
        assert_null(c.secret_access_key);
        assert_null(c.session_token);
    }
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    use("1malformed");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    assert_int_equal(hits_of("1malformed", CREDS_P), 2);
    fake_env_set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", NULL);
}

/* Credentials IMDS hands out already expired are used for now + 1020..1500
 * s (static stability, as botocore). */
static void test_stale_extended(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;
    int64_t before = rdsiam__now();

    (void)state;
    use("stale");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, GOOD_AKID);
    assert_in_range(c.expiration, before + 1020, rdsiam__now() + 1500);
    rdsiam__creds_clear(&c);
}

/* A server slower than the timeout: something is there, and it timed out
 * (lib/http.c reports the timeout, from CURLE_OPERATION_TIMEDOUT); that is
 * not "no instance role". */
static void test_slow(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("v2.cslow2500");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP);
    assert_true(
        contains(e.message, "instance metadata: GET http://127.0.0.1:"));
    assert_true(contains(e.message, "/imds/v2.cslow2500/latest/meta-data/iam/"
                                    "security-credentials/"));
    assert_true(contains(e.message, ": timeout: no complete answer within "
                                    "1000 ms"));
    assert_null(c.access_key_id);
    /* With a 3 s timeout the same answer arrives. */
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", "3");
    use("v2.cslow1500");
    assert_int_equal(fetch(&c, &e), RDSIAM_OK);
    assert_good(&c);
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", NULL);
}

/* An answer larger than the client takes: something answered, so that is
 * what the message says (not "not on EC2"). */
static void test_too_large(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("v2.big");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_HTTP);
    assert_true(
        contains(e.message, "instance metadata: GET http://127.0.0.1:"));
    /* RDSIAM__HTTP_MAX_BODY, 64 KiB */
    assert_true(contains(e.message, "/imds/v2.big/latest/meta-data/iam/"
                                    "security-credentials/rdsiam-test-role: "
                                    "answer larger than 65536 bytes"));
    assert_false(contains(e.message, "EC2"));
    assert_null(c.access_key_id);
}

/* Nothing listening: no credentials, so a chain moves on. */
static void test_unreachable(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d",
             standin_closed_port());
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "false");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    assert_true(contains(e.message, "instance metadata: nothing answered GET "
                                    "http://127.0.0.1:"));
    assert_true(contains(e.message, "(not on EC2, or the service is "
                                    "unreachable): "));
}

/* AWS_EC2_METADATA_DISABLED=true: nothing is asked. */
static void test_disabled(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    use("dis");
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    assert_string_equal(e.message, "instance metadata: disabled by "
                                   "AWS_EC2_METADATA_DISABLED=true");
    /* also with settings that would be refused */
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", "soon");
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv7");
    assert_int_equal(fetch(&c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    fake_env_set("AWS_METADATA_SERVICE_TIMEOUT", NULL);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", NULL);
    assert_int_equal(hits_of("dis", TOKEN_P), 0);
    assert_int_equal(hits_of("dis", LIST_P), 0);
}

/* Through the caching provider: the token signs with the fetched keys. */
static void test_provider(void **state)
{
    rdsiam__source s;
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *c = NULL;
    rdsiam_error e;

    (void)state;
    use("v2.prov");
    assert_int_equal(rdsiam__imds_new(&s, NULL, NULL), RDSIAM_OK);
    assert_int_equal(rdsiam__provider_new(&p, s, NULL, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &c, &e), RDSIAM_OK);
    assert_good_public(c);
    assert_int_equal(rdsiam_provider_get_credentials(p, &c, &e), RDSIAM_OK);
    assert_good_public(c);
    /* cached: one fetch */
    assert_int_equal(hits_of("v2.prov", CREDS_P), 1);
    rdsiam_provider_free(p);
}

static void *get_thread(void *arg)
{
    rdsiam_credentials_ref *r = NULL;
    rdsiam_error e;
    intptr_t ok;

    ok = rdsiam_provider_get_credentials(arg, &r, &e) == RDSIAM_OK &&
         strcmp(rdsiam_credentials_ref_get(r)->access_key_id, GOOD_AKID) == 0 &&
         strcmp(rdsiam_credentials_ref_get(r)->session_token, GOOD_TOKEN) == 0;
    rdsiam_credentials_ref_free(r);
    return (void *)ok;
}

/* Eight threads share one provider: one token, one fetch, same keys (the
 * source relies on the provider's refresh lock; see source_imds.h). */
static void test_provider_threads(void **state)
{
    rdsiam__source s;
    rdsiam_provider *p = NULL;
    rdsiam_error e;
    threads g;

    (void)state;
    use("v2.threads.cslow200");
    assert_int_equal(rdsiam__imds_new(&s, NULL, NULL), RDSIAM_OK);
    assert_int_equal(rdsiam__provider_new(&p, s, NULL, &e), RDSIAM_OK);
    threads_start(&g, 8, get_thread, p, 0); /* size 0: all share p */
    threads_join(&g);
    for (int i = 0; i < 8; i++)
        assert_true(g.slot[i].result == (void *)1);
    assert_int_equal(hits_of("v2.threads.cslow200", TOKEN_P), 1);
    assert_int_equal(hits_of("v2.threads.cslow200", CREDS_P), 1);
    rdsiam_provider_free(p);
}

#define SERVER_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#endif /* RDSIAM_HTTP */

#if !RDSIAM_HTTP
static void test_not_built_in(void **state)
{
    rdsiam__source s;
    rdsiam_error e;

    (void)state;
    assert_int_equal(rdsiam__imds_new(&s, NULL, &e), RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(e.message, "instance metadata credentials: this "
                                   "library was built with HTTP=no (no "
                                   "libcurl)");
    assert_int_equal(rdsiam__source_imds(&s, NULL, NULL, &e),
                     RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(s.name, "instance metadata");
    assert_null(s.fetch);
}
#endif

int main(void)
{
    const struct CMUnitTest offline[] =
    {
#if RDSIAM_HTTP
      cmocka_unit_test_setup_teardown(test_endpoint_vectors, setup, teardown),
#endif
      cmocka_unit_test_setup_teardown(test_settings_defaults, setup, teardown),
      cmocka_unit_test_setup_teardown(test_settings_numbers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_settings_switches, setup, teardown),
#if RDSIAM_HTTP
      cmocka_unit_test_setup_teardown(test_settings_endpoints, setup, teardown),
#endif
      cmocka_unit_test(test_url_join),
      cmocka_unit_test(test_parse_good),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_parse_static_stability),
#if !RDSIAM_HTTP
      cmocka_unit_test(test_not_built_in),
#endif
    };
#if RDSIAM_HTTP
    const struct CMUnitTest online[] = {
        SERVER_TEST(test_fetch_v2),
        SERVER_TEST(test_token_reuse_and_renewal),
        SERVER_TEST(test_token_refused_renewed),
        SERVER_TEST(test_v1_fallback),
        SERVER_TEST(test_v1_disabled),
        SERVER_TEST(test_token_answers),
        SERVER_TEST(test_retries),
        SERVER_TEST(test_bad_answers),
        SERVER_TEST(test_stale_extended),
        SERVER_TEST(test_slow),
        SERVER_TEST(test_too_large),
        SERVER_TEST(test_unreachable),
        SERVER_TEST(test_disabled),
        SERVER_TEST(test_provider),
        SERVER_TEST(test_provider_threads),
    };
    int failed;
#endif

    alarm(300);
    signal(SIGPIPE, SIG_IGN);
#if RDSIAM_HTTP
    failed = cmocka_run_group_tests_name("imds offline", offline, NULL, NULL);
    return failed + cmocka_run_group_tests_name("imds stand-in", online,
                                                server_setup, server_teardown);
#else
    return cmocka_run_group_tests_name("imds offline", offline, NULL, NULL);
#endif
}
