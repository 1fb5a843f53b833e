/*
 * test_json.c - RFC 8259's grammar (the recognizer, lib/json_lex.c),
 * and the reader built on it (lib/json.c): escapes, nesting, numbers; and
 * its writer.
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

#include <stdio.h>
#include <string.h>

#include "json_lex.h"
#include "json_reader.h"

static bool lex_n(const char *s, size_t n)
{
    rdsiam__json_lexed found;

    return rdsiam__json_lex(s, n, NULL, 0, &found);
}

static bool lex(const char *s)
{
    return lex_n(s, strlen(s));
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
    assert_false(lex_n("{\"a\":\"x\0y\"}", 11));
    assert_false(lex_n(NULL, 0));
}

static int read_doc(const char *text, rdsiam__json **j, rdsiam_error *e)
{
    memset(e, 0, sizeof *e);
    return rdsiam__json_parse(text, strlen(text), "t", "the document",
                              RDSIAM_ERR_JSON, j, e);
}

/* Escapes decode to the UTF-8 of RFC 8259 section 7; expected bytes from
 * Python's json.loads of the same text, encoded as UTF-8. */
static void test_reader_escapes(void **state)
{
    rdsiam__json *j = NULL;
    rdsiam_error e;
    const char *v = NULL;

    (void)state;
    assert_int_equal(
        read_doc("{\"s\":\"a\\/b\\u00e9\\ud83d\\ude00\\\"\\\\\\t x\","
                 " \"k\\u0041\" : \"\\u20ac\"}",
                 &j, &e),
        RDSIAM_OK);
    assert_int_equal(rdsiam__json_string(j, "s", true, &v, &e), RDSIAM_OK);
    assert_string_equal(v, "a/b\xc3\xa9\xf0\x9f\x98\x80\"\\\t x");
    assert_int_equal(rdsiam__json_string(j, "kA", true, &v, &e), RDSIAM_OK);
    assert_string_equal(v, "\xe2\x82\xac");
    rdsiam__json_free(j);
}

/* Nesting: 32 levels (json-c's default depth, which the reader keeps) are
 * read, 33 refused. */
static void test_reader_depth(void **state)
{
    char text[128];
    rdsiam__json *j = NULL;
    rdsiam_error e;
    int n;

    (void)state;
    for (int depth = 32; depth <= 33; depth++) {
        n = snprintf(text, sizeof text, "{\"x\":");
        for (int k = 1; k < depth; k++)
            text[n++] = '[';
        for (int k = 1; k < depth; k++)
            text[n++] = ']';
        text[n++] = '}';
        text[n] = '\0';
        if (depth == 32) {
            assert_int_equal(read_doc(text, &j, &e), RDSIAM_OK);
            rdsiam__json_free(j);
        } else {
            assert_int_equal(read_doc(text, &j, &e), RDSIAM_ERR_JSON);
            assert_string_equal(e.message, "t: the document is not valid JSON");
            assert_null(j);
        }
    }
}

/* Integers: exact up to 2^53 (what a reader of doubles holds); 1.0 is 1, as in
 * Python (1.0 == 1); a fraction, 2^53 + 2 and a string are refused; a
 * number over 63 characters is refused as the whole document. */
