/*
 * output.c - the token file, replaced atomically.
 *
 * rename(2) replaces a name in one step: a reader that opens the file
 * gets the old one or the new one, whole. The new one is written in full
 * and fsync()ed first, so that after a crash the name holds one of the
 * two files, not an empty one; the folder is fsync()ed after the rename
 * so that the rename itself survives a crash. A failure at any step
 * leaves the file as it was: a good token is never truncated because a
 * new one could not be written.
 *
 * The file holds tokens: mode 0600 always. When it exists already its
 * owner and group are kept (root writing a file the pooler's user reads),
 * as far as the process may: a process may give a file only its own user,
 * and a group it belongs to (chown(2)); what it may not is left as it
 * would be.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* The temporary file being written, for cli_output_abandon(). */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_live;

void cli_output_abandon(void)
{
    if (tmp_live)
        (void)unlink(tmp_path);
}

static int fail(char *msg, size_t msgsize, const char *path, const char *step,
                int e)
{
    snprintf(msg, msgsize, "cannot write %s: %s: %s", path, step, strerror(e));
    return -1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Give fd the owner and group of the file at path, as far as allowed. */
static void keep_owner(int fd, const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return;
    if (st.st_uid == geteuid() && st.st_gid == getegid())
        return;
    if (fchown(fd, st.st_uid, st.st_gid) != 0)
        (void)fchown(fd, (uid_t)-1, st.st_gid);
}

/* The folder of path ("." when it names none), into dir. */
static int folder_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;

    if (slash && n == 0)
        n = 1; /* "/file": the root */
    if (n >= size)
        return -1;
    memcpy(dir, slash ? path : ".", n);
    dir[n] = '\0';
    return 0;
}

int cli_write_file(const char *path, const char *data, size_t len, char *msg,
                   size_t msgsize)
{
    char dir[4096];
    const char *base = strrchr(path, '/');
    int fd, dfd, e;

    base = base ? base + 1 : path;
    if (!*base)
        return fail(msg, msgsize, path, "it names a folder", EISDIR);
    if (folder_of(path, dir, sizeof dir) != 0 ||
        snprintf(tmp_path, sizeof tmp_path, "%s/.%s.XXXXXX", dir, base) >=
            (int)sizeof tmp_path)
        return fail(msg, msgsize, path, "the name", ENAMETOOLONG);
    fd = mkstemp(tmp_path);
    if (fd < 0) {
        e = errno;
        snprintf(msg, msgsize,
                 "cannot write %s: cannot create a file in %s: %s", path, dir,
                 strerror(e));
        return -1;
    }
    tmp_live = 1;
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    keep_owner(fd, path);
    if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0 ||
        fsync(fd) != 0) {
        e = errno;
        (void)close(fd);
        (void)unlink(tmp_path);
        tmp_live = 0;
        return fail(msg, msgsize, path, "writing the new file", e);
    }
    if (close(fd) != 0 || rename(tmp_path, path) != 0) {
        e = errno;
        (void)unlink(tmp_path);
        tmp_live = 0;
        return fail(msg, msgsize, path, "replacing it", e);
    }
    tmp_live = 0;
    /* The rename is durable once the folder is: best effort (some file
     * systems cannot fsync a folder; the file itself is complete). */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        (void)close(dfd);
    }
    return 0;
}

int cli_write_stdout(const char *data, size_t len, char *msg, size_t msgsize)
{
    if (write_all(STDOUT_FILENO, data, len) != 0) {
        snprintf(msg, msgsize, "cannot write the token: %s", strerror(errno));
        return -1;
    }
    return 0;
}
