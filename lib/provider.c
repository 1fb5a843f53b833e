/*
 * provider.c - the rdsiam_provider object: one credential source (often a
 * chain, chain.c) with caching, refresh ahead of expiry, single-flight
 * refresh, a non-blocking read for event loops and an optional background
 * refresh thread. It knows nothing of where credentials come from.
 *
 * Concurrency model. One mutex guards the cache; it is held only to look
 * at or swap pointers and counters, never while a source fetches. Cached
 * credentials live in an immutable, reference-counted snapshot: a reader
 * takes a reference under the mutex and signs outside it, so a refresh
 * that swaps in a new snapshot never pulls strings out from under a
 * reader, and the old snapshot is wiped when its last reader lets go.
 * Token generation reads without the mutex while the credentials are not
 * due for refresh, and writes nothing another thread reads: it protects
 * the snapshot with a hazard pointer of its own thread (hazard.c) instead
 * of counting a reference, so threads signing on several cores do not
 * bounce a shared cache line.
 * At most one fetch runs at a time (the `refreshing` flag); a thread that
 * finds credentials due for refresh while another thread refreshes keeps
 * using the still-valid cached ones, and only a thread with nothing usable
 * waits for the fetch in flight, and gets its result, success or error.
 *
 * Timing. Credentials with an expiration are refreshed refresh_before
 * seconds ahead of it (default 900 + 60: a token signed just before the
 * refresh point still lives its full 15 minutes). Credentials that arrive
 * with less life than that are reused for min(60 s, half their life)
 * before the next try, so short-lived sessions do not turn every token
 * into a fetch. Expired credentials are never handed out.
 *
 * Failures. A failed fetch is remembered and the next one waits: 1, 2, 4
 * ... 60 s after consecutive failures, less a random quarter at most
 * (jitter), so that a fleet that failed together against one restarting
 * agent does not come back together. Meanwhile still-valid credentials
 * stay in use, and a caller with nothing usable gets the remembered error
 * at once instead of a fetch of its own: however many threads ask, a down
 * ECS or EKS agent, a failing credential_process or a slow STS sees one
 * request per backoff interval. Only rdsiam_provider_refresh() tries
 * before the time is up. Errors in a caller's own arguments are found
 * before any fetch and are never remembered.
 *
 * fork(). Pre-fork servers build a provider, then fork workers. Every
 * provider is on one list, and pthread_atfork handlers hold every
 * provider's locks across fork(), so the child never inherits a lock held
 * by a thread it does not have, nor a cache caught halfway through a
 * change. In the child, a fetch that was in flight in the parent is not
 * one (nobody would ever finish it), the condition variable is made anew
 * (the parent's waiters are not in the child), the jitter's generator
 * takes the child's pid (children of one server must not retry in step),
 * and the background thread, which fork() does not copy, is started again
 * by the first call that takes the lock. Credentials cached before the
 * fork stay in use. The token path pays nothing for any of this: no
 * check, no system call.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hazard.h"
#include "provider.h"

#define DEFAULT_REFRESH_BEFORE (RDSIAM_TOKEN_LIFETIME + 60)
#define MAX_REFRESH_BEFORE INT64_C(86400)
#define MIN_REUSE INT64_C(60) /* seconds to keep short-lived credentials */
/* seconds between failed fetches, at most */
#define MAX_BACKOFF INT64_C(60)

static long tick_ms = 10000;

void rdsiam__provider_set_tick_ms(long ms)
{
    tick_ms = ms > 0 ? ms : 10000;
}

/* The jitter's random source: the provider's own generator unless a test
 * installed one (rdsiam__provider_set_random). */
static rdsiam__random_fn random_fn;
static void *random_ctx;

void rdsiam__provider_set_random(rdsiam__random_fn fn, void *ctx)
{
    random_fn = fn;
    random_ctx = ctx;
}

/* ------------------------------------------------------------------------ */
/* Credentials helpers                                                      */
/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* The object                                                               */
/* ------------------------------------------------------------------------ */

/* A snapshot of the cache, handed to callers as rdsiam_credentials_ref.
 * Immutable once made; the count is atomic so a caller can release its
 * reference without the provider (which may be gone by then). */
