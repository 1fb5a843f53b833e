/*
 * test_web_identity.c - the web identity credential source
 * (lib/source_web_identity.c) against tests/helpers/aws_standin.py, a
 * loopback STS stand-in reached through AWS_ENDPOINT_URL_STS.
 *
 * Expected credentials are the ones CONFIG gives the stand-in; setting
 * precedence and the default session name follow botocore 1.43's
 * AssumeRoleWithWebIdentityProvider (environment before profile per key;
 * "botocore-session-<int(time.time())>"); STS messages are the stand-in's
 * (from the STS API reference). Every endpoint is a loopback port: when a
 * test does not point AWS_ENDPOINT_URL_STS at the stand-in,
 * AWS_ENDPOINT_URL points at a closed port. Bounded by alarm().
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <json.h>

#include "helpers/standin.h"
#include "internal.h"
#include "provider.h"
#include "source_web_identity.h"

#if RDSIAM_HTTP

#define ROLE_A "arn:aws:iam::123456789012:role/WebRoleA"
#define ROLE_B "arn:aws:iam::123456789012:role/WebRoleB"
#define ROLE_OLD "arn:aws:iam::123456789012:role/WebRoleOld"
#define ROLE_C "arn:aws:iam::123456789012:role/WebRoleC"
#define TOKEN1 "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b2tlbjEifQ.c2lnMQ"
#define TOKEN2 "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b2tlbjIifQ.c2lnMg"
#define TOKEN3 "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b2tlbjMifQ.c2lnMw"
#define A_AKID "ASIAWEBROLEAEXAMPLE1"
#define A_SECRET "webRoleASecretKeyEXAMPLE/abcdefghijklmn+12"
#define A_TOKEN "webRoleASessionTokenEXAMPLE/abc+def=="
#define B_AKID "ASIAWEBROLEBEXAMPLE2"
#define C_AKID "ASIAWEBROLECEXAMPLE3"
#define STANDIN_NOW INT64_C(4102444800) /* 2100-01-01T00:00:00Z */

static const char CONFIG[] =
    "{\"now\": 4102444800, \"roles\": {"
    " \"" ROLE_A "\": {\"AccessKeyId\": \"" A_AKID "\","
    "  \"SecretAccessKey\": \"" A_SECRET "\", \"SessionToken\": \"" A_TOKEN
    "\","
    "  \"Expiration\": \"2100-01-01T00:00:00Z\","
    "  \"WebIdentityToken\": [\"" TOKEN1 "\", \"" TOKEN2 "\"]},"
    " \"" ROLE_B "\": {\"AccessKeyId\": \"" B_AKID "\","
    "  \"SecretAccessKey\": \"bSecret\", \"SessionToken\": \"bToken\","
    "  \"Expiration\": \"2100-01-01T00:00:00Z\", \"WebIdentityToken\": "
    "\"" TOKEN1 "\"},"
    " \"" ROLE_OLD "\": {\"AccessKeyId\": \"ASIAWEBROLEOLD000000\","
    "  \"SecretAccessKey\": \"oSecret\", \"SessionToken\": \"oToken\","
    "  \"Expiration\": \"2009-02-13T23:31:30Z\", \"WebIdentityToken\": "
    "\"" TOKEN1 "\"},"
    " \"" ROLE_C "\": {\"AccessKeyId\": \"" C_AKID "\","
    "  \"SecretAccessKey\": \"cSecret\", \"SessionToken\": \"cToken\","
    "  \"WebIdentityToken\": [\"" TOKEN1 "\", \"" TOKEN2 "\"]}}}";

static standin server;
static char dir[] = "/tmp/rdsiam-webid-XXXXXX";
static char token_path[128];
static char closed_url[64];

static const char *const env_vars[] = {
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_ENDPOINT_URL_STS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
};

/* No web identity variables; any STS call without the stand-in goes to a
 * closed loopback port; no config files; region us-west-2. */
