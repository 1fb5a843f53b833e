/*
 * test_provider.c - the environment source and the provider object:
 * chains, caching, refresh, the non-blocking read, the background refresh
 * thread and many threads sharing one provider.
 *
 * The environment and the clock are pinned through the library's seam
 * (rdsiam__sys_set_env / rdsiam__sys_set_clock); a counting test source
 * stands in for a credential source whose answers the test controls.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "helpers/creds_ref.h"
#include "helpers/threads.h"
#include "provider.h"

/* ------------------------------------------------------------------------ */
/* Pinned environment and clock                                             */
/* ------------------------------------------------------------------------ */

#define ENV_MAX 16
static const char *env_names[ENV_MAX];
static const char *env_values[ENV_MAX];
static _Atomic int64_t fake_now;

static const char *fake_getenv(void *ctx, const char *name)
{
    (void)ctx;
    for (int i = 0; i < ENV_MAX; i++)
        if (env_names[i] && strcmp(env_names[i], name) == 0)
            return env_values[i];
    return NULL;
}

/* Clock reads by threads other than the one running the tests: in the
 * background refresh tests, the refresher's (see settle()). Counted before
 * the clock is read, so a read counted after a change of the clock sees
 * the new time. */
static pthread_t test_thread;
static atomic_long other_reads;

static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    if (!pthread_equal(pthread_self(), test_thread))
        atomic_fetch_add(&other_reads, 1);
    return atomic_load(&fake_now);
}

static void env_set(const char *name, const char *value)
{
    for (int i = 0; i < ENV_MAX; i++)
        if (!env_names[i] || strcmp(env_names[i], name) == 0) {
            env_names[i] = name;
            env_values[i] = value;
            return;
        }
    fail_msg("test environment full");
}

static int setup(void **state)
{
    (void)state;
    test_thread = pthread_self();
    memset(env_names, 0, sizeof env_names);
    memset(env_values, 0, sizeof env_values);
    rdsiam__sys_set_env(fake_getenv, NULL);
    /* 2026-11-28T00:00:00Z, an arbitrary fixed moment */
    atomic_store(&fake_now, INT64_C(1795824000));
    rdsiam__sys_set_clock(fake_clock, NULL);
    rdsiam__provider_set_tick_ms(10);
    rdsiam__provider_set_random(NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rdsiam__sys_set_env(NULL, NULL);
    rdsiam__sys_set_clock(NULL, NULL);
    rdsiam__provider_set_random(NULL, NULL);
    return 0;
}

/* The backoff's random source, pinned: every draw returns rand_value, or
 * with rand_counting set, 0, 1, 2 ... in turn. */
static _Atomic uint64_t rand_value;
static atomic_bool rand_counting;

static uint64_t pinned_random(void *ctx)
{
    (void)ctx;
    if (atomic_load(&rand_counting))
        return atomic_fetch_add(&rand_value, 1);
    return atomic_load(&rand_value);
}

static void pin_random(uint64_t value, bool counting)
{
    atomic_store(&rand_value, value);
    atomic_store(&rand_counting, counting);
    rdsiam__provider_set_random(pinned_random, NULL);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------------------ */
/* A counting test source                                                   */
/* ------------------------------------------------------------------------ */

typedef struct tsrc {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const char *name;
    int calls;        /* fetches started */
    int gen;          /* credential sets handed out */
    int fail_rc;      /* when non-zero, fetches fail with it */
    int64_t lifetime; /* seconds; 0: the credentials never expire */
    bool gated;       /* fetches wait until gate_open */
    bool gate_open;
    bool in_fetch;
} tsrc;

static void tsrc_init(tsrc *t, const char *name, int64_t lifetime)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->name = name;
    t->lifetime = lifetime;
}

/* Generation g's credentials: all three strings differ per generation, so
 * a token signed with a mix of two generations would not match either. */
static void gen_creds(int g, char akid[32], char secret[48], char token[48])
{
    snprintf(akid, 32, "AKIDTEST%08d", g);
    snprintf(secret, 48, "secret/%06d/abcdefghijklmnopqrstuv", g);
    snprintf(token, 48, "session-token-%06d", g);
}

static int tsrc_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    tsrc *t = self;
    char akid[32], secret[48], token[48];
    int rc = RDSIAM_OK, g = 0;

    pthread_mutex_lock(&t->mu);
    t->calls++;
    t->in_fetch = true;
    pthread_cond_broadcast(&t->cv);
    while (t->gated && !t->gate_open)
        pthread_cond_wait(&t->cv, &t->mu);
    if (t->fail_rc)
        rc = rdsiam__fail(err, t->fail_rc, "%s: test failure", t->name);
    else
        g = ++t->gen;
    t->in_fetch = false;
    pthread_mutex_unlock(&t->mu);
    if (rc != RDSIAM_OK)
        return rc;
    gen_creds(g, akid, secret, token);
    out->access_key_id = strdup(akid);
    out->secret_access_key = strdup(secret);
    out->session_token = strdup(token);
    out->expires = t->lifetime != 0;
    out->expiration = t->lifetime ? rdsiam__now() + t->lifetime : 0;
    return RDSIAM_OK;
}

static void tsrc_destroy(void *self) { (void)self; }

static rdsiam__source tsrc_source(tsrc *t)
{
    rdsiam__source s = {t->name, tsrc_fetch, tsrc_destroy, t};
    return s;
}

static int tsrc_calls(tsrc *t)
{
    int n;
    pthread_mutex_lock(&t->mu);
    n = t->calls;
    pthread_mutex_unlock(&t->mu);
    return n;
}

/* A source that is not configured, saying so. */
static int absent_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    (void)out;
    return rdsiam__fail(err, RDSIAM_ERR_NO_CREDENTIALS, "%s",
                        (const char *)self);
}

static rdsiam_provider *provider_of(tsrc *t, int64_t refresh_before,
                                    unsigned flags)
{
    rdsiam__source s = tsrc_source(t);
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    o.refresh_before = refresh_before;
    o.flags = flags;
    assert_int_equal(rdsiam__provider_new(&p, s, &o, &err), RDSIAM_OK);
    assert_non_null(p);
    return p;
}

/* Chains of test sources: the links hand out prebuilt sources (their
 * destroy does nothing), so the test keeps counting their calls. */
static rdsiam__source chain_src[3];

static int make_link(int i, rdsiam__source *out)
{
    *out = chain_src[i];
    return RDSIAM_OK;
}
static int make_0(rdsiam__source *out, rdsiam__resolution *res,
                  const char *profile, rdsiam_error *err)
{
    (void)res, (void)profile, (void)err;
    return make_link(0, out);
}
static int make_1(rdsiam__source *out, rdsiam__resolution *res,
                  const char *profile, rdsiam_error *err)
{
    (void)res, (void)profile, (void)err;
    return make_link(1, out);
}
/* A source compiled out of the library. */
static int make_absent(rdsiam__source *out, rdsiam__resolution *res,
                       const char *profile, rdsiam_error *err)
{
    (void)res, (void)profile;
    memset(out, 0, sizeof *out);
    out->name = "container endpoints";
    return rdsiam__fail(err, RDSIAM_ERR_NOT_BUILT_IN, "not built in");
}
static const rdsiam__chain_link test_links[] = {
    {make_0, false}, {make_1, false}, {make_absent, false}};

