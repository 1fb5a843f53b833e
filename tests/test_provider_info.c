/*
 * test_provider_info.c - what a provider says about the tokens it signs
 * (rdsiam_provider_generate_token_info): when each token stops working,
 * min(signing time + 900 s, the signing credentials' expiration), and
 * which source gave the credentials (rdsiam_credentials_ref_source);
 * and why the default chain passed over the sources before it
 * (rdsiam_provider_explain).
 *
 * The clock is pinned through the library's seam; the environment and
 * the shared files are a temporary HOME (helpers/fake_env). Expected
 * tokens are the library's own rdsiam_generate_token_ex() output for the
 * same credentials and time, which test_token checks against botocore.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers/creds_ref.h"
#include "helpers/fake_env.h"
#include "provider.h"

/* 2026-11-28T00:00:00Z, an arbitrary fixed moment */
#define T0 INT64_C(1795824000)

static fake_home home;
static int64_t now_value;

static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return now_value;
}

static int setup(void **state)
{
    (void)state;
    now_value = T0;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    return fake_home_setup(&home, "info");
}

static int teardown(void **state)
{
    (void)state;
    fake_home_teardown(&home);
    rdsiam__sys_set_clock(NULL, NULL);
    return 0;
}

static const rdsiam_token_params PARAMS = {
    .hostname = "mydb.abc.us-east-1.rds.amazonaws.com",
    .port = 5432,
    .username = "jane_doe",
    .region = "us-east-1"};

/* A source like an instance metadata service serving stale credentials:
 * every fetch hands out the same keys, expiring at the same moment. */
typedef struct stale {
    int64_t expiration; /* 0: never */
    int fetches;
} stale;

static int stale_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    stale *s = self;

    s->fetches++;
    if (rdsiam__creds_set(out, "AKIDSTALE0000000", "stalesecret", "stale-token",
                          "test", err) != RDSIAM_OK)
        return err->code;
    out->expires = s->expiration != 0;
    out->expiration = s->expiration;
    return RDSIAM_OK;
}

static void stale_destroy(void *self)
{
    (void)self;
}

static rdsiam_provider *stale_provider(stale *s)
{
    rdsiam__source src = {"instance metadata", stale_fetch, stale_destroy, s};
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    assert_int_equal(rdsiam__provider_new(&p, src, NULL, &err), RDSIAM_OK);
    return p;
}

/* Sign at the pinned time; check the token against a direct signature
 * with the same keys and return the info. */
static rdsiam_token_info sign_now(rdsiam_provider *p,
                                  const rdsiam_credentials *keys)
{
    rdsiam_token_info info;
    rdsiam_token_params at = PARAMS;
    rdsiam_error err;
    char tok[2048], want[2048];
    size_t needed = 0;

    memset(&info, 0x5a, sizeof info);
    assert_int_equal(rdsiam_provider_generate_token_info(
                         p, &PARAMS, tok, sizeof tok, &needed, &info, &err),
                     RDSIAM_OK);
    assert_int_equal(needed, strlen(tok) + 1);
    at.signing_time = now_value;
    assert_int_equal(rdsiam_generate_token(&at, keys, want, sizeof want),
                     RDSIAM_OK);
    assert_string_equal(tok, want);
    assert_int_equal(info.signing_time, now_value);
    return info;
}

static const rdsiam_credentials STALE_KEYS = {
    .access_key_id = "AKIDSTALE0000000",
    .secret_access_key = "stalesecret",
    .session_token = "stale-token"};

/* ------------------------------------------------------------------------ */
/* When the token stops working                                             */
/* ------------------------------------------------------------------------ */

