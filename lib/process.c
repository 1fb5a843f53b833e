/*
 * process.c - run a credential_process command and collect what it prints
 * on stdout.
 *
 * How the command runs. botocore splits the value with shlex and never
 * uses a shell; the C++ SDK always uses one. We split plain commands the
 * way the POSIX shell would (so "a b" and 'a b' are one word, a backslash
 * escapes the next character) and exec them directly, with no shell in
 * between; a value that uses shell syntax (a pipe, a redirection, $,
 * backquotes, globbing, ...; see process.h for the list) runs as
 * /bin/sh -c VALUE, which is what its author meant by it.
 *
 * The C library starts it (posix_spawnp: no fork of a threaded host's
 * whole address space, no code of ours between fork and exec). The child
 * gets the parent's environment and stdin, our pipes as stdout and
 * stderr, no other descriptor, and its own process group so that on
 * timeout the whole group (grandchildren too) is killed. Once the child
 * has exited we stop waiting even if a grandchild still holds the pipe.
 *
 * stdout beyond RDSIAM__PROCESS_OUTPUT_MAX is an error; every copy of it
 * is wiped. What the output means is source_process.c's concern.
 *
 * Timeouts use CLOCK_MONOTONIC: a time limit, not a reading of the wall
 * clock (which goes through rdsiam__now()).
 *
 * SPDX-License-Identifier: MIT
 */
/* posix_spawn_file_actions_addclosefrom_np() is a GNU extension. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <spawn.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

extern char **environ;

/* ------------------------------------------------------------------------ */
/* Splitting                                                                 */
/* ------------------------------------------------------------------------ */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Characters that mean shell syntax when unquoted. */
static bool is_shell_special(char c)
{
    return strchr("|&;<>()$`*?[]{}!\n\r", c) != NULL;
}

static bool is_name_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* Does the command need a shell? Walks it with the shell's quoting rules. */
static bool needs_shell(const char *s)
{
    bool word_start = true, first_word = true, in_name = true;
    size_t i;

    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (is_blank(c)) {
            if (!word_start)
                first_word = false;
            word_start = true;
            continue;
        }
        if (word_start && (c == '~' || c == '#'))
            return true;
        /* NAME=value as the first word is an assignment */
        if (first_word && in_name && c == '=' && !word_start)
            return true;
        if (first_word && !is_name_char(c, word_start))
            in_name = false;
        word_start = false;
        if (is_shell_special(c))
            return true;
        if (c == '\\') {
            if (!s[i + 1])
                return true;
            i++;
        } else if (c == '\'') {
            const char *q = strchr(s + i + 1, '\'');
            if (!q)
                return true; /* unbalanced: let the shell report it */
            i = (size_t)(q - s);
        } else if (c == '"') {
            for (i++; s[i] && s[i] != '"'; i++) {
                if (s[i] == '$' || s[i] == '`')
                    return true;
                if (s[i] == '\\' && s[i + 1])
                    i++;
            }
            if (!s[i])
                return true;
        }
    }
    return false;
}

int rdsiam__process_split(const char *command, char ***argv_out,
                          size_t *argc_out, bool *use_shell, rdsiam_error *err)
{
    size_t n, words = 0, i, w = 0;
    char **argv = NULL, *buf, *o;
    bool in_word = false;

    *argv_out = NULL;
    *argc_out = 0;
    *use_shell = false;
    if (!command)
        return rdsiam__fail_code(err, RDSIAM_ERR_NULL_ARGUMENT);
    n = strlen(command);
    if (n > 65536)
        return rdsiam__fail(err, RDSIAM_ERR_PROCESS_FAILED,
                            "credential_process command is too long");
    *use_shell = needs_shell(command);
    /* Room for at most n/2+3 pointers plus n+1 bytes of words (each word
     * ends with a NUL, each NUL replaces a separator or a quote). */
    words = n / 2 + 4;
    argv = calloc(1, words * sizeof(char *) + n + 16);
    if (!argv)
        return rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY);
    buf = (char *)(argv + words);
    if (*use_shell) {
        o = buf;
        memcpy(o, "/bin/sh", 8);
        memcpy(o + 8, "-c", 3);
        argv[0] = o;
        argv[1] = o + 8;
        argv[2] = (char *)(uintptr_t)command;
        *argv_out = argv;
        *argc_out = 3;
        return RDSIAM_OK;
    }
    o = buf;
    for (i = 0; i < n;) {
        char c = command[i];
        if (is_blank(c)) {
            if (in_word) {
                *o++ = '\0';
                in_word = false;
            }
            i++;
            continue;
        }
        if (!in_word) {
            argv[w++] = o;
            in_word = true;
        }
        if (c == '\\') {
            *o++ = command[i + 1];
            i += 2;
        } else if (c == '\'') {
            for (i++; command[i] != '\''; i++)
                *o++ = command[i];
            i++;
        } else if (c == '"') {
            /* Inside "...", backslash escapes only $ ` " \ and newline. */
            for (i++; command[i] != '"'; i++) {
                if (command[i] == '\\' && strchr("$`\"\\\n", command[i + 1]))
                    i++;
                *o++ = command[i];
            }
            i++;
        } else {
            *o++ = c;
            i++;
        }
    }
    if (in_word)
        *o = '\0';
    if (w == 0) {
        free(argv);
        return rdsiam__fail(err, RDSIAM_ERR_PROCESS_FAILED,
                            "credential_process command is empty");
    }
    argv[w] = NULL;
    *argv_out = argv;
    *argc_out = w;
    return RDSIAM_OK;
}

