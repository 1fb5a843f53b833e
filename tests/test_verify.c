/*
 * test_verify.c - rdsiam_keystore_load(), rdsiam_verify_token() and
 * rdsiam_verify_service_token().
 *
 * Tokens are made with rdsiam_generate_token() (byte-identical to
 * botocore's generate_db_auth_token, checked by the token tests), then
 * verified as is or edited by hand; each case asserts the exact code the
 * first failing check returns (the order is documented in lib/verify.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"
#include "rdsiam.h"

#define HOST "mydb.abc123.us-east-1.rds.amazonaws.com"
#define PORT 3306
#define USER "jane_doe"
#define REGION "us-east-1"
#define AKID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define AKID2 "ASIAQXAMPLEQXAMPLEQX"
#define SECRET2 "qVdyD1tkZ3G0EXAMPLEQXAMPLEQXAMPLE+/a=bcd"
#define T0 INT64_C(1700000000) /* 2023-11-14T22:13:20Z */

/* A session token shaped like STS's: long base64 with + / =. */
static char session[1600];

static char keyfile[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static rdsiam_keystore *load(const char *text)
{
    rdsiam_keystore *ks = NULL;
    rdsiam_error err;
    int fd;

    snprintf(keyfile, sizeof keyfile, "/tmp/test_verify_XXXXXX");
    fd = mkstemp(keyfile);
    assert_true(fd >= 0);
    close(fd);
    write_file(keyfile, text);
    assert_int_equal(rdsiam_keystore_load(keyfile, &ks, &err), RDSIAM_OK);
    unlink(keyfile);
    return ks;
}

/* The default store: a long-term key and a temporary key with a token. */
static rdsiam_keystore *default_store(void)
{
    char text[2048];
    snprintf(text, sizeof text, "# test keys\n%s %s\n\n%s %s %s\n", AKID,
             SECRET, AKID2, SECRET2, session);
    return load(text);
}

static void make_token(char *buf, size_t size, const char *host,
                       unsigned int port, const char *user, const char *region,
                       int64_t t, const char *akid, const char *secret,
                       const char *tok)
{
    rdsiam_token_params p = {.hostname = host,
                             .port = port,
                             .username = user,
                             .region = region,
                             .signing_time = t};
    rdsiam_credentials c = {.access_key_id = akid,
                            .secret_access_key = secret,
                            .session_token = tok};
    assert_int_equal(rdsiam_generate_token(&p, &c, buf, size), RDSIAM_OK);
}

static void good_token(char *buf, size_t size)
{
    make_token(buf, size, HOST, PORT, USER, REGION, T0, AKID, SECRET, NULL);
}

static int verify_at(const char *token, int64_t now, rdsiam_error *err)
{
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_params vp = {.hostname = HOST,
                               .port = PORT,
                               .region = REGION,
                               .username = USER,
                               .now = now};
    int rc = rdsiam_verify_token(token, strlen(token), &vp, ks, err);
    /* The message never quotes a secret or the token. */
    assert_null(strstr(err->message, SECRET));
    assert_null(strstr(err->message, "X-Amz-Signature="));
    assert_int_equal(err->code, rc);
    rdsiam_keystore_free(ks);
    return rc;
}

static int verify(const char *token)
{
    rdsiam_error err;
    return verify_at(token, T0 + 60, &err);
}

/* Replace the first occurrence of from by to (in place, buf large). */
static void edit(char *buf, size_t size, const char *from, const char *to)
{
    char *p = strstr(buf, from);
    size_t fl = strlen(from), tl = strlen(to), rest;

    assert_non_null(p);
    rest = strlen(p + fl);
    assert_true(strlen(buf) - fl + tl < size);
    memmove(p + tl, p + fl, rest + 1);
    memcpy(p, to, tl);
}

static void t_accept_fresh(void **st)
{
    char tok[2048];
    rdsiam_error err;
    (void)st;
    good_token(tok, sizeof tok);
    assert_int_equal(verify_at(tok, T0 + 60, &err), RDSIAM_OK);
    assert_string_equal(err.message, "");
    /* Signed this very second. */
    assert_int_equal(verify_at(tok, T0, &err), RDSIAM_OK);
}

static void t_expiry_bounds(void **st)
{
    char tok[2048];
    rdsiam_error err;
    (void)st;
    good_token(tok, sizeof tok);
    /* Valid for X-Amz-Expires (900) seconds, the last one included. */
    assert_int_equal(verify_at(tok, T0 + 900, &err), RDSIAM_OK);
    assert_int_equal(verify_at(tok, T0 + 901, &err), RDSIAM_ERR_TOKEN_EXPIRED);
    assert_non_null(strstr(err.message, "expired 1 s ago"));
    /* Dated ahead of the server clock: 300 s tolerated by default. */
    assert_int_equal(verify_at(tok, T0 - 300, &err), RDSIAM_OK);
    assert_int_equal(verify_at(tok, T0 - 301, &err), RDSIAM_ERR_TOKEN_FUTURE);
}

static void t_max_future(void **st)
{
    char tok[2048];
    rdsiam_error err;
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_params vp = {.hostname = HOST,
                               .port = PORT,
                               .region = REGION,
                               .username = USER,
                               .now = T0 - 10,
                               .max_future = 5};
    (void)st;
    good_token(tok, sizeof tok);
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, ks, &err),
                     RDSIAM_ERR_TOKEN_FUTURE);
    vp.max_future = 10;
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, ks, &err),
                     RDSIAM_OK);
    rdsiam_keystore_free(ks);
}

