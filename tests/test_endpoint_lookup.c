/*
 * test_endpoint_lookup.c - the configured-endpoint look-up of
 * lib/endpoint.c (rdsiam__endpoint_lookup and the checked forms built on
 * it): the environment, then the selected profile's services section and
 * endpoint_url, and the switch that turns them all off.
 *
 * Where expected values come from: the order and the rules are botocore
 * 1.43's, read in its source: configprovider.py ConfiguredEndpointProvider
 * (_ENDPOINT_URL_LOOKUP_ORDER environment_service, environment_global,
 * config_service, config_global; "if endpoint_url:" so an empty value is
 * skipped; _get_services_config raises InvalidConfigError for a services
 * section that does not exist or is empty), args.py
 * _compute_configured_endpoint_url and _ignore_configured_endpoint_urls (an
 * explicit endpoint_url first; the ignore switch from
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS when set at all, else the profile's
 * ignore_configured_endpoint_urls, through utils.ensure_boolean),
 * configloader.py _parse_nested (sub-property names kept as written, the
 * last one wins). tests/check-botocore-sources.sh runs botocore and the
 * library on the same files through the stand-in. The source strings are the
 * library's own wording (lib/endpoint.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint.h"
#include "helpers/fake_env.h"
#include "sts.h"

/* clang-format off */
static const char CONFIG[] =
    "[default]\n"
    "region = us-east-1\n"
    "[profile svc]\n"
    "services = local\n"
    "endpoint_url = https://global.example.test/g/\n"
    "[profile plain]\n"
    "endpoint_url = http://127.0.0.1:9/plain\n"
    "[profile noglobal]\n"
    "services = local\n"
    "[profile missing]\n"
    "services = nosuch\n"
    "endpoint_url = https://global.example.test\n"
    "[profile emptysec]\n"
    "services = hollow\n"
    "[profile flat]\n"
    "services = flat\n"
    "[profile upper]\n"
    "services = upper\n"
    "endpoint_url = https://global.example.test\n"
    "[profile ignored]\n"
    "services = local\n"
    "endpoint_url = https://global.example.test\n"
    "ignore_configured_endpoint_urls = True\n"
    "[profile notignored]\n"
    "endpoint_url = https://global.example.test\n"
    "ignore_configured_endpoint_urls = yes\n"
    "[profile remote]\n"
    "endpoint_url = http://sts.example.test/s3cr3t\n"
    "[services local]\n"
    "sts =\n"
    "  endpoint_url = http://127.0.0.1:8080/first\n"
    "  endpoint_url = http://127.0.0.1:8080/sts\n"
    "sso =\n"
    "  endpoint_url = https://portal.example.test/\n"
    "sso_oidc =\n"
    "  other_setting = x\n"
    "signin =\n"
    "  endpoint_url =\n"
    "[services hollow]\n"
    "[services flat]\n"
    "sts = https://flat.example.test\n"
    "[services upper]\n"
    "STS =\n"
    "  ENDPOINT_URL = https://upper.example.test\n";
/* clang-format on */

static fake_home home;

static int setup(void **state)
{
    (void)state;
    if (fake_home_setup(&home, "endpoint") != 0)
        return -1;
    fake_write_file(home.config, CONFIG);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_home_teardown(&home);
    return 0;
}

/* Clear the variables the look-up reads (HOME and the files stay). */
static void clear_endpoint_env(void)
{
    fake_env_set("AWS_ENDPOINT_URL", NULL);
    fake_env_set("AWS_ENDPOINT_URL_STS", NULL);
    fake_env_set("AWS_ENDPOINT_URL_SSO", NULL);
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", NULL);
    fake_env_set("AWS_ENDPOINT_URL_SIGNIN", NULL);
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", NULL);
}

/* Look service up for profile (in a resolution of its own; NULL profile:
 * no resolution at all); expect rc, url and source ("" for none). */
static void expect(const char *profile, const char *service, int rc,
                   const char *url, const char *source)
{
    rdsiam_provider_options o = {.profile = profile};
    rdsiam__resolution r;
    rdsiam__endpoint_url ep;
    rdsiam_error e;

    memset(&e, 0, sizeof e);
    if (profile)
        assert_int_equal(rdsiam__resolution_open(&r, &o, NULL), RDSIAM_OK);
    assert_int_equal(
        rdsiam__endpoint_lookup("X", profile ? &r : NULL, service, &ep, &e),
        rc);
    if (rc == RDSIAM_OK) {
        assert_string_equal(ep.url, url);
        assert_string_equal(ep.source, source);
    } else {
        assert_string_equal(e.message, source);
    }
    if (profile)
        rdsiam__resolution_close(&r);
}

/* Steps 3 and 4: the services section's block for the service, else the
 * profile's endpoint_url; the section's last endpoint_url wins. */
