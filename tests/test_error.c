/*
 * test_error.c - error messages are one line of harmless text: control
 * characters from any value a message quotes (a profile name, a file name)
 * come out as "\xNN", never raw (issue 11, item 5).
 *
 * Expected strings follow the rule in lib/error.c: C0, DEL, C1 (U+0080 to
 * U+009F) and bytes that are not well-formed UTF-8 are written as "\xNN"
 * with uppercase hex; printable ASCII and valid UTF-8 are kept.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static void escape(const char *in, size_t size, const char *want)
{
    char out[RDSIAM_ERROR_MESSAGE_SIZE];

    assert_true(size <= sizeof out);
    memset(out, 'Z', sizeof out);
    rdsiam__escape_controls(out, size, in);
    assert_string_equal(out, want);
}

static void controls_are_escaped(void **state)
{
    (void)state;
    escape("plain text: ok", 64, "plain text: ok");
    escape("a\nb\rc\td", 64, "a\\x0Ab\\x0Dc\\x09d");
    /* an OSC window-title sequence, as in the audit's --secret=abc\e]0;TITLE\a
     */
    escape("abc\x1b]0;TITLE\a", 64, "abc\\x1B]0;TITLE\\x07");
    escape("del\x7f", 64, "del\\x7F");
    /* U+009B (CSI) as UTF-8 is C2 9B; a raw 0x9B byte is invalid UTF-8 */
    escape("c1 \xc2\x9b[2J raw \x9b", 64, "c1 \\xC2\\x9B[2J raw \\x9B");
    /* valid UTF-8 (U+00E9, U+20AC, U+1F600) passes through */
    escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 64,
           "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    /* a truncated sequence and an overlong encoding are escaped */
    escape("x\xe2\x82", 64, "x\\xE2\\x82");
    escape("\xc0\xaf", 64, "\\xC0\\xAF");
}

static void truncation_keeps_whole_units(void **state)
{
    (void)state;
    /* size 6 leaves room for 5 bytes: "ab" + one 4-byte escape would be 6 */
    escape("ab\x1b"
           "cd",
           6, "ab");
    escape("ab\x1b"
           "cd",
           7, "ab\\x1B");
    /* a 3-byte character is not split */
    escape("ab\xe2\x82\xac", 5, "ab");
    escape("ab\xe2\x82\xac", 6, "ab\xe2\x82\xac");
    escape("anything", 1, "");
}

static bool one_harmless_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return false;
    return true;
}

/* A profile name holding ESC and a newline, named in a "not found" error. */
static void profile_name_is_escaped(void **state)
{
    char dir[] = "/tmp/rdsiam-test-error-XXXXXX";
    char config[64], creds[64];
    rdsiam_provider_options o = {.profile = "evil\x1b[31m\nFAKE: line"};
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *c = NULL;
    rdsiam_error err;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(config, sizeof config, "%s/config", dir);
    snprintf(creds, sizeof creds, "%s/credentials", dir);
    f = fopen(config, "w");
    assert_non_null(f);
    fputs("[default]\nregion = us-east-1\n", f);
    fclose(f);
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);

    assert_int_equal(rdsiam_provider_new_profile(&p, &o, &err), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &c, &err),
                     RDSIAM_ERR_PROFILE_NOT_FOUND);
    assert_true(one_harmless_line(err.message));
    assert_non_null(strstr(err.message, "evil\\x1B[31m\\x0AFAKE: line"));
    assert_null(c);
    rdsiam_provider_free(p);
    unlink(config);
    rmdir(dir);
}

/* RDSIAM_ERR_PROVIDER_DISABLED is reserved (include/rdsiam.h): no function
 * returns it, its number is never reused, and rdsiam_strerror() says so
 * (the string of lib/error.c). */
static void reserved_code_is_named(void **state)
{
    (void)state;
    assert_int_equal(RDSIAM_ERR_PROVIDER_DISABLED, -118);
    assert_string_equal(rdsiam_strerror(RDSIAM_ERR_PROVIDER_DISABLED),
                        "reserved error code (never returned)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controls_are_escaped),
        cmocka_unit_test(truncation_keeps_whole_units),
        cmocka_unit_test(profile_name_is_escaped),
        cmocka_unit_test(reserved_code_is_named),
    };
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