/* A shorter X-Amz-Expires, re-signed: valid for that long only. */
static void t_short_expires(void **st)
{
    char tok[2048];
    rdsiam_credentials c = {.access_key_id = AKID, .secret_access_key = SECRET};
    rdsiam__presign_spec s;
    rdsiam_error err;
    (void)st;
    memset(&s, 0, sizeof s);
    s.host = HOST;
    s.host_len = strlen(HOST);
    s.port = PORT;
    s.action = "connect";
    s.action_len = 7;
    s.user = USER;
    s.user_len = strlen(USER);
    s.user_key = "DBUser";
    s.user_key_len = 6;
    s.service = "rds-db";
    s.service_len = 6;
    s.region = REGION;
    s.region_len = strlen(REGION);
    s.expires = 60;
    s.time = T0;
    s.akid_len = strlen(AKID);
    s.secret_len = strlen(SECRET);
    assert_int_equal(rdsiam__presign(&s, &c, tok, sizeof tok, NULL), RDSIAM_OK);
    assert_non_null(strstr(tok, "&X-Amz-Expires=60&"));
    assert_int_equal(verify_at(tok, T0 + 60, &err), RDSIAM_OK);
    assert_int_equal(verify_at(tok, T0 + 61, &err), RDSIAM_ERR_TOKEN_EXPIRED);
}

static void t_wrong_secret(void **st)
{
    char tok[2048];
    (void)st;
    make_token(tok, sizeof tok, HOST, PORT, USER, REGION, T0, AKID,
               "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz", NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_SIGNATURE);
}

static void t_unknown_key(void **st)
{
    char tok[2048];
    (void)st;
    make_token(tok, sizeof tok, HOST, PORT, USER, REGION, T0,
               "AKIAOTHERKEY00000000", SECRET, NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_UNKNOWN_KEY);
}

static void t_claims(void **st)
{
    char tok[2048];
    (void)st;
    make_token(tok, sizeof tok, HOST, PORT, "john_doe", REGION, T0, AKID,
               SECRET, NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_USER);
    /* A user name that is a prefix of the login user's. */
    make_token(tok, sizeof tok, HOST, PORT, "jane", REGION, T0, AKID, SECRET,
               NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_USER);
    make_token(tok, sizeof tok, "other.example.com", PORT, USER, REGION, T0,
               AKID, SECRET, NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_HOST);
    make_token(tok, sizeof tok, HOST, 3307, USER, REGION, T0, AKID, SECRET,
               NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_HOST);
    make_token(tok, sizeof tok, HOST, PORT, USER, "us-west-2", T0, AKID, SECRET,
               NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_REGION);
    make_token(tok, sizeof tok, HOST, PORT, USER, REGION, T0 - 3600, AKID,
               SECRET, NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_EXPIRED);
    make_token(tok, sizeof tok, HOST, PORT, USER, REGION, T0 + 3600, AKID,
               SECRET, NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_FUTURE);
}

/* botocore signs the host lowercased, so the printed case is free. */
static void t_host_case(void **st)
{
    char tok[2048];
    (void)st;
    make_token(tok, sizeof tok, "MyDB.ABC123.us-east-1.RDS.amazonaws.com", PORT,
               USER, REGION, T0, AKID, SECRET, NULL);
    assert_int_equal(verify(tok), RDSIAM_OK);
}

static void t_tampered_signature(void **st)
{
    char tok[2048];
    size_t n;
    (void)st;
    good_token(tok, sizeof tok);
    n = strlen(tok);
    tok[n - 1] = tok[n - 1] == '0' ? '1' : '0';
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_SIGNATURE);
    good_token(tok, sizeof tok);
    tok[n - 64] = tok[n - 64] == 'a' ? 'b' : 'a';
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_SIGNATURE);
}

/* Each parameter changed after signing: caught by the check that owns it,
 * or by the signature. */
