/*
 * hazard.c - hazard pointers (see hazard.h).
 *
 * Each thread's slot lives in its own thread-local storage, aligned to a
 * cache line, and is linked into one process-wide list the first time the
 * thread protects a pointer; a thread-key destructor unlinks it when the
 * thread exits, before that storage goes. The list is changed and scanned
 * under one mutex: by a thread's first protect, a thread's exit and a
 * writer's wait, never on the read path.
 *
 * fork(): the child has one thread, the one that forked, so its list
 * keeps that thread's slot alone (another thread's slot, perhaps holding
 * a pointer, would make every wait in the child spin forever), and the
 * list is never copied halfway through a change: the mutex is held across
 * the fork.
 *
 * Unloading (dlclose): the thread key's destructor is code of this
 * library, and glibc would call it at the exit of every thread that
 * protected a pointer, also after the library is gone (a crash). A library
 * destructor, run by dlclose() (and at exit()), deletes the key, so
 * nothing here runs later; from then on no thread gets a slot. The list is
 * left as it is: after dlclose() nothing reads it any more, and during
 * exit() other threads may still sign while a refresh waits on their
 * slots. The fork handlers need nothing: glibc drops those of an unloaded
 * object itself. Why not `-z nodelete` instead: that keeps only
 * librdsiam.so loaded; a plugin that links librdsiam.a (the PAM module of
 * examples/rds-emulator) is unloaded all the same.
 *
 * Why a reader never uses an object a writer has released: the reader
 * stores the pointer in its slot, then loads the shared pointer again and
 * retries unless it is unchanged; the writer stores the new shared
 * pointer, then loads every slot. With sequentially consistent atomics one
 * of the two sees the other's store: either the reader sees the new
 * pointer and retries, or the writer sees the old one in the slot and
 * waits for it to be cleared.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>

#include "hazard.h"

typedef struct slot {
    _Alignas(64) _Atomic(void *) ptr;
    struct slot *next; /* the list, under list_mu */
    struct slot **prev_next;
    bool linked;
    bool failed; /* registration failed: never retried in this thread */
} slot;

static _Thread_local slot mine;
static slot *list;
static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;
static bool exit_key_ok; /* false again once the destructor ran */

static void unlink_slot(void *arg)
{
    slot *s = arg;

    pthread_mutex_lock(&list_mu);
    if (s->linked) {
        *s->prev_next = s->next;
        if (s->next)
            s->next->prev_next = s->prev_next;
        s->linked = false;
    }
    pthread_mutex_unlock(&list_mu);
}

static void before_fork(void)
{
    pthread_mutex_lock(&list_mu);
}

static void after_fork_parent(void)
{
    pthread_mutex_unlock(&list_mu);
}

static void after_fork_child(void)
{
    pthread_mutex_unlock(&list_mu);
    list = NULL;
    if (mine.linked) {
        mine.next = NULL;
        mine.prev_next = &list;
        list = &mine;
    }
}

static void make_exit_key(void)
{
    if (pthread_key_create(&exit_key, unlink_slot) != 0)
        return;
    exit_key_ok =
        pthread_atfork(before_fork, after_fork_parent, after_fork_child) == 0;
    if (!exit_key_ok)
        pthread_key_delete(exit_key);
}

bool rdsiam__hazard_init(void)
{
    pthread_once(&exit_once, make_exit_key);
    return exit_key_ok;
}

/* dlclose() or exit(): no thread-exit hook of ours may run after this
 * (see the top of the file). A thread that protects a pointer for the
 * first time from now on (during exit()) gets no slot and takes the
 * caller's slow path. */
__attribute__((destructor)) static void hazard_unload(void)
{
    pthread_mutex_lock(&list_mu);
    if (exit_key_ok) {
        pthread_key_delete(exit_key);
        exit_key_ok = false;
    }
    pthread_mutex_unlock(&list_mu);
}

/* The calling thread's slot, linked into the list; NULL when it cannot be
 * (no thread key for its unlinking at exit). */
static slot *my_slot(void)
{
    slot *s = &mine;

    if (s->linked)
        return s;
    if (s->failed)
        return NULL;
    pthread_mutex_lock(&list_mu);
    pthread_once(&exit_once, make_exit_key);
    if (!exit_key_ok || pthread_setspecific(exit_key, s) != 0) {
        pthread_mutex_unlock(&list_mu);
        s->failed = true;
        return NULL;
    }
    s->next = list;
    s->prev_next = &list;
    if (list)
        list->prev_next = &s->next;
    list = s;
    s->linked = true;
    pthread_mutex_unlock(&list_mu);
    return s;
}

void *rdsiam__hazard_protect(_Atomic(void *) *src)
{
    slot *s = my_slot();
    void *v, *again;

    if (!s)
        return NULL;
    v = atomic_load(src);
    while (v) {
        atomic_store(&s->ptr, v);
        again = atomic_load(src);
        if (again == v)
            return v;
        v = again;
    }
    atomic_store(&s->ptr, NULL);
    return NULL;
}

void rdsiam__hazard_clear(void)
{
    atomic_store_explicit(&mine.ptr, NULL, memory_order_release);
}

void rdsiam__hazard_wait(const void *old)
{
    if (!old)
        return;
    pthread_mutex_lock(&list_mu);
    for (slot *s = list; s; s = s->next)
        while (atomic_load(&s->ptr) == old)
            sched_yield();
    pthread_mutex_unlock(&list_mu);
}
