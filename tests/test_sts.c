/*
 * test_sts.c - STS calls (lib/sts.c): the XML answers, the endpoint rules,
 * and AssumeRole / AssumeRoleWithWebIdentity against
 * tests/helpers/aws_standin.py, a loopback STS stand-in that verifies
 * SigV4 signatures the way STS does.
 *
 * Expected credentials are the ones CONFIG below gives the stand-in; STS
 * error codes and messages are the ones the stand-in sends (taken from the
 * STS API reference); endpoint URLs are what botocore 1.43 resolves for
 * the same region (session.create_client('sts', region_name=R)
 * .meta.endpoint_url, checked again by tests/check-botocore-sts.sh);
 * expat's messages are its XML_ErrorString() texts. The whole program is
 * bounded by alarm().
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
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <json.h>

#include "helpers/skip_program.h"
#include "helpers/standin.h"
#include "internal.h"
#include "provider.h"
#include "source_assume_role.h"
#include "sts.h"

#if RDSIAM_HTTP

/* Source credentials the stand-in knows (CONFIG "keys"). */
#define SRC_AKID "AKIDSTSSOURCEEXAMPLE"
#define SRC_SECRET "sourceSecretKeyEXAMPLE/abcdefghijklmnop+12"
#define TMP_AKID "ASIASTSSOURCEEXAMPLE"
#define TMP_SECRET "tempSecretKeyEXAMPLE/abcdefghijklmnopqr+12"
#define TMP_TOKEN "tempSessionTokenEXAMPLE/abc+def=="

#define ROLE_A "arn:aws:iam::123456789012:role/RoleA"
#define A_AKID "ASIAROLEAEXAMPLE0001"
#define A_SECRET "roleASecretKeyEXAMPLE/abcdefghijklmnopq+12"
#define A_TOKEN "roleASessionTokenEXAMPLE/abc+def=="
#define A_EXPIRATION                                                           \
    INT64_C(4102444800) /* 2100-01-01T00:00:00Z (date -u -d)                   \
                         */
#define WEB_TOKEN "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl"

#define ROLE_B "arn:aws:iam::123456789012:role/RoleB"
#define B_AKID "ASIAROLEBEXAMPLE0002"
#define B_SECRET "roleBSecretKeyEXAMPLE/abcdefghijklmnopq+12"
#define B_TOKEN "roleBSessionTokenEXAMPLE/abc+def=="
#define B_EXPIRATION                                                           \
    INT64_C(4086504000) /* 2099-06-30T12:00:00Z (date -u -d)                   \
                         */

/* RoleC has no fixed Expiration: the stand-in's clock ("now", 2100-01-01)
 * plus DurationSeconds. */
#define ROLE_C "arn:aws:iam::123456789012:role/RoleC"
#define C_AKID "ASIAROLECEXAMPLE0003"

static const char CONFIG[] =
    "{\"region\": \"us-west-2\", \"now\": 4102444800,"
    " \"keys\": {"
    "  \"" SRC_AKID "\": {\"secret\": \"" SRC_SECRET "\", \"token\": null},"
    "  \"" TMP_AKID "\": {\"secret\": \"" TMP_SECRET
    "\", \"token\": \"" TMP_TOKEN "\"}},"
    " \"roles\": {"
    "  \"" ROLE_A "\": {\"AccessKeyId\": \"" A_AKID
    "\", \"SecretAccessKey\": \"" A_SECRET "\","
    "   \"SessionToken\": \"" A_TOKEN
    "\", \"Expiration\": \"2100-01-01T00:00:00Z\","
    "   \"WebIdentityToken\": \"" WEB_TOKEN "\"},"
    "  \"" ROLE_B "\": {\"AccessKeyId\": \"" B_AKID
    "\", \"SecretAccessKey\": \"" B_SECRET "\","
    "   \"SessionToken\": \"" B_TOKEN
    "\", \"Expiration\": \"2099-06-30T12:00:00Z\"},"
    "  \"" ROLE_C "\": {\"AccessKeyId\": \"" C_AKID
    "\", \"SecretAccessKey\": \"cSecret\","
    "   \"SessionToken\": \"cToken\"}}}";

static const rdsiam_credentials src_static = {SRC_AKID, SRC_SECRET, NULL, 0};
static const rdsiam_credentials src_temp = {TMP_AKID, TMP_SECRET, TMP_TOKEN, 0};

static standin server;

static const char *const env_vars[] = {
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
};

static void clear_env(void)
{
    size_t i;

    for (i = 0; i < sizeof env_vars / sizeof *env_vars; i++)
        unsetenv(env_vars[i]);
}

static void assert_empty(const rdsiam__creds *c)
{
    assert_null(c->access_key_id);
    assert_null(c->secret_access_key);
    assert_null(c->session_token);
    assert_int_equal(c->expiration, 0);
}

static void assert_no_secret(const char *message)
{
    static const char *const secrets[] = {SRC_SECRET, TMP_SECRET, TMP_TOKEN,
                                          A_SECRET,   A_TOKEN,    WEB_TOKEN};
    size_t i;

    for (i = 0; i < sizeof secrets / sizeof *secrets; i++)
        assert_null(strstr(message, secrets[i]));
}

/* ------------------------------------------------------------------------ */
/* 1. Answers, without a network                                             */
/* ------------------------------------------------------------------------ */

/* The AssumeRole answer as the STS API reference shows it (values ours). */
#define GOOD_XML                                                               \
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">" \
    "\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n      <Arn>arn:aws:sts::"  \
    "123456789012:assumed-role/RoleA/s1</Arn>\n      <AssumedRoleId>AROA3X:"   \
    "s1</AssumedRoleId>\n    </AssumedRoleUser>\n    <Credentials>\n      "    \
    "<AccessKeyId>" A_AKID "</AccessKeyId>\n      <SecretAccessKey>" A_SECRET  \
    "</SecretAccessKey>\n      <SessionToken>" A_TOKEN "</SessionToken>\n    " \
    "  <Expiration>2100-01-01T00:00:00Z</Expiration>\n    </Credentials>\n"    \
    "    <PackedPolicySize>6</PackedPolicySize>\n  </AssumeRoleResult>\n  "    \
    "<ResponseMetadata>\n    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7"  \
    "</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n"

static void test_parse_good(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__sts_parse("AssumeRole", 200, GOOD_XML,
                                       strlen(GOOD_XML), &c, &e),
                     RDSIAM_OK);
    assert_string_equal(c.access_key_id, A_AKID);
    assert_string_equal(c.secret_access_key, A_SECRET);
    assert_string_equal(c.session_token, A_TOKEN);
    assert_int_equal(c.expiration, A_EXPIRATION);
    assert_string_equal(e.message, "");
    rdsiam__creds_clear(&c);
    /* The same document is not an answer to another action. */
    assert_int_equal(rdsiam__sts_parse("AssumeRoleWithWebIdentity", 200,
                                       GOOD_XML, strlen(GOOD_XML), &c, &e),
                     RDSIAM_ERR_XML);
    assert_string_equal(
        e.message,
        "answer is not an AssumeRoleWithWebIdentityResponse document");
    assert_empty(&c);
}