static void t_tampered_params(void **st)
{
    static const struct {
        const char *from, *to;
        int code;
    } cases[] = {
        {"Action=connect", "Action=connecT", RDSIAM_ERR_TOKEN_ACTION},
        {"Action=connect", "Action=DbConnect", RDSIAM_ERR_TOKEN_ACTION},
        {"DBUser=jane_doe", "DBUser=jane_dof", RDSIAM_ERR_TOKEN_USER},
        {"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512",
         RDSIAM_ERR_TOKEN_MALFORMED},
        {"AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLF",
         RDSIAM_ERR_TOKEN_UNKNOWN_KEY},
        {"%2F20231114%2F", "%2F20231115%2F", RDSIAM_ERR_TOKEN_MALFORMED},
        {"%2Fus-east-1%2F", "%2Fus-east-2%2F", RDSIAM_ERR_TOKEN_REGION},
        {"%2Frds-db%2F", "%2Fdsql%2F", RDSIAM_ERR_TOKEN_SERVICE},
        {"aws4_request", "aws4_requesT", RDSIAM_ERR_TOKEN_MALFORMED},
        {"X-Amz-Date=20231114T221320Z", "X-Amz-Date=20231114T221321Z",
         RDSIAM_ERR_TOKEN_SIGNATURE},
        {"X-Amz-Expires=900", "X-Amz-Expires=899", RDSIAM_ERR_TOKEN_SIGNATURE},
        {"X-Amz-Expires=900", "X-Amz-Expires=901", RDSIAM_ERR_TOKEN_MALFORMED},
        {"X-Amz-Expires=900", "X-Amz-Expires=0", RDSIAM_ERR_TOKEN_MALFORMED},
        {"X-Amz-Expires=900", "X-Amz-Expires=0900", RDSIAM_ERR_TOKEN_MALFORMED},
        {"X-Amz-Expires=900", "X-Amz-Expires=+900", RDSIAM_ERR_TOKEN_MALFORMED},
        {"X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx-amz-date",
         RDSIAM_ERR_TOKEN_MALFORMED},
        {":3306/", ":03306/", RDSIAM_ERR_TOKEN_MALFORMED},
        {":3306/", ":3307/", RDSIAM_ERR_TOKEN_HOST},
        {"mydb.", "mydc.", RDSIAM_ERR_TOKEN_HOST},
    };
    char tok[2048];
    (void)st;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        good_token(tok, sizeof tok);
        edit(tok, sizeof tok, cases[i].from, cases[i].to);
        print_message("case %zu: %s -> %s\n", i, cases[i].from, cases[i].to);
        assert_int_equal(verify(tok), cases[i].code);
    }
}

/* The server side of SigV4 signs what it decoded, re-encoded canonically:
 * an unreserved character sent escaped, or a lowercase escape, is the
 * same value. */
static void t_equivalent_escapes(void **st)
{
    char tok[2048];
    (void)st;
    good_token(tok, sizeof tok);
    edit(tok, sizeof tok, "DBUser=jane_doe", "DBUser=%6Aane_doe");
    assert_int_equal(verify(tok), RDSIAM_OK);
    good_token(tok, sizeof tok);
    edit(tok, sizeof tok, "%2F20231114", "%2f20231114");
    assert_int_equal(verify(tok), RDSIAM_OK);
}

static void t_structure(void **st)
{
    static const struct {
        const char *from, *to;
    } cases[] = {
        {"&DBUser=", "&DBUser=x&DBUser="}, /* duplicate */
        {"&X-Amz-Date=", "&X-Amz-Date=20231114T221320Z&X-Amz-Date="},
        {"&DBUser=", "&Foo=bar&DBUser="},                     /* unknown */
        {"&DBUser=", "&x-amz-date=20231114T221320Z&DBUser="}, /* case */
        {"&DBUser=", "&&DBUser="},                            /* empty pair */
        {"&DBUser=", "&DBUser&DBUser="},                      /* no '=' */
        {"DBUser=jane_doe", "DBUser=jane%G0doe"},             /* bad escape */
        {"DBUser=jane_doe", "DBUser=jane_doe%4"},
        {"DBUser=jane_doe", "DBUser=jane_doe%"},
        {"DBUser=jane_doe", "DBUser=jane%00doe"}, /* NUL */
        {"DBUser=jane_doe", "DBUser=jane+doe"},   /* raw reserved */
        {"DBUser=jane_doe", "DBUser=jane/doe"},
        {"&X-Amz-Expires=900", ""}, /* missing */
        {"Action=connect&", ""},
        {"&X-Amz-Signature=", "&X-Amz-Signature=A"}, /* uppercase hex */
        {"/?Action", "?Action"},                     /* no '/' */
        {":3306/", "/"},                             /* no port */
        {":3306/", ":65536/"},
        {"X-Amz-Date=20231114T221320Z", "X-Amz-Date=2023-11-14T22:13:20Z"},
        {"X-Amz-Date=20231114T221320Z", "X-Amz-Date=20231114T251320Z"},
        {"%2Faws4_request", "%2Faws4_request%2Fx"}, /* 6 parts */
    };
    char tok[2048];
    (void)st;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        good_token(tok, sizeof tok);
        edit(tok, sizeof tok, cases[i].from, cases[i].to);
        print_message("case %zu: %s -> %s\n", i, cases[i].from, cases[i].to);
        assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_MALFORMED);
    }
    good_token(tok, sizeof tok);
    edit(tok, sizeof tok, "DBUser=", "DBUser=jane doe");
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_MALFORMED);
    assert_int_equal(verify(""), RDSIAM_ERR_TOKEN_MALFORMED);
    assert_int_equal(verify("garbage"), RDSIAM_ERR_TOKEN_MALFORMED);
}

