/*
 * test_torture.c - allocation failure through every public entry point,
 * and secret residue in freed memory (issue 11: item 8 and the "Secrets"
 * check).
 *
 * malloc, calloc, realloc, free and the aligned allocators are replaced in
 * this program. The library is linked statically, and libcurl, expat,
 * OpenSSL and the C library's own strdup() reach the allocator through the
 * same symbols, so every allocation a scenario causes is seen here.
 *
 * For each scenario:
 *   1. one run without failures counts its allocations (N) and records
 *      the output it must produce;
 *   2. then N runs, run k in a child process of its own with allocation k
 *      failing. Each must end in one of two ways: success with exactly the
 *      output of step 1 (a dependency that recovers, e.g. a cache that is
 *      merely skipped), or an error from the scenario's list (always
 *      RDSIAM_ERR_NO_MEMORY, plus the codes the entry point documents for
 *      a failure inside a dependency) with err->code equal to the returned
 *      code, a one-line message, and no output written (the buffer empty,
 *      *out NULL, the result struct zeroed).
 *   Either way the run must leave as many live blocks as it found (no leak)
 *   and must not crash: a child killed by a signal is reported with the
 *   scenario and the allocation number that killed it.
 *
 * Residue: while a scenario runs, every block handed to free() (and the
 * old block of every realloc(), which this allocator always moves) is
 * searched for the marker secrets the scenarios use. A block still holding
 * one means a secret was freed without being wiped. Blocks freed by
 * libcurl are exempt, reported but not failed: libcurl keeps the response
 * in receive buffers of its own that the library cannot reach (see
 * docs/SECURITY.md).
 *
 * Scenarios are small wrapper functions around the public API, so each
 * reads as one use of the library.
 *
 * Environment: TORTURE_ONLY=NAME runs one scenario; TORTURE_STEP=S tries
 * every S-th allocation only (for a quick look; the default, 1, is every
 * allocation).
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "helpers/standin.h"
#include "internal.h"
#include "provider.h"
#include "region.h"
#include "rdsiam.h"
#include "source_assume_role.h"
#include "source_web_identity.h"

/* ------------------------------------------------------------------------ */
/* The allocator                                                             */
/* ------------------------------------------------------------------------ */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static atomic_long calls;    /* allocations counted while armed */
static atomic_long fail_at;  /* the call number that fails; 0: none */
static atomic_long live;     /* blocks allocated and not yet freed */
static atomic_bool armed;    /* count and inject only inside a scenario */
static atomic_bool scanning; /* search freed blocks for the markers */
static atomic_long residue;  /* marker found in a block freed by us */
static atomic_long residue_curl; /* ... in a block freed by libcurl */

/* The secrets every scenario uses (and the container test server's). */
#define MARK_SECRET "tortureSECRETmarker/0123456789abcdefghijkl"
#define MARK_TOKEN "tortureSESSIONmarker+token/0123456789=="
#define SERVER_SECRET "containerSecretKeyEXAMPLE/abcdefghijklmno+1"
#define ROLE_SECRET "tortureROLEsecret/0123456789abcdefghijklmn"
#define ROLE_TOKEN "tortureROLEsession+token/0123456789=="
static const char *const MARKERS[] = {MARK_SECRET, MARK_TOKEN, SERVER_SECRET,
                                      ROLE_SECRET, ROLE_TOKEN};

/* Blocks allocated while armed, with the code that allocated them, so a
 * leak can be reported by where it was allocated. */
#define TRACK_MAX 8192
static struct {
    void *p;
    const void *caller;
} track[TRACK_MAX];
static atomic_int ntrack;

static void track_add(void *p, const void *caller)
{
    int i;

    if (!p || !atomic_load_explicit(&armed, memory_order_relaxed))
        return;
    i = atomic_fetch_add(&ntrack, 1);
    if (i < TRACK_MAX) {
        track[i].p = p;
        track[i].caller = caller;
    }
}

static void track_del(void *p)
{
    int n = atomic_load(&ntrack);

    for (int i = n < TRACK_MAX ? n : TRACK_MAX; i-- > 0;)
        if (track[i].p == p) {
            track[i].p = NULL;
            return;
        }
}

/* Blocks the dynamic loader allocated during the run: its one-time,
 * per-thread state (the dlerror() buffer, TLS of a library first touched
 * on an error path), kept for the life of the thread by design. */
static long loader_blocks(void)
{
    int n = atomic_load(&ntrack);
    long c = 0;
    Dl_info info;

    for (int i = 0; i < (n < TRACK_MAX ? n : TRACK_MAX); i++)
        if (track[i].p && dladdr(track[i].caller, &info) && info.dli_fname &&
            strstr(info.dli_fname, "/ld-linux"))
            c++;
    return c;
}

