/*
 * test_encoding.c - percent-encoding, hex and UTF-8 validation
 * (lib/encoding.c), and URL ports beside them (lib/validate.c). Copies
 * and buffers (lib/buf.c) are tested in test_buf.c.
 *
 * Expected encodings follow the SigV4 rule quoted in lib/encoding.c
 * (RFC 3986 unreserved characters kept, everything else %XX in uppercase
 * hex over the UTF-8 bytes); the UTF-8 cases are the rows of the table of
 * well-formed byte sequences in RFC 3629 section 4 and its boundaries.
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

static void expect_encoded(const char *in, const char *want)
{
    char out[1024];
    size_t n = strlen(in), w;

    assert_int_equal(rdsiam__uri_encoded_len(in, n), strlen(want));
    w = rdsiam__uri_encode(out, in, n);
    assert_int_equal(w, strlen(want));
    out[w] = '\0';
    assert_string_equal(out, want);
}

static void test_uri_encode(void **state)
{
    (void)state;
    expect_encoded("", "");
    expect_encoded("AZaz09-_.~", "AZaz09-_.~");
    expect_encoded(" ", "%20");
    expect_encoded("a b+c/d=e&f", "a%20b%2Bc%2Fd%3De%26f");
    expect_encoded("user@corp", "user%40corp");
    expect_encoded("!*'();:@&=+$,/?#[]%",
                   "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%25");
    expect_encoded("\xc3\xbc", "%C3%BC");        /* U+00FC */
    expect_encoded("\xe1\x88\xb4", "%E1%88%B4"); /* U+1234 */
    expect_encoded("\xf0\x9f\x98\x80", "%F0%9F%98%80");
    expect_encoded("\x7f\x01", "%7F%01");
    /* botocore-derived P1's DBUser */
    expect_encoded("db user@corp+x/y~.-_", "db%20user%40corp%2Bx%2Fy~.-_");
}

/* Every byte value: kept exactly when it is A-Z a-z 0-9 - _ . ~, else
 * %XX with uppercase hex of that byte. */
static void test_uri_encode_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char in[1] = {(char)c}, out[4], want[4];
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == '~';
        size_t w = rdsiam__uri_encode(out, in, 1);
        assert_int_equal(RDSIAM__UNRESERVED(c) != 0, keep);
        /* the DNS-name class is the same set without the tilde */
        assert_int_equal((rdsiam__char_class[c] & RDSIAM__CH_DNS) != 0,
                         keep && c != '~');
        if (keep) {
            assert_int_equal(w, 1);
            assert_int_equal(out[0], c);
        } else {
            snprintf(want, sizeof want, "%%%02X", (unsigned)c);
            assert_int_equal(w, 3);
            assert_memory_equal(out, want, 3);
        }
        /* the path variant differs only for '/' */
        w = rdsiam__uri_encode_path(out, in, 1);
        assert_int_equal(w, (keep || c == '/') ? 1 : 3);
        assert_int_equal(rdsiam__uri_encode_path_len(in, 1), w);
    }
}

static void test_uri_encode_path(void **state)
{
    char out[128];
    const char *in = "/example space/\xe1\x88\xb4/a+b";
    size_t w;

    (void)state;
    w = rdsiam__uri_encode_path(out, in, strlen(in));
    out[w] = '\0';
    assert_string_equal(out, "/example%20space/%E1%88%B4/a%2Bb");
    assert_int_equal(rdsiam__uri_encode_path_len(in, strlen(in)), w);
}

static void expect_decoded(const char *in, const char *want, long len)
{
    char out[256];
    long n = rdsiam__uri_decode(out, in, strlen(in));

    assert_int_equal(n, len);
    if (n >= 0)
        assert_memory_equal(out, want, (size_t)n);
}

static void test_uri_decode(void **state)
{
    char buf[32];

    (void)state;
    expect_decoded("", "", 0);
    expect_decoded("abc", "abc", 3);
    expect_decoded("a%20b", "a b", 3);
    expect_decoded("%E1%88%B4", "\xe1\x88\xb4", 3);
    expect_decoded("%e1%88%b4", "\xe1\x88\xb4", 3); /* lowercase hex too */
    expect_decoded("a+b", "a+b", 3);                /* '+' is not a space */
    expect_decoded("%00x", "\0x", 2);
    expect_decoded("%25", "%", 1);
    expect_decoded("%", NULL, -1);
    expect_decoded("%4", NULL, -1);
    expect_decoded("ab%4", NULL, -1);
    expect_decoded("%zz", NULL, -1);
    expect_decoded("%4g", NULL, -1);
    expect_decoded("%g4", NULL, -1);
    /* in place */
    memcpy(buf, "x%41y%42", 9);
    assert_int_equal(rdsiam__uri_decode(buf, buf, 8), 4);
    assert_memory_equal(buf, "xAyB", 4);
}