/* A provider over a chain of the first n of a, b and a compiled-out
 * source. */
static rdsiam_provider *chain_of(rdsiam__source a, rdsiam__source b, size_t n)
{
    rdsiam__source s;
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    chain_src[0] = a;
    chain_src[1] = b;
    assert_int_equal(rdsiam__chain_new(&s, test_links, n, NULL, &err),
                     RDSIAM_OK);
    assert_int_equal(rdsiam__provider_new(&p, s, NULL, &err), RDSIAM_OK);
    return p;
}

/* The generation number in the credentials a provider hands out. */
static int current_gen(rdsiam_provider *p)
{
    rdsiam_credentials c;
    rdsiam_error err;
    int g = -1;

    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    assert_int_equal(sscanf(c.access_key_id, "AKIDTEST%d", &g), 1);
    creds_ref_put(&c);
    return g;
}

/* ------------------------------------------------------------------------ */
/* Environment source                                                       */
/* ------------------------------------------------------------------------ */

static int env_get(rdsiam_credentials *c, rdsiam_error *err)
{
    rdsiam_provider *p = NULL;
    int rc;

    assert_int_equal(rdsiam_provider_new_environment(&p, err), RDSIAM_OK);
    rc = creds_ref_get(p, c, err);
    rdsiam_provider_free(p);
    return rc;
}