static void track_report(const char *name, long k)
{
    int n = atomic_load(&ntrack);
    Dl_info info;

    for (int i = 0; i < (n < TRACK_MAX ? n : TRACK_MAX); i++) {
        if (!track[i].p)
            continue;
        if (dladdr(track[i].caller, &info) && info.dli_fname)
            fprintf(
                stderr, "    %s #%ld: leaked block allocated in %s (%s+%#lx)\n",
                name, k, info.dli_fname, info.dli_sname ? info.dli_sname : "?",
                (unsigned long)((const char *)track[i].caller -
                                (const char *)(info.dli_saddr
                                                   ? info.dli_saddr
                                                   : info.dli_fbase)));
    }
}

static bool inject(void)
{
    long n;

    if (!atomic_load_explicit(&armed, memory_order_relaxed))
        return false;
    n = atomic_fetch_add(&calls, 1) + 1;
    return n == atomic_load_explicit(&fail_at, memory_order_relaxed);
}

static void note_alloc(void *p)
{
    if (p)
        atomic_fetch_add(&live, 1);
}

/* Called with a block about to be released by `caller`. */
static void scan(const void *p, size_t n, const void *caller)
{
    Dl_info info;

    if (!atomic_load_explicit(&scanning, memory_order_relaxed))
        return;
    for (size_t i = 0; i < sizeof MARKERS / sizeof *MARKERS; i++) {
        if (!memmem(p, n, MARKERS[i], strlen(MARKERS[i])))
            continue;
        if (dladdr(caller, &info) && info.dli_fname &&
            strstr(info.dli_fname, "libcurl"))
            atomic_fetch_add(&residue_curl, 1);
        else
            atomic_fetch_add(&residue, 1);
        return;
    }
}

void *malloc(size_t n)
{
    void *p;

    if (inject())
        return NULL;
    p = __libc_malloc(n);
    note_alloc(p);
    track_add(p, __builtin_return_address(0));
    return p;
}

void *calloc(size_t a, size_t b)
{
    void *p;

    if (inject())
        return NULL;
    p = __libc_calloc(a, b);
    note_alloc(p);
    track_add(p, __builtin_return_address(0));
    return p;
}

void free(void *p)
{
    if (!p)
        return;
    scan(p, malloc_usable_size(p), __builtin_return_address(0));
    atomic_fetch_sub(&live, 1);
    track_del(p);
    __libc_free(p);
}

/* Always moves the block, as a real realloc may: whatever the old block
 * held stays behind in freed memory, so it is scanned like a free(). */
void *realloc(void *old, size_t n)
{
    void *p;
    size_t have;

    if (!old)
        return malloc(n);
    if (n == 0) {
        free(old);
        return NULL;
    }
    if (inject())
        return NULL;
    p = __libc_malloc(n);
    if (!p)
        return NULL;
    have = malloc_usable_size(old);
    memcpy(p, old, have < n ? have : n);
    scan(old, have, __builtin_return_address(0));
    track_del(old);
    track_add(p, __builtin_return_address(0));
    __libc_free(old);
    return p;
}

void *reallocarray(void *old, size_t a, size_t b)
{
    if (b && a > SIZE_MAX / b) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, a * b);
}

