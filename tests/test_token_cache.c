/*
 * test_token_cache.c - ElastiCache and MemoryDB tokens (lib/token_cache.c),
 * directly and through a provider.
 *
 * Known answers: the elasticache and memorydb entries of
 * tests/vectors/service-tokens/botocore-derived.json, made with botocore's
 * RequestSigner.generate_presigned_url() at a frozen time (provenance in
 * that folder's SOURCE.md); tests/check-botocore-services.sh compares
 * thousands more. Each is compared as an exact string.
 *
 * Bad input: each rule asserts its code, a message naming the field and
 * holding no secret, and an output buffer holding "".
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

#include "helpers/threads.h"
#include "helpers/token_checks.h"
#include "helpers/vectors.h"
#include "internal.h"
#include "rdsiam.h"

#define AKID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN                                                                  \
    "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token=="
#define T1 INT64_C(1700000000) /* 2023-11-14T22:13:20Z */

static const rdsiam_credentials CREDS = {AKID, SECRET, NULL, 0};

/* botocore-derived.json[0]: ElastiCache my-cache, iam-user-01, us-east-1,
 * 20231114T221320Z, no session token. */
#define EC0                                                                    \
    "my-cache/?Action=connect&User=iam-user-01&X-Amz-Algorithm=AWS4-HMAC-"     \
    "SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20231114%2Fus-east-1%2F"   \
    "elasticache%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires="    \
    "900&X-Amz-SignedHeaders=host&X-Amz-Signature=e5c7c522ea75471146c2236dbb"  \
    "e0b20130c8f45bcf1aadb074bd9b0f18244de9"

static rdsiam_cache_params ec0_params(void)
{
    rdsiam_cache_params p = {.name = "my-cache",
                             .username = "iam-user-01",
                             .region = "us-east-1",
                             .serverless = 0,
                             .signing_time = T1};
    return p;
}

typedef int (*generate_fn)(const rdsiam_cache_params *,
                           const rdsiam_credentials *, char *, size_t, size_t *,
                           rdsiam_error *);
typedef int (*provider_fn)(rdsiam_provider *, const rdsiam_cache_params *,
                           char *, size_t, size_t *, rdsiam_error *);

/* ------------------------------------------------------------------------ */
/* Known answers                                                             */
/* ------------------------------------------------------------------------ */

static void test_known_answers(void **state)
{
    json_object *a = vectors_load("service-tokens/botocore-derived.json");
    size_t n = json_object_array_length(a), done = 0;

    (void)state;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(a, i);
        const char *service = vectors_str(e, "service");
        bool ec = strcmp(service, "elasticache") == 0;
        rdsiam_credentials c = {vectors_str(e, "access_key_id"),
                                vectors_str(e, "secret_access_key"),
                                vectors_str(e, "session_token"), 0};
        rdsiam_cache_params p = {.name = vectors_str(e, "name"),
                                 .username = vectors_str(e, "username"),
                                 .region = vectors_str(e, "region"),
                                 .serverless =
                                     (int)vectors_int(e, "serverless"),
                                 .signing_time = vectors_time(e, "time")};
        counting_source src = {.creds = c};
        rdsiam_provider *prov;
        char buf[4096], via[4096];
        size_t needed = 0;
        rdsiam_error err;

        if (!ec && strcmp(service, "memorydb") != 0)
            continue;
        if ((ec ? rdsiam_generate_elasticache_token
                : rdsiam_generate_memorydb_token)(&p, &c, buf, sizeof buf,
                                                  &needed, &err) != RDSIAM_OK)
            fail_msg("[%zu]: %s", i, err.message);
        assert_string_equal(buf, vectors_str(e, "expected"));
        assert_int_equal(needed, strlen(buf) + 1);
        /* The same token through a provider whose region is the vector's
         * (params.region NULL). */
        prov = counting_provider(&src, p.region);
        p.region = NULL;
        assert_int_equal((ec ? rdsiam_provider_generate_elasticache_token
                             : rdsiam_provider_generate_memorydb_token)(
                             prov, &p, via, sizeof via, &needed, &err),
                         RDSIAM_OK);
        assert_string_equal(via, buf);
        assert_int_equal(needed, strlen(buf) + 1);
        assert_int_equal(src.fetches, 1);
        rdsiam_provider_free(prov);
        done++;
    }
    /* 3 ElastiCache and 2 MemoryDB entries */
    assert_int_equal(done, 5);
    json_object_put(a);
}

