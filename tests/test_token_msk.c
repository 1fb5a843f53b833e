/*
 * test_token_msk.c - Amazon MSK OAUTHBEARER tokens (lib/token_msk.c) and
 * the base64url encoder they use (lib/encoding.c), directly and through a
 * provider.
 *
 * Known answers: the msk entries of
 * tests/vectors/service-tokens/botocore-derived.json, made with the steps
 * of AWS's aws-msk-iam-sasl-signer-python on botocore's SigV4QueryAuth at a
 * frozen time, with their expiry in milliseconds (provenance in that
 * folder's SOURCE.md); tests/check-botocore-services.sh compares thousands
 * more. Tokens are decoded here with libcrypto's base64 decoder.
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
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "helpers/token_checks.h"
#include "helpers/vectors.h"
#include "internal.h"
#include "rdsiam.h"

#define AKID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T1 INT64_C(1700000000) /* 2023-11-14T22:13:20Z */

static const rdsiam_credentials CREDS = {AKID, SECRET, NULL, 0};

/* The URL an MSK token encodes: base64url without padding, decoded with
 * libcrypto (translated to base64 and padded first). */
static void decode(const char *tok, char *url, size_t size)
{
    size_t n = strlen(tok), pad = (4 - n % 4) % 4, len;
    char *b64 = malloc(n + pad + 1);
    int w;

    assert_non_null(b64);
    assert_true(pad < 3);
    for (size_t i = 0; i < n; i++) {
        assert_null(strchr("+/=", tok[i]));
        b64[i] = tok[i] == '-' ? '+' : tok[i] == '_' ? '/' : tok[i];
    }
    memset(b64 + n, '=', pad);
    b64[n + pad] = '\0';
    assert_true((n + pad) / 4 * 3 < size);
    w = EVP_DecodeBlock((unsigned char *)url, (unsigned char *)b64,
                        (int)(n + pad));
    assert_true(w >= 0);
    len = (size_t)w - pad;
    url[len] = '\0';
    free(b64);
}

static rdsiam_msk_params msk0_params(void)
{
    rdsiam_msk_params p = {.region = "us-east-1",
                           .serverless = 0,
                           .user_agent = "aws-msk-iam-sasl-signer-python/1.0.1",
                           .signing_time = T1};
    return p;
}

static int64_t clock_value;
static int64_t fixed_clock(void *ctx)
{
    (void)ctx;
    return clock_value;
}

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
        rdsiam_credentials c = {vectors_str(e, "access_key_id"),
                                vectors_str(e, "secret_access_key"),
                                vectors_str(e, "session_token"), 0};
        rdsiam_msk_params p = {.region = vectors_str(e, "region"),
                               .serverless = (int)vectors_int(e, "serverless"),
                               .user_agent = vectors_str(e, "user_agent"),
                               .signing_time = vectors_time(e, "time")};
        char buf[4096], url[4096];
        size_t needed = 0;
        int64_t expires_ms = 0;
        rdsiam_error err;

        if (strcmp(vectors_str(e, "service"), "msk") != 0)
            continue;
        if (rdsiam_generate_msk_token(&p, &c, buf, sizeof buf, &needed,
                                      &expires_ms, &err) != RDSIAM_OK)
            fail_msg("[%zu]: %s", i, err.message);
        assert_string_equal(buf, vectors_str(e, "expected"));
        assert_int_equal(needed, strlen(buf) + 1);
        assert_int_equal(expires_ms, vectors_int(e, "expires_ms"));
        assert_int_equal(expires_ms, (p.signing_time + 900) * 1000);
        decode(buf, url, sizeof url);
        assert_int_equal(strncmp(url,
                                 p.serverless ? "https://kafka-serverless."
                                              : "https://kafka.",
                                 p.serverless ? 25 : 14),
                         0);
        assert_non_null(strstr(url, "/?Action=kafka-cluster%3AConnect&X-Amz-"
                                    "Algorithm=AWS4-HMAC-SHA256&"));
        done++;
    }
    assert_int_equal(done, 4);
    json_object_put(a);
}

/* User-Agent: "librdsiam/VERSION" by default, encoded as Python's
 * urlencode() does (quote_plus: ' ' is '+', '/' and '+' escaped). */
static void test_user_agent(void **state)
{
    rdsiam_msk_params p = msk0_params();
    char buf[2048], url[2048];
    const char *ua;

    (void)state;
    p.user_agent = NULL;
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, buf, sizeof buf,
                                               NULL, NULL, NULL),
                     RDSIAM_OK);
    decode(buf, url, sizeof url);
    ua = strstr(url, "&User-Agent=");
    assert_non_null(ua);
    assert_string_equal(ua, "&User-Agent=librdsiam%2F" RDSIAM_VERSION_STRING);
    /* after the signature, unsigned */
    assert_non_null(strstr(url, "&X-Amz-Signature="));
    assert_true(strstr(url, "&X-Amz-Signature=") + 17 + 64 == ua);
    p.user_agent = "a b+c/~!";
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, buf, sizeof buf,
                                               NULL, NULL, NULL),
                     RDSIAM_OK);
    decode(buf, url, sizeof url);
    ua = strstr(url, "&User-Agent=");
    assert_string_equal(ua, "&User-Agent=a+b%2Bc%2F~%21");
}