static void long_lived_keys_give_the_tokens_15_minutes(void **state)
{
    stale s = {0, 0};
    rdsiam_provider *p = stale_provider(&s);
    rdsiam_token_info info;

    (void)state;
    info = sign_now(p, &STALE_KEYS);
    /* "The token is valid for 15 minutes" (RDS user guide): X-Amz-Expires
     * is 900. Keys without an expiration do not shorten it. */
    assert_int_equal(info.expires, T0 + 900);
    assert_int_equal(info.credentials_expiration, 0);
    assert_string_equal(info.source, "instance metadata");
    rdsiam_provider_free(p);
}

/*
 * Credentials that expire at E, served again unchanged on every fetch:
 * while E is more than 900 s away the token lives its 15 minutes, on both
 * sides of the provider's refresh margin (960 s: refresh_before's
 * default); from 899 s before E on, the token dies with its credentials.
 */
static void stale_credentials_shorten_the_token(void **state)
{
    const int64_t E = T0 + 3600;
    stale s = {E, 0};
    rdsiam_provider *p = stale_provider(&s);
    rdsiam_token_info info;

    (void)state;
    now_value = E - 1100;
    info = sign_now(p, &STALE_KEYS);
    assert_int_equal(info.expires, now_value + 900);
    assert_int_equal(info.credentials_expiration, E);
    assert_int_equal(s.fetches, 1);

    now_value = E - 961; /* just outside the refresh margin: cached */
    info = sign_now(p, &STALE_KEYS);
    assert_int_equal(s.fetches, 1);
    assert_int_equal(info.expires, now_value + 900);

    now_value = E - 959; /* inside it: refreshed, the same keys come back
                          * (and are kept min(60 s, half their life)) */
    info = sign_now(p, &STALE_KEYS);
    assert_int_equal(s.fetches, 2);
    assert_int_equal(info.expires, now_value + 900);

    now_value = E - 901; /* the token's 15 minutes still end first */
    info = sign_now(p, &STALE_KEYS);
    assert_int_equal(s.fetches, 2);
    assert_int_equal(info.expires, E - 1);

    now_value = E - 899; /* now the credentials' expiry does */
    info = sign_now(p, &STALE_KEYS);
    assert_int_equal(s.fetches, 3);
    assert_int_equal(info.expires, E);
    assert_int_equal(info.credentials_expiration, E);

    now_value = E - 1;
    info = sign_now(p, &STALE_KEYS);
    assert_int_equal(info.expires, E);
    assert_string_equal(info.source, "instance metadata");
    rdsiam_provider_free(p);
}

/* A caller's own short-lived keys (rdsiam_provider_new_static with an
 * expiration): the token stops with them; long-lived ones do not. */
static void callers_short_lived_keys(void **state)
{
    rdsiam_credentials keys = STALE_KEYS;
    rdsiam_provider *p = NULL;
    rdsiam_token_info info;
    rdsiam_error err;

    (void)state;
    keys.expiration = T0 + 600;
    assert_int_equal(rdsiam_provider_new_static(&p, &keys, &err), RDSIAM_OK);
    info = sign_now(p, &keys);
    assert_int_equal(info.expires, T0 + 600);
    assert_int_equal(info.credentials_expiration, T0 + 600);
    assert_string_equal(info.source, "static credentials");
    rdsiam_provider_free(p);

    keys.expiration = T0 + 901;
    assert_int_equal(rdsiam_provider_new_static(&p, &keys, &err), RDSIAM_OK);
    info = sign_now(p, &keys);
    assert_int_equal(info.expires, T0 + 900);
    assert_int_equal(info.credentials_expiration, T0 + 901);
    rdsiam_provider_free(p);
}

/* An explicit signing time is the token's: the info reports it. */
static void explicit_signing_time(void **state)
{
    stale s = {T0 + 100, 0};
    rdsiam_provider *p = stale_provider(&s);
    rdsiam_token_params at = PARAMS;
    rdsiam_token_info info;
    rdsiam_error err;
    char tok[2048];

    (void)state;
    at.signing_time = T0 - 3000;
    assert_int_equal(rdsiam_provider_generate_token_info(
                         p, &at, tok, sizeof tok, NULL, &info, &err),
                     RDSIAM_OK);
    assert_non_null(strstr(tok, "&X-Amz-Date=20261127T231000Z&"));
    assert_int_equal(info.signing_time, T0 - 3000);
    assert_int_equal(info.expires, T0 - 2100);
    rdsiam_provider_free(p);
}