void *memalign(size_t align, size_t n)
{
    void *p;

    if (inject())
        return NULL;
    p = __libc_memalign(align, n);
    note_alloc(p);
    track_add(p, __builtin_return_address(0));
    return p;
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p = memalign(align, n);

    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Scenarios                                                                 */
/* ------------------------------------------------------------------------ */

#define OUT_MAX 4096

/* What one run produced: the code and the text it wrote (token, signature,
 * region ...), and whether anything was left in an output on failure. */
typedef struct result {
    int rc;
    rdsiam_error err;
    char out[OUT_MAX];
    bool partial; /* an output written although rc != RDSIAM_OK */
} result;

typedef void (*scenario_fn)(result *r);

typedef struct scenario {
    const char *name;
    scenario_fn run;
    /* codes a failure inside a dependency may give, besides NO_MEMORY */
    int allowed[6];
} scenario;

static char tmpdir[64];
static char keyfile[128], config[128], credfile[128], procfile[128];
static char process_config[128];
static int server_port = -1;
static pid_t server_pid = -1;
static int server_in = -1;

static const rdsiam_credentials CREDS = {
    .access_key_id = "AKIDTORTURE",
    .secret_access_key = MARK_SECRET,
    .session_token = MARK_TOKEN,
};

static const rdsiam_token_params TP = {
    .hostname = "db.example.com",
    .port = 5432,
    .username = "torture_user",
    .region = "us-east-1",
    .signing_time = 1704164645, /* 2024-01-02T03:04:05Z */
};

/* A token written by the library into a caller's buffer. */
static void token_into(result *r, char *buf, int rc)
{
    r->rc = rc;
    if (rc == RDSIAM_OK)
        snprintf(r->out, sizeof r->out, "%s", buf);
    else
        r->partial = buf[0] != '\0';
}

static void sc_generate_token_ex(result *r)
{
    char buf[OUT_MAX];

    memset(buf, 'Z', sizeof buf);
    token_into(
        r, buf,
        rdsiam_generate_token_ex(&TP, &CREDS, buf, sizeof buf, NULL, &r->err));
}

static void sc_dsql(result *r)
{
    const rdsiam_dsql_params dp = {.hostname = "abc.dsql.us-east-1.on.aws",
                                   .region = "us-east-1",
                                   .action = RDSIAM_DSQL_CONNECT_ADMIN,
                                   .expires_in = 900,
                                   .signing_time = 1704164645};
    char buf[OUT_MAX];

    memset(buf, 'Z', sizeof buf);
    token_into(r, buf,
               rdsiam_generate_dsql_token(&dp, &CREDS, buf, sizeof buf, NULL,
                                          &r->err));
}

static void sigv4_common(result *r, bool presign)
{
    static const rdsiam_header hdrs[] = {{"Host", "example.amazonaws.com"},
                                         {"X-Amz-Meta-A", " a   b "}};
    const rdsiam_sigv4_request req = {.method = "POST",
                                      .path = "/a/./b/../c d",
                                      .query = "b=2&a=1",
                                      .headers = hdrs,
                                      .header_count = 2,
                                      .body = (const unsigned char *)"{}",
                                      .body_len = 2};
    const rdsiam_sigv4_params sp = {.region = "us-east-1",
                                    .service = "service",
                                    .signing_time = 1704164645,
                                    .expires_in = 300,
                                    .flags = RDSIAM_SIGV4_SIGN_BODY};
    rdsiam_sigv4_result res;
    static const rdsiam_sigv4_result zero;

    memset(&res, 0x5a, sizeof res);
    r->rc = presign
                ? rdsiam_sigv4_presign(&req, &sp, &CREDS, &res, &r->err)
                : rdsiam_sigv4_sign_headers(&req, &sp, &CREDS, &res, &r->err);
    if (r->rc == RDSIAM_OK) {
        snprintf(r->out, sizeof r->out, "%s\n%s\n%s", res.signature,
                 res.authorization ? res.authorization : "-",
                 res.query ? res.query : "-");
        rdsiam_sigv4_result_free(&res);
    } else {
        r->partial = memcmp(&res, &zero, sizeof res) != 0;
    }
}

static void sc_sigv4_sign(result *r)
{
    sigv4_common(r, false);
}
static void sc_sigv4_presign(result *r)
{
    sigv4_common(r, true);
}

/* Load the key file and verify a token signed with its key. */
static void sc_verify(result *r)
{
    static const rdsiam_credentials k = {.access_key_id = "AKIDVERIFY",
                                         .secret_access_key = MARK_SECRET};
    rdsiam_verify_params vp = {.hostname = TP.hostname,
                               .port = TP.port,
                               .region = TP.region,
                               .username = TP.username,
                               .now = TP.signing_time + 60};
    rdsiam_keystore *ks = (rdsiam_keystore *)&vp;
    char tok[OUT_MAX];

    if (rdsiam_generate_token(&TP, &k, tok, sizeof tok) != RDSIAM_OK) {
        r->rc = RDSIAM_ERR_INTERNAL; /* never: nothing here allocates */
        return;
    }
    r->rc = rdsiam_keystore_load(keyfile, &ks, &r->err);
    if (r->rc != RDSIAM_OK) {
        r->partial = ks != NULL;
        return;
    }
    r->rc = rdsiam_verify_token(tok, strlen(tok), &vp, ks, &r->err);
    if (r->rc == RDSIAM_OK)
        snprintf(r->out, sizeof r->out, "verified");
    rdsiam_keystore_free(ks);
}

/* The ElastiCache, MemoryDB and MSK tokens, directly and through a static
 * provider, then the ElastiCache and MSK ones verified. */
static void sc_service_tokens(result *r)
{
    static const rdsiam_credentials k = {.access_key_id = "AKIDVERIFY",
                                         .secret_access_key = MARK_SECRET};
    const rdsiam_cache_params cp = {.name = "torture-cache",
                                    .username = "torture_user",
                                    .region = "us-east-1",
                                    .serverless = 1,
                                    .signing_time = 1704164645};
    const rdsiam_msk_params mp = {.region = "us-east-1",
                                  .signing_time = 1704164645};
    rdsiam_verify_service_params vp = {.service = RDSIAM_SERVICE_ELASTICACHE,
                                       .name = cp.name,
                                       .username = cp.username,
                                       .region = cp.region,
                                       .serverless = 1,
                                       .now = cp.signing_time + 60};
    rdsiam_keystore *ks = (rdsiam_keystore *)&vp;
    rdsiam_provider *p = (rdsiam_provider *)&p;
    char ec[OUT_MAX], msk[OUT_MAX], buf[OUT_MAX];
    int rc;

    memset(buf, 'Z', sizeof buf);
    rc = rdsiam_generate_memorydb_token(&cp, &CREDS, buf, sizeof buf, NULL,
                                        &r->err);
    /* serverless is refused for MemoryDB, before anything is allocated */
    if (rc != RDSIAM_ERR_INVALID_ARGUMENT || buf[0]) {
        r->rc = RDSIAM_ERR_INTERNAL;
        return;
    }
    if (rdsiam_generate_elasticache_token(&cp, &k, ec, sizeof ec, NULL,
                                          &r->err) != RDSIAM_OK ||
        rdsiam_generate_msk_token(&mp, &k, msk, sizeof msk, NULL, NULL,
                                  &r->err) != RDSIAM_OK) {
        r->rc = RDSIAM_ERR_INTERNAL; /* never: nothing here allocates */
        return;
    }
    rc = rdsiam_provider_new_static(&p, &CREDS, &r->err);
    if (rc != RDSIAM_OK) {
        r->rc = rc;
        r->partial = p != NULL;
        return;
    }
    memset(buf, 'Z', sizeof buf);
    rc = rdsiam_provider_generate_msk_token(p, &mp, buf, sizeof buf, NULL, NULL,
                                            &r->err);
    rdsiam_provider_free(p);
    if (rc != RDSIAM_OK) {
        token_into(r, buf, rc);
        return;
    }
    r->rc = rdsiam_keystore_load(keyfile, &ks, &r->err);
    if (r->rc != RDSIAM_OK) {
        r->partial = ks != NULL;
        return;
    }
    r->rc = rdsiam_verify_service_token(ec, strlen(ec), &vp, ks, &r->err);
    if (r->rc == RDSIAM_OK) {
        vp = (rdsiam_verify_service_params){.service = RDSIAM_SERVICE_MSK,
                                            .region = mp.region,
                                            .now = mp.signing_time + 60};
        r->rc = rdsiam_verify_service_token(msk, strlen(msk), &vp, ks, &r->err);
    }
    if (r->rc == RDSIAM_OK)
        snprintf(r->out, sizeof r->out, "%s", buf);
    rdsiam_keystore_free(ks);
}

/* new, get_credentials, generate_token, free: the life of a provider. */
static void provider_life(result *r,
                          int (*make)(rdsiam_provider **, rdsiam_error *))
{
    rdsiam_provider *p = (rdsiam_provider *)&p;
    rdsiam_credentials_ref *ref = (rdsiam_credentials_ref *)&ref;
    char buf[OUT_MAX];
    int rc;

    rc = make(&p, &r->err);
    if (rc != RDSIAM_OK) {
        r->rc = rc;
        r->partial = p != NULL;
        return;
    }
    rc = rdsiam_provider_get_credentials(p, &ref, &r->err);
    if (rc != RDSIAM_OK) {
        r->rc = rc;
        r->partial = ref != NULL;
        rdsiam_provider_free(p);
        return;
    }
    rdsiam_credentials_ref_free(ref);
    memset(buf, 'Z', sizeof buf);
    rc = rdsiam_provider_generate_token(p, &TP, buf, sizeof buf, NULL, &r->err);
    token_into(r, buf, rc);
    rdsiam_provider_free(p);
}

static int make_static(rdsiam_provider **p, rdsiam_error *err)
{
    return rdsiam_provider_new_static(p, &CREDS, err);
}

static int make_env(rdsiam_provider **p, rdsiam_error *err)
{
    return rdsiam_provider_new_environment(p, err);
}

static int make_profile(rdsiam_provider **p, rdsiam_error *err)
{
    const rdsiam_provider_options o = {.profile = "torture"};
    return rdsiam_provider_new_profile(p, &o, err);
}

static int make_process(rdsiam_provider **p, rdsiam_error *err)
{
    const rdsiam_provider_options o = {.profile = "process"};
    return rdsiam_provider_new_profile(p, &o, err);
}

/* The scenarios of the sources that need HTTP run with HTTP=yes only:
 * built with HTTP=no, each constructor allocates nothing and reports
 * RDSIAM_ERR_NOT_BUILT_IN, which test_web_identity, test_assume_role and
 * tests/check-http-no.sh (the container source) assert. */
#if RDSIAM_HTTP
static int make_container(rdsiam_provider **p, rdsiam_error *err)
{
    return rdsiam_provider_new_container(p, NULL, err);
}
#endif

/* The STS sources built alone through their config-based constructors
 * (the chain builds them from profiles), against
 * tests/helpers/aws_standin.py. */
static standin sts;
static char sts_url[128], webtoken_file[128];

#define ROLE_WEB "arn:aws:iam::123456789012:role/torture-web"
#define ROLE_ASSUMED "arn:aws:iam::123456789012:role/torture-assumed"
#define WEB_TOKEN "tortureWebIdentityToken.eyJhbGciOi.signature"

#if RDSIAM_HTTP
static int make_web_identity(rdsiam_provider **p, rdsiam_error *err)
{
    const rdsiam__web_identity_config cfg = {
        .token_file = webtoken_file,
        .role_arn = ROLE_WEB,
        .session_name = "torture",
        .sts = {.region = "us-east-1", .endpoint_url = sts_url}};
    rdsiam__source src;
    int rc;

    *p = NULL; /* as a public constructor does on failure */
    rc = rdsiam__web_identity_new(&src, &cfg, err);
    if (rc != RDSIAM_OK)
        return rc;
    return rdsiam__provider_new(p, src, NULL, err);
}

/* AssumeRole signed with fixed keys the stand-in knows. */
static const rdsiam_credentials ENV_CREDS = {
    .access_key_id = "AKIDENVTORTURE00",
    .secret_access_key = MARK_SECRET,
    .session_token = MARK_TOKEN,
};

static int make_assume_role(rdsiam_provider **p, rdsiam_error *err)
{
    const rdsiam__assume_role_config cfg = {
        .role_arn = ROLE_ASSUMED,
        .session_name = "torture",
        .sts = {.region = "us-east-1", .endpoint_url = sts_url}};
    rdsiam__source inner, src;
    int rc;

    *p = NULL; /* as a public constructor does on failure */
    rc = rdsiam__source_static(&inner, &ENV_CREDS, err);
    if (rc != RDSIAM_OK)
        return rc;
    rc = rdsiam__assume_role_new(&src, &inner, &cfg, err);
    if (rc != RDSIAM_OK)
        return rc;
    return rdsiam__provider_new(p, src, NULL, err);
}

static void sc_web_identity(result *r)
{
    provider_life(r, make_web_identity);
}

static void sc_assume_role(result *r)
{
    provider_life(r, make_assume_role);
}
#endif /* RDSIAM_HTTP */

static int make_default(rdsiam_provider **p, rdsiam_error *err)
{
    return rdsiam_provider_new_default(p, NULL, err);
}

/* The environment each provider scenario reads; set before the counted
 * run, outside the armed window (setenv allocates). */
static void env_clear(void)
{
    static const char *const names[] = {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE"};

    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unsetenv(names[i]);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", credfile, 1);
}

static void sc_static(result *r)
{
    provider_life(r, make_static);
}
static void sc_env(result *r)
{
    provider_life(r, make_env);
}
static void sc_profile(result *r)
{
    provider_life(r, make_profile);
}
static void sc_process(result *r)
{
    provider_life(r, make_process);
}
#if RDSIAM_HTTP
static void sc_container(result *r)
{
    provider_life(r, make_container);
}
#endif
static void sc_default(result *r)
{
    provider_life(r, make_default);
}

static void sc_region(result *r)
{
    char buf[RDSIAM_REGION_MAX + 1];

    memset(buf, 'Z', sizeof buf);
    r->rc = rdsiam__resolve_region(NULL, "torture", buf, sizeof buf, &r->err);
    token_into(r, buf, r->rc);
}

static void sc_connect_token(result *r)
{
    char *tok = (char *)"sentinel";
    rdsiam_token_params tp = TP;

    tp.region = NULL; /* resolved from the profile */
    r->rc = rdsiam_connect_token(&tp, NULL, &tok, &r->err);
    /* connect_token signs with the current time: keep only the prefix
     * that does not depend on it */
    if (r->rc == RDSIAM_OK) {
        snprintf(r->out, sizeof r->out, "%.60s", tok);
        rdsiam_token_free(tok);
    } else {
        r->partial = tok != NULL;
    }
}

static void setup_env_static(void)
{
    env_clear();
    setenv("AWS_ACCESS_KEY_ID", "AKIDENVTORTURE00", 1);
    setenv("AWS_SECRET_ACCESS_KEY", MARK_SECRET, 1);
    setenv("AWS_SESSION_TOKEN", MARK_TOKEN, 1);
}

static void setup_files_only(void)
{
    env_clear();
}

#if RDSIAM_HTTP
static void setup_container(void)
{
    char uri[128];

    env_clear();
    setenv("AWS_PROFILE", "empty", 1);
    snprintf(uri, sizeof uri, "http://127.0.0.1:%d/good?torture", server_port);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer torture", 1);
}
#endif

static void setup_process(void)
{
    env_clear();
    setenv("AWS_CONFIG_FILE", process_config, 1);
}

typedef struct entry {
    scenario s;
    void (*setup)(void);
    bool needs_server;
    /* A failure another change must fix: reported, not counted. */
    const char *known;
} entry;

/* clang-format off */
static const entry SCENARIOS[] = {
    /* name, run, other codes allowed; setup, needs the server, known */
#define ERR(x) RDSIAM_ERR_##x
    {{"generate_token_ex", sc_generate_token_ex, {ERR(CRYPTO)}},
     env_clear, false, NULL},
    {{"dsql_token", sc_dsql, {ERR(CRYPTO)}}, env_clear, false, NULL},
    {{"sigv4_sign_headers", sc_sigv4_sign, {ERR(CRYPTO)}},
     env_clear, false, NULL},
    {{"sigv4_presign", sc_sigv4_presign, {ERR(CRYPTO)}},
     env_clear, false, NULL},
    {{"keystore_verify", sc_verify, {ERR(CRYPTO), ERR(FILE_IO)}},
     env_clear, false, NULL},
    {{"service_tokens", sc_service_tokens, {ERR(CRYPTO), ERR(FILE_IO)}},
     env_clear, false, NULL},
    {{"provider_static", sc_static, {ERR(CRYPTO)}}, env_clear, false, NULL},
    {{"provider_env", sc_env, {ERR(CRYPTO)}}, setup_env_static, false, NULL},
    {{"provider_profile", sc_profile, {ERR(CRYPTO), ERR(FILE_IO)}},
     setup_files_only, false, NULL},
    {{"resolve_region", sc_region, {ERR(FILE_IO)}},
     setup_files_only, false, NULL},
    {{"provider_process", sc_process,
      {ERR(CRYPTO), ERR(FILE_IO), ERR(PROCESS_FAILED), ERR(PROCESS_OUTPUT)}},
     setup_process, false, NULL},
#if RDSIAM_HTTP
    {{"provider_container", sc_container,
      {ERR(CRYPTO), ERR(HTTP), ERR(FILE_IO), ERR(JSON)}},
     setup_container, true, NULL},
#endif
    {{"provider_default", sc_default,
      {ERR(CRYPTO), ERR(HTTP), ERR(FILE_IO), ERR(JSON)}},
     setup_env_static, false, NULL},
    {{"connect_token", sc_connect_token, {ERR(CRYPTO), ERR(FILE_IO)}},
     setup_env_static, false, NULL},
#if RDSIAM_HTTP
    {{"provider_web_identity", sc_web_identity,
      {ERR(CRYPTO), ERR(HTTP), ERR(HTTP_STATUS), ERR(FILE_IO), ERR(XML)}},
     env_clear, false, NULL},
    {{"provider_assume_role", sc_assume_role,
      {ERR(CRYPTO), ERR(HTTP), ERR(HTTP_STATUS), ERR(FILE_IO), ERR(XML)}},
     setup_env_static, false, NULL},
#endif
#undef ERR
};
/* clang-format on */

/* ------------------------------------------------------------------------ */
/* The driver                                                                */
/* ------------------------------------------------------------------------ */

static bool allowed(const scenario *s, int rc)
{
    if (rc == RDSIAM_ERR_NO_MEMORY)
        return true;
    for (size_t i = 0; i < sizeof s->allowed / sizeof *s->allowed; i++)
        if (s->allowed[i] == rc && rc != 0)
            return true;
    return false;
}

static bool one_line(const char *m)
{
    for (; *m; m++)
        if ((unsigned char)*m < 0x20)
            return false;
    return true;
}

/* Run once, counting; returns the number of allocations. */
static long counted_run(const scenario *s, result *r, bool warm_up)
{
    long before_live = atomic_load(&live);

    memset(r, 0, sizeof *r);
    atomic_store(&calls, 0);
    atomic_store(&fail_at, 0);
    atomic_store(&scanning, true);
    atomic_store(&armed, true);
    s->run(r);
    atomic_store(&armed, false);
    atomic_store(&scanning, false);
    if (!warm_up && atomic_load(&live) != before_live)
        fprintf(stderr, "  %s: %ld blocks still live after a clean run\n",
                s->name, atomic_load(&live) - before_live);
    return atomic_load(&calls);
}

/* Child: fail allocation k, check the outcome; exit status 0 when good. */
static int failing_run(const scenario *s, long k, const result *ref)
{
    result *r = __libc_calloc(1, sizeof *r);
    long before = atomic_load(&live);
    long leaked;

    atomic_store(&ntrack, 0);
    atomic_store(&calls, 0);
    atomic_store(&fail_at, k);
    atomic_store(&scanning, true);
    atomic_store(&armed, true);
    s->run(r);
    atomic_store(&armed, false);
    atomic_store(&scanning, false);
    leaked = atomic_load(&live) - before - loader_blocks();
    if (r->rc == RDSIAM_OK) {
        if (strcmp(r->out, ref->out) != 0) {
            fprintf(stderr, "  %s #%ld: succeeded with other output\n", s->name,
                    k);
            return 1;
        }
    } else {
        if (!allowed(s, r->rc)) {
            fprintf(stderr, "  %s #%ld: unexpected error %d (%s): %s\n",
                    s->name, k, r->rc, rdsiam_strerror(r->rc), r->err.message);
            return 1;
        }
        if (r->err.code != r->rc || !one_line(r->err.message)) {
            fprintf(stderr,
                    "  %s #%ld: err.code %d for rc %d, or a "
                    "message over several lines\n",
                    s->name, k, r->err.code, r->rc);
            return 1;
        }
        if (r->partial) {
            fprintf(stderr, "  %s #%ld: partial output after error %d\n",
                    s->name, k, r->rc);
            return 1;
        }
    }
    if (leaked != 0) {
        fprintf(stderr, "  %s #%ld: %ld blocks leaked (rc %d: %s)\n", s->name,
                k, leaked, r->rc, r->err.message);
        track_report(s->name, k);
        return 1;
    }
    if (atomic_load(&residue) != 0) {
        fprintf(stderr, "  %s #%ld: a marker secret was freed unwiped\n",
                s->name, k);
        return 1;
    }
    return 0;
}

static int run_scenario(const entry *e, long every)
{
    const scenario *s = &e->s;
    result ref;
    long n, bad = 0, crashed = 0, k;

    if (e->needs_server && server_port < 0) {
        fprintf(stderr, "%s: the container test server is not running\n",
                s->name);
        return 1;
    }
    e->setup();
    /* The first run fills one-time state (OpenSSL, curl, thread caches);
     * the second is the reference every failing run is held to. */
    counted_run(s, &ref, true);
    atomic_store(&residue, 0);
    atomic_store(&residue_curl, 0);
    n = counted_run(s, &ref, false);
    if (ref.rc != RDSIAM_OK) {
        fprintf(stderr, "%s: the run without failures gave %d (%s): %s\n",
                s->name, ref.rc, rdsiam_strerror(ref.rc), ref.err.message);
        return 1;
    }
    if (atomic_load(&residue) != 0) {
        fprintf(stderr,
                "%s: a marker secret was freed unwiped (no failure "
                "injected)\n",
                s->name);
        bad++;
    }
    for (k = 1; k <= n; k += every) {
        pid_t pid;
        int st;

        fflush(NULL);
        pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            /* The test runner catches crashes to carry on with the next
             * test; in this child a crash must end the child, so that it
             * is seen and counted here. */
            static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE,
                                        SIGABRT};
            for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
                signal(fatal[i], SIG_DFL);
            _exit(failing_run(s, k, &ref));
        }
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(st)) {
            fprintf(stderr, "  %s #%ld: killed by signal %d\n", s->name, k,
                    WTERMSIG(st));
            crashed++;
        } else if (WEXITSTATUS(st) != 0) {
            bad++;
        }
    }
    printf("%-20s %5ld allocations, %ld failing runs: %ld crashed, %ld "
           "wrong%s\n",
           s->name, n, (n + every - 1) / every, crashed, bad,
           atomic_load(&residue_curl)
               ? " (libcurl freed a buffer holding the secret)"
               : "");
    if ((crashed || bad) && e->known) {
        printf("%-20s KNOWN FAILURE, not counted: %s\n", s->name, e->known);
        return 0;
    }
    if (e->known)
        printf("%-20s now passes: remove its known-failure mark\n", s->name);
    return crashed || bad ? 1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */
