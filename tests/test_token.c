/*
 * test_token.c - RDS and Aurora DSQL tokens (lib/token.c).
 *
 * Known answers: every entry of tests/vectors/rds-token/known-answers.json,
 * botocore-derived.json and dsql-known-answers.json (provenance in
 * tests/vectors/rds-token/SOURCE.md). Our tokens keep botocore's
 * parameter order, so an entry is compared as an exact string when its
 * expected text has that order (botocore's own output, `botocore_output`,
 * is always compared exactly); an entry written in another SDK's order is
 * compared as host part + signature + parameter multiset, which is all
 * such a source asserts. Each entry prints which comparison it got.
 *
 * Bad input: one test per rule of the "Bad input" section, each
 * asserting its own code, a message that names the field and holds no
 * secret, and an output buffer holding "" (never a partial token).
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "internal.h"
#include "rdsiam.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "AQoDYXdzEPT//////////wEXAMPLE+token="

static const char *vectors_dir(void)
{
    /* Tests run from the repository root (tests/run-tests.sh). */
    return "tests/vectors";
}

static json_object *load_json(const char *name)
{
    char path[1024];
    json_object *o;

    snprintf(path, sizeof path, "%s/rds-token/%s", vectors_dir(), name);
    o = json_object_from_file(path);
    if (!o)
        fail_msg("cannot read %s (run from the repository root)", path);
    return o;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) ||
        json_object_is_type(v, json_type_null))
        return NULL;
    return json_object_get_string(v);
}

static int64_t jint(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v))
        return 0;
    return json_object_get_int64(v);
}

/* A clock pinned for the 1970-01-01T00:00:00Z vector: signing_time 0
 * means "now", so that instant is reached through the clock seam. */
static int64_t clock_value;
static int64_t fixed_clock(void *ctx)
{
    (void)ctx;
    return clock_value;
}

/* ------------------------------------------------------------------------ */
/* Comparing tokens                                                          */
/* ------------------------------------------------------------------------ */

#define MAX_PARAMS 16

typedef struct split {
    char *copy;
    const char *prefix; /* "host[:port]/" */
    const char *params[MAX_PARAMS];
    size_t n;
} split;

