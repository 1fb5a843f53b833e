/*
 * test_profile.c - the shared config/credentials file parser, file
 * locations, profile selection and the profile credential source.
 *
 * Part 1 runs every case of the conformance data in
 * tests/vectors/aws-config/profile-parser-tests.json and
 * file-location-tests.json (smithy-rs test data, see SOURCE.md there), one
 * cmocka test per case; the expected values are the data's. Known deviations:
 * none.
 *
 * Part 2 works on real files in a temporary HOME. Expected values follow
 * the rules of reference/credential-providers.md section 2 and botocore's
 * behaviour (checked by tests/check-botocore-profile.sh).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "helpers/profile_fs.h"
#include "internal.h"
#include "profile.h"
#include "provider.h"

/* ------------------------------------------------------------------------ */
/* Part 1: conformance data                                                  */
/* ------------------------------------------------------------------------ */

static json_object *parser_doc, *location_doc;

static json_object *load_vectors(const char *file)
{
    char path[4096];
    json_object *doc;

    /* Tests run from the repository root (tests/run-tests.sh). */
    snprintf(path, sizeof(path), "tests/vectors/aws-config/%s", file);
    doc = json_object_from_file(path);
    if (!doc)
        fprintf(stderr, "cannot read %s\n", path);
    return doc;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_get_string(v);
}

/* Compare a parsed list with the expected {name: {key: value}} object. */
static void check_list(const rdsiam__profile_list *got, json_object *want,
                       const char *what)
{
    size_t i;

    assert_int_equal(got->n, json_object_object_length(want));
    json_object_object_foreach(want, name, props)
    {
        const rdsiam__profile *p = NULL;
        for (i = 0; i < got->n; i++)
            if (strcmp(got->items[i].name, name) == 0)
                p = &got->items[i];
        if (!p)
            fail_msg("%s %s missing", what, name);
        assert_int_equal(p->nprops, json_object_object_length(props));
        json_object_object_foreach(props, key, value)
        {
            const char *v = rdsiam__profile_get(p, key);
            if (!v)
                fail_msg("%s %s: property %s missing", what, name, key);
            assert_string_equal(v, json_object_get_string(value));
        }
    }
}

static void run_parser_case(void **state)
{
    json_object *tc = *state, *input, *output, *config, *v;
    rdsiam__profile_set set;
    rdsiam_error err;
    const char *text, *want_err;
    int rc = RDSIAM_OK;

    assert_true(json_object_object_get_ex(tc, "input", &input));
    assert_true(json_object_object_get_ex(tc, "output", &output));
    rdsiam__profile_set_init(&set);
    if ((text = jstr(input, "configFile")) != NULL)
        rc = rdsiam__profile_parse(&set, text, strlen(text),
                                   RDSIAM__PROFILE_CONFIG, "config", &err);
    if (rc == RDSIAM_OK && (text = jstr(input, "credentialsFile")) != NULL)
        rc = rdsiam__profile_parse(&set, text, strlen(text),
                                   RDSIAM__PROFILE_CREDENTIALS, "credentials",
                                   &err);
    want_err = jstr(output, "errorContaining");
    if (want_err) {
        assert_int_equal(rc, RDSIAM_ERR_CONFIG_PARSE);
        assert_int_equal(err.code, RDSIAM_ERR_CONFIG_PARSE);
        if (!strstr(err.message, want_err))
            fail_msg("message \"%s\" lacks \"%s\"", err.message, want_err);
    } else {
        assert_int_equal(rc, RDSIAM_OK);
        assert_true(json_object_object_get_ex(output, "config", &config));
        assert_true(json_object_object_get_ex(config, "profiles", &v));
        check_list(&set.profiles, v, "profile");
        if (json_object_object_get_ex(config, "sso_sessions", &v))
            check_list(&set.sso_sessions, v, "sso-session");
        else
            assert_int_equal(set.sso_sessions.n, 0);
    }
    rdsiam__profile_set_free(&set);
}

/* The environment of a file-location case, served through the seam. */
static json_object *case_env;

static const char *case_getenv(void *ctx, const char *name)
{
    (void)ctx;
    return jstr(case_env, name);
}