/* Every proper prefix of a token is refused. */
static void t_truncated(void **st)
{
    char tok[2048];
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_params vp = {.hostname = HOST,
                               .port = PORT,
                               .region = REGION,
                               .username = USER,
                               .now = T0};
    rdsiam_error err;
    size_t n;
    (void)st;
    good_token(tok, sizeof tok);
    n = strlen(tok);
    for (size_t len = 0; len < n; len++)
        assert_int_equal(rdsiam_verify_token(tok, len, &vp, ks, &err),
                         RDSIAM_ERR_TOKEN_MALFORMED);
    assert_int_equal(rdsiam_verify_token(tok, n, &vp, ks, &err), RDSIAM_OK);
    /* Not NUL-terminated: token_len is what counts. */
    tok[n] = 'x';
    assert_int_equal(rdsiam_verify_token(tok, n, &vp, ks, &err), RDSIAM_OK);
    rdsiam_keystore_free(ks);
}

static void t_session_token(void **st)
{
    char *tok = malloc(8192);
    char other[sizeof session];
    rdsiam_error err;
    (void)st;
    assert_non_null(tok);
    /* Matching, > 1 KB, with + / = escaped in the token. */
    make_token(tok, 8192, HOST, PORT, USER, REGION, T0, AKID2, SECRET2,
               session);
    assert_true(strlen(tok) > sizeof session);
    assert_int_equal(verify_at(tok, T0 + 1, &err), RDSIAM_OK);
    /* One character different. */
    memcpy(other, session, sizeof other);
    other[700] = other[700] == 'A' ? 'B' : 'A';
    make_token(tok, 8192, HOST, PORT, USER, REGION, T0, AKID2, SECRET2, other);
    assert_int_equal(verify_at(tok, T0 + 1, &err), RDSIAM_ERR_TOKEN_SESSION);
    assert_null(strstr(err.message, session));
    /* Shorter. */
    other[0] = '\0';
    memcpy(other, session, 1000);
    other[1000] = '\0';
    make_token(tok, 8192, HOST, PORT, USER, REGION, T0, AKID2, SECRET2, other);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_SESSION);
    /* Missing although the key requires one. */
    make_token(tok, 8192, HOST, PORT, USER, REGION, T0, AKID2, SECRET2, NULL);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_SESSION);
    /* Present although the key is long-term. */
    make_token(tok, 8192, HOST, PORT, USER, REGION, T0, AKID, SECRET, session);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_SESSION);
    /* Empty parameter value. */
    make_token(tok, 8192, HOST, PORT, USER, REGION, T0, AKID, SECRET, NULL);
    edit(tok, 8192,
         "&X-Amz-Signature=", "&X-Amz-Security-Token=&X-Amz-Signature=");
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_MALFORMED);
    free(tok);
}

