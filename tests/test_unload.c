/*
 * test_unload.c - unloading the library with dlclose() leaves nothing
 * behind that runs later: a thread that signed through a provider (so the
 * token cache and the hazard pointer each gave it a thread-exit hook) and
 * exits after the unload does not crash, and loading and unloading many
 * times does not use up the process's thread keys (PTHREAD_KEYS_MAX: 1024
 * on glibc; each load that is used makes two).
 *
 * The shared library is the one this build made: build/lib/ followed by
 * its SONAME (TEST_SONAME, from the Makefile: librdsiam.so.0.MINOR while
 * the version is 0.x), beside build/tests/ (found from /proc/self/exe).
 * Every function comes through dlsym, from that copy.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rdsiam.h"

/* More loads than thread keys would last for if each kept its two. */
#define CYCLES 520

typedef int (*new_static_fn)(rdsiam_provider **, const rdsiam_credentials *,
                             rdsiam_error *);
typedef int (*generate_fn)(rdsiam_provider *, const rdsiam_token_params *,
                           char *, size_t, size_t *, rdsiam_error *);
typedef void (*free_fn)(rdsiam_provider *);

typedef struct lib {
    void *h;
    new_static_fn new_static;
    generate_fn generate;
    free_fn free_provider;
} lib;

static char so_path[PATH_MAX];

static int find_library(void **state)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    (void)state;
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    slash = strrchr(exe, '/'); /* .../build/tests/test_unload */
    if (!slash)
        return -1;
    *slash = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if (strlen(exe) + sizeof "/lib/" TEST_SONAME > sizeof so_path)
        return -1;
    memcpy(so_path, exe, strlen(exe));
    memcpy(so_path + strlen(exe), "/lib/" TEST_SONAME,
           sizeof "/lib/" TEST_SONAME);
    if (access(so_path, R_OK) != 0) {
        print_error("no shared library to load at %s\n", so_path);
        return -1;
    }
    return 0;
}

static void lib_open(lib *l)
{
    l->h = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
    if (!l->h)
        fail_msg("dlopen %s: %s", so_path, dlerror());
    *(void **)&l->new_static = dlsym(l->h, "rdsiam_provider_new_static");
    *(void **)&l->generate = dlsym(l->h, "rdsiam_provider_generate_token");
    *(void **)&l->free_provider = dlsym(l->h, "rdsiam_provider_free");
    assert_non_null(l->new_static);
    assert_non_null(l->generate);
    assert_non_null(l->free_provider);
}

/* dlclose, and proof that the library really left the process. */
static void lib_close(lib *l)
{
    void *again;

    assert_int_equal(dlclose(l->h), 0);
    again = dlopen(so_path, RTLD_NOW | RTLD_NOLOAD);
    if (again) {
        dlclose(again);
        fail_msg("%s is still loaded after dlclose", so_path);
    }
    memset(l, 0, sizeof *l);
}

/* The access key of the AWS SigV4 examples (AWS General Reference). */
static const rdsiam_credentials CREDS = {
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

static const rdsiam_token_params PARAMS = {
    .hostname = "mydb.abc123.us-east-1.rds.amazonaws.com",
    .port = 3306,
    .username = "jane_doe",
    .region = "us-east-1",
};

/* A worker that signs, then waits until the main thread has unloaded the
 * library before it exits. */
typedef struct worker {
    lib *l;
    rdsiam_provider *p;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool reported, signed_ok, unloaded;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    char token[2048];
    rdsiam_error err;
    bool ok;

    /* Twice: the second comes from the provider's lock-free path. */
    ok = w->l->generate(w->p, &PARAMS, token, sizeof token, NULL, &err) ==
             RDSIAM_OK &&
         w->l->generate(w->p, &PARAMS, token, sizeof token, NULL, &err) ==
             RDSIAM_OK &&
         strncmp(token, "mydb.abc123.us-east-1.rds.amazonaws.com:3306/?", 46) ==
             0;
    pthread_mutex_lock(&w->mu);
    w->signed_ok = ok;
    w->reported = true;
    pthread_cond_broadcast(&w->cv);
    while (!w->unloaded)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
    return NULL; /* the thread-exit hooks would run now */
}

/* Load, sign on a worker thread, free the provider, unload, then let the
 * worker exit. */
static void cycle(void)
{
    lib l;
    worker w;
    pthread_t th;
    rdsiam_error err;
    bool done;

    memset(&w, 0, sizeof w);
    lib_open(&l);
    w.l = &l;
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    assert_int_equal(l.new_static(&w.p, &CREDS, &err), RDSIAM_OK);
    assert_int_equal(pthread_create(&th, NULL, work, &w), 0);
    pthread_mutex_lock(&w.mu);
    while (!w.reported)
        pthread_cond_wait(&w.cv, &w.mu);
    done = w.signed_ok;
    pthread_mutex_unlock(&w.mu);
    l.free_provider(w.p);
    lib_close(&l);
    pthread_mutex_lock(&w.mu);
    w.unloaded = true;
    pthread_cond_broadcast(&w.cv);
    pthread_mutex_unlock(&w.mu);
    assert_int_equal(pthread_join(th, NULL), 0);
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
    assert_true(done);
}

static void test_thread_outlives_unload(void **state)
{
    (void)state;
    cycle();
}

static void test_many_loads(void **state)
{
    pthread_key_t k;

    (void)state;
    for (int i = 0; i < CYCLES; i++)
        cycle();
    /* The keys of every load were given back: one is still to be had. */
    assert_int_equal(pthread_key_create(&k, NULL), 0);
    assert_int_equal(pthread_key_delete(k), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_outlives_unload),
        cmocka_unit_test(test_many_loads),
    };

    return cmocka_run_group_tests(tests, find_library, NULL);
}