static void run_location_case(void **state)
{
    json_object *tc = *state;
    const char *platform = jstr(tc, "platform");
    const char *want_profile = jstr(tc, "profile");
    char *config = NULL, *creds = NULL;
    rdsiam_error err;

    assert_true(json_object_object_get_ex(tc, "environment", &case_env));
    rdsiam__sys_set_env(case_getenv, NULL);
    assert_int_equal(rdsiam__profile_paths(platform &&
                                               strcmp(platform, "windows") == 0,
                                           &config, &creds, &err),
                     RDSIAM_OK);
    assert_non_null(config);
    assert_non_null(creds);
    assert_string_equal(config, jstr(tc, "configLocation"));
    assert_string_equal(creds, jstr(tc, "credentialsLocation"));
    if (want_profile)
        assert_string_equal(rdsiam__profile_selected(NULL, NULL),
                            want_profile);
    rdsiam__sys_set_env(NULL, NULL);
    free(config);
    free(creds);
}

static int run_vector_group(json_object *doc, const char *group,
                            CMUnitTestFunction fn)
{
    json_object *tests;
    struct CMUnitTest *cases;
    size_t n, i;
    int failed;

    if (!doc || !json_object_object_get_ex(doc, "tests", &tests)) {
        fprintf(stderr, "%s: cannot read tests/vectors\n", group);
        return 1;
    }
    n = json_object_array_length(tests);
    cases = calloc(n, sizeof(*cases));
    if (!cases)
        return 1;
    for (i = 0; i < n; i++) {
        json_object *tc = json_object_array_get_idx(tests, i);
        cases[i].name = jstr(tc, "name");
        cases[i].test_func = fn;
        cases[i].initial_state = tc;
    }
    failed = _cmocka_run_group_tests(group, cases, n, NULL, NULL);
    free(cases);
    return failed;
}

/* ------------------------------------------------------------------------ */
/* Part 2: real files                                                        */
/* ------------------------------------------------------------------------ */

static char home[256];

static void creds_free(rdsiam__creds *c)
{
    rdsiam__free_secret_str((char *)(uintptr_t)c->access_key_id);
    rdsiam__free_secret_str((char *)(uintptr_t)c->secret_access_key);
    rdsiam__free_secret_str((char *)(uintptr_t)c->session_token);
    memset(c, 0, sizeof(*c));
}