static void test_profile_order(void **state)
{
    (void)state;
    clear_endpoint_env();
    expect("svc", "sts", RDSIAM_OK, "http://127.0.0.1:8080/sts",
           "the services section \"local\" of profile \"svc\" (sts "
           "endpoint_url)");
    expect("svc", "sso", RDSIAM_OK, "https://portal.example.test/",
           "the services section \"local\" of profile \"svc\" (sso "
           "endpoint_url)");
    /* A block without endpoint_url, an empty endpoint_url, a service not
     * in the section: the profile's endpoint_url. */
    expect("svc", "sso_oidc", RDSIAM_OK, "https://global.example.test/g/",
           "profile \"svc\" endpoint_url");
    expect("svc", "signin", RDSIAM_OK, "https://global.example.test/g/",
           "profile \"svc\" endpoint_url");
    expect("noglobal", "sso_oidc", RDSIAM_OK, "", "");
    expect("plain", "sts", RDSIAM_OK, "http://127.0.0.1:9/plain",
           "profile \"plain\" endpoint_url");
    /* Sub-property names are matched as written (botocore's
     * _parse_nested does not lower-case them); the block's own name is a
     * property name, case-insensitive. */
    expect("upper", "sts", RDSIAM_OK, "https://global.example.test",
           "profile \"upper\" endpoint_url");
    /* A profile that sets nothing, and no resolution at all. */
    expect("default", "sts", RDSIAM_OK, "", "");
    expect(NULL, "sts", RDSIAM_OK, "", "");
}

/* Steps 1 and 2 beat the profile; empty variables count as unset. */
static void test_environment_first(void **state)
{
    (void)state;
    clear_endpoint_env();
    fake_env_set("AWS_ENDPOINT_URL", "https://env-global.example.test");
    expect("svc", "sts", RDSIAM_OK, "https://env-global.example.test",
           "AWS_ENDPOINT_URL");
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", "https://oidc.example.test");
    expect("svc", "sso_oidc", RDSIAM_OK, "https://oidc.example.test",
           "AWS_ENDPOINT_URL_SSO_OIDC");
    expect(NULL, "sso_oidc", RDSIAM_OK, "https://oidc.example.test",
           "AWS_ENDPOINT_URL_SSO_OIDC");
    fake_env_set("AWS_ENDPOINT_URL_SSO_OIDC", "");
    expect("svc", "sso_oidc", RDSIAM_OK, "https://env-global.example.test",
           "AWS_ENDPOINT_URL");
    fake_env_set("AWS_ENDPOINT_URL", "");
    expect("svc", "sts", RDSIAM_OK, "http://127.0.0.1:8080/sts",
           "the services section \"local\" of profile \"svc\" (sts "
           "endpoint_url)");
    /* An environment URL is found before the services section is looked
     * at: a missing section is no error then. */
    fake_env_set("AWS_ENDPOINT_URL_STS", "https://env-sts.example.test");
    expect("missing", "sts", RDSIAM_OK, "https://env-sts.example.test",
           "AWS_ENDPOINT_URL_STS");
    clear_endpoint_env();
}

/* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS when set at all, else the profile's
 * ignore_configured_endpoint_urls; "true" in any case turns every step
 * off, anything else none. */
static void test_ignore_switch(void **state)
{
    (void)state;
    clear_endpoint_env();
    expect("ignored", "sts", RDSIAM_OK, "", "");
    fake_env_set("AWS_ENDPOINT_URL_STS", "https://env-sts.example.test");
    expect("ignored", "sts", RDSIAM_OK, "", "");
    /* The variable, set (even empty), decides instead of the profile. */
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "");
    expect("ignored", "sts", RDSIAM_OK, "https://env-sts.example.test",
           "AWS_ENDPOINT_URL_STS");
    fake_env_set("AWS_ENDPOINT_URL_STS", NULL);
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
    expect("ignored", "sts", RDSIAM_OK, "http://127.0.0.1:8080/sts",
           "the services section \"local\" of profile \"ignored\" (sts "
           "endpoint_url)");
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    expect("svc", "sts", RDSIAM_OK, "", "");
    expect("missing", "sts", RDSIAM_OK, "", "");
    fake_env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", NULL);
    /* ensure_boolean: only "true" is true. */
    expect("notignored", "sts", RDSIAM_OK, "https://global.example.test",
           "profile \"notignored\" endpoint_url");
}

/* A services section that does not exist, an empty one, a service entry
 * that is not a block. */
static void test_services_errors(void **state)
{
    (void)state;
    clear_endpoint_env();
    expect("missing", "sts", RDSIAM_ERR_PROFILE_INVALID, NULL,
           "X: profile \"missing\" names the services section \"nosuch\", "
           "which does not exist");
    expect("emptysec", "sso", RDSIAM_ERR_PROFILE_INVALID, NULL,
           "X: profile \"emptysec\" names the services section \"hollow\", "
           "which does not exist");
    expect("flat", "sts", RDSIAM_ERR_PROFILE_INVALID, NULL,
           "X: the services section \"flat\": sts is not a block of "
           "indented settings (\"sts =\" then \"  endpoint_url = ...\")");
    /* Another service of the same section is not affected. */
    expect("flat", "sso", RDSIAM_OK, "", "");
}

