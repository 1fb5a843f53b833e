/*
 * bench.c - token throughput, in the shape of a connection pool asking for
 * one token per connection.
 *
 *   bench              all figures, one per line
 *   bench --calls N    generate N hot tokens and exit (for callgrind)
 *
 * Figures:
 *   hot     fixed credentials and endpoint, a new signing time every call
 *   cold    new credentials every call (signing key derived every time)
 *   threads the hot loop on 1 and 2 threads, each with its own buffer
 *   allocs  heap allocations per hot token (malloc/calloc/realloc counted
 *           by interposition in this program)
 *
 * Nothing here asserts: it measures and prints.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* A realistic endpoint and temporary credentials (a 20-character key id,
 * 40-character secret; the session token is left out of the hot figure as
 * in the SDK comparisons, and measured separately). */
static const rdsiam_credentials CREDS = {
    .access_key_id = "AKIAIOSFODNN7EXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
static const char HOST[] = "mydb.cluster-c9akciq32example.us-east-1.rds.amazonaws.com";
static const int64_t T0 = 1767225600; /* 2026-01-01T00:00:00Z */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int one_token(const rdsiam_credentials *c, int64_t t, char *buf,
                     size_t n)
{
    rdsiam_token_params p = {.hostname = HOST, .port = 5432,
                             .username = "app_user", .region = "us-east-1",
                             .signing_time = t};
    return rdsiam_generate_token(&p, c, buf, n);
}

/* Run the hot loop for about `seconds`; returns tokens per second. */
static double hot_rate(const rdsiam_credentials *c, double seconds)
{
    char buf[4096];
    unsigned long n = 0;
    double start = now_s(), el;

    do {
        for (int i = 0; i < 1000; i++, n++)
            if (one_token(c, T0 + (int64_t)(n % 80000), buf, sizeof buf) !=
                RDSIAM_OK) {
                fprintf(stderr, "bench: token generation failed\n");
                exit(1);
            }
        el = now_s() - start;
    } while (el < seconds);
    return (double)n / el;
}

static double cold_rate(double seconds)
{
    char buf[4096], secret[41];
    unsigned long n = 0;
    double start = now_s(), el;
    rdsiam_credentials c = CREDS;

    memcpy(secret, CREDS.secret_access_key, 41);
    c.secret_access_key = secret;
    do {
        for (int i = 0; i < 200; i++, n++) {
            /* a different secret every call defeats any key cache */
            snprintf(secret + 30, 11, "%010lu", n);
            if (one_token(&c, T0 + (int64_t)n, buf, sizeof buf) != RDSIAM_OK) {
                fprintf(stderr, "bench: token generation failed\n");
                exit(1);
            }
        }
        el = now_s() - start;
    } while (el < seconds);
    return (double)n / el;
}

struct thread_arg {
    double seconds;
    double rate;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    a->rate = hot_rate(&CREDS, a->seconds);
    return NULL;
}

static double threads_rate(int nthreads, double seconds)
{
    pthread_t th[8];
    struct thread_arg args[8];
    double total = 0;

    for (int i = 0; i < nthreads; i++) {
        args[i].seconds = seconds;
        if (pthread_create(&th[i], NULL, thread_main, &args[i]) != 0) {
            fprintf(stderr, "bench: cannot start a thread\n");
            exit(1);
        }
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        total += args[i].rate;
    }
    return total;
}

static double allocs_per_token(void)
{
    char buf[4096];
    unsigned long before;
    const unsigned long n = 10000;

    one_token(&CREDS, T0, buf, sizeof buf); /* warm: per-thread setup */
    before = atomic_load(&alloc_count);
    for (unsigned long i = 0; i < n; i++)
        one_token(&CREDS, T0 + (int64_t)i, buf, sizeof buf);
    return (double)(atomic_load(&alloc_count) - before) / (double)n;
}

static double with_session_token_rate(double seconds)
{
    /* A session token of realistic length (STS tokens run to ~1 KB). */
    static char tok[1025];
    rdsiam_credentials c = CREDS;

    for (size_t i = 0; i < sizeof tok - 1; i++)
        tok[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
            [i % 65];
    tok[sizeof tok - 1] = '\0';
    c.session_token = tok;
    return hot_rate(&c, seconds);
}

int main(int argc, char **argv)
{
    double secs = 2.0;

    if (argc == 3 && strcmp(argv[1], "--calls") == 0) {
        char buf[4096];
        long n = strtol(argv[2], NULL, 10);
        for (long i = 0; i < n; i++)
            one_token(&CREDS, T0 + i, buf, sizeof buf);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--seconds") == 0)
        secs = strtod(argv[2], NULL);

    printf("librdsiam %s\n", rdsiam_version());
    printf("tokens/s hot (1 thread):        %.0f\n", hot_rate(&CREDS, secs));
    printf("tokens/s hot, 1 KB session token: %.0f\n",
           with_session_token_rate(secs));
    printf("tokens/s cold (new creds each): %.0f\n", cold_rate(secs));
    printf("tokens/s 1 thread:              %.0f\n", threads_rate(1, secs));
    printf("tokens/s 2 threads:             %.0f\n", threads_rate(2, secs));
    printf("heap allocations per token:     %.3f\n", allocs_per_token());
    return 0;
}
