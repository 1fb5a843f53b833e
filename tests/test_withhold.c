/*
 * test_withhold.c - a secret a request sent never comes back in an error
 * message (lib/withhold.c), however the server echoes it: the STS XML,
 * container, instance metadata and IAM Identity Center JSON answers of a
 * leaky stand-in (tests/helpers/aws_standin.py, /echo/FORM) quote the web
 * identity token, the session token, the authorization token, the IMDSv2
 * session token or the SSO access token in every encoding XML and JSON
 * allow: as is, as character references, split across CDATA sections,
 * cut at both ends, escaped twice, percent-encoded, in a Code, as \u
 * escapes, as duplicated member names. Each message must be the one
 * "withheld" sentence, and hold no run of 16 characters of any secret.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers/fake_env.h"
#include "helpers/standin.h"
#include "withhold.h"

#if RDSIAM_HTTP
#include "source_container.h"
#include "source_imds.h"
#include "source_sso.h"
#include "sso_token.h"
#include "sts.h"
#endif

/* A web identity token shaped like a JWT (three base64url parts). */
#define WEB_TOKEN                                                              \
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IndpdGhob2xkIn0.eyJzdWIiOiJzeXN0ZW06c2Vydm"   \
    "ljZWFjY291bnQ6ZGVmYXVsdDphcHAiLCJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.c2l"   \
    "nbmF0dXJlLW9mLXRoZS13ZWItaWRlbnRpdHktdG9rZW4tZm9yLXdpdGhob2xk"
#define SESSION_TOKEN                                                          \
    "FwoGZXIvYXdzEWithholdSessionToken/"                                       \
    "abcdefghijklmnopqrstuvwxyz+0123456789=="
#define SOURCE_SECRET "withholdSourceSecret/abcdefghijklmnopqrstu+1"
#define AUTH_TOKEN "withholdContainerAuthorizationToken-0123456789abcdef"
#define SSO_TOKEN "withholdSsoAccessToken/aoaAAAAAGZ0eXBlX3Rva2VuX2Zvcl90ZXN0"
#define OIDC_SECRET "withholdOidcClientSecret/0a1b2c3d4e5f6g7h8i9j"
#define OIDC_REFRESH "withholdOidcRefreshToken-aorAAAAAGZ0eXBlX3JlZnJlc2g"
/* aws_standin.py's ECHO_IMDS_TOKEN */
#define IMDS_TOKEN "echoImdsSessionToken/0123456789abcdefghijklmnopqrstuvwxyzAB"

static const char *const SECRETS[] = {WEB_TOKEN,   SESSION_TOKEN, SOURCE_SECRET,
                                      AUTH_TOKEN,  SSO_TOKEN,     IMDS_TOKEN,
                                      OIDC_SECRET, OIDC_REFRESH};

/* The test's own oracle, written apart from the library's: no window of
 * 16 characters of any secret occurs in the message. */
static void assert_no_run(const char *message)
{
    char window[17];

    for (size_t s = 0; s < sizeof SECRETS / sizeof *SECRETS; s++) {
        size_t n = strlen(SECRETS[s]);

        for (size_t i = 0; i + 16 <= n; i++) {
            memcpy(window, SECRETS[s] + i, 16);
            window[16] = '\0';
            if (strstr(message, window))
                fail_msg("message holds \"%s\" of secret %zu: %s", window, s,
                         message);
        }
    }
}

static void assert_withheld(const rdsiam_error *e, int rc, int want_rc,
                            const char *who)
{
    char want[256];

    snprintf(want, sizeof want,
             "%s: the error message is withheld: it quotes a credential "
             "that was sent",
             who);
    assert_int_equal(rc, want_rc);
    assert_int_equal(e->code, want_rc);
    assert_string_equal(e->message, want);
    assert_no_run(e->message);
}

/* ------------------------------------------------------------------------ */
/* The check itself                                                         */
/* ------------------------------------------------------------------------ */

static void test_runs(void **state)
{
    static const char secret[] = "abcdefghijklmnopqrstuvwxyz0123456789";

    (void)state;
    /* 15 characters of it are allowed, 16 are not, anywhere. */
    assert_false(rdsiam__quotes_secret("..bcdefghijklmnop..", 19, secret, 36));
    assert_true(rdsiam__quotes_secret("..bcdefghijklmnopq..", 20, secret, 36));
    assert_true(rdsiam__quotes_secret("uvwxyz0123456789", 16, secret, 36));
    /* A short secret counts whole; under 4 bytes, never. */
    assert_true(rdsiam__quotes_secret("key=abcdef;", 11, "abcdef", 6));
    assert_false(rdsiam__quotes_secret("key=abcde;", 10, "abcdef", 6));
    assert_false(rdsiam__quotes_secret("abc", 3, "abc", 3));
    assert_false(rdsiam__quotes_secret(NULL, 0, secret, 36));
}

/* Escapes a reader could undo by eye are undone before the check; the
 * code stays; other messages are untouched. */
