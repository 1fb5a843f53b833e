/*
 * file.c - the secret-file reader (see file.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

#define CHUNK 4096

static int io_error(rdsiam_error *err, const char *verb, const char *what,
                    int e)
{
    char why[128];

    rdsiam__errno_text(e, why, sizeof why);
    return rdsiam__fail(err, RDSIAM_ERR_FILE_IO, "cannot %s %s: %s", verb, what,
                        why);
}

/* Read fd to the end into out (at most max bytes). */
static int read_all(int fd, const char *what, size_t max, int too_large_code,
                    rdsiam__buf *out, rdsiam_error *err)
{
    char chunk[CHUNK];
    ssize_t got;
    int rc = RDSIAM_OK;

    for (;;) {
        got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = io_error(err, "read", what, errno);
            goto done;
        }
        if (got == 0)
            break;
        RDSIAM_ENSURE(err, (size_t)got <= max - out->len, too_large_code,
                      "%s is larger than %zu bytes", what, max);
        rc = rdsiam__buf_append(out, chunk, (size_t)got);
        RDSIAM_ENSURE(err, rc == RDSIAM_OK, RDSIAM_ERR_NO_MEMORY,
                      "out of memory reading %s", what);
    }
    /* An empty file reads as an empty string, not as no data. */
    rc = out->data ? RDSIAM_OK : rdsiam__buf_append(out, "", 0);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, RDSIAM_ERR_NO_MEMORY,
                  "out of memory reading %s", what);
done:
    rdsiam__wipe(chunk, sizeof chunk);
    return rc;
}

int rdsiam__file_read(const char *path, const char *what, size_t max,
                      int too_large_code, unsigned flags, rdsiam__buf *out,
                      bool *found, rdsiam_error *err)
{
    struct stat st;
    int fd = -1, rc = RDSIAM_OK;
    bool special_absent = (flags & RDSIAM__FILE_SPECIAL_ABSENT) != 0;

    rdsiam__ok(err);
    if (found)
        *found = false;
    /* O_NONBLOCK: a FIFO given as the path must not block the open. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR) &&
        (flags & RDSIAM__FILE_MISSING_OK))
        goto done;
    if (fd < 0) {
        rc = io_error(err, "open", what, errno);
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        rc = io_error(err, "stat", what, errno);
        goto done;
    }
    if (!S_ISREG(st.st_mode) && special_absent)
        goto done;
    RDSIAM_ENSURE(err, S_ISREG(st.st_mode), RDSIAM_ERR_FILE_IO,
                  "%s is not a regular file", what);
    RDSIAM_ENSURE(err, (uintmax_t)st.st_size <= max, too_large_code,
                  "%s is larger than %zu bytes", what, max);
    RDSIAM_GUARD(read_all(fd, what, max, too_large_code, out, err));
    if (found)
        *found = true;
    rdsiam__ok(err);
done:
    if (fd >= 0)
        close(fd);
    return rc;
}