static void t_bad_args(void **st)
{
    char tok[2048];
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_params vp = {.hostname = HOST,
                               .port = PORT,
                               .region = REGION,
                               .username = USER,
                               .now = T0};
    rdsiam_error err;
    (void)st;
    good_token(tok, sizeof tok);
    assert_int_equal(rdsiam_verify_token(NULL, 1, &vp, ks, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), NULL, ks, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    vp.port = 0;
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, ks, &err),
                     RDSIAM_ERR_PORT_RANGE);
    vp.port = PORT;
    vp.region = "US-EAST-1";
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, ks, &err),
                     RDSIAM_ERR_REGION_INVALID);
    vp.region = REGION;
    vp.username = "";
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, ks, &err),
                     RDSIAM_ERR_USERNAME_EMPTY);
    vp.username = USER;
    vp.max_future = -1;
    assert_int_equal(rdsiam_verify_token(tok, strlen(tok), &vp, ks, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    rdsiam_keystore_free(ks);
}

/* Key files: errors name the file and line, never a key. */
static int load_err(const char *text, rdsiam_error *err)
{
    rdsiam_keystore *ks = (rdsiam_keystore *)1;
    int fd, rc;

    snprintf(keyfile, sizeof keyfile, "/tmp/test_verify_XXXXXX");
    fd = mkstemp(keyfile);
    assert_true(fd >= 0);
    close(fd);
    write_file(keyfile, text);
    rc = rdsiam_keystore_load(keyfile, &ks, err);
    unlink(keyfile);
    assert_null(ks);
    assert_null(strstr(err->message, SECRET));
    assert_null(strstr(err->message, AKID));
    return rc;
}

static void t_keystore(void **st)
{
    rdsiam_error err;
    rdsiam_keystore *ks = NULL;
    char expect[128];
    char tok[2048];
    (void)st;

    /* Comments, indentation, tabs, CRLF and a missing final newline. */
    ks = load("  # keys\r\n\r\n\t" AKID "\t " SECRET " \r\n#x\n" AKID2
              " " SECRET2);
    rdsiam_keystore_free(ks);

    assert_int_equal(load_err("# only a comment\n", &err), RDSIAM_ERR_KEYFILE);
    assert_int_equal(load_err("", &err), RDSIAM_ERR_KEYFILE);
    assert_int_equal(load_err("# c\n" AKID "\n", &err), RDSIAM_ERR_KEYFILE);
    snprintf(expect, sizeof expect, "%s:2: ", keyfile);
    assert_memory_equal(err.message, expect, strlen(expect));
    assert_int_equal(load_err(AKID " " SECRET " tok extra\n", &err),
                     RDSIAM_ERR_KEYFILE);
    assert_non_null(strstr(err.message, ":1: "));
    assert_int_equal(
        load_err(AKID " " SECRET "\n\n" AKID " " SECRET2 "\n", &err),
        RDSIAM_ERR_KEYFILE);
    assert_non_null(strstr(err.message, ":3: access key id already given"));
    assert_int_equal(load_err(AKID " " SECRET "\x01\n", &err),
                     RDSIAM_ERR_KEYFILE);
    assert_int_equal(err.code, RDSIAM_ERR_KEYFILE);
    assert_int_equal(
        rdsiam_keystore_load("/nonexistent/rdsiam-keys", &ks, &err),
        RDSIAM_ERR_FILE_IO);
    assert_null(ks);
    assert_int_equal(rdsiam_keystore_load(NULL, &ks, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    rdsiam_keystore_free(NULL);

    /* A key loaded from a file verifies tokens signed with it. */
    good_token(tok, sizeof tok);
    assert_int_equal(verify(tok), RDSIAM_OK);
}

/*
 * Random single-byte changes (a fixed-seed generator, so runs repeat):
 * none crashes, each gives a defined code, and a changed token is
 * accepted only when the change was one of case (the host, or the hex
 * digits of a %XX escape), which changes nothing that is signed.
 */
static void t_mutations(void **st)
{
    char tok[2048], orig[2048];
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_params vp = {.hostname = HOST,
                               .port = PORT,
                               .region = REGION,
                               .username = USER,
                               .now = T0};
    rdsiam_error err;
    uint64_t x = 0x9e3779b97f4a7c15u;
    size_t n, accepted = 0;
    (void)st;
    good_token(orig, sizeof orig);
    n = strlen(orig);
    for (int i = 0; i < 20000; i++) {
        int rc;
        size_t pos;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(tok, orig, n + 1);
        pos = (size_t)(x % n);
        tok[pos] = (char)(0x20 + (x >> 32) % 0x5f);
        rc = rdsiam_verify_token(tok, n, &vp, ks, &err);
        assert_int_equal(err.code, rc);
        if (rc == RDSIAM_OK) {
            assert_int_equal(strcasecmp(tok, orig), 0);
            accepted++;
        } else {
            assert_true(rc <= RDSIAM_ERR_TOKEN_MALFORMED &&
                        rc >= RDSIAM_ERR_TOKEN_SESSION);
        }
    }
    /* Unchanged draws and case flips only: a handful of the 20000. */
    assert_true(accepted < 1000);
    rdsiam_keystore_free(ks);
}

/* ------------------------------------------------------------------------ */
/* ElastiCache, MemoryDB and MSK                                             */
/* ------------------------------------------------------------------------ */

#define CACHE "my-cache"
#define CUSER "iam-user-01"

/* Signers of the three kinds (made by the library, byte-identical to
 * botocore's: tests/check-botocore-services.sh). */
static void cache_token(char *buf, size_t size, rdsiam_service svc,
                        const char *name, const char *user, int serverless,
                        int64_t t, const char *akid, const char *secret,
                        const char *tok)
{
    rdsiam_cache_params p = {.name = name,
                             .username = user,
                             .region = REGION,
                             .serverless = serverless,
                             .signing_time = t};
    rdsiam_credentials c = {akid, secret, tok, 0};
    assert_int_equal(
        svc == RDSIAM_SERVICE_MEMORYDB
            ? rdsiam_generate_memorydb_token(&p, &c, buf, size, NULL, NULL)
            : rdsiam_generate_elasticache_token(&p, &c, buf, size, NULL, NULL),
        RDSIAM_OK);
}

static void msk_token(char *buf, size_t size, int serverless,
                      const char *region, int64_t t, const char *akid,
                      const char *secret, const char *tok)
{
    rdsiam_msk_params p = {.region = region,
                           .serverless = serverless,
                           .user_agent =
                               "aws-msk-iam-sasl-signer-go/1.0.1/go1.22",
                           .signing_time = t};
    rdsiam_credentials c = {akid, secret, tok, 0};
    assert_int_equal(
        rdsiam_generate_msk_token(&p, &c, buf, size, NULL, NULL, NULL),
        RDSIAM_OK);
}

static int verify_service_at(const char *token, rdsiam_service svc,
                             const char *name, const char *user, int serverless,
                             int64_t now, rdsiam_error *err)
{
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_service_params vp = {.service = svc,
                                       .name = name,
                                       .username = user,
                                       .region = REGION,
                                       .serverless = serverless,
                                       .now = now};
    int rc = rdsiam_verify_service_token(token, strlen(token), &vp, ks, err);
    assert_null(strstr(err->message, SECRET));
    assert_null(strstr(err->message, SECRET2));
    assert_null(strstr(err->message, "X-Amz-Signature="));
    assert_int_equal(err->code, rc);
    rdsiam_keystore_free(ks);
    return rc;
}

static int verify_ec(const char *token, const char *name, const char *user,
                     int serverless)
{
    rdsiam_error err;
    return verify_service_at(token, RDSIAM_SERVICE_ELASTICACHE, name, user,
                             serverless, T0 + 60, &err);
}

static int verify_msk(const char *token, int serverless)
{
    rdsiam_error err;
    return verify_service_at(token, RDSIAM_SERVICE_MSK, NULL, NULL, serverless,
                             T0 + 60, &err);
}

/* Base64url without padding, as an MSK token is (libcrypto's encoder). */
static void b64url(const char *url, char *out, size_t size)
{
    size_t n = strlen(url), o = 0;
    unsigned char *tmp = malloc(n / 3 * 4 + 8);
    int w;

    assert_non_null(tmp);
    w = EVP_EncodeBlock(tmp, (const unsigned char *)url, (int)n);
    for (int i = 0; i < w && tmp[i] != '='; i++) {
        assert_true(o + 1 < size);
        out[o++] = tmp[i] == '+' ? '-' : tmp[i] == '/' ? '_' : (char)tmp[i];
    }
    out[o] = '\0';
    free(tmp);
}

static void unb64url(const char *tok, char *out, size_t size)
{
    size_t n = strlen(tok), pad = (4 - n % 4) % 4;
    char *tmp = malloc(n + 4);
    int w;

    assert_non_null(tmp);
    for (size_t i = 0; i < n; i++)
        tmp[i] = tok[i] == '-' ? '+' : tok[i] == '_' ? '/' : tok[i];
    memset(tmp + n, '=', pad);
    assert_true((n + pad) / 4 * 3 < size);
    w = EVP_DecodeBlock((unsigned char *)out, (unsigned char *)tmp,
                        (int)(n + pad));
    assert_true(w >= (int)pad);
    out[(size_t)w - pad] = '\0';
    free(tmp);
}

static void t_service_accept(void **st)
{
    char tok[8192];
    rdsiam_error err;
    (void)st;
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID, SECRET, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0), RDSIAM_OK);
    /* names compare case-insensitively (the services lowercase them) */
    assert_int_equal(verify_ec(tok, "MY-Cache", CUSER, 0), RDSIAM_OK);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 1,
                T0, AKID2, SECRET2, session);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 1), RDSIAM_OK);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_MEMORYDB, "my-cluster", CUSER,
                0, T0, AKID2, SECRET2, session);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_MEMORYDB,
                                       "my-cluster", CUSER, 0, T0 + 60, &err),
                     RDSIAM_OK);
    assert_string_equal(err.message, "");
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_OK);
    msk_token(tok, sizeof tok, 1, REGION, T0, AKID2, SECRET2, session);
    assert_int_equal(verify_msk(tok, 1), RDSIAM_OK);
}

