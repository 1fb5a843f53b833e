/*
 * then.c - --then COMMAND: /bin/sh -c COMMAND after each successful
 * write, typically to make a pooler reload the file.
 *
 * The command gets rdsiam-token's environment and standard output and
 * error (its lines join the log), standard input from /dev/null, default
 * signal dispositions and an empty signal mask, and a process group of
 * its own, so that one that hangs is stopped with whatever it started.
 * The token is in neither its arguments nor its environment: it reads
 * the file, as the pooler does.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "then.h"

extern char **environ;

static volatile sig_atomic_t running_pid;

void cli_then_abandon(void)
{
    if (running_pid > 0)
        (void)kill(-(pid_t)running_pid, SIGTERM);
}

static int spawn(const char *command, pid_t *pid)
{
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, all;
    int rc;

    sigemptyset(&none);
    sigfillset(&all);
    if (posix_spawn_file_actions_init(&fa) != 0)
        return ENOMEM;
    if ((rc = posix_spawnattr_init(&at)) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return rc;
    }
    rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
                                               POSIX_SPAWN_SETSIGMASK |
                                               POSIX_SPAWN_SETSIGDEF);
    if (rc == 0)
        rc = posix_spawnattr_setpgroup(&at, 0);
    if (rc == 0)
        rc = posix_spawnattr_setsigmask(&at, &none);
    if (rc == 0)
        rc = posix_spawnattr_setsigdefault(&at, &all);
    if (rc == 0)
        rc = posix_spawn(pid, "/bin/sh", &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Wait for pid until the deadline (CLOCK_MONOTONIC seconds): its status,
 * or -1 when the time ran out. */
static int wait_until(pid_t pid, time_t deadline, int *status)
{
    sigset_t chld;
    struct timespec now, left;

    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    for (;;) {
        pid_t got = waitpid(pid, status, WNOHANG);
        if (got == pid || (got < 0 && errno != EINTR))
            return got == pid ? 0 : -2;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec >= deadline)
            return -1;
        left.tv_sec = deadline - now.tv_sec;
        left.tv_nsec = 0;
        /* SIGCHLD is blocked: this returns when a child exits (or the
         * time is up), with no polling. */
        (void)sigtimedwait(&chld, NULL, &left);
    }
}

int cli_then(const char *command, char *msg, size_t msgsize)
{
    struct timespec start;
    pid_t pid;
    int rc, status = 0;

    rc = spawn(command, &pid);
    if (rc != 0) {
        snprintf(msg, msgsize, "--then: cannot run /bin/sh: %s", strerror(rc));
        return -1;
    }
    running_pid = pid;
    clock_gettime(CLOCK_MONOTONIC, &start);
    rc = wait_until(pid, start.tv_sec + CLI_THEN_TIMEOUT, &status);
    if (rc == -1) {
        (void)kill(-pid, SIGKILL);
        (void)waitpid(pid, &status, 0);
    }
    running_pid = 0;
    if (rc == -1)
        snprintf(msg, msgsize, "--then: stopped after %d s", CLI_THEN_TIMEOUT);
    else if (rc != 0)
        snprintf(msg, msgsize, "--then: lost the command: %s", strerror(errno));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    else if (WIFEXITED(status))
        snprintf(msg, msgsize, "--then: the command exited %d",
                 WEXITSTATUS(status));
    else
        snprintf(msg, msgsize, "--then: the command was killed by signal %d",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}
