/*
 * test_chain.c - the default chain (lib/chain.c) over the real sources:
 * environment, then the shared-file profile, then container endpoints;
 * an explicit profile means that profile alone.
 *
 * The environment is pinned through the library's seam; profile files are
 * real files in a temporary directory. No test configures a reachable
 * network endpoint: the one container case uses a URI that is refused
 * before any connection is made.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers/creds_ref.h"
#include "helpers/fake_env.h"
#include "provider.h"

static fake_home home;

static int setup(void **state)
{
    (void)state;
    return fake_home_setup(&home, "chain");
}

static int teardown(void **state)
{
    (void)state;
    fake_home_teardown(&home);
    return 0;
}

static const char CREDS[] = "[default]\n"
                            "aws_access_key_id = AKIDFILEDEFAULT0\n"
                            "aws_secret_access_key = filedefaultsecret\n"
                            "[dev]\n"
                            "aws_access_key_id = AKIDFILEDEV00000\n"
                            "aws_secret_access_key = filedevsecret\n"
                            "aws_session_token = filedevtoken\n";

/* The access key id the provider hands out, or the error code. */
static int key_of(const rdsiam_provider_options *o, char *key, size_t n,
                  rdsiam_error *err)
{
    rdsiam_provider *p = NULL;
    rdsiam_credentials c;
    int rc;

    key[0] = '\0';
    rc = rdsiam_provider_new_default(&p, o, err);
    if (rc != RDSIAM_OK)
        return rc;
    rc = creds_ref_get(p, &c, err);
    if (rc == RDSIAM_OK)
        snprintf(key, n, "%s", c.access_key_id);
    creds_ref_put(&c);
    rdsiam_provider_free(p);
    return rc;
}

static void test_env_first(void **state)
{
    char key[64];
    rdsiam_error err;

    (void)state;
    fake_write_file(home.credentials, CREDS);
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENV000000000");
    fake_env_set("AWS_SECRET_ACCESS_KEY", "envsecret");
    assert_int_equal(key_of(NULL, key, sizeof key, &err), RDSIAM_OK);
    assert_string_equal(key, "AKIDENV000000000");
    /* botocore: AWS_PROFILE in the environment does not disable the
     * environment source; only a profile set on the session does. */
    fake_env_set("AWS_PROFILE", "dev");
    assert_int_equal(key_of(NULL, key, sizeof key, &err), RDSIAM_OK);
    assert_string_equal(key, "AKIDENV000000000");
}

static void test_profile_second(void **state)
{
    char key[64];
    rdsiam_error err;

    (void)state;
    fake_write_file(home.credentials, CREDS);
    assert_int_equal(key_of(NULL, key, sizeof key, &err), RDSIAM_OK);
    assert_string_equal(key, "AKIDFILEDEFAULT0");
    fake_env_set("AWS_PROFILE", "dev");
    assert_int_equal(key_of(NULL, key, sizeof key, &err), RDSIAM_OK);
    assert_string_equal(key, "AKIDFILEDEV00000");
}

static void test_explicit_profile_only(void **state)
{
    rdsiam_provider_options o = {0};
    char key[64];
    rdsiam_error err;

    (void)state;
    fake_write_file(home.credentials, CREDS);
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENV000000000");
    fake_env_set("AWS_SECRET_ACCESS_KEY", "envsecret");
    o.profile = "dev";
    assert_int_equal(key_of(&o, key, sizeof key, &err), RDSIAM_OK);
    assert_string_equal(key, "AKIDFILEDEV00000");
    /* A named profile that does not exist is an error, not a reason to
     * fall back to the environment. */
    o.profile = "nosuch";
    assert_int_equal(key_of(&o, key, sizeof key, &err),
                     RDSIAM_ERR_PROFILE_NOT_FOUND);
    assert_string_equal(key, "");
    assert_non_null(strstr(err.message, "nosuch"));
}

static void test_env_error_stops_chain(void **state)
{
    char key[64];
    rdsiam_error err;

    (void)state;
    fake_write_file(home.credentials, CREDS);
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENV000000000");
    assert_int_equal(key_of(NULL, key, sizeof key, &err),
                     RDSIAM_ERR_ENV_INCOMPLETE);
    assert_string_equal(err.message, "AWS_SECRET_ACCESS_KEY is not set "
                                     "(AWS_ACCESS_KEY_ID is)");
}