/* The refusals the issue names: expired, other user, other cache, signed
 * by another key; and the other claims. */
static void t_service_refusals(void **st)
{
    char tok[8192];
    rdsiam_error err;
    (void)st;
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID, SECRET, NULL);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_ELASTICACHE, CACHE,
                                       CUSER, 0, T0 + 900, &err),
                     RDSIAM_OK);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_ELASTICACHE, CACHE,
                                       CUSER, 0, T0 + 901, &err),
                     RDSIAM_ERR_TOKEN_EXPIRED);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_ELASTICACHE, CACHE,
                                       CUSER, 0, T0 - 301, &err),
                     RDSIAM_ERR_TOKEN_FUTURE);
    assert_int_equal(verify_ec(tok, CACHE, "iam-user-02", 0),
                     RDSIAM_ERR_TOKEN_USER);
    assert_int_equal(verify_ec(tok, "other-cache", CUSER, 0),
                     RDSIAM_ERR_TOKEN_HOST);
    /* a serverless cache and a replication group of the same name */
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 1), RDSIAM_ERR_TOKEN_HOST);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 1,
                T0, AKID, SECRET, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0), RDSIAM_ERR_TOKEN_HOST);
    edit(tok, sizeof tok, "ResourceType=ServerlessCache",
         "ResourceType=ServerlessCachf");
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 1), RDSIAM_ERR_TOKEN_HOST);
    /* signed by another key */
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID, SECRET2, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0),
                     RDSIAM_ERR_TOKEN_SIGNATURE);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, "AKIAOTHERKEYEXAMPLE1", SECRET, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0),
                     RDSIAM_ERR_TOKEN_UNKNOWN_KEY);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID2, SECRET2, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0), RDSIAM_ERR_TOKEN_SESSION);
    /* a changed user after signing */
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID, SECRET, NULL);
    edit(tok, sizeof tok, "User=iam-user-01", "User=iam-user-02");
    assert_int_equal(verify_ec(tok, CACHE, "iam-user-02", 0),
                     RDSIAM_ERR_TOKEN_SIGNATURE);
    /* MSK: region, serverless or not, expiry */
    msk_token(tok, sizeof tok, 0, "us-west-2", T0, AKID, SECRET, NULL);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_REGION);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    assert_int_equal(verify_msk(tok, 1), RDSIAM_ERR_TOKEN_HOST);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_MSK, NULL, NULL, 0,
                                       T0 + 901, &err),
                     RDSIAM_ERR_TOKEN_EXPIRED);
    msk_token(tok, sizeof tok, 1, REGION, T0, AKID, SECRET, NULL);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_HOST);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET2, NULL);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_SIGNATURE);
}