static void split_token(const char *t, split *s)
{
    char *q, *p;

    memset(s, 0, sizeof *s);
    s->copy = strdup(t);
    assert_non_null(s->copy);
    q = strstr(s->copy, "/?");
    assert_non_null(q);
    q[1] = '\0';
    s->prefix = s->copy;
    for (p = q + 2; p && *p;) {
        char *amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        assert_true(s->n < MAX_PARAMS);
        s->params[s->n++] = p;
        p = amp ? amp + 1 : NULL;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* true when the parameter names appear in botocore's order: Action,
 * DBUser, X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders,
 * -Security-Token, -Signature (as botocore 1.43 prints them: the order
 * of the parameters in tests/vectors' botocore tokens). */
static bool botocore_order(const split *s)
{
    static const char *const order[] = {
        "Action=",       "DBUser=",       "X-Amz-Algorithm=",
        "X-Amz-Credential=", "X-Amz-Date=", "X-Amz-Expires=",
        "X-Amz-SignedHeaders=", "X-Amz-Security-Token=", "X-Amz-Signature="};
    size_t k = 0;

    for (size_t i = 0; i < s->n; i++) {
        while (k < sizeof order / sizeof *order &&
               strncmp(s->params[i], order[k], strlen(order[k])) != 0)
            k++;
        if (k == sizeof order / sizeof *order)
            return false;
        k++;
    }
    return true;
}

static const char *signature_of(const split *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (strncmp(s->params[i], "X-Amz-Signature=", 16) == 0)
            return s->params[i] + 16;
    return "";
}

/* Compare got with want: exact when want is in botocore's order, else
 * host part, signature and parameter multiset. Returns the mode used. */
static const char *compare_token(const char *label, const char *got,
                                 const char *want)
{
    split g, w;
    const char *mode;

    split_token(got, &g);
    split_token(want, &w);
    if (botocore_order(&w)) {
        mode = "exact";
        if (strcmp(got, want) != 0)
            fail_msg("%s: token differs\n  want %s\n  got  %s", label, want,
                     got);
    } else {
        mode = "signature + parameter multiset";
        assert_string_equal(g.prefix, w.prefix);
        assert_string_equal(signature_of(&g), signature_of(&w));
        assert_int_equal(g.n, w.n);
        qsort(g.params, g.n, sizeof *g.params, cmp_str);
        qsort(w.params, w.n, sizeof *w.params, cmp_str);
        for (size_t i = 0; i < g.n; i++)
            assert_string_equal(g.params[i], w.params[i]);
    }
    free(g.copy);
    free(w.copy);
    return mode;
}

/* ------------------------------------------------------------------------ */
/* Known answers                                                             */
/* ------------------------------------------------------------------------ */

static void rds_entry(json_object *e, const char *file, size_t idx)
{
    rdsiam_token_params p = {0};
    rdsiam_credentials c = {0};
    char buf[4096], label[256];
    size_t needed = 0;
    rdsiam_error err;
    const char *bo = jstr(e, "botocore_output");
    const char *mode;
    int64_t t;

    snprintf(label, sizeof label, "%s[%zu] (%s)", file, idx, jstr(e, "source"));
    c.access_key_id = jstr(e, "access_key_id");
    c.secret_access_key = jstr(e, "secret_access_key");
    c.session_token = jstr(e, "session_token");
    p.hostname = jstr(e, "hostname");
    p.port = (unsigned int)jint(e, "port");
    p.username = jstr(e, "username");
    p.region = jstr(e, "region");
    assert_int_equal(rdsiam__parse_time(jstr(e, "time"), &t), 0);
    p.signing_time = t;
    clock_value = t;
    rdsiam__sys_set_clock(fixed_clock, NULL);
    if (rdsiam_generate_token_ex(&p, &c, buf, sizeof buf, &needed, &err) !=
        RDSIAM_OK)
        fail_msg("%s: %s", label, err.message);
    rdsiam__sys_set_clock(NULL, NULL);
    assert_int_equal(needed, strlen(buf) + 1);
    mode = compare_token(label, buf, jstr(e, "expected"));
    if (bo) {
        assert_string_equal(buf, bo);
        mode = "exact (botocore_output)";
    }
    print_message("  %s: %s\n", label, mode);
}

static void dsql_entry(json_object *e, size_t idx)
{
    rdsiam_dsql_params p = {0};
    rdsiam_credentials c = {0};
    char buf[4096], label[256];
    size_t needed = 0;
    rdsiam_error err;
    const char *action = jstr(e, "action");
    int64_t t;

    snprintf(label, sizeof label, "dsql-known-answers.json[%zu] (%s)", idx,
             jstr(e, "source"));
    c.access_key_id = jstr(e, "access_key_id");
    c.secret_access_key = jstr(e, "secret_access_key");
    c.session_token = jstr(e, "session_token");
    p.hostname = jstr(e, "hostname");
    p.region = jstr(e, "region");
    assert_string_equal(jstr(e, "service"), "dsql");
    if (strcmp(action, "DbConnect") == 0)
        p.action = RDSIAM_DSQL_CONNECT;
    else if (strcmp(action, "DbConnectAdmin") == 0)
        p.action = RDSIAM_DSQL_CONNECT_ADMIN;
    else
        fail_msg("%s: unknown action", label);
    p.expires_in = jint(e, "expires_in");
    assert_int_equal(rdsiam__parse_time(jstr(e, "time"), &t), 0);
    p.signing_time = t;
    if (rdsiam_generate_dsql_token(&p, &c, buf, sizeof buf, &needed, &err) !=
        RDSIAM_OK)
        fail_msg("%s: %s", label, err.message);
    assert_int_equal(needed, strlen(buf) + 1);
    print_message("  %s: %s\n", label,
                  compare_token(label, buf, jstr(e, "expected")));
}

static void test_rds_known_answers(void **state)
{
    json_object *a = load_json("known-answers.json");
    size_t n = json_object_array_length(a);

    (void)state;
    assert_int_equal(n, 11);
    for (size_t i = 0; i < n; i++)
        rds_entry(json_object_array_get_idx(a, i), "known-answers.json", i);
    json_object_put(a);
}

static void test_botocore_derived(void **state)
{
    json_object *a = load_json("botocore-derived.json");
    size_t n = json_object_array_length(a);

    (void)state;
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        rds_entry(json_object_array_get_idx(a, i), "botocore-derived.json", i);
    json_object_put(a);
}

static void test_dsql_known_answers(void **state)
{
    json_object *a = load_json("dsql-known-answers.json");
    size_t n = json_object_array_length(a);

    (void)state;
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++)
        dsql_entry(json_object_array_get_idx(a, i), i);
    json_object_put(a);
}

/* ------------------------------------------------------------------------ */
/* Sizes and the other entry points                                          */
/* ------------------------------------------------------------------------ */

/* botocore-derived.json P1 (botocore 1.43.11, clock frozen). */
static const char P1[] =
    "mydb.123456789012.us-west-2.rds.amazonaws.com:5432/?Action=connect&"
    "DBUser=db%20user%40corp%2Bx%2Fy~.-_&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
    "X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-west-2%2Frds-db%2F"
    "aws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&"
    "X-Amz-SignedHeaders=host&X-Amz-Security-Token=AQoDYXdzEPT%2F%2F%2F%2F"
    "%2F%2F%2F%2F%2F%2FwEXAMPLE%2Btoken%3D&X-Amz-Signature=ea3259227ca749fa"
    "d5a64707b17a8d3228701153e4b800d728c608cf2b37f6d5";

static rdsiam_token_params p1_params(void)
{
    rdsiam_token_params p = {0};
    p.hostname = "mydb.123456789012.us-west-2.rds.amazonaws.com";
    p.port = 5432;
    p.username = "db user@corp+x/y~.-_";
    p.region = "us-west-2";
    p.signing_time = 1704164645; /* 2024-01-02T03:04:05Z */
    return p;
}

static const rdsiam_credentials P1_CREDS = {AKID, SECRET, TOKEN, 0};

static void test_sizes_and_variants(void **state)
{
    rdsiam_token_params p = p1_params();
    char buf[sizeof P1 + 8];
    size_t needed = 0;
    rdsiam_error err;

    (void)state;
    /* exact fit */
    assert_int_equal(rdsiam_generate_token_ex(&p, &P1_CREDS, buf, sizeof P1,
                                              &needed, &err),
                     RDSIAM_OK);
    assert_string_equal(buf, P1);
    assert_int_equal(needed, sizeof P1);
    assert_int_equal(err.code, RDSIAM_OK);
    assert_string_equal(err.message, "");
    /* the simple call */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf),
                     RDSIAM_OK);
    assert_string_equal(buf, P1);
    /* checking the parameters alone: the same checks, no keys needed */
    assert_int_equal(rdsiam_token_params_check(&p, &err), RDSIAM_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(rdsiam_token_params_check(NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_string_equal(err.message, "token parameters are NULL");
    p.region = NULL; /* "resolve it": accepted here */
    assert_int_equal(rdsiam_token_params_check(&p, &err), RDSIAM_OK);
    p.region = "US-EAST-1";
    assert_int_equal(rdsiam_token_params_check(&p, &err),
                     RDSIAM_ERR_REGION_INVALID);
    p = p1_params();
    p.port = 0;
    assert_int_equal(rdsiam_token_params_check(&p, &err),
                     RDSIAM_ERR_PORT_RANGE);
    assert_string_equal(err.message, "port must be between 1 and 65535");
    p.port = 5432;
    p.username = "";
    assert_int_equal(rdsiam_token_params_check(&p, &err),
                     RDSIAM_ERR_USERNAME_EMPTY);
    p = p1_params();
    p.hostname = "https://db";
    assert_int_equal(rdsiam_token_params_check(&p, &err),
                     RDSIAM_ERR_HOSTNAME_SCHEME);
    rdsiam_token_free(NULL);
    p = p1_params();

    /* empty session token means none (botocore does the same) */
    {
        rdsiam_credentials c = {AKID, SECRET, "", 0};
        p = p1_params();
        assert_int_equal(rdsiam_generate_token_ex(&p, &c, buf, sizeof buf,
                                                  NULL, NULL),
                         RDSIAM_OK);
        assert_null(strstr(buf, "Security-Token"));
    }
}

/* The clock seam gives "now" when signing_time is 0. */
static void test_signing_time_now(void **state)
{
    rdsiam_token_params p = p1_params();
    char a[2048], b[2048];

    (void)state;
    clock_value = 1704164645;
    rdsiam__sys_set_clock(fixed_clock, NULL);
    p.signing_time = 0;
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, a, sizeof a), 0);
    rdsiam__sys_set_clock(NULL, NULL);
    assert_string_equal(a, P1);
    p.signing_time = 1704164645;
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, b, sizeof b), 0);
    assert_string_equal(a, b);
}