static int home_setup(void **state)
{
    (void)state;
    if (profile_fs_mkdtemp(home, sizeof(home)) != 0)
        return -1;
    setenv("HOME", home, 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_DEFAULT_PROFILE");
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    return 0;
}

static int home_teardown(void **state)
{
    (void)state;
    profile_fs_rmtree(home);
    return 0;
}

static void put(const char *rel, const char *text)
{
    assert_int_equal(profile_fs_write(home, rel, text, 0600, NULL, 0), 0);
}

/* Fetch credentials from the profile source (profile NULL: selected by
 * the environment). */
static const rdsiam__chain_link profile_links[] = {
    {rdsiam__source_shared_credentials, true},
    {rdsiam__source_process, true},
    {rdsiam__source_config_keys, true},
};

static int fetch(const char *profile, rdsiam__creds *c, rdsiam_error *err)
{
    rdsiam_provider_options opts;
    rdsiam__source src;
    int rc;

    memset(&opts, 0, sizeof(opts));
    opts.profile = profile;
    assert_int_equal(
        rdsiam__chain_new(&src, profile_links,
                          sizeof profile_links / sizeof profile_links[0], &opts,
                          err),
        RDSIAM_OK);
    memset(c, 0, sizeof(*c));
    rc = src.fetch(src.self, c, err);
    src.destroy(src.self);
    return rc;
}

static void test_merge_credentials_win(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;
    char *region = NULL;

    (void)state;
    put(".aws/config", "[profile dev]\n"
                       "region = us-west-2\n"
                       "aws_access_key_id = CFGKEY0000000000\n"
                       "aws_secret_access_key = CFGSECRET\n"
                       "aws_session_token = CFGTOKEN\n");
    put(".aws/credentials", "[dev]\n"
                            "aws_access_key_id = CREDKEY000000000\n"
                            "aws_secret_access_key = CREDSECRET\n");
    /* "Duplicate properties between files uses credentials property" for
     * the keys; the token only the config file has is merged in. */
    assert_int_equal(fetch("dev", &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "CREDKEY000000000");
    assert_string_equal(c.secret_access_key, "CREDSECRET");
    assert_string_equal(c.session_token, "CFGTOKEN");
    assert_int_equal(c.expiration, 0);
    creds_free(&c);
    assert_int_equal(
        rdsiam__profile_setting("dev", "region", &region, NULL, &err),
        RDSIAM_OK);
    assert_string_equal(region, "us-west-2");
    free(region);
    /* Property names are case-insensitive. */
    assert_int_equal(
        rdsiam__profile_setting("dev", "REGION", &region, NULL, &err),
        RDSIAM_OK);
    assert_string_equal(region, "us-west-2");
    free(region);
    /* Absent key: not an error, NULL. */
    assert_int_equal(
        rdsiam__profile_setting("dev", "output", &region, NULL, &err),
        RDSIAM_OK);
    assert_null(region);
}

static void test_config_only_and_default(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;

    (void)state;
    put(".aws/config", "[default]\n"
                       "aws_access_key_id = DEFKEY0000000000\n"
                       "aws_secret_access_key = DEFSECRET\n"
                       "[dev]\n" /* no prefix in the config file: ignored */
                       "aws_access_key_id = NOPE\n"
                       "aws_secret_access_key = NOPE\n");
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "DEFKEY0000000000");
    assert_string_equal(c.secret_access_key, "DEFSECRET");
    assert_null(c.session_token);
    creds_free(&c);
    assert_int_equal(fetch("dev", &c, &err), RDSIAM_ERR_PROFILE_NOT_FOUND);
    assert_non_null(strstr(err.message, "profile dev not found"));
    assert_null(c.access_key_id);
}

static void test_env_selection(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;

    (void)state;
    put(".aws/credentials", "[a]\naws_access_key_id = AKEY000000000000\n"
                            "aws_secret_access_key = ASECRET\n"
                            "[b]\naws_access_key_id = BKEY000000000000\n"
                            "aws_secret_access_key = BSECRET\n"
                            "[default]\naws_access_key_id = DKEY000000000000\n"
                            "aws_secret_access_key = DSECRET\n");
    setenv("AWS_DEFAULT_PROFILE", "b", 1);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "BKEY000000000000");
    creds_free(&c);
    /* AWS_PROFILE beats AWS_DEFAULT_PROFILE (AWS CLI v2 order). */
    setenv("AWS_PROFILE", "a", 1);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKEY000000000000");
    creds_free(&c);
    /* The explicit argument beats both. */
    assert_int_equal(fetch("default", &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "DKEY000000000000");
    creds_free(&c);
    /* A profile the environment names but the files lack: botocore
     * raises ProfileNotFound. */
    setenv("AWS_PROFILE", "missing", 1);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_PROFILE_NOT_FOUND);
    assert_non_null(strstr(err.message, "profile missing not found"));
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_DEFAULT_PROFILE");
}

static void test_missing_files(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;
    char *v = (char *)"x";

    (void)state;
    /* No files at all: nothing configured here, the chain moves on. */
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_NO_CREDENTIALS);
    assert_int_equal(err.code, RDSIAM_ERR_NO_CREDENTIALS);
    assert_non_null(strstr(err.message, home));
    assert_int_equal(rdsiam__profile_setting(NULL, "region", &v, NULL, &err),
                     RDSIAM_OK);
    assert_null(v);
    /* An explicit profile is an error even then. */
    assert_int_equal(fetch("dev", &c, &err), RDSIAM_ERR_PROFILE_NOT_FOUND);
    /* /dev/null as the file (a common way to switch it off): absent. */
    setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_NO_CREDENTIALS);
    unsetenv("AWS_CONFIG_FILE");
}

