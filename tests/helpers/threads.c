/*
 * threads.c - see threads.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers/threads.h"

static void *trampoline(void *arg)
{
    threads_slot *s = arg;

    pthread_barrier_wait(s->start);
    return s->fn(s->arg);
}

void threads_start(threads *g, int n, void *(*fn)(void *), void *args,
                   size_t size)
{
    assert_true(n >= 1 && n <= THREADS_MAX);
    g->n = n;
    assert_int_equal(pthread_barrier_init(&g->start, NULL, (unsigned)n + 1), 0);
    for (int i = 0; i < n; i++) {
        g->slot[i].fn = fn;
        g->slot[i].arg = args ? (char *)args + (size_t)i * size : NULL;
        g->slot[i].result = NULL;
        g->slot[i].start = &g->start;
        assert_int_equal(
            pthread_create(&g->th[i], NULL, trampoline, &g->slot[i]), 0);
    }
    pthread_barrier_wait(&g->start);
}

void threads_join(threads *g)
{
    for (int i = 0; i < g->n; i++)
        assert_int_equal(pthread_join(g->th[i], &g->slot[i].result), 0);
    pthread_barrier_destroy(&g->start);
}

void threads_run(int n, void *(*fn)(void *), void *args, size_t size)
{
    threads g;

    threads_start(&g, n, fn, args, size);
    threads_join(&g);
}
