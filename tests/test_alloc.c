/*
 * test_alloc.c - the token path allocates nothing on the heap once a
 * thread has generated its first token (issue: "No heap allocation per
 * token"). malloc, calloc and realloc are interposed in this program and
 * counted around the calls under test; nothing here measures time.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rds_tokens_do_not_allocate),
        cmocka_unit_test(cache_wipe_keeps_tokens_identical),
        cmocka_unit_test(errors_do_not_allocate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
