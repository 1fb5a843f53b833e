/*
 * cache_file.c - the lock and the atomic write-back of the AWS CLI's token
 * cache files (see cache_file.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "cache_file.h"

#define POLL_MS 10L

void rdsiam__cache_lock_take(rdsiam__cache_lock *lock, const char *path,
                             long wait_ms)
{
    struct stat st;
    struct timespec pause = {0, POLL_MS * 1000000L};
    long waited = 0;
    int fd;

    lock->fd = -1;
    /* Read-only and non-blocking: a FIFO put in the file's place cannot
     * make the open wait, and is refused by the check below. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return;
    }
    /* flock has no timeout: poll, so a holder that hangs (or was
     * stopped) delays a refresh by wait_ms at most. */
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || waited >= wait_ms) {
            close(fd);
            return;
        }
        nanosleep(&pause, NULL);
        waited += POLL_MS;
    }
    lock->fd = fd;
}

void rdsiam__cache_lock_release(rdsiam__cache_lock *lock)
{
    if (lock->fd >= 0) {
        flock(lock->fd, LOCK_UN);
        close(lock->fd);
    }
    lock->fd = -1;
}

/* Write all of text to fd. */
static int write_all(int fd, const char *text, size_t len)
{
    ssize_t w;

    while (len > 0) {
        w = write(fd, text, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        text += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Create a new file beside path: tmp receives its name. -1 with errno. */
static int create_temporary(const char *path, char *tmp, size_t size)
{
    unsigned char r[6];
    char hex[13];
    int fd = -1, n;

    for (int tries = 0; fd < 0 && tries < 8; tries++) {
        if (RAND_bytes(r, (int)sizeof r) != 1) {
            errno = EIO;
            return -1;
        }
        rdsiam__hex(hex, r, sizeof r);
        hex[12] = '\0';
        n = snprintf(tmp, size, "%s.%s.tmp", path, hex);
        if (n < 0 || (size_t)n >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        /* O_EXCL: never an existing file, nor a link planted there */
        fd =
            open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd < 0 && errno != EEXIST)
            return -1;
    }
    return fd;
}

int rdsiam__cache_write(const char *path, const char *text, size_t len,
                        const char *what, rdsiam_error *err)
{
    char tmp[4096 + 32], why[128];
    int fd, e = 0, rc = RDSIAM_OK;
    bool created = false;

    fd = create_temporary(path, tmp, sizeof tmp);
    if (fd < 0) {
        e = errno;
        goto done;
    }
    created = true;
    /* 0600 whatever the umask made of it: the file holds secrets */
    if (fchmod(fd, 0600) != 0 || (e = write_all(fd, text, len)) != 0 ||
        fsync(fd) != 0) {
        if (!e)
            e = errno;
        close(fd);
        goto done;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        e = errno;
        goto done;
    }
    created = false;
done:
    if (created)
        unlink(tmp);
    if (!e) {
        rdsiam__ok(err);
        return rc;
    }
    if (strerror_r(e, why, sizeof why) != 0)
        snprintf(why, sizeof why, "error %d", e);
    return rdsiam__fail(err, RDSIAM_ERR_FILE_IO, "%s: cannot write %.200s: %s",
                        what, path, why);
}