static void test_env_keys(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    env_set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env_set("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    assert_string_equal(c.secret_access_key,
                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    assert_null(c.session_token);
    assert_int_equal(c.expiration, 0);
    assert_int_equal(err.code, RDSIAM_OK);
    creds_ref_put(&c);
    assert_null(c.access_key_id);
    assert_null(c.secret_access_key);
}

static void test_env_session_token_order(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    env_set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env_set("AWS_SECRET_ACCESS_KEY", "secret");
    env_set("AWS_SESSION_TOKEN", "session");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    assert_string_equal(c.session_token, "session");
    creds_ref_put(&c);

    /* botocore 1.43.11 EnvProvider.TOKENS = ['AWS_SECURITY_TOKEN',
     * 'AWS_SESSION_TOKEN']: the first non-empty one wins. */
    env_set("AWS_SECURITY_TOKEN", "security");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    assert_string_equal(c.session_token, "security");
    creds_ref_put(&c);

    /* An empty variable counts as unset (botocore: `if token:`). */
    env_set("AWS_SECURITY_TOKEN", "");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    assert_string_equal(c.session_token, "session");
    creds_ref_put(&c);

    env_set("AWS_SESSION_TOKEN", "");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    assert_null(c.session_token);
    creds_ref_put(&c);
}

static void test_env_expiration(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    env_set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env_set("AWS_SECRET_ACCESS_KEY", "secret");
    env_set("AWS_CREDENTIAL_EXPIRATION", "2026-11-28T22:00:00Z");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    /* python3: calendar.timegm((2026, 11, 28, 22, 0, 0)) == 1795903200 */
    assert_int_equal(c.expiration, INT64_C(1795903200));
    creds_ref_put(&c);

    env_set("AWS_CREDENTIAL_EXPIRATION", "2027-01-02T04:04:05+01:00");
    assert_int_equal(env_get(&c, &err), RDSIAM_OK);
    /* calendar.timegm((2027, 1, 2, 3, 4, 5)) == 1798859045 */
    assert_int_equal(c.expiration, INT64_C(1798859045));
    creds_ref_put(&c);

    /* Already past the pinned clock (2026-11-28T00:00:00Z). */
    env_set("AWS_CREDENTIAL_EXPIRATION", "2026-11-27T23:59:59Z");
    assert_int_equal(env_get(&c, &err), RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_null(c.access_key_id);
    assert_string_equal(err.message, "credentials fetched had already "
                                     "expired (at 20261127T235959Z)");
}

static void test_env_expiration_malformed(void **state)
{
    static const char *bad[] = {"tomorrow", "2026-13-01T00:00:00Z",
                                "2026-11-28", "1795903200"};
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    env_set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env_set("AWS_SECRET_ACCESS_KEY", "secret");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        env_set("AWS_CREDENTIAL_EXPIRATION", bad[i]);
        assert_int_equal(env_get(&c, &err), RDSIAM_ERR_ENV_INVALID);
        assert_int_equal(err.code, RDSIAM_ERR_ENV_INVALID);
        assert_string_equal(err.message,
                            "AWS_CREDENTIAL_EXPIRATION is not a time like "
                            "2026-01-02T03:04:05Z");
        assert_null(c.access_key_id);
    }
}

static void test_env_incomplete(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    env_set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    assert_int_equal(env_get(&c, &err), RDSIAM_ERR_ENV_INCOMPLETE);
    assert_string_equal(err.message, "AWS_SECRET_ACCESS_KEY is not set "
                                     "(AWS_ACCESS_KEY_ID is)");
    env_set("AWS_SECRET_ACCESS_KEY", ""); /* empty is unset */
    assert_int_equal(env_get(&c, &err), RDSIAM_ERR_ENV_INCOMPLETE);

    env_set("AWS_ACCESS_KEY_ID", "");
    env_set("AWS_SECRET_ACCESS_KEY", "TOPSECRETVALUE");
    assert_int_equal(env_get(&c, &err), RDSIAM_ERR_ENV_INCOMPLETE);
    assert_string_equal(err.message, "AWS_ACCESS_KEY_ID is not set "
                                     "(AWS_SECRET_ACCESS_KEY is)");
    assert_null(strstr(err.message, "TOPSECRETVALUE"));
    assert_null(c.access_key_id);
}

static void test_env_absent(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    assert_int_equal(env_get(&c, &err), RDSIAM_ERR_NO_CREDENTIALS);
    assert_string_equal(err.message,
                        "no credentials found; looked in: environment "
                        "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
                        "not set)");
}

static void test_env_bad_characters(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;

    (void)state;
    env_set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env_set("AWS_SECRET_ACCESS_KEY", "secret with space");
    assert_int_equal(env_get(&c, &err), RDSIAM_ERR_SECRET_KEY_INVALID);
    /* Checked where it is read, and named by its source. */
    assert_non_null(strstr(err.message, "environment: "));
    assert_null(strstr(err.message, "secret with space"));
}

/* ------------------------------------------------------------------------ */
/* Static provider, argument checks, helpers                                */
/* ------------------------------------------------------------------------ */

static void test_static(void **state)
{
    rdsiam_credentials in = {"AKIDSTATIC000000", "staticsecret", "tok", 0};
    rdsiam_credentials c;
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    (void)state;
    assert_int_equal(rdsiam_provider_new_static(&p, &in, &err), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_refresh_due(p), 0); /* nothing yet */
    assert_int_equal(creds_ref_cached(p, &c, &err),
                     RDSIAM_ERR_WOULD_BLOCK);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDSTATIC000000");
    assert_string_equal(c.secret_access_key, "staticsecret");
    assert_string_equal(c.session_token, "tok");
    assert_ptr_not_equal(c.access_key_id, in.access_key_id); /* a copy */
    creds_ref_put(&c);
    assert_int_equal(rdsiam_provider_refresh_due(p), INT64_MAX);
    assert_int_equal(creds_ref_cached(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDSTATIC000000");
    creds_ref_put(&c);
    rdsiam_provider_free(p);

    in.secret_access_key = "";
    assert_int_equal(rdsiam_provider_new_static(&p, &in, &err),
                     RDSIAM_ERR_SECRET_KEY_EMPTY);
    assert_null(p);
    assert_int_equal(rdsiam_provider_new_static(&p, NULL, &err),
                     RDSIAM_ERR_CREDENTIALS_NULL);
    assert_int_equal(rdsiam_provider_new_static(NULL, &in, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
}

static void test_static_expired(void **state)
{
    rdsiam_credentials in = {"AKIDSTATIC000000", "staticsecret", NULL,
                             INT64_C(1795824000) + 100};
    rdsiam_credentials c;
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    (void)state;
    assert_int_equal(rdsiam_provider_new_static(&p, &in, &err), RDSIAM_OK);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    assert_int_equal(c.expiration, INT64_C(1795824000) + 100);
    creds_ref_put(&c);
    atomic_store(&fake_now, INT64_C(1795824000) + 100);
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_CREDENTIALS_EXPIRED);
    assert_null(c.access_key_id);
    assert_int_equal(creds_ref_cached(p, &c, &err),
                     RDSIAM_ERR_WOULD_BLOCK);
    rdsiam_provider_free(p);
}

static void test_null_arguments(void **state)
{
    rdsiam_credentials c;
    rdsiam_error err;
    char buf[16];

    (void)state;
    rdsiam_credentials_ref *ref = (rdsiam_credentials_ref *)&c;

    rdsiam_provider_free(NULL);
    rdsiam_credentials_ref_free(NULL);
    assert_null(rdsiam_credentials_ref_get(NULL));
    assert_int_equal(rdsiam_provider_get_credentials(NULL, &ref, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_null(ref);
    assert_int_equal(rdsiam_provider_get_credentials(NULL, NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_provider_get_cached(NULL, &ref, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_null(ref);
    assert_int_equal(rdsiam_provider_refresh(NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_int_equal(rdsiam_provider_refresh_due(NULL), 0);
    assert_int_equal(rdsiam_provider_generate_token(NULL, NULL, buf,
                                                    sizeof buf, NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
    assert_string_equal(buf, "");
    assert_int_equal(rdsiam_provider_new_environment(NULL, &err),
                     RDSIAM_ERR_NULL_ARGUMENT);
}

/* Counts wipes of regions holding the string ctx points to. */
static int wipes_seen;
static void count_wipes(const void *p, size_t n, void *ctx)
{
    size_t m = strlen(ctx);

    for (size_t i = 0; i + m <= n; i++)
        if (memcmp((const char *)p + i, ctx, m) == 0) {
            wipes_seen++;
            return;
        }
}

/* Credentials the library owns come as a reference: it stays valid after
 * a refresh replaced the cache and after the provider is gone, and its
 * secret is wiped when the last reference goes (observed). */
static void test_credentials_ref(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials_ref *a = NULL, *b = NULL;
    rdsiam_error err;

    (void)state;
    tsrc_init(&t, "test", 0);
    p = provider_of(&t, 0, 0);
    assert_int_equal(rdsiam_provider_get_credentials(p, &a, &err), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_refresh(p, &err), RDSIAM_OK);
    assert_int_equal(rdsiam_provider_get_cached(p, &b, &err), RDSIAM_OK);
    rdsiam_provider_free(p);
    /* generation 1 and 2 (gen_creds), never expiring: expiration 0 */
    assert_string_equal(rdsiam_credentials_ref_get(a)->access_key_id,
                        "AKIDTEST00000001");
    assert_string_equal(rdsiam_credentials_ref_get(b)->access_key_id,
                        "AKIDTEST00000002");
    assert_int_equal(rdsiam_credentials_ref_get(a)->expiration, 0);
    /* generation 1's secret (gen_creds) */
    wipes_seen = 0;
    rdsiam__set_wipe_observer(count_wipes,
                              (void *)"secret/000001/abcdefghijklmnopqrstuv");
    rdsiam_credentials_ref_free(a);
    rdsiam__set_wipe_observer(NULL, NULL);
    assert_int_equal(wipes_seen, 1);
    rdsiam_credentials_ref_free(b);
}

static void test_bad_options(void **state)
{
    tsrc t;
    rdsiam__source s;
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    (void)state;
    tsrc_init(&t, "test", 0);
    s = tsrc_source(&t);
    o.refresh_before = -1;
    assert_int_equal(rdsiam__provider_new(&p, s, &o, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "refresh_before must be 0 to 86400 "
                                     "seconds");
    assert_null(p);
    o.refresh_before = 0;
    o.flags = 0x80u;
    assert_int_equal(rdsiam__provider_new(&p, s, &o, &err),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "unknown provider flags");
}

static void test_credentials_copy(void **state)
{
    rdsiam__creds in = {"A", "B", NULL, true, 42}, out;

    (void)state;
    assert_int_equal(rdsiam__creds_copy(&out, &in), RDSIAM_OK);
    assert_string_equal(out.access_key_id, "A");
    assert_string_equal(out.secret_access_key, "B");
    assert_null(out.session_token);
    assert_true(out.expires);
    assert_int_equal(out.expiration, 42);
    rdsiam__creds_clear(&out);
    assert_int_equal(out.expiration, 0);
    assert_false(out.expires);
}

/* ------------------------------------------------------------------------ */
/* Chains                                                                   */
/* ------------------------------------------------------------------------ */

static void test_chain_fall_through(void **state)
{
    tsrc second;
    rdsiam__source first = {"first", absent_fetch, tsrc_destroy,
                            "FIRST_VAR is not set"};
    rdsiam_provider *p = NULL;

    (void)state;
    tsrc_init(&second, "second", 0);
    p = chain_of(first, tsrc_source(&second), 2);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&second), 1);
    rdsiam_provider_free(p);
}

static void test_chain_error_stops(void **state)
{
    tsrc first, second;
    rdsiam_credentials c;
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    (void)state;
    tsrc_init(&first, "first", 0);
    tsrc_init(&second, "second", 0);
    first.fail_rc = RDSIAM_ERR_PROFILE_INCOMPLETE;
    p = chain_of(tsrc_source(&first), tsrc_source(&second), 2);
    /* botocore semantics: a source that is configured but broken is
     * reported; the chain does not go on to the next one. */
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_PROFILE_INCOMPLETE);
    assert_string_equal(err.message, "first: test failure");
    assert_int_equal(tsrc_calls(&first), 1);
    assert_int_equal(tsrc_calls(&second), 0);
    rdsiam_provider_free(p);
}

static void test_chain_first_wins(void **state)
{
    tsrc first, second;
    rdsiam_provider *p = NULL;

    (void)state;
    tsrc_init(&first, "first", 0);
    tsrc_init(&second, "second", 0);
    p = chain_of(tsrc_source(&first), tsrc_source(&second), 2);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&first), 1);
    assert_int_equal(tsrc_calls(&second), 0);
    rdsiam_provider_free(p);
}

static void test_chain_nothing_lists_places(void **state)
{
    rdsiam__source a = {"environment", absent_fetch, tsrc_destroy,
                        "KEY is not set"};
    rdsiam__source b = {"profile default", absent_fetch, tsrc_destroy,
                        "no such profile"};
    rdsiam_credentials c;
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    (void)state;
    p = chain_of(a, b, 3);
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    assert_string_equal(err.message,
                        "no credentials found; looked in: environment (KEY "
                        "is not set); profile default (no such profile); "
                        "container endpoints (not built in)");
    rdsiam_provider_free(p);
}

/* A message longer than RDSIAM_ERROR_MESSAGE_SIZE is cut after a whole
 * word, with "...", never in the middle of one. */
static void test_long_message_cut_at_word(void **state)
{
    static char r1[700], r2[700];
    rdsiam__source a = {"first source", absent_fetch, tsrc_destroy, r1};
    rdsiam__source b = {"second source", absent_fetch, tsrc_destroy, r2};
    rdsiam_credentials c;
    rdsiam_provider *p;
    rdsiam_error err;
    size_t n, i;

    (void)state;
    /* "word0000 word0001 ...": 8-letter words, 9 bytes each */
    for (i = 0; i + 9 < sizeof r1; i += 9) {
        snprintf(r1 + i, sizeof r1 - i, "word%04zu ", i / 9);
        snprintf(r2 + i, sizeof r2 - i, "WORD%04zu ", i / 9);
    }
    r1[i - 1] = r2[i - 1] = '\0';
    p = chain_of(a, b, 2);
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_NO_CREDENTIALS);
    n = strlen(err.message);
    /* cut: close to the size, ending in "..." right after a whole word */
    assert_true(n < RDSIAM_ERROR_MESSAGE_SIZE);
    assert_true(n > RDSIAM_ERROR_MESSAGE_SIZE - 16);
    assert_string_equal(err.message + n - 3, "...");
    assert_memory_equal(err.message + n - 11, "WORD", 4);
    rdsiam_provider_free(p);
}

/* ------------------------------------------------------------------------ */
/* Caching and refresh                                                      */
/* ------------------------------------------------------------------------ */

static void test_cache_and_refresh_window(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    p = provider_of(&t, 0, 0);
    assert_int_equal(tsrc_calls(&t), 0); /* constructing reads nothing */
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&t), 1);
    /* default refresh_before = 900 + 60 (rdsiam.h) */
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 3600 - 960);

    atomic_store(&fake_now, t0 + 3600 - 961);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&t), 1);
    atomic_store(&fake_now, t0 + 3600 - 960);
    assert_int_equal(current_gen(p), 2);
    assert_int_equal(tsrc_calls(&t), 2);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 2 * 3600 - 2 * 960);

    /* An explicit refresh fetches even when nothing is due. */
    assert_int_equal(rdsiam_provider_refresh(p, NULL), RDSIAM_OK);
    assert_int_equal(current_gen(p), 3);
    rdsiam_provider_free(p);
}

static void test_custom_refresh_before(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    p = provider_of(&t, 1800, 0);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1800);
    rdsiam_provider_free(p);
}

static void test_short_lived_credentials(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    /* 15-minute credentials can never have 960 s left: reuse them for
     * 60 s between fetches instead of fetching for every token. */
    tsrc_init(&t, "test", 900);
    p = provider_of(&t, 0, 0);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 60);
    atomic_store(&fake_now, t0 + 59);
    assert_int_equal(current_gen(p), 1);
    atomic_store(&fake_now, t0 + 60);
    assert_int_equal(current_gen(p), 2);
    rdsiam_provider_free(p);

    /* Very short: half the remaining life. */
    tsrc_init(&t, "test", 30);
    p = provider_of(&t, 0, 0);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 60 + 15);
    rdsiam_provider_free(p);
}