/* ------------------------------------------------------------------------ */

static int write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return -1;
    fputs(text, f);
    if (fclose(f) != 0)
        return -1;
    return chmod(path, mode);
}

static int fixtures(void)
{
    char text[1024];

    snprintf(tmpdir, sizeof tmpdir, "/tmp/rdsiam-torture-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(keyfile, sizeof keyfile, "%s/keys", tmpdir);
    snprintf(config, sizeof config, "%s/config", tmpdir);
    snprintf(credfile, sizeof credfile, "%s/credentials", tmpdir);
    snprintf(procfile, sizeof procfile, "%s/process.sh", tmpdir);
    snprintf(process_config, sizeof process_config, "%s/config-process",
             tmpdir);
    if (write_file(keyfile, "# torture\nAKIDVERIFY " MARK_SECRET "\n", 0600))
        return -1;
    if (write_file(config,
                   "[default]\nregion = us-east-1\n"
                   "[profile torture]\nregion = eu-west-3\n"
                   "[profile empty]\n",
                   0600))
        return -1;
    if (write_file(credfile,
                   "[torture]\naws_access_key_id = AKIDPROFILETORTURE\n"
                   "aws_secret_access_key = " MARK_SECRET "\n"
                   "aws_session_token = " MARK_TOKEN "\n",
                   0600))
        return -1;
    /* The credential process prints its JSON with printf (a shell
     * builtin), so running it allocates nothing in this process. Members
     * botocore ignores make the object large (over 16 members: the JSON
     * reader sorts its names to find duplicates) with escapes and a nested
     * object, so each of the reader's allocations fails in turn too. */
    if (write_file(procfile,
                   "#!/bin/sh\nprintf '%s' '{\"Version\": 1, \"AccessKeyId\": "
                   "\"AKIDPROCESSTORTURE\", \"SecretAccessKey\": \"" MARK_SECRET
                   "\", \"SessionToken\": \"" MARK_TOKEN
                   "\", \"Expiration\": \"2100-01-01T00:00:00Z\", "
                   "\"Note\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\", "
                   "\"Extra\": {\"a\": [1, 2.5e1, true, null]}, \"x1\": 1, "
                   "\"x2\": 2, \"x3\": 3, \"x4\": 4, \"x5\": 5, \"x6\": 6, "
                   "\"x7\": 7, \"x8\": 8, \"x9\": 9, \"x10\": 10}'\n",
                   0700))
        return -1;
    snprintf(text, sizeof text, "[profile process]\ncredential_process = %s\n",
             procfile);
    return write_file(process_config, text, 0600);
}

static void remove_fixtures(void)
{
    const char *files[] = {keyfile, config, credfile, procfile, process_config};

    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        unlink(files[i]);
    rmdir(tmpdir);
}

/* tests/helpers/container_server.py on a free loopback port. */
static int start_server(void)
{
    int in[2], out[2];
    char line[32] = "";
    size_t got = 0;
    struct pollfd pf;

    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    server_pid = fork();
    if (server_pid < 0)
        return -1;
    if (server_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execlp("python3", "python3", "tests/helpers/container_server.py",
               (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    server_in = in[1];
    pf.fd = out[0];
    pf.events = POLLIN;
    while (got < sizeof line - 1 && !memchr(line, '\n', got)) {
        ssize_t n;
        if (poll(&pf, 1, 15000) <= 0)
            break;
        n = read(out[0], line + got, sizeof line - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(out[0]);
    line[got] = '\0';
    server_port = (int)strtol(line, NULL, 10);
    if (server_port <= 0 || server_port > 65535)
        server_port = -1;
    return server_port > 0 ? 0 : -1;
}

static void stop_server(void)
{
    if (server_in >= 0)
        close(server_in);
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
    }
}

static long step = 1;

/* One cmocka test per scenario; its state is the scenario's entry. */
static void torture(void **state)
{
    assert_int_equal(run_scenario(*state, step), 0);
}

static int group_setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    if (fixtures() != 0) {
        perror("torture: fixtures");
        return -1;
    }
    if (start_server() != 0)
        fprintf(stderr, "torture: the container test server did not start\n");
    /* The STS stand-in: the environment's key signs AssumeRole; the web
     * identity token file holds WEB_TOKEN. Key ids have the documented
     * form (16 to 128 of [A-Z0-9]), which every source checks. */
    snprintf(webtoken_file, sizeof webtoken_file, "%s/webtoken", tmpdir);
    if (write_file(webtoken_file, WEB_TOKEN, 0600) != 0 ||
        standin_start(
            &sts,
            "{\"keys\": {\"AKIDENVTORTURE00\": {\"secret\": \"" MARK_SECRET
            "\", \"token\": \"" MARK_TOKEN "\"}}, \"roles\": {"
            "\"" ROLE_WEB "\": {\"AccessKeyId\": \"ASIAWEBTORTURE00\", "
            "\"SecretAccessKey\": \"" ROLE_SECRET "\", "
            "\"SessionToken\": \"" ROLE_TOKEN "\", "
            "\"Expiration\": \"2100-01-01T00:00:00Z\", "
            "\"WebIdentityToken\": \"" WEB_TOKEN "\"}, "
            "\"" ROLE_ASSUMED "\": {\"AccessKeyId\": \"ASIAROLETORTURE0\", "
            "\"SecretAccessKey\": \"" ROLE_SECRET "\", "
            "\"SessionToken\": \"" ROLE_TOKEN "\", "
            "\"Expiration\": \"2100-01-01T00:00:00Z\"}}, "
            "\"max_skew\": 0}") != 0) {
        fprintf(stderr, "torture: the STS stand-in did not start\n");
        return -1;
    }
    standin_url(&sts, "/torture", sts_url, sizeof sts_url);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_server();
    standin_stop(&sts);
    unlink(webtoken_file);
    remove_fixtures();
    return 0;
}

#define N_SCENARIOS (sizeof SCENARIOS / sizeof *SCENARIOS)

int main(void)
{
    const char *only = getenv("TORTURE_ONLY");
    const char *step_env = getenv("TORTURE_STEP");
    struct CMUnitTest tests[N_SCENARIOS];
    size_t n = 0;

    step = step_env ? strtol(step_env, NULL, 10) : 1;
    if (step < 1)
        step = 1;
    for (size_t i = 0; i < N_SCENARIOS; i++) {
        if (only && strcmp(only, SCENARIOS[i].s.name) != 0)
            continue;
        tests[n].name = SCENARIOS[i].s.name;
        tests[n].test_func = torture;
        tests[n].setup_func = NULL;
        tests[n].teardown_func = NULL;
        tests[n].initial_state = (void *)(uintptr_t)&SCENARIOS[i];
        n++;
    }
    return _cmocka_run_group_tests("torture", tests, n, group_setup,
                                   group_teardown);
}
