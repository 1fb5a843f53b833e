/*
 * test_alloc.c - the token path allocates nothing on the heap once a
 * thread has generated its first token (issue: "No heap allocation per
 * token"), with or without a session token, directly or through a
 * provider with cached credentials; and the per-thread caches that make
 * that possible never change a token. malloc, calloc and realloc are
 * interposed in this program and counted around the calls under test;
 * nothing here measures time.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rdsiam.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static _Thread_local unsigned long allocs;

void *malloc(size_t n)
{
    allocs++;
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    allocs++;
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    allocs++;
    return __libc_realloc(p, n);
}

static const rdsiam_credentials CREDS = {
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    .session_token = "AQoDYXdzEPT//////////wEXAMPLE+token=",
};

static void rds_tokens_do_not_allocate(void **state)
{
    char buf[2048];
    rdsiam_token_params p = {.hostname = "mydb.123456789012.us-west-2.rds.amazonaws.com",
                             .port = 5432,
                             .username = "db user@corp+x/y~.-_",
                             .region = "us-west-2",
                             .signing_time = 1704164645};
    unsigned long before;

    (void)state;
    assert_int_equal(rdsiam_generate_token(&p, &CREDS, buf, sizeof buf),
                     RDSIAM_OK);
    before = allocs;
    for (int i = 0; i < 1000; i++) {
        p.signing_time = 1704164645 + i * 97; /* crosses a day boundary */
        assert_int_equal(rdsiam_generate_token(&p, &CREDS, buf, sizeof buf),
                         RDSIAM_OK);
    }
    assert_int_equal(allocs - before, 0);
    /* botocore-derived probe P1 (tests/vectors/rds-token/botocore-derived.json):
     * still the same token after the caches have been exercised. */
    p.signing_time = 1704164645;
    assert_int_equal(rdsiam_generate_token(&p, &CREDS, buf, sizeof buf),
                     RDSIAM_OK);
    assert_non_null(strstr(buf, "&X-Amz-Signature=ea3259227ca749fad5a64707b17a8d"
                                "3228701153e4b800d728c608cf2b37f6d5"));
}

static void cache_wipe_keeps_tokens_identical(void **state)
{
    char a[2048], b[2048];
    rdsiam_token_params p = {.hostname = "mydb.123456789012.us-west-2.rds.amazonaws.com",
                             .port = 5432,
                             .username = "db user@corp+x/y~.-_",
                             .region = "us-west-2",
                             .signing_time = 1704164645};

    (void)state;
    assert_int_equal(rdsiam_generate_token(&p, &CREDS, a, sizeof a), RDSIAM_OK);
    rdsiam_cache_wipe();
    assert_int_equal(rdsiam_generate_token(&p, &CREDS, b, sizeof b), RDSIAM_OK);
    assert_string_equal(a, b);
    rdsiam_cache_wipe();
    rdsiam_cache_wipe(); /* twice is harmless */
}