static void test_no_credentials_in_profile(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;

    (void)state;
    put(".aws/config", "[default]\nregion = eu-west-1\n");
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_NO_CREDENTIALS);
    /* Each of the profile's sources says why it had nothing. */
    assert_string_equal(err.message,
                        "no credentials found; looked in: shared credentials "
                        "file (profile default has no aws_access_key_id in "
                        "the credentials file); credential_process (profile "
                        "default has no credential_process); config file "
                        "(profile default has no aws_access_key_id or "
                        "aws_secret_access_key)");
}

static void test_incomplete(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;

    (void)state;
    put(".aws/credentials", "[half]\naws_access_key_id = AKIAHALF00000000\n"
                            "[other]\naws_secret_access_key = S3CRETVALUE\n");
    assert_int_equal(fetch("half", &c, &err), RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(err.message, "profile half has aws_access_key_id but "
                                     "no aws_secret_access_key");
    assert_null(c.access_key_id);
    assert_int_equal(fetch("other", &c, &err), RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(err.message, "profile other has "
                                     "aws_secret_access_key but no "
                                     "aws_access_key_id");
    assert_null(strstr(err.message, "S3CRETVALUE"));
}

static void test_malformed_names_file_and_line(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;
    char path[512], want[700];
    char *v = NULL;

    (void)state;
    put(".aws/credentials", "[default]\n"
                            "aws_access_key_id = AKIAEXAMPLE00000\n"
                            "aws_secret_access_key = TOPSECRETVALUE\n"
                            "  TOPSECRETCONTINUATION\n"
                            "[broken\n");
    snprintf(path, sizeof(path), "%s/.aws/credentials", home);
    snprintf(want, sizeof(want),
             "Profile definition must end with ']' (%s, line 5)", path);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_CONFIG_PARSE);
    assert_string_equal(err.message, want);
    assert_null(c.access_key_id);
    assert_int_equal(rdsiam__profile_setting(NULL, "region", &v, NULL, &err),
                     RDSIAM_ERR_CONFIG_PARSE);
    assert_string_equal(err.message, want);
    assert_null(v);
    /* A property before any section, in the config file named by the
     * variable (~ expanded). */
    put("elsewhere/cfg", "\n# comment\naws_secret_access_key = TOPSECRET\n");
    setenv("AWS_CONFIG_FILE", "~/elsewhere/cfg", 1);
    snprintf(want, sizeof(want),
             "Expected a profile definition, found property (%s/elsewhere/cfg, "
             "line 3)",
             home);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_CONFIG_PARSE);
    assert_string_equal(err.message, want);
    unsetenv("AWS_CONFIG_FILE");
}

static void test_limits(void **state)
{
    rdsiam__profile_set set;
    rdsiam_error err;
    size_t n = RDSIAM__PROFILE_FILE_MAX + 1, i;
    char *big = malloc(n + 1);
    char *line;

    (void)state;
    assert_non_null(big);
    /* One byte over the file limit. */
    memset(big, '#', n);
    big[n] = '\0';
    put(".aws/config", big);
    rdsiam__profile_set_init(&set);
    {
        bool found;
        char path[512];
        snprintf(path, sizeof(path), "%s/.aws/config", home);
        assert_int_equal(rdsiam__profile_load_file(&set, path,
                                                   RDSIAM__PROFILE_CONFIG,
                                                   &found, &err),
                         RDSIAM_ERR_CONFIG_PARSE);
        assert_non_null(strstr(err.message, "is larger than 1048576 bytes"));
    }
    /* A line one byte over the line limit (line 2). */
    line = big;
    memcpy(line, "[default]\nk=", 12);
    for (i = 12; i < 10 + RDSIAM__PROFILE_LINE_MAX + 1; i++)
        line[i] = 'v';
    line[i] = '\0';
    assert_int_equal(rdsiam__profile_parse(&set, line, strlen(line),
                                           RDSIAM__PROFILE_CONFIG, "cfg",
                                           &err),
                     RDSIAM_ERR_CONFIG_PARSE);
    assert_string_equal(err.message, "line too long (cfg, line 2)");
    /* Exactly at the limit is fine. */
    line[i - 1] = '\0';
    rdsiam__profile_set_free(&set);
    assert_int_equal(rdsiam__profile_parse(&set, line, strlen(line),
                                           RDSIAM__PROFILE_CONFIG, "cfg",
                                           &err),
                     RDSIAM_OK);
    assert_int_equal(strlen(rdsiam__profile_get(
                         rdsiam__profile_find(&set, "default"), "k")),
                     RDSIAM__PROFILE_LINE_MAX - 2);
    rdsiam__profile_set_free(&set);
    free(big);
}

