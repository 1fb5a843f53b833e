/*
 * cache_file.h - writing back the token cache files the AWS CLI keeps
 * (the JSON files in ~/.aws/sso/cache and ~/.aws/login/cache) after a refresh,
 * safely when several threads, providers or processes share one: a lock
 * around read-refresh-write, and an atomic replacement with mode 0600.
 * Reading goes through the one secret-file reader (file.h). Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CACHE_FILE_H
#define RDSIAM_CACHE_FILE_H

#include "internal.h"

/* How long a refresh waits for another holder of the lock (a process
 * refreshing the same file: at most its HTTP timeouts and retries). */
#define RDSIAM__CACHE_LOCK_WAIT_MS 10000L

typedef struct rdsiam__cache_lock {
    int fd; /* -1: not held */
} rdsiam__cache_lock;

/*
 * Take an exclusive advisory lock (flock) on the cache file at path,
 * waiting at most wait_ms for another holder. Every refresher of the file
 * (thread, provider or process using this library) takes it before it
 * rereads the file and decides to refresh, so one refresh serves them all.
 * Best effort: a file that is gone, not a regular file, or still locked
 * after wait_ms leaves lock->fd at -1 and the caller goes on without it
 * (each write is still atomic). The AWS CLI takes no lock; it only ever
 * replaces the file whole, which the lock survives.
 */
void rdsiam__cache_lock_take(rdsiam__cache_lock *lock, const char *path,
                             long wait_ms);
/* Release the lock (nothing when not held). */
void rdsiam__cache_lock_release(rdsiam__cache_lock *lock);

/*
 * Replace the file at path with len bytes of text, atomically, as
 * botocore's JSONFileCache does: a new file of mode 0600 beside it
 * (PATH.<random>.tmp), written in full, fsync'ed, then renamed over path,
 * so a reader sees the old file or the new one, never a part. On failure
 * the temporary file is removed and path is untouched:
 * RDSIAM_ERR_FILE_IO naming what and the system's reason.
 */
int rdsiam__cache_write(const char *path, const char *text, size_t len,
                        const char *what, rdsiam_error *err);

#endif /* RDSIAM_CACHE_FILE_H */
