/*
 * then.h - running --then COMMAND after each write (see then.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_THEN_H
#define RDSIAM_CLI_THEN_H

#include <stddef.h>

/* How long COMMAND may run before it is stopped. */
#define CLI_THEN_TIMEOUT 60

/*
 * Run /bin/sh -c command and wait for it (at most CLI_THEN_TIMEOUT
 * seconds; then its process group is killed). SIGCHLD must be blocked
 * by the caller. 0 when it exited 0; -1 and what happened in msg.
 */
int cli_then(const char *command, char *msg, size_t msgsize);

/* For a handler of SIGTERM/SIGINT: stop the command running, if any
 * (async-signal-safe). */
void cli_then_abandon(void);

#endif