static void test_profile_names_and_prefixes(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;

    (void)state;
    /* [profile default] wins over [default] in the config file; a
     * [profile x] header in the credentials file is ignored. */
    put(".aws/config",
        "[default]\naws_access_key_id = BARE000000000000\n"
        "aws_secret_access_key = BARE000000000000\n"
        "[profile default]\naws_access_key_id = PREFIXED00000000\n"
        "aws_secret_access_key = PREFIXED00000000\n");
    put(".aws/credentials", "[profile default]\naws_access_key_id = NO\n"
                            "aws_secret_access_key = NO\n"
                            "[Dev]\naws_access_key_id = UPPER00000000000\n"
                            "aws_secret_access_key = UPPER00000000000\n");
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "PREFIXED00000000");
    creds_free(&c);
    /* Profile names are case-sensitive. */
    assert_int_equal(fetch("Dev", &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "UPPER00000000000");
    creds_free(&c);
    assert_int_equal(fetch("dev", &c, &err), RDSIAM_ERR_PROFILE_NOT_FOUND);
}

static void test_legacy_security_token(void **state)
{
    rdsiam__creds c;
    rdsiam_error err;

    (void)state;
    /* botocore reads aws_security_token too (SharedCredentialProvider). */
    put(".aws/credentials", "[default]\naws_access_key_id = K000000000000000\n"
                            "aws_secret_access_key = S\n"
                            "aws_security_token = LEGACY\n");
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_OK);
    assert_string_equal(c.session_token, "LEGACY");
    creds_free(&c);
}

/* A raw NUL byte in a profile file would cut a value short (region
 * "us\0-west-2" signing for "us", a session token dropped): the file is
 * refused naming file and line (issue 11 item 1). */
static void test_nul_bytes_refused(void **state)
{
    static const char region[] = "[default]\nregion = us\0-west-2\n";
    static const char token[] = "[default]\naws_access_key_id = "
                                "K000000000000000\naws_secret_access_key = "
                                "S\naws_session_token = \0TOKEN\n";
    rdsiam__profile_set set;
    rdsiam__creds c;
    rdsiam_error err;
    char path[512], want[600];
    int fd;

    (void)state;
    rdsiam__profile_set_init(&set);
    assert_int_equal(rdsiam__profile_parse(&set, region, sizeof region - 1,
                                           RDSIAM__PROFILE_CONFIG, "cfg",
                                           &err),
                     RDSIAM_ERR_CONFIG_PARSE);
    assert_string_equal(err.message, "NUL byte in the line (cfg, line 2)");
    rdsiam__profile_set_free(&set);
    /* Through the files and the chain: the error stops it. */
    snprintf(path, sizeof path, "%s/.aws/credentials", home);
    put(".aws/credentials", "");
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, token, sizeof token - 1),
                     (ssize_t)(sizeof token - 1));
    close(fd);
    assert_int_equal(fetch(NULL, &c, &err), RDSIAM_ERR_CONFIG_PARSE);
    snprintf(want, sizeof want, "NUL byte in the line (%s, line 4)", path);
    assert_string_equal(err.message, want);
    assert_null(c.access_key_id);
}

/* Indentation read as botocore reads it (its configparser; checked against
 * botocore 1.43 by tests/check-botocore-profile.sh): keys indented under
 * their section are properties; a line continues a property only when
 * indented more than that property's line. */