/* "Cache names are converted to lowercase at cache creation time" (AWS):
 * the name is lowercased, the rest of the token is unchanged. */
static void test_name_lowercased(void **state)
{
    rdsiam_cache_params p = ec0_params();
    char buf[2048];

    (void)state;
    p.name = "MY-Cache";
    assert_int_equal(rdsiam_generate_elasticache_token(&p, &CREDS, buf,
                                                       sizeof buf, NULL, NULL),
                     RDSIAM_OK);
    assert_string_equal(buf, EC0);
}

/* ------------------------------------------------------------------------ */
/* Bad input                                                                 */
/* ------------------------------------------------------------------------ */

static void expect_bad(generate_fn gen, const rdsiam_cache_params *p,
                       const rdsiam_credentials *c, int code, const char *word)
{
    char buf[4096];
    rdsiam_error err;
    size_t needed = 12345;
    int rc;

    memset(buf, 'X', sizeof buf);
    memset(&err, 0, sizeof err);
    rc = gen(p, c, buf, sizeof buf, &needed, &err);
    expect_refused(rc, code, &err, word, SECRET, buf, needed);
}

static void test_bad_name(void **state)
{
    static const char *const bad[] = {
        "",
        "my.cache",
        "my_cache",
        "my cache",
        "caf\xc3\xa9",
        "a/b",
        "a:6379",
        "0123456789012345678901234567890123456789012345678901234567890123"};
    rdsiam_cache_params p = ec0_params();
    char buf[2048];

    (void)state;
    p.name = NULL;
    expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
               RDSIAM_ERR_RESOURCE_NAME, "cache name");
    expect_bad(rdsiam_generate_memorydb_token, &p, &CREDS,
               RDSIAM_ERR_RESOURCE_NAME, "cluster name");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p.name = bad[i];
        print_message("name '%s'\n", bad[i]);
        expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
                   RDSIAM_ERR_RESOURCE_NAME, "cache name");
        expect_bad(rdsiam_generate_memorydb_token, &p, &CREDS,
                   RDSIAM_ERR_RESOURCE_NAME, "cluster name");
    }
    /* 63 characters: the longest accepted */
    p.name = bad[7] + 1;
    assert_int_equal(rdsiam_generate_elasticache_token(&p, &CREDS, buf,
                                                       sizeof buf, NULL, NULL),
                     RDSIAM_OK);
    assert_int_equal(strncmp(buf, bad[7] + 1, 63), 0);
    assert_int_equal(buf[63], '/');
}

static void test_bad_other_fields(void **state)
{
    static char long_user[RDSIAM_USERNAME_MAX + 2];
    rdsiam_cache_params p = ec0_params();
    rdsiam_credentials c = CREDS;
    rdsiam_error err;

    (void)state;
    expect_bad(rdsiam_generate_elasticache_token, NULL, &CREDS,
               RDSIAM_ERR_NULL_ARGUMENT, "cache parameters");
    expect_bad(rdsiam_generate_memorydb_token, NULL, &CREDS,
               RDSIAM_ERR_NULL_ARGUMENT, "cache parameters");
    p.username = NULL;
    expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
               RDSIAM_ERR_USERNAME_EMPTY, "username");
    p.username = "";
    expect_bad(rdsiam_generate_memorydb_token, &p, &CREDS,
               RDSIAM_ERR_USERNAME_EMPTY, "username");
    memset(long_user, 'u', RDSIAM_USERNAME_MAX + 1);
    p.username = long_user;
    expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
               RDSIAM_ERR_USERNAME_TOO_LONG, "username");
    p.username = "bad\xff";
    expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
               RDSIAM_ERR_USERNAME_UTF8, "username");
    p = ec0_params();
    p.region = NULL;
    expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
               RDSIAM_ERR_REGION_EMPTY, "region");
    p.region = "US-EAST-1";
    expect_bad(rdsiam_generate_memorydb_token, &p, &CREDS,
               RDSIAM_ERR_REGION_INVALID, "region");
    p = ec0_params();
    p.serverless = 1;
    expect_bad(rdsiam_generate_memorydb_token, &p, &CREDS,
               RDSIAM_ERR_INVALID_ARGUMENT, "serverless");
    p = ec0_params();
    p.signing_time = -1;
    expect_bad(rdsiam_generate_elasticache_token, &p, &CREDS,
               RDSIAM_ERR_TIME_RANGE, "signing time");
    p = ec0_params();
    expect_bad(rdsiam_generate_elasticache_token, &p, NULL,
               RDSIAM_ERR_CREDENTIALS_NULL, "credentials");
    c.secret_access_key = "";
    expect_bad(rdsiam_generate_memorydb_token, &p, &c,
               RDSIAM_ERR_SECRET_KEY_EMPTY, "secret access key");
    c = CREDS;
    c.session_token = TOKEN "\n";
    expect_bad(rdsiam_generate_elasticache_token, &p, &c,
               RDSIAM_ERR_SESSION_TOKEN_INVALID, "session token");
    /* buf NULL with a size */
    assert_int_equal(
        rdsiam_generate_elasticache_token(&p, &CREDS, NULL, 10, NULL, &err),
        RDSIAM_ERR_NULL_ARGUMENT);
    assert_non_null(strstr(err.message, "buffer"));
}

