/*
 * output.h - writing a file so that a reader sees the old one or the new
 * one, never a part (see output.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_OUTPUT_H
#define RDSIAM_CLI_OUTPUT_H

#include <stddef.h>

/*
 * Replace path with len bytes of data: a temporary file in the same
 * folder, mode 0600 (path's owner and group kept when it exists and the
 * process may give them), written in full, fsync()ed, then rename()d over
 * path, and the folder fsync()ed. On any failure path is untouched and
 * the temporary file removed: -1 and a message naming the step and the
 * reason in msg.
 */
int cli_write_file(const char *path, const char *data, size_t len, char *msg,
                   size_t msgsize);

/* Write data to standard output in full: 0, or -1 and a message. */
int cli_write_stdout(const char *data, size_t len, char *msg, size_t msgsize);

/*
 * For a handler of SIGTERM/SIGINT: remove the temporary file being
 * written, if any (async-signal-safe).
 */
void cli_output_abandon(void);

#endif