static void test_refresh_failure_keeps_valid(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    int64_t t0 = atomic_load(&fake_now), due;

    (void)state;
    tsrc_init(&t, "test", 3600);
    p = provider_of(&t, 0, 0);
    assert_int_equal(current_gen(p), 1);
    due = t0 + 3600 - 960;
    t.fail_rc = RDSIAM_ERR_HTTP;
    atomic_store(&fake_now, due);
    /* The refresh fails; the still-valid credentials stay in use. */
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&t), 2);
    /* ...and the next try backs off: 1 s, then 2 s. */
    assert_int_equal(rdsiam_provider_refresh_due(p), due + 1);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&t), 2);
    atomic_store(&fake_now, due + 1);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&t), 3);
    assert_int_equal(rdsiam_provider_refresh_due(p), due + 1 + 2);

    /* An explicit refresh reports the error, and keeps the cache. */
    assert_int_equal(rdsiam_provider_refresh(p, &err), RDSIAM_ERR_HTTP);
    assert_string_equal(err.message, "test: test failure");
    assert_int_equal(creds_ref_cached(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDTEST00000001");
    creds_ref_put(&c);

    /* Recovery resets the backoff. */
    t.fail_rc = 0;
    atomic_store(&fake_now, due + 10);
    assert_int_equal(current_gen(p), 2);
    assert_int_equal(rdsiam_provider_refresh_due(p), due + 10 + 3600 - 960);
    rdsiam_provider_free(p);
}

static void test_expired_never_handed_out(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    char buf[2048];
    rdsiam_token_params tp = {"db.example.com", 5432, "alice", "us-east-1",
                              0};
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    p = provider_of(&t, 0, 0);
    assert_int_equal(current_gen(p), 1);
    t.fail_rc = RDSIAM_ERR_PROCESS_FAILED;
    atomic_store(&fake_now, t0 + 3600); /* the expiration itself */
    assert_int_equal(creds_ref_cached(p, &c, &err),
                     RDSIAM_ERR_WOULD_BLOCK);
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_PROCESS_FAILED);
    assert_null(c.access_key_id);
    assert_int_equal(rdsiam_provider_generate_token(p, &tp, buf, sizeof buf,
                                                    NULL, &err),
                     RDSIAM_ERR_PROCESS_FAILED);
    assert_string_equal(buf, "");
    /* A fetch after the backoff (1 s after one failure) succeeds again:
     * new credentials, not the old ones. */
    t.fail_rc = 0;
    atomic_store(&fake_now, t0 + 3600 + 1);
    assert_int_equal(current_gen(p), 2);
    assert_int_equal(tsrc_calls(&t), 3);
    rdsiam_provider_free(p);

    /* A source that hands out already-expired credentials. */
    tsrc_init(&t, "test", 0);
    p = provider_of(&t, 0, 0);
    t.lifetime = -5;
    assert_int_equal(creds_ref_get(p, &c, &err),
                     RDSIAM_ERR_CREDENTIALS_EXPIRED);
    rdsiam_provider_free(p);
}