/* Every URL is checked wherever it came from, and a message names the
 * place and at most the host (plain http to a host not allowed), never the
 * rest of the URL (its path may carry a secret). */
static void test_checked(void **state)
{
    rdsiam_provider_options o = {.profile = "remote"};
    rdsiam__resolution r;
    rdsiam__endpoint_url ep;
    rdsiam__buf b;
    rdsiam_error e;
    bool found = true;

    (void)state;
    clear_endpoint_env();
    assert_int_equal(rdsiam__resolution_open(&r, &o, NULL), RDSIAM_OK);
#if RDSIAM_HTTP
    assert_int_equal(
        rdsiam__endpoint_configured("login", &r, "signin", &ep, &e),
        RDSIAM_ERR_URI_NOT_ALLOWED);
    assert_string_equal(e.message,
                        "login: profile \"remote\" endpoint_url: plain http "
                        "is not allowed to host 'sts.example.test': only to "
                        "loopback (127.0.0.0/8, [::1], localhost); use "
                        "https");
#else
    /* Built with HTTP=no there is no URL parser (libcurl's URL API): a
     * configured endpoint cannot be checked, and says so
     * (lib/endpoint.c, rdsiam__url_fail). */
    assert_int_equal(
        rdsiam__endpoint_configured("login", &r, "signin", &ep, &e),
        RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(e.message,
                        "login: profile \"remote\" endpoint_url: this "
                        "library was built with HTTP=no (no libcurl)");
#endif
    assert_null(strstr(e.message, "s3cr3t"));
    assert_string_equal(ep.url, "");
    rdsiam__resolution_close(&r);

    /* The appended form drops trailing '/'s. */
    o.profile = "svc";
    rdsiam__buf_init(&b, 256);
    assert_int_equal(rdsiam__resolution_open(&r, &o, NULL), RDSIAM_OK);
#if RDSIAM_HTTP
    assert_int_equal(rdsiam__endpoint_append("sso", &r, "sso", &b, &found, &e),
                     RDSIAM_OK);
    assert_true(found);
    assert_string_equal(b.data, "https://portal.example.test");
#else
    assert_int_equal(rdsiam__endpoint_append("sso", &r, "sso", &b, &found, &e),
                     RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(e.message,
                        "sso: the services section \"local\" of profile "
                        "\"svc\" (sso endpoint_url): this library was built "
                        "with HTTP=no (no libcurl)");
    assert_false(found);
    assert_int_equal(b.len, 0);
#endif
    rdsiam__buf_free(&b);
    rdsiam__resolution_close(&r);
}

#if RDSIAM_HTTP
/* STS: an endpoint set in code beats every configured one (args.py:
 * "if endpoint_url is not None: return endpoint_url"); the configured one
 * beats the regional default; the signing region stays the region. */
static void test_sts_endpoint(void **state)
{
    rdsiam_provider_options o = {.profile = "svc"};
    rdsiam__resolution r;
    rdsiam__sts_config cfg;
    rdsiam__sts_endpoint ep;
    rdsiam_error e;

    (void)state;
    clear_endpoint_env();
    assert_int_equal(rdsiam__resolution_open(&r, &o, NULL), RDSIAM_OK);
    memset(&cfg, 0, sizeof cfg);
    cfg.region = "eu-west-1";
    cfg.res = &r;
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "http://127.0.0.1:8080/sts");
    assert_string_equal(ep.source, "the services section \"local\" of "
                                   "profile \"svc\" (sts endpoint_url)");
    assert_string_equal(ep.region, "eu-west-1");
    assert_true(ep.plain_http);
    rdsiam__sts_endpoint_free(&ep);
    cfg.endpoint_url = "https://in-code.example.test";
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "https://in-code.example.test");
    assert_string_equal(ep.source, "STS endpoint_url");
    rdsiam__sts_endpoint_free(&ep);
    /* Without a resolution: the environment alone, then the default. */
    cfg.endpoint_url = NULL;
    cfg.res = NULL;
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "https://sts.eu-west-1.amazonaws.com");
    assert_string_equal(ep.source, "default STS endpoint");
    rdsiam__sts_endpoint_free(&ep);
    rdsiam__resolution_close(&r);

    /* A missing services section stops the call. */
    o.profile = "missing";
    assert_int_equal(rdsiam__resolution_open(&r, &o, NULL), RDSIAM_OK);
    cfg.res = &r;
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_null(ep.url);
    assert_string_equal(e.message,
                        "STS: profile \"missing\" names the services section "
                        "\"nosuch\", which does not exist");
    rdsiam__resolution_close(&r);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_order),
        cmocka_unit_test(test_environment_first),
        cmocka_unit_test(test_ignore_switch),
        cmocka_unit_test(test_services_errors),
        cmocka_unit_test(test_checked),
#if RDSIAM_HTTP
        cmocka_unit_test(test_sts_endpoint),
#endif
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
