/*
 * test_assume_role.c - the assume-role source (lib/source_assume_role.c)
 * in the default chain, in botocore's order with every source wired in:
 * assumed roles (source_profile chains, credential_source), web identity,
 * SSO, instance metadata, and the rules that pick between them.
 *
 * Everything goes through the public provider API against the loopback
 * stand-in (tests/helpers/aws_standin.py) for STS, the SSO portal, IMDS
 * and a container endpoint. STS verifies the SigV4 signature of every
 * AssumeRole and each role below trusts exactly one access key id (the
 * stand-in's "Trusted" list, like a trust policy), so a chain that signs a
 * hop with anything but the previous hop's credentials is refused.
 *
 * Where expected values come from: the access key ids are the stand-in's
 * (configured below or its IMDS/SSO defaults); the rules are botocore
 * 1.43's (credentials.py: create_credential_resolver, AssumeRoleProvider,
 * AssumeRoleWithWebIdentityProvider, SSOProvider), and
 * tests/check-botocore-sources.sh runs botocore on the same scenarios.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>
#include <openssl/sha.h>

#include "helpers/fake_env.h"
#include "helpers/standin.h"
#include "provider.h"

#if RDSIAM_HTTP

#define STATIC_A "AKIDSTATICAAAAAA"
#define SELF_KEY "AKIDSELFSTATIC00"
#define ENV_KEY "AKIDENVIRONMENT0"
#define IMDS_KEY "ASIAIMDSEXAMPLE12345" /* the stand-in's IMDS answer */
#define SSO_KEY "ASIASSOEXAMPLE123456"  /* the stand-in's SSO default */
#define KEY_A "ASIAROLEAEXAMPLE0001"
#define KEY_B "ASIAROLEBEXAMPLE0002"
#define KEY_SELF "ASIAROLESELFEXAMPL03"
#define KEY_ENV "ASIAROLEENVEXAMPLE04"
#define KEY_IMDS "ASIAROLEIMDSEXAMPL05"
#define KEY_WEB "ASIAWEBIDEXAMPLE0006"
#define KEY_W2 "ASIAROLEW2EXAMPLE007"
#define ROLE(n) "arn:aws:iam::123456789012:role/" n
#define WEB_TOKEN "eyJhbGciOiJSUzI1NiJ9.web-identity-token.sig"
#define STANDIN_NOW INT64_C(4102444800) /* 2100-01-01T00:00:00Z */

/* Each role trusts one key: RoleA the static key, RoleB RoleA's
 * credentials, and so on. */
#define ROLE_JSON(arn, key, trusted)                                           \
    "\"" arn "\": {\"AccessKeyId\": \"" key "\", \"SecretAccessKey\": \"" key  \
    "-secret\", \"SessionToken\": \"" key "-token\", \"Trusted\": [\"" trusted \
    "\"]}"

/* clang-format off */
static const char CONFIG_JSON[] =
    "{\"max_skew\": 0, \"now\": 4102444800,"
    " \"keys\": {"
    "  \"" STATIC_A "\": {\"secret\": \"staticSecretA\", \"token\": null},"
    "  \"" SELF_KEY "\": {\"secret\": \"selfSecret\", \"token\": null},"
    "  \"" ENV_KEY "\": {\"secret\": \"envSecret\", \"token\": null},"
    "  \"" IMDS_KEY "\": {\"secret\": "
    "\"imdsSecretKeyEXAMPLE/abcdefghijklmnopqrstu+1\", \"token\": "
    "\"imdsSessionTokenEXAMPLE/xyz+abc==\"}},"
    " \"roles\": {"
    ROLE_JSON(ROLE("RoleA"), KEY_A, STATIC_A) ","
    ROLE_JSON(ROLE("RoleB"), KEY_B, KEY_A) ","
    ROLE_JSON(ROLE("RoleSelf"), KEY_SELF, SELF_KEY) ","
    ROLE_JSON(ROLE("RoleEnv"), KEY_ENV, ENV_KEY) ","
    ROLE_JSON(ROLE("RoleImds"), KEY_IMDS, IMDS_KEY) ","
    ROLE_JSON(ROLE("RoleW2"), KEY_W2, KEY_WEB) ","
    "  \"" ROLE("RoleWeb") "\": {\"AccessKeyId\": \"" KEY_WEB "\","
    "   \"SecretAccessKey\": \"web-secret\", \"SessionToken\": \"web-token\","
    "   \"WebIdentityToken\": \"" WEB_TOKEN "\"}}}";
/* clang-format on */