/* A token of one kind offered as another is refused. */
static void t_service_kinds(void **st)
{
    char tok[8192];
    rdsiam_error err;
    (void)st;
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_MEMORYDB, CACHE, CUSER, 0, T0,
                AKID, SECRET, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0), RDSIAM_ERR_TOKEN_SERVICE);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID, SECRET, NULL);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_MEMORYDB, CACHE,
                                       CUSER, 0, T0 + 60, &err),
                     RDSIAM_ERR_TOKEN_SERVICE);
    assert_int_equal(verify(tok), RDSIAM_ERR_TOKEN_MALFORMED); /* no port */
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_MALFORMED);
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 1,
                T0, AKID, SECRET, NULL);
    assert_int_equal(verify_service_at(tok, RDSIAM_SERVICE_MEMORYDB, CACHE,
                                       CUSER, 0, T0 + 60, &err),
                     RDSIAM_ERR_TOKEN_MALFORMED); /* ResourceType */
    good_token(tok, sizeof tok);
    assert_int_equal(verify_ec(tok, CACHE, USER, 0),
                     RDSIAM_ERR_TOKEN_MALFORMED);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    assert_int_equal(verify_ec(tok, CACHE, CUSER, 0),
                     RDSIAM_ERR_TOKEN_MALFORMED);
}

/* An MSK token's User-Agent is unsigned: AWS's Go signer sorts it among
 * the others, and it may be missing; other edits of the URL are caught. */
static void t_service_msk_url(void **st)
{
    char tok[8192], url[8192], *ua;
    (void)st;
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID2, SECRET2, session);
    unb64url(tok, url, sizeof url);
    ua = strstr(url, "&User-Agent=");
    assert_non_null(ua);
    *ua = '\0';
    b64url(url, tok, sizeof tok); /* no User-Agent */
    assert_int_equal(verify_msk(tok, 0), RDSIAM_OK);
    edit(url, sizeof url, "Action=kafka-cluster%3AConnect",
         "Action=kafka-cluster%3AConnect&User-Agent=aws-msk-iam-sasl-signer-"
         "go%2F1.0.1%2Fgo1.22");
    b64url(url, tok, sizeof tok); /* the Go signer's order */
    assert_int_equal(verify_msk(tok, 0), RDSIAM_OK);
    edit(url, sizeof url, "&User-Agent=", "&User-Agent=my+app&User-Agent=");
    b64url(url, tok, sizeof tok);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_MALFORMED);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    unb64url(tok, url, sizeof url);
    edit(url, sizeof url, "Action=kafka-cluster%3AConnect",
         "Action=kafka-cluster%3AconnecT");
    b64url(url, tok, sizeof tok);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_ACTION);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    unb64url(tok, url, sizeof url);
    edit(url, sizeof url, "https://", "http://");
    b64url(url, tok, sizeof tok);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_MALFORMED);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    memcpy(tok + strlen(tok), "=", 2);
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_MALFORMED);
    tok[strlen(tok) - 1] = '\0';
    tok[10] = '+';
    assert_int_equal(verify_msk(tok, 0), RDSIAM_ERR_TOKEN_MALFORMED);
}

/* Every prefix of an ElastiCache token is refused; an MSK token's up to
 * the end of its signature (what follows is the unsigned User-Agent). */
static void t_service_truncated(void **st)
{
    char tok[4096], url[4096];
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_service_params vp = {.service = RDSIAM_SERVICE_ELASTICACHE,
                                       .name = CACHE,
                                       .username = CUSER,
                                       .region = REGION,
                                       .now = T0};
    rdsiam_error err;
    size_t n;
    (void)st;
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 1,
                T0, AKID, SECRET, NULL);
    vp.serverless = 1;
    n = strlen(tok);
    for (size_t len = 0; len < n; len++)
        assert_int_equal(rdsiam_verify_service_token(tok, len, &vp, ks, &err),
                         RDSIAM_ERR_TOKEN_MALFORMED);
    assert_int_equal(rdsiam_verify_service_token(tok, n, &vp, ks, &err),
                     RDSIAM_OK);
    msk_token(tok, sizeof tok, 0, REGION, T0, AKID, SECRET, NULL);
    unb64url(tok, url, sizeof url);
    n = (size_t)(strstr(url, "&User-Agent=") - url) * 4 / 3;
    vp = (rdsiam_verify_service_params){
        .service = RDSIAM_SERVICE_MSK, .region = REGION, .now = T0};
    for (size_t len = 0; len < n; len++)
        assert_int_equal(rdsiam_verify_service_token(tok, len, &vp, ks, &err),
                         RDSIAM_ERR_TOKEN_MALFORMED);
    assert_int_equal(
        rdsiam_verify_service_token(tok, strlen(tok), &vp, ks, &err),
        RDSIAM_OK);
    rdsiam_keystore_free(ks);
}

