/*
 * test_buf.c - growable buffers with a hard maximum and the copies and
 * wipes beside them (lib/buf.c).
 *
 * Expected values follow from the rules in lib/buf.c and lib/internal.h:
 * a buffer holds at most `max` bytes (more is RDSIAM_ERR_SIGV4_TOO_LARGE,
 * the contents untouched), is always NUL-terminated once it has data,
 * starts at 64 bytes and doubles, and wipes every block it lets go of
 * (on growth and on free); wipes are counted through the library's wipe
 * observer (tests/helpers/wipes.c).
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

#include "helpers/wipes.h"
#include "internal.h"

static void test_append_forms(void **state)
{
    rdsiam__buf b;

    (void)state;
    rdsiam__buf_init(&b, 100);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(rdsiam__buf_append(&b, "ab\0c", 4), RDSIAM_OK);
    assert_int_equal(rdsiam__buf_append_str(&b, "de"), RDSIAM_OK);
    assert_int_equal(rdsiam__buf_append_char(&b, 'f'), RDSIAM_OK);
    assert_int_equal(rdsiam__buf_printf(&b, "-%d-%s", 42, "x"), RDSIAM_OK);
    /* An empty append of no data is fine and changes nothing. */
    assert_int_equal(rdsiam__buf_append(&b, NULL, 0), RDSIAM_OK);
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data, "ab\0cdef-42-x", 13); /* and its NUL */
    /* The first block is 64 bytes (buf_reserve). */
    assert_int_equal(b.cap, 64);
    rdsiam__buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void test_maximum(void **state)
{
    rdsiam__buf b;

    (void)state;
    rdsiam__buf_init(&b, 5);
    assert_int_equal(rdsiam__buf_append_str(&b, "abcde"), RDSIAM_OK);
    /* One byte over the maximum, by each route: refused, contents kept. */
    assert_int_equal(rdsiam__buf_append_char(&b, 'f'),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    assert_int_equal(rdsiam__buf_append_str(&b, "f"),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    assert_int_equal(rdsiam__buf_printf(&b, "%d", 7),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    assert_int_equal(rdsiam__buf_reserve(&b, 1), RDSIAM_ERR_SIGV4_TOO_LARGE);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "abcde");
    /* A size near SIZE_MAX does not wrap around the check. */
    assert_int_equal(rdsiam__buf_reserve(&b, SIZE_MAX),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    assert_int_equal(rdsiam__buf_append(&b, "x", SIZE_MAX - 2),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    assert_string_equal(b.data, "abcde");
    rdsiam__buf_free(&b);

    /* max 0: nothing but the empty string. */
    rdsiam__buf_init(&b, 0);
    assert_int_equal(rdsiam__buf_append_str(&b, ""), RDSIAM_OK);
    assert_string_equal(b.data, "");
    assert_int_equal(rdsiam__buf_append_char(&b, 'a'),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    rdsiam__buf_free(&b);
}

static void test_growth_wipes_old_block(void **state)
{
    static const char marker[] = "growth-marker-0123456789";
    rdsiam__buf b;
    char big[200];

    (void)state;
    rdsiam__buf_init(&b, 4096);
    /* 64 bytes hold the marker; 200 more move it to a 256-byte block
     * (64 doubled until 24 + 200 + 1 fit), wiping the old one. */
    wipes_watch(marker);
    assert_int_equal(rdsiam__buf_append_str(&b, marker), RDSIAM_OK);
    assert_int_equal(b.cap, 64);
    memset(big, 'z', sizeof(big));
    assert_int_equal(rdsiam__buf_append(&b, big, sizeof(big)), RDSIAM_OK);
    assert_int_equal(b.cap, 256);
    assert_int_equal(b.len, strlen(marker) + sizeof(big));
    assert_memory_equal(b.data, marker, strlen(marker));
    assert_int_equal(b.data[b.len], '\0');
    /* The 64-byte block, wiped as it was let go. */
    assert_int_equal(wipes_stop(), 1);
    /* Free wipes the block in use. */
    wipes_watch(marker);
    rdsiam__buf_free(&b);
    assert_int_equal(wipes_stop(), 1);
}

static void test_reserve_moves_once(void **state)
{
    rdsiam__buf b;
    char *before;

    (void)state;
    rdsiam__buf_init(&b, 1000);
    assert_int_equal(rdsiam__buf_reserve(&b, 300), RDSIAM_OK);
    /* 64 -> 128 -> 256 -> 512: the first size holding 301 bytes. */
    assert_int_equal(b.cap, 512);
    assert_int_equal(b.len, 0);
    before = b.data;
    for (int i = 0; i < 300; i++)
        assert_int_equal(rdsiam__buf_append_char(&b, 'a'), RDSIAM_OK);
    assert_ptr_equal(b.data, before);
    assert_int_equal(b.len, 300);
    rdsiam__buf_free(&b);
}

static void test_take(void **state)
{
    rdsiam__buf b;
    char *s;

    (void)state;
    rdsiam__buf_init(&b, 10);
    /* Nothing appended: an empty string of the caller's. */
    s = rdsiam__buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(rdsiam__buf_append_str(&b, "held"), RDSIAM_OK);
    s = rdsiam__buf_take(&b);
    assert_string_equal(s, "held");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(s);
    /* The emptied buffer is usable again, with its maximum. */
    assert_int_equal(rdsiam__buf_append_str(&b, "0123456789"), RDSIAM_OK);
    assert_int_equal(rdsiam__buf_append_char(&b, 'x'),
                     RDSIAM_ERR_SIGV4_TOO_LARGE);
    rdsiam__buf_free(&b);
}

static void test_copies(void **state)
{
    char *d;

    (void)state;
    d = rdsiam__strndup("abcdef", 3);
    assert_string_equal(d, "abc");
    free(d);
    /* n bytes are copied as they are, NULs included; one NUL added. */
    d = rdsiam__strndup("a\0b", 3);
    assert_memory_equal(d, "a\0b\0", 4);
    free(d);
    d = rdsiam__strndup("", 0);
    assert_string_equal(d, "");
    free(d);
    assert_null(rdsiam__strndup(NULL, 1));
    /* n + 1 would wrap. */
    assert_null(rdsiam__strndup("a", SIZE_MAX));
    d = rdsiam__strdup("copy");
    assert_string_equal(d, "copy");
    free(d);
    assert_null(rdsiam__strdup(NULL));
}

static void test_strdup_opt(void **state)
{
    bool ok = true;
    char *d;

    (void)state;
    assert_null(rdsiam__strdup_opt(NULL, &ok));
    assert_true(ok);
    d = rdsiam__strdup_opt("abc", &ok);
    assert_string_equal(d, "abc");
    assert_true(ok);
    free(d);
    /* it never sets ok back to true */
    ok = false;
    d = rdsiam__strdup_opt("abc", &ok);
    assert_false(ok);
    free(d);
}

static void test_free_secret(void **state)
{
    static const char marker[] = "free-secret-marker";
    char *s;

    (void)state;
    /* The whole string is wiped, then freed; NULL is accepted. */
    s = rdsiam__strdup(marker);
    wipes_watch(marker);
    rdsiam__free_secret_str(s);
    rdsiam__free_secret_str(NULL);
    rdsiam__free_secret(NULL, 10);
    assert_int_equal(wipes_stop(), 1);
    /* rdsiam__wipe leaves zeros; a zero length or NULL is no wipe. */
    {
        char b[] = "free-secret-marker and more";

        wipes_watch(marker);
        rdsiam__wipe(b, 0);
        rdsiam__wipe(NULL, 5);
        assert_int_equal(wipes_stop(), 0);
        rdsiam__wipe(b, strlen(marker));
        assert_memory_equal(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18);
        assert_string_equal(b + 18, " and more");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_forms),
        cmocka_unit_test(test_maximum),
        cmocka_unit_test(test_growth_wipes_old_block),
        cmocka_unit_test(test_reserve_moves_once),
        cmocka_unit_test(test_take),
        cmocka_unit_test(test_copies),
        cmocka_unit_test(test_strdup_opt),
        cmocka_unit_test(test_free_secret),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
