/*
 * hazard.h - hazard pointers: how a reader keeps a shared, swappable
 * object alive without writing to any memory another thread reads.
 *
 * A reader announces the pointer it is about to use in a slot of its own
 * thread (rdsiam__hazard_protect), uses it, and clears the slot
 * (rdsiam__hazard_clear). A writer that swaps the shared pointer calls
 * rdsiam__hazard_wait(old) before it releases the old object: it returns
 * once no thread's slot holds old. The read path writes only to the
 * calling thread's own slot (its own cache line) and reads the shared
 * pointer, so readers on several cores do not bounce a cache line between
 * them, as a shared reference count or reader count would.
 *
 * A thread protects one pointer at a time, and must not wait for a lock
 * or call rdsiam__hazard_wait while it does. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_HAZARD_H
#define RDSIAM_HAZARD_H

#include <stdatomic.h>
#include <stdbool.h>

/*
 * The value of *src, protected for the calling thread until
 * rdsiam__hazard_clear(): a writer's rdsiam__hazard_wait on it does not
 * return before then. NULL when *src is NULL, or when the thread could not
 * get a slot (the thread-exit hook could not be set up): the caller then
 * takes its slow path. The slot is the thread's own storage, registered on
 * first use and unregistered when the thread exits; nothing is allocated.
 */
void *rdsiam__hazard_protect(_Atomic(void *) *src);

/* Set up the thread-exit hook and the fork handlers now, if not done yet
 * (the first protect does it otherwise); false when they cannot be. A
 * module whose own fork handlers take a lock a writer holds while it
 * waits (the provider's) calls this before registering them, so that its
 * prepare handler runs first. */
bool rdsiam__hazard_init(void);

/* Release what the calling thread protects (nothing: a no-op). */
void rdsiam__hazard_clear(void);

/* After the shared pointer no longer holds old: wait until no thread
 * protects old. old NULL returns at once. */
void rdsiam__hazard_wait(const void *old);

#endif /* RDSIAM_HAZARD_H */
