/*
 * test_endpoint.c - the one URL parser and its policy (lib/endpoint.c):
 * rdsiam__url_parse, which reads a URL with libcurl's URL API and holds it
 * to the rules libcurl does not apply, rdsiam__url_fail, the one wording
 * of its faults, and rdsiam__endpoint_check, the checker of configured
 * service endpoints built on it.
 *
 * Where each expected value comes from is said beside it:
 *   - botocore 1.43: ContainerMetadataFetcher._validate_allowed_url (plain
 *     http to loopback, 169.254.170.2, 169.254.170.23, fd00:ec2::23 and
 *     localhost) and utils.is_valid_endpoint_url (host names: labels of
 *     1..63 of [A-Za-z0-9-], no '-' at either end, 255 bytes, one trailing
 *     dot), which every client endpoint_url and the IMDS endpoint pass;
 *   - Python 3.11's ipaddress (ip_address() takes only a strict dotted quad:
 *     "127.1", "127.000.0.1", "0x7f.0.0.1" and "2130706433" as text raise
 *     ValueError; is_loopback is 127.0.0.0/8 and ::1, not ::ffff:127.0.0.1);
 *   - libcurl's URL API (7.88): what curl_url() reads, shown here where our
 *     rule is stricter (it reads "127.1" and "2130706433" as 127.0.0.1,
 *     percent-decodes a host, takes a zone id, an empty port, port 0 and
 *     "http:///x" as host x);
 *   - RFC 3986 for the scheme and authority syntax.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint.h"

#define LOOPBACK RDSIAM__ALLOW_LOOPBACK
#define CONTAINER                                                              \
    (RDSIAM__ALLOW_LOOPBACK | RDSIAM__ALLOW_CONTAINER | RDSIAM__URL_WITH_QUERY)
#define SERVICE (RDSIAM__ALLOW_LOOPBACK | RDSIAM__URL_DNS)
#define IMDS (RDSIAM__ALLOW_ANY | RDSIAM__URL_DNS)

#if RDSIAM_HTTP

typedef struct url_case {
    const char *url;
    unsigned policy;
    rdsiam__url_fault fault;
} url_case;

static void run_cases(const url_case *cases, size_t n)
{
    rdsiam__url u;
    size_t i;

    for (i = 0; i < n; i++) {
        rdsiam__url_fault f =
            rdsiam__url_parse(cases[i].url, 2048, cases[i].policy, &u);

        if (f != cases[i].fault)
            print_message("'%s' policy %u: got %d, want %d\n", cases[i].url,
                          cases[i].policy, (int)f, (int)cases[i].fault);
        assert_int_equal(f, cases[i].fault);
    }
}

/* The parts a caller uses: the authority as written (a Host header), the
 * host as written and as libcurl reads it, the port, the path as written. */
static void test_parts(void **state)
{
    rdsiam__url u;

    (void)state;
    assert_int_equal(rdsiam__url_parse("https://sts.example.test:8443/a/b",
                                       2048, SERVICE, &u),
                     RDSIAM__URL_OK);
    assert_true(u.https);
    assert_false(u.ipv6);
    assert_false(u.allowed);
    assert_int_equal(u.authority_len, 21);
    assert_memory_equal(u.authority, "sts.example.test:8443", 21);
    assert_int_equal(u.name_len, 16);
    assert_memory_equal(u.name, "sts.example.test", 16);
    assert_string_equal(u.host, "sts.example.test");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.path, "/a/b");
    assert_int_equal(u.path_len, 4);
    /* No path, no port; an IPv6 literal in brackets. */
    assert_int_equal(rdsiam__url_parse("https://[::1]", 2048, SERVICE, &u),
                     RDSIAM__URL_OK);
    assert_true(u.ipv6);
    assert_true(u.allowed); /* loopback, whatever the scheme */
    assert_int_equal(u.authority_len, 5);
    assert_memory_equal(u.name, "::1", 3);
    assert_int_equal(u.port, 0);
    assert_int_equal(u.path_len, 0);
    /* A query is not part of the path (container policy). */
    assert_int_equal(rdsiam__url_parse("http://127.0.0.1:8080/c?t=1#f", 2048,
                                       CONTAINER, &u),
                     RDSIAM__URL_OK);
    assert_false(u.https);
    assert_int_equal(u.port, 8080);
    assert_int_equal(u.path_len, 2);
    assert_memory_equal(u.path, "/c", 2);
}

