/*
 * test_fork.c - a provider made before fork() works in the child, as
 * pre-fork servers (PostgreSQL, Apache and PHP-FPM modules, uWSGI) use it:
 * the parent builds one provider, its threads fetch, wait and sign, and
 * it forks workers meanwhile. In every child a fetch that was in flight in
 * the parent is not one, the locks are usable, cached credentials stay in
 * use, the background refresh thread comes back when first needed, and
 * rdsiam_provider_free returns.
 *
 * Each child runs one function and reports its result through a pipe;
 * the parent waits for that report with a bound (a hang is a failure, and
 * the child is killed), then for the child's exit. The child's checks
 * return a distinct number per failed check, so a failure names it.
 *
 * Also under ThreadSanitizer (make check-tsan) and valgrind.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers/fake_env.h"
#include "hazard.h"
#include "helpers/threads.h"
#include "provider.h"

/* Two sanitizers cannot follow a thread started in the child of a
 * multi-threaded fork(). ThreadSanitizer's registry still holds the
 * parent's threads, and glibc gives the new thread the id (the cached
 * stack) of one of them ("dup thread with used id"). AddressSanitizer's
 * allocator (GCC 12's) does not lock itself across fork(): the new
 * thread's first allocation can wait for good on a lock the child
 * inherited held (seen once in 200 runs on a loaded machine; glibc's
 * malloc, under the plain build and valgrind, takes its locks across
 * fork()). The cases whose child starts the background refresher again
 * run everywhere else. */
#if defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER "ThreadSanitizer (its thread registry)"
#elif defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER "AddressSanitizer (its allocator's locks)"
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_SANITIZER "ThreadSanitizer (its thread registry)"
#elif __has_feature(address_sanitizer)
#define UNDER_SANITIZER "AddressSanitizer (its allocator's locks)"
#endif
#endif

static void skip_under_sanitizer(void)
{
#ifdef UNDER_SANITIZER
    print_message("skipped: the child starts a thread after a fork() of a "
                  "multi-threaded process, which " UNDER_SANITIZER
                  " does not survive; this case runs in make check and "
                  "make check-valgrind\n");
    skip();
#endif
}

/* How long a child may take before it counts as hung, in ms. */
#define CHILD_BOUND_MS 20000

static _Atomic int64_t fake_now;

static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    return atomic_load(&fake_now);
}

static int setup(void **state)
{
    (void)state;
    /* 2026-11-28T00:00:00Z, an arbitrary fixed moment */
    atomic_store(&fake_now, INT64_C(1795824000));
    rdsiam__sys_set_clock(fake_clock, NULL);
    rdsiam__provider_set_tick_ms(10);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rdsiam__sys_set_clock(NULL, NULL);
    rdsiam__provider_set_tick_ms(0);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* A test source: gated in the parent only                                  */
/* ------------------------------------------------------------------------ */

/* With gated set, fetches in the process that made it wait at the gate
 * while it is closed; fetches in a child never do (the parent's gate
 * cannot be opened from there). gen numbers the credential sets handed
 * out; a child's are numbered from 1000 on (1001, 1002 ...: gen + 1000),
 * so a token says which process fetched its credentials. */
typedef struct fsrc {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pid_t home;
    bool gated;
    bool gate_open;
    int in_fetch; /* fetches inside the source now */
    atomic_int calls;
    atomic_int gen;
    int64_t lifetime;
} fsrc;

static void fsrc_init(fsrc *t, int64_t lifetime, bool gated)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->home = getpid();
    t->gated = gated;
    t->lifetime = lifetime;
}

static int fsrc_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    fsrc *t = self;
    char akid[32], secret[48];
    int g;

    (void)err;
    atomic_fetch_add(&t->calls, 1);
    if (getpid() == t->home && t->gated) {
        pthread_mutex_lock(&t->mu);
        t->in_fetch++;
        pthread_cond_broadcast(&t->cv);
        while (!t->gate_open)
            pthread_cond_wait(&t->cv, &t->mu);
        t->in_fetch--;
        pthread_mutex_unlock(&t->mu);
    }
    /* In a child the source's lock may be held by a parent's thread that
     * is not there: the counters are atomic instead. */
    g = atomic_fetch_add(&t->gen, 1) + 1 + (getpid() == t->home ? 0 : 1000);
    snprintf(akid, sizeof akid, "AKIDFORK%08d", g);
    snprintf(secret, sizeof secret, "forkSecret/%06d/abcdefghijklmnopqrs", g);
    out->access_key_id = strdup(akid);
    out->secret_access_key = strdup(secret);
    out->session_token = NULL;
    out->expires = t->lifetime != 0;
    out->expiration = t->lifetime ? rdsiam__now() + t->lifetime : 0;
    return RDSIAM_OK;
}