static void reset_env(void)
{
    size_t i;

    for (i = 0; i < sizeof env_vars / sizeof *env_vars; i++)
        unsetenv(env_vars[i]);
    setenv("AWS_ENDPOINT_URL", closed_url, 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/rdsiam-test/config", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/rdsiam-test/creds", 1);
    setenv("AWS_REGION", "us-west-2", 1);
}

static void write_token(const char *text)
{
    FILE *f = fopen(token_path, "w");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Point AWS_ENDPOINT_URL_STS at path on the stand-in. */
static void use_path(const char *path)
{
    char url[256];

    standin_url(&server, path, url, sizeof url);
    setenv("AWS_ENDPOINT_URL_STS", url, 1);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(token_path, sizeof token_path, "%s/token", dir);
    snprintf(closed_url, sizeof closed_url, "http://127.0.0.1:%d/",
             standin_closed_port());
    reset_env();
    return standin_start(&server, CONFIG);
}

static int teardown(void **state)
{
    (void)state;
    standin_stop(&server);
    unlink(token_path);
    rmdir(dir);
    return 0;
}

static int fetch(const rdsiam__web_identity_config *cfg, rdsiam__creds *c,
                 rdsiam_error *e)
{
    rdsiam__source s;
    int rc;

    assert_int_equal(rdsiam__web_identity_new(&s, cfg, NULL), RDSIAM_OK);
    assert_string_equal(s.name, "web identity");
    memset(e, 0, sizeof *e);
    rc = s.fetch(s.self, c, e);
    s.destroy(s.self);
    return rc;
}

static void assert_empty(const rdsiam__creds *c)
{
    assert_null(c->access_key_id);
    assert_null(c->secret_access_key);
    assert_null(c->session_token);
    assert_int_equal(c->expiration, 0);
}

/* The form of the last request path received: field key. Caller frees
 * the returned string. */
static char *sent(const char *path, const char *key)
{
    char *text = standin_report(&server, "_log", path);
    struct json_object *list, *form, *v;
    char *out = NULL;
    size_t n;

    assert_non_null(text);
    list = json_tokener_parse(text);
    free(text);
    assert_non_null(list);
    n = json_object_array_length(list);
    assert_true(n > 0);
    assert_true(json_object_object_get_ex(
        json_object_array_get_idx(list, n - 1), "form", &form));
    if (json_object_object_get_ex(form, key, &v))
        out = strdup(json_object_get_string(v));
    json_object_put(list);
    return out;
}

static void assert_sent(const char *path, const char *key, const char *want)
{
    char *got = sent(path, key);

    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* ------------------------------------------------------------------------ */

static void test_not_configured(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    cfg.use_env = true;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    assert_string_equal(e.message, "web identity: no token file "
                                   "(AWS_WEB_IDENTITY_TOKEN_FILE, "
                                   "web_identity_token_file)");
    assert_empty(&c);
    /* botocore: an empty token file variable is "not configured". */
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "", 1);
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    /* Without use_env the variables are not looked at. */
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token_path, 1);
    setenv("AWS_ROLE_ARN", ROLE_A, 1);
    cfg.use_env = false;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    /* NULL configuration: nothing at all. */
    assert_int_equal(fetch(NULL, &c, &e), RDSIAM_ERR_NO_CREDENTIALS);
    reset_env();
}

/* A token file but no role ARN: botocore's InvalidConfigError. */
static void test_no_role(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    write_token(TOKEN1);
    cfg.use_env = true;
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token_path, 1);
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_ENV_INCOMPLETE);
    assert_string_equal(e.message,
                        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set but "
                        "no role ARN is (AWS_ROLE_ARN or the profile's "
                        "role_arn)");
    setenv("AWS_ROLE_ARN", "", 1);
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_ENV_INCOMPLETE);
    unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
    unsetenv("AWS_ROLE_ARN");
    cfg.token_file = token_path;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(e.message,
                        "web identity: web_identity_token_file is set but no "
                        "role ARN is (AWS_ROLE_ARN or the profile's "
                        "role_arn)");
    assert_empty(&c);
    reset_env();
}