/* IPv6 literals: libcurl validates them and writes them canonically
 * (RFC 5952), and the allow list compares addresses. */
static void test_ipv6(void **state)
{
    static const url_case cases[] = {
        {"http://[::1]/", LOOPBACK, RDSIAM__URL_OK},
        {"http://[::1]:8080/", LOOPBACK, RDSIAM__URL_OK},
        /* ipaddress: IPv6Address('0:0:0:0:0:0:0:1').is_loopback is True */
        {"http://[0:0:0:0:0:0:0:1]/", LOOPBACK, RDSIAM__URL_OK},
        /* is_loopback False for the IPv4-mapped form */
        {"http://[::ffff:127.0.0.1]/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://[::ffff:7f00:1]/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://[::]/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        /* botocore compares "fd00:ec2::23" as a string; we compare the
         * address, so another spelling of it is let in too */
        {"http://[fd00:ec2::23]/", CONTAINER, RDSIAM__URL_OK},
        {"http://[FD00:EC2:0::23]/", CONTAINER, RDSIAM__URL_OK},
        {"http://[fd00:ec2::254]/", CONTAINER, RDSIAM__URL_NOT_ALLOWED},
        /* not an address: libcurl refuses them (CURLUE_BAD_IPV6) */
        {"http://[zz::1]/", LOOPBACK, RDSIAM__URL_IPV6},
        {"http://[::1::2]/", LOOPBACK, RDSIAM__URL_IPV6},
        {"http://[v1.x]/", LOOPBACK, RDSIAM__URL_IPV6},
        {"http://[]/", LOOPBACK, RDSIAM__URL_NO_HOST},
        /* '[' without ']'; junk where ":port" must be */
        {"http://[::1/", LOOPBACK, RDSIAM__URL_BRACKET},
        {"http://[::1]x/", LOOPBACK, RDSIAM__URL_PORT},
        /* a zone id (RFC 6874, "%25" or a bare '%'): libcurl takes it; we
         * do not (it names an interface of this machine) */
        {"http://[::1%25lo]/", LOOPBACK, RDSIAM__URL_IPV6},
        {"http://[fe80::1%25eth0]/", IMDS, RDSIAM__URL_IPV6},
        {"https://[fe80::1%eth0]/", SERVICE, RDSIAM__URL_IPV6},
    };
    rdsiam__url u;

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
    /* libcurl's canonical form is the host */
    assert_int_equal(rdsiam__url_parse("http://[FD00:EC2:0::23]/v1", 2048,
                                       CONTAINER, &u),
                     RDSIAM__URL_OK);
    assert_string_equal(u.host, "fd00:ec2::23");
    assert_memory_equal(u.name, "FD00:EC2:0::23", 14);
    assert_int_equal(rdsiam__url_parse("http://[0:0:0:0:0:0:0:1]:80", 2048,
                                       LOOPBACK, &u),
                     RDSIAM__URL_OK);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 80);
}

/* Ports: 1..65535, digits only (RFC 3986 port = *DIGIT; libcurl takes an
 * empty port and port 0, we do not). */
static void test_ports(void **state)
{
    static const url_case cases[] = {
        {"http://127.0.0.1:1/", LOOPBACK, RDSIAM__URL_OK},
        {"http://127.0.0.1:65535/", LOOPBACK, RDSIAM__URL_OK},
        {"http://127.0.0.1:0/", LOOPBACK, RDSIAM__URL_PORT},
        {"http://127.0.0.1:65536/", LOOPBACK, RDSIAM__URL_PORT},
        {"http://127.0.0.1:/", LOOPBACK, RDSIAM__URL_PORT},
        {"http://127.0.0.1:8o/", LOOPBACK, RDSIAM__URL_PORT},
        {"http://127.0.0.1:+80/", LOOPBACK, RDSIAM__URL_PORT},
        {"http://127.0.0.1:-1/", LOOPBACK, RDSIAM__URL_PORT},
        {"http://127.0.0.1:123456/", LOOPBACK, RDSIAM__URL_PORT},
        {"https://[::1]:0/", SERVICE, RDSIAM__URL_PORT},
        {"https://host:80:80/", SERVICE, RDSIAM__URL_PORT},
    };
    rdsiam__url u;

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
    /* A leading zero: libcurl reads "08" as 8, and so do we. */
    assert_int_equal(
        rdsiam__url_parse("http://127.0.0.1:08/", 2048, LOOPBACK, &u),
        RDSIAM__URL_OK);
    assert_int_equal(u.port, 8);
}