static void bad_calls(void **state)
{
    stale s = {0, 0};
    rdsiam_provider *p = stale_provider(&s);
    rdsiam_token_params bad = PARAMS;
    rdsiam_token_info info;
    rdsiam_error err;
    char tok[64];

    (void)state;
    strcpy(tok, "junk");
    assert_int_equal(rdsiam_provider_generate_token_info(
                         p, &PARAMS, tok, sizeof tok, NULL, NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_string_equal(err.message, "token info is NULL");
    assert_string_equal(tok, "");
    /* Too small a buffer: no token, and the info is zeroed. */
    memset(&info, 0x5a, sizeof info);
    assert_int_equal(rdsiam_provider_generate_token_info(
                         p, &PARAMS, tok, sizeof tok, NULL, &info, &err),
                     RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(tok, "");
    assert_int_equal(info.expires, 0);
    assert_int_equal(info.signing_time, 0);
    assert_string_equal(info.source, "");
    bad.port = 0;
    assert_int_equal(rdsiam_provider_generate_token_info(
                         p, &bad, tok, sizeof tok, NULL, &info, &err),
                     RDSIAM_ERR_PORT_RANGE);
    assert_int_equal(rdsiam_provider_generate_token_info(
                         NULL, &PARAMS, tok, sizeof tok, NULL, &info, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    rdsiam_provider_free(p);
}

/* ------------------------------------------------------------------------ */
/* Which source, and why not the others                                     */
/* ------------------------------------------------------------------------ */

static const char CREDENTIALS[] = "[default]\n"
                                  "aws_access_key_id = AKIDFILEDEFAULT0\n"
                                  "aws_secret_access_key = filesecret\n";

static rdsiam_provider *default_provider(void)
{
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    assert_int_equal(rdsiam_provider_new_default(&p, NULL, &err), RDSIAM_OK);
    return p;
}

static void explain_shared_credentials_file(void **state)
{
    rdsiam_credentials keys = {.access_key_id = "AKIDFILEDEFAULT0",
                               .secret_access_key = "filesecret"};
    rdsiam_provider *p = default_provider();
    rdsiam_credentials_ref *ref = NULL;
    rdsiam_token_info info;
    rdsiam_error err;
    char text[4096], want[4096];
    size_t needed = 0;

    (void)state;
    /* Nothing fetched yet: nothing to explain. */
    assert_int_equal(
        rdsiam_provider_explain(p, text, sizeof text, &needed, &err),
        RDSIAM_OK);
    assert_string_equal(text, "");
    assert_int_equal(needed, 1);

    fake_write_file(home.credentials, CREDENTIALS);
    info = sign_now(p, &keys);
    assert_string_equal(info.source, "shared credentials file");
    assert_int_equal(info.expires, T0 + 900);
    assert_int_equal(info.credentials_expiration, 0);
    assert_int_equal(rdsiam_provider_get_cached(p, &ref, &err), RDSIAM_OK);
    assert_string_equal(rdsiam_credentials_ref_source(ref),
                        "shared credentials file");
    rdsiam_credentials_ref_free(ref);

    /* One line per source before it, in botocore's order, each saying
     * what the no-credentials error says of it. */
#if RDSIAM_HTTP
    snprintf(want, sizeof want,
             "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
             "not set\n"
             "assume role: profile default has no role_arn\n"
             "web identity: no token file (AWS_WEB_IDENTITY_TOKEN_FILE, "
             "web_identity_token_file)\n"
             "sso: profile default has no sso_account_id or sso_role_name\n");
#else
    /* Built with HTTP=no, the three sources that call AWS are links the
     * chain notes as not built in (lib/source_no_http.c). */
    snprintf(want, sizeof want,
             "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
             "not set\n"
             "assume role: not built in\n"
             "web identity: not built in\n"
             "sso: not built in\n");
#endif
    assert_int_equal(
        rdsiam_provider_explain(p, text, sizeof text, &needed, &err),
        RDSIAM_OK);
    assert_string_equal(text, want);
    assert_int_equal(needed, strlen(want) + 1);
    /* A buffer one byte short: nothing written, the size reported. */
    assert_int_equal(
        rdsiam_provider_explain(p, text, strlen(want), &needed, &err),
        RDSIAM_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(text, "");
    assert_int_equal(needed, strlen(want) + 1);
    rdsiam_provider_free(p);
}

static void explain_environment_first(void **state)
{
    rdsiam_credentials keys = {.access_key_id = "AKIDENVIRONMENT0",
                               .secret_access_key = "envsecret"};
    rdsiam_provider *p = NULL;
    rdsiam_token_info info;
    rdsiam_error err;
    char text[64];

    (void)state;
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT0");
    fake_env_set("AWS_SECRET_ACCESS_KEY", "envsecret");
    p = default_provider();
    info = sign_now(p, &keys);
    assert_string_equal(info.source, "environment");
    assert_int_equal(rdsiam_provider_explain(p, text, sizeof text, NULL, &err),
                     RDSIAM_OK);
    assert_string_equal(text, "");
    rdsiam_provider_free(p);
}

/* No credentials anywhere: every source of the chain, one per line. Built
 * with HTTP=no, each source that needs HTTP is a whole line "NAME: not
 * built in" (lib/source_no_http.c; the chain notes it, lib/chain.c), and
 * there is no metadata service to disable. */
#if RDSIAM_HTTP
#define HTTP_LINE(name) name ": "
#define IMDS_LINE                                                              \
    "instance metadata: disabled by AWS_EC2_METADATA_DISABLED=true\n"
#else
#define HTTP_LINE(name) name ": not built in\n"
#define IMDS_LINE HTTP_LINE("instance metadata")
#endif
static void explain_no_credentials(void **state)
{
    rdsiam_provider *p = default_provider();
    rdsiam_token_info info;
    rdsiam_error err;
    char tok[2048], text[8192];
    const char *lines[] = {"environment: ",
                           HTTP_LINE("assume role"),
                           HTTP_LINE("web identity"),
                           HTTP_LINE("sso"),
                           "shared credentials file: ",
                           HTTP_LINE("login"),
                           "credential_process: ",
                           "config file: ",
                           HTTP_LINE("container"),
                           IMDS_LINE};
    const char *at = text;

    (void)state;
    assert_int_equal(rdsiam_provider_generate_token_info(
                         p, &PARAMS, tok, sizeof tok, NULL, &info, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    assert_int_equal(info.expires, 0);
    assert_int_equal(rdsiam_provider_explain(p, text, sizeof text, NULL, &err),
                     RDSIAM_OK);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        assert_memory_equal(at, lines[i], strlen(lines[i]));
        at = strchr(at, '\n');
        assert_non_null(at);
        at++;
    }
    assert_string_equal(at, "");
    assert_null(strchr(text, '\r'));
    rdsiam_provider_free(p);
}
#undef HTTP_LINE
#undef IMDS_LINE

static void ref_source_of_null(void **state)
{
    (void)state;
    assert_string_equal(rdsiam_credentials_ref_source(NULL), "");
    assert_int_equal(rdsiam_provider_explain(NULL, NULL, 0, NULL, NULL),
                     RDSIAM_ERR_NULL_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            long_lived_keys_give_the_tokens_15_minutes, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_credentials_shorten_the_token,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(callers_short_lived_keys, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(explicit_signing_time, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(explain_shared_credentials_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(explain_environment_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(explain_no_credentials, setup,
                                        teardown),
        cmocka_unit_test(ref_source_of_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
