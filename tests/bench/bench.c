/*
 * bench.c - token throughput for each credential shape, against the SHA-256
 * limit of this machine measured in the same run.
 *
 *   bench [--seconds S]                 the table, one row per shape (TSV
 *                                       with --tsv, for tests/bench/report.py)
 *   bench --calls N --shape NAME [--provider [--region-null]]
 *                                       generate N tokens and exit (callgrind)
 *   bench --region-null [--seconds S]   ns per token through a provider,
 *                                       params->region given and NULL
 *
 * Shapes: long-term keys; session tokens of 600, 1,000 and 1,200 bytes; an
 * Aurora DSQL token with long-term keys. Each is signed directly
 * (rdsiam_generate_token) and through a provider with cached credentials
 * (rdsiam_provider_generate_token over rdsiam_provider_new_static), on one
 * thread and on two.
 *
 * The hash limit. Once the signing key, the HMAC pad states and the
 * canonical request up to "X-Amz-Date=" are cached, a token needs
 *   blocks = padded blocks of the canonical request - its cached blocks
 *          + padded blocks of the inner HMAC (ipad block cached)
 *          + 1 (the outer HMAC over the 32-byte inner hash)
 * SHA-256 compression blocks; blocks_per_token() counts them from the token
 * itself. The time of one block is measured here with the same OpenSSL
 * (SHA256_Update over 8,192-byte buffers, as `openssl speed -bytes 8192
 * sha256` does), on the same core, in slices interleaved with the token
 * slices so that load from elsewhere hits both alike. The limit is
 * 1 / (blocks x block time); the ratio is the measured rate over it. This
 * is the limit issue 13 defines.
 *
 * A second figure, the call limit: a token does not stream its blocks. It
 * makes three SHA256_Update calls, each on a copy of a cached state and
 * each waiting for the digest of the one before: the canonical request's
 * uncached blocks, the string to sign's blocks, the outer HMAC block. A
 * block costs more that way than in a long run (the block function's
 * start and end, and no overlap between one block's end and the next
 * one's start). The call limit times exactly those three calls, chained
 * the same way, in slices of their own interleaved with the others.
 *
 * Nothing here asserts: it measures and prints.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "rdsiam.h"

/* ---- allocation counting ------------------------------------------------ */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static atomic_ulong alloc_count;

void *malloc(size_t n)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return __libc_realloc(p, n);
}

void free(void *p) { __libc_free(p); }

/* ---- inputs --------------------------------------------------------------- */

/* A 20-character key id and a 40-character secret (AWS's documented
 * example keys), a 58-byte cluster endpoint, port 5432, user app_user. */
static const char AKID[] = "AKIAIOSFODNN7EXAMPLE";
static const char SECRET[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
static const char HOST[] =
    "mydb.cluster-c9akciq32example.us-east-1.rds.amazonaws.com";
static const char DSQL_HOST[] = "abcdefghijklmnopqrst.dsql.us-east-1.on.aws";
static const int64_t T0 = 1767225600; /* 2026-01-01T00:00:00Z */

typedef struct shape {
    const char *name;
    size_t token_len; /* session token bytes; 0: long-term keys */
    bool dsql;
} shape;

static const shape SHAPES[] = {
    {"long-term", 0, false},
    {"session-600", 600, false},
    {"session-1000", 1000, false},
    {"session-1200", 1200, false},
    {"dsql", 0, true},
};
#define NSHAPES (sizeof SHAPES / sizeof SHAPES[0])

/*
 * A session token of n bytes in the shape STS hands out: base64, so about
 * one byte in thirty-two is '+' or '/' and needs percent-encoding. The same
 * generator is in tests/bench/sdk_inputs.py for the SDK drivers.
 */
static char *make_session_token(size_t n)
{
    static const char B64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *t = __libc_malloc(n + 1);
    uint32_t x = 2463534242u; /* xorshift32, fixed seed */

    if (!t) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        t[i] = B64[x & 63];
    }
    t[n] = '\0';
    return t;
}

typedef struct ctx {
    const shape *sh;
    rdsiam_credentials creds;
    rdsiam_provider *prov; /* NULL: sign directly */
    bool region_null;      /* through prov, the region left to it */
} ctx;