struct rdsiam_credentials_ref {
    atomic_ulong refs;
    int64_t until; /* read lock-free before this time (see sign_fast) */
    rdsiam__creds creds;
    rdsiam_credentials view;              /* borrows creds' strings */
    char source[RDSIAM_SOURCE_NAME_SIZE]; /* the source that gave creds */
};
typedef struct rdsiam_credentials_ref snapshot;

struct rdsiam_provider {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a fetch finished, or the thread must stop */
    rdsiam__source src;
    int64_t refresh_before;
    /* The signing region for params->region NULL: options.region, or
     * resolved once on first need (region_mu, never held with mu). */
    pthread_mutex_t region_mu;
    atomic_bool region_known; /* set once, after region is written */
    char region[RDSIAM_REGION_MAX + 1];
    char *profile; /* for the profile's region */
    bool background;

    /* Everything below is guarded by mu. */
    snapshot *cur;      /* NULL until a fetch succeeds */
    int64_t refresh_at; /* replace cur from this time on */
    int64_t retry_at;   /* no new try before this time after a failure */
    unsigned failures;  /* consecutive failed fetches */
    bool refreshing;    /* a fetch is in flight */
    unsigned long done; /* fetches finished (waiters watch it change) */
    int last_rc;        /* result of the last fetch */
    rdsiam_error last_err;
    char *account; /* why the last fetch's sources had nothing (explain) */
    uint64_t rng;  /* jitter state (splitmix64) */
    bool stop;
    bool thread_started; /* false in a child of fork() until revived */
    pthread_t thread;

    /* The list of every provider (all_mu), for the fork handlers. */
    struct rdsiam_provider *all_next, **all_prev_next;

    /* Lock-free read path (sign_fast): the snapshot token generation may
     * use without mu, protected by a hazard pointer. Written under mu. */
    _Atomic(void *) fast;
};

/* ------------------------------------------------------------------------ */
/* fork()                                                                   */
/* ------------------------------------------------------------------------ */

static pthread_mutex_t all_mu = PTHREAD_MUTEX_INITIALIZER;
static rdsiam_provider *all;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;
static bool fork_ok;

/* The lock order everywhere: all_mu, then a provider's region_mu, then its
 * mu, then the hazard list's (hazard.c, taken under mu by publish_fast). */
static void before_fork(void)
{
    pthread_mutex_lock(&all_mu);
    for (rdsiam_provider *p = all; p; p = p->all_next) {
        pthread_mutex_lock(&p->region_mu);
        pthread_mutex_lock(&p->mu);
    }
}

static void after_fork_parent(void)
{
    for (rdsiam_provider *p = all; p; p = p->all_next) {
        pthread_mutex_unlock(&p->mu);
        pthread_mutex_unlock(&p->region_mu);
    }
    pthread_mutex_unlock(&all_mu);
}

static int init_cond(pthread_cond_t *cv);

/* The child has one thread, the one that called fork(), and it holds
 * every lock (before_fork). */
static void after_fork_child(void)
{
    for (rdsiam_provider *p = all; p; p = p->all_next) {
        if (p->refreshing) { /* its thread is not in this process */
            p->refreshing = false;
            p->done++;
        }
        p->thread_started = false; /* revive_thread starts it again */
        p->rng ^= (uint64_t)getpid() << 20;
        (void)init_cond(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_mutex_unlock(&p->region_mu);
    }
    pthread_mutex_unlock(&all_mu);
}

/* Registered after hazard.c's handlers, so that ours run first before a
 * fork (prepare handlers run in the reverse order of registration): the
 * provider's mu is taken before the hazard list's lock, as publish_fast
 * takes them. */
static void register_fork(void)
{
    fork_ok =
        rdsiam__hazard_init() &&
        pthread_atfork(before_fork, after_fork_parent, after_fork_child) == 0;
}

static void list_add(rdsiam_provider *p)
{
    pthread_mutex_lock(&all_mu);
    p->all_next = all;
    p->all_prev_next = &all;
    if (all)
        all->all_prev_next = &p->all_next;
    all = p;
    pthread_mutex_unlock(&all_mu);
}

static void list_remove(rdsiam_provider *p)
{
    pthread_mutex_lock(&all_mu);
    if (p->all_prev_next) {
        *p->all_prev_next = p->all_next;
        if (p->all_next)
            p->all_next->all_prev_next = p->all_prev_next;
        p->all_prev_next = NULL;
    }
    pthread_mutex_unlock(&all_mu);
}

static void *refresher(void *arg);

/* The background thread, started when the provider is made and again in a
 * child of fork() by the first call that takes mu (held). A failure to
 * start it in a child leaves the refreshing to callers, as without the
 * flag. */
static void revive_thread(rdsiam_provider *p)
{
    if (p->background && !p->thread_started && !p->stop)
        p->thread_started = pthread_create(&p->thread, NULL, refresher, p) == 0;
}

static void snapshot_release(snapshot *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        rdsiam__creds_clear(&s->creds);
        free(s);
    }
}

