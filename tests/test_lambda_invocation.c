/*
 * test_lambda_invocation.c - the Lambda bootstrap's reading of what GET
 * .../runtime/invocation/next announces (examples/lambda/invocation.c):
 * the request id, which goes into the answer's URL, is a UUID or refused;
 * one id header, and a deadline.
 *
 * Expected values: the id of the AWS Lambda Developer Guide's examples
 * ("8476a536-e9f4-11e8-9739-2dfe598c3fcd"); the UUID form of RFC 9562,
 * section 4 (8-4-4-4-12 hexadecimal digits, either case).
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

/* The example's own source: it is not part of the library. */
#include "../examples/lambda/invocation.c"

#define GOOD_ID "8476a536-e9f4-11e8-9739-2dfe598c3fcd"

static void test_request_ids(void **state)
{
    static const char *const refused[] = {
        "",
        "..",
        "../../init",
        GOOD_ID "/..",
        "../" GOOD_ID,
        GOOD_ID "x",
        "8476a536-e9f4-11e8-9739-2dfe598c3fc", /* 35 characters */
        "8476a536e9f4-11e8-9739-2dfe598c3fcd-",
        "8476a536_e9f4-11e8-9739-2dfe598c3fcd",
        "8476a536-e9f4-11e8-9739-2dfe598c3fcg",
        "8476a536%2de9f4-11e8-9739-2dfe598c3f",
        " 8476a536-e9f4-11e8-9739-2dfe598c3fc",
        "{8476a536-e9f4-11e8-9739-2dfe598c3fcd}",
        "urn:uuid:8476a536-e9f4-11e8-9739-2dfe598c3fcd",
    };

    (void)state;
    assert_int_equal(runtime_request_id_valid(GOOD_ID), 1);
    assert_int_equal(
        runtime_request_id_valid("8476A536-E9F4-11E8-9739-2DFE598C3FCD"), 1);
    assert_int_equal(
        runtime_request_id_valid("00000000-0000-0000-0000-000000000000"), 1);
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        print_message("%s\n", refused[i]);
        assert_int_equal(runtime_request_id_valid(refused[i]), 0);
    }
}

static void feed(struct invocation *inv, const char *const *lines)
{
    memset(inv, 0, sizeof *inv);
    for (; *lines; lines++)
        runtime_header(inv, *lines, strlen(*lines));
}

static void test_headers(void **state)
{
    static const char *const good[] = {
        "HTTP/1.1 200 OK\r\n",
        "content-type: application/json\r\n",
        "lambda-runtime-aws-request-id:   " GOOD_ID " \r\n",
        "Lambda-Runtime-Deadline-Ms: 1700000000123\r\n",
        "\r\n",
        NULL};
    static const char *const two_ids[] = {
        "Lambda-Runtime-Aws-Request-Id: " GOOD_ID "\r\n",
        "Lambda-Runtime-Aws-Request-Id: "
        "00000000-0000-0000-0000-000000000000\r\n",
        "Lambda-Runtime-Deadline-Ms: 1700000000123\r\n", NULL};
    static const char *const bad_deadline[] = {
        "Lambda-Runtime-Aws-Request-Id: " GOOD_ID "\r\n",
        "Lambda-Runtime-Deadline-Ms: -5\r\n", NULL};
    static const char *const long_id[] = {
        "Lambda-Runtime-Aws-Request-Id: " GOOD_ID GOOD_ID GOOD_ID GOOD_ID
        "\r\n",
        "Lambda-Runtime-Deadline-Ms: 1700000000123\r\n", NULL};
    static const char *const dots[] = {
        "Lambda-Runtime-Aws-Request-Id: ..\r\n",
        "Lambda-Runtime-Deadline-Ms: 1700000000123\r\n", NULL};
    struct invocation inv;

    (void)state;
    feed(&inv, good);
    assert_string_equal(inv.id, GOOD_ID);
    assert_int_equal(inv.id_headers, 1);
    assert_int_equal(inv.deadline_ms, 1700000000123LL);
    assert_int_equal(runtime_invocation_ok(&inv), 1);
    feed(&inv, two_ids); /* which one would be answered? neither */
    assert_int_equal(inv.id_headers, 2);
    assert_int_equal(runtime_invocation_ok(&inv), 0);
    feed(&inv, bad_deadline);
    assert_int_equal(inv.deadline_ms, 0);
    assert_int_equal(runtime_invocation_ok(&inv), 0);
    feed(&inv, long_id);
    assert_string_equal(inv.id, "");
    assert_int_equal(runtime_invocation_ok(&inv), 0);
    feed(&inv, dots);
    assert_string_equal(inv.id, "..");
    assert_int_equal(runtime_invocation_ok(&inv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_ids),
        cmocka_unit_test(test_headers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