/* Build an AssumeRole answer whose <Credentials> holds creds. */
static void with_creds(char *out, size_t size, const char *creds)
{
    snprintf(out, size,
             "<AssumeRoleResponse><AssumeRoleResult><Credentials>%s"
             "</Credentials></AssumeRoleResult></AssumeRoleResponse>",
             creds);
}

#define F_AKID "<AccessKeyId>" A_AKID "</AccessKeyId>"
#define F_SECRET "<SecretAccessKey>" A_SECRET "</SecretAccessKey>"
#define F_TOKEN "<SessionToken>" A_TOKEN "</SessionToken>"
#define F_EXP "<Expiration>2100-01-01T00:00:00Z</Expiration>"

static void test_parse_bad_answers(void **state)
{
    static const struct {
        const char *creds; /* inside <Credentials>, or NULL: doc is whole */
        const char *doc;
        long status;
        int rc;
        const char *message;
    } cases[] = {
        {NULL, "", 200, RDSIAM_ERR_XML,
         "malformed XML answer: line 1: no element found"},
        {NULL, "this is not XML", 200, RDSIAM_ERR_XML,
         "malformed XML answer: line 1: syntax error"},
        {NULL, "<AssumeRoleResponse><AssumeRoleResult><Credentials>", 200,
         RDSIAM_ERR_XML, "malformed XML answer: line 1: no element found"},
        {NULL, "<AssumeRoleResponse/>", 200, RDSIAM_ERR_XML,
         "answer has no Credentials"},
        {NULL, "<Other/>", 200, RDSIAM_ERR_XML,
         "answer is not an AssumeRoleResponse document"},
        {NULL, "<!DOCTYPE a [<!ENTITY x \"y\">]><AssumeRoleResponse/>", 200,
         RDSIAM_ERR_XML, "XML answer has a document type declaration"},
        {NULL,
         "<AssumeRoleResponse><AssumeRoleResult><Credentials>" F_AKID F_SECRET
             F_TOKEN F_EXP "</Credentials><Credentials/></AssumeRoleResult>"
         "</AssumeRoleResponse>",
         200, RDSIAM_ERR_XML, "XML answer has a second Credentials"},
        {F_SECRET F_TOKEN F_EXP, NULL, 200, RDSIAM_ERR_XML,
         "answer has no AccessKeyId"},
        {F_AKID F_TOKEN F_EXP, NULL, 200, RDSIAM_ERR_XML,
         "answer has no SecretAccessKey"},
        {F_AKID F_SECRET F_EXP, NULL, 200, RDSIAM_ERR_XML,
         "answer has no SessionToken"},
        {F_AKID F_SECRET F_TOKEN, NULL, 200, RDSIAM_ERR_XML,
         "answer has no Expiration"},
        {F_AKID F_AKID F_SECRET F_TOKEN F_EXP, NULL, 200, RDSIAM_ERR_XML,
         "XML answer has a second AccessKeyId"},
        {F_AKID F_SECRET F_TOKEN F_EXP F_TOKEN, NULL, 200, RDSIAM_ERR_XML,
         "XML answer has a second SessionToken"},
        {"<AccessKeyId>A<b/></AccessKeyId>", NULL, 200, RDSIAM_ERR_XML,
         "XML answer has an element inside AccessKeyId"},
        {"<AccessKeyId>AS&#0;IA</AccessKeyId>", NULL, 200, RDSIAM_ERR_XML,
         "malformed XML answer: line 1: reference to invalid character "
         "number"},
        {F_AKID F_SECRET F_TOKEN "<Expiration>tomorrow\x01</Expiration>", NULL,
         200, RDSIAM_ERR_XML,
         "malformed XML answer: line 1: not well-formed (invalid token)"},
        {F_AKID F_SECRET F_TOKEN "<Expiration>tomorrow</Expiration>", NULL, 200,
         RDSIAM_ERR_XML,
         "answer's Expiration \"tomorrow\" is not an ISO-8601 time"},
        {F_AKID F_SECRET F_TOKEN "<Expiration>2009-02-13T23:31:30Z"
                                 "</Expiration>",
         NULL, 200, RDSIAM_ERR_CREDENTIALS_EXPIRED,
         "answer's credentials expired at 2009-02-13T23:31:30Z"},
        {"<AccessKeyId>AS IA</AccessKeyId>" F_SECRET F_TOKEN F_EXP, NULL, 200,
         RDSIAM_ERR_ACCESS_KEY_INVALID,
         "STS AssumeRole answer: the access key id is not 16 to 128 "
         "characters A-Z and 0-9"},
        {"<AccessKeyId></AccessKeyId>" F_SECRET F_TOKEN F_EXP, NULL, 200,
         RDSIAM_ERR_ACCESS_KEY_EMPTY,
         "STS AssumeRole answer: the access key id is empty"},
        /* Error documents, with or without <ErrorResponse>. */
        {NULL,
         "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
         "<Message>no way</Message></Error><RequestId>x</RequestId>"
         "</ErrorResponse>",
         403, RDSIAM_ERR_STS,
         "STS AssumeRole: AccessDenied (HTTP 403): no way"},
        {NULL, "<Error><Code>ExpiredToken</Code></Error>", 400, RDSIAM_ERR_STS,
         "STS AssumeRole: ExpiredToken (HTTP 400): (no message)"},
        {NULL,
         "<ErrorResponse><Error><Code>X</Code><Message>a\tb\\ \xc3\xa9&#10;"
         "</Message></Error></ErrorResponse>",
         400, RDSIAM_ERR_STS,
         "STS AssumeRole: X (HTTP 400): a\\x09b\\x5c \\xc3\\xa9\\x0a"},
        /* A raw ESC is not XML 1.0: not an error document, then. */
        {NULL,
         "<ErrorResponse><Error><Code>X</Code><Message>\x1b[31m"
         "</Message></Error></ErrorResponse>",
         400, RDSIAM_ERR_HTTP_STATUS,
         "HTTP status 400 with no STS error document"},
        {NULL, "<html>Service Unavailable</html>", 503, RDSIAM_ERR_HTTP_STATUS,
         "HTTP status 503 with no STS error document"},
        {NULL, "", 500, RDSIAM_ERR_HTTP_STATUS,
         "HTTP status 500 with no STS error document"},
    };
    char doc[2048];
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (cases[i].creds)
            with_creds(doc, sizeof doc, cases[i].creds);
        else
            snprintf(doc, sizeof doc, "%s", cases[i].doc);
        memset(&e, 0, sizeof e);
        if (rdsiam__sts_parse("AssumeRole", cases[i].status, doc, strlen(doc),
                              &c, &e) != cases[i].rc ||
            strcmp(e.message, cases[i].message) != 0)
            fail_msg("case %zu: got %d '%s', want %d '%s'", i, e.code,
                     e.message, cases[i].rc, cases[i].message);
        assert_empty(&c);
        assert_no_secret(e.message);
    }
}

/* A raw NUL inside the document (the length counts past it). */
static void test_parse_nul(void **state)
{
    char doc[1024];
    rdsiam__creds c;
    rdsiam_error e;
    size_t n;

    (void)state;
    with_creds(doc, sizeof doc,
               "<AccessKeyId>ASIA@A</AccessKeyId>" F_SECRET F_TOKEN F_EXP);
    n = strlen(doc);
    *strchr(doc, '@') = '\0';
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__sts_parse("AssumeRole", 200, doc, n, &c, &e),
                     RDSIAM_ERR_XML);
    assert_string_equal(
        e.message, "malformed XML answer: line 1: not well-formed (invalid "
                   "token)");
    assert_empty(&c);
}