/*
 * Sign with s and, when info is wanted, say when the token stops working:
 * "valid until the earlier of its 15 minutes and the expiry of the
 * credentials that signed it". params->signing_time is set (not 0) when
 * info is wanted, so the time reported is the token's own.
 */
static inline int sign_with(const snapshot *s,
                            const rdsiam_token_params *params, char *buf,
                            size_t bufsize, size_t *needed,
                            rdsiam_token_info *info, rdsiam_error *err)
{
    int rc =
        rdsiam_generate_token_ex(params, &s->view, buf, bufsize, needed, err);

    if (info && rc == RDSIAM_OK) {
        info->signing_time = params->signing_time;
        info->expires = params->signing_time + RDSIAM_TOKEN_LIFETIME;
        info->credentials_expiration = s->view.expiration;
        if (s->creds.expires && s->creds.expiration < info->expires)
            info->expires = s->creds.expiration;
        memcpy(info->source, s->source, sizeof info->source);
    }
    return rc;
}

/*
 * The lock-free read path. Threads that only read cached credentials must
 * not queue on mu, nor write to a shared reference count, for every token:
 * while the credentials are neither due for refresh nor expired
 * (snapshot.until) a token is signed with p->fast protected by the
 * calling thread's hazard pointer. The writer swaps p->fast, then waits
 * until no thread protects the old snapshot before the cache drops its
 * reference (publish_fast). Returns true when the token was signed (rc is
 * its result); false when the caller must take the slow path.
 */
static bool sign_fast(rdsiam_provider *p, const rdsiam_token_params *params,
                      char *buf, size_t bufsize, size_t *needed,
                      rdsiam_token_info *info, rdsiam_error *err, int *rc)
{
    int64_t now = rdsiam__now();
    snapshot *s = rdsiam__hazard_protect(&p->fast);
    bool signed_here = s && now < s->until;

    if (signed_here)
        *rc = sign_with(s, params, buf, bufsize, needed, info, err);
    rdsiam__hazard_clear();
    return signed_here;
}

/* Called with mu held when p->cur changes to s: after this, the old
 * snapshot may be released. */
static void publish_fast(rdsiam_provider *p, snapshot *s)
{
    rdsiam__hazard_wait(atomic_exchange(&p->fast, (void *)s));
}

/* Lock-held predicates. */
static bool usable(const rdsiam_provider *p, int64_t now)
{
    return p->cur && (!p->cur->creds.expires || now < p->cur->creds.expiration);
}

static bool stale(const rdsiam_provider *p, int64_t now)
{
    return now >= p->refresh_at && now >= p->retry_at;
}

static int64_t backoff(unsigned failures)
{
    int64_t b = 1;
    for (unsigned i = 1; i < failures && b < MAX_BACKOFF; i++)
        b *= 2;
    return b < MAX_BACKOFF ? b : MAX_BACKOFF;
}

/* splitmix64 (Steele, Lea, Flood 2014): a well-mixed 64-bit sequence from
 * a counter. Jitter needs spread, not secrecy. Called with mu held. */