/* ------------------------------------------------------------------------ */
/* Bad input                                                                 */
/* ------------------------------------------------------------------------ */

/* Generate with a buffer pre-filled with 'X': must fail with `code`,
 * err naming `word` without any secret, and buf holding "". */
static void expect_rds_bad(const rdsiam_token_params *p,
                           const rdsiam_credentials *c, int code,
                           const char *word)
{
    char buf[4096];
    rdsiam_error err;
    size_t needed = 12345;
    int rc;

    memset(buf, 'X', sizeof buf);
    memset(&err, 0, sizeof err);
    rc = rdsiam_generate_token_ex(p, c, buf, sizeof buf, &needed, &err);
    if (rc != code)
        fail_msg("got %d (%s), want %d (%s)", rc, err.message, code, word);
    assert_int_equal(err.code, code);
    if (!strstr(err.message, word))
        fail_msg("message '%s' does not name '%s'", err.message, word);
    assert_null(strstr(err.message, SECRET));
    assert_null(strstr(err.message, TOKEN));
    assert_string_equal(buf, "");
    assert_int_equal(needed, 0);
    assert_string_not_equal(rdsiam_strerror(code), "unknown error");
    /* the simple call agrees */
    memset(buf, 'X', sizeof buf);
    assert_int_equal(rdsiam_generate_token(p, c, buf, sizeof buf), code);
    assert_string_equal(buf, "");
}