/* Over-long fields and deep nesting are refused, not stored. */
static void test_parse_limits(void **state)
{
    char *doc = malloc(40000), akid[200];
    rdsiam__creds c;
    rdsiam_error e;
    size_t i, n = 0;

    (void)state;
    assert_non_null(doc);
    memset(akid, 'A', 129);
    akid[129] = '\0';
    snprintf(doc, 40000,
             "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
             "<AccessKeyId>%s</AccessKeyId>",
             akid);
    memset(&e, 0, sizeof e);
    assert_int_equal(
        rdsiam__sts_parse("AssumeRole", 200, doc, strlen(doc), &c, &e),
        RDSIAM_ERR_XML);
    assert_string_equal(e.message, "XML answer has an over-long or unstorable "
                                   "AccessKeyId");
    for (i = 0; i < 40; i++)
        n += (size_t)snprintf(doc + n, 40000 - n, "<a>");
    assert_int_equal(rdsiam__sts_parse("AssumeRole", 200, doc, n, &c, &e),
                     RDSIAM_ERR_XML);
    assert_string_equal(e.message, "XML answer has elements nested too deeply");
    free(doc);
}

/* A Message longer than the error struct holds is cut with "...". */
static void test_parse_long_message(void **state)
{
    char doc[600], want[RDSIAM_ERROR_MESSAGE_SIZE];
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    memcpy(doc, "<Error><Code>X</Code><Message>", 30);
    memset(doc + 30, 'm', 300);
    memcpy(doc + 330, "</Message></Error>", 19);
    /* 30 bytes of prefix and the whole 300-byte message: the error
     * struct holds RDSIAM_ERROR_MESSAGE_SIZE (1024) bytes. */
    memcpy(want, "STS AssumeRole: X (HTTP 400): ", 30);
    memset(want + 30, 'm', 300);
    want[330] = '\0';
    memset(&e, 0, sizeof e);
    assert_int_equal(
        rdsiam__sts_parse("AssumeRole", 400, doc, strlen(doc), &c, &e),
        RDSIAM_ERR_STS);
    assert_string_equal(e.message, want);
}

static void test_retryable_codes(void **state)
{
    static const struct {
        const char *doc;
        bool retry;
    } cases[] = {
        {"<ErrorResponse><Error><Code>Throttling</Code></Error>"
         "</ErrorResponse>",
         true},
        {"<Error><Code>ThrottlingException</Code></Error>", true},
        {"<Error><Code>IDPCommunicationError</Code></Error>", true},
        {"<Error><Code>AccessDenied</Code></Error>", false},
        {"<Error><Code>ExpiredToken</Code></Error>", false},
        {"<Error><Code>Throttlingx</Code></Error>", false},
        {"<Error><Code>Throttling", false},
        {"", false},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        if (rdsiam__sts_retryable_code(cases[i].doc, strlen(cases[i].doc)) !=
            cases[i].retry)
            fail_msg("case %zu", i);
}

/* ------------------------------------------------------------------------ */
/* 2. Endpoints                                                              */
/* ------------------------------------------------------------------------ */

static void test_endpoint_defaults(void **state)
{
    /* botocore 1.43: create_client('sts', region_name=R).meta.endpoint_url
     * with no configured endpoint (sts_regional_endpoints "regional"). */
    static const struct {
        const char *region, *url, *signing;
    } cases[] = {
        {NULL, "https://sts.amazonaws.com", "us-east-1"},
        {"us-east-1", "https://sts.us-east-1.amazonaws.com", "us-east-1"},
        {"eu-west-1", "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
        {"cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
        {"us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com",
         "us-gov-west-1"},
        {"us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov",
         "us-iso-east-1"},
        {"us-isob-east-1", "https://sts.us-isob-east-1.sc2s.sgov.gov",
         "us-isob-east-1"},
        {"us-isof-south-1", "https://sts.us-isof-south-1.csp.hci.ic.gov",
         "us-isof-south-1"},
        {"eu-isoe-west-1", "https://sts.eu-isoe-west-1.cloud.adc-e.uk",
         "eu-isoe-west-1"},
        {"eusc-de-east-1", "https://sts.eusc-de-east-1.amazonaws.eu",
         "eusc-de-east-1"},
    };
    rdsiam__sts_config cfg;
    rdsiam__sts_endpoint ep;
    rdsiam_error e;
    size_t i;

    (void)state;
    clear_env();
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(&cfg, 0, sizeof cfg);
        cfg.region = cases[i].region;
        assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e),
                         RDSIAM_OK);
        assert_string_equal(ep.url, cases[i].url);
        assert_string_equal(ep.region, cases[i].signing);
        assert_string_equal(ep.source, "default STS endpoint");
        assert_false(ep.plain_http);
        rdsiam__sts_endpoint_free(&ep);
    }
    cfg.region = "EU-WEST-1";
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e),
                     RDSIAM_ERR_REGION_INVALID);
    assert_null(ep.url);
    assert_non_null(strstr(e.message, "STS region: "));
}

static void test_endpoint_configured(void **state)
{
    rdsiam__sts_config cfg;
    rdsiam__sts_endpoint ep;
    rdsiam_error e;

    (void)state;
    clear_env();
    memset(&cfg, 0, sizeof cfg);
    cfg.region = "eu-west-1";
    /* botocore: AWS_ENDPOINT_URL_STS beats AWS_ENDPOINT_URL; the region
     * stays the signing region. */
    setenv("AWS_ENDPOINT_URL", "https://general.example.test", 1);
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "https://general.example.test");
    assert_string_equal(ep.source, "AWS_ENDPOINT_URL");
    rdsiam__sts_endpoint_free(&ep);
    setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:8080/sts", 1);
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "http://127.0.0.1:8080/sts");
    assert_string_equal(ep.source, "AWS_ENDPOINT_URL_STS");
    assert_string_equal(ep.region, "eu-west-1");
    assert_true(ep.plain_http);
    rdsiam__sts_endpoint_free(&ep);
    /* An endpoint set in code beats both (botocore: create_client's
     * endpoint_url skips the configured look-up). */
    cfg.endpoint_url = "https://[::1]:8443";
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "https://[::1]:8443");
    assert_string_equal(ep.source, "STS endpoint_url");
    rdsiam__sts_endpoint_free(&ep);
    cfg.endpoint_url = NULL;
    /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: the default again. */
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE", 1);
    assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e), RDSIAM_OK);
    assert_string_equal(ep.url, "https://sts.eu-west-1.amazonaws.com");
    rdsiam__sts_endpoint_free(&ep);
    clear_env();
}