/* The scheme and the host in any case (RFC 3986 3.1 and 3.2.2: both are
 * case-insensitive); botocore's urlparse lowercases the host it checks. */
static void test_case(void **state)
{
    static const url_case cases[] = {
        {"HTTP://127.0.0.1/", LOOPBACK, RDSIAM__URL_OK},
        {"hTtP://LOCALHOST/x", LOOPBACK, RDSIAM__URL_OK},
        {"http://LocalHost:8080/", LOOPBACK, RDSIAM__URL_OK},
        {"HtTpS://Example.COM/", SERVICE, RDSIAM__URL_OK},
    };
    rdsiam__url u;

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
    assert_int_equal(
        rdsiam__url_parse("HTTPS://Example.COM/", 2048, SERVICE, &u),
        RDSIAM__URL_OK);
    assert_true(u.https);
    assert_string_equal(u.host, "Example.COM"); /* libcurl keeps the case */
}

/* Plain http to loopback: only as Python's ipaddress reads an address (a
 * strict dotted quad) or the name localhost. libcurl would connect every
 * one of the refused forms below to 127.0.0.1; over https they are names
 * like any other (botocore's is_valid_endpoint_url takes their labels). */
static void test_loopback_forms(void **state)
{
    static const url_case cases[] = {
        {"http://127.0.0.1/", LOOPBACK, RDSIAM__URL_OK},
        {"http://127.255.255.254/", LOOPBACK, RDSIAM__URL_OK}, /* /8 */
        {"http://localhost/", LOOPBACK, RDSIAM__URL_OK},
        {"http://LOCALHOST/", LOOPBACK, RDSIAM__URL_OK},
        /* ip_address("127.1"): ValueError; libcurl: 127.0.0.1 */
        {"http://127.1/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://127.0.1/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        /* leading zeros: ValueError (Python 3.9.5+); libcurl: octal */
        {"http://127.000.0.1/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://0177.0.0.1/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        /* hex and a single number: ValueError; libcurl: 127.0.0.1 */
        {"http://0x7f.0.0.1/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://2130706433/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        /* not an address at all: ValueError; libcurl reads a name */
        {"http://127.0.0.256/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        /* "localhost." is not "localhost" to botocore's comparison */
        {"http://localhost./", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://localhost.example.com/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://10.0.0.1/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://example.com/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        /* over https any of them is a host like another */
        {"https://127.1/", SERVICE, RDSIAM__URL_OK},
        {"https://2130706433/", SERVICE, RDSIAM__URL_OK},
        {"https://localhost./", SERVICE, RDSIAM__URL_OK},
        /* and the instance metadata policy takes plain http anywhere */
        {"http://10.0.0.1/", IMDS, RDSIAM__URL_OK},
        {"http://169.254.169.254/latest", IMDS, RDSIAM__URL_OK},
    };
    rdsiam__url u;

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
    /* The host libcurl reads is reported, the name as written kept. */
    assert_int_equal(rdsiam__url_parse("https://127.1/", 2048, SERVICE, &u),
                     RDSIAM__URL_OK);
    assert_string_equal(u.host, "127.0.0.1");
    assert_memory_equal(u.name, "127.1", 5);
    assert_false(u.allowed);
}

/* The container hosts are let in over plain http only with the container
 * policy (ContainerMetadataFetcher's list); allowed reports them whatever
 * the scheme (the container source reaches them without a proxy). */
static void test_container_hosts(void **state)
{
    static const url_case cases[] = {
        {"http://169.254.170.2/v2/credentials/x", CONTAINER, RDSIAM__URL_OK},
        {"http://169.254.170.23/v1/credentials", CONTAINER, RDSIAM__URL_OK},
        {"http://[fd00:ec2::23]/v1/credentials", CONTAINER, RDSIAM__URL_OK},
        {"http://169.254.170.2/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://169.254.170.23/", SERVICE, RDSIAM__URL_NOT_ALLOWED},
        {"http://[fd00:ec2::23]/", LOOPBACK, RDSIAM__URL_NOT_ALLOWED},
        {"http://169.254.170.200/", CONTAINER, RDSIAM__URL_NOT_ALLOWED},
        {"http://169.254.170.3/", CONTAINER, RDSIAM__URL_NOT_ALLOWED},
        {"http://169.254.169.254/", CONTAINER, RDSIAM__URL_NOT_ALLOWED},
        /* localhost needs the loopback bit */
        {"http://localhost/", RDSIAM__ALLOW_CONTAINER, RDSIAM__URL_NOT_ALLOWED},
    };
    rdsiam__url u;

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
    assert_int_equal(
        rdsiam__url_parse("https://169.254.170.2/", 2048, CONTAINER, &u),
        RDSIAM__URL_OK);
    assert_true(u.allowed);
    assert_int_equal(
        rdsiam__url_parse("https://169.254.170.2/", 2048, SERVICE, &u),
        RDSIAM__URL_OK);
    assert_false(u.allowed);
}

/* Host names: percent-encoding (libcurl decodes "%6c" to 'l', so the host
 * checked would not be the host connected to), botocore's DNS grammar for
 * service endpoints, and the container's looser one. */
static void test_names(void **state)
{
    static const url_case cases[] = {
        {"http://%6cocalhost/", LOOPBACK, RDSIAM__URL_HOST},
        {"https://%6cocalhost/", SERVICE, RDSIAM__URL_HOST},
        {"https://ex%2ecom/", CONTAINER, RDSIAM__URL_HOST},
        {"https://a~b/", CONTAINER, RDSIAM__URL_HOST},
        /* is_valid_endpoint_url: labels of [A-Za-z0-9-], 1..63 */
        {"https://sts.example.test/", SERVICE, RDSIAM__URL_OK},
        {"https://host./", SERVICE, RDSIAM__URL_OK},
        {"https://-bad.example/", SERVICE, RDSIAM__URL_HOST},
        {"https://bad-.example/", SERVICE, RDSIAM__URL_HOST},
        {"https://under_score/", SERVICE, RDSIAM__URL_HOST},
        {"https://a..b/", SERVICE, RDSIAM__URL_HOST},
        {"https://./", SERVICE, RDSIAM__URL_HOST},
        {"https://"
         "a23456789012345678901234567890123456789012345678901234567890123/",
         SERVICE, RDSIAM__URL_OK}, /* 63 */
        {"https://"
         "a234567890123456789012345678901234567890123456789012345678901234/",
         SERVICE, RDSIAM__URL_HOST}, /* 64 */
        /* the container's full URI is any host over https (botocore reads
         * it with urlparse alone) */
        {"https://under_score/", CONTAINER, RDSIAM__URL_OK},
        {"https://-bad.example/", CONTAINER, RDSIAM__URL_OK},
    };

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
}

/* What RFC 3986 allows and we refuse: user information (the host after
 * '@' is the one connected to: "http://127.0.0.1@example.com/" goes to
 * example.com), a query or fragment where the service takes none, an
 * empty host (libcurl reads "http:///x" as host x), another scheme. */
static void test_refused_forms(void **state)
{
    static const url_case cases[] = {
        {"http://u@127.0.0.1/", LOOPBACK, RDSIAM__URL_USER},
        {"http://u:p@127.0.0.1/", LOOPBACK, RDSIAM__URL_USER},
        {"http://127.0.0.1@example.com/", CONTAINER, RDSIAM__URL_USER},
        {"https://:pw@host/", SERVICE, RDSIAM__URL_USER},
        {"http://127.0.0.1/?a=1", LOOPBACK, RDSIAM__URL_QUERY},
        {"http://127.0.0.1/x?", LOOPBACK, RDSIAM__URL_QUERY},
        {"http://127.0.0.1/#f", SERVICE, RDSIAM__URL_QUERY},
        {"http://127.0.0.1#", LOOPBACK, RDSIAM__URL_QUERY},
        {"http://127.0.0.1/?a=1#f", CONTAINER, RDSIAM__URL_OK},
        /* the host is example.com, the rest a fragment */
        {"http://example.com#@127.0.0.1/", CONTAINER, RDSIAM__URL_NOT_ALLOWED},
        {"http:///x", LOOPBACK, RDSIAM__URL_NO_HOST},
        {"http://:80/", LOOPBACK, RDSIAM__URL_NO_HOST},
        {"https://", SERVICE, RDSIAM__URL_NO_HOST},
        {"http://?x", CONTAINER, RDSIAM__URL_NO_HOST},
        {"ftp://127.0.0.1/", LOOPBACK, RDSIAM__URL_SCHEME},
        {"file:///etc/passwd", CONTAINER, RDSIAM__URL_SCHEME},
        {"git+ssh://host/", SERVICE, RDSIAM__URL_SCHEME},
        {"/credentials", CONTAINER, RDSIAM__URL_NO_SCHEME},
        {"127.0.0.1:80", LOOPBACK, RDSIAM__URL_NO_SCHEME},
        {"http:/127.0.0.1/", LOOPBACK, RDSIAM__URL_NO_SCHEME},
        {"", LOOPBACK, RDSIAM__URL_NO_SCHEME},
    };

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
}

/* Bytes no URL should hold: refused before libcurl sees them, placed in
 * the host or the path; and the length limit, checked before anything. */
static void test_bytes_and_length(void **state)
{
    static const url_case cases[] = {
        {"http://127.0.0.1 /", LOOPBACK, RDSIAM__URL_CHAR_HOST},
        {"http://127.0.0.1\\@example.com/", LOOPBACK, RDSIAM__URL_CHAR_HOST},
        {"http://h\xc3\xa9st/", IMDS, RDSIAM__URL_CHAR_HOST},
        {"http://127.0.0.1/a b", LOOPBACK, RDSIAM__URL_CHAR_PATH},
        {"http://127.0.0.1/\r\nX: y", LOOPBACK, RDSIAM__URL_CHAR_PATH},
        {"http://127.0.0.1/\x7f", LOOPBACK, RDSIAM__URL_CHAR_PATH},
        {"http://127.0.0.1/?q=\t", CONTAINER, RDSIAM__URL_CHAR_PATH},
        {"not a url", LOOPBACK, RDSIAM__URL_CHAR_PATH},
    };
    char url[2100];
    rdsiam__url u;

    (void)state;
    run_cases(cases, sizeof cases / sizeof *cases);
    /* 2048 bytes pass a 2048-byte limit, 2049 do not */
    memset(url, 'a', sizeof url);
    memcpy(url, "https://h/", 10);
    url[2048] = '\0';
    assert_int_equal(rdsiam__url_parse(url, 2048, SERVICE, &u),
                     RDSIAM__URL_OK);
    assert_int_equal(u.path_len, 2048 - 9);
    url[2048] = 'a';
    url[2049] = '\0';
    assert_int_equal(rdsiam__url_parse(url, 2048, SERVICE, &u),
                     RDSIAM__URL_TOO_LONG);
    /* a host longer than DNS allows */
    memset(url, 'a', sizeof url);
    memcpy(url, "https://", 8);
    url[8 + 300] = '\0';
    assert_int_equal(rdsiam__url_parse(url, 2048, CONTAINER, &u),
                     RDSIAM__URL_HOST);
}

/* rdsiam__endpoint_check: the service policy, its messages naming the
 * service and the variable, never the value. */
static void test_endpoint_check(void **state)
{
    static const struct {
        const char *url;
        int rc;
        const char *message;
    } cases[] = {
        {"https://portal.example.test/p", RDSIAM_OK, ""},
        {"http://127.0.0.1:9/p/", RDSIAM_OK, ""},
        {"http://[::1]:9", RDSIAM_OK, ""},
        {"http://portal.example.test", RDSIAM_ERR_URI_NOT_ALLOWED,
         "S: V: plain http is not allowed to host 'portal.example.test': "
         "only to loopback (127.0.0.0/8, [::1], localhost); use https"},
        {"http://127.1", RDSIAM_ERR_URI_NOT_ALLOWED,
         "S: V: plain http is not allowed to host '127.1': only to loopback "
         "(127.0.0.0/8, [::1], localhost); use https"},
        {"portal.example.test", RDSIAM_ERR_URI_INVALID,
         "S: V: URI did not specify a host (it must start with http:// or "
         "https://)"},
        {"https://u:secret@h/", RDSIAM_ERR_URI_INVALID,
         "S: V: user information (user@) is not allowed"},
        {"https://h/?secret", RDSIAM_ERR_URI_INVALID,
         "S: V: a query or fragment is not allowed"},
        {"https://h/ secret", RDSIAM_ERR_URI_INVALID,
         "S: V: invalid uri character in the path, query or fragment (a "
         "space, a control, a backslash or a non-ASCII character)"},
        {"https://h_x/", RDSIAM_ERR_URI_INVALID,
         "S: V: the host is not a valid host name or IP address"},
        {"https://h:0/", RDSIAM_ERR_URI_INVALID,
         "S: V: the port is not a number in 1..65535"},
        {"https://[::g]/", RDSIAM_ERR_URI_INVALID,
         "S: V: the host is not a valid IPv6 address (a zone id is not "
         "allowed)"},
    };
    rdsiam_error e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(rdsiam__endpoint_check("S", "V", cases[i].url, &e),
                         cases[i].rc);
        assert_string_equal(e.message, cases[i].message);
    }
}

#else /* !RDSIAM_HTTP */

/* HTTP=no: no libcurl, so no URL parser; every check refuses. */
static void test_not_built_in(void **state)
{
    rdsiam__url u;
    rdsiam_error e;

    (void)state;
    assert_int_equal(
        rdsiam__url_parse("http://127.0.0.1/", 2048, LOOPBACK, &u),
        RDSIAM__URL_NOT_BUILT_IN);
    memset(&e, 0, sizeof e);
    assert_int_equal(
        rdsiam__endpoint_check("S", "V", "https://portal.example.test", &e),
        RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(e.message, "S: V: this library was built with "
                                   "HTTP=no (no libcurl)");
}

#endif /* RDSIAM_HTTP */

/*
 * rdsiam__url_fail: every fault has one wording and its code. The table is
 * indexed by fault and walked to RDSIAM__URL_FAULTS, so a fault added to
 * endpoint.h without a wording in lib/endpoint.c (or a line here) fails.
 * The texts are ours (lib/endpoint.c), except the no-scheme fault, which
 * carries botocore 1.43's "URI did not specify a host" (ECS provider; the
 * ErrorContains of tests/vectors/aws-config/ecs-tests.json).
 */
static void test_fault_wording(void **state)
{
    static const struct {
        int code;
        const char *message;
    } want[RDSIAM__URL_FAULTS] = {
        [RDSIAM__URL_OK] = {RDSIAM_OK, "untouched"},
        [RDSIAM__URL_TOO_LONG] = {RDSIAM_ERR_URI_INVALID,
                                  "P 7: the URL is longer than 1234 bytes"},
        [RDSIAM__URL_CHAR_HOST] = {RDSIAM_ERR_URI_INVALID,
                                   "P 7: invalid uri character before the "
                                   "path (a space, a control, a backslash "
                                   "or a non-ASCII character)"},
        [RDSIAM__URL_CHAR_PATH] = {RDSIAM_ERR_URI_INVALID,
                                   "P 7: invalid uri character in the path, "
                                   "query or fragment (a space, a control, "
                                   "a backslash or a non-ASCII character)"},
        [RDSIAM__URL_NO_SCHEME] = {RDSIAM_ERR_URI_INVALID,
                                   "P 7: URI did not specify a host (it must "
                                   "start with http:// or https://)"},
        [RDSIAM__URL_SCHEME] = {RDSIAM_ERR_URI_INVALID,
                                "P 7: the scheme must be http or https"},
        [RDSIAM__URL_USER] = {RDSIAM_ERR_URI_INVALID,
                              "P 7: user information (user@) is not "
                              "allowed"},
        [RDSIAM__URL_QUERY] = {RDSIAM_ERR_URI_INVALID,
                               "P 7: a query or fragment is not allowed"},
        [RDSIAM__URL_NO_HOST] = {RDSIAM_ERR_URI_INVALID,
                                 "P 7: the host is empty"},
        [RDSIAM__URL_HOST] = {RDSIAM_ERR_URI_INVALID,
                              "P 7: the host is not a valid host name or IP "
                              "address"},
        [RDSIAM__URL_BRACKET] = {RDSIAM_ERR_URI_INVALID,
                                 "P 7: the IPv6 address has no closing ']'"},
        [RDSIAM__URL_IPV6] = {RDSIAM_ERR_URI_INVALID,
                              "P 7: the host is not a valid IPv6 address (a "
                              "zone id is not allowed)"},
        [RDSIAM__URL_PORT] = {RDSIAM_ERR_URI_INVALID,
                              "P 7: the port is not a number in 1..65535"},
        [RDSIAM__URL_NOT_ALLOWED] = {RDSIAM_ERR_URI_NOT_ALLOWED,
                                     "P 7: plain http is not allowed to host "
                                     "'h.example': only to loopback "
                                     "(127.0.0.0/8, [::1], localhost); use "
                                     "https"},
        [RDSIAM__URL_NO_MEMORY] = {RDSIAM_ERR_NO_MEMORY, "P 7: out of memory"},
        [RDSIAM__URL_NOT_BUILT_IN] = {RDSIAM_ERR_NOT_BUILT_IN,
                                      "P 7: this library was built with "
                                      "HTTP=no (no libcurl)"},
    };
    rdsiam__url u;
    rdsiam_error e;

    (void)state;
    memset(&u, 0, sizeof u);
    u.name = "h.example/path";
    u.name_len = 9;
    for (int f = 0; f < RDSIAM__URL_FAULTS; f++) {
        assert_non_null(want[f].message); /* a line here for every fault */
        memset(&e, 0, sizeof e);
        snprintf(e.message, sizeof e.message, "untouched");
        assert_int_equal(rdsiam__url_fail(&e, (rdsiam__url_fault)f, &u,
                                          LOOPBACK, 1234, "P %d", 7),
                         want[f].code);
        assert_int_equal(rdsiam__url_code((rdsiam__url_fault)f), want[f].code);
        /* never the fallback for a fault without a wording */
        assert_string_not_equal(e.message, "P 7: invalid URL");
        assert_string_equal(e.message, want[f].message);
        if (f != RDSIAM__URL_OK)
            assert_int_equal(e.code, want[f].code);
        /* err may be NULL: the code alone */
        assert_int_equal(rdsiam__url_fail(NULL, (rdsiam__url_fault)f, &u,
                                          LOOPBACK, 1234, "P"),
                         want[f].code);
    }
}

/* The plain-http fault lists what the caller's policy allows (the allow
 * lists of endpoint.h) and shows the host as written, cut to 64 bytes. */
static void test_not_allowed_lists(void **state)
{
    static const struct {
        unsigned policy;
        const char *message;
    } cases[] = {
        {RDSIAM__ALLOW_LOOPBACK | RDSIAM__URL_DNS,
         "V: plain http is not allowed to host 'h.example': only to loopback "
         "(127.0.0.0/8, [::1], localhost); use https"},
        {RDSIAM__ALLOW_LOOPBACK | RDSIAM__ALLOW_CONTAINER |
             RDSIAM__URL_WITH_QUERY,
         "V: plain http is not allowed to host 'h.example': only to loopback "
         "(127.0.0.0/8, [::1], localhost) and the container endpoints "
         "(169.254.170.2, 169.254.170.23, [fd00:ec2::23]); use https"},
        {RDSIAM__ALLOW_CONTAINER,
         "V: plain http is not allowed to host 'h.example': only to the "
         "container endpoints (169.254.170.2, 169.254.170.23, "
         "[fd00:ec2::23]); use https"},
        {0, "V: plain http is not allowed to host 'h.example'; use https"},
    };
    char name[100];
    rdsiam__url u;
    rdsiam_error e;

    (void)state;
    memset(&u, 0, sizeof u);
    u.name = "h.example";
    u.name_len = 9;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(rdsiam__url_fail(&e, RDSIAM__URL_NOT_ALLOWED, &u,
                                          cases[i].policy, 2048, "V"),
                         RDSIAM_ERR_URI_NOT_ALLOWED);
        assert_string_equal(e.message, cases[i].message);
    }
    /* A 99-byte host: its first 64 bytes. */
    memset(name, 'a', 99);
    name[99] = '\0';
    u.name = name;
    u.name_len = 99;
    memset(&e, 0, sizeof e);
    assert_int_equal(
        rdsiam__url_fail(&e, RDSIAM__URL_NOT_ALLOWED, &u, 0, 2048, "V"),
        RDSIAM_ERR_URI_NOT_ALLOWED);
    assert_string_equal(e.message, "V: plain http is not allowed to host "
                                   "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                   "aaaaaaaaaaaaaaaaaaaaaaaa'; use https");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#if RDSIAM_HTTP
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_case),
        cmocka_unit_test(test_loopback_forms),
        cmocka_unit_test(test_container_hosts),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_refused_forms),
        cmocka_unit_test(test_bytes_and_length),
        cmocka_unit_test(test_endpoint_check),
#else
        cmocka_unit_test(test_not_built_in),
#endif
        cmocka_unit_test(test_fault_wording),
        cmocka_unit_test(test_not_allowed_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