/* ------------------------------------------------------------------------ */
/* Running                                                                   */
/* ------------------------------------------------------------------------ */

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How the child starts: our pipes as its stdout and stderr (they are
 * close-on-exec, so only those copies reach it), no other descriptor
 * where the C library can close them all (glibc 2.34's closefrom action),
 * its own process group (so a timeout kills grandchildren too), no signal
 * blocked and SIGPIPE at its default. The C library's posix_spawnp()
 * searches PATH (the PATH of the environment the program gets; unset, the
 * C library's default, /bin:/usr/bin, which is also Python's, so
 * botocore's) and reports a program it cannot run as an error. */
static int spawn(pid_t *pid, char **argv, int out_fd, int err_fd)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, pipe_only;
    int e;

    if ((e = posix_spawn_file_actions_init(&fa)) != 0)
        return e;
    if ((e = posix_spawnattr_init(&at)) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return e;
    }
    sigemptyset(&none);
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    e = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    if (!e)
        e = posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
#if defined(__GLIBC__) &&                                                      \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    if (!e)
        e = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
    if (!e)
        e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
                                              POSIX_SPAWN_SETSIGMASK |
                                              POSIX_SPAWN_SETSIGDEF);
    if (!e)
        e = posix_spawnattr_setpgroup(&at, 0);
    if (!e)
        e = posix_spawnattr_setsigmask(&at, &none);
    if (!e)
        e = posix_spawnattr_setsigdefault(&at, &pipe_only);
    if (!e)
        e = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return e;
}

typedef struct run_result {
    rdsiam__buf out;
    char errline[RDSIAM__PROCESS_STDERR_KEEP + 1];
    size_t errlen;
    int status;     /* waitpid status */
    int exec_errno; /* posix_spawnp failed with this, or 0 */
    bool timed_out;
    bool too_large;
} run_result;