/* ------------------------------------------------------------------------ */
/* Failures with nothing usable cached: remembered, with backoff            */
/* ------------------------------------------------------------------------ */

/* The documented rule (rdsiam.h, provider.c): after the n-th failure in a
 * row the next try waits 1, 2, 4 ... 60 s, less a random 0 to 25 % in
 * whole seconds; meanwhile a caller with nothing usable gets the last
 * error, marked as remembered, and no fetch. */
static void test_failure_remembered(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    char buf[2048];
    rdsiam_token_params tp = {"db.example.com", 5432, "alice", "us-east-1", 0};
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP_STATUS;
    p = provider_of(&t, 0, 0);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(err.message, "test: test failure"); /* tsrc_fetch */
    assert_int_equal(tsrc_calls(&t), 1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1);

    /* Within the second: every read answers from memory. */
    for (int i = 0; i < 100; i++) {
        assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP_STATUS);
        assert_int_equal(err.code, RDSIAM_ERR_HTTP_STATUS);
        assert_string_equal(err.message, "test: test failure (remembered; "
                                         "next attempt in 1 s)");
        assert_null(c.access_key_id);
    }
    assert_int_equal(
        rdsiam_provider_generate_token(p, &tp, buf, sizeof buf, NULL, &err),
        RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(buf, "");
    assert_string_equal(err.message, "test: test failure (remembered; next "
                                     "attempt in 1 s)");
    /* The caller's own mistake is its own error, found before any fetch,
     * and leaves the remembered failure as it was. */
    tp.port = 0;
    assert_int_equal(
        rdsiam_provider_generate_token(p, &tp, buf, sizeof buf, NULL, &err),
        RDSIAM_ERR_PORT_RANGE);
    tp.port = 5432;
    assert_int_equal(creds_ref_cached(p, &c, &err), RDSIAM_ERR_WOULD_BLOCK);
    assert_int_equal(tsrc_calls(&t), 1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1);

    /* The time is up: one fetch, which fails again; now 2 s. */
    atomic_store(&fake_now, t0 + 1);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(err.message, "test: test failure");
    assert_int_equal(tsrc_calls(&t), 2);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1 + 2);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(err.message, "test: test failure (remembered; next "
                                     "attempt in 2 s)");
    atomic_store(&fake_now, t0 + 2);
    /* The source has recovered, but its failure is remembered until the
     * next attempt is due. */
    t.fail_rc = 0;
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP_STATUS);
    assert_string_equal(err.message, "test: test failure (remembered; next "
                                     "attempt in 1 s)");
    assert_int_equal(tsrc_calls(&t), 2);
    atomic_store(&fake_now, t0 + 3);
    assert_int_equal(
        rdsiam_provider_generate_token(p, &tp, buf, sizeof buf, NULL, &err),
        RDSIAM_OK);
    assert_int_equal(err.code, RDSIAM_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(tsrc_calls(&t), 3);

    /* Success reset the count: when the credentials have expired and the
     * source fails again, the wait starts again at 1 s. */
    t.fail_rc = RDSIAM_ERR_HTTP;
    atomic_store(&fake_now, t0 + 3 + 3600);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_int_equal(tsrc_calls(&t), 4);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 3 + 3600 + 1);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_string_equal(err.message, "test: test failure (remembered; next "
                                     "attempt in 1 s)");
    assert_int_equal(tsrc_calls(&t), 4);
    rdsiam_provider_free(p);
}

/* A wall clock that steps back after a failure does not stretch the wait
 * beyond the longest backoff: the next call fetches. */
static void test_backoff_clock_stepped_back(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP;
    pin_random(0, false);
    p = provider_of(&t, 0, 0);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1);
    /* One hour back: retry_at would be 3601 s away, more than the 60 s
     * cap, so the wait is over. */
    atomic_store(&fake_now, t0 - 3600);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 - 3600);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_string_equal(err.message, "test: test failure");
    assert_int_equal(tsrc_calls(&t), 2);
    /* ...and the new wait counts from the new clock: 2 s. */
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 - 3600 + 2);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_string_equal(err.message, "test: test failure (remembered; next "
                                     "attempt in 2 s)");
    assert_int_equal(tsrc_calls(&t), 2);
    rdsiam_provider_free(p);
}

/* A message as long as the error struct holds keeps the note: it is cut
 * after a whole word, with "...". */
static void test_remembered_long_message(void **state)
{
    static char reason[1100];
    rdsiam__source a = {"long", absent_fetch, tsrc_destroy, reason};
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    size_t i, n;
    static const char note[] = "... (remembered; next attempt in 1 s)";

    (void)state;
    /* "word0000 word0001 ...": 8-letter words, 9 bytes each */
    for (i = 0; i + 9 < sizeof reason; i += 9)
        snprintf(reason + i, sizeof reason - i, "word%04zu ", i / 9);
    reason[i - 1] = '\0';
    p = chain_of(a, a, 1);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_NO_CREDENTIALS);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_NO_CREDENTIALS);
    n = strlen(err.message);
    assert_true(n < RDSIAM_ERROR_MESSAGE_SIZE);
    assert_true(n > RDSIAM_ERROR_MESSAGE_SIZE - 16);
    assert_string_equal(err.message + n - (sizeof note - 1), note);
    /* the cut follows a whole word: "wordNNNN" */
    assert_memory_equal(err.message + n - (sizeof note - 1) - 8, "word", 4);
    rdsiam_provider_free(p);
}

/* Drive n failures through explicit refreshes (each fetches at once) and
 * record the wait each one set. */
static void failure_waits(rdsiam_provider *p, int n, int64_t *waits)
{
    rdsiam_error err;

    for (int i = 0; i < n; i++) {
        assert_int_equal(rdsiam_provider_refresh(p, &err), RDSIAM_ERR_HTTP);
        /* an explicit refresh reports the fetch's own error */
        assert_string_equal(err.message, "test: test failure");
        waits[i] = rdsiam_provider_refresh_due(p) - atomic_load(&fake_now);
    }
}

