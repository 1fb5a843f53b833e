/*
 * test_json_creds.c - credentials read from a JSON document
 * (lib/json_creds.c), as the container and instance-metadata sources and
 * credential_process use it: which fields a caller names and requires,
 * the checks on what they hold, and the error code and prefix of the
 * document the caller parsed.
 *
 * The two field sets are the sources' own: botocore's ContainerProvider
 * and InstanceMetadataFetcher read AccessKeyId, SecretAccessKey, Token
 * and Expiration, all required; credential_process's output has Version
 * 1, AccessKeyId and SecretAccessKey, and SessionToken and Expiration
 * optional (the AWS CLI's "Sourcing credentials with an external
 * process"). The messages are the forms json_reader.h and json_creds.h
 * document; the sources' own tests (test_container.c, test_imds.c,
 * test_process.c) check the same rules through their answers.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_creds.h"

#define AKID "ASIAJSONCREDSEXAMPLE"
#define SECRET "jsonCredsSecretKeyEXAMPLE/abcdefghijklmn+1"
#define TOKEN "jsonCredsSessionTokenEXAMPLE/xyz+abc=="
#define EXPIRES "2100-01-01T00:00:00Z"
#define EXPIRES_T INT64_C(4102444800) /* date -u -d 2100-01-01 +%s */

static const rdsiam__json_creds_fields all_required = {
    "AccessKeyId", "SecretAccessKey", "Token", true, "Expiration", true};
static const rdsiam__json_creds_fields process_output = {
    "AccessKeyId", "SecretAccessKey", "SessionToken",
    false,         "Expiration",      false};

/* Read text with fields as a document of what ("the answer", code). */
static int read_creds(const char *text, const rdsiam__json_creds_fields *f,
                      const char *what, int code, rdsiam__creds *c,
                      rdsiam_error *e)
{
    rdsiam__json *j = NULL;
    int rc;

    memset(e, 0, sizeof *e);
    memset(c, 0xAA, sizeof *c); /* every field must be written */
    assert_int_equal(
        rdsiam__json_parse(text, strlen(text), what, "the answer", code, &j, e),
        RDSIAM_OK);
    rc = rdsiam__json_creds(j, f, c, e);
    rdsiam__json_free(j);
    return rc;
}

static void assert_empty(const rdsiam__creds *c)
{
    assert_null(c->access_key_id);
    assert_null(c->secret_access_key);
    assert_null(c->session_token);
}

static void test_all_fields(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    assert_int_equal(read_creds("{\"AccessKeyId\": \"" AKID "\", "
                                "\"SecretAccessKey\": \"" SECRET "\", "
                                "\"Token\": \"" TOKEN "\", "
                                "\"Expiration\": \"" EXPIRES "\"}",
                                &all_required, "container", RDSIAM_ERR_JSON, &c,
                                &e),
                     RDSIAM_OK);
    assert_string_equal(c.access_key_id, AKID);
    assert_string_equal(c.secret_access_key, SECRET);
    assert_string_equal(c.session_token, TOKEN);
    assert_true(c.expires);
    assert_int_equal(c.expiration, EXPIRES_T);
    rdsiam__creds_clear(&c);
}

/* Optional fields left out: long-term credentials that do not expire. */
static void test_optional_absent(void **state)
{
    rdsiam__creds c;
    rdsiam_error e;

    (void)state;
    assert_int_equal(read_creds("{\"Version\": 1, \"AccessKeyId\": \"" AKID
                                "\", \"SecretAccessKey\": \"" SECRET "\"}",
                                &process_output, "credential_process",
                                RDSIAM_ERR_PROCESS_OUTPUT, &c, &e),
                     RDSIAM_OK);
    assert_string_equal(c.access_key_id, AKID);
    assert_string_equal(c.secret_access_key, SECRET);
    assert_null(c.session_token);
    assert_false(c.expires);
    assert_int_equal(c.expiration, 0);
    rdsiam__creds_clear(&c);
}

/* Each refusal: the document's own code and prefix, the field named,
 * nothing kept, and no value quoted. */
static void test_refused(void **state)
{
    static const struct {
        const char *text;
        const rdsiam__json_creds_fields *f;
        int rc;
        const char *message;
    } cases[] = {
        {"{\"SecretAccessKey\": \"" SECRET "\", \"Token\": \"" TOKEN
         "\", \"Expiration\": \"" EXPIRES "\"}",
         &all_required, RDSIAM_ERR_JSON, "doc: the answer has no AccessKeyId"},
        {"{\"AccessKeyId\": \"" AKID "\", \"SecretAccessKey\": \"" SECRET
         "\", \"Expiration\": \"" EXPIRES "\"}",
         &all_required, RDSIAM_ERR_JSON, "doc: the answer has no Token"},
        /* A required token may not be empty: temporary credentials
         * without their token are refused by every service. */
        {"{\"AccessKeyId\": \"" AKID "\", \"SecretAccessKey\": \"" SECRET
         "\", \"Token\": \"\", \"Expiration\": \"" EXPIRES "\"}",
         &all_required, RDSIAM_ERR_JSON, "doc: Token is empty"},
        {"{\"AccessKeyId\": \"" AKID "\", \"SecretAccessKey\": \"" SECRET
         "\", \"Token\": \"" TOKEN "\"}",
         &all_required, RDSIAM_ERR_JSON, "doc: the answer has no Expiration"},
        {"{\"AccessKeyId\": \"" AKID "\", \"SecretAccessKey\": 7}",
         &process_output, RDSIAM_ERR_JSON,
         "doc: SecretAccessKey is not a string"},
        {"{\"AccessKeyId\": \"\", \"SecretAccessKey\": \"" SECRET "\"}",
         &process_output, RDSIAM_ERR_JSON, "doc: AccessKeyId is empty"},
        {"{\"AccessKeyId\": \"" AKID "\", \"SecretAccessKey\": \"\"}",
         &process_output, RDSIAM_ERR_JSON, "doc: SecretAccessKey is empty"},
        {"{\"AccessKeyId\": \"" AKID "\", \"SecretAccessKey\": \"" SECRET
         "\", \"Expiration\": \"tomorrow\"}",
         &process_output, RDSIAM_ERR_JSON,
         "doc: Expiration is not an ISO-8601 time"},
        /* The key id's form is checked by rdsiam__creds_set, with its
         * own code. */
        {"{\"AccessKeyId\": \"asia-lower-case!\", \"SecretAccessKey\": "
         "\"" SECRET "\"}",
         &process_output, RDSIAM_ERR_ACCESS_KEY_INVALID,
         "doc: the access key id is not 16 to 128 characters A-Z and 0-9"},
    };
    rdsiam__creds c;
    rdsiam_error e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = read_creds(cases[i].text, cases[i].f, "doc", RDSIAM_ERR_JSON,
                            &c, &e);

        if (rc != cases[i].rc || strcmp(e.message, cases[i].message) != 0)
            print_message("case %zu: %d %s\n", i, rc, e.message);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(e.code, cases[i].rc);
        assert_string_equal(e.message, cases[i].message);
        assert_empty(&c);
    }
    /* The document's code, whatever it is: credential_process output. */
    assert_int_equal(read_creds("{\"AccessKeyId\": \"\", \"SecretAccessKey\": "
                                "\"" SECRET "\"}",
                                &process_output, "credential_process",
                                RDSIAM_ERR_PROCESS_OUTPUT, &c, &e),
                     RDSIAM_ERR_PROCESS_OUTPUT);
    assert_string_equal(e.message, "credential_process: AccessKeyId is empty");
    assert_empty(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_fields),
        cmocka_unit_test(test_optional_absent),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