static const char CREDENTIALS[] = "[base]\n"
                                  "aws_access_key_id = " STATIC_A "\n"
                                  "aws_secret_access_key = staticSecretA\n";

/* The config file; the %s are, in order, the web identity token file,
 * the CA bundle and the IMDS endpoint (twice). */
/* clang-format off */
static const char CONFIG_FMT[] =
    "[profile one]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "[profile hop1]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "[profile hop2]\n"
    "role_arn = " ROLE("RoleB") "\n"
    "source_profile = hop1\n"
    "[profile skip]\n"
    "role_arn = " ROLE("RoleB") "\n"
    "source_profile = base\n"
    "[profile params]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "external_id = ext-42\n"
    "role_session_name = my-session\n"
    "duration_seconds = 900\n"
    "[profile both]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "aws_access_key_id = AKIDBOTHSTATIC00\n"
    "aws_secret_access_key = bothSecret\n"
    "[profile self]\n"
    "role_arn = " ROLE("RoleSelf") "\n"
    "source_profile = self\n"
    "aws_access_key_id = " SELF_KEY "\n"
    "aws_secret_access_key = selfSecret\n"
    "[profile selfnokeys]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = selfnokeys\n"
    "[profile la]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = lb\n"
    "[profile lb]\n"
    "role_arn = " ROLE("RoleB") "\n"
    "source_profile = lc\n"
    "[profile lc]\n"
    "role_arn = " ROLE("RoleB") "\n"
    "source_profile = la\n"
    "[profile mfa]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "mfa_serial = arn:aws:iam::123456789012:mfa/someone\n"
    "[profile nosource]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "[profile twosources]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "credential_source = Environment\n"
    "[profile badsource]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "credential_source = Elsewhere\n"
    "[profile badduration]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "duration_seconds = an hour\n"
    "[profile missingsource]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = nosuch\n"
    "[profile envrole]\n"
    "role_arn = " ROLE("RoleEnv") "\n"
    "credential_source = Environment\n"
    "[profile imdsrole]\n"
    "role_arn = " ROLE("RoleImds") "\n"
    "credential_source = Ec2InstanceMetadata\n"
    "[profile ecsrole]\n"
    "role_arn = " ROLE("RoleImds") "\n"
    "credential_source = EcsContainer\n"
    "[profile webp]\n"
    "web_identity_token_file = %s\n"
    "role_arn = " ROLE("RoleWeb") "\n"
    "role_session_name = web-session\n"
    "[profile w2]\n"
    "role_arn = " ROLE("RoleW2") "\n"
    "source_profile = webp\n"
    "[profile emptysrc]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = empty\n"
    "[profile empty]\n"
    "region = us-east-1\n"
    "[profile ssonew]\n"
    "sso_session = my-sso\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = ReadOnly\n"
    "[sso-session my-sso]\n"
    "sso_start_url = https://my-sso-portal.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "[profile ssoold]\n"
    "sso_start_url = https://legacy-portal.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = ReadOnly\n"
    "[profile ssonosession]\n"
    "sso_session = nosuch\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = ReadOnly\n"
    "[profile ssopartial]\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = ReadOnly\n"
    "[profile cabundle]\n"
    "role_arn = " ROLE("RoleA") "\n"
    "source_profile = base\n"
    "ca_bundle = %s\n"
    "[profile imdsv1]\n"
    "ec2_metadata_service_endpoint = %s\n"
    "[profile imdsnov1]\n"
    "ec2_metadata_service_endpoint = %s\n"
    "ec2_metadata_v1_disabled = true\n";
/* clang-format on */

static fake_home home;
static standin server;
static char token_path[192], sts_url[256], sso_url[256], imds_url[256];
static char container_url[256];
static int64_t pinned_now;

static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return pinned_now;
}

static void write_config(const char *ca_bundle)
{
    char text[8192], imds[128];

    /* An IMDS endpoint whose token request is refused (403). */
    snprintf(imds, sizeof imds, "http://127.0.0.1:%d/imds/t403.profile",
             server.port);
    snprintf(text, sizeof text, CONFIG_FMT, token_path, ca_bundle, imds, imds);
    fake_write_file(home.config, text);
}

static int setup(void **state)
{
    (void)state;
    if (fake_home_setup(&home, "chainsrc") != 0)
        return -1;
    snprintf(token_path, sizeof token_path, "%s/web-token", home.dir);
    fake_write_file(token_path, WEB_TOKEN);
    fake_write_file(home.credentials, CREDENTIALS);
    write_config("/nonexistent/ca.pem");
    fake_env_set("AWS_REGION", "us-east-1");
    snprintf(sts_url, sizeof sts_url, "http://127.0.0.1:%d/s/chain/ok",
             server.port);
    fake_env_set("AWS_ENDPOINT_URL_STS", sts_url);
    snprintf(sso_url, sizeof sso_url, "http://127.0.0.1:%d", server.port);
    fake_env_set("AWS_ENDPOINT_URL_SSO", sso_url);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rdsiam__sys_set_clock(NULL, NULL);
    fake_home_teardown(&home);
    return 0;
}

