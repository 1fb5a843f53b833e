/*
 * threads.h - run one function on several threads that start together.
 *
 * Every thread waits at a barrier until all of them exist, then runs: a
 * thread that spins from birth cannot starve the one still creating the
 * others (under valgrind, which runs one thread at a time, that happened).
 * The test fails (cmocka) if a thread cannot be created or joined.
 *
 *     threads g;
 *     threads_start(&g, 8, fn, args, sizeof args[0]);  fn(&args[i])
 *     ... the calling thread works beside them ...
 *     threads_join(&g);              the results are in args[]
 */
#ifndef TESTS_THREADS_H
#define TESTS_THREADS_H

#include <pthread.h>
#include <stddef.h>

#define THREADS_MAX 16

typedef struct threads_slot {
    void *(*fn)(void *);
    void *arg;
    void *result;
    pthread_barrier_t *start;
} threads_slot;

typedef struct threads {
    int n;
    pthread_t th[THREADS_MAX];
    threads_slot slot[THREADS_MAX];
    pthread_barrier_t start;
} threads;

/* Start n (1..THREADS_MAX) threads, thread i running fn on the i-th
 * element (size bytes each) of args: fn((char *)args + i * size), so size
 * 0 hands every thread args itself. Returns once all exist and have been
 * released. */
void threads_start(threads *g, int n, void *(*fn)(void *), void *args,
                   size_t size);
/* Join them all; the result of thread i is g->slot[i].result. */
void threads_join(threads *g);
/* threads_start, then threads_join. */
void threads_run(int n, void *(*fn)(void *), void *args, size_t size);

#endif