static void test_escaped_messages(void **state)
{
    static const char *const shown[] = {
        "x: %61%62%63%64%65%66%67%68%69%6a%6B%6c%6d%6e%6f%70",
        "x: \\x61bcdefghijklmno\\x70",
        "x: \\u0061\\u0062cdefghijklmno\\u0070",
        "x: &#x61;&#98;cdefghijklmno&#x70;",
    };
    rdsiam__sent sent = {"abcdefghijklmnopqrstuvwxyz", 26};
    rdsiam_error e;

    (void)state;
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
        rdsiam__fail(&e, RDSIAM_ERR_JSON, "%s", shown[i]);
        rdsiam__withhold_sent(&e, "test", &sent, 1);
        assert_withheld(&e, e.code, RDSIAM_ERR_JSON, "test");
    }
    rdsiam__fail(&e, RDSIAM_ERR_JSON, "x: %%61bcdefghijklmno and more");
    rdsiam__withhold_sent(&e, "test", &sent, 1);
    assert_string_equal(e.message, "x: %61bcdefghijklmno and more");
    rdsiam__ok(&e);
    rdsiam__withhold_sent(&e, "test", &sent, 1);
    assert_int_equal(e.code, RDSIAM_OK);
    rdsiam__withhold_sent(NULL, "test", &sent, 1);
}

#if RDSIAM_HTTP

/* ------------------------------------------------------------------------ */
/* Leaky servers                                                            */
/* ------------------------------------------------------------------------ */

static standin server;
static fake_home home;
static char echo_buf[256];

static int setup(void **state)
{
    (void)state;
    if (fake_home_setup(&home, "withhold") != 0)
        return -1;
    fake_env_set("AWS_EC2_METADATA_DISABLED", NULL);
    return standin_start(&server, NULL);
}

static int teardown(void **state)
{
    (void)state;
    standin_stop(&server);
    fake_home_teardown(&home);
    return 0;
}

static const char *echo_url(const char *form)
{
    standin_url(&server, "/echo/", echo_buf, sizeof echo_buf);
    strncat(echo_buf, form, sizeof echo_buf - strlen(echo_buf) - 1);
    return echo_buf;
}

static const char *const XML_FORMS[] = {
    "xml-plain", "xml-charref", "xml-cdata", "xml-partial",
    "xml-shown", "xml-percent", "xml-code",
};
static const char *const JSON_FORMS[] = {
    "json-code", "json-code-u", "json-code-partial", "json-dup", "json-dup-u",
};
/* The portal's answer shows no Code: the duplicated member names are what
 * could carry its token. */
static const char *const NAME_FORMS[] = {"json-dup", "json-dup-u"};

/* One request to the leaky server at url: its result, and *e. */
typedef int (*ask_fn)(const char *url, rdsiam_error *e);

/* Every form: the message is withheld, the code is the one the answer
 * gives without the echo (an STS error; a Code other than Success or a
 * member given twice: RDSIAM_ERR_JSON). */
static void each_form(const char *const *forms, size_t n, ask_fn ask,
                      int want_rc, const char *who)
{
    rdsiam_error e;

    for (size_t i = 0; i < n; i++) {
        int rc = ask(echo_url(forms[i]), &e);

        print_message("%s\n", forms[i]);
        assert_withheld(&e, rc, want_rc, who);
    }
}

static int ask_web_identity(const char *url, rdsiam_error *e)
{
    rdsiam__sts_config cfg;
    rdsiam__creds c;

    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint_url = url;
    cfg.max_attempts = 1;
    return rdsiam__sts_assume_role_with_web_identity(
        &cfg, "arn:aws:iam::123456789012:role/withhold", "web-session",
        WEB_TOKEN, strlen(WEB_TOKEN), &c, e);
}

static int ask_assume_role(const char *url, rdsiam_error *e)
{
    static const rdsiam_credentials source = {
        .access_key_id = "ASIAWITHHOLDSOURCE01",
        .secret_access_key = SOURCE_SECRET,
        .session_token = SESSION_TOKEN,
    };
    rdsiam__sts_config cfg;
    rdsiam__creds c;

    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint_url = url;
    cfg.max_attempts = 1;
    return rdsiam__sts_assume_role(&cfg, &source,
                                   "arn:aws:iam::123456789012:role/withhold",
                                   "session", NULL, 0, &c, e);
}

/* One fetch of source s, which is then destroyed. */
static int fetch_once(rdsiam__source *s, rdsiam_error *e)
{
    rdsiam__creds c;
    int rc;

    memset(&c, 0, sizeof c);
    rc = s->fetch(s->self, &c, e);
    s->destroy(s->self);
    return rc;
}

static int ask_container(const char *url, rdsiam_error *e)
{
    rdsiam__source s;

    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
    assert_int_equal(rdsiam__source_container(&s, NULL, NULL, e), RDSIAM_OK);
    return fetch_once(&s, e);
}

static int ask_imds(const char *url, rdsiam_error *e)
{
    rdsiam__imds_config cfg;
    rdsiam__source s;

    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint = url;
    assert_int_equal(rdsiam__imds_new(&s, &cfg, e), RDSIAM_OK);
    return fetch_once(&s, e);
}

static rdsiam__sso_config sso_cfg;