static void test_hex(void **state)
{
    const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
    char out[2 * sizeof in + 1];

    (void)state;
    memset(out, 0, sizeof out);
    rdsiam__hex(out, in, sizeof in);
    assert_string_equal(out, "00017f80abcdefff");
    rdsiam__hex(out, in, 0); /* writes nothing */
    assert_string_equal(out, "00017f80abcdefff");
}

static bool valid(const char *s)
{
    return rdsiam__utf8_valid(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
    static const char *const good[] = {
        "",
        "plain ascii ~!@",
        "\x7f",             /* U+007F, last 1-byte */
        "\xc2\x80",         /* U+0080, first 2-byte */
        "\xdf\xbf",         /* U+07FF, last 2-byte */
        "\xe0\xa0\x80",     /* U+0800, first 3-byte */
        "\xed\x9f\xbf",     /* U+D7FF, just below the surrogates */
        "\xee\x80\x80",     /* U+E000, just above them */
        "\xef\xbf\xbf",     /* U+FFFF */
        "\xf0\x90\x80\x80", /* U+10000, first 4-byte */
        "\xf4\x8f\xbf\xbf", /* U+10FFFF, the last code point */
        "\xc3\xbcser",      /* "üser" (botocore-derived P2) */
        "\xe1\x88\xb4",     /* U+1234 (SigV4 suite get-utf8) */
    };
    static const char *const bad[] = {
        "\x80", /* lone continuation byte */
        "\xbf",
        "\xc0\x80",                 /* overlong NUL */
        "\xc0\xaf",                 /* overlong '/' */
        "\xc1\xbf",                 /* overlong U+007F */
        "\xe0\x80\x80",             /* overlong 3-byte */
        "\xe0\x9f\xbf",             /* overlong U+07FF */
        "\xf0\x80\x80\x80",         /* overlong 4-byte */
        "\xf0\x8f\xbf\xbf",         /* overlong U+FFFF */
        "\xed\xa0\x80",             /* U+D800, high surrogate */
        "\xed\xaf\xbf",             /* U+DBFF */
        "\xed\xb0\x80",             /* U+DC00, low surrogate */
        "\xed\xbf\xbf",             /* U+DFFF */
        "\xed\xa0\x80\xed\xb0\x80", /* CESU-8 surrogate pair */
        "\xf4\x90\x80\x80",         /* U+110000 */
        "\xf5\x80\x80\x80",         /* F5..FF never appear */
        "\xf8\x88\x80\x80\x80",     /* old 5-byte form */
        "\xfe",
        "\xff",
        "\xc3", /* truncated */
        "\xe1\x88",
        "\xf0\x9f\x98",
        "a\xc3(", /* bad continuation */
        "\xe1\x28\xb4",
        "\xf0\x9f\x28\x80",
        "ok\xc3\xbc\xff", /* good, then bad */
    };

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!valid(good[i]))
            fail_msg("good[%zu] refused", i);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (valid(bad[i]))
            fail_msg("bad[%zu] accepted", i);
    /* the length bounds the check: a sequence cut by n is invalid */
    assert_false(rdsiam__utf8_valid("\xc3\xbc", 1));
    assert_true(rdsiam__utf8_valid("\xc3\xbc\xff", 2));
    /* an embedded NUL is U+0000, which is well-formed */
    assert_true(rdsiam__utf8_valid("a\0b", 3));
}

static void test_port_valid(void **state)
{
    static const char *const good[] = {"1", "80", "443", "08080", "65535"};
    static const char *const bad[] = {"",      "0",      "00000", "65536",
                                      "99999", "123456", "+80",   "-1",
                                      " 80",   "80 ",    "8a",    "0x50"};

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!rdsiam__port_valid(good[i], strlen(good[i])))
            fail_msg("good[%zu] (%s) refused", i, good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (rdsiam__port_valid(bad[i], strlen(bad[i])))
            fail_msg("bad[%zu] (%s) accepted", i, bad[i]);
    /* n bounds the read: "80" of "8080" */
    assert_true(rdsiam__port_valid("8080/path", 4));
    assert_false(rdsiam__port_valid("8080/path", 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_encode),
        cmocka_unit_test(test_uri_encode_every_byte),
        cmocka_unit_test(test_uri_encode_path),
        cmocka_unit_test(test_uri_decode),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_port_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
