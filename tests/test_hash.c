/*
 * test_hash.c - SHA-256, HMAC-SHA256, the constant-time comparison and
 * the SigV4 key derivation (lib/hash.c), in each of the forms the token
 * path uses: one shot, incremental, padded in the caller's buffer, and
 * from precomputed key states.
 *
 * Known answers: SHA-256 from FIPS 180-2 appendix B ("abc", the 448-bit
 * message, a million "a"), and the empty string's digest; HMAC-SHA256
 * from RFC 4231 test cases 1, 2 and 6 (a key longer than the block);
 * the signing key from the AWS documentation's example of deriving a
 * SigV4 signing key (secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
 * 20120215, us-east-1, iam); the MAC of "abc" under that key computed
 * with Python's hmac module.
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

#include "internal.h"

static const char abc448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static void assert_hex(const unsigned char d[32], const char *want)
{
    char hex[65];

    rdsiam__hex(hex, d, 32);
    hex[64] = '\0';
    assert_string_equal(hex, want);
}

static void test_sha256_known(void **state)
{
    unsigned char d[32];
    rdsiam__sha256 c;
    char *a;

    (void)state;
    rdsiam__sha256_once("abc", 3, d);
    assert_hex(d, "ba7816bf8f01cfea414140de5dae2223"
                  "b00361a396177a9cb410ff61f20015ad");
    rdsiam__sha256_once(abc448, strlen(abc448), d);
    assert_hex(d, "248d6a61d20638b8e5c026930c3e6039"
                  "a33ce45964ff2167f6ecedd419db06c1");
    rdsiam__sha256_once("", 0, d);
    assert_hex(d, RDSIAM__EMPTY_SHA256_HEX);
    /* A million "a", in uneven pieces. */
    a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    rdsiam__sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step += 7) {
        if (step > 1000000 - off)
            step = 1000000 - off;
        rdsiam__sha256_update(&c, a + off, step);
    }
    rdsiam__sha256_final(&c, d);
    assert_hex(d, "cdc76e5c9914fb9281a1c7e284d73e67"
                  "f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* The padded forms give the one-shot digest for every tail length around
 * the one- and two-block padding boundaries (55/56 bytes, 119/120). */
static void test_sha256_padded(void **state)
{
    unsigned char msg[64 + 130], buf[130 + RDSIAM__SHA256_PAD];
    unsigned char want[32], got[32];
    rdsiam__sha256 c, head;

    (void)state;
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i * 37 + 11);
    rdsiam__sha256_init(&head);
    rdsiam__sha256_update(&head, msg, 64);
    for (size_t n = 0; n <= 130; n++) {
        rdsiam__sha256_once(msg, 64 + n, want);
        c = head;
        memcpy(buf, msg + 64, n);
        rdsiam__sha256_final_padded(&c, buf, n, 64 + n, got);
        assert_memory_equal(got, want, 32);
        /* The same tail padded first, then finished from a copy of the
         * state. */
        memcpy(buf, msg + 64, n);
        size_t padded = rdsiam__sha256_pad(buf, n, 64 + n);
        assert_int_equal(padded % 64, 0);
        assert_int_equal(padded, (n + 9 + 63) / 64 * 64);
        rdsiam__sha256_finish_blocks(&head, buf, padded, got);
        assert_memory_equal(got, want, 32);
    }
}

static void test_hmac_known(void **state)
{
    static const char tc6[] =
        "Test Using Larger Than Block-Size Key - Hash Key First";
    unsigned char key[131], d[32];
    rdsiam__hmac_key k;

    (void)state;
    /* RFC 4231 test case 1 */
    memset(key, 0x0b, 20);
    rdsiam__hmac_once(key, 20, "Hi There", 8, d);
    assert_hex(d, "b0344c61d8db38535ca8afceaf0bf12b"
                  "881dc200c9833da726e9376c2e32cff7");
    /* test case 2 */
    rdsiam__hmac_once("Jefe", 4, "what do ya want for nothing?", 28, d);
    assert_hex(d, "5bdcc146bf60754e6a042426089575c7"
                  "5a003f089d2739839dec58b964ec3843");
    /* test case 6: a 131-byte key, hashed first */
    memset(key, 0xaa, sizeof(key));
    rdsiam__hmac_once(key, sizeof(key), tc6, strlen(tc6), d);
    assert_hex(d, "60e431591ee0b67f0d8a26aacbf5b77f"
                  "8e0bc6213728c5140546040f0ee37f54");
    /* The same from precomputed pad states, used twice. */
    rdsiam__hmac_key_init(&k, key, sizeof(key));
    rdsiam__hmac(&k, tc6, strlen(tc6), d);
    assert_hex(d, "60e431591ee0b67f0d8a26aacbf5b77f"
                  "8e0bc6213728c5140546040f0ee37f54");
    rdsiam__hmac(&k, tc6, strlen(tc6), d);
    assert_hex(d, "60e431591ee0b67f0d8a26aacbf5b77f"
                  "8e0bc6213728c5140546040f0ee37f54");
    rdsiam__wipe(&k, sizeof(k));
}