static void ctx_init(ctx *c, const shape *sh, bool provider)
{
    rdsiam_error err;

    memset(c, 0, sizeof *c);
    c->sh = sh;
    c->creds.access_key_id = AKID;
    c->creds.secret_access_key = SECRET;
    c->creds.session_token =
        sh->token_len ? make_session_token(sh->token_len) : NULL;
    if (provider &&
        rdsiam_provider_new_static(&c->prov, &c->creds, &err) != RDSIAM_OK) {
        fprintf(stderr, "bench: provider: %s\n", err.message);
        exit(1);
    }
}

static void ctx_free(ctx *c)
{
    rdsiam_provider_free(c->prov);
    __libc_free((char *)(uintptr_t)c->creds.session_token);
}

static int one_token(const ctx *c, int64_t t, char *buf, size_t n)
{
    if (c->sh->dsql) {
        rdsiam_dsql_params d = {.hostname = DSQL_HOST,
                                .region = "us-east-1",
                                .action = RDSIAM_DSQL_CONNECT,
                                .signing_time = t};
        return rdsiam_generate_dsql_token(&d, &c->creds, buf, n, NULL, NULL);
    }
    rdsiam_token_params p = {.hostname = HOST, .port = 5432,
                             .username = "app_user", .region = "us-east-1",
                             .signing_time = t};
    if (c->region_null)
        p.region = NULL; /* the provider's: AWS_REGION, set by main */
    if (c->prov)
        return rdsiam_provider_generate_token(c->prov, &p, buf, n, NULL, NULL);
    return rdsiam_generate_token(&p, &c->creds, buf, n);
}

/* ---- the hash limit -------------------------------------------------------- */

static size_t padded_blocks(size_t n) { return (n + 9 + 63) / 64; }

/*
 * SHA-256 compression blocks this token costs once everything that does
 * not change within a day is cached (see the top of this file). The
 * canonical request is rebuilt from the token: "GET\n/\n", the query with
 * X-Amz-Security-Token moved before X-Amz-SignedHeaders (same bytes),
 * "\nhost:" + the signed host + "\n\nhost\n" + 64 hex digits.
 */
static size_t blocks_per_token(const char *tok, size_t calls[3])
{
    const char *q = strchr(tok, '/'), *date = strstr(tok, "X-Amz-Date=");
    const char *sig = strstr(tok, "&X-Amz-Signature=");
    size_t host_len = (size_t)(q - tok), query_len, cr, cached, sts;

    /* host_len includes ":port": the bench's ports (5432, none for DSQL)
     * are signed as given; only 443 would be left out. */

    query_len = (size_t)(sig - (q + 2));       /* after "/?" */
    cr = 6 + query_len + 6 + host_len + 7 + 64; /* see above */
    cached = (6 + (size_t)(date + 11 - (q + 2))) / 64;
    /* "AWS4-HMAC-SHA256\n" T "\n" DATE/REGION/SERVICE/aws4_request "\n" hex */
    {
        const char *cred = strstr(tok, "X-Amz-Credential=") + 17;
        const char *scope = strstr(cred, "%2F") + 3; /* after the key id */
        const char *end = strstr(scope, "&X-Amz-Date");
        size_t scope_len = (size_t)(end - scope) - 2 * 3; /* %2F -> / */
        sts = 17 + 16 + 1 + scope_len + 1 + 64;
    }
    calls[0] = padded_blocks(cr) - cached;
    calls[1] = padded_blocks(64 + sts) - 1;
    calls[2] = 1;
    return calls[0] + calls[1] + calls[2];
}

/*
 * One-thread figures use the thread's own CPU time, so that other programs
 * on the machine do not count against either the tokens or the hashing;
 * two-thread figures use the wall clock (what the process gets done).
 */