static void test_bad_null_and_empty(void **state)
{
    rdsiam_token_params p;
    rdsiam_credentials c;
    char buf[64];
    rdsiam_error err;

    (void)state;
    expect_rds_bad(NULL, &P1_CREDS, RDSIAM_ERR_NULL_ARGUMENT, "parameters");
    p = p1_params();
    expect_rds_bad(&p, NULL, RDSIAM_ERR_CREDENTIALS_NULL, "credentials");
    p.hostname = NULL;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_HOSTNAME_EMPTY, "hostname");
    p.hostname = "";
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_HOSTNAME_EMPTY, "hostname");
    p = p1_params();
    p.username = NULL;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_USERNAME_EMPTY, "username");
    p.username = "";
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_USERNAME_EMPTY, "username");
    p = p1_params();
    p.region = NULL;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_REGION_EMPTY, "region");
    p.region = "";
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_REGION_EMPTY, "region");
    p = p1_params();
    c = P1_CREDS;
    c.access_key_id = NULL;
    expect_rds_bad(&p, &c, RDSIAM_ERR_ACCESS_KEY_EMPTY, "access key id");
    c.access_key_id = "";
    expect_rds_bad(&p, &c, RDSIAM_ERR_ACCESS_KEY_EMPTY, "access key id");
    c.access_key_id = "AKID EXAMPLE";
    expect_rds_bad(&p, &c, RDSIAM_ERR_ACCESS_KEY_INVALID, "access key id");
    c = P1_CREDS;
    c.secret_access_key = NULL;
    expect_rds_bad(&p, &c, RDSIAM_ERR_SECRET_KEY_EMPTY, "secret access key");
    c.secret_access_key = "";
    expect_rds_bad(&p, &c, RDSIAM_ERR_SECRET_KEY_EMPTY, "secret access key");
    c.secret_access_key = SECRET "\n";
    expect_rds_bad(&p, &c, RDSIAM_ERR_SECRET_KEY_INVALID, "secret access key");
    c = P1_CREDS;
    c.session_token = TOKEN "\r\n";
    expect_rds_bad(&p, &c, RDSIAM_ERR_SESSION_TOKEN_INVALID, "session token");

    /* buf NULL with a size */
    p = p1_params();
    assert_int_equal(rdsiam_generate_token_ex(&p, &P1_CREDS, NULL, 10, NULL,
                                              &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_non_null(strstr(err.message, "buffer"));
    (void)buf;
}

static void test_bad_port(void **state)
{
    rdsiam_token_params p = p1_params();

    (void)state;
    p.port = 0;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_PORT_RANGE, "port");
    p.port = 65536;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_PORT_RANGE, "port");
    p.port = 4294967295u;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_PORT_RANGE, "port");
}

static void test_bad_region(void **state)
{
    static const char *const bad[] = {"US-east-1", "us_east_1", "us east 1",
                                      "us-east-1\n", "us-éast-1"};
    rdsiam_token_params p = p1_params();
    char longr[RDSIAM_REGION_MAX + 2];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p.region = bad[i];
        expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_REGION_INVALID, "region");
    }
    memset(longr, 'a', sizeof longr - 1);
    longr[sizeof longr - 1] = '\0';
    p.region = longr;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_REGION_INVALID, "region");
}

static void test_bad_hostname(void **state)
{
    static const struct {
        const char *h;
        int code;
    } bad[] = {
        {"https://db.example.com", RDSIAM_ERR_HOSTNAME_SCHEME},
        {"mysql://db.example.com", RDSIAM_ERR_HOSTNAME_SCHEME},
        {"db.example.com/mydb", RDSIAM_ERR_HOSTNAME_PATH},
        {"db.example.com?x=1", RDSIAM_ERR_HOSTNAME_PATH},
        {"db.example.com#frag", RDSIAM_ERR_HOSTNAME_PATH},
        {"db example.com", RDSIAM_ERR_HOSTNAME_INVALID},
        {" db.example.com", RDSIAM_ERR_HOSTNAME_INVALID},
        {"db.example.com\t", RDSIAM_ERR_HOSTNAME_INVALID},
        {"db.example.com\n", RDSIAM_ERR_HOSTNAME_INVALID},
        {"db\x01.example.com", RDSIAM_ERR_HOSTNAME_INVALID},
        {"db\x7f.example.com", RDSIAM_ERR_HOSTNAME_INVALID},
        {"db.example.com:3306", RDSIAM_ERR_HOSTNAME_INVALID},
        {"user@db.example.com", RDSIAM_ERR_HOSTNAME_INVALID},
        {"db.ex\xc3\xa4mple.com", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[::1", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[::g]", RDSIAM_ERR_HOSTNAME_INVALID},
        /* issue 11 item 6: only what inet_pton(AF_INET6) takes */
        {"[:::::]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[....]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[1:2:3:4:5:6:7:8:9]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[::1.2.3]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[12345::1]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[fe80::1%eth0]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[fe80::1%25eth0]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[]", RDSIAM_ERR_HOSTNAME_INVALID},
        {"[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:1]",
         RDSIAM_ERR_HOSTNAME_INVALID},
    };
    rdsiam_token_params p = p1_params();
    char longh[RDSIAM_HOSTNAME_MAX + 2];
    char buf[2048];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p.hostname = bad[i].h;
        expect_rds_bad(&p, &P1_CREDS, bad[i].code, "hostname");
    }
    memset(longh, 'a', sizeof longh - 1);
    longh[sizeof longh - 1] = '\0';
    p.hostname = longh;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_HOSTNAME_TOO_LONG, "hostname");
    /* 253 bytes and IP literals are fine */
    longh[RDSIAM_HOSTNAME_MAX] = '\0';
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    p.hostname = "[2001:db8::1]";
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    assert_true(strncmp(buf, "[2001:db8::1]:5432/?Action=connect&", 35) == 0);
    /* other valid forms: loopback, IPv4-mapped, full, uppercase hex */
    p.hostname = "[::1]";
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    p.hostname = "[::ffff:192.0.2.1]";
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    p.hostname = "[2001:DB8:0:0:0:0:0:1]";
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    p.hostname = "10.0.0.1";
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
}