/* The access key id a default provider hands out (empty on error). */
static int key_of(const char *profile, char *key, size_t n, rdsiam_error *e)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *r = NULL;
    int rc;

    key[0] = '\0';
    memset(e, 0, sizeof *e);
    o.profile = profile;
    rc = rdsiam_provider_new_default(&p, &o, e);
    if (rc != RDSIAM_OK)
        return rc;
    rc = rdsiam_provider_get_credentials(p, &r, e);
    if (rc == RDSIAM_OK)
        snprintf(key, n, "%s", rdsiam_credentials_ref_get(r)->access_key_id);
    rdsiam_credentials_ref_free(r);
    rdsiam_provider_free(p);
    return rc;
}

static void use_sts(const char *tag)
{
    snprintf(sts_url, sizeof sts_url, "http://127.0.0.1:%d/s/%s/ok",
             server.port, tag);
    fake_env_set("AWS_ENDPOINT_URL_STS", sts_url);
}

static long sts_hits(const char *tag)
{
    char path[128];

    snprintf(path, sizeof path, "/s/%s/ok", tag);
    return standin_hits(&server, path);
}

/* A form field of the last request the stand-in logged for path
 * (allocated), or NULL. */
static char *last_form(const char *path, const char *field)
{
    char *text = standin_report(&server, "_log", path), *out = NULL;
    struct json_object *log, *req, *form, *v;

    assert_non_null(text);
    log = json_tokener_parse(text);
    free(text);
    assert_non_null(log);
    req = json_object_array_get_idx(log, json_object_array_length(log) - 1);
    if (req && json_object_object_get_ex(req, "form", &form) &&
        json_object_object_get_ex(form, field, &v))
        out = strdup(json_object_get_string(v));
    json_object_put(log);
    return out;
}

/* ------------------------------------------------------------------------ */
/* Assumed roles                                                             */
/* ------------------------------------------------------------------------ */

/* role_arn + source_profile with static keys: one AssumeRole signed with
 * them, a botocore-session-<unix time> session name, no duration. */