static uint64_t next_random(rdsiam_provider *p)
{
    uint64_t z;

    if (random_fn)
        return random_fn(random_ctx);
    z = (p->rng += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A seed that differs between processes started together and between
 * providers of one process: the clocks' nanoseconds, the pid, the
 * object's address. */
static uint64_t seed(const rdsiam_provider *p)
{
    struct timespec mono = {0, 0}, real = {0, 0};

    (void)clock_gettime(CLOCK_MONOTONIC, &mono);
    (void)clock_gettime(CLOCK_REALTIME, &real);
    return (uint64_t)mono.tv_nsec ^ ((uint64_t)mono.tv_sec << 32) ^
           ((uint64_t)real.tv_nsec << 17) ^ ((uint64_t)getpid() << 40) ^
           (uint64_t)(uintptr_t)p;
}

/* Seconds to wait after the n-th consecutive failure: the base (1, 2, 4
 * ... 60 s) less a random 0 to 25 % of it, in whole seconds (the clock's
 * unit). Never more than MAX_BACKOFF, never less than 1 s. Called with mu
 * held. */
static int64_t retry_delay(rdsiam_provider *p, unsigned failures)
{
    int64_t base = backoff(failures), span = base / 4;

    if (span == 0)
        return base;
    return base - (int64_t)(next_random(p) % (uint64_t)(span + 1));
}

/* A wait longer than the longest backoff means the wall clock went back
 * (an NTP step, a corrected RTC) since the failure: the wait is over, or
 * every caller would get the remembered error for as long as the clock
 * jumped. Called with mu held, before retry_at is read. */
static void check_retry(rdsiam_provider *p, int64_t now)
{
    if (p->retry_at > now && p->retry_at - now > MAX_BACKOFF)
        p->retry_at = now;
}

static int64_t next_refresh(const rdsiam_provider *p, int64_t now,
                            const rdsiam__creds *c)
{
    int64_t at, life, reuse, expiration = c->expiration;

    if (!c->expires)
        return INT64_MAX;
    life = expiration - now;
    at = expiration - p->refresh_before;
    reuse = life / 2 < MIN_REUSE ? life / 2 : MIN_REUSE;
    return at < now + reuse ? now + reuse : at;
}

/* Check what a source gave: well-formed and not already expired. */
static int check_fresh(const rdsiam__creds *c, int64_t now, rdsiam_error *err)
{
    char when[17];
    rdsiam_credentials view = rdsiam__creds_view(c);
    int rc = rdsiam__check_credentials(&view, err);

    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "credentials fetched");
        return rc;
    }
    if (c->expires && c->expiration <= now) {
        rdsiam__amz_date(when, c->expiration > RDSIAM__TIME_MAX
                                   ? RDSIAM__TIME_MAX
                               : c->expiration < 0 ? 0
                                                   : c->expiration);
        return rdsiam__fail(err, RDSIAM_ERR_CREDENTIALS_EXPIRED,
                            "credentials fetched had already expired (at %s)",
                            when);
    }
    return RDSIAM_OK;
}

/*
 * Fetch once and install the result. Called with mu held and no fetch in
 * flight; drops mu while the sources run and holds it again on return.
 * On failure the cache is left as it was (still-valid credentials stay in
 * use) and the next try is pushed back.
 */
static int run_refresh(rdsiam_provider *p, rdsiam_error *err)
{
    rdsiam__creds fresh = {0};
    rdsiam_error e;
    snapshot *s = NULL, *old = NULL;
    const char *chosen = "", *account = "";
    char *kept;
    int64_t now;
    int rc;

    p->refreshing = true;
    pthread_mutex_unlock(&p->mu);

    rdsiam__ok(&e);
    rc = p->src.fetch(p->src.self, &fresh, &e);
    if (rc != RDSIAM_OK && !e.message[0])
        rdsiam__fail(&e, rc, "%s: %s", p->src.name, rdsiam_strerror(rc));
    /* Which source answered, and why the ones before it had nothing: a
     * chain says; any other source is its own answer. */
    (void)rdsiam__chain_report(&p->src, &chosen, &account);
    kept = rdsiam__strdup(account);
    now = rdsiam__now();
    if (rc == RDSIAM_OK)
        rc = check_fresh(&fresh, now, &e);
    if (rc == RDSIAM_OK) {
        s = malloc(sizeof *s);
        if (!s)
            rc = rdsiam__fail(&e, RDSIAM_ERR_NO_MEMORY,
                              "out of memory caching credentials");
    }
    if (rc == RDSIAM_OK) {
        atomic_init(&s->refs, 1); /* the cache's own reference */
        s->creds = fresh;
        s->view = rdsiam__creds_view(&s->creds);
        (void)snprintf(s->source, sizeof s->source, "%s",
                       chosen[0] ? chosen : p->src.name);
        memset(&fresh, 0, sizeof fresh);
    }
    rdsiam__creds_clear(&fresh);

    pthread_mutex_lock(&p->mu);
    free(p->account);
    p->account = kept;
    if (rc == RDSIAM_OK) {
        old = p->cur;
        p->cur = s;
        p->refresh_at = next_refresh(p, now, &s->creds);
        s->until = s->creds.expires && s->creds.expiration < p->refresh_at
                       ? s->creds.expiration
                       : p->refresh_at;
        publish_fast(p, s);
        p->failures = 0;
        p->retry_at = 0;
    } else {
        if (p->failures < 64)
            p->failures++;
        p->retry_at = now + retry_delay(p, p->failures);
    }
    p->last_rc = rc;
    p->last_err = e;
    p->refreshing = false;
    p->done++;
    snapshot_release(old);
    pthread_cond_broadcast(&p->cv);
    if (err)
        *err = e;
    return rc;
}