static void test_bad_username(void **state)
{
    static const char *const bad_utf8[] = {
        "\xff",                  /* never valid */
        "user\xc3",              /* truncated 2-byte sequence */
        "\xc0\xaf",              /* overlong '/' */
        "\xc1\xbf",              /* overlong */
        "\xe0\x80\xaf",          /* overlong 3-byte '/' */
        "\xf0\x80\x80\xaf",      /* overlong 4-byte '/' */
        "\xed\xa0\x80",          /* surrogate U+D800 */
        "\xed\xbf\xbf",          /* surrogate U+DFFF */
        "\xf4\x90\x80\x80",      /* U+110000 */
        "\xf5\x80\x80\x80",      /* lead byte beyond U+10FFFF */
        "\x80user",              /* stray continuation byte */
        "\xe2\x82",              /* truncated 3-byte sequence */
    };
    rdsiam_token_params p = p1_params();
    char name[RDSIAM_USERNAME_MAX + 2];
    char buf[4096];

    (void)state;
    for (size_t i = 0; i < sizeof bad_utf8 / sizeof *bad_utf8; i++) {
        p.username = bad_utf8[i];
        expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_USERNAME_UTF8, "username");
    }
    memset(name, 'u', sizeof name - 1);
    name[sizeof name - 1] = '\0'; /* 513 bytes */
    p.username = name;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_USERNAME_TOO_LONG, "username");
    name[RDSIAM_USERNAME_MAX] = '\0'; /* 512 bytes: accepted */
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    /* U+10FFFF, U+FFFF and a 4-byte emoji are valid */
    p.username = "\xf4\x8f\xbf\xbf\xef\xbf\xbf\xf0\x9f\x98\x80";
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "&DBUser=%F4%8F%BF%BF%EF%BF%BF%F0%9F%98%80&"));
}

static void test_bad_time(void **state)
{
    rdsiam_token_params p = p1_params();
    char buf[2048];

    (void)state;
    p.signing_time = -1; /* 1969-12-31T23:59:59Z */
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");
    p.signing_time = INT64_MIN;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");
    p.signing_time = RDSIAM__TIME_MAX + 1; /* 10000-01-01T00:00:00Z */
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");
    p.signing_time = INT64_MAX;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");
    /* a clock before 1970 is refused the same way */
    clock_value = -86400;
    rdsiam__sys_set_clock(fixed_clock, NULL);
    p.signing_time = 0;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");
    rdsiam__sys_set_clock(NULL, NULL);
    /* the last second of 9999 is fine */
    p.signing_time = RDSIAM__TIME_MAX;
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "&X-Amz-Date=99991231T235959Z&"));
}