/* The environment form, as EKS sets it up. */
static void test_from_environment(void **state)
{
    static const char path[] = "/s/env/ok";
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    write_token(TOKEN1);
    use_path(path);
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token_path, 1);
    setenv("AWS_ROLE_ARN", ROLE_A, 1);
    setenv("AWS_ROLE_SESSION_NAME", "pod-session", 1);
    cfg.use_env = true;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_OK);
    assert_string_equal(e.message, "");
    assert_string_equal(c.access_key_id, A_AKID);
    assert_string_equal(c.secret_access_key, A_SECRET);
    assert_string_equal(c.session_token, A_TOKEN);
    assert_int_equal(c.expiration, STANDIN_NOW);
    rdsiam__creds_clear(&c);
    assert_sent(path, "Action", "AssumeRoleWithWebIdentity");
    assert_sent(path, "Version", "2011-06-15");
    assert_sent(path, "RoleArn", ROLE_A);
    assert_sent(path, "RoleSessionName", "pod-session");
    assert_sent(path, "WebIdentityToken", TOKEN1);
    assert_sent(path, "DurationSeconds", NULL);
    assert_int_equal(standin_hits(&server, path), 1);
    reset_env();
}

/* Profile fields, and the environment beating them key by key. */
static void test_precedence(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    write_token(TOKEN1);
    cfg.token_file = token_path;
    cfg.role_arn = ROLE_A;
    cfg.session_name = "profile-session";
    cfg.use_env = true;
    use_path("/s/prec1/ok");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, A_AKID);
    rdsiam__creds_clear(&c);
    assert_sent("/s/prec1/ok", "RoleSessionName", "profile-session");
    /* AWS_ROLE_ARN beats the profile's role_arn; the profile's session
     * name stays. */
    setenv("AWS_ROLE_ARN", ROLE_B, 1);
    use_path("/s/prec2/ok");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, B_AKID);
    rdsiam__creds_clear(&c);
    assert_sent("/s/prec2/ok", "RoleArn", ROLE_B);
    assert_sent("/s/prec2/ok", "RoleSessionName", "profile-session");
    /* Without use_env only the fields count. */
    cfg.use_env = false;
    cfg.sts.endpoint_url = NULL;
    use_path("/s/prec3/ok");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, A_AKID);
    rdsiam__creds_clear(&c);
    assert_sent("/s/prec3/ok", "RoleArn", ROLE_A);
    reset_env();
}

/* No session name anywhere: botocore-session-<unix time>. */
static int64_t pinned_now;
static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return pinned_now;
}

static void test_default_session_name(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    write_token(TOKEN1);
    use_path("/s/session/ok");
    cfg.token_file = token_path;
    cfg.role_arn = ROLE_A;
    pinned_now = 1700000000;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_OK);
    rdsiam__sys_set_clock(NULL, NULL);
    rdsiam__creds_clear(&c);
    assert_sent("/s/session/ok", "RoleSessionName",
                "botocore-session-1700000000");
    reset_env();
}

/* The token file is read at every fetch: a rotated token is sent, and a
 * token the provider does not accept fails. */