/* Wait for the fetch in flight to finish (mu held); returns its result.
 * Watching the count of finished fetches, not the flag, means a waiter
 * wakes for the fetch it waited on even if another starts at once. */
static int wait_refresh(rdsiam_provider *p, rdsiam_error *err)
{
    unsigned long seen = p->done;

    while (p->refreshing && p->done == seen)
        pthread_cond_wait(&p->cv, &p->mu);
    if (err)
        *err = p->last_err;
    return p->last_rc;
}

/*
 * The remembered failure, for a caller with nothing usable before the
 * next try is due (mu held): the last fetch's code and message, with
 * " (remembered; next attempt in N s)" after it. A message too long for
 * both is cut after a whole word, so the note always fits.
 */
static int recall_failure(const rdsiam_provider *p, int64_t now,
                          rdsiam_error *err)
{
    char note[64];
    size_t n, room;

    if (!err)
        return p->last_rc;
    (void)snprintf(note, sizeof note, " (remembered; next attempt in %lld s)",
                   (long long)(p->retry_at - now));
    *err = p->last_err;
    n = strlen(err->message);
    room = sizeof err->message - 1 - strlen(note);
    if (n > room) {
        n = room - 3; /* room for "..." */
        while (n > 0 && err->message[n] != ' ')
            n--;
        memcpy(err->message + n, "...", 3);
        n += 3;
    }
    memcpy(err->message + n, note, strlen(note) + 1);
    return p->last_rc;
}

/*
 * The heart of every read: a referenced snapshot of usable credentials,
 * refreshing first when they are due and no one else is at it. Only a
 * caller with nothing usable ever waits, and only for a fetch in flight
 * or one it runs itself; before the backoff after a failure is up it gets
 * the remembered error instead.
 */