static void test_buffer_too_small(void **state)
{
    rdsiam_token_params p = p1_params();
    char buf[sizeof P1];
    size_t needed = 0;
    rdsiam_error err;

    (void)state;
    /* one byte short: no partial token, the exact size reported */
    memset(buf, 'X', sizeof buf);
    assert_int_equal(rdsiam_generate_token_ex(&p, &P1_CREDS, buf,
                                              sizeof P1 - 1, &needed, &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, sizeof P1);
    assert_string_equal(buf, "");
    assert_int_equal(err.code, RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_non_null(strstr(err.message, "buffer"));
    assert_null(strstr(err.message, SECRET));
    assert_null(strstr(err.message, TOKEN));
    for (size_t i = 1; i < sizeof P1 - 1; i++)
        assert_int_equal(buf[i], 'X');
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof P1 - 1),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(buf, "");

    /* size query: buf NULL and size 0 */
    needed = 0;
    assert_int_equal(rdsiam_generate_token_ex(&p, &P1_CREDS, NULL, 0, &needed,
                                              &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, sizeof P1);
    /* size 0 with a real buffer writes nothing at all */
    buf[0] = 'X';
    needed = 0;
    assert_int_equal(rdsiam_generate_token_ex(&p, &P1_CREDS, buf, 0, &needed,
                                              &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, sizeof P1);
    assert_int_equal(buf[0], 'X');
    /* a one-byte buffer holds "" */
    assert_int_equal(rdsiam_generate_token_ex(&p, &P1_CREDS, buf, 1, &needed,
                                              &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(buf, "");
}

static void test_dsql_bad_input(void **state)
{
    rdsiam_dsql_params p = {"peccy.dsql.us-east-1.on.aws", "us-east-1",
                            RDSIAM_DSQL_CONNECT, 0, 1724716800};
    rdsiam_credentials c = {AKID, SECRET, TOKEN, 0};
    char buf[2048];
    size_t needed = 0;
    rdsiam_error err;

    (void)state;
    /* expires_in 0 means 900 */
    assert_int_equal(rdsiam_generate_dsql_token(&p, &c, buf, sizeof buf,
                                                &needed, &err),
                     RDSIAM_OK);
    assert_non_null(strstr(buf, "&X-Amz-Expires=900&"));
    assert_int_equal(needed, strlen(buf) + 1);
    p.expires_in = 604800;
    assert_int_equal(rdsiam_generate_dsql_token(&p, &c, buf, sizeof buf, NULL,
                                                NULL),
                     RDSIAM_OK);
    assert_non_null(strstr(buf, "&X-Amz-Expires=604800&"));

    static const struct {
        int64_t expires;
        int action;
        const char *host;
        const char *region;
        int code;
        const char *word;
    } bad[] = {
        {604801, 0, NULL, NULL, RDSIAM_ERR_EXPIRES_RANGE, "expires_in"},
        {-1, 0, NULL, NULL, RDSIAM_ERR_EXPIRES_RANGE, "expires_in"},
        {900, 2, NULL, NULL, RDSIAM_ERR_DSQL_ACTION, "action"},
        {900, -1, NULL, NULL, RDSIAM_ERR_DSQL_ACTION, "action"},
        {900, 0, "", NULL, RDSIAM_ERR_HOSTNAME_EMPTY, "hostname"},
        {900, 0, "https://x.dsql.us-east-1.on.aws", NULL,
         RDSIAM_ERR_HOSTNAME_SCHEME, "hostname"},
        {900, 0, NULL, "US-EAST-1", RDSIAM_ERR_REGION_INVALID, "region"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rdsiam_dsql_params q = p;
        q.expires_in = bad[i].expires;
        q.action = (rdsiam_dsql_action)bad[i].action;
        if (bad[i].host)
            q.hostname = bad[i].host;
        if (bad[i].region)
            q.region = bad[i].region;
        memset(buf, 'X', sizeof buf);
        assert_int_equal(rdsiam_generate_dsql_token(&q, &c, buf, sizeof buf,
                                                    &needed, &err),
                         bad[i].code);
        assert_non_null(strstr(err.message, bad[i].word));
        assert_null(strstr(err.message, SECRET));
        assert_string_equal(buf, "");
    }
    assert_int_equal(rdsiam_generate_dsql_token(NULL, &c, buf, sizeof buf,
                                                NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_generate_dsql_token(&p, NULL, buf, sizeof buf,
                                                NULL, &err),
                     RDSIAM_ERR_CREDENTIALS_NULL);
    /* one byte short */
    p.expires_in = 0;
    assert_int_equal(rdsiam_generate_dsql_token(&p, &c, NULL, 0, &needed, &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    memset(buf, 'X', sizeof buf);
    assert_int_equal(rdsiam_generate_dsql_token(&p, &c, buf, needed - 1, NULL,
                                                &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(buf, "");
}

/* ------------------------------------------------------------------------ */
/* The thread's cached token                                                 */
/* ------------------------------------------------------------------------ */

/* A token from either entry point; kind 0: RDS, 1: DSQL DbConnect with the
 * default expiry, 2: DSQL DbConnectAdmin for an hour. */
typedef struct shape {
    int kind;
    rdsiam_token_params p;
    rdsiam_credentials c;
} shape;

static int sign_shape(const shape *sh, int64_t t, char *buf, size_t n,
                      size_t *needed)
{
    rdsiam_token_params p = sh->p;
    rdsiam_dsql_params d = {.hostname = sh->p.hostname,
                            .region = sh->p.region,
                            .action = sh->kind == 2 ? RDSIAM_DSQL_CONNECT_ADMIN
                                                    : RDSIAM_DSQL_CONNECT,
                            .expires_in = sh->kind == 2 ? 3600 : 0,
                            .signing_time = t};

    p.signing_time = t;
    if (sh->kind)
        return rdsiam_generate_dsql_token(&d, &sh->c, buf, n, needed, NULL);
    return rdsiam_generate_token_ex(&p, &sh->c, buf, n, needed, NULL);
}

/*
 * A token signed from the cached one (same inputs, another second of the
 * same day, or another day) equals the one an empty cache gives, for the
 * shapes the cache keeps and those it does not (a user and session token
 * too long for it: written in one pass). The size query agrees too.
 */
static void test_cached_token_equals_cold(void **state)
{
    static char longuser[513], bigtok[3001], midtok[1001];
    static const int64_t dt[] = {0,         1,         59, 3599, 86399 - 10800,
                                 86400 + 7, -86400 + 3};
    shape shapes[8];
    char hot[16384], cold[16384];
    size_t n = 0, need;

    (void)state;
    /* 256 x U+00E9: 512 bytes, 1,536 once encoded */
    for (size_t i = 0; i < 512; i += 2)
        memcpy(longuser + i, "\xc3\xa9", 2);
    /* '/' is encoded as %2F: 3,000 bytes become 9,000 */
    memset(bigtok, '/', 3000);
    for (size_t i = 0; i < 1000; i++)
        midtok[i] = "AQoD+/Yx="[i % 9];
    shapes[n++] = (shape){0, p1_params(), P1_CREDS};
    shapes[n++] = (shape){0, p1_params(), {AKID, SECRET, NULL, 0}};
    shapes[n++] = (shape){0, p1_params(), {AKID, SECRET, midtok, 0}};
    shapes[n] = (shape){0, p1_params(), P1_CREDS};
    shapes[n].p.hostname = "MyDB.Example.COM";
    shapes[n++].p.port = 443;
    shapes[n] = (shape){0, p1_params(), {AKID, SECRET, bigtok, 0}};
    shapes[n++].p.username = longuser;
    shapes[n++] = (shape){1, p1_params(), {AKID, SECRET, NULL, 0}};
    shapes[n++] = (shape){2, p1_params(), P1_CREDS};
    shapes[n] = (shape){1, p1_params(), {AKID, SECRET, midtok, 0}};
    shapes[n++].p.hostname = "abcdefghijklmnopqrst.dsql.us-east-1.on.aws";

    for (size_t i = 0; i < n; i++) {
        rdsiam_cache_wipe();
        for (size_t k = 0; k < sizeof dt / sizeof *dt; k++) {
            int64_t t = 1704164645 + dt[k];

            /* warm: the cache holds this shape at the previous time */
            assert_int_equal(sign_shape(&shapes[i], t, hot, sizeof hot, &need),
                             RDSIAM_OK);
            assert_int_equal(need, strlen(hot) + 1);
            need = 0;
            assert_int_equal(sign_shape(&shapes[i], t + 1, NULL, 0, &need),
                             RDSIAM_ERR_BUFFER_TOO_SMALL);
            assert_int_equal(need, strlen(hot) + 1);
            rdsiam_cache_wipe();
            assert_int_equal(sign_shape(&shapes[i], t, cold, sizeof cold, NULL),
                             RDSIAM_OK);
            assert_string_equal(hot, cold);
        }
    }
    /* botocore-derived.json P1, signed from a cache warmed a day earlier */
    assert_int_equal(
        sign_shape(&shapes[0], 1704164645 - 86400, hot, sizeof hot, NULL),
        RDSIAM_OK);
    assert_int_equal(
        sign_shape(&shapes[0], 1704164645 + 9, hot, sizeof hot, NULL),
        RDSIAM_OK);
    assert_int_equal(sign_shape(&shapes[0], 1704164645, hot, sizeof hot, NULL),
                     RDSIAM_OK);
    assert_string_equal(hot, P1);
}

/* The verifier's way (no cache, one pass) gives P1 too, whatever the
 * thread's cache holds. */
static void test_uncached_presign(void **state)
{
    rdsiam__presign_spec s;
    char buf[sizeof P1];
    size_t need = 0;

    (void)state;
    memset(&s, 0, sizeof s);
    s.host = "mydb.123456789012.us-west-2.rds.amazonaws.com";
    s.host_len = strlen(s.host);
    s.port = 5432;
    s.action = "connect";
    s.action_len = 7;
    s.user = "db user@corp+x/y~.-_";
    s.user_len = strlen(s.user);
    s.user_key = "DBUser";
    s.user_key_len = 6;
    s.service = "rds-db";
    s.service_len = 6;
    s.region = "us-west-2";
    s.region_len = 9;
    s.expires = 900;
    s.time = 1704164645;
    s.no_cache = true;
    s.akid_len = strlen(AKID);
    s.secret_len = strlen(SECRET);
    s.tok_len = strlen(TOKEN);
    rdsiam_cache_wipe();
    assert_int_equal(rdsiam__presign(&s, &P1_CREDS, NULL, 0, &need),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(need, sizeof P1);
    assert_int_equal(rdsiam__presign(&s, &P1_CREDS, buf, sizeof buf, NULL),
                     RDSIAM_OK);
    assert_string_equal(buf, P1);
    /* with the cache warm with these very inputs */
    {
        rdsiam_token_params p = p1_params();
        char warm[sizeof P1];
        assert_int_equal(
            rdsiam_generate_token(&p, &P1_CREDS, warm, sizeof warm), RDSIAM_OK);
    }
    memset(buf, 0, sizeof buf);
    assert_int_equal(rdsiam__presign(&s, &P1_CREDS, buf, sizeof buf, NULL),
                     RDSIAM_OK);
    assert_string_equal(buf, P1);
}

/*
 * An input equal to the cached token's is not checked again; one that
 * differs, even by a byte past a common prefix or by one byte of a secret
 * of the same length, is, with its own code. After each failure the cache
 * still signs P1 (botocore-derived.json).
 */
static void test_cached_inputs_rechecked(void **state)
{
    char secret[sizeof SECRET], tok[sizeof TOKEN], host[128], buf[1024];
    rdsiam_token_params p;
    rdsiam_credentials c;

    (void)state;
    p = p1_params();
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf),
                     RDSIAM_OK);
    assert_string_equal(buf, P1);

    snprintf(host, sizeof host, "%s ", p.hostname);
    p.hostname = host;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_HOSTNAME_INVALID, "hostname");
    snprintf(host, sizeof host, "%.20s/x", p1_params().hostname);
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_HOSTNAME_PATH, "hostname");
    p = p1_params();
    p.port = 0;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_PORT_RANGE, "port");
    assert_int_equal(rdsiam_token_params_check(&p, NULL),
                     RDSIAM_ERR_PORT_RANGE);
    p = p1_params();
    p.username = "db user@corp+x/y~.-_\xff";
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_USERNAME_UTF8, "UTF-8");
    assert_int_equal(rdsiam_token_params_check(&p, NULL),
                     RDSIAM_ERR_USERNAME_UTF8);
    p = p1_params();
    p.region = "us-west-2\n";
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_REGION_INVALID, "region");
    assert_int_equal(rdsiam_token_params_check(&p, NULL),
                     RDSIAM_ERR_REGION_INVALID);
    p.region = "us-west-";
    assert_int_equal(rdsiam_token_params_check(&p, NULL), RDSIAM_OK);

    p = p1_params();
    c = P1_CREDS;
    c.access_key_id = AKID " ";
    expect_rds_bad(&p, &c, RDSIAM_ERR_ACCESS_KEY_INVALID, "access key id");
    c = P1_CREDS;
    memcpy(secret, SECRET, sizeof secret);
    secret[sizeof secret - 2] = ' '; /* same length, one byte differs */
    c.secret_access_key = secret;
    expect_rds_bad(&p, &c, RDSIAM_ERR_SECRET_KEY_INVALID, "secret access key");
    c = P1_CREDS;
    memcpy(tok, TOKEN, sizeof tok);
    tok[0] = '\t';
    c.session_token = tok;
    expect_rds_bad(&p, &c, RDSIAM_ERR_SESSION_TOKEN_INVALID, "session token");
    expect_rds_bad(&p, NULL, RDSIAM_ERR_CREDENTIALS_NULL, "credentials");
    /* a bad time with every other input cached */
    p.signing_time = -5;
    expect_rds_bad(&p, &P1_CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");

    p = p1_params();
    assert_int_equal(rdsiam_generate_token(&p, &P1_CREDS, buf, sizeof buf),
                     RDSIAM_OK);
    assert_string_equal(buf, P1);
    /* and the DSQL entry point checks what its cache has not seen */
    {
        rdsiam_dsql_params d = {.hostname = p.hostname,
                                .region = "us west",
                                .signing_time = p.signing_time};
        assert_int_equal(rdsiam_generate_dsql_token(&d, &P1_CREDS, buf,
                                                    sizeof buf, NULL, NULL),
                         RDSIAM_ERR_REGION_INVALID);
    }
}

/* ------------------------------------------------------------------------ */
/* Wipes of the signing-key cache, proved through the wipe observer         */
/* ------------------------------------------------------------------------ */

/* A secret no other test uses: the cache keeps a copy of it. */
static const char MARK_SECRET[] = "wipeMarkerSecret/0123456789abcdefghijKLMN";

typedef struct wipe_seen {
    int fd;     /* >= 0: report to this pipe */
    int count;  /* wipes of a region holding MARK_SECRET */
} wipe_seen;

static void observe(const void *p, size_t n, void *ctx)
{
    wipe_seen *w = ctx;
    size_t m = sizeof MARK_SECRET - 1;

    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp((const char *)p + i, MARK_SECRET, m) == 0) {
            w->count++;
            if (w->fd >= 0 && write(w->fd, "wiped\n", 6) != 6)
                _exit(3);
            return;
        }
    }
}

static void sign_with_mark(void)
{
    rdsiam_credentials c = {"AKIDEXAMPLE00000", MARK_SECRET, NULL, 0};
    rdsiam_token_params p = p1_params();
    char buf[2048];

    assert_int_equal(rdsiam_generate_token(&p, &c, buf, sizeof buf),
                     RDSIAM_OK);
}

/* rdsiam_cache_wipe() wipes the region that holds the cached secret. */
static void test_cache_wipe_observed(void **state)
{
    wipe_seen w = {-1, 0};

    (void)state;
    sign_with_mark();
    rdsiam__set_wipe_observer(observe, &w);
    rdsiam_cache_wipe();
    rdsiam__set_wipe_observer(NULL, NULL);
    assert_int_equal(w.count, 1);
    /* and nothing is left to wipe a second time */
    w.count = 0;
    rdsiam__set_wipe_observer(observe, &w);
    rdsiam_cache_wipe();
    rdsiam__set_wipe_observer(NULL, NULL);
    assert_int_equal(w.count, 0);
}

/* exit() in the main thread runs no thread-key destructor: the library's
 * exit handler must wipe the main thread's cache. A child signs, then
 * calls exit(); the observer reports the wipe through a pipe. */
static void test_cache_wiped_at_exit(void **state)
{
    int fds[2], status = 0;
    char got[16] = {0};
    ssize_t n;
    pid_t pid;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static wipe_seen w;
        close(fds[0]);
        sign_with_mark();
        w.fd = fds[1];
        rdsiam__set_wipe_observer(observe, &w);
        exit(0); /* no rdsiam_cache_wipe(): the exit handler must do it */
    }
    close(fds[1]);
    n = read(fds[0], got, sizeof got - 1);
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(n, 6);
    assert_string_equal(got, "wiped\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rds_known_answers),
        cmocka_unit_test(test_cache_wipe_observed),
        cmocka_unit_test(test_cache_wiped_at_exit),
        cmocka_unit_test(test_botocore_derived),
        cmocka_unit_test(test_dsql_known_answers),
        cmocka_unit_test(test_sizes_and_variants),
        cmocka_unit_test(test_signing_time_now),
        cmocka_unit_test(test_bad_null_and_empty),
        cmocka_unit_test(test_bad_port),
        cmocka_unit_test(test_bad_region),
        cmocka_unit_test(test_bad_hostname),
        cmocka_unit_test(test_bad_username),
        cmocka_unit_test(test_bad_time),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_dsql_bad_input),
        cmocka_unit_test(test_cached_token_equals_cold),
        cmocka_unit_test(test_uncached_presign),
        cmocka_unit_test(test_cached_inputs_rechecked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