/* Every URL length modulo 3, and the in-place encoding from the buffer's
 * tail: user agents of 1 to 256 bytes give the same URL up to the user
 * agent, and decode back exactly; the tokens verify. */
static void test_every_length(void **state)
{
    static char ua[RDSIAM_MSK_USER_AGENT_MAX + 2];
    rdsiam_msk_params p = msk0_params();
    char buf[2048], url[2048], head[2048] = "", want[512];
    rdsiam_keystore *ks = NULL;
    rdsiam_verify_service_params vp = {
        .service = RDSIAM_SERVICE_MSK, .region = "us-east-1", .now = T1};
    FILE *f;
    char keyfile[] = "/tmp/test_token_msk_XXXXXX";
    int fd = mkstemp(keyfile);
    rdsiam_error err;

    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "%s %s\n", AKID, SECRET);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rdsiam_keystore_load(keyfile, &ks, &err), RDSIAM_OK);
    unlink(keyfile);

    for (size_t n = 1; n <= RDSIAM_MSK_USER_AGENT_MAX; n++) {
        size_t needed = 0;
        char *at;

        memset(ua, 'a' + (int)(n % 26), n);
        ua[n] = '\0';
        p.user_agent = ua;
        assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, buf, sizeof buf,
                                                   &needed, NULL, &err),
                         RDSIAM_OK);
        assert_int_equal(needed, strlen(buf) + 1);
        decode(buf, url, sizeof url);
        at = strstr(url, "&User-Agent=");
        assert_non_null(at);
        snprintf(want, sizeof want, "&User-Agent=%s", ua);
        assert_string_equal(at, want);
        *at = '\0';
        if (!head[0])
            memcpy(head, url, strlen(url) + 1);
        assert_string_equal(url, head);
        if (n % 37 == 1)
            assert_int_equal(
                rdsiam_verify_service_token(buf, strlen(buf), &vp, ks, &err),
                RDSIAM_OK);
    }
    rdsiam_keystore_free(ks);
}

/* ------------------------------------------------------------------------ */
/* Bad input                                                                 */
/* ------------------------------------------------------------------------ */

static void expect_bad(const rdsiam_msk_params *p, const rdsiam_credentials *c,
                       int code, const char *word)
{
    char buf[4096];
    rdsiam_error err;
    size_t needed = 12345;
    int64_t expires_ms = 12345;
    int rc;

    memset(buf, 'X', sizeof buf);
    memset(&err, 0, sizeof err);
    rc = rdsiam_generate_msk_token(p, c, buf, sizeof buf, &needed, &expires_ms,
                                   &err);
    expect_refused(rc, code, &err, word, SECRET, buf, needed);
    assert_int_equal(expires_ms, 0);
}

static void test_bad_input(void **state)
{
    static char long_ua[RDSIAM_MSK_USER_AGENT_MAX + 2];
    rdsiam_msk_params p = msk0_params();
    rdsiam_credentials c = CREDS;
    rdsiam_error err;

    (void)state;
    expect_bad(NULL, &CREDS, RDSIAM_ERR_NULL_ARGUMENT, "MSK parameters");
    p.region = NULL;
    expect_bad(&p, &CREDS, RDSIAM_ERR_REGION_EMPTY, "region");
    p.region = "us-east-1.amazonaws.com";
    expect_bad(&p, &CREDS, RDSIAM_ERR_REGION_INVALID, "region");
    p = msk0_params();
    p.user_agent = "";
    expect_bad(&p, &CREDS, RDSIAM_ERR_USER_AGENT, "user_agent");
    memset(long_ua, 'u', RDSIAM_MSK_USER_AGENT_MAX + 1);
    p.user_agent = long_ua;
    expect_bad(&p, &CREDS, RDSIAM_ERR_USER_AGENT, "user_agent");
    p.user_agent = "app/1.0\r\nX: y";
    expect_bad(&p, &CREDS, RDSIAM_ERR_USER_AGENT, "user_agent");
    p.user_agent = "caf\xc3\xa9/1";
    expect_bad(&p, &CREDS, RDSIAM_ERR_USER_AGENT, "user_agent");
    p = msk0_params();
    p.signing_time = RDSIAM__TIME_MAX + 1;
    expect_bad(&p, &CREDS, RDSIAM_ERR_TIME_RANGE, "signing time");
    p = msk0_params();
    expect_bad(&p, NULL, RDSIAM_ERR_CREDENTIALS_NULL, "credentials");
    c.access_key_id = "";
    expect_bad(&p, &c, RDSIAM_ERR_ACCESS_KEY_EMPTY, "access key id");
    assert_int_equal(
        rdsiam_generate_msk_token(&p, &CREDS, NULL, 10, NULL, NULL, &err),
        RDSIAM_ERR_NULL_ARGUMENT);
    assert_non_null(strstr(err.message, "buffer"));
}