static void fsrc_destroy(void *self)
{
    (void)self;
}

static void fsrc_wait_in_fetch(fsrc *t, int n)
{
    pthread_mutex_lock(&t->mu);
    while (t->in_fetch < n)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

static void fsrc_open(fsrc *t)
{
    pthread_mutex_lock(&t->mu);
    t->gate_open = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

static rdsiam_provider *provider_of(fsrc *t, unsigned flags)
{
    rdsiam__source s = {"fork test", fsrc_fetch, fsrc_destroy, t};
    rdsiam_provider_options o = {0};
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    o.flags = flags;
    assert_int_equal(rdsiam__provider_new(&p, s, &o, &err), RDSIAM_OK);
    return p;
}

static const rdsiam_token_params PARAMS = {
    .hostname = "mydb.abc123.us-east-1.rds.amazonaws.com",
    .port = 3306,
    .username = "jane_doe",
    .region = "us-east-1",
};

/* The token's credential scope starts with the key id: which fetch's
 * credentials signed it (the X-Amz-Credential query parameter, SigV4). */
static bool signed_by(const char *token, int gen)
{
    char want[64];

    snprintf(want, sizeof want, "X-Amz-Credential=AKIDFORK%08d%%2F", gen);
    return strstr(token, want) != NULL;
}

static int sign(rdsiam_provider *p, char *buf, size_t size)
{
    rdsiam_error err;

    return rdsiam_provider_generate_token(p, &PARAMS, buf, size, NULL, &err);
}

/* ------------------------------------------------------------------------ */
/* Running a function in a child, with a bound                              */
/* ------------------------------------------------------------------------ */

typedef int (*child_fn)(void *arg);

/* fork(); the child runs fn(arg), reports its result (0: every check
 * passed) and exits. Returns that result; -1 when the child did not report
 * within the bound (it is killed), -2 when it died of a signal. The exit
 * status is not the result: under valgrind a child's exit status counts
 * as leaks what the parent's threads held at the fork. */
static int run_child(child_fn fn, void *arg)
{
    int fds[2], st = 0, rc;
    unsigned char code = 0;
    struct pollfd pf;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        code = (unsigned char)fn(arg);
        (void)!write(fds[1], &code, 1);
        _exit(code);
    }
    close(fds[1]);
    pf.fd = fds[0];
    pf.events = POLLIN;
    do
        rc = poll(&pf, 1, CHILD_BOUND_MS);
    while (rc < 0 && errno == EINTR);
    if (rc == 0 || read(fds[0], &code, 1) != 1) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        close(fds[0]);
        return WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL ? -2 : -1;
    }
    close(fds[0]);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFSIGNALED(st) ? -2 : code;
}

/* ------------------------------------------------------------------------ */
/* A fetch in flight in the parent                                          */
/* ------------------------------------------------------------------------ */

typedef struct parent_ctx {
    rdsiam_provider *p;
    fsrc *src;
    int rc;
    atomic_bool started;
    char token[2048];
} parent_ctx;

/* Signs, after saying it has started. A fork waits for that: a thread
 * still starting allocates (in ASan's allocator, whose locks a child of
 * fork() may inherit held), and so does its first use of the hazard
 * pointer (pthread_setspecific), done here first; from then on until it
 * blocks on the provider it allocates nothing. */
static void *sign_thread(void *arg)
{
    parent_ctx *c = arg;
    int x;
    _Atomic(void *) warm = &x;

    (void)rdsiam__hazard_protect(&warm);
    rdsiam__hazard_clear();
    atomic_store(&c->started, true);
    c->rc = sign(c->p, c->token, sizeof c->token);
    return NULL;
}

static void wait_started(parent_ctx *c)
{
    while (!atomic_load(&c->started))
        sched_yield();
}

/* The child: nothing is cached, the parent's fetch is not the child's: a
 * token needs a fetch of its own (the child's first credential set). */
static int child_fetches_itself(void *arg)
{
    parent_ctx *c = arg;
    char token[2048];
    int calls = atomic_load(&c->src->calls);

    if (sign(c->p, token, sizeof token) != RDSIAM_OK)
        return 10;
    if (!signed_by(token, 1001) || atomic_load(&c->src->calls) != calls + 1)
        return 11;
    /* A second token: from the cache, no fetch. */
    if (sign(c->p, token, sizeof token) != RDSIAM_OK ||
        atomic_load(&c->src->calls) != calls + 1)
        return 12;
    rdsiam_provider_free(c->p);
    return 0;
}