static int acquire(rdsiam_provider *p, snapshot **out, rdsiam_error *err)
{
    int64_t now;
    int rc = RDSIAM_OK;

    *out = NULL;
    pthread_mutex_lock(&p->mu);
    revive_thread(p);
    now = rdsiam__now();
    check_retry(p, now);
    if (usable(p, now)) {
        /* Due for refresh and nobody (thread or caller) at it: do it
         * here. A failure keeps the still-valid credentials. */
        if (stale(p, now) && !p->refreshing && !p->thread_started)
            (void)run_refresh(p, NULL);
    } else if (p->refreshing) {
        rc = wait_refresh(p, err);
    } else if (now < p->retry_at) {
        rc = recall_failure(p, now, err);
    } else {
        rc = run_refresh(p, err);
    }
    if (usable(p, rdsiam__now())) {
        atomic_fetch_add(&p->cur->refs, 1);
        *out = p->cur;
        rc = RDSIAM_OK;
        rdsiam__ok(err);
    } else if (rc == RDSIAM_OK) {
        /* A fetch just succeeded but its credentials ran out already. */
        rc = rdsiam__fail(err, RDSIAM_ERR_CREDENTIALS_EXPIRED,
                          "credentials expired before they could be used");
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

const rdsiam_credentials *
rdsiam_credentials_ref_get(const rdsiam_credentials_ref *ref)
{
    return ref ? &ref->view : NULL;
}

const char *rdsiam_credentials_ref_source(const rdsiam_credentials_ref *ref)
{
    return ref ? ref->source : "";
}

void rdsiam_credentials_ref_free(rdsiam_credentials_ref *ref)
{
    snapshot_release(ref);
}

/* ------------------------------------------------------------------------ */
/* Background refresh thread                                                */
/* ------------------------------------------------------------------------ */

static void timed_wait(rdsiam_provider *p, int64_t seconds)
{
    struct timespec ts;
    long ms = tick_ms;

    if (seconds < ms / 1000)
        ms = (long)seconds * 1000;
    if (ms < 1)
        ms = 1;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    (void)pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

/*
 * Fetch at once, then again whenever the cached credentials come due,
 * waiting out the same backoff (retry_at) as callers after failures. The
 * wait is capped at tick_ms of real time so that a wall-clock jump
 * (suspend, NTP step) is noticed soon.
 */
static void *refresher(void *arg)
{
    rdsiam_provider *p = arg;

    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        int64_t now = rdsiam__now(), when;

        check_retry(p, now);
        if (!usable(p, now))
            when = p->retry_at;
        else if (!p->cur->creds.expires)
            when = INT64_MAX;
        else
            when = p->refresh_at > p->retry_at ? p->refresh_at : p->retry_at;
        if (p->refreshing)
            pthread_cond_wait(&p->cv, &p->mu);
        else if (now >= when)
            (void)run_refresh(p, NULL);
        else
            timed_wait(p, when - now);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Construction and destruction                                             */
/* ------------------------------------------------------------------------ */

static void destroy_source(rdsiam__source *src)
{
    if (src->destroy)
        src->destroy(src->self);
    memset(src, 0, sizeof *src);
}

/* A condition variable whose timed waits count on the monotonic clock. */
static int init_cond(pthread_cond_t *cv)
{
    pthread_condattr_t ca;
    int ok;

    if (pthread_condattr_init(&ca) != 0)
        return -1;
    ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
         pthread_cond_init(cv, &ca) == 0;
    pthread_condattr_destroy(&ca);
    return ok ? 0 : -1;
}

static int init_sync(rdsiam_provider *p)
{
    if (init_cond(&p->cv) != 0)
        return -1;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        pthread_cond_destroy(&p->cv);
        return -1;
    }
    return 0;
}

int rdsiam__provider_new(rdsiam_provider **out, rdsiam__source src,
                         const rdsiam_provider_options *opts, rdsiam_error *err)
{
    rdsiam_provider *p = NULL;
    bool synced = false;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT,
                  "provider out pointer is NULL");
    *out = NULL;
    RDSIAM_ENSURE(err, src.fetch, RDSIAM_ERR_NULL_ARGUMENT,
                  "the source has no fetch function");
    RDSIAM_ENSURE(err,
                  !opts || (opts->refresh_before >= 0 &&
                            opts->refresh_before <= MAX_REFRESH_BEFORE),
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "refresh_before must be 0 to %lld seconds",
                  (long long)MAX_REFRESH_BEFORE);
    RDSIAM_ENSURE(err,
                  !opts || !(opts->flags & ~RDSIAM_PROVIDER_BACKGROUND_REFRESH),
                  RDSIAM_ERR_INVALID_ARGUMENT, "unknown provider flags");
    p = calloc(1, sizeof *p);
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NO_MEMORY,
                  "out of memory creating provider");
    p->src = src;
    memset(&src, 0, sizeof src); /* owned by p from here on */
    if (opts && opts->region) {
        RDSIAM_GUARD(rdsiam__resolve_region(opts->region, NULL, p->region,
                                            sizeof p->region, err));
        p->region_known = true;
    }
    if (opts && opts->profile && *opts->profile) {
        p->profile = rdsiam__strdup(opts->profile);
        RDSIAM_ENSURE(err, p->profile, RDSIAM_ERR_NO_MEMORY,
                      "out of memory creating provider");
    }
    p->refresh_before = opts && opts->refresh_before ? opts->refresh_before
                                                     : DEFAULT_REFRESH_BEFORE;
    p->last_rc = RDSIAM_ERR_NO_CREDENTIALS;
    p->rng = seed(p);
    synced = init_sync(p) == 0;
    if (synced && pthread_mutex_init(&p->region_mu, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        synced = false;
    }
    RDSIAM_ENSURE(err, synced, RDSIAM_ERR_INTERNAL,
                  "cannot initialise provider locks");
    pthread_once(&fork_once, register_fork);
    RDSIAM_ENSURE(err, fork_ok, RDSIAM_ERR_INTERNAL,
                  "cannot register the provider's fork handlers");
    /* On the list before the thread starts: a fork from now on finds it. */
    list_add(p);
    p->background = opts && (opts->flags & RDSIAM_PROVIDER_BACKGROUND_REFRESH);
    pthread_mutex_lock(&p->mu);
    revive_thread(p);
    pthread_mutex_unlock(&p->mu);
    RDSIAM_ENSURE(err, p->thread_started || !p->background, RDSIAM_ERR_INTERNAL,
                  "cannot start the refresh thread");
    *out = p;
    p = NULL;
    rdsiam__ok(err);
done:
    destroy_source(&src);
    if (p) {
        list_remove(p);
        if (synced) {
            pthread_mutex_destroy(&p->mu);
            pthread_cond_destroy(&p->cv);
            pthread_mutex_destroy(&p->region_mu);
        }
        destroy_source(&p->src);
        free(p->profile);
        free(p);
    }
    return rc;
}

void rdsiam_provider_free(rdsiam_provider *p)
{
    bool joining;

    if (!p)
        return;
    list_remove(p);
    pthread_mutex_lock(&p->mu);
    p->stop = true; /* and no revive_thread from here on */
    joining = p->thread_started;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (joining)
        pthread_join(p->thread, NULL);
    snapshot_release(p->cur);
    destroy_source(&p->src);
    free(p->account);
    free(p->profile);
    pthread_mutex_destroy(&p->region_mu);
    rdsiam__wipe(&p->last_err, sizeof p->last_err);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

int rdsiam_provider_get_credentials(rdsiam_provider *p,
                                    rdsiam_credentials_ref **out,
                                    rdsiam_error *err)
{
    snapshot *s = NULL;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT,
                  "credentials out is NULL");
    *out = NULL;
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    RDSIAM_GUARD(acquire(p, &s, err));
    *out = s; /* the reference acquire() took passes to the caller */
    s = NULL;
done:
    snapshot_release(s);
    return rc;
}

int rdsiam_provider_get_cached(rdsiam_provider *p, rdsiam_credentials_ref **out,
                               rdsiam_error *err)
{
    snapshot *s = NULL;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT,
                  "credentials out is NULL");
    *out = NULL;
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    /* The mutex is only ever held for pointer swaps and counters, never
     * across a fetch, so taking it here does not wait on I/O. */
    pthread_mutex_lock(&p->mu);
    revive_thread(p);
    if (usable(p, rdsiam__now())) {
        s = p->cur;
        atomic_fetch_add(&s->refs, 1);
    }
    pthread_mutex_unlock(&p->mu);
    RDSIAM_ENSURE(err, s, RDSIAM_ERR_WOULD_BLOCK,
                  "no usable credentials cached yet");
    *out = s;
    s = NULL;
    rdsiam__ok(err);
done:
    snapshot_release(s);
    return rc;
}

int rdsiam_provider_refresh(rdsiam_provider *p, rdsiam_error *err)
{
    int rc;

    if (!p)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    pthread_mutex_lock(&p->mu);
    revive_thread(p);
    /* A fetch already in flight started after the call that asked for
     * fresh credentials: its result is as fresh as a second one. Else
     * fetch now, whatever the backoff: the caller asked for it. */
    if (p->refreshing)
        rc = wait_refresh(p, err);
    else
        rc = run_refresh(p, err);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int64_t rdsiam_provider_refresh_due(rdsiam_provider *p)
{
    int64_t due;

    if (!p)
        return 0;
    pthread_mutex_lock(&p->mu);
    revive_thread(p);
    check_retry(p, rdsiam__now());
    if (!p->cur)
        due = p->retry_at; /* 0, or the next try after a failure */
    else if (!p->cur->creds.expires)
        due = INT64_MAX;
    else
        due = p->refresh_at > p->retry_at ? p->refresh_at : p->retry_at;
    pthread_mutex_unlock(&p->mu);
    return due;
}

/* The provider's region: set at construction, or resolved now, once. */
static int provider_region(rdsiam_provider *p, const char **region,
                           rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    /* Once known the region never changes: readers skip the lock, so
     * threads signing with a resolved region do not queue on region_mu. */
    if (!atomic_load(&p->region_known)) {
        pthread_mutex_lock(&p->region_mu);
        if (!atomic_load(&p->region_known)) {
            rc = rdsiam__resolve_region(NULL, p->profile, p->region,
                                        sizeof p->region, err);
            atomic_store(&p->region_known, rc == RDSIAM_OK);
        }
        pthread_mutex_unlock(&p->region_mu);
    }
    *region = atomic_load(&p->region_known) ? p->region : NULL;
    return rc;
}

/* rdsiam_provider_generate_token(), and with info its _info form. */
static int generate(rdsiam_provider *p, const rdsiam_token_params *params,
                    char *buf, size_t bufsize, size_t *needed,
                    rdsiam_token_info *info, rdsiam_error *err)
{
    snapshot *s = NULL;
    rdsiam_token_params with_region;
    int rc = RDSIAM_OK;

    if (buf && bufsize)
        buf[0] = '\0';
    if (needed)
        *needed = 0;
    if (info)
        memset(info, 0, sizeof *info);
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "token parameters are NULL");
    /* Inputs first: a typo must not cost a region lookup or a credential
     * fetch. With cached credentials the signer checks them itself, so
     * when there is no region to look up they are checked only on the way
     * to a fetch. */
    with_region = *params;
    if (!with_region.region) {
        RDSIAM_GUARD(rdsiam_token_params_check(params, err));
        RDSIAM_GUARD(provider_region(p, &with_region.region, err));
    }
    /* The time is read here, not by the signer, so the info reports the
     * token's own X-Amz-Date. */
    if (info && !with_region.signing_time)
        with_region.signing_time = rdsiam__now();
    if (sign_fast(p, &with_region, buf, bufsize, needed, info, err, &rc))
        return rc;
    if (params->region)
        RDSIAM_GUARD(rdsiam_token_params_check(params, err));
    RDSIAM_GUARD(acquire(p, &s, err));
    rc = sign_with(s, &with_region, buf, bufsize, needed, info, err);
done:
    /* The reference count is atomic: no lock needed to drop it. */
    snapshot_release(s);
    return rc;
}

int rdsiam_provider_generate_token(rdsiam_provider *p,
                                   const rdsiam_token_params *params, char *buf,
                                   size_t bufsize, size_t *needed,
                                   rdsiam_error *err)
{
    return generate(p, params, buf, bufsize, needed, NULL, err);
}

int rdsiam_provider_generate_token_info(rdsiam_provider *p,
                                        const rdsiam_token_params *params,
                                        char *buf, size_t bufsize,
                                        size_t *needed, rdsiam_token_info *info,
                                        rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    if (buf && bufsize)
        buf[0] = '\0';
    RDSIAM_ENSURE(err, info, RDSIAM_ERR_NULL_ARGUMENT, "token info is NULL");
    rc = generate(p, params, buf, bufsize, needed, info, err);
done:
    return rc;
}

int rdsiam_provider_explain(rdsiam_provider *p, char *buf, size_t bufsize,
                            size_t *needed, rdsiam_error *err)
{
    size_t n;
    int rc = RDSIAM_OK;

    if (buf && bufsize)
        buf[0] = '\0';
    if (needed)
        *needed = 0;
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    RDSIAM_ENSURE(err, buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
                  "buffer is NULL");
    pthread_mutex_lock(&p->mu);
    n = p->account ? strlen(p->account) : 0;
    if (needed)
        *needed = n + 1;
    if (n < bufsize && n > 0)
        memcpy(buf, p->account, n + 1);
    pthread_mutex_unlock(&p->mu);
    RDSIAM_ENSURE(err, n < bufsize, RDSIAM_ERR_BUFFER_TOO_SMALL,
                  "the buffer holds %zu bytes; the account needs %zu", bufsize,
                  n + 1);
    rdsiam__ok(err);
done:
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The other tokens (token_cache.c, token_msk.c)                            */
/* ------------------------------------------------------------------------ */

int rdsiam__provider_region(rdsiam_provider *p, const char **region,
                            rdsiam_error *err)
{
    return provider_region(p, region, err);
}

/* sign_fast's path, then acquire()'s, for any token: sign runs once, with
 * the cached credentials in place. */
int rdsiam__provider_sign(rdsiam_provider *p, rdsiam__sign_fn sign, void *ctx,
                          rdsiam_error *err)
{
    snapshot *s = rdsiam__hazard_protect(&p->fast);
    int rc = RDSIAM_OK;

    if (s && rdsiam__now() < s->until) {
        rc = sign(ctx, &s->view, err);
        rdsiam__hazard_clear();
        return rc;
    }
    rdsiam__hazard_clear();
    RDSIAM_GUARD(acquire(p, &s, err));
    rc = sign(ctx, &s->view, err);
done:
    snapshot_release(s);
    return rc;
}