static void test_role_from_source_profile(void **state)
{
    char key[64], *v;
    rdsiam_error e;

    (void)state;
    use_sts("one");
    fake_env_set("AWS_PROFILE", "one");
    assert_int_equal(key_of(NULL, key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    assert_int_equal(sts_hits("one"), 1);
    v = last_form("/s/one/ok", "RoleSessionName");
    assert_non_null(v);
    /* AssumeRoleCredentialFetcher: 'botocore-session-%s' % int(time()) */
    assert_int_equal(strncmp(v, "botocore-session-", 17), 0);
    assert_true(strlen(v) > 17 &&
                strspn(v + 17, "0123456789") == strlen(v + 17));
    free(v);
    assert_null(last_form("/s/one/ok", "DurationSeconds"));
    assert_null(last_form("/s/one/ok", "ExternalId"));
}

/* external_id, role_session_name and duration_seconds are sent as set. */
static void test_role_parameters(void **state)
{
    char key[64], *v;
    rdsiam_error e;

    (void)state;
    use_sts("params");
    assert_int_equal(key_of("params", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    v = last_form("/s/params/ok", "ExternalId");
    assert_string_equal(v, "ext-42");
    free(v);
    v = last_form("/s/params/ok", "RoleSessionName");
    assert_string_equal(v, "my-session");
    free(v);
    v = last_form("/s/params/ok", "DurationSeconds");
    assert_string_equal(v, "900");
    free(v);
}

/* Two hops: hop2's RoleB trusts only RoleA's credentials, which hop1
 * gets with the static key. The stand-in verifies both signatures; the
 * same RoleB asked for with the static key directly is refused, so the
 * success proves the second hop signed with the first hop's credentials. */
static void test_two_hop_chain(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    use_sts("hop");
    assert_int_equal(key_of("hop2", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_B);
    assert_int_equal(sts_hits("hop"), 2);
    use_sts("skip");
    assert_int_equal(key_of("skip", key, sizeof key, &e), RDSIAM_ERR_STS);
    assert_non_null(strstr(e.message, "assume role (profile skip): STS "
                                      "AssumeRole: AccessDenied (HTTP 403)"));
}

/* A profile with role_arn and static keys: the role wins (AssumeRole
 * comes before the shared credentials file in botocore's chain). A
 * profile naming itself as source_profile uses its own static keys. */
static void test_role_beats_static_keys(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    use_sts("both");
    assert_int_equal(key_of("both", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    use_sts("self");
    assert_int_equal(key_of("self", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_SELF);
}

/* Loops (botocore InfiniteLoopConfigError), named with the cycle. */
static void test_role_loops(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    use_sts("loop");
    assert_int_equal(key_of("la", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message, "profile lc: source_profile la makes a "
                                   "loop: la -> lb -> lc -> la");
    assert_int_equal(key_of("selfnokeys", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message,
                        "profile selfnokeys: source_profile selfnokeys "
                        "makes a loop: selfnokeys -> selfnokeys");
    assert_int_equal(sts_hits("loop"), 0);
}

/* Settings botocore refuses, and mfa_serial, refused here too. */
static void test_role_config_errors(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    use_sts("bad");
    assert_int_equal(key_of("mfa", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message,
                        "profile mfa sets mfa_serial: an MFA code cannot be "
                        "asked for here; use a profile without mfa_serial "
                        "(for example with credentials from `aws sts "
                        "get-session-token`)");
    assert_int_equal(key_of("nosource", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(e.message, "profile nosource has role_arn but "
                                   "neither source_profile nor "
                                   "credential_source");
    assert_int_equal(key_of("twosources", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message, "profile twosources has both "
                                   "source_profile and credential_source");
    assert_int_equal(key_of("badsource", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message,
                        "profile badsource: credential_source Elsewhere is "
                        "not one of Environment, Ec2InstanceMetadata, "
                        "EcsContainer");
    assert_int_equal(key_of("badduration", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message,
                        "profile badduration: duration_seconds is not a "
                        "whole number of seconds from 900 to 43200");
    assert_int_equal(key_of("missingsource", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message, "profile missingsource: its "
                                   "source_profile nosuch does not exist");
    /* A source profile with nothing in it (botocore: 'The source profile
     * "empty" must have credentials.'). */
    assert_int_equal(key_of("emptysrc", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_non_null(strstr(e.message, "source profile empty has no "
                                      "credentials"));
    assert_int_equal(sts_hits("bad"), 0);
}

/* credential_source: each of the three sources signs AssumeRole. */
static void test_credential_source_each(void **state)
{
    char key[64], ep[256];
    rdsiam_error e;

    (void)state;
    use_sts("cs");
    /* Environment: the caller names the profile, which drops the
     * environment source from the chain; the role still reads it. */
    fake_env_set("AWS_ACCESS_KEY_ID", ENV_KEY);
    fake_env_set("AWS_SECRET_ACCESS_KEY", "envSecret");
    assert_int_equal(key_of("envrole", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_ENV);
    fake_env_set("AWS_ACCESS_KEY_ID", NULL);
    fake_env_set("AWS_SECRET_ACCESS_KEY", NULL);
    /* Environment with nothing there is an error, not a fall-through. */
    assert_int_equal(key_of("envrole", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    /* Ec2InstanceMetadata. */
    snprintf(imds_url, sizeof imds_url, "http://127.0.0.1:%d/imds/v2.csimds",
             server.port);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "false");
    assert_int_equal(key_of("imdsrole", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_IMDS);
    assert_int_equal(standin_hits(&server, "/imds/v2.csimds/latest/api/token"),
                     1);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
    /* EcsContainer: a container endpoint answering the same document. */
    snprintf(container_url, sizeof container_url,
             "http://127.0.0.1:%d/imds/ecs/latest/meta-data/iam/"
             "security-credentials/rdsiam-test-role",
             server.port);
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_url);
    assert_int_equal(key_of("ecsrole", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_IMDS);
    snprintf(ep, sizeof ep,
             "/imds/ecs/latest/meta-data/iam/security-credentials/"
             "rdsiam-test-role");
    assert_int_equal(standin_hits(&server, ep), 1);
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", NULL);
    assert_int_equal(sts_hits("cs"), 3);
}

/* Expiry and renewal: role credentials live DurationSeconds (3600 by
 * default) from the stand-in's clock; the provider asks again inside its
 * refresh window (900 + 60 s before expiry), not before. */
static void test_role_renewal(void **state)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *r = NULL;
    rdsiam_error e;

    (void)state;
    use_sts("renew");
    pinned_now = STANDIN_NOW;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    o.profile = "one";
    assert_int_equal(rdsiam_provider_new_default(&p, &o, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e), RDSIAM_OK);
    assert_string_equal(rdsiam_credentials_ref_get(r)->access_key_id, KEY_A);
    assert_int_equal(rdsiam_credentials_ref_get(r)->expiration,
                     STANDIN_NOW + 3600);
    rdsiam_credentials_ref_free(r);
    pinned_now = STANDIN_NOW + 3600 - 961;
    assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e), RDSIAM_OK);
    rdsiam_credentials_ref_free(r);
    assert_int_equal(sts_hits("renew"), 1);
    pinned_now = STANDIN_NOW + 3600 - 959;
    /* The stand-in's clock does not move: the same expiration again. */
    assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_credentials_ref_get(r)->expiration,
                     STANDIN_NOW + 3600);
    rdsiam_credentials_ref_free(r);
    assert_int_equal(sts_hits("renew"), 2);
    rdsiam_provider_free(p);
    rdsiam__sys_set_clock(NULL, NULL);
}

/* ------------------------------------------------------------------------ */
/* Profile selection                                                         */
/* ------------------------------------------------------------------------ */

/* Environment keys beat AWS_PROFILE; a profile the caller names drops
 * the environment source (create_credential_resolver's
 * disable_env_vars). */
static void test_explicit_profile_vs_aws_profile(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    use_sts("select");
    fake_env_set("AWS_ACCESS_KEY_ID", ENV_KEY);
    fake_env_set("AWS_SECRET_ACCESS_KEY", "envSecret");
    fake_env_set("AWS_PROFILE", "one");
    assert_int_equal(key_of(NULL, key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, ENV_KEY);
    assert_int_equal(sts_hits("select"), 0);
    assert_int_equal(key_of("one", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    assert_int_equal(sts_hits("select"), 1);
}

/* ------------------------------------------------------------------------ */
/* Web identity                                                              */
/* ------------------------------------------------------------------------ */

static void test_web_identity_env_and_profile(void **state)
{
    char key[64], *v;
    rdsiam_error e;

    (void)state;
    use_sts("web");
    fake_env_set("AWS_WEB_IDENTITY_TOKEN_FILE", token_path);
    fake_env_set("AWS_ROLE_ARN", ROLE("RoleWeb"));
    fake_env_set("AWS_ROLE_SESSION_NAME", "env-session");
    assert_int_equal(key_of(NULL, key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_WEB);
    v = last_form("/s/web/ok", "RoleSessionName");
    assert_string_equal(v, "env-session");
    free(v);
    /* A named profile ignores the variables (disable_env_vars), and so
     * does a profile-only provider. */
    assert_int_equal(key_of("empty", key, sizeof key, &e),
                     RDSIAM_ERR_NO_CREDENTIALS);
    {
        rdsiam_provider *p = NULL;
        rdsiam_credentials_ref *r = NULL;

        assert_int_equal(rdsiam_provider_new_profile(&p, NULL, &e), RDSIAM_OK);
        assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e),
                         RDSIAM_ERR_NO_CREDENTIALS);
        assert_null(r);
        rdsiam_provider_free(p);
    }
    fake_env_set("AWS_WEB_IDENTITY_TOKEN_FILE", NULL);
    fake_env_set("AWS_ROLE_ARN", NULL);
    fake_env_set("AWS_ROLE_SESSION_NAME", NULL);
    /* role_arn with web_identity_token_file in one profile is web
     * identity, not AssumeRole (_has_assume_role_config_vars). */
    assert_int_equal(key_of("webp", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_WEB);
    v = last_form("/s/web/ok", "Action");
    assert_string_equal(v, "AssumeRoleWithWebIdentity");
    free(v);
    v = last_form("/s/web/ok", "RoleSessionName");
    assert_string_equal(v, "web-session");
    free(v);
    /* ... and a source_profile resolves through it: RoleW2 trusts only
     * the web identity's credentials. */
    assert_int_equal(key_of("w2", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_W2);
    assert_int_equal(sts_hits("web"), 4);
}

/* ------------------------------------------------------------------------ */
/* SSO                                                                       */
/* ------------------------------------------------------------------------ */

/* ~/.aws/sso/cache/<SHA-1 hex of key>.json (botocore
 * SSOTokenLoader._generate_cache_key). */
static void write_sso_cache(const char *key, const char *expires)
{
    unsigned char md[SHA_DIGEST_LENGTH];
    char path[512], dir[256], text[256];

    SHA1((const unsigned char *)key, strlen(key), md);
    snprintf(dir, sizeof dir, "%s/.aws", home.dir);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/.aws/sso", home.dir);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/.aws/sso/cache", home.dir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/", dir);
    for (size_t i = 0; i < sizeof md; i++)
        snprintf(path + strlen(path), sizeof path - strlen(path), "%02x",
                 md[i]);
    snprintf(path + strlen(path), sizeof path - strlen(path), ".json");
    snprintf(text, sizeof text,
             "{\"accessToken\": \"ssoAccessTokenEXAMPLE\", "
             "\"expiresAt\": \"%s\"}",
             expires);
    fake_write_file(path, text);
}

static void test_sso_both_forms(void **state)
{
    char key[64];
    rdsiam_error e;

    (void)state;
    write_sso_cache("my-sso", "2100-01-01T00:00:00Z");
    assert_int_equal(key_of("ssonew", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, SSO_KEY);
    /* The legacy form: the cache is named for the start URL. */
    assert_int_equal(key_of("ssoold", key, sizeof key, &e), RDSIAM_ERR_FILE_IO);
    assert_non_null(strstr(e.message, "run `aws sso login --profile "
                                      "ssoold`"));
    write_sso_cache("https://legacy-portal.awsapps.com/start",
                    "2100-01-01T00:00:00Z");
    assert_int_equal(key_of("ssoold", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, SSO_KEY);
    /* An expired token says what to run. */
    write_sso_cache("https://legacy-portal.awsapps.com/start",
                    "2020-01-01T00:00:00Z");
    assert_int_equal(key_of("ssoold", key, sizeof key, &e),
                     RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_non_null(strstr(e.message, "run `aws sso login --profile "
                                      "ssoold`"));
    /* botocore's configuration errors. */
    assert_int_equal(key_of("ssonosession", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(e.message, "IAM Identity Center: the specified "
                                   "sso-session does not exist: \"nosuch\"");
    assert_int_equal(key_of("ssopartial", key, sizeof key, &e),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(e.message,
                        "IAM Identity Center: the profile \"ssopartial\" is "
                        "configured to use SSO but is missing required "
                        "configuration: sso_start_url, sso_region");
    assert_int_equal(standin_hits(&server, "/federation/credentials?"
                                           "role_name=ReadOnly&account_id="
                                           "111122223333"),
                     2);
}

/* ------------------------------------------------------------------------ */
/* Configured endpoints in the profile                                       */
/* ------------------------------------------------------------------------ */

/* Whose configured endpoint a chain uses: the selected profile's, for
 * every hop. botocore 1.43: create_credential_resolver gives the
 * AssumeRoleProvider _get_client_creator(session, region), which calls
 * session.create_client; that adds a ConfiguredEndpointProvider built
 * with self.get_scoped_config(), the session's profile, whichever
 * source_profile a hop is for. The SSO provider's portal client is made
 * the same way (self._session.create_client). Every URL below is on
 * loopback, fallbacks included, so a wrong choice is seen, never sent
 * elsewhere. */
#define PORTAL_PATH                                                            \
    "/federation/credentials?role_name=ReadOnly&account_id=111122223333"

static void test_endpoint_of_selected_profile(void **state)
{
    char text[2048], key[64];
    rdsiam_error e;
    int port = server.port;
    long portal;

    (void)state;
    fake_env_set("AWS_ENDPOINT_URL_STS", NULL);
    fake_env_set("AWS_ENDPOINT_URL_SSO", NULL);
    write_sso_cache("my-sso", "2100-01-01T00:00:00Z");
    /* clang-format off */
    snprintf(text, sizeof text,
             "[profile top]\n"
             "role_arn = " ROLE("RoleB") "\n"
             "source_profile = mid\n"
             "services = local\n"
             "endpoint_url = http://127.0.0.1:%d/s/topglobal/ok\n"
             "[profile mid]\n"
             "role_arn = " ROLE("RoleA") "\n"
             "source_profile = base\n"
             "endpoint_url = http://127.0.0.1:%d/s/mid/ok\n"
             "[services local]\n"
             "sts =\n"
             "  endpoint_url = http://127.0.0.1:%d/s/top/ok\n"
             "[profile ssosvc]\n"
             "sso_session = my-sso\n"
             "sso_account_id = 111122223333\n"
             "sso_role_name = ReadOnly\n"
             "services = portal\n"
             "endpoint_url = http://127.0.0.1:%d/s/ssoglobal/ok\n"
             "[services portal]\n"
             "sso =\n"
             "  endpoint_url = http://127.0.0.1:%d/\n"
             "[sso-session my-sso]\n"
             "sso_start_url = https://my-sso-portal.awsapps.com/start\n"
             "sso_region = us-east-1\n",
             port, port, port, port, port);
    /* clang-format on */
    fake_write_file(home.config, text);
    /* Both hops (mid's RoleA, then top's RoleB) through top's services
     * section; mid's own endpoint_url is not used. */
    assert_int_equal(key_of("top", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_B);
    assert_int_equal(sts_hits("top"), 2);
    assert_int_equal(sts_hits("mid"), 0);
    assert_int_equal(sts_hits("topglobal"), 0);
    /* mid selected: its endpoint_url. */
    assert_int_equal(key_of("mid", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    assert_int_equal(sts_hits("mid"), 1);
    /* The environment beats the profile, for every hop. */
    use_sts("envwins");
    assert_int_equal(key_of("top", key, sizeof key, &e), RDSIAM_OK);
    assert_int_equal(sts_hits("envwins"), 2);
    assert_int_equal(sts_hits("top"), 2);
    /* The SSO portal from the services section (the stand-in counts
     * portal calls across the tests: one more). */
    portal = standin_hits(&server, PORTAL_PATH);
    assert_int_equal(key_of("ssosvc", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, SSO_KEY);
    assert_int_equal(standin_hits(&server, PORTAL_PATH), portal + 1);
    assert_int_equal(sts_hits("ssoglobal"), 0);
}

/* ------------------------------------------------------------------------ */
/* Instance metadata                                                         */
/* ------------------------------------------------------------------------ */

/* Last in the chain, also for a named profile (botocore keeps it); the
 * IMDSv2 session token is kept between fetches. */
static void test_imds_fallback(void **state)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *r = NULL;
    rdsiam_error e;
    char key[64];

    (void)state;
    snprintf(imds_url, sizeof imds_url, "http://127.0.0.1:%d/imds/v2.chain",
             server.port);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "false");
    assert_int_equal(key_of(NULL, key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, IMDS_KEY);
    assert_int_equal(key_of("empty", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, IMDS_KEY);
    o.profile = "empty";
    assert_int_equal(rdsiam_provider_new_default(&p, &o, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e), RDSIAM_OK);
    rdsiam_credentials_ref_free(r);
    assert_int_equal(rdsiam_provider_refresh(p, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_refresh(p, &e), RDSIAM_OK);
    rdsiam_provider_free(p);
    /* Two one-shot providers, one token each; the third provider's three
     * fetches shared one. */
    assert_int_equal(standin_hits(&server, "/imds/v2.chain/latest/api/token"),
                     3);
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", NULL);
    /* The profile's endpoint, where the token request is refused: IMDSv1
     * as the fallback, unless the profile's ec2_metadata_v1_disabled. */
    assert_int_equal(key_of("imdsv1", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, IMDS_KEY);
    assert_int_equal(key_of("imdsnov1", key, sizeof key, &e),
                     RDSIAM_ERR_HTTP_STATUS);
    assert_non_null(strstr(e.message, "no IMDSv2 session token"));
    assert_non_null(strstr(e.message, "IMDSv1 is disabled"));
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
}

/* ------------------------------------------------------------------------ */
/* CA bundles                                                                */
/* ------------------------------------------------------------------------ */

/* STS, the SSO portal and a container endpoint over https, on a server
 * whose certificate (made here with the openssl tool) only a CA bundle
 * makes trusted: AWS_CA_BUNDLE, or the profile's ca_bundle. */
static void test_ca_bundle(void **state)
{
    standin tls;
    char cert[256], key_pem[256], key[64];
    rdsiam_error e;

    (void)state;
    snprintf(cert, sizeof cert, "%s/ca.pem", home.dir);
    snprintf(key_pem, sizeof key_pem, "%s/ca.key", home.dir);
    if (standin_make_cert(cert, key_pem) != 0)
        skip(); /* no openssl tool */
    assert_int_equal(standin_start_tls(&tls, CONFIG_JSON, cert, key_pem), 0);
    snprintf(sts_url, sizeof sts_url, "https://127.0.0.1:%d/s/tls/ok",
             tls.port);
    fake_env_set("AWS_ENDPOINT_URL_STS", sts_url);
    assert_int_equal(key_of("one", key, sizeof key, &e), RDSIAM_ERR_HTTP);
    assert_non_null(strstr(e.message, "certificate"));
    fake_env_set("AWS_CA_BUNDLE", cert);
    assert_int_equal(key_of("one", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    fake_env_set("AWS_CA_BUNDLE", NULL);
    write_config(cert);
    assert_int_equal(key_of("cabundle", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, KEY_A);
    /* SSO and the container with AWS_CA_BUNDLE. */
    fake_env_set("AWS_CA_BUNDLE", cert);
    snprintf(sso_url, sizeof sso_url, "https://127.0.0.1:%d", tls.port);
    fake_env_set("AWS_ENDPOINT_URL_SSO", sso_url);
    write_sso_cache("my-sso", "2100-01-01T00:00:00Z");
    assert_int_equal(key_of("ssonew", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, SSO_KEY);
    snprintf(container_url, sizeof container_url,
             "https://127.0.0.1:%d/imds/ecs/latest/meta-data/iam/"
             "security-credentials/rdsiam-test-role",
             tls.port);
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_url);
    assert_int_equal(key_of("empty", key, sizeof key, &e), RDSIAM_OK);
    assert_string_equal(key, IMDS_KEY);
    fake_env_set("AWS_CA_BUNDLE", NULL);
    assert_int_equal(key_of("empty", key, sizeof key, &e), RDSIAM_ERR_HTTP);
    standin_stop(&tls);
    unlink(cert);
    unlink(key_pem);
}

static int group_setup(void **state)
{
    (void)state;
    return standin_start(&server, CONFIG_JSON);
}

static int group_teardown(void **state)
{
    (void)state;
    standin_stop(&server);
    return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_role_from_source_profile),
        T(test_role_parameters),
        T(test_two_hop_chain),
        T(test_role_beats_static_keys),
        T(test_role_loops),
        T(test_role_config_errors),
        T(test_credential_source_each),
        T(test_role_renewal),
        T(test_explicit_profile_vs_aws_profile),
        T(test_web_identity_env_and_profile),
        T(test_sso_both_forms),
        T(test_endpoint_of_selected_profile),
        T(test_imds_fallback),
        T(test_ca_bundle),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

#else /* !RDSIAM_HTTP */

/* Built with HTTP=no, the network sources say "not built in" and the
 * chain goes on to the ones that need no network: a role profile with
 * static keys of its own then signs with those keys. */
static fake_home home;

static void test_not_built_in(void **state)
{
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_credentials_ref *r = NULL;
    rdsiam_error e;

    (void)state;
    assert_int_equal(fake_home_setup(&home, "chainnohttp"), 0);
    fake_write_file(home.config,
                    "[profile both]\n"
                    "role_arn = arn:aws:iam::123456789012:role/RoleA\n"
                    "source_profile = both\n"
                    "aws_access_key_id = AKIDBOTHSTATIC00\n"
                    "aws_secret_access_key = bothSecret\n");
    o.profile = "both";
    assert_int_equal(rdsiam_provider_new_default(&p, &o, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e), RDSIAM_OK);
    assert_string_equal(rdsiam_credentials_ref_get(r)->access_key_id,
                        "AKIDBOTHSTATIC00");
    rdsiam_credentials_ref_free(r);
    rdsiam_provider_free(p);
    o.profile = "nosuch";
    fake_write_file(home.config, "[profile nosuch]\nregion = us-east-1\n");
    assert_int_equal(rdsiam_provider_new_default(&p, &o, &e), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_credentials(p, &r, &e),
                     RDSIAM_ERR_NO_CREDENTIALS);
    assert_non_null(strstr(e.message, "assume role, web identity, sso (not "
                                      "built in)"));
    assert_non_null(strstr(e.message, "container, instance metadata (not "
                                      "built in)"));
    rdsiam_provider_free(p);
    fake_home_teardown(&home);
}

#include "source_assume_role.h"

/* The constructor the STS-backed sources are built with
 * (lib/source_no_http.c): it takes the inner source and frees it, as the
 * real one does on failure, and says why. */
static void test_new_not_built_in(void **state)
{
    const rdsiam_credentials keys = {.access_key_id = "AKIDBOTHSTATIC00",
                                     .secret_access_key = "bothSecret"};
    rdsiam__source inner, s;
    rdsiam_error e;

    (void)state;
    assert_int_equal(rdsiam__source_static(&inner, &keys, &e), RDSIAM_OK);
    assert_non_null(inner.destroy);
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__assume_role_new(&s, &inner, NULL, &e),
                     RDSIAM_ERR_NOT_BUILT_IN);
    assert_int_equal(e.code, RDSIAM_ERR_NOT_BUILT_IN);
    assert_string_equal(e.message, "assume role credentials: this library "
                                   "was built with HTTP=no (no libcurl)");
    assert_string_equal(s.name, "assume role");
    assert_null(s.fetch);
    assert_null(inner.destroy); /* taken: freed and cleared */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_built_in),
        cmocka_unit_test(test_new_not_built_in),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