/* Read what is available on fd; returns false at EOF or error. */
static bool drain(int fd, run_result *r, bool is_stdout)
{
    char chunk[4096];
    bool open_ = true;
    ssize_t got = read(fd, chunk, sizeof(chunk));

    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (got <= 0) {
        open_ = false;
    } else if (is_stdout) {
        if (rdsiam__buf_append(&r->out, chunk, (size_t)got) != RDSIAM_OK)
            r->too_large = true;
    } else {
        size_t room = RDSIAM__PROCESS_STDERR_KEEP - r->errlen;
        size_t take = (size_t)got < room ? (size_t)got : room;
        memcpy(r->errline + r->errlen, chunk, take);
        r->errlen += take;
    }
    rdsiam__wipe(chunk, sizeof(chunk));
    return open_;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* A close-on-exec pipe whose ends are >= 3, so that dup2() onto 1 and 2 in
 * the child never meets one of them. */
static int make_pipe(int p[2])
{
    int raw[2];

    if (pipe(raw) != 0)
        return -1;
    p[0] = fcntl(raw[0], F_DUPFD_CLOEXEC, 3);
    p[1] = fcntl(raw[1], F_DUPFD_CLOEXEC, 3);
    close(raw[0]);
    close(raw[1]);
    if (p[0] < 0 || p[1] < 0) {
        close_fd(&p[0]);
        close_fd(&p[1]);
        return -1;
    }
    return 0;
}

/* Read the child's stdout (*out_fd) and stderr (*err_fd), closing each at
 * its end, until the child has exited and both are closed, the time limit
 * passes or stdout outgrows its cap. true when the child exited (and was
 * reaped: r->status says how). */
static bool collect(pid_t pid, int *out_fd, int *err_fd, long timeout_ms,
                    run_result *r)
{
    int64_t deadline = mono_ms() + timeout_ms, grace = 0;
    bool exited = false;

    while (*out_fd >= 0 || *err_fd >= 0 || !exited) {
        struct pollfd pf[2];
        nfds_t np = 0;
        int64_t now = mono_ms(), wait_ms;
        if (!exited) {
            pid_t w = waitpid(pid, &r->status, WNOHANG);
            /* ECHILD: the program ignores SIGCHLD or reaps every child
             * itself; the status is lost, the output decides. */
            if (w < 0 && errno == ECHILD)
                r->status = 0;
            if (w == pid || (w < 0 && errno == ECHILD)) {
                exited = true;
                /* A grandchild may keep the pipes open: read what is
                 * there for a moment, then stop. */
                grace = now + 100;
            }
        }
        if (now >= deadline || (exited && now >= grace) || r->too_large)
            break;
        if (*out_fd >= 0) {
            pf[np].fd = *out_fd;
            pf[np++].events = POLLIN;
        }
        if (*err_fd >= 0) {
            pf[np].fd = *err_fd;
            pf[np++].events = POLLIN;
        }
        /* Poll in short steps so the child's exit is noticed promptly
         * when a grandchild holds the pipes. */
        wait_ms = (exited ? grace : deadline) - now;
        if (wait_ms > 20)
            wait_ms = 20;
        if (np == 0) {
            struct timespec ts = {0, (long)wait_ms * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        if (poll(pf, np, (int)wait_ms) < 0 && errno != EINTR)
            break;
        for (nfds_t k = 0; k < np; k++) {
            if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (pf[k].fd == *out_fd && !drain(*out_fd, r, true))
                close_fd(out_fd);
            else if (pf[k].fd == *err_fd && !drain(*err_fd, r, false))
                close_fd(err_fd);
        }
    }
    return exited;
}

/* Why prog could not run, when its child exited with status 127 having
 * said nothing. glibc's posix_spawnp reports a program it cannot run as
 * its result, except where its child cannot share our memory (under
 * valgrind it becomes a fork): there the child only exits with 127. So
 * look for prog as execvp does, in the PATH the child had (the process's
 * own environment, not the library's seam; unset: glibc's default), and
 * give ENOENT or EACCES, or 0 when it is there (a program that itself
 * exited with 127). */
static int why_not_run(const char *prog)
{
    const char *path = getenv("PATH"), *p, *end;
    char cand[PATH_MAX];
    int why = ENOENT, n;

    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0 ? 0 : errno;
    for (p = path ? path : "/bin:/usr/bin";; p = end + 1) {
        end = strchrnul(p, ':');
        /* An empty entry is the current directory. */
        n = snprintf(cand, sizeof cand, "%.*s%s%s", (int)(end - p), p,
                     end > p ? "/" : "", prog);
        if (n > 0 && (size_t)n < sizeof cand) {
            if (access(cand, X_OK) == 0)
                return 0;
            if (errno == EACCES)
                why = EACCES;
        }
        if (!*end)
            return why;
    }
}

/* Run argv, collecting output, within timeout_ms. */
static int run(char **argv, long timeout_ms, run_result *r, rdsiam_error *err)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, e;
    pid_t pid = -1;
    bool piped;
    int rc = RDSIAM_OK;

    piped = make_pipe(outp) == 0 && make_pipe(errp) == 0;
    RDSIAM_ENSURE(err, piped, RDSIAM_ERR_PROCESS_FAILED,
                  "cannot create pipes for %s", argv[0]);
    e = spawn(&pid, argv, outp[1], errp[1]);
    RDSIAM_ENSURE(err, e != ENOMEM, RDSIAM_ERR_NO_MEMORY, "out of memory");
    if (e) {
        r->exec_errno = e;
        goto done;
    }
    close_fd(&outp[1]);
    close_fd(&errp[1]);
    fcntl(outp[0], F_SETFL, O_NONBLOCK);
    fcntl(errp[0], F_SETFL, O_NONBLOCK);
    if (!collect(pid, &outp[0], &errp[0], timeout_ms, r)) {
        /* Time limit or output cap: kill the whole group (and the child,
         * should it have left the group), then reap. */
        r->timed_out = !r->too_large;
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
            ;
    } else if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 127 &&
               r->out.len == 0 && r->errlen == 0) {
        r->exec_errno = why_not_run(argv[0]);
    }
done:
    close_fd(&outp[0]);
    close_fd(&outp[1]);
    close_fd(&errp[0]);
    close_fd(&errp[1]);
    return rc;
}

/* First line of stderr, control characters dropped, at most 200 bytes. */
static void first_line(const run_result *r, char *dst, size_t n)
{
    size_t i, o = 0;

    for (i = 0; i < r->errlen && r->errline[i] != '\n' && o + 1 < n; i++) {
        unsigned char c = (unsigned char)r->errline[i];
        if (c < 0x20 || c == 0x7f)
            continue;
        dst[o++] = (char)c;
    }
    dst[o] = '\0';
}

int rdsiam__process_run(const char *command, long timeout_ms, const char *what,
                        rdsiam__buf *out, rdsiam_error *err)
{
    run_result *r = NULL;
    char **argv = NULL;
    size_t argc = 0;
    bool shell = false;
    char line[201];
    const char *prog;
    int rc = RDSIAM_OK;

    if (!what)
        what = "profile";
    if (timeout_ms <= 0)
        timeout_ms = RDSIAM__PROCESS_TIMEOUT_MS;
    RDSIAM_GUARD(rdsiam__process_split(command, &argv, &argc, &shell, err));
    /* Messages name the program, never its arguments (they may hold a
     * secret). */
    prog = shell ? "/bin/sh" : argv[0];
    r = calloc(1, sizeof(*r));
    RDSIAM_ENSURE(err, r, RDSIAM_ERR_NO_MEMORY, "out of memory");
    rdsiam__buf_init(&r->out, RDSIAM__PROCESS_OUTPUT_MAX);
    RDSIAM_GUARD(run(argv, timeout_ms, r, err));
    RDSIAM_ENSURE(err, !r->timed_out, RDSIAM_ERR_PROCESS_TIMEOUT,
                  "credential_process for %s: %s did not finish within %ld ms",
                  what, prog, timeout_ms);
    RDSIAM_ENSURE(err, !r->too_large, RDSIAM_ERR_PROCESS_OUTPUT,
                  "credential_process for %s: output larger than %d bytes",
                  what, RDSIAM__PROCESS_OUTPUT_MAX);
    if (r->exec_errno) {
        char why[128];
        rdsiam__errno_text(r->exec_errno, why, sizeof why);
        rc = rdsiam__fail(err, RDSIAM_ERR_PROCESS_FAILED,
                          "credential_process for %s: cannot run %s: %s", what,
                          prog, why);
        goto done;
    }
    first_line(r, line, sizeof(line));
    if (WIFSIGNALED(r->status)) {
        rc = rdsiam__fail(err, RDSIAM_ERR_PROCESS_FAILED,
                          "credential_process for %s: %s was killed by "
                          "signal %d%s%s",
                          what, prog, WTERMSIG(r->status), *line ? ": " : "",
                          line);
        goto done;
    }
    if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0) {
        rc = rdsiam__fail(err, RDSIAM_ERR_PROCESS_FAILED,
                          "credential_process for %s: %s exited with status "
                          "%d%s%s",
                          what, prog,
                          WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1,
                          *line ? ": " : "", line);
        goto done;
    }
    RDSIAM_ENSURE(err,
                  rdsiam__buf_append(out, r->out.data ? r->out.data : "",
                                     r->out.len) == RDSIAM_OK,
                  RDSIAM_ERR_NO_MEMORY,
                  "credential_process for %s: out of memory", what);
    rdsiam__ok(err);
done:
    if (r) {
        rdsiam__buf_free(&r->out);
        rdsiam__free_secret(r, sizeof(*r));
    }
    free(argv);
    return rc;
}