static void fork_during_fetch(unsigned flags)
{
    fsrc t;
    parent_ctx c[2];
    pthread_t th[2];

    fsrc_init(&t, 3600, true);
    memset(c, 0, sizeof c);
    c[0].p = c[1].p = provider_of(&t, flags);
    c[0].src = c[1].src = &t;
    /* Thread 0 fetches (held at the gate), thread 1 waits for that fetch.
     * With the background refresher, it is the one at the gate and both
     * threads wait. */
    assert_int_equal(pthread_create(&th[0], NULL, sign_thread, &c[0]), 0);
    fsrc_wait_in_fetch(&t, 1);
    assert_int_equal(pthread_create(&th[1], NULL, sign_thread, &c[1]), 0);
    wait_started(&c[0]);
    wait_started(&c[1]);
    for (int i = 0; i < 4; i++)
        assert_int_equal(run_child(child_fetches_itself, &c[0]), 0);
    /* The parent is unharmed: its fetch ends, both threads sign with its
     * one credential set. */
    fsrc_open(&t);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(c[i].rc, RDSIAM_OK);
        assert_true(signed_by(c[i].token, 1));
    }
    assert_int_equal(atomic_load(&t.calls), 1);
    rdsiam_provider_free(c[0].p);
}

static void test_fetch_in_flight(void **state)
{
    (void)state;
    fork_during_fetch(0);
}

static void test_fetch_in_flight_background(void **state)
{
    (void)state;
    skip_under_sanitizer();
    fork_during_fetch(RDSIAM_PROVIDER_BACKGROUND_REFRESH);
}

/* ------------------------------------------------------------------------ */
/* Cached credentials and the background thread                             */
/* ------------------------------------------------------------------------ */

/* The child: the parent's credentials sign at once, without a fetch; once
 * they come due, the background thread (started again by the first call
 * that takes the lock) refreshes them in the child. */
static int child_uses_cache(void *arg)
{
    parent_ctx *c = arg;
    char token[2048];
    int calls = atomic_load(&c->src->calls);
    rdsiam_credentials_ref *ref = NULL;
    rdsiam_error err;

    if (sign(c->p, token, sizeof token) != RDSIAM_OK)
        return 20;
    if (!signed_by(token, 1) || atomic_load(&c->src->calls) != calls)
        return 21;
    /* 3600 s credentials are due 960 s ahead of expiry (DESIGN.md 5). */
    atomic_store(&fake_now, atomic_load(&fake_now) + 3600 - 900);
    if (rdsiam_provider_get_cached(c->p, &ref, &err) != RDSIAM_OK)
        return 22;
    rdsiam_credentials_ref_free(ref);
    /* The refresher's tick is 10 ms: it fetches soon. Waiting on that
     * event, the bound of run_child catching a refresher that never
     * came back. */
    while (atomic_load(&c->src->calls) == calls)
        sched_yield();
    do {
        if (rdsiam_provider_get_cached(c->p, &ref, &err) != RDSIAM_OK)
            return 23;
        calls = strcmp(rdsiam_credentials_ref_get(ref)->access_key_id,
                       "AKIDFORK00001002") == 0;
        rdsiam_credentials_ref_free(ref);
    } while (!calls);
    rdsiam_provider_free(c->p);
    return 0;
}

static void test_cached_and_background(void **state)
{
    fsrc t;
    parent_ctx c;
    char token[2048];

    (void)state;
    skip_under_sanitizer();
    fsrc_init(&t, 3600, false);
    memset(&c, 0, sizeof c);
    c.p = provider_of(&t, RDSIAM_PROVIDER_BACKGROUND_REFRESH);
    c.src = &t;
    assert_int_equal(sign(c.p, token, sizeof token), RDSIAM_OK);
    assert_true(signed_by(token, 1));
    for (int i = 0; i < 3; i++)
        assert_int_equal(run_child(child_uses_cache, &c), 0);
    rdsiam_provider_free(c.p);
}

/* ------------------------------------------------------------------------ */
/* A pre-fork server: children forked while threads sign                    */
/* ------------------------------------------------------------------------ */

typedef struct signer {
    rdsiam_provider *p;
    atomic_bool *stop;
    atomic_long tokens;
    int bad;
} signer;

static void *sign_loop(void *arg)
{
    signer *s = arg;
    char token[2048];

    while (!atomic_load(s->stop)) {
        if (sign(s->p, token, sizeof token) != RDSIAM_OK ||
            !signed_by(token, 1))
            s->bad++;
        atomic_fetch_add(&s->tokens, 1);
    }
    return NULL;
}