static void test_backoff_growth_and_cap(void **state)
{
    /* The documented bases: doubling from 1 s, capped at 60 s. */
    static const int64_t full[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
    /* Each base less a quarter of it, in whole seconds (base / 4). */
    static const int64_t least[] = {1, 2, 3, 6, 12, 24, 45, 45, 45};
    int64_t waits[9];
    tsrc t;
    rdsiam_provider *p;

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP;

    /* A draw of 0 takes nothing off. */
    pin_random(0, false);
    p = provider_of(&t, 0, 0);
    failure_waits(p, 9, waits);
    for (int i = 0; i < 9; i++)
        assert_int_equal(waits[i], full[i]);
    rdsiam_provider_free(p);
    assert_int_equal(tsrc_calls(&t), 9);

    /* 719 + 1 = 720 is a multiple of 2, 3, 5, 9 and 16, so 719 modulo
     * (base / 4 + 1) is base / 4 for every base: the whole quarter. */
    pin_random(719, false);
    p = provider_of(&t, 0, 0);
    failure_waits(p, 9, waits);
    for (int i = 0; i < 9; i++)
        assert_int_equal(waits[i], least[i]);
    rdsiam_provider_free(p);
}

static void test_backoff_jitter_bounds(void **state)
{
    int64_t waits[40];
    bool seen[61] = {false};
    int distinct = 0;
    tsrc t;
    rdsiam_provider *p;

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP;

    /* Draws 0, 1, 2 ...: at the cap every draw v waits 60 - v mod 16, so
     * sixteen failures there give each of 45 ... 60 s exactly once. The
     * first six failures (bases 1 ... 32) use draws 0 ... 3 only where
     * the base has a jitter span (4, 8, 16, 32: draws 0, 1, 2, 3). */
    pin_random(0, true);
    p = provider_of(&t, 0, 0);
    failure_waits(p, 6 + 16, waits);
    assert_int_equal(waits[0], 1);
    assert_int_equal(waits[1], 2);
    assert_int_equal(waits[2], 4 - 0);  /* draw 0 mod 2 */
    assert_int_equal(waits[3], 8 - 1);  /* draw 1 mod 3 */
    assert_int_equal(waits[4], 16 - 2); /* draw 2 mod 5 */
    assert_int_equal(waits[5], 32 - 3); /* draw 3 mod 9 */
    for (int i = 6; i < 6 + 16; i++) {
        assert_true(waits[i] >= 45 && waits[i] <= 60);
        assert_false(seen[waits[i]]);
        seen[waits[i]] = true;
    }
    rdsiam_provider_free(p);

    /* The provider's own generator: within the bounds, and not constant
     * (40 draws at the cap all equal: odds 16^-39). */
    rdsiam__provider_set_random(NULL, NULL);
    memset(seen, 0, sizeof seen);
    p = provider_of(&t, 0, 0);
    failure_waits(p, 6, waits);
    failure_waits(p, 40, waits);
    for (int i = 0; i < 40; i++) {
        assert_true(waits[i] >= 45 && waits[i] <= 60);
        if (!seen[waits[i]])
            distinct++;
        seen[waits[i]] = true;
    }
    assert_true(distinct >= 2);
    rdsiam_provider_free(p);
}

/* rdsiam_provider_refresh() is the one way to try before the backoff is
 * up: it fetches at once, and its result counts like any other. */
static void test_refresh_bypasses_backoff(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP;
    pin_random(0, false);
    p = provider_of(&t, 0, 0);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1);
    /* A failed explicit refresh: the source's own message, and the wait
     * grows as after any second failure. */
    assert_int_equal(rdsiam_provider_refresh(p, &err), RDSIAM_ERR_HTTP);
    assert_string_equal(err.message, "test: test failure");
    assert_int_equal(tsrc_calls(&t), 2);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 2);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
    assert_int_equal(tsrc_calls(&t), 2);
    /* A successful one ends the wait: the credentials are served. */
    t.fail_rc = 0;
    assert_int_equal(rdsiam_provider_refresh(p, &err), RDSIAM_OK);
    assert_int_equal(tsrc_calls(&t), 3);
    assert_int_equal(current_gen(p), 1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 3600 - 960);
    assert_int_equal(tsrc_calls(&t), 3);
    rdsiam_provider_free(p);
}

/* ------------------------------------------------------------------------ */
/* Non-blocking reads                                                       */
/* ------------------------------------------------------------------------ */

static void *refresh_thread(void *arg)
{
    rdsiam_error err;
    return (void *)(intptr_t)rdsiam_provider_refresh(arg, &err);
}