/* hmac_padded and hmac_blocks give rdsiam__hmac's MAC for every length
 * around the padding boundaries. */
static void test_hmac_padded(void **state)
{
    unsigned char msg[130], buf[130 + RDSIAM__SHA256_PAD];
    unsigned char want[32], got[32];
    rdsiam__hmac_key k;

    (void)state;
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i * 13 + 5);
    rdsiam__hmac_key_init(&k, "Jefe", 4);
    for (size_t n = 0; n <= sizeof(msg); n++) {
        rdsiam__hmac(&k, msg, n, want);
        memcpy(buf, msg, n);
        rdsiam__hmac_padded(&k, buf, n, got);
        assert_memory_equal(got, want, 32);
        memcpy(buf, msg, n);
        rdsiam__hmac_blocks(&k, buf, rdsiam__sha256_pad(buf, n, 64 + n), got);
        assert_memory_equal(got, want, 32);
    }
    rdsiam__wipe(&k, sizeof(k));
}

static void test_signing_key(void **state)
{
    static const char secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static const unsigned char ksigning[32] = {
        0xf4, 0x78, 0x0e, 0x2d, 0x9f, 0x65, 0xfa, 0x89, 0x5f, 0x9c, 0x67,
        0xb3, 0x2c, 0xe1, 0xba, 0xf0, 0xb0, 0xd8, 0xa4, 0x35, 0x05, 0xa0,
        0x00, 0xa1, 0xa9, 0xe0, 0x90, 0xd4, 0x14, 0xdb, 0x40, 0x4d};
    rdsiam__hmac_key k;
    unsigned char d[32], e[32];

    (void)state;
    rdsiam__derive_signing_key(secret, strlen(secret), "20120215", "us-east-1",
                               9, "iam", 3, &k);
    rdsiam__hmac(&k, "abc", 3, d);
    assert_hex(d, "df2e08fcf04369b251bb6818e557cb88"
                  "29153a0252422ed53240e7065728c6d8");
    /* The key states are those of the documented kSigning. */
    rdsiam__hmac_once(ksigning, sizeof(ksigning), "abc", 3, e);
    assert_memory_equal(d, e, 32);
    rdsiam__wipe(&k, sizeof(k));
}

static void test_ct_equal(void **state)
{
    unsigned char a[100], b[100];

    (void)state;
    for (size_t i = 0; i < sizeof(a); i++)
        a[i] = b[i] = (unsigned char)(i * 7);
    /* Every length (through the 32-byte, word and byte loops), and a
     * difference at every position, in any bit, is seen. */
    for (size_t n = 0; n <= sizeof(a); n++) {
        assert_true(rdsiam__ct_equal(a, b, n));
        for (size_t i = 0; i < n; i++) {
            b[i] ^= (unsigned char)(1u << (i % 8));
            if (rdsiam__ct_equal(a, b, n))
                fail_msg("length %zu: a difference at %zu not seen", n, i);
            b[i] = a[i];
        }
    }
    /* Only n bytes are compared. */
    b[10] ^= 1;
    assert_true(rdsiam__ct_equal(a, b, 10));
    assert_false(rdsiam__ct_equal(a, b, 11));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known),
        cmocka_unit_test(test_sha256_padded),
        cmocka_unit_test(test_hmac_known),
        cmocka_unit_test(test_hmac_padded),
        cmocka_unit_test(test_signing_key),
        cmocka_unit_test(test_ct_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