static void test_rotation(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__source s;
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    use_path("/s/rotate/ok");
    cfg.token_file = token_path;
    cfg.role_arn = ROLE_A;
    cfg.session_name = "rotating";
    assert_int_equal(rdsiam__web_identity_new(&s, &cfg, NULL), RDSIAM_OK);
    write_token(TOKEN1);
    assert_int_equal(s.fetch(s.self, &c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    assert_sent("/s/rotate/ok", "WebIdentityToken", TOKEN1);
    write_token(TOKEN2);
    assert_int_equal(s.fetch(s.self, &c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, A_AKID);
    rdsiam__creds_clear(&c);
    assert_sent("/s/rotate/ok", "WebIdentityToken", TOKEN2);
    write_token(TOKEN3);
    assert_int_equal(s.fetch(s.self, &c, &e), RDSIAM_ERR_STS);
    assert_string_equal(
        e.message,
        "web identity: STS AssumeRoleWithWebIdentity: InvalidIdentityToken "
        "(HTTP 400): The web identity token that was passed could not be "
        "validated by AWS. Get a new identity token from the identity "
        "provider and then retry the request.");
    assert_null(strstr(e.message, TOKEN3));
    assert_empty(&c);
    assert_int_equal(standin_hits(&server, "/s/rotate/ok"), 3);
    s.destroy(s.self);
    reset_env();
}

/* Renewal through the caching provider: credentials near their expiry
 * are fetched again, with the token file as it is then. RoleC's
 * credentials expire an hour after the stand-in's clock (2100-01-01). */
static void test_provider_renewal(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__source s;
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *c = NULL;
    rdsiam_error e;

    (void)state;
    reset_env();
    use_path("/s/renew/ok");
    cfg.token_file = token_path;
    cfg.role_arn = ROLE_C;
    cfg.session_name = "renewing";
    write_token(TOKEN1);
    pinned_now = STANDIN_NOW;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    assert_int_equal(rdsiam__web_identity_new(&s, &cfg, NULL), RDSIAM_OK);
    assert_int_equal(rdsiam__provider_new(&p, s, NULL, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &c, &e), RDSIAM_OK);
    assert_string_equal(rdsiam_credentials_ref_get(c)->access_key_id, C_AKID);
    assert_int_equal(rdsiam_credentials_ref_get(c)->expiration,
                     STANDIN_NOW + 3600);
    rdsiam_credentials_ref_free(c);
    /* Still fresh: served from the cache. */
    assert_int_equal(rdsiam_provider_get_credentials(p, &c, &e), RDSIAM_OK);
    rdsiam_credentials_ref_free(c);
    assert_int_equal(standin_hits(&server, "/s/renew/ok"), 1);
    /* Five minutes before expiry (inside the default 960 s margin). */
    write_token(TOKEN2);
    pinned_now = STANDIN_NOW + 3600 - 300;
    assert_int_equal(rdsiam_provider_get_credentials(p, &c, &e), RDSIAM_OK);
    rdsiam_credentials_ref_free(c);
    assert_int_equal(standin_hits(&server, "/s/renew/ok"), 2);
    assert_sent("/s/renew/ok", "WebIdentityToken", TOKEN2);
    rdsiam_provider_free(p);
    rdsiam__sys_set_clock(NULL, NULL);
    reset_env();
}

/* Token files that cannot be used. */
static void test_bad_token_files(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;
    char path[192], want[512], *big;

    (void)state;
    reset_env();
    use_path("/s/badfile/ok");
    cfg.role_arn = ROLE_A;
    cfg.session_name = "s1";
    snprintf(path, sizeof path, "%s/missing", dir);
    cfg.token_file = path;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_FILE_IO);
    snprintf(want, sizeof want,
             "web identity: cannot open web_identity_token_file %s: No such "
             "file or directory",
             path);
    assert_string_equal(e.message, want);
    /* A directory, and a FIFO (O_NONBLOCK: opening it does not wait for
     * a writer). */
    cfg.token_file = dir;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_FILE_IO);
    snprintf(want, sizeof want,
             "web identity: web_identity_token_file %s is not a regular file",
             dir);
    assert_string_equal(e.message, want);
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    cfg.token_file = path;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_FILE_IO);
    snprintf(want, sizeof want,
             "web identity: web_identity_token_file %s is not a regular file",
             path);
    assert_string_equal(e.message, want);
    unlink(path);
    /* Over RDSIAM__STS_WEB_TOKEN_MAX (20000) bytes. */
    big = malloc(20002);
    assert_non_null(big);
    memset(big, 'x', 20001);
    big[20001] = '\0';
    write_token(big);
    free(big);
    cfg.token_file = token_path;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_FILE_IO);
    snprintf(want, sizeof want,
             "web identity: web_identity_token_file %s is larger than 20000 "
             "bytes",
             token_path);
    assert_string_equal(e.message, want);
    /* Empty. */
    write_token("");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_INVALID_ARGUMENT);
    snprintf(want, sizeof want,
             "web identity (web_identity_token_file %s): STS "
             "AssumeRoleWithWebIdentity: the web identity token is 0 bytes, "
             "not 4..20000",
             token_path);
    assert_string_equal(e.message, want);
    assert_empty(&c);
    /* None of these reached the stand-in. */
    assert_int_equal(standin_hits(&server, "/s/badfile/ok"), 0);
    reset_env();
}