static _Thread_local clockid_t bench_clock = CLOCK_MONOTONIC;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Hash 8,192-byte buffers for about `seconds`; adds blocks and time. */
static void sha_slice(double seconds, double *blocks, double *elapsed)
{
    static unsigned char data[8192];
    unsigned char out[32];
    SHA256_CTX c;
    double start = now_s(), el;
    unsigned long n = 0;

    SHA256_Init(&c);
    do {
        for (int i = 0; i < 64; i++, n++)
            SHA256_Update(&c, data, sizeof data);
        el = now_s() - start;
    } while (el < seconds);
    SHA256_Final(out, &c);
    data[0] ^= out[0]; /* keep the work observable */
    *blocks += (double)n * (sizeof data / 64);
    *elapsed += el;
}

/*
 * The token's three hashes (see the top of this file) for about `seconds`:
 * each on a copy of a state that has hashed one block, over calls[i]
 * blocks, the next one's input changed by the digest before it. Adds
 * blocks and time.
 */
static void call_slice(const size_t calls[3], double seconds, double *blocks,
                       double *elapsed)
{
    static unsigned char data[8192];
    SHA256_CTX base, c;
    double start = now_s(), el;
    unsigned long n = 0;

    SHA256_Init(&base);
    SHA256_Update(&base, data, 64);
    do {
        for (int i = 0; i < 64; i++, n++)
            for (int k = 0; k < 3; k++) {
                c = base;
                SHA256_Update(&c, data, calls[k] * 64);
                data[k] ^= (unsigned char)c.h[0];
            }
        el = now_s() - start;
    } while (el < seconds);
    *blocks += (double)n * (double)(calls[0] + calls[1] + calls[2]);
    *elapsed += el;
}

/* ---- rates ------------------------------------------------------------------ */

/*
 * A figure is measured in rounds of ROUND seconds (a token slice, then,
 * on one thread, a hashing slice) and reported as the median over the
 * rounds, so that bursts of other work on a shared machine move it less.
 */
#define ROUND 0.02
#define MAX_ROUNDS 2048

typedef struct run {
    const ctx *c;
    const ctx *alt; /* NULL, or the same shape through a provider */
    double seconds;
    double elapsed;
    double sha_blocks, sha_elapsed; /* only with interleave */
    double call_blocks, call_elapsed;
    const size_t *calls; /* the token's three hashes, in blocks */
    bool interleave;
    int cpu; /* -1: no pinning */
    /* per round: tokens/s, and ns per block when interleaved */
    int rounds;
    double round_rate[MAX_ROUNDS], round_alt[MAX_ROUNDS];
    double round_block_ns[MAX_ROUNDS], round_call_ns[MAX_ROUNDS];
} run;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Tokens for about `seconds`; returns their rate and adds the time taken
 * to *el_sum. */
static double token_slice(const ctx *c, double seconds, unsigned long *t,
                          double *el_sum)
{
    char buf[8192];
    double start = now_s(), el;
    unsigned long n = 0;

    do {
        for (int i = 0; i < 500; i++, (*t)++, n++)
            if (one_token(c, T0 + (int64_t)(*t % 80000), buf, sizeof buf) !=
                RDSIAM_OK) {
                fprintf(stderr, "bench: token generation failed\n");
                exit(1);
            }
        el = now_s() - start;
    } while (el < seconds);
    *el_sum += el;
    return (double)n / el;
}