static void t_service_bad_args(void **st)
{
    char tok[4096];
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_service_params vp = {.service = RDSIAM_SERVICE_ELASTICACHE,
                                       .name = CACHE,
                                       .username = CUSER,
                                       .region = REGION,
                                       .now = T0};
    rdsiam_verify_service_params bad;
    rdsiam_error err;
    size_t n;
    (void)st;
    cache_token(tok, sizeof tok, RDSIAM_SERVICE_ELASTICACHE, CACHE, CUSER, 0,
                T0, AKID, SECRET, NULL);
    n = strlen(tok);
    assert_int_equal(rdsiam_verify_service_token(NULL, n, &vp, ks, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_verify_service_token(tok, n, NULL, ks, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_verify_service_token(tok, n, &vp, NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    bad = vp;
    bad.service = (rdsiam_service)0;
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "service"));
    bad = vp;
    bad.region = "Us-East-1";
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_REGION_INVALID);
    bad = vp;
    bad.name = NULL;
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_RESOURCE_NAME);
    bad.name = "my.cache";
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_RESOURCE_NAME);
    bad = vp;
    bad.username = "";
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_USERNAME_EMPTY);
    bad = vp;
    bad.service = RDSIAM_SERVICE_MEMORYDB;
    bad.serverless = 1;
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    bad = vp;
    bad.service = RDSIAM_SERVICE_MSK;
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    bad = vp;
    bad.max_future = 86401;
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    bad = vp;
    bad.now = -1;
    assert_int_equal(rdsiam_verify_service_token(tok, n, &bad, ks, &err),
                     RDSIAM_ERR_TIME_RANGE);
    rdsiam_keystore_free(ks);
}

/* Random one-character changes: refused, except those that change
 * nothing signed (a letter's case in an ElastiCache name; in an MSK
 * token, the User-Agent or a host letter's case). */
static void t_service_mutations(void **st)
{
    char orig[2][4096], tok[4096], a[4096], b[4096];
    rdsiam_keystore *ks = default_store();
    rdsiam_verify_service_params vp[2] = {
        {.service = RDSIAM_SERVICE_ELASTICACHE,
         .name = CACHE,
         .username = CUSER,
         .region = REGION,
         .now = T0},
        {.service = RDSIAM_SERVICE_MSK, .region = REGION, .now = T0}};
    rdsiam_error err;
    uint64_t x = 0x9e3779b97f4a7c15u;
    size_t accepted = 0;
    (void)st;
    cache_token(orig[0], sizeof orig[0], RDSIAM_SERVICE_ELASTICACHE, CACHE,
                CUSER, 0, T0, AKID, SECRET, NULL);
    msk_token(orig[1], sizeof orig[1], 0, REGION, T0, AKID, SECRET, NULL);
    for (int i = 0; i < 20000; i++) {
        int k = i % 2, rc;
        size_t n = strlen(orig[k]), pos;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(tok, orig[k], n + 1);
        pos = (size_t)(x % n);
        tok[pos] = (char)(0x20 + (x >> 32) % 0x5f);
        rc = rdsiam_verify_service_token(tok, n, &vp[k], ks, &err);
        assert_int_equal(err.code, rc);
        if (rc != RDSIAM_OK) {
            assert_true(rc <= RDSIAM_ERR_TOKEN_MALFORMED &&
                        rc >= RDSIAM_ERR_TOKEN_SESSION);
            continue;
        }
        accepted++;
        if (k == 0) {
            assert_int_equal(strcasecmp(tok, orig[k]), 0);
            continue;
        }
        unb64url(tok, a, sizeof a);
        unb64url(orig[k], b, sizeof b);
        *strstr(b, "&User-Agent=") = '\0';
        assert_int_equal(strncasecmp(a, b, strlen(b)), 0);
    }
    assert_true(accepted < 2000);
    rdsiam_keystore_free(ks);
}

int main(void)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_accept_fresh),
        cmocka_unit_test(t_expiry_bounds),
        cmocka_unit_test(t_max_future),
        cmocka_unit_test(t_short_expires),
        cmocka_unit_test(t_wrong_secret),
        cmocka_unit_test(t_unknown_key),
        cmocka_unit_test(t_claims),
        cmocka_unit_test(t_host_case),
        cmocka_unit_test(t_tampered_signature),
        cmocka_unit_test(t_tampered_params),
        cmocka_unit_test(t_equivalent_escapes),
        cmocka_unit_test(t_structure),
        cmocka_unit_test(t_truncated),
        cmocka_unit_test(t_session_token),
        cmocka_unit_test(t_bad_args),
        cmocka_unit_test(t_keystore),
        cmocka_unit_test(t_mutations),
        cmocka_unit_test(t_service_accept),
        cmocka_unit_test(t_service_refusals),
        cmocka_unit_test(t_service_kinds),
        cmocka_unit_test(t_service_msk_url),
        cmocka_unit_test(t_service_truncated),
        cmocka_unit_test(t_service_bad_args),
        cmocka_unit_test(t_service_mutations),
    };
    for (size_t i = 0; i + 2 < sizeof session; i++)
        session[i] = b64[(i * 7 + 3) % 64];
    session[sizeof session - 2] = '=';
    session[sizeof session - 1] = '\0';
    return cmocka_run_group_tests(tests, NULL, NULL);
}