static int ask_sso(const char *url, rdsiam_error *e)
{
    rdsiam__source s;

    fake_env_set("AWS_ENDPOINT_URL_SSO", url);
    assert_int_equal(rdsiam__sso_new(&s, &sso_cfg, e), RDSIAM_OK);
    return fetch_once(&s, e);
}

#define FORMS(a) a, sizeof a / sizeof *a

static void test_sts_web_identity(void **state)
{
    (void)state;
    each_form(FORMS(XML_FORMS), ask_web_identity, RDSIAM_ERR_STS,
              "STS AssumeRoleWithWebIdentity");
}

static void test_sts_assume_role(void **state)
{
    (void)state;
    each_form(FORMS(XML_FORMS), ask_assume_role, RDSIAM_ERR_STS,
              "STS AssumeRole");
}

static void test_container(void **state)
{
    (void)state;
    fake_env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH_TOKEN);
    each_form(FORMS(JSON_FORMS), ask_container, RDSIAM_ERR_JSON, "container");
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", NULL);
    fake_env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", NULL);
}

static void test_imds(void **state)
{
    (void)state;
    each_form(FORMS(JSON_FORMS), ask_imds, RDSIAM_ERR_JSON,
              "instance metadata");
}

/* The token cache file `aws sso login` writes, under the temporary HOME,
 * holding text; its path into *path (free()). */
static void sso_cache(const char *text, char **path)
{
    char cmd[320];

    memset(&sso_cfg, 0, sizeof sso_cfg);
    sso_cfg.profile = "dev";
    sso_cfg.session_name = "withhold";
    sso_cfg.start_url = "https://withhold.awsapps.com/start";
    sso_cfg.region = "us-east-1";
    sso_cfg.account_id = "111122223333";
    sso_cfg.role_name = "ReadOnly";
    snprintf(cmd, sizeof cmd, "mkdir -p %s/.aws/sso/cache", home.dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(rdsiam__sso_cache_path(&sso_cfg, path, NULL), RDSIAM_OK);
    fake_write_file(*path, text);
}

static void sso_cache_remove(char *path)
{
    char cmd[320];

    free(path);
    snprintf(cmd, sizeof cmd, "rm -rf %s/.aws", home.dir);
    assert_int_equal(system(cmd), 0);
}

/* The portal's answer, asked with the cached access token. */
static void test_sso(void **state)
{
    char *path = NULL;

    (void)state;
    sso_cache("{\"accessToken\": \"" SSO_TOKEN "\", "
              "\"expiresAt\": \"2100-01-01T00:00:00Z\"}",
              &path);
    each_form(FORMS(NAME_FORMS), ask_sso, RDSIAM_ERR_JSON,
              "IAM Identity Center");
    fake_env_set("AWS_ENDPOINT_URL_SSO", NULL);
    sso_cache_remove(path);
}

/* SSO-OIDC CreateToken, asked with the cached client secret and refresh
 * token for an expired access token: its OAuth error code and member
 * names may be shown. The refresh fails, and the session's expiry is
 * what the caller hears, with why it was not refreshed. */
static void test_sso_oidc(void **state)
{
    static const char *const forms[] = {"json-error", "json-error-u",
                                        "json-dup", "json-dup-u"};
    rdsiam__source s;
    rdsiam_error e;
    char *path = NULL;
    int rc;

    (void)state;
    sso_cache("{\"accessToken\": \"" SSO_TOKEN "\", "
              "\"expiresAt\": \"2020-01-01T00:00:00Z\", "
              "\"clientId\": \"withholdClientId\", "
              "\"clientSecret\": \"" OIDC_SECRET "\", "
              "\"registrationExpiresAt\": \"2100-01-01T00:00:00Z\", "
              "\"refreshToken\": \"" OIDC_REFRESH "\"}",
              &path);
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", echo_url(forms[i]));
        assert_int_equal(rdsiam__sso_new(&s, &sso_cfg, &e), RDSIAM_OK);
        rc = fetch_once(&s, &e);
        print_message("%s\n", forms[i]);
        assert_int_equal(rc, RDSIAM_ERR_CREDENTIALS_EXPIRED);
        assert_non_null(strstr(e.message,
                               " and was not refreshed: SSO-OIDC CreateToken: "
                               "the error message is withheld: it quotes a "
                               "credential that was sent; run `aws sso login "
                               "--profile dev`"));
        assert_no_run(e.message);
    }
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", NULL);
    sso_cache_remove(path);
}

#endif /* RDSIAM_HTTP */

int main(void)
{
    const struct CMUnitTest offline[] = {
        cmocka_unit_test(test_runs),
        cmocka_unit_test(test_escaped_messages),
    };
    int failed = cmocka_run_group_tests(offline, NULL, NULL);
#if RDSIAM_HTTP
    const struct CMUnitTest servers[] = {
        cmocka_unit_test(test_sts_web_identity),
        cmocka_unit_test(test_sts_assume_role),
        cmocka_unit_test(test_container),
        cmocka_unit_test(test_imds),
        cmocka_unit_test(test_sso),
        cmocka_unit_test(test_sso_oidc),
    };

    failed += cmocka_run_group_tests(servers, setup, teardown);
#endif
    return failed;
}