static void test_reader_integers(void **state)
{
    rdsiam__json *j = NULL;
    rdsiam_error e;
    int64_t v = -1;

    (void)state;
    assert_int_equal(read_doc("{\"a\":1700000000000,\"b\":1.0,\"c\":1.5,"
                              "\"d\":9007199254740994,\"e\":\"1\","
                              "\"f\":-9007199254740992}",
                              &j, &e),
                     RDSIAM_OK);
    assert_int_equal(rdsiam__json_int(j, "a", &v, &e), RDSIAM_OK);
    assert_int_equal(v, 1700000000000);
    assert_int_equal(rdsiam__json_int(j, "b", &v, &e), RDSIAM_OK);
    assert_int_equal(v, 1);
    assert_int_equal(rdsiam__json_int(j, "f", &v, &e), RDSIAM_OK);
    assert_int_equal(v, -9007199254740992);
    assert_int_equal(rdsiam__json_int(j, "c", &v, &e), RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: c is not an integer");
    assert_int_equal(rdsiam__json_int(j, "d", &v, &e), RDSIAM_ERR_JSON);
    assert_int_equal(rdsiam__json_int(j, "e", &v, &e), RDSIAM_ERR_JSON);
    assert_int_equal(rdsiam__json_int(j, "g", &v, &e), RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: the document has no g");
    rdsiam__json_free(j);
    j = NULL;
    /* A NUL in a member name is refused too, naming it as written. */
    assert_int_equal(read_doc("{\"ok\":1,\"a\\u0000b\":1}", &j, &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: a\\u0000b in the document contains a "
                                   "NUL character (\\u0000)");
    /* Tokens the lexer passes one by one, in an order the grammar does not
     * allow: "4-1" is two numbers to the lexer (found by fuzz_sso_json). */
    assert_int_equal(read_doc("{\"a\":4-1}", &j, &e), RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: the document is not valid JSON");
    assert_int_equal(read_doc("{\"a\":[1true]}", &j, &e), RDSIAM_ERR_JSON);
    assert_int_equal(read_doc("{\"a\":-0-1}", &j, &e), RDSIAM_ERR_JSON);
    assert_int_equal(read_doc("{\"a\":1e5}", &j, &e), RDSIAM_OK);
    rdsiam__json_free(j);
    j = NULL;
    assert_int_equal(read_doc("{\"a\":1234567890123456789012345678901234567890"
                              "123456789012345678901234}",
                              &j, &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: the document is not valid JSON");
    assert_null(j);
}

/* A member name given twice is refused naming it, in a small object
 * (checked pair by pair) and in one of more than 16 members (sorted);
 * distinct names pass. */
static void test_reader_duplicates(void **state)
{
    char text[512];
    rdsiam__json *j = NULL;
    rdsiam_error e;
    int n = 0;

    (void)state;
    n += snprintf(text + n, sizeof text - (size_t)n, "{");
    for (int k = 0; k < 20; k++)
        n += snprintf(text + n, sizeof text - (size_t)n, "\"m%d\":%d,", k, k);
    n +=
        snprintf(text + n, sizeof text - (size_t)n, "\"x\":{\"a\":1,\"b\":2}}");
    assert_int_equal(read_doc(text, &j, &e), RDSIAM_OK);
    rdsiam__json_free(j);
    j = NULL;
    text[n - 1] = '\0';
    snprintf(text + n - 1, sizeof text - (size_t)n + 1, ",\"m13\":0}");
    assert_int_equal(read_doc(text, &j, &e), RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: the document has the member m13 twice");
    assert_null(j);
    assert_int_equal(read_doc("{\"x\":{\"a\":1,\"b\":2,\"a\":3}}", &j, &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "t: the document has the member a twice");
}

/* The writer: compact text, strings escaped as RFC 8259 7 requires. The
 * expected texts are Python's json.dumps(..., separators=(",", ":"),
 * ensure_ascii=False) of the same data (after dict.update for the second),
 * except for numbers read from a document, which are written as they were
 * read (2.50 stays 2.50; Python prints 2.5). */
static void test_writer(void **state)
{
    static const rdsiam__json_member inner[] = {
        {"n", NULL, true, -9007199254740992, NULL, 0}};
    static const rdsiam__json_member m[] = {
        {"s", "q\"b\\s/\x01\x1f\n\t\xc3\xa9", false, 0, NULL, 0},
        {"i", NULL, true, 1767225600000, NULL, 0},
        {"o", NULL, false, 0, inner, 1},
    };
    static const rdsiam__json_member update[] = {
        {"s", "new", false, 0, NULL, 0},
        {"z", "set", false, 0, NULL, 0},
        {"add", "x", false, 0, NULL, 0},
    };
    rdsiam__json *base = NULL;
    rdsiam__buf out;
    rdsiam_error e;

    (void)state;
    rdsiam__buf_init(&out, 4096);
    assert_int_equal(rdsiam__json_write(NULL, m, 3, "w", &out, &e), RDSIAM_OK);
    assert_string_equal(out.data, "{\"s\":\"q\\\"b\\\\s/\\u0001\\u001f\\n\\t"
                                  "\xc3\xa9\",\"i\":1767225600000,"
                                  "\"o\":{\"n\":-9007199254740992}}");
    rdsiam__buf_free(&out);
    /* dict.update: base's members in order, those named replaced (a null
     * one too, not added again), the others after them. */
    assert_int_equal(read_doc("{ \"keep\" : [1, 2.50, {\"a\" : null}], "
                              "\"s\" : \"old\", \"z\": null, \"n\": null, "
                              "\"e\":\"\\u00e9\\/\" }",
                              &base, &e),
                     RDSIAM_OK);
    rdsiam__buf_init(&out, 4096);
    assert_int_equal(rdsiam__json_write(base, update, 3, "w", &out, &e),
                     RDSIAM_OK);
    assert_string_equal(
        out.data,
        "{\"keep\":[1,2.50,{\"a\":null}],\"s\":\"new\","
        "\"z\":\"set\",\"n\":null,\"e\":\"\xc3\xa9/\",\"add\":\"x\"}");
    rdsiam__buf_free(&out);
    /* Larger than the buffer may grow: an error, nothing written. */
    rdsiam__buf_init(&out, 10);
    assert_int_equal(rdsiam__json_write(base, update, 3, "w", &out, &e),
                     RDSIAM_ERR_JSON);
    assert_string_equal(e.message, "w: the document is larger than 10 bytes");
    assert_int_equal(out.len, 0);
    rdsiam__buf_free(&out);
    rdsiam__json_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_reader_escapes),
        cmocka_unit_test(test_reader_depth),
        cmocka_unit_test(test_reader_integers),
        cmocka_unit_test(test_reader_duplicates),
        cmocka_unit_test(test_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