static void errors_do_not_allocate(void **state)
{
    char buf[64];
    rdsiam_error err;
    rdsiam_token_params p = {.hostname = "h.example.com", .port = 5432,
                             .username = "u", .region = "us-east-1",
                             .signing_time = 1704164645};
    unsigned long before = allocs;

    (void)state;
    assert_int_equal(rdsiam_generate_token_ex(&p, &CREDS, buf, sizeof buf,
                                              NULL, &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(buf, "");
    assert_int_equal(allocs - before, 0);
}

/* The session token of tests/bench/bench.c (make_session_token): base64
 * characters from xorshift32 with a fixed seed, so '+' and '/' appear and
 * must be percent-encoded. */
static void session_token(char *t, size_t n)
{
    static const char B64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t x = 2463534242u;

    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        t[i] = B64[x & 63];
    }
    t[n] = '\0';
}

/* botocore 1.43 generate_db_auth_token for these inputs, with the clock
 * pinned to 2024-01-02T03:04:05Z and session_token(1000) as the session
 * token: a 1,453-character token ending in this signature. */
#define LONG_TOKEN_SIG                                                         \
    "5f5c5cd57ca859db918a483b927c6b7c80c0bd959af636a1a837dfc8cab7d9f6"
#define LONG_TOKEN_LEN 1453

static const rdsiam_token_params LONG_PARAMS = {
    .hostname = "mydb.123456789012.us-west-2.rds.amazonaws.com",
    .port = 5432,
    .username = "db user@corp+x/y~.-_",
    .region = "us-west-2",
    .signing_time = 1704164645};

static void expect_long_token(const char *buf)
{
    assert_int_equal(strlen(buf), LONG_TOKEN_LEN);
    assert_string_equal(buf + LONG_TOKEN_LEN - 64, LONG_TOKEN_SIG);
}

static void session_token_path_does_not_allocate(void **state)
{
    static char tok[1001];
    char buf[4096];
    rdsiam_credentials c = CREDS;
    rdsiam_token_params p = LONG_PARAMS;
    unsigned long before;

    (void)state;
    session_token(tok, 1000);
    c.session_token = tok;
    rdsiam_cache_wipe();
    assert_int_equal(rdsiam_generate_token(&p, &c, buf, sizeof buf),
                     RDSIAM_OK);
    expect_long_token(buf);
    before = allocs;
    for (int i = 0; i < 1000; i++) {
        p.signing_time = 1704164645 + i * 97; /* crosses a day boundary */
        assert_int_equal(rdsiam_generate_token(&p, &c, buf, sizeof buf),
                         RDSIAM_OK);
    }
    assert_int_equal(allocs - before, 0);
    p.signing_time = 1704164645; /* cached path, same token as botocore */
    assert_int_equal(rdsiam_generate_token(&p, &c, buf, sizeof buf),
                     RDSIAM_OK);
    expect_long_token(buf);
}

static void provider_path_does_not_allocate(void **state)
{
    static char tok[1001];
    char buf[4096];
    rdsiam_credentials c = CREDS;
    rdsiam_token_params p = LONG_PARAMS;
    rdsiam_provider *prov = NULL;
    rdsiam_error err;
    unsigned long before;

    (void)state;
    session_token(tok, 1000);
    c.session_token = tok;
    assert_int_equal(rdsiam_provider_new_static(&prov, &c, &err), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_generate_token(prov, &p, buf, sizeof buf,
                                                    NULL, &err),
                     RDSIAM_OK);
    expect_long_token(buf);
    before = allocs;
    for (int i = 0; i < 1000; i++) {
        p.signing_time = 1704164645 + i * 97;
        assert_int_equal(rdsiam_provider_generate_token(prov, &p, buf,
                                                        sizeof buf, NULL, &err),
                         RDSIAM_OK);
    }
    assert_int_equal(allocs - before, 0);
    p.signing_time = 1704164645;
    assert_int_equal(rdsiam_provider_generate_token(prov, &p, buf, sizeof buf,
                                                    NULL, &err),
                     RDSIAM_OK);
    expect_long_token(buf);
    rdsiam_provider_free(prov);
}

/* The token call that also reports the expiry and the source costs no
 * allocation either, with the signing time left to the provider (0). */
static void provider_info_path_does_not_allocate(void **state)
{
    char buf[4096];
    rdsiam_credentials c = CREDS;
    rdsiam_token_params p = LONG_PARAMS;
    rdsiam_token_info info;
    rdsiam_provider *prov = NULL;
    rdsiam_error err;
    unsigned long before;

    (void)state;
    c.expiration = INT64_C(4102444800); /* 2100-01-01T00:00:00Z */
    p.signing_time = 0;
    assert_int_equal(rdsiam_provider_new_static(&prov, &c, &err), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_generate_token_info(
                         prov, &p, buf, sizeof buf, NULL, &info, &err),
                     RDSIAM_OK);
    before = allocs;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(rdsiam_provider_generate_token_info(
                             prov, &p, buf, sizeof buf, NULL, &info, &err),
                         RDSIAM_OK);
    assert_int_equal(allocs - before, 0);
    assert_int_equal(info.expires, info.signing_time + 900);
    assert_int_equal(info.credentials_expiration, INT64_C(4102444800));
    assert_string_equal(info.source, "static credentials");
    rdsiam_provider_free(prov);
}

/*
 * ElastiCache (serverless), MemoryDB and MSK tokens, directly and through
 * a provider: nothing allocated once warm, across day boundaries, and the
 * last token the same as the first (the MSK one is encoded in place in
 * the caller's buffer).
 */
static int service_token(int kind, rdsiam_provider *prov, int64_t t, char *buf,
                         size_t size)
{
    rdsiam_cache_params cp = {.name = "my-cache",
                              .username = "iam-user-01",
                              .region = "us-east-1",
                              .serverless = kind == 0,
                              .signing_time = t};
    rdsiam_msk_params mp = {.region = "us-east-1", .signing_time = t};
    int64_t expires_ms;

    switch (kind) {
    case 0:
        return prov ? rdsiam_provider_generate_elasticache_token(
                          prov, &cp, buf, size, NULL, NULL)
                    : rdsiam_generate_elasticache_token(&cp, &CREDS, buf, size,
                                                        NULL, NULL);
    case 1:
        return prov ? rdsiam_provider_generate_memorydb_token(prov, &cp, buf,
                                                              size, NULL, NULL)
                    : rdsiam_generate_memorydb_token(&cp, &CREDS, buf, size,
                                                     NULL, NULL);
    default:
        return prov ? rdsiam_provider_generate_msk_token(
                          prov, &mp, buf, size, NULL, &expires_ms, NULL)
                    : rdsiam_generate_msk_token(&mp, &CREDS, buf, size, NULL,
                                                &expires_ms, NULL);
    }
}

static void service_tokens_do_not_allocate(void **state)
{
    char first[4096], buf[4096];
    rdsiam_provider *prov = NULL;
    rdsiam_error err;
    unsigned long before;

    (void)state;
    assert_int_equal(rdsiam_provider_new_static(&prov, &CREDS, &err),
                     RDSIAM_OK);
    for (int kind = 0; kind < 3; kind++) {
        for (int via = 0; via < 2; via++) {
            rdsiam_provider *pv = via ? prov : NULL;
            assert_int_equal(
                service_token(kind, pv, 1704164645, first, sizeof first),
                RDSIAM_OK);
            before = allocs;
            for (int i = 0; i < 1000; i++)
                assert_int_equal(service_token(kind, pv, 1704164645 + i * 97,
                                               buf, sizeof buf),
                                 RDSIAM_OK);
            assert_int_equal(allocs - before, 0);
            assert_int_equal(
                service_token(kind, pv, 1704164645, buf, sizeof buf),
                RDSIAM_OK);
            assert_string_equal(buf, first);
        }
    }
    rdsiam_provider_free(prov);
}

/*
 * The caches are keyed by every input they stand for. Each step changes
 * one input (host, port, user, key id, region, session token, including
 * one the cache is too small for, RDS or DSQL, the day) and leaves the
 * others as they were, so a cache that ignored that input would be hit
 * with it stale; at every step the token must be the one an empty cache
 * gives.
 */
static void caches_follow_every_input(void **state)
{
    static char tok_a[1001], tok_b[601], tok_huge[6001];
    static const char *hosts[] = {"mydb.123456789012.us-west-2.rds.amazonaws.com",
                                  "MyDB.123456789012.us-west-2.rds.amazonaws.com",
                                  "10.0.0.1"};
    static const char *users[] = {"db user@corp+x/y~.-_", "app_user"};
    static const char *akids[] = {"AKIDEXAMPLE", "ASIAEXAMPLE2"};
    static const char *regions[] = {"us-west-2", "eu-central-1"};
    static const unsigned ports[] = {5432, 443};
    const char *toks[] = {NULL, tok_a, tok_b, tok_huge};
    const unsigned n[8] = {3, 2, 2, 2, 2, 4, 2, 2};
    unsigned idx[8] = {0};
    char hot[8192], cold[8192];

    (void)state;
    session_token(tok_a, 1000);
    session_token(tok_b, 600);
    session_token(tok_huge, 6000);
    for (unsigned i = 0; i < 8 * 12; i++) {
        rdsiam_credentials c = CREDS;
        int64_t t = 1704164645 + (int64_t)idx[7] * 86400 + i;
        rdsiam_token_params p = {.hostname = hosts[idx[0]],
                                 .port = ports[idx[1]],
                                 .username = users[idx[2]],
                                 .region = regions[idx[4]],
                                 .signing_time = t};
        rdsiam_dsql_params d = {.hostname = hosts[idx[0]],
                                .region = regions[idx[4]],
                                .action = RDSIAM_DSQL_CONNECT,
                                .signing_time = t};
        bool dsql = idx[6] == 1;

        c.access_key_id = akids[idx[3]];
        c.session_token = toks[idx[5]];
        if (dsql)
            assert_int_equal(rdsiam_generate_dsql_token(&d, &c, hot, sizeof hot,
                                                        NULL, NULL),
                             RDSIAM_OK);
        else
            assert_int_equal(rdsiam_generate_token(&p, &c, hot, sizeof hot),
                             RDSIAM_OK);
        rdsiam_cache_wipe();
        if (dsql)
            assert_int_equal(rdsiam_generate_dsql_token(&d, &c, cold,
                                                        sizeof cold, NULL, NULL),
                             RDSIAM_OK);
        else
            assert_int_equal(rdsiam_generate_token(&p, &c, cold, sizeof cold),
                             RDSIAM_OK);
        assert_string_equal(hot, cold);
        /* The cache is warm with this step's inputs; change one. */
        idx[i % 8] = (idx[i % 8] + 1) % n[i % 8];
    }
}

/*
 * Key ids, secrets and session tokens are printable ASCII without space
 * (0x21..0x7e) and nothing else (the rule in lib/validate.c). The check
 * runs a word at a time, so try every byte value at every offset of a
 * word and in the tail.
 */
static void credential_check_accepts_exactly_printable_ascii(void **state)
{
    char secret[41], tok[20], buf[4096];
    rdsiam_token_params p = LONG_PARAMS;

    (void)state;
    for (unsigned pos = 0; pos < 19; pos++) {
        for (unsigned v = 1; v < 256; v++) {
            rdsiam_credentials c = CREDS;
            int want_ok = v >= 0x21 && v <= 0x7e;

            memcpy(tok, "AQoDYXdzEPT//////wE", 20);
            tok[pos] = (char)v;
            c.session_token = tok;
            assert_int_equal(rdsiam_generate_token(&p, &c, buf, sizeof buf),
                             want_ok ? RDSIAM_OK
                                     : RDSIAM_ERR_SESSION_TOKEN_INVALID);
            memcpy(secret, CREDS.secret_access_key, 41);
            secret[pos] = (char)v;
            c.session_token = NULL;
            c.secret_access_key = secret;
            assert_int_equal(rdsiam_generate_token(&p, &c, buf, sizeof buf),
                             want_ok ? RDSIAM_OK
                                     : RDSIAM_ERR_SECRET_KEY_INVALID);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rds_tokens_do_not_allocate),
        cmocka_unit_test(cache_wipe_keeps_tokens_identical),
        cmocka_unit_test(errors_do_not_allocate),
        cmocka_unit_test(session_token_path_does_not_allocate),
        cmocka_unit_test(provider_path_does_not_allocate),
        cmocka_unit_test(provider_info_path_does_not_allocate),
        cmocka_unit_test(service_tokens_do_not_allocate),
        cmocka_unit_test(caches_follow_every_input),
        cmocka_unit_test(credential_check_accepts_exactly_printable_ascii),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