static void test_endpoint_refused(void **state)
{
    static const struct {
        const char *url;
        int rc;
        const char *message;
    } cases[] = {
        {"http://sts.example.test", RDSIAM_ERR_URI_NOT_ALLOWED,
         "AWS_ENDPOINT_URL_STS: plain http is not allowed to host "
         "'sts.example.test': "
         "only to loopback (127.0.0.0/8, [::1], localhost); use https"},
        {"http://169.254.169.254/", RDSIAM_ERR_URI_NOT_ALLOWED,
         "AWS_ENDPOINT_URL_STS: plain http is not allowed to host "
         "'169.254.169.254': "
         "only to loopback (127.0.0.0/8, [::1], localhost); use https"},
        {"http://[fd00:ec2::254]/", RDSIAM_ERR_URI_NOT_ALLOWED,
         "AWS_ENDPOINT_URL_STS: plain http is not allowed to host "
         "'fd00:ec2::254': "
         "only to loopback (127.0.0.0/8, [::1], localhost); use https"},
        {"ftp://127.0.0.1/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the scheme must be http or https"},
        {"sts.amazonaws.com", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: URI did not specify a host (it must start "
         "with http:// or https://)"},
        {"https://user:pw@sts.example.test/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: user information (user@) is not allowed"},
        {"https://sts.example.test/?a=b", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: a query or fragment is not allowed"},
        {"https://", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the host is empty"},
        {"https://sts.example.test:0/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the port is not a number in 1..65535"},
        {"https://sts.example.test:99999/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the port is not a number in 1..65535"},
        {"https://sts.example.test:/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the port is not a number in 1..65535"},
        {"https://sts_x.example.test/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the host is not a valid host name or IP "
         "address"},
        {"https://[::1/", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: the IPv6 address has no closing ']'"},
        {"https://sts.example.test/a b", RDSIAM_ERR_URI_INVALID,
         "AWS_ENDPOINT_URL_STS: invalid uri character in the path, query or "
         "fragment (a space, a control, a backslash or a non-ASCII "
         "character)"},
    };
    rdsiam__sts_endpoint ep;
    rdsiam_error e;
    size_t i;

    (void)state;
    clear_env();
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        setenv("AWS_ENDPOINT_URL_STS", cases[i].url, 1);
        memset(&e, 0, sizeof e);
        if (rdsiam__sts_resolve_endpoint(NULL, &ep, &e) != cases[i].rc ||
            strcmp(e.message, cases[i].message) != 0)
            fail_msg("case %zu: got %d '%s'", i, e.code, e.message);
        assert_null(ep.url);
    }
    /* Too long, as a variable and as the caller's option: the parser's
     * wording (endpoint.c), the limit RDSIAM__ENDPOINT_MAX. */
    {
        static char long_url[2100];
        rdsiam__sts_config cfg = {0};

        memset(long_url, 'a', sizeof long_url - 1);
        memcpy(long_url, "https://", 8);
        setenv("AWS_ENDPOINT_URL_STS", long_url, 1);
        assert_int_equal(rdsiam__sts_resolve_endpoint(NULL, &ep, &e),
                         RDSIAM_ERR_URI_INVALID);
        assert_string_equal(e.message, "STS: AWS_ENDPOINT_URL_STS: the URL is "
                                       "longer than 2048 bytes");
        assert_null(ep.url);
        unsetenv("AWS_ENDPOINT_URL_STS");
        cfg.endpoint_url = long_url;
        assert_int_equal(rdsiam__sts_resolve_endpoint(&cfg, &ep, &e),
                         RDSIAM_ERR_URI_INVALID);
        assert_string_equal(e.message, "STS endpoint_url: the URL is longer "
                                       "than 2048 bytes");
        assert_null(ep.url);
    }
    /* Loopback spellings that are allowed over http. */
    setenv("AWS_ENDPOINT_URL_STS", "http://localhost:1/", 1);
    assert_int_equal(rdsiam__sts_resolve_endpoint(NULL, &ep, &e), RDSIAM_OK);
    rdsiam__sts_endpoint_free(&ep);
    setenv("AWS_ENDPOINT_URL_STS", "http://127.1.2.3/", 1);
    assert_int_equal(rdsiam__sts_resolve_endpoint(NULL, &ep, &e), RDSIAM_OK);
    rdsiam__sts_endpoint_free(&ep);
    setenv("AWS_ENDPOINT_URL_STS", "http://[::1]:80", 1);
    assert_int_equal(rdsiam__sts_resolve_endpoint(NULL, &ep, &e), RDSIAM_OK);
    rdsiam__sts_endpoint_free(&ep);
    clear_env();
}

/* Arguments STS would refuse never leave the process (the endpoint is a
 * closed loopback port all the same). */
static void test_bad_arguments(void **state)
{
    static const struct {
        const char *role, *session, *external;
        unsigned int duration;
        int rc;
        const char *message;
    } cases[] = {
        {NULL, "s1", NULL, 0, RDSIAM_ERR_NULL_ARGUMENT,
         "STS AssumeRole: role_arn or role_session_name is NULL"},
        {"arn:aws:iam::1:r/x", "s1", NULL, 0, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: role_arn is not an ARN of 20..2048 characters"},
        {ROLE_A " ", "s1", NULL, 0, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: role_arn is not an ARN of 20..2048 characters"},
        {ROLE_A, "s", NULL, 0, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: role_session_name must be 2..64 of "
         "A-Za-z0-9_+=,.@-"},
        {ROLE_A, "a b", NULL, 0, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: role_session_name must be 2..64 of "
         "A-Za-z0-9_+=,.@-"},
        {ROLE_A, "s1", "x", 0, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: external_id must be 2..1224 of "
         "A-Za-z0-9_+=,.@:/-"},
        {ROLE_A, "s1", NULL, 899, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: duration_seconds must be 900..43200"},
        {ROLE_A, "s1", NULL, 43201, RDSIAM_ERR_INVALID_ARGUMENT,
         "STS AssumeRole: duration_seconds must be 900..43200"},
    };
    rdsiam__creds c;
    rdsiam_credentials bad = {SRC_AKID, "", NULL, 0};
    rdsiam__sts_config cfg;
    rdsiam_error e;
    char url[64];
    size_t i;

    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", standin_closed_port());
    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint_url = url;
    cfg.max_attempts = 1;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(&e, 0, sizeof e);
        if (rdsiam__sts_assume_role(&cfg, &src_static, cases[i].role,
                                    cases[i].session, cases[i].external,
                                    cases[i].duration, &c, &e) != cases[i].rc ||
            strcmp(e.message, cases[i].message) != 0)
            fail_msg("case %zu: got %d '%s'", i, e.code, e.message);
        assert_empty(&c);
    }
    assert_int_equal(
        rdsiam__sts_assume_role(&cfg, &bad, ROLE_A, "s1", NULL, 0, &c, &e),
        RDSIAM_ERR_SECRET_KEY_EMPTY);
    assert_string_equal(e.message, "STS AssumeRole: source credentials: "
                                   "secret access key is empty");
    assert_int_equal(rdsiam__sts_assume_role_with_web_identity(
                         &cfg, ROLE_A, "s1", "abc", 3, &c, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(e.message,
                        "STS AssumeRoleWithWebIdentity: the web identity "
                        "token is 3 bytes, not 4..20000");
    assert_int_equal(rdsiam__sts_assume_role_with_web_identity(
                         &cfg, ROLE_A, "s1", "ab\0cd", 5, &c, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(e.message, "STS AssumeRoleWithWebIdentity: the web "
                                   "identity token contains a NUL byte");
}

/* ------------------------------------------------------------------------ */
/* 3. Against the stand-in                                                   */
/* ------------------------------------------------------------------------ */

static int server_start(void **state)
{
    (void)state;
    clear_env();
    return standin_start(&server, CONFIG);
}

static int server_stop(void **state)
{
    (void)state;
    standin_stop(&server);
    return 0;
}

static int64_t pinned_now;
static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return pinned_now;
}

static void config_for(rdsiam__sts_config *cfg, char *url, size_t size,
                       const char *path)
{
    standin_url(&server, path, url, size);
    memset(cfg, 0, sizeof *cfg);
    cfg->region = "us-west-2";
    cfg->endpoint_url = url;
    cfg->backoff_ms = 1;
}

static int assume(const char *path, const rdsiam_credentials *src,
                  const char *role, rdsiam__creds *c, rdsiam_error *e)
{
    rdsiam__sts_config cfg;
    char url[256];

    config_for(&cfg, url, sizeof url, path);
    memset(e, 0, sizeof *e);
    return rdsiam__sts_assume_role(&cfg, src, role, "session-1", NULL, 0, c, e);
}

/* The last request path received, as JSON (caller frees with put). */
static struct json_object *last_request(const char *path)
{
    char *text = standin_report(&server, "_log", path);
    struct json_object *list, *last;

    assert_non_null(text);
    list = json_tokener_parse(text);
    free(text);
    assert_non_null(list);
    assert_true(json_object_array_length(list) > 0);
    last = json_object_get(
        json_object_array_get_idx(list, json_object_array_length(list) - 1));
    json_object_put(list);
    return last;
}

static const char *form_value(struct json_object *req, const char *key)
{
    struct json_object *form, *v;

    assert_true(json_object_object_get_ex(req, "form", &form));
    if (!json_object_object_get_ex(form, key, &v))
        return NULL;
    return json_object_get_string(v);
}

static const char *header_value(struct json_object *req, const char *name)
{
    struct json_object *hs, *pair;
    size_t i, n;

    assert_true(json_object_object_get_ex(req, "headers", &hs));
    n = json_object_array_length(hs);
    for (i = 0; i < n; i++) {
        pair = json_object_array_get_idx(hs, i);
        if (strcasecmp(
                json_object_get_string(json_object_array_get_idx(pair, 0)),
                name) == 0)
            return json_object_get_string(json_object_array_get_idx(pair, 1));
    }
    return NULL;
}

/* AssumeRole signed with temporary credentials: what the stand-in saw and
 * what came back. */
static void test_assume_role(void **state)
{
    static const char path[] = "/s/assume/ok";
    rdsiam__sts_config cfg;
    rdsiam__creds c;
    rdsiam_error e;
    struct json_object *req;
    char url[256], scope[256];
    const char *auth, *date;

    (void)state;
    config_for(&cfg, url, sizeof url, path);
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_temp, ROLE_A,
                                             "app@example.com", "ext-id:42/x",
                                             3600, &c, &e),
                     RDSIAM_OK);
    assert_string_equal(e.message, "");
    assert_string_equal(c.access_key_id, A_AKID);
    assert_string_equal(c.secret_access_key, A_SECRET);
    assert_string_equal(c.session_token, A_TOKEN);
    assert_int_equal(c.expiration, A_EXPIRATION);
    rdsiam__creds_clear(&c);
    req = last_request(path);
    assert_string_equal(form_value(req, "Action"), "AssumeRole");
    assert_string_equal(form_value(req, "Version"), "2011-06-15");
    assert_string_equal(form_value(req, "RoleArn"), ROLE_A);
    assert_string_equal(form_value(req, "RoleSessionName"), "app@example.com");
    assert_string_equal(form_value(req, "ExternalId"), "ext-id:42/x");
    assert_string_equal(form_value(req, "DurationSeconds"), "3600");
    assert_null(form_value(req, "WebIdentityToken"));
    assert_string_equal(header_value(req, "X-Amz-Security-Token"), TMP_TOKEN);
    assert_string_equal(header_value(req, "Content-Type"),
                        "application/x-www-form-urlencoded; charset=utf-8");
    date = header_value(req, "X-Amz-Date");
    assert_non_null(date);
    assert_int_equal(strlen(date), 16);
    snprintf(scope, sizeof scope,
             "AWS4-HMAC-SHA256 Credential=" TMP_AKID "/%.8s/us-west-2/sts/"
             "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
             "x-amz-security-token, Signature=",
             date);
    auth = header_value(req, "Authorization");
    assert_non_null(auth);
    assert_memory_equal(auth, scope, strlen(scope));
    assert_int_equal(strlen(auth), strlen(scope) + 64);
    /* The body as sent: the Query protocol's RFC 3986 encoding. */
    assert_string_equal(
        json_object_get_string(json_object_object_get(req, "body")),
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
        "123456789012%3Arole%2FRoleA&RoleSessionName=app%40example.com&"
        "DurationSeconds=3600&ExternalId=ext-id%3A42%2Fx");
    json_object_put(req);
    assert_int_equal(standin_hits(&server, path), 1);
}

/* A chain: RoleA's credentials (from the first hop) sign the second hop;
 * the stand-in accepts them only with RoleA's session token. A static key
 * (no token) works too, and so does the environment's endpoint. */
static void test_chain_and_static_source(void **state)
{
    rdsiam__creds a, b;
    rdsiam_error e;
    char url[256];

    (void)state;
    assert_int_equal(assume("/s/chain1/ok", &src_static, ROLE_A, &a, &e),
                     RDSIAM_OK);
    assert_string_equal(a.access_key_id, A_AKID);
    {
        rdsiam_credentials av = rdsiam__creds_view(&a);
        assert_int_equal(assume("/s/chain2/ok", &av, ROLE_B, &b, &e),
                         RDSIAM_OK);
    }
    assert_string_equal(b.access_key_id, B_AKID);
    assert_string_equal(b.secret_access_key, B_SECRET);
    assert_string_equal(b.session_token, B_TOKEN);
    assert_int_equal(b.expiration, B_EXPIRATION);
    rdsiam__creds_clear(&b);
    rdsiam__creds_clear(&a);
    /* Through AWS_ENDPOINT_URL_STS, with DurationSeconds deciding the
     * expiration of RoleC's credentials (the stand-in's clock + 900). */
    standin_url(&server, "/s/envurl/ok", url, sizeof url);
    setenv("AWS_ENDPOINT_URL_STS", url, 1);
    {
        rdsiam__sts_config cfg = {.region = "us-west-2", .backoff_ms = 1};

        assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_static, ROLE_C,
                                                 "s1", NULL, 900, &b, &e),
                         RDSIAM_OK);
    }
    assert_string_equal(b.access_key_id, C_AKID);
    assert_int_equal(b.expiration, INT64_C(4102444800) + 900);
    rdsiam__creds_clear(&b);
    assert_int_equal(standin_hits(&server, "/s/envurl/ok"), 1);
    clear_env();
}

/* Signed with the wrong credentials: STS's own refusals, not retried. */
static void test_signature_refused(void **state)
{
    static const char sig_mismatch[] =
        "STS AssumeRole: SignatureDoesNotMatch (HTTP 403): The request "
        "signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the "
        "service documentation for details.";
    static const char invalid_id[] =
        "STS AssumeRole: InvalidClientTokenId (HTTP 403): The security token "
        "included in the request is invalid.";
    const rdsiam_credentials wrong_secret = {SRC_AKID, TMP_SECRET, NULL, 0};
    const rdsiam_credentials unknown = {"AKIDUNKNOWNEXAMPLE00", SRC_SECRET,
                                        NULL, 0};
    const rdsiam_credentials no_token = {TMP_AKID, TMP_SECRET, NULL, 0};
    const rdsiam_credentials other_token = {TMP_AKID, TMP_SECRET, A_TOKEN, 0};
    rdsiam__creds c;
    rdsiam_error e;
    rdsiam__sts_config cfg;
    char url[256];

    (void)state;
    assert_int_equal(assume("/s/sig1/ok", &wrong_secret, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message, sig_mismatch);
    assert_empty(&c);
    assert_int_equal(standin_hits(&server, "/s/sig1/ok"), 1);
    assert_int_equal(assume("/s/sig2/ok", &unknown, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message, invalid_id);
    assert_int_equal(assume("/s/sig3/ok", &no_token, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message, invalid_id);
    assert_int_equal(assume("/s/sig4/ok", &other_token, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message, invalid_id);
    /* Signed for another region than the endpoint's. */
    config_for(&cfg, url, sizeof url, "/s/sig5/ok");
    cfg.region = "eu-west-1";
    assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_static, ROLE_A, "s1",
                                             NULL, 0, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message,
                        "STS AssumeRole: SignatureDoesNotMatch (HTTP 403): "
                        "Credential should be scoped to a valid region. ");
    /* A role the caller may not assume. */
    assert_int_equal(assume("/s/sig6/ok", &src_static,
                            "arn:aws:iam::123456789012:role/Nope", &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(
        e.message, "STS AssumeRole: AccessDenied (HTTP 403): User: "
                   "arn:aws:iam::123456789012:user/tester is not authorized "
                   "to perform: sts:AssumeRole on resource: "
                   "arn:aws:iam::123456789012:role/Nope");
    assert_no_secret(e.message);
}

/* Scripted error documents: AccessDenied and ExpiredToken are final;
 * Throttling and 5xx are retried. */
static void test_error_documents_and_retries(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;
    rdsiam__sts_config cfg;
    char url[256];

    (void)state;
    assert_int_equal(
        assume("/s/denied/AccessDenied", &src_static, ROLE_A, &c, &e),
        RDSIAM_ERR_STS);
    assert_string_equal(
        e.message, "STS AssumeRole: AccessDenied (HTTP 403): User: "
                   "arn:aws:iam::123456789012:user/tester is not authorized "
                   "to perform: sts:AssumeRole on resource: " ROLE_A);
    assert_int_equal(standin_hits(&server, "/s/denied/AccessDenied"), 1);
    assert_int_equal(
        assume("/s/expired/ExpiredToken", &src_static, ROLE_A, &c, &e),
        RDSIAM_ERR_STS);
    assert_string_equal(e.message,
                        "STS AssumeRole: ExpiredToken (HTTP 400): The "
                        "security token included in the request is expired");
    assert_int_equal(standin_hits(&server, "/s/expired/ExpiredToken"), 1);
    /* Throttling (400), then 500, then the answer: three attempts. */
    assert_int_equal(
        assume("/s/retry1/Throttling.500", &src_static, ROLE_A, &c, &e),
        RDSIAM_OK);
    assert_string_equal(c.access_key_id, A_AKID);
    rdsiam__creds_clear(&c);
    assert_int_equal(standin_hits(&server, "/s/retry1/Throttling.500"), 3);
    assert_int_equal(assume("/s/retry2/503.503", &src_static, ROLE_A, &c, &e),
                     RDSIAM_OK);
    rdsiam__creds_clear(&c);
    assert_int_equal(standin_hits(&server, "/s/retry2/503.503"), 3);
    /* Throttled every time: the last error document is reported. */
    assert_int_equal(assume("/s/retry3/Throttling.Throttling.Throttling",
                            &src_static, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message, "STS AssumeRole: Throttling (HTTP 400): "
                                   "Rate exceeded");
    assert_int_equal(
        standin_hits(&server, "/s/retry3/Throttling.Throttling.Throttling"), 3);
    /* max_attempts 1: no retry. */
    config_for(&cfg, url, sizeof url, "/s/retry4/503");
    cfg.max_attempts = 1;
    assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_static, ROLE_A, "s1",
                                             NULL, 0, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message,
                        "STS AssumeRole: ServiceUnavailable (HTTP 503): The "
                        "request has failed due to a temporary failure of "
                        "the server.");
    assert_int_equal(standin_hits(&server, "/s/retry4/503"), 1);
    assert_int_equal(assume("/s/ctl/nonascii", &src_static, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    /* CR LF arrives as LF (XML end-of-line handling). */
    assert_string_equal(e.message, "STS AssumeRole: AccessDenied (HTTP 403): "
                                   "bad\\x09news\\x7f\\xc3\\xa9\\x0a");
}

/* Broken answers from the stand-in. */
static void test_bad_answers(void **state)
{
    static const struct {
        const char *path;
        int rc;
        const char *message;
    } cases[] = {
        {"/s/bad1/truncated", RDSIAM_ERR_XML,
         "STS AssumeRole: malformed XML answer: line 9: unclosed token"},
        {"/s/bad2/malformed", RDSIAM_ERR_XML,
         "STS AssumeRole: malformed XML answer: line 1: syntax error"},
        {"/s/bad3/nul", RDSIAM_ERR_XML,
         "STS AssumeRole: malformed XML answer: line 8: not well-formed "
         "(invalid token)"},
        {"/s/bad4/dup", RDSIAM_ERR_XML,
         "STS AssumeRole: XML answer has a second AccessKeyId"},
        {"/s/bad5/noexp", RDSIAM_ERR_XML,
         "STS AssumeRole: answer has no Expiration"},
        {"/s/bad6/badexp", RDSIAM_ERR_XML,
         "STS AssumeRole: answer's Expiration \"tomorrow\" is not an "
         "ISO-8601 time"},
        {"/s/bad7/nosecret", RDSIAM_ERR_XML,
         "STS AssumeRole: answer has no SecretAccessKey"},
        {"/s/bad8/big", RDSIAM_ERR_HTTP, NULL},
    };
    rdsiam__creds c;
    rdsiam_error e;
    char url[256], want[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = assume(cases[i].path, &src_static, ROLE_A, &c, &e);

        if (!cases[i].message) {
            /* http.c's message for an over-long answer. */
            standin_url(&server, "/s/bad8/big", url, sizeof url);
            snprintf(want, sizeof want,
                     "STS AssumeRole: POST %s: answer larger than 65536 "
                     "bytes",
                     url);
        } else {
            snprintf(want, sizeof want, "%s", cases[i].message);
        }
        if (rc != cases[i].rc || strcmp(e.message, want) != 0)
            fail_msg("%s: got %d '%s'", cases[i].path, rc, e.message);
        assert_empty(&c);
        assert_int_equal(standin_hits(&server, cases[i].path), 1);
    }
}

/* A slow answer hits the per-attempt time limit; the attempt is retried,
 * then reported. */
static void test_slow_answer(void **state)
{
    rdsiam__sts_config cfg;
    rdsiam__creds c;
    rdsiam_error e;
    char url[256];

    (void)state;
    config_for(&cfg, url, sizeof url, "/s/slow/slow3000.slow3000");
    cfg.timeout_ms = 300;
    cfg.max_attempts = 2;
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_static, ROLE_A, "s1",
                                             NULL, 0, &c, &e),
                     RDSIAM_ERR_HTTP);
    assert_non_null(
        strstr(e.message, "STS AssumeRole: POST http://127.0.0.1:"));
    /* CURLE_OPERATION_TIMEDOUT after the request went out: lib/http.c
     * says so, with the limit (cfg.timeout_ms). */
    assert_non_null(strstr(e.message, "/s/slow/slow3000.slow3000: timeout: "
                                      "no complete answer within 300 ms "
                                      "(2 attempts)"));
    assert_empty(&c);
    /* A slow answer within the limit is fine. */
    config_for(&cfg, url, sizeof url, "/s/slow2/slow200");
    cfg.timeout_ms = 3000;
    assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_static, ROLE_A, "s1",
                                             NULL, 0, &c, &e),
                     RDSIAM_OK);
    rdsiam__creds_clear(&c);
}

/* AssumeRoleWithWebIdentity: unsigned, the token in the form. */
static void test_web_identity(void **state)
{
    static const char path[] = "/s/web/ok";
    rdsiam__sts_config cfg;
    rdsiam__creds c;
    rdsiam_error e;
    struct json_object *req;
    char url[256];

    (void)state;
    config_for(&cfg, url, sizeof url, path);
    memset(&e, 0, sizeof e);
    assert_int_equal(
        rdsiam__sts_assume_role_with_web_identity(
            &cfg, ROLE_A, "web-session", WEB_TOKEN, strlen(WEB_TOKEN), &c, &e),
        RDSIAM_OK);
    assert_string_equal(c.access_key_id, A_AKID);
    assert_string_equal(c.secret_access_key, A_SECRET);
    assert_string_equal(c.session_token, A_TOKEN);
    assert_int_equal(c.expiration, A_EXPIRATION);
    rdsiam__creds_clear(&c);
    req = last_request(path);
    assert_string_equal(form_value(req, "Action"), "AssumeRoleWithWebIdentity");
    assert_string_equal(form_value(req, "WebIdentityToken"), WEB_TOKEN);
    assert_string_equal(form_value(req, "RoleSessionName"), "web-session");
    assert_null(header_value(req, "Authorization"));
    assert_null(header_value(req, "X-Amz-Security-Token"));
    json_object_put(req);
    /* The wrong token: STS's InvalidIdentityToken, not retried. */
    config_for(&cfg, url, sizeof url, "/s/web2/ok");
    assert_int_equal(
        rdsiam__sts_assume_role_with_web_identity(&cfg, ROLE_A, "web-session",
                                                  "not.the.token", 13, &c, &e),
        RDSIAM_ERR_STS);
    assert_string_equal(
        e.message,
        "STS AssumeRoleWithWebIdentity: InvalidIdentityToken (HTTP 400): The "
        "web identity token that was passed could not be validated by AWS. "
        "Get a new identity token from the identity provider and then retry "
        "the request.");
    assert_int_equal(standin_hits(&server, "/s/web2/ok"), 1);
    /* A server that quotes the token back: the message is withheld. */
    config_for(&cfg, url, sizeof url, "/s/web3/echo");
    assert_int_equal(
        rdsiam__sts_assume_role_with_web_identity(
            &cfg, ROLE_A, "web-session", WEB_TOKEN, strlen(WEB_TOKEN), &c, &e),
        RDSIAM_ERR_STS);
    assert_string_equal(e.message,
                        "STS AssumeRoleWithWebIdentity: the error message is "
                        "withheld: it quotes a credential that was sent");
    assert_no_secret(e.message);
    /* The same for AssumeRole's session token. */
    assert_int_equal(assume("/s/web4/echo", &src_temp, ROLE_A, &c, &e),
                     RDSIAM_ERR_STS);
    assert_string_equal(e.message, "STS AssumeRole: the error message is "
                                   "withheld: it quotes a credential that "
                                   "was sent");
}

/* A test source that hands out fixed credentials (or an error) and
 * counts its fetches and destruction. */
typedef struct fixed_source {
    rdsiam_credentials creds;
    int rc;
    int fetches;
    int *destroyed;
} fixed_source;

static int fixed_fetch(void *self, rdsiam__creds *out, rdsiam_error *e)
{
    fixed_source *f = self;

    f->fetches++;
    memset(out, 0, sizeof *out);
    if (f->rc != RDSIAM_OK)
        return rdsiam__fail(e, f->rc, "fixed: nothing here");
    {
        rdsiam__creds tmp = {(char *)(uintptr_t)f->creds.access_key_id,
                             (char *)(uintptr_t)f->creds.secret_access_key,
                             (char *)(uintptr_t)f->creds.session_token, false,
                             0};
        return rdsiam__creds_copy(out, &tmp);
    }
}

static void fixed_destroy(void *self)
{
    fixed_source *f = self;

    ++*f->destroyed;
}

static rdsiam__source fixed(fixed_source *f, const rdsiam_credentials *c,
                            int rc, int *destroyed)
{
    rdsiam__source s = {"fixed", fixed_fetch, fixed_destroy, f};

    memset(f, 0, sizeof *f);
    f->creds = *c;
    f->rc = rc;
    f->destroyed = destroyed;
    return s;
}

static void role_config(rdsiam__assume_role_config *cfg, char *url, size_t size,
                        const char *path, const char *role)
{
    standin_url(&server, path, url, size);
    memset(cfg, 0, sizeof *cfg);
    cfg->role_arn = role;
    cfg->session_name = "chain-session";
    cfg->sts.region = "us-west-2";
    cfg->sts.endpoint_url = url;
}

/* The assumed-role source: inner credentials sign AssumeRole; two nested
 * role sources make a two-hop chain that the stand-in verifies hop by hop
 * (RoleB only accepts a request signed with RoleA's credentials, as
 * issued). */
static void test_source_assume_role(void **state)
{
    rdsiam__assume_role_config cfg_a, cfg_b;
    fixed_source f;
    rdsiam__source inner, hop_a, hop_b;
    rdsiam__creds c;
    rdsiam_error e;
    struct json_object *req;
    char url_a[256], url_b[256];
    int destroyed = 0;

    (void)state;
    role_config(&cfg_a, url_a, sizeof url_a, "/s/srcA/ok", ROLE_A);
    cfg_a.name = "profile a (role)";
    cfg_a.external_id = "ext-1";
    cfg_a.duration_seconds = 900;
    role_config(&cfg_b, url_b, sizeof url_b, "/s/srcB/ok", ROLE_B);
    cfg_b.name = "profile b (role)";
    inner = fixed(&f, &src_temp, RDSIAM_OK, &destroyed);
    assert_int_equal(rdsiam__assume_role_new(&hop_a, &inner, &cfg_a, &e),
                     RDSIAM_OK);
    assert_null(inner.fetch); /* ownership moved */
    assert_string_equal(hop_a.name, "profile a (role)");
    assert_int_equal(rdsiam__assume_role_new(&hop_b, &hop_a, &cfg_b, &e),
                     RDSIAM_OK);
    memset(&e, 0, sizeof e);
    assert_int_equal(hop_b.fetch(hop_b.self, &c, &e), RDSIAM_OK);
    assert_string_equal(c.access_key_id, B_AKID);
    assert_string_equal(c.secret_access_key, B_SECRET);
    assert_string_equal(c.session_token, B_TOKEN);
    assert_int_equal(c.expiration, B_EXPIRATION);
    rdsiam__creds_clear(&c);
    assert_int_equal(f.fetches, 1);
    req = last_request("/s/srcA/ok");
    assert_string_equal(form_value(req, "ExternalId"), "ext-1");
    assert_string_equal(form_value(req, "DurationSeconds"), "900");
    assert_string_equal(header_value(req, "X-Amz-Security-Token"), TMP_TOKEN);
    json_object_put(req);
    req = last_request("/s/srcB/ok");
    assert_string_equal(form_value(req, "RoleSessionName"), "chain-session");
    assert_string_equal(header_value(req, "X-Amz-Security-Token"), A_TOKEN);
    json_object_put(req);
    /* Every fetch goes through the whole chain again. */
    assert_int_equal(hop_b.fetch(hop_b.self, &c, &e), RDSIAM_OK);
    rdsiam__creds_clear(&c);
    assert_int_equal(f.fetches, 2);
    assert_int_equal(standin_hits(&server, "/s/srcA/ok"), 2);
    hop_b.destroy(hop_b.self);
    assert_int_equal(destroyed, 1);
}

static void test_source_assume_role_failures(void **state)
{
    const rdsiam_credentials wrong = {SRC_AKID, TMP_SECRET, NULL, 0};
    rdsiam__assume_role_config cfg;
    fixed_source f;
    rdsiam__source inner, role;
    rdsiam__creds c;
    rdsiam_error e;
    struct json_object *req;
    char url[256], want[256];
    int destroyed = 0;

    (void)state;
    /* The wrong hop's credentials: STS's signature check refuses. */
    role_config(&cfg, url, sizeof url, "/s/srcF1/ok", ROLE_A);
    inner = fixed(&f, &wrong, RDSIAM_OK, &destroyed);
    assert_int_equal(rdsiam__assume_role_new(&role, &inner, &cfg, &e),
                     RDSIAM_OK);
    assert_int_equal(role.fetch(role.self, &c, &e), RDSIAM_ERR_STS);
    assert_string_equal(e.message,
                        "assume role: STS AssumeRole: SignatureDoesNotMatch "
                        "(HTTP 403): The request signature we calculated does "
                        "not match the signature you provided. Check your AWS "
                        "Secret Access Key and signing method. Consult the "
                        "service documentation for details.");
    assert_empty(&c);
    role.destroy(role.self);
    /* An inner source with nothing: a misconfigured role. */
    inner = fixed(&f, &src_static, RDSIAM_ERR_NO_CREDENTIALS, &destroyed);
    assert_int_equal(rdsiam__assume_role_new(&role, &inner, &cfg, &e),
                     RDSIAM_OK);
    assert_int_equal(role.fetch(role.self, &c, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(e.message, "assume role: source credentials (fixed): "
                                   "fixed: nothing here");
    role.destroy(role.self);
    assert_int_equal(destroyed, 2);
    /* Bad settings: refused, and the inner source is destroyed. */
    cfg.duration_seconds = 100;
    inner = fixed(&f, &src_static, RDSIAM_OK, &destroyed);
    assert_int_equal(rdsiam__assume_role_new(&role, &inner, &cfg, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(e.message,
                        "assume role: duration_seconds must be 900..43200");
    assert_int_equal(destroyed, 3);
    assert_null(role.fetch);
    cfg.duration_seconds = 0;
    cfg.role_arn = NULL;
    inner = fixed(&f, &src_static, RDSIAM_OK, &destroyed);
    assert_int_equal(rdsiam__assume_role_new(&role, &inner, &cfg, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(e.message, "assume role: role_arn is missing");
    assert_int_equal(destroyed, 4);
    /* No session name: botocore-session-<unix time> (the clock pinned to
     * the current second, so the signature date stays valid). */
    role_config(&cfg, url, sizeof url, "/s/srcF3/ok", ROLE_A);
    cfg.session_name = NULL;
    inner = fixed(&f, &src_static, RDSIAM_OK, &destroyed);
    assert_int_equal(rdsiam__assume_role_new(&role, &inner, &cfg, &e),
                     RDSIAM_OK);
    pinned_now = (int64_t)time(NULL);
    rdsiam__sys_set_clock(pinned_clock, NULL);
    assert_int_equal(role.fetch(role.self, &c, &e), RDSIAM_OK);
    rdsiam__sys_set_clock(NULL, NULL);
    rdsiam__creds_clear(&c);
    role.destroy(role.self);
    req = last_request("/s/srcF3/ok");
    snprintf(want, sizeof want, "botocore-session-%lld", (long long)pinned_now);
    assert_string_equal(form_value(req, "RoleSessionName"), want);
    json_object_put(req);
}

/* Nothing listening: a connection error after the retries. */
static void test_no_server(void **state)
{
    rdsiam__sts_config cfg;
    rdsiam__creds c;
    rdsiam_error e;
    char url[64], want[200];

    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", standin_closed_port());
    memset(&cfg, 0, sizeof cfg);
    cfg.region = "us-west-2";
    cfg.endpoint_url = url;
    cfg.backoff_ms = 1;
    assert_int_equal(rdsiam__sts_assume_role(&cfg, &src_static, ROLE_A, "s1",
                                             NULL, 0, &c, &e),
                     RDSIAM_ERR_HTTP);
    /* curl_easy_strerror(CURLE_COULDNT_CONNECT); http.c counts attempts */
    snprintf(want, sizeof want,
             "STS AssumeRole: POST %s: Couldn't connect to server "
             "(3 attempts)",
             url);
    assert_string_equal(e.message, want);
    assert_empty(&c);
}

#endif /* RDSIAM_HTTP */

int main(void)
{
    int failed = 0;

    alarm(120);
#if RDSIAM_HTTP
    {
        const struct CMUnitTest offline[] = {
            cmocka_unit_test(test_parse_good),
            cmocka_unit_test(test_parse_bad_answers),
            cmocka_unit_test(test_parse_nul),
            cmocka_unit_test(test_parse_limits),
            cmocka_unit_test(test_parse_long_message),
            cmocka_unit_test(test_retryable_codes),
            cmocka_unit_test(test_endpoint_defaults),
            cmocka_unit_test(test_endpoint_configured),
            cmocka_unit_test(test_endpoint_refused),
            cmocka_unit_test(test_bad_arguments),
        };
        const struct CMUnitTest online[] = {
            cmocka_unit_test(test_assume_role),
            cmocka_unit_test(test_chain_and_static_source),
            cmocka_unit_test(test_signature_refused),
            cmocka_unit_test(test_error_documents_and_retries),
            cmocka_unit_test(test_bad_answers),
            cmocka_unit_test(test_slow_answer),
            cmocka_unit_test(test_web_identity),
            cmocka_unit_test(test_no_server),
            cmocka_unit_test(test_source_assume_role),
            cmocka_unit_test(test_source_assume_role_failures),
        };
        failed += cmocka_run_group_tests_name("sts answers and endpoints",
                                              offline, NULL, NULL);
        failed += cmocka_run_group_tests_name(
            "sts against the stand-in", online, server_start, server_stop);
    }
#else
    /* The answer parser needs expat, linked only with HTTP=yes. */
    failed = skip_program("test_sts", "built with HTTP=no: no STS client");
#endif
    return failed;
}