static void test_indented_properties(void **state)
{
    static const char text[] = "[ops]\n"
                               "  aws_access_key_id = K000000000000000\n"
                               "  aws_secret_access_key = S\n"
                               "  region = eu-north-1\n"
                               "      more\n"
                               "\toutput = json\n"
                               "s3 =\n"
                               "  max_concurrent_requests = 10\n";
    rdsiam__profile_set set;
    const rdsiam__profile *p;
    rdsiam_error err;

    (void)state;
    rdsiam__profile_set_init(&set);
    assert_int_equal(rdsiam__profile_parse(&set, text, sizeof text - 1,
                                           RDSIAM__PROFILE_CREDENTIALS, "c",
                                           &err),
                     RDSIAM_OK);
    p = rdsiam__profile_find(&set, "ops");
    assert_non_null(p);
    assert_string_equal(rdsiam__profile_get(p, "aws_access_key_id"),
                        "K000000000000000");
    assert_string_equal(rdsiam__profile_get(p, "aws_secret_access_key"), "S");
    assert_string_equal(rdsiam__profile_get(p, "region"), "eu-north-1\nmore");
    assert_string_equal(rdsiam__profile_get(p, "output"), "json");
    /* a property defined empty still takes indented sub-properties */
    assert_string_equal(rdsiam__profile_get(p, "s3"),
                        "\nmax_concurrent_requests = 10");
    rdsiam__profile_set_free(&set);
}

/* A profile of a kind no source reads yet is reported as what it is,
 * not as "no credentials", and stops the chain (botocore would use it
 * before the shared credentials file). Expected messages are ours. */
/* The profile sources read static keys whatever else a profile sets:
 * which of a role, web identity or SSO setting wins over them is the
 * chain's order (tests/test_assume_role.c), not theirs. */
static void test_other_kinds_keep_their_keys(void **state)
{
    static const char *const props[] = {
        "role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b",
        "web_identity_token_file = /t\nrole_arn = arn:aws:iam::1:role/r",
        "web_identity_token_file = /t",
        "sso_session = s",
        "sso_start_url = https://x",
    };
    rdsiam__creds c;
    rdsiam_error err;
    char text[256];

    (void)state;
    for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
        snprintf(text, sizeof text,
                 "[profile dev]\n%s\naws_access_key_id = K000000000000000\n"
                 "aws_secret_access_key = S\n",
                 props[i]);
        put(".aws/config", text);
        assert_int_equal(fetch("dev", &c, &err), RDSIAM_OK);
        assert_string_equal(c.access_key_id, "K000000000000000");
        rdsiam__creds_clear(&c);
    }
}

/* [services NAME] sections of a config file: kept beside the profiles,
 * each service a block of sub-properties (botocore 1.43 configloader.py:
 * build_profile_map files "services ..." sections under "services" by the
 * second word; _parse_nested splits each indented line at its first '=',
 * strips both sides, keeps names as written and lets the last one win).
 * The shared conformance data (profile-parser-tests.json) has no
 * services case; these expectations are botocore's. */