static void *run_main(void *arg)
{
    run *r = arg;
    unsigned long t = 0;
    double warm = 0, alt_el = 0;

    if (r->interleave)
        bench_clock = CLOCK_THREAD_CPUTIME_ID;
    if (r->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET((size_t)r->cpu, &set);
        (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    }
    (void)token_slice(r->c, 0.02, &t, &warm); /* warm the caches */
    if (r->alt)
        (void)token_slice(r->alt, 0.02, &t, &warm);
    while (r->elapsed < r->seconds && r->rounds < MAX_ROUNDS) {
        double b0 = r->sha_blocks, s0 = r->sha_elapsed;
        double cb0 = r->call_blocks, cs0 = r->call_elapsed;

        r->round_rate[r->rounds] = token_slice(r->c, ROUND, &t, &r->elapsed);
        if (r->alt)
            r->round_alt[r->rounds] = token_slice(r->alt, ROUND, &t, &alt_el);
        if (r->interleave) {
            sha_slice(ROUND, &r->sha_blocks, &r->sha_elapsed);
            r->round_block_ns[r->rounds] =
                (r->sha_elapsed - s0) / (r->sha_blocks - b0) * 1e9;
            call_slice(r->calls, ROUND, &r->call_blocks, &r->call_elapsed);
            r->round_call_ns[r->rounds] =
                (r->call_elapsed - cs0) / (r->call_blocks - cb0) * 1e9;
        }
        r->rounds++;
    }
    return NULL;
}

/*
 * Tokens per second on nthreads threads (the sum of their median rates).
 * With alt (the same shape through a provider), its rate too, measured in
 * the same rounds, so that the two meet the same conditions. With one
 * thread, also the block time measured alongside, pinned to one core.
 */
static double rate(const ctx *c, const ctx *alt, int nthreads,
                   double seconds, const size_t calls[3], double *block_ns,
                   double *call_ns, double *alt_rate)
{
    pthread_t th[2];
    static run r[2];
    double total = 0;

    if (alt_rate)
        *alt_rate = 0;
    for (int i = 0; i < nthreads; i++) {
        memset(&r[i], 0, sizeof r[i]);
        r[i].c = c;
        r[i].alt = alt;
        r[i].seconds = seconds;
        r[i].interleave = nthreads == 1;
        r[i].calls = calls;
        r[i].cpu = nthreads == 1 ? 0 : -1;
        if (pthread_create(&th[i], NULL, run_main, &r[i]) != 0) {
            fprintf(stderr, "bench: cannot start a thread\n");
            exit(1);
        }
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        total += median(r[i].round_rate, r[i].rounds);
        if (alt && alt_rate)
            *alt_rate += median(r[i].round_alt, r[i].rounds);
    }
    if (block_ns && nthreads == 1)
        *block_ns = median(r[0].round_block_ns, r[0].rounds);
    if (call_ns && nthreads == 1)
        *call_ns = median(r[0].round_call_ns, r[0].rounds);
    return total;
}

/* ---- modes -------------------------------------------------------------------- */

static const shape *find_shape(const char *name)
{
    for (size_t i = 0; i < NSHAPES; i++)
        if (strcmp(SHAPES[i].name, name) == 0)
            return &SHAPES[i];
    fprintf(stderr, "bench: unknown shape %s\n", name);
    exit(2);
}

static int calls(long n, const char *name, bool provider, bool region_null)
{
    char buf[8192];
    ctx c;

    ctx_init(&c, find_shape(name), provider);
    c.region_null = provider && region_null;
    for (long i = 0; i < n; i++)
        if (one_token(&c, T0 + i, buf, sizeof buf) != RDSIAM_OK)
            return 1;
    ctx_free(&c);
    return 0;
}

/* ns per token on one thread over secs seconds. */
static double ns_per_token(const ctx *c, double secs)
{
    char buf[8192];
    long n = 0;
    double t0 = now_s(), t;

    do {
        for (int i = 0; i < 1000; i++, n++)
            one_token(c, T0 + n, buf, sizeof buf);
        t = now_s();
    } while (t - t0 < secs);
    return (t - t0) * 1e9 / (double)n;
}

/* Long-term keys through a provider, params->region given and NULL, in
 * five interleaved rounds (the best of each: load from elsewhere only
 * slows a round down). */
static void region_null_rates(double secs)
{
    ctx given, left;
    double a = 0, b = 0, x;

    ctx_init(&given, find_shape("long-term"), true);
    ctx_init(&left, find_shape("long-term"), true);
    left.region_null = true;
    for (int round = 0; round < 5; round++) {
        x = ns_per_token(&given, secs / 5);
        a = round == 0 || x < a ? x : a;
        x = ns_per_token(&left, secs / 5);
        b = round == 0 || x < b ? x : b;
    }
    printf("provider, region given: %.0f ns/token\n", a);
    printf("provider, region NULL:  %.0f ns/token\n", b);
    ctx_free(&given);
    ctx_free(&left);
}

static double allocs_per_token(const ctx *c)
{
    char buf[8192];
    unsigned long before;
    const unsigned long n = 10000;

    one_token(c, T0, buf, sizeof buf); /* warm: per-thread setup */
    before = atomic_load(&alloc_count);
    for (unsigned long i = 0; i < n; i++)
        one_token(c, T0 + (int64_t)i, buf, sizeof buf);
    return (double)(atomic_load(&alloc_count) - before) / (double)n;
}

static void table(double secs, bool tsv)
{
    if (tsv)
        printf("shape\ttoken_bytes\tblocks\tblock_ns\tlimit\tdirect1\tdirect2"
               "\tprovider1\tprovider2\tallocs\tcalls\tcall_block_ns"
               "\tcall_limit\n");
    else
        printf("%-13s %6s %6s %8s %10s %10s %10s %10s %10s %6s %6s %7s %8s "
               "%10s %6s\n",
               "shape", "bytes", "blocks", "block ns", "limit/s",
               "direct 1t", "direct 2t", "prov 1t", "prov 2t", "ratio",
               "allocs", "calls", "call ns", "call lim/s", "ratio");
    for (size_t i = 0; i < NSHAPES; i++) {
        ctx d, pv;
        char tok[8192];
        double block_ns = 0, call_ns = 0, d1, d2, p1 = 0, p2 = 0, limit;
        double call_limit, allocs;
        size_t blocks, calls[3];
        char calls_txt[32];

        ctx_init(&d, &SHAPES[i], false);
        one_token(&d, T0, tok, sizeof tok);
        blocks = blocks_per_token(tok, calls);
        snprintf(calls_txt, sizeof calls_txt, "%zu+%zu+%zu", calls[0],
                 calls[1], calls[2]);
        allocs = allocs_per_token(&d);
        if (!SHAPES[i].dsql) {
            ctx_init(&pv, &SHAPES[i], true);
            allocs += allocs_per_token(&pv);
        }
        d1 = rate(&d, SHAPES[i].dsql ? NULL : &pv, 1, secs, calls, &block_ns,
                  &call_ns, &p1);
        d2 = rate(&d, SHAPES[i].dsql ? NULL : &pv, 2, secs, calls, NULL, NULL,
                  &p2);
        if (!SHAPES[i].dsql)
            ctx_free(&pv);
        limit = 1e9 / ((double)blocks * block_ns);
        call_limit = 1e9 / ((double)blocks * call_ns);
        if (tsv)
            printf("%s\t%zu\t%zu\t%.2f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.3f"
                   "\t%s\t%.2f\t%.0f\n",
                   SHAPES[i].name, SHAPES[i].token_len, blocks, block_ns,
                   limit, d1, d2, p1, p2, allocs, calls_txt, call_ns,
                   call_limit);
        else
            printf("%-13s %6zu %6zu %8.2f %10.0f %10.0f %10.0f %10.0f %10.0f "
                   "%5.0f%% %6.3f %7s %8.2f %10.0f %5.0f%%\n",
                   SHAPES[i].name, SHAPES[i].token_len, blocks, block_ns,
                   limit, d1, d2, p1, p2, 100 * d1 / limit, allocs,
                   calls_txt, call_ns, call_limit, 100 * d1 / call_limit);
        fflush(stdout);
        ctx_free(&d);
    }
}

int main(int argc, char **argv)
{
    double secs = 1.0;
    bool tsv = false, region = false;

    setenv("AWS_REGION", "us-east-1", 1); /* for --region-null */

    if (argc >= 5 && strcmp(argv[1], "--calls") == 0 &&
        strcmp(argv[3], "--shape") == 0)
        return calls(strtol(argv[2], NULL, 10), argv[4],
                     argc >= 6 && strcmp(argv[5], "--provider") == 0,
                     argc >= 7 && strcmp(argv[6], "--region-null") == 0);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            secs = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--tsv") == 0)
            tsv = true;
        else if (strcmp(argv[i], "--region-null") == 0)
            region = true;
    }
    if (region) {
        region_null_rates(secs);
        return 0;
    }
    if (!tsv)
        printf("librdsiam %s\n", rdsiam_version());
    table(secs, tsv);
    return 0;
}