static void test_buffer_too_small(void **state)
{
    rdsiam_msk_params p = msk0_params();
    char want[2048], buf[2048];
    size_t needed = 0, n;
    int64_t expires_ms = 1;
    rdsiam_error err;

    (void)state;
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, want, sizeof want,
                                               &needed, NULL, &err),
                     RDSIAM_OK);
    n = strlen(want);
    assert_int_equal(needed, n + 1);
    memset(buf, 'X', sizeof buf);
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, buf, n, &needed,
                                               &expires_ms, &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, n + 1);
    assert_int_equal(expires_ms, 0);
    assert_string_equal(buf, "");
    for (size_t i = 1; i < sizeof buf; i++)
        assert_int_equal(buf[i], 'X');
    assert_non_null(strstr(err.message, "needs"));
    needed = 0;
    assert_int_equal(
        rdsiam_generate_msk_token(&p, &CREDS, NULL, 0, &needed, NULL, &err),
        RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, n + 1);
    /* exactly the size needed: the token and its NUL, nothing past them */
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, buf, n + 1, &needed,
                                               &expires_ms, &err),
                     RDSIAM_OK);
    assert_string_equal(buf, want);
    assert_int_equal(buf[n + 1], 'X');
    assert_int_equal(expires_ms, (T1 + 900) * 1000);
}

/* signing_time 0: the clock's time, and the expiry from it. */
static void test_expiry_now(void **state)
{
    rdsiam_msk_params p = msk0_params();
    char a[2048], b[2048];
    int64_t expires_ms = 0;

    (void)state;
    clock_value = T1 + 12345;
    rdsiam__sys_set_clock(fixed_clock, NULL);
    p.signing_time = 0;
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, a, sizeof a, NULL,
                                               &expires_ms, NULL),
                     RDSIAM_OK);
    rdsiam__sys_set_clock(NULL, NULL);
    assert_int_equal(expires_ms, (T1 + 12345 + 900) * INT64_C(1000));
    p.signing_time = T1 + 12345;
    assert_int_equal(
        rdsiam_generate_msk_token(&p, &CREDS, b, sizeof b, NULL, NULL, NULL),
        RDSIAM_OK);
    assert_string_equal(a, b);
}

/* ------------------------------------------------------------------------ */
/* Through a provider                                                        */
/* ------------------------------------------------------------------------ */

static void test_provider(void **state)
{
    counting_source src = {.creds = CREDS},
                    failing = {.creds = CREDS,
                               .fail_rc = RDSIAM_ERR_NO_CREDENTIALS};
    rdsiam_provider *prov = counting_provider(&src, "us-east-1");
    rdsiam_provider *bad = counting_provider(&failing, "us-east-1");
    rdsiam_msk_params p = msk0_params();
    char want[2048], buf[2048];
    size_t needed = 0;
    int64_t expires_ms = 0;
    rdsiam_error err;

    (void)state;
    assert_int_equal(rdsiam_generate_msk_token(&p, &CREDS, want, sizeof want,
                                               NULL, NULL, NULL),
                     RDSIAM_OK);
    p.region = NULL; /* the provider's */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rdsiam_provider_generate_msk_token(prov, &p, buf,
                                                            sizeof buf, &needed,
                                                            &expires_ms, &err),
                         RDSIAM_OK);
        assert_string_equal(buf, want);
        assert_int_equal(needed, strlen(want) + 1);
        assert_int_equal(expires_ms, (T1 + 900) * 1000);
    }
    assert_int_equal(src.fetches, 1);
    /* bad params: refused before the fetch */
    p.user_agent = "";
    assert_int_equal(rdsiam_provider_generate_msk_token(
                         bad, &p, buf, sizeof buf, &needed, &expires_ms, &err),
                     RDSIAM_ERR_USER_AGENT);
    p = msk0_params();
    p.region = "Bad Region";
    assert_int_equal(rdsiam_provider_generate_msk_token(
                         bad, &p, buf, sizeof buf, &needed, &expires_ms, &err),
                     RDSIAM_ERR_REGION_INVALID);
    assert_int_equal(rdsiam_provider_generate_msk_token(bad, NULL, buf,
                                                        sizeof buf, &needed,
                                                        &expires_ms, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(failing.fetches, 0);
    p = msk0_params();
    memset(buf, 'X', sizeof buf);
    assert_int_equal(rdsiam_provider_generate_msk_token(
                         bad, &p, buf, sizeof buf, &needed, &expires_ms, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    assert_int_equal(failing.fetches, 1);
    assert_string_equal(buf, "");
    assert_int_equal(needed, 0);
    assert_int_equal(expires_ms, 0);
    rdsiam_provider_free(prov);
    rdsiam_provider_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_user_agent),
        cmocka_unit_test(test_every_length),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_expiry_now),
        cmocka_unit_test(test_provider),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