static void test_services_sections(void **state)
{
    static const char config[] =
        "[services local]\n"
        "sts =\n"
        "  endpoint_url = http://127.0.0.1:8080/old\n"
        "  Endpoint_URL = https://other.example.test\n"
        "  endpoint_url =   http://127.0.0.1:8080/sts  \n"
        "sso_oidc =\n"
        "  endpoint_url=https://oidc.example.test ; not a comment\n"
        "flat = value\n"
        "[profile dev]\n"
        "services = local\n"
        "[services second]\n"
        "signin =\n"
        "  endpoint_url =\n"
        "[servicesbad]\n"
        "sts =\n"
        "  endpoint_url = https://bad.example.test\n";
    static const char credentials[] = "[services local]\n"
                                      "region = us-east-1\n";
    rdsiam__profile_set set;
    const rdsiam__profile *sec;
    const rdsiam__profile_prop *prop;
    const char *v = NULL;
    size_t n = 0;
    rdsiam_error err;

    (void)state;
    rdsiam__profile_set_init(&set);
    assert_int_equal(rdsiam__profile_parse(&set, config, strlen(config),
                                           RDSIAM__PROFILE_CONFIG, "config",
                                           &err),
                     RDSIAM_OK);
    assert_int_equal(rdsiam__profile_parse(&set, credentials,
                                           strlen(credentials),
                                           RDSIAM__PROFILE_CREDENTIALS,
                                           "credentials", &err),
                     RDSIAM_OK);
    /* Two services sections; neither is a profile, and "[servicesbad]"
     * (no space) is neither (nor is "[services local]" of a credentials
     * file: a name with a space is not a profile name there). */
    assert_int_equal(set.services.n, 2);
    assert_int_equal(set.profiles.n, 1);
    assert_string_equal(set.profiles.items[0].name, "dev");
    assert_null(rdsiam__profile_find_services(&set, "servicesbad"));
    assert_null(rdsiam__profile_find_services(&set, "bad"));
    assert_null(rdsiam__profile_find(&set, "services local"));
    sec = rdsiam__profile_find_services(&set, "local");
    assert_non_null(sec);
    assert_int_equal(sec->nprops, 3);
    prop = rdsiam__profile_prop_get(sec, "sts");
    assert_non_null(prop);
    assert_true(prop->sub);
    assert_true(rdsiam__profile_sub_get(prop, "endpoint_url", &v, &n));
    assert_int_equal(n, strlen("http://127.0.0.1:8080/sts"));
    assert_memory_equal(v, "http://127.0.0.1:8080/sts", n);
    assert_true(rdsiam__profile_sub_get(prop, "Endpoint_URL", &v, &n));
    assert_memory_equal(v, "https://other.example.test", n);
    assert_false(rdsiam__profile_sub_get(prop, "ENDPOINT_URL", &v, &n));
    /* Comments are not stripped from sub-property values (botocore's
     * RawConfigParser has no inline comment prefixes). */
    prop = rdsiam__profile_prop_get(sec, "SSO_OIDC");
    assert_true(rdsiam__profile_sub_get(prop, "endpoint_url", &v, &n));
    assert_int_equal(n, strlen("https://oidc.example.test ; not a comment"));
    assert_memory_equal(v, "https://oidc.example.test ; not a comment", n);
    /* A plain value has no sub-properties. */
    prop = rdsiam__profile_prop_get(sec, "flat");
    assert_false(prop->sub);
    assert_false(rdsiam__profile_sub_get(prop, "endpoint_url", &v, &n));
    assert_false(rdsiam__profile_sub_get(NULL, "endpoint_url", &v, &n));
    /* An empty sub-property value is found, empty. */
    sec = rdsiam__profile_find_services(&set, "second");
    prop = rdsiam__profile_prop_get(sec, "signin");
    assert_true(rdsiam__profile_sub_get(prop, "endpoint_url", &v, &n));
    assert_int_equal(n, 0);
    rdsiam__profile_set_free(&set);
    assert_int_equal(set.services.n, 0);
}

#define HOME_TEST(f) cmocka_unit_test_setup_teardown(f, home_setup, home_teardown)

int main(void)
{
    const struct CMUnitTest file_tests[] = {
        HOME_TEST(test_merge_credentials_win),
        HOME_TEST(test_config_only_and_default),
        HOME_TEST(test_env_selection),
        HOME_TEST(test_missing_files),
        HOME_TEST(test_no_credentials_in_profile),
        HOME_TEST(test_incomplete),
        HOME_TEST(test_malformed_names_file_and_line),
        HOME_TEST(test_limits),
        HOME_TEST(test_profile_names_and_prefixes),
        HOME_TEST(test_legacy_security_token),
        HOME_TEST(test_nul_bytes_refused),
        HOME_TEST(test_other_kinds_keep_their_keys),
        HOME_TEST(test_indented_properties),
        cmocka_unit_test(test_services_sections),
    };
    int failed = 0;

    parser_doc = load_vectors("profile-parser-tests.json");
    location_doc = load_vectors("file-location-tests.json");
    failed += run_vector_group(parser_doc, "profile-parser-tests.json",
                               run_parser_case);
    failed += run_vector_group(location_doc, "file-location-tests.json",
                               run_location_case);
    failed += cmocka_run_group_tests_name("profile files", file_tests, NULL,
                                          NULL);
    json_object_put(parser_doc);
    json_object_put(location_doc);
    return failed;
}