/* STS refusals and broken answers come through with their messages. */
static void test_sts_failures(void **state)
{
    rdsiam__web_identity_config cfg = {0};
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    reset_env();
    write_token(TOKEN1);
    cfg.token_file = token_path;
    cfg.role_arn = ROLE_A;
    cfg.session_name = "s1";
    use_path("/s/fail1/AccessDenied");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_STS);
    assert_string_equal(
        e.message,
        "web identity: STS AssumeRoleWithWebIdentity: AccessDenied (HTTP "
        "403): User: arn:aws:iam::123456789012:user/tester is not authorized "
        "to perform: sts:AssumeRole on resource: " ROLE_A);
    assert_int_equal(standin_hits(&server, "/s/fail1/AccessDenied"), 1);
    /* Throttled, then a 503, then the answer. */
    use_path("/s/fail2/Throttling.503");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    assert_int_equal(standin_hits(&server, "/s/fail2/Throttling.503"), 3);
    /* The stand-in's answer cut in half; expat's XML_ErrorString. */
    use_path("/s/fail3/truncated");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_XML);
    {
        char want[512];

        snprintf(want, sizeof want,
                 "web identity (web_identity_token_file %s): STS "
                 "AssumeRoleWithWebIdentity: malformed XML answer: line 9: "
                 "no element found",
                 token_path);
        assert_string_equal(e.message, want);
    }
    assert_empty(&c);
    /* Credentials that are already expired. */
    cfg.role_arn = ROLE_OLD;
    use_path("/s/fail4/ok");
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_non_null(strstr(e.message, "STS AssumeRoleWithWebIdentity: "
                                      "answer's credentials expired at "
                                      "2009-02-13T23:31:30Z"));
    assert_empty(&c);
    /* No stand-in at all (AWS_ENDPOINT_URL: a closed port). */
    unsetenv("AWS_ENDPOINT_URL_STS");
    cfg.role_arn = ROLE_A;
    cfg.sts.timeout_ms = 500;
    assert_int_equal(fetch(&cfg, &c, &e), RDSIAM_ERR_HTTP);
    assert_non_null(strstr(e.message, "Couldn't connect to server"));
    reset_env();
}

#else /* !RDSIAM_HTTP */

static void test_not_built_in(void **state)
{
    rdsiam__source s;
    rdsiam_error e;

    (void)state;
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__web_identity_new(&s, NULL, &e),
                     RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(e.message, "web identity credentials: this library "
                                   "was built with HTTP=no (no libcurl)");
}

#endif /* RDSIAM_HTTP */

int main(void)
{
    alarm(120);
#if RDSIAM_HTTP
    {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_not_configured),
            cmocka_unit_test(test_no_role),
            cmocka_unit_test(test_from_environment),
            cmocka_unit_test(test_precedence),
            cmocka_unit_test(test_default_session_name),
            cmocka_unit_test(test_rotation),
            cmocka_unit_test(test_provider_renewal),
            cmocka_unit_test(test_bad_token_files),
            cmocka_unit_test(test_sts_failures),
        };
        return cmocka_run_group_tests_name("web identity", tests, setup,
                                           teardown);
    }
#else
    {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_not_built_in),
        };
        return cmocka_run_group_tests_name("web identity", tests, NULL, NULL);
    }
#endif
}
