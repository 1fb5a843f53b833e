/*
 * test_hazard.c - hazard pointers (lib/hazard.c): a writer's wait returns
 * only once no thread protects the old object, a thread that exited holds
 * nothing, and readers racing a writer that frees what it swapped out
 * never see a freed object (ASan and TSan run this too: make check-asan,
 * make check-tsan).
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hazard.h"
#include "helpers/threads.h"

#define ALIVE 0x5AFEC0DEu

typedef struct object {
    unsigned canary; /* ALIVE until the writer releases it */
    unsigned gen;
} object;

static _Atomic(void *) shared;

static object *object_new(unsigned gen)
{
    object *o = malloc(sizeof *o);

    assert_non_null(o);
    o->canary = ALIVE;
    o->gen = gen;
    return o;
}

static void object_release(object *o)
{
    o->canary = 0; /* a reader that still used it would see this */
    free(o);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------------------ */

static atomic_int holder_state; /* 0 start, 1 protecting, 2 may clear, 3 done */
static atomic_bool wait_returned;

static void *holder(void *arg)
{
    object *o;

    (void)arg;
    o = rdsiam__hazard_protect(&shared);
    assert_non_null(o);
    atomic_store(&holder_state, 1);
    while (atomic_load(&holder_state) != 2)
        sleep_ms(1);
    assert_int_equal(o->canary, ALIVE);
    rdsiam__hazard_clear();
    atomic_store(&holder_state, 3);
    return NULL;
}

static void *waiter(void *arg)
{
    rdsiam__hazard_wait(arg);
    atomic_store(&wait_returned, true);
    return NULL;
}

/* The writer's wait does not return while a reader protects the old
 * object, and does once it clears. */
static void test_wait_blocks_until_clear(void **state)
{
    object *old = object_new(1), *new = object_new(2);
    pthread_t h, w;

    (void)state;
    atomic_store(&shared, old);
    atomic_store(&holder_state, 0);
    atomic_store(&wait_returned, false);
    assert_int_equal(pthread_create(&h, NULL, holder, NULL), 0);
    while (atomic_load(&holder_state) != 1)
        sleep_ms(1);
    atomic_store(&shared, new);
    assert_int_equal(pthread_create(&w, NULL, waiter, old), 0);
    sleep_ms(100);
    assert_false(atomic_load(&wait_returned));
    atomic_store(&holder_state, 2);
    assert_int_equal(pthread_join(w, NULL), 0);
    assert_true(atomic_load(&wait_returned));
    assert_int_equal(pthread_join(h, NULL), 0);
    object_release(old);
    /* Protecting what is current, then not. */
    assert_ptr_equal(rdsiam__hazard_protect(&shared), new);
    rdsiam__hazard_clear();
    rdsiam__hazard_wait(new); /* nothing protects it: returns */
    atomic_store(&shared, NULL);
    assert_null(rdsiam__hazard_protect(&shared));
    rdsiam__hazard_clear();
    rdsiam__hazard_wait(NULL);
    object_release(new);
}

static void *protect_and_exit(void *arg)
{
    (void)arg;
    assert_non_null(rdsiam__hazard_protect(&shared));
    /* exits without clearing: the thread's exit unlinks its slot */
    return NULL;
}

/* A thread that exited protects nothing, even if it never cleared. */
static void test_exited_thread_holds_nothing(void **state)
{
    object *o = object_new(1);
    pthread_t t;

    (void)state;
    atomic_store(&shared, o);
    assert_int_equal(pthread_create(&t, NULL, protect_and_exit, NULL), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    atomic_store(&shared, NULL);
    rdsiam__hazard_wait(o); /* would spin forever if its slot were kept */
    object_release(o);
}

/* In a child of fork() only the forking thread exists: a slot another
 * thread of the parent held does not make the child's waits spin. */
static void test_fork_child_waits_for_no_other_thread(void **state)
{
    object *o = object_new(1);
    pthread_t h;
    pid_t pid;
    int status;

    (void)state;
    atomic_store(&shared, o);
    assert_ptr_equal(rdsiam__hazard_protect(&shared), o);
    rdsiam__hazard_clear(); /* this thread has a slot too */
    atomic_store(&holder_state, 0);
    assert_int_equal(pthread_create(&h, NULL, holder, NULL), 0);
    while (atomic_load(&holder_state) != 1)
        sleep_ms(1);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(10); /* a spinning wait ends the child by SIGALRM */
        rdsiam__hazard_wait(o);
        assert_ptr_equal(rdsiam__hazard_protect(&shared), o);
        rdsiam__hazard_clear();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    atomic_store(&holder_state, 2);
    assert_int_equal(pthread_join(h, NULL), 0);
    atomic_store(&shared, NULL);
    rdsiam__hazard_wait(o);
    object_release(o);
}

/* ------------------------------------------------------------------------ */

static atomic_bool stop;
static atomic_int reading; /* readers that have read at least once */

typedef struct reader {
    long reads, bad;
} reader;

/* A reader looks at the object it protects many times over (a writer that
 * did not wait would free it under one of these looks), then gives up its
 * core, never while it protects one: a reader preempted while protecting
 * holds the writer up for a whole time slice, which on a machine with
 * fewer cores than threads, or a busy one, was every generation. */
static void *read_loop(void *arg)
{
    reader *r = arg;

    while (!atomic_load(&stop)) {
        object *o = rdsiam__hazard_protect(&shared);
        if (o) {
            for (int k = 0; k < 1024; k++)
                if (((volatile object *)o)->canary != ALIVE)
                    r->bad++;
            if (r->reads++ == 0)
                atomic_fetch_add(&reading, 1);
        }
        rdsiam__hazard_clear();
        sched_yield();
    }
    return NULL;
}

/* Readers on every core against a writer that swaps and frees, giving
 * the readers a turn after each generation: no reader ever sees a released
 * object. (With a wait that returns at once, most runs see one.) */
static void test_readers_race_writer(void **state)
{
    reader r[4] = {{0, 0}};
    threads g;
    long reads = 0, bad = 0;

    (void)state;
    atomic_store(&shared, object_new(0));
    atomic_store(&stop, false);
    atomic_store(&reading, 0);
    threads_start(&g, 4, read_loop, r, sizeof r[0]);
    while (atomic_load(&reading) < 4) /* every reader is under way */
        sched_yield();
    for (unsigned gen = 1; gen <= 2000; gen++) {
        object *old = atomic_exchange(&shared, (void *)object_new(gen));
        rdsiam__hazard_wait(old);
        object_release(old);
        sched_yield();
    }
    atomic_store(&stop, true);
    threads_join(&g);
    for (int i = 0; i < 4; i++) {
        reads += r[i].reads;
        bad += r[i].bad;
    }
    assert_int_equal(bad, 0);
    assert_true(reads >= 4);
    object_release(atomic_exchange(&shared, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_blocks_until_clear),
        cmocka_unit_test(test_exited_thread_holds_nothing),
        cmocka_unit_test(test_fork_child_waits_for_no_other_thread),
        cmocka_unit_test(test_readers_race_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