static void test_nothing_lists_places(void **state)
{
    char key[64];
    rdsiam_error err;

    (void)state;
    char want[2 * RDSIAM_ERROR_MESSAGE_SIZE];

    assert_int_equal(key_of(NULL, key, sizeof key, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    /* Every source tried, once, with why it had nothing, in botocore's
     * order; neighbours with the same reason (the sources of the missing
     * default profile) share it. */
#if RDSIAM_HTTP
    snprintf(want, sizeof want,
             "no credentials found; looked in: environment "
             "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); "
             "assume role (profile default not found in %s, %s); "
             "web identity (no token file (AWS_WEB_IDENTITY_TOKEN_FILE, "
             "web_identity_token_file)); "
             "sso, shared credentials file, login, credential_process, "
             "config file (profile default not found in %s, %s); container (no "
             "environment variables were set to configure ECS provider "
             "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, "
             "AWS_CONTAINER_CREDENTIALS_FULL_URI)); instance metadata "
             "(disabled by AWS_EC2_METADATA_DISABLED=true)",
             home.config, home.credentials, home.config, home.credentials);
#else
    snprintf(want, sizeof want,
             "no credentials found; looked in: environment "
             "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); "
             "assume role, web identity, sso (not built in); "
             "shared credentials file (profile default not found in %s, %s); "
             "login (not built in); credential_process, config file "
             "(profile default not found in %s, %s); container, instance "
             "metadata (not built in)",
             home.config, home.credentials, home.config, home.credentials);
#endif
    assert_string_equal(err.message, want);
}

static void test_container_third(void **state)
{
    char key[64];
    rdsiam_error err;

    (void)state;
    /* Plain http to a host off the allow list is refused before any
     * connection: proof that the chain reached the container source. */
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://192.0.2.1/credentials");
#if RDSIAM_HTTP
    assert_int_equal(key_of(NULL, key, sizeof key, &err),
                     RDSIAM_ERR_URI_NOT_ALLOWED);
    /* ...and only after the profile had nothing. */
    fake_write_file(home.credentials, CREDS);
    assert_int_equal(key_of(NULL, key, sizeof key, &err), RDSIAM_OK);
    assert_string_equal(key, "AKIDFILEDEFAULT0");
#else
    assert_int_equal(key_of(NULL, key, sizeof key, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
#endif
}

static void test_new_profile_and_container(void **state)
{
    rdsiam_provider *p = NULL;
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    fake_write_file(home.credentials, CREDS);
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENV000000000");
    fake_env_set("AWS_SECRET_ACCESS_KEY", "envsecret");
    assert_int_equal(rdsiam_provider_new_profile(&p, NULL, &err), RDSIAM_OK);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDFILEDEFAULT0");
    creds_ref_put(&c);
    rdsiam_provider_free(p);
#if RDSIAM_HTTP
    assert_int_equal(rdsiam_provider_new_container(&p, NULL, &err),
                     RDSIAM_OK);
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    rdsiam_provider_free(p);
#else
    assert_int_equal(rdsiam_provider_new_container(&p, NULL, &err),
                     RDSIAM_ERR_NOT_BUILT_IN);
    assert_null(p);
#endif
}

/* credential_process through the default chain: the answer's Expiration
 * is cached and the command runs again only when the credentials come due
 * (refresh_before 960 s ahead). The script counts its runs in a file. */
static int64_t pinned_now;
static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return pinned_now;
}

static int runs(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;

    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_process_cached_and_refreshed(void **state)
{
    char script[160], count[160], config[512], key[64];
    rdsiam_error err;
    rdsiam_provider *p = NULL;
    rdsiam_credentials c;
    FILE *f;

    (void)state;
    snprintf(script, sizeof script, "%s/process.sh", home.dir);
    snprintf(count, sizeof count, "%s/runs", home.dir);
    f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f,
            "#!/bin/sh\necho run >> '%s'\n"
            "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC00000000\", "
            "\"SecretAccessKey\": \"procsecret\", \"SessionToken\": "
            "\"proctoken\", \"Expiration\": "
            "\"2026-11-28T01:00:00Z\"}'\n",
            count);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(script, 0700), 0);
    snprintf(config, sizeof config, "[default]\ncredential_process = %s\n",
             script);
    fake_write_file(home.config, config);

    /* 2026-11-28T00:00:00Z; the credentials expire an hour later
     * (python3: calendar.timegm((2026, 11, 28, 1, 0, 0)) == 1795827600) */
    pinned_now = INT64_C(1795824000);
    rdsiam__sys_set_clock(pinned_clock, NULL);
    assert_int_equal(rdsiam_provider_new_default(&p, NULL, &err), RDSIAM_OK);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDPROC00000000");
    assert_string_equal(c.session_token, "proctoken");
    assert_int_equal(c.expiration, INT64_C(1795827600));
    creds_ref_put(&c);
    assert_int_equal(rdsiam_provider_refresh_due(p),
                     INT64_C(1795827600) - 960);
    assert_int_equal(key_of(NULL, key, sizeof key, &err), RDSIAM_OK);
    assert_int_equal(runs(count), 2); /* key_of made its own provider */
    pinned_now = INT64_C(1795827600) - 961;
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    creds_ref_put(&c);
    assert_int_equal(runs(count), 2);
    pinned_now = INT64_C(1795827600) - 960;
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    creds_ref_put(&c);
    assert_int_equal(runs(count), 3);
    rdsiam_provider_free(p);
    rdsiam__sys_set_clock(NULL, NULL);
    unlink(script);
    unlink(count);
}

static void test_arguments(void **state)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = (rdsiam_provider *)1;
    rdsiam_error err;

    (void)state;
    assert_int_equal(rdsiam_provider_new_default(NULL, NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    o.refresh_before = -5;
    assert_int_equal(rdsiam_provider_new_default(&p, &o, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_null(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_env_first),
        T(test_profile_second),
        T(test_explicit_profile_only),
        T(test_env_error_stops_chain),
        T(test_nothing_lists_places),
        T(test_container_third),
        T(test_new_profile_and_container),
        T(test_process_cached_and_refreshed),
        T(test_arguments),
#undef T
    };
    return cmocka_run_group_tests_name("provider_chain", tests, NULL, NULL);
}