static void test_buffer_too_small(void **state)
{
    rdsiam_cache_params p = ec0_params();
    char buf[sizeof EC0];
    size_t needed = 0;
    rdsiam_error err;

    (void)state;
    memset(buf, 'X', sizeof buf);
    assert_int_equal(rdsiam_generate_elasticache_token(
                         &p, &CREDS, buf, sizeof EC0 - 1, &needed, &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, sizeof EC0);
    assert_string_equal(buf, "");
    for (size_t i = 1; i < sizeof EC0 - 1; i++)
        assert_int_equal(buf[i], 'X');
    assert_non_null(strstr(err.message, "needs"));
    /* size query */
    needed = 0;
    assert_int_equal(
        rdsiam_generate_elasticache_token(&p, &CREDS, NULL, 0, &needed, &err),
        RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, sizeof EC0);
    assert_int_equal(rdsiam_generate_elasticache_token(
                         &p, &CREDS, buf, sizeof EC0, &needed, &err),
                     RDSIAM_OK);
    assert_string_equal(buf, EC0);
}

/* ------------------------------------------------------------------------ */
/* The thread's token cache                                                  */
/* ------------------------------------------------------------------------ */

/* Kinds of token for one host name and user: 0 ElastiCache, 1 ElastiCache
 * serverless, 2 MemoryDB, 3 RDS. */
static void sign_kind(int k, char out[2048])
{
    rdsiam_cache_params p = ec0_params();
    rdsiam_token_params r = {.hostname = "my-cache",
                             .port = 6379,
                             .username = "iam-user-01",
                             .region = "us-east-1",
                             .signing_time = T1};
    int rc;

    p.serverless = k == 1;
    if (k == 2)
        rc = rdsiam_generate_memorydb_token(&p, &CREDS, out, 2048, NULL, NULL);
    else if (k == 3)
        rc = rdsiam_generate_token(&r, &CREDS, out, 2048);
    else
        rc = rdsiam_generate_elasticache_token(&p, &CREDS, out, 2048, NULL,
                                               NULL);
    assert_int_equal(rc, RDSIAM_OK);
}

/* Signed in turn, each kind gives the token it gives with an empty cache:
 * the thread's cached token is told apart by the user parameter's name,
 * the extra parameter, the port and the service. */
static void test_cache_keeps_kinds_apart(void **state)
{
    static const int order[] = {0, 1, 0, 2, 0, 3, 0, 1, 2, 1, 3, 2, 3, 1};
    char cold[4][2048], warm[2048];

    (void)state;
    for (int k = 0; k < 4; k++) {
        rdsiam_cache_wipe();
        sign_kind(k, cold[k]);
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        sign_kind(order[i], warm);
        assert_string_equal(warm, cold[order[i]]);
    }
    assert_string_equal(cold[0], EC0);
    assert_non_null(strstr(cold[1], "&User=iam-user-01&ResourceType="
                                    "ServerlessCache&X-Amz-Algorithm="));
    assert_non_null(strstr(cold[2], "%2Fmemorydb%2F"));
    assert_non_null(strstr(cold[3], "my-cache:6379/?Action=connect&DBUser="));
}

/* ------------------------------------------------------------------------ */
/* Through a provider                                                        */
/* ------------------------------------------------------------------------ */

/* Bad params are refused before a region lookup or a credential fetch;
 * the source's error comes back when the params are good. */
static void test_provider_checks_first(void **state)
{
    static const provider_fn fns[] = {
        rdsiam_provider_generate_elasticache_token,
        rdsiam_provider_generate_memorydb_token};
    counting_source src = {.creds = CREDS,
                           .fail_rc = RDSIAM_ERR_NO_CREDENTIALS};
    rdsiam_provider *prov = counting_provider(&src, "us-east-1");
    rdsiam_cache_params p = ec0_params();
    char buf[2048];
    size_t needed = 7;
    rdsiam_error err;

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        p = ec0_params();
        p.region = NULL;
        p.name = "bad.name";
        memset(buf, 'X', sizeof buf);
        assert_int_equal(fns[i](prov, &p, buf, sizeof buf, &needed, &err),
                         RDSIAM_ERR_RESOURCE_NAME);
        assert_string_equal(buf, "");
        assert_int_equal(needed, 0);
        p.name = "my-cache";
        p.username = "";
        assert_int_equal(fns[i](prov, &p, buf, sizeof buf, &needed, &err),
                         RDSIAM_ERR_USERNAME_EMPTY);
        p.username = "iam-user-01";
        p.signing_time = -5;
        assert_int_equal(fns[i](prov, &p, buf, sizeof buf, &needed, &err),
                         RDSIAM_ERR_TIME_RANGE);
        assert_int_equal(fns[i](prov, NULL, buf, sizeof buf, &needed, &err),
                         RDSIAM_ERR_NULL_ARGUMENT);
        assert_int_equal(fns[i](NULL, &p, buf, sizeof buf, &needed, &err),
                         RDSIAM_ERR_NULL_ARGUMENT);
        assert_int_equal(src.fetches, 0);
    }
    p = ec0_params();
    p.serverless = 1;
    assert_int_equal(rdsiam_provider_generate_memorydb_token(
                         prov, &p, buf, sizeof buf, NULL, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_int_equal(src.fetches, 0);
    /* good params: the fetch, and its error */
    assert_int_equal(rdsiam_provider_generate_elasticache_token(
                         prov, &p, buf, sizeof buf, NULL, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    assert_int_equal(src.fetches, 1);
    assert_string_equal(buf, "");
    rdsiam_provider_free(prov);
}

/* Cached credentials are fetched once for many tokens. */
static void test_provider_caches(void **state)
{
    counting_source src = {.creds = CREDS};
    rdsiam_provider *prov = counting_provider(&src, "us-east-1");
    rdsiam_cache_params p = ec0_params();
    char buf[2048];

    (void)state;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(rdsiam_provider_generate_elasticache_token(
                             prov, &p, buf, sizeof buf, NULL, NULL),
                         RDSIAM_OK);
        assert_string_equal(buf, EC0);
    }
    assert_int_equal(src.fetches, 1);
    rdsiam_provider_free(prov);
}

/* One provider shared by threads signing tokens for their own caches:
 * each token is the one the direct call gives (ThreadSanitizer runs this,
 * tests/tsan.mk). */
typedef struct worker {
    rdsiam_provider *prov;
    char name[16];
    int bad;
} worker;

static void *sign_many(void *arg)
{
    worker *w = arg;
    rdsiam_cache_params p = ec0_params();
    char want[2048], got[2048];

    p.name = w->name;
    for (int i = 0; i < 300; i++) {
        p.signing_time = T1 + i * 61;
        p.serverless = i % 3 == 0;
        if (rdsiam_generate_elasticache_token(&p, &CREDS, want, sizeof want,
                                              NULL, NULL) != RDSIAM_OK ||
            rdsiam_provider_generate_elasticache_token(
                w->prov, &p, got, sizeof got, NULL, NULL) != RDSIAM_OK ||
            strcmp(want, got) != 0)
            w->bad++;
    }
    return NULL;
}

static void test_provider_threads(void **state)
{
    counting_source src = {.creds = CREDS};
    rdsiam_provider *prov = counting_provider(&src, "us-east-1");
    worker w[4];

    (void)state;
    for (int i = 0; i < 4; i++) {
        w[i].prov = prov;
        w[i].bad = 0;
        snprintf(w[i].name, sizeof w[i].name, "cache-%d", i);
    }
    threads_run(4, sign_many, w, sizeof w[0]);
    for (int i = 0; i < 4; i++)
        assert_int_equal(w[i].bad, 0);
    assert_int_equal(src.fetches, 1);
    rdsiam_provider_free(prov);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_name_lowercased),
        cmocka_unit_test(test_bad_name),
        cmocka_unit_test(test_bad_other_fields),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_cache_keeps_kinds_apart),
        cmocka_unit_test(test_provider_checks_first),
        cmocka_unit_test(test_provider_caches),
        cmocka_unit_test(test_provider_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