static void wait_in_fetch(tsrc *t)
{
    pthread_mutex_lock(&t->mu);
    while (!t->in_fetch)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

static void open_gate(tsrc *t)
{
    pthread_mutex_lock(&t->mu);
    t->gate_open = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

static void test_get_cached_never_blocks(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    pthread_t th;
    void *res;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.gated = true;
    p = provider_of(&t, 0, 0);
    /* Nothing cached, a fetch in flight: WOULD_BLOCK at once. The fetch
     * is held inside the source until the gate opens, so a blocking call
     * here would hang the test. */
    assert_int_equal(pthread_create(&th, NULL, refresh_thread, p), 0);
    wait_in_fetch(&t);
    assert_int_equal(creds_ref_cached(p, &c, &err),
                     RDSIAM_ERR_WOULD_BLOCK);
    assert_string_equal(err.message, "no usable credentials cached yet");
    assert_int_equal(rdsiam_provider_refresh_due(p), 0);
    open_gate(&t);
    assert_int_equal(pthread_join(th, &res), 0);
    assert_int_equal((int)(intptr_t)res, RDSIAM_OK);

    /* Cached and due: one thread refreshes, the others are not held. */
    t.gate_open = false;
    atomic_store(&fake_now, t0 + 3000);
    assert_int_equal(pthread_create(&th, NULL, refresh_thread, p), 0);
    wait_in_fetch(&t);
    assert_int_equal(creds_ref_cached(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDTEST00000001");
    creds_ref_put(&c);
    assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDTEST00000001");
    creds_ref_put(&c);
    assert_int_equal(tsrc_calls(&t), 2); /* single flight */
    open_gate(&t);
    assert_int_equal(pthread_join(th, &res), 0);
    assert_int_equal(current_gen(p), 2);
    rdsiam_provider_free(p);
}

typedef struct getter {
    rdsiam_provider *p;
    int rc;
    rdsiam_error err;
} getter;

static void *get_thread(void *arg)
{
    getter *g = arg;
    rdsiam_credentials c;

    memset(&c, 0, sizeof c);
    g->rc = creds_ref_get(g->p, &c, &g->err);
    creds_ref_put(&c);
    return NULL;
}

/* Callers that find the first fetch in flight wait for it and get its
 * error; none starts a fetch of its own. */
static void test_failure_shared_by_waiters(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    getter g[8];
    pthread_t th[8];
    int exact = 0;

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP;
    t.gated = true;
    p = provider_of(&t, 0, 0);
    for (int i = 0; i < 8; i++) {
        g[i] = (getter){p, 0, {0, ""}};
        assert_int_equal(pthread_create(&th[i], NULL, get_thread, &g[i]), 0);
        if (i == 0)
            wait_in_fetch(&t); /* the first one holds the fetch */
    }
    sleep_ms(20); /* let the others queue; the assertions hold either way */
    open_gate(&t);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(g[i].rc, RDSIAM_ERR_HTTP);
        /* The fetch's own error, or, for a thread that came after it
         * ended, the same error remembered (pinned clock: 1 s left). */
        if (strcmp(g[i].err.message, "test: test failure") == 0)
            exact++;
        else
            assert_string_equal(g[i].err.message,
                                "test: test failure (remembered; next "
                                "attempt in 1 s)");
    }
    assert_true(exact >= 1); /* at least the one that fetched */
    assert_int_equal(tsrc_calls(&t), 1);
    rdsiam_provider_free(p);
}
/* ------------------------------------------------------------------------ */
/* Background refresh                                                       */
/* ------------------------------------------------------------------------ */

/* Poll (real time, bounded) until the source has been called n times. */
static void wait_calls(tsrc *t, int n)
{
    for (int i = 0; i < 5000 && tsrc_calls(t) < n; i++)
        sleep_ms(1);
    assert_int_equal(tsrc_calls(t), n);
}

/*
 * Wait (real time, bounded) until the refresher thread has seen the pinned
 * clock as it is now and acted on it, so that a test may then assert that
 * it did not fetch. The refresher reads the clock at the top of each turn
 * of its loop, then fetches or sleeps; and after each fetch, once the
 * source has been called. Three reads from now: at most one ends a fetch
 * already under way, the next decides on the current time, and the one
 * after that comes only once the decision was carried out (a fetch called
 * the source, or a sleep ended).
 */
static void settle(void)
{
    long r0 = atomic_load(&other_reads);

    for (int i = 0; i < 5000 && atomic_load(&other_reads) < r0 + 3; i++)
        sleep_ms(1);
    assert_true(atomic_load(&other_reads) >= r0 + 3);
}

static void test_background_refresh(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    int64_t t0 = atomic_load(&fake_now), due2;

    (void)state;
    tsrc_init(&t, "test", 3600);
    p = provider_of(&t, 0, RDSIAM_PROVIDER_BACKGROUND_REFRESH);
    /* The thread fetches at once... */
    wait_calls(&t, 1);
    for (int i = 0; i < 5000; i++) {
        if (creds_ref_cached(p, &c, &err) == RDSIAM_OK)
            break;
        sleep_ms(1);
    }
    assert_string_equal(c.access_key_id, "AKIDTEST00000001");
    creds_ref_put(&c);
    /* ...and again when the credentials come due, not before. */
    atomic_store(&fake_now, t0 + 3600 - 961);
    settle();
    assert_int_equal(tsrc_calls(&t), 1);
    atomic_store(&fake_now, t0 + 3600 - 960);
    wait_calls(&t, 2);
    for (int i = 0; i < 5000 && rdsiam_provider_refresh_due(p) ==
                                    t0 + 3600 - 960; i++)
        sleep_ms(1);
    assert_int_equal(creds_ref_cached(p, &c, &err), RDSIAM_OK);
    assert_string_equal(c.access_key_id, "AKIDTEST00000002");
    creds_ref_put(&c);

    /* Failures back off (1 s, then 2 s of the pinned clock) and the
     * foreground keeps the valid credentials without fetching itself.
     * Generation 2 was fetched at t0 + 2640: due at t0 + 5280. */
    t.fail_rc = RDSIAM_ERR_HTTP;
    due2 = t0 + 2 * (3600 - 960);
    atomic_store(&fake_now, due2);
    wait_calls(&t, 3);
    assert_int_equal(current_gen(p), 2);
    settle();
    assert_int_equal(tsrc_calls(&t), 3);
    atomic_store(&fake_now, due2 + 1);
    wait_calls(&t, 4);
    atomic_store(&fake_now, due2 + 2);
    settle();
    assert_int_equal(tsrc_calls(&t), 4);
    assert_int_equal(current_gen(p), 2);
    atomic_store(&fake_now, due2 + 3);
    wait_calls(&t, 5);

    /* Stopped and joined by free: once it returns the thread is gone, so
     * nothing can fetch any more, however late the clock (a thread left
     * running would touch the freed provider: ASan and TSan runs). */
    rdsiam_provider_free(p);
    atomic_store(&fake_now, t0 + 100000);
    assert_int_equal(tsrc_calls(&t), 5);
}

/* With nothing cached, the refresh thread waits out the same backoff as
 * callers, and callers meanwhile get the remembered error. */
static void test_background_backoff_nothing_cached(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    rdsiam_credentials c;
    rdsiam_error err;
    int64_t t0 = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP;
    pin_random(0, false);
    p = provider_of(&t, 0, RDSIAM_PROVIDER_BACKGROUND_REFRESH);
    wait_calls(&t, 1); /* at once */
    for (int i = 0; i < 5000 && rdsiam_provider_refresh_due(p) == 0; i++)
        sleep_ms(1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1);
    /* The thread wakes every 10 ms of real time (set_tick_ms): 50 ms of
     * pinned clock later it still has not tried again, nor have callers. */
    for (int i = 0; i < 50; i++) {
        assert_int_equal(creds_ref_get(p, &c, &err), RDSIAM_ERR_HTTP);
        assert_int_equal(creds_ref_cached(p, &c, &err), RDSIAM_ERR_WOULD_BLOCK);
        sleep_ms(1);
    }
    assert_int_equal(tsrc_calls(&t), 1);
    /* Due: one more try (by the thread, or by a caller; never both). */
    atomic_store(&fake_now, t0 + 1);
    wait_calls(&t, 2);
    settle();
    assert_int_equal(tsrc_calls(&t), 2);
    for (int i = 0; i < 5000 && rdsiam_provider_refresh_due(p) == t0 + 1; i++)
        sleep_ms(1);
    assert_int_equal(rdsiam_provider_refresh_due(p), t0 + 1 + 2);
    /* Recovered: the thread's next try, at t0 + 3, fills the cache. */
    t.fail_rc = 0;
    atomic_store(&fake_now, t0 + 3);
    wait_calls(&t, 3);
    for (int i = 0; i < 5000; i++) {
        if (creds_ref_cached(p, &c, &err) == RDSIAM_OK)
            break;
        sleep_ms(1);
    }
    assert_string_equal(c.access_key_id, "AKIDTEST00000001");
    creds_ref_put(&c);
    rdsiam_provider_free(p);
}

/* ------------------------------------------------------------------------ */
/* Many threads, one provider, refreshes underneath                         */
/* ------------------------------------------------------------------------ */

#define HAMMER_THREADS 8
/* 2016-11-07T17:39:33Z: a fixed signing time makes every token a pure
 * function of the credentials that signed it. */
#define HAMMER_TIME INT64_C(1478540373)

static atomic_bool hammer_stop;

typedef struct hammer {
    rdsiam_provider *p;
    int bad;
    int done;
    int max_gen;
} hammer;

static void *hammer_thread(void *arg)
{
    hammer *h = arg;
    rdsiam_token_params tp = {"db.example.com", 3306, "app_user",
                              "eu-west-1", HAMMER_TIME};
    char tok[4096], want[4096], akid[32], secret[48], session[48];
    rdsiam_credentials c = {0};
    rdsiam_error err;
    const char *cred;
    int g;

    while (!atomic_load(&hammer_stop)) {
        if (rdsiam_provider_generate_token(h->p, &tp, tok, sizeof tok, NULL,
                                           &err) != RDSIAM_OK) {
            h->bad++;
            continue;
        }
        /* Which generation signed it, then: is it exactly the token that
         * generation's key id, secret and session token give? */
        cred = strstr(tok, "X-Amz-Credential=AKIDTEST");
        if (!cred || sscanf(cred, "X-Amz-Credential=AKIDTEST%d", &g) != 1) {
            h->bad++;
            continue;
        }
        gen_creds(g, akid, secret, session);
        c.access_key_id = akid;
        c.secret_access_key = secret;
        c.session_token = session;
        if (rdsiam_generate_token(&tp, &c, want, sizeof want) != RDSIAM_OK ||
            strcmp(tok, want) != 0)
            h->bad++;
        if (g > h->max_gen)
            h->max_gen = g;
        h->done++;
    }
    return NULL;
}

static void test_threads_hammer(void **state)
{
    tsrc t;
    rdsiam_provider *p;
    hammer h[HAMMER_THREADS];
    threads g;
    int total = 0, bad = 0, max_gen = 0;

    (void)state;
    tsrc_init(&t, "test", 1000);
    p = provider_of(&t, 0, 0);
    atomic_store(&hammer_stop, false);
    for (int i = 0; i < HAMMER_THREADS; i++)
        h[i] = (hammer){p, 0, 0, 0};
    threads_start(&g, HAMMER_THREADS, hammer_thread, h, sizeof h[0]);
    /* Move the clock so the credentials come due (1000 s lifetime:
     * reused 60 s) and expire, and force refreshes as well. */
    for (int i = 0; i < 200; i++) {
        atomic_fetch_add(&fake_now, 61);
        if (i % 7 == 0)
            (void)rdsiam_provider_refresh(p, NULL);
        sleep_ms(1);
    }
    atomic_store(&hammer_stop, true);
    threads_join(&g);
    for (int i = 0; i < HAMMER_THREADS; i++) {
        total += h[i].done;
        bad += h[i].bad;
        if (h[i].max_gen > max_gen)
            max_gen = h[i].max_gen;
    }
    assert_int_equal(bad, 0);
    assert_true(total >= HAMMER_THREADS); /* every thread signed */
    assert_true(tsrc_calls(&t) >= 29);    /* at least the forced ones */
    assert_true(max_gen <= tsrc_calls(&t));
    rdsiam_provider_free(p);
}

/* Issue 11, item 7: 8 threads against a failing source with nothing
 * cached sent one fetch each per call. Now, however many calls, one fetch
 * per backoff interval: with the clock pinned, exactly one per step. */
typedef struct failing_hammer {
    rdsiam_provider *p;
    int calls;
    int failed; /* calls that returned the source's error */
    int ok;
} failing_hammer;

static void *failing_hammer_thread(void *arg)
{
    failing_hammer *h = arg;
    rdsiam_token_params tp = {"db.example.com", 3306, "app_user", "eu-west-1",
                              HAMMER_TIME};
    char tok[4096];
    rdsiam_credentials c;
    rdsiam_error err;
    int rc;

    memset(&c, 0, sizeof c);
    for (int i = 0; i < h->calls; i++) {
        if (i % 2)
            rc = rdsiam_provider_generate_token(h->p, &tp, tok, sizeof tok,
                                                NULL, &err);
        else
            rc = creds_ref_get(h->p, &c, &err);
        creds_ref_put(&c);
        if (rc == RDSIAM_OK)
            h->ok++;
        else if (rc == RDSIAM_ERR_HTTP_STATUS && err.code == rc)
            h->failed++;
    }
    return NULL;
}

/* Run 8 threads of n calls each; returns how many calls failed (all the
 * others must have succeeded). */
static int failing_hammer_round(rdsiam_provider *p, int n, int *ok)
{
    failing_hammer h[HAMMER_THREADS];
    int failed = 0;

    *ok = 0;
    for (int i = 0; i < HAMMER_THREADS; i++)
        h[i] = (failing_hammer){p, n, 0, 0};
    threads_run(HAMMER_THREADS, failing_hammer_thread, h, sizeof h[0]);
    for (int i = 0; i < HAMMER_THREADS; i++) {
        failed += h[i].failed;
        *ok += h[i].ok;
    }
    assert_int_equal(failed + *ok, HAMMER_THREADS * n);
    return failed;
}

static void test_failing_source_hammered(void **state)
{
    /* The backoff bases after 1 ... 6 failures (jitter pinned to 0). */
    static const int64_t waits[] = {1, 2, 4, 8, 16, 32};
    tsrc t;
    rdsiam_provider *p;
    int ok;
    int64_t now = atomic_load(&fake_now);

    (void)state;
    tsrc_init(&t, "test", 3600);
    t.fail_rc = RDSIAM_ERR_HTTP_STATUS;
    pin_random(0, false);
    p = provider_of(&t, 0, 0);
    for (int step = 0; step < 6; step++) {
        assert_int_equal(failing_hammer_round(p, 200, &ok),
                         HAMMER_THREADS * 200);
        /* 1600 calls, one fetch */
        assert_int_equal(tsrc_calls(&t), step + 1);
        assert_int_equal(rdsiam_provider_refresh_due(p), now + waits[step]);
        /* One second short of the next try: still nothing. */
        atomic_store(&fake_now, now + waits[step] - 1);
        assert_int_equal(failing_hammer_round(p, 50, &ok), HAMMER_THREADS * 50);
        assert_int_equal(tsrc_calls(&t), step + 1);
        now += waits[step];
        atomic_store(&fake_now, now);
    }
    /* The source recovers: one fetch, then everyone is served from the
     * cache. */
    t.fail_rc = 0;
    assert_int_equal(failing_hammer_round(p, 200, &ok), 0);
    assert_int_equal(ok, HAMMER_THREADS * 200);
    assert_int_equal(tsrc_calls(&t), 7);
    rdsiam_provider_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_env_keys),
        T(test_env_session_token_order),
        T(test_env_expiration),
        T(test_env_expiration_malformed),
        T(test_env_incomplete),
        T(test_env_absent),
        T(test_env_bad_characters),
        T(test_static),
        T(test_static_expired),
        T(test_null_arguments),
        T(test_bad_options),
        T(test_credentials_copy),
        T(test_chain_fall_through),
        T(test_chain_error_stops),
        T(test_chain_first_wins),
        T(test_chain_nothing_lists_places),
        T(test_credentials_ref),
        T(test_long_message_cut_at_word),
        T(test_cache_and_refresh_window),
        T(test_custom_refresh_before),
        T(test_short_lived_credentials),
        T(test_refresh_failure_keeps_valid),
        T(test_expired_never_handed_out),
        T(test_get_cached_never_blocks),
        T(test_failure_remembered),
        T(test_remembered_long_message),
        T(test_backoff_clock_stepped_back),
        T(test_backoff_growth_and_cap),
        T(test_backoff_jitter_bounds),
        T(test_refresh_bypasses_backoff),
        T(test_failure_shared_by_waiters),
        T(test_background_refresh),
        T(test_background_backoff_nothing_cached),
        T(test_threads_hammer),
        T(test_failing_source_hammered),
#undef T
    };
    return cmocka_run_group_tests_name("provider", tests, NULL, NULL);
}