static int child_signs(void *arg)
{
    parent_ctx *c = arg;
    char token[2048];

    for (int i = 0; i < 100; i++)
        if (sign(c->p, token, sizeof token) != RDSIAM_OK ||
            !signed_by(token, 1))
            return 30;
    rdsiam_provider_free(c->p);
    return 0;
}

static void prefork(unsigned flags)
{
    fsrc t;
    parent_ctx c;
    signer s[3];
    atomic_bool stop = false;
    threads g;
    char token[2048];

    fsrc_init(&t, 3600, false);
    memset(&c, 0, sizeof c);
    c.p = provider_of(&t, flags);
    c.src = &t;
    assert_int_equal(sign(c.p, token, sizeof token), RDSIAM_OK);
    for (int i = 0; i < 3; i++)
        s[i] = (signer){c.p, &stop, 0, 0};
    threads_start(&g, 3, sign_loop, s, sizeof s[0]);
    /* Forks while the threads sign; after each has signed once, which is
     * the last time a thread allocates (see sign_thread). */
    for (int i = 0; i < 3; i++)
        while (atomic_load(&s[i].tokens) == 0)
            sched_yield();
    for (int i = 0; i < 8; i++)
        assert_int_equal(run_child(child_signs, &c), 0);
    atomic_store(&stop, true);
    threads_join(&g);
    for (int i = 0; i < 3; i++)
        assert_int_equal(s[i].bad, 0);
    assert_int_equal(atomic_load(&t.calls), 1);
    rdsiam_provider_free(c.p);
}

static void test_prefork_signing(void **state)
{
    (void)state;
    prefork(0);
}

static void test_prefork_signing_background(void **state)
{
    (void)state;
    prefork(RDSIAM_PROVIDER_BACKGROUND_REFRESH);
}

/* ------------------------------------------------------------------------ */
/* As a user met it: credential_process in flight at the fork               */
/* ------------------------------------------------------------------------ */

static fake_home home;
static char fifo[160], script[160];

/* The first run of the process blocks until the parent writes to the
 * FIFO; every later run (the child's) answers at once. */
static void write_script(void)
{
    char text[1024];

    snprintf(fifo, sizeof fifo, "%s/gate", home.dir);
    snprintf(script, sizeof script, "%s/creds.sh", home.dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(text, sizeof text,
             "#!/bin/sh\n"
             "if mkdir %s/first 2>/dev/null; then read x < %s; n=1; "
             "else n=2; fi\n"
             "printf '{\"Version\": 1, \"AccessKeyId\": "
             "\"AKIDFORK0000000%%s\", \"SecretAccessKey\": "
             "\"forkProcessSecret/abcdefghijklmnopq\"}' $n\n",
             home.dir, fifo);
    fake_write_file(script, text);
    assert_int_equal(chmod(script, 0700), 0);
    snprintf(text, sizeof text, "[default]\ncredential_process = %s\n", script);
    fake_write_file(home.config, text);
}

static int child_with_process(void *arg)
{
    parent_ctx *c = arg;
    char token[2048];

    if (sign(c->p, token, sizeof token) != RDSIAM_OK)
        return 40;
    if (!signed_by(token, 2))
        return 41;
    rdsiam_provider_free(c->p);
    return 0;
}

static void *open_fifo(void *arg)
{
    FILE *f = fopen(arg, "w");

    if (f) {
        fputs("go\n", f);
        fclose(f);
    }
    return NULL;
}

static void test_credential_process_in_flight(void **state)
{
    parent_ctx c;
    pthread_t th, opener;
    rdsiam_error err;
    char first[200];
    struct stat st;

    (void)state;
    rdsiam__sys_set_clock(NULL, NULL); /* the real clock, as users have */
    assert_int_equal(fake_home_setup(&home, "fork"), 0);
    write_script();
    memset(&c, 0, sizeof c);
    assert_int_equal(rdsiam_provider_new_default(&c.p, NULL, &err), RDSIAM_OK);
    assert_int_equal(pthread_create(&th, NULL, sign_thread, &c), 0);
    /* The first run has started (and blocks) once its directory exists. */
    snprintf(first, sizeof first, "%s/first", home.dir);
    while (stat(first, &st) != 0)
        sched_yield();
    assert_int_equal(run_child(child_with_process, &c), 0);
    assert_int_equal(pthread_create(&opener, NULL, open_fifo, fifo), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(pthread_join(opener, NULL), 0);
    assert_int_equal(c.rc, RDSIAM_OK);
    assert_true(signed_by(c.token, 1));
    rdsiam_provider_free(c.p);
    rmdir(first);
    unlink(fifo);
    unlink(script);
    fake_home_teardown(&home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fetch_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_in_flight_background, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cached_and_background, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_prefork_signing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefork_signing_background, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_credential_process_in_flight,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
