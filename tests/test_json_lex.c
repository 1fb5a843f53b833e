/*
 * test_json_lex.c - RFC 8259's lexical rules (lib/json_lex.c).
 *
 * Expected answers: RFC 8259 sections 3 (literals), 6 (numbers), 7
 * (strings) and 8.1 (UTF-8); each "refused" case is one that json-c 0.16
 * with JSON_TOKENER_STRICT accepts (checked with a small program) or that
 * the RFC's grammar excludes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "json_lex.h"

static bool lex(const char *s)
{
    return rdsiam__json_lex_ok(s, strlen(s));
}

static void test_accepted(void **state)
{
    static const char *const ok[] = {
        "{}",
        "[]",
        " {\"a\" : [1, -2, 0, 0.5, -0.0, 1e5, 1E+5, 2.5e-3]}\r\n",
        "{\"a\":true,\"b\":false,\"c\":null}",
        "{\"s\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"}",
        "{\"\xc3\xa9\":\"\xe2\x82\xac\"}",
        "\"\"",
        "0",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (!lex(ok[i]))
            print_message("refused: %s\n", ok[i]);
        assert_true(lex(ok[i]));
    }
}

static void test_refused(void **state)
{
    static const char *const bad[] = {
        "{'a':1}",
        "{\"a\":NaN}",
        "{\"a\":Infinity}",
        "{\"a\":-Infinity}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":01}",
        "{\"a\":-}",
        "{\"a\":1e}",
        "{\"a\":1e+}",
        "{\"a\":+1}",
        "{\"a\":tRue}",
        "{\"a\":nul}",
        "{\"a\":\"\t\"}",
        "{\"a\":\"\n\"}",
        "{\"a\":\"\\x41\"}",
        "{\"a\":\"\\u12G4\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"open}",
        "{\"a\":\"\\",
        "{\"a\":\"\xff\"}",
        "{\"a\":\"\xc0\xaf\"}",
        "{/*c*/}",
        "{\"a\":1}\f",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (lex(bad[i]))
            print_message("accepted: %s\n", bad[i]);
        assert_false(lex(bad[i]));
    }
    /* A raw NUL byte is a control character. */
    assert_false(rdsiam__json_lex_ok("{\"a\":\"x\0y\"}", 11));
    assert_false(rdsiam__json_lex_ok(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
