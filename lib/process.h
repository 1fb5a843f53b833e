/*
 * process.h - credential_process: run a command and read the credentials
 * it prints (internal).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_PROCESS_H
#define RDSIAM_PROCESS_H

#include "source.h"

#define RDSIAM__PROCESS_TIMEOUT_MS 60000L      /* default time limit */
#define RDSIAM__PROCESS_OUTPUT_MAX (64 * 1024) /* stdout cap, bytes */
#define RDSIAM__PROCESS_STDERR_KEEP 1024       /* stderr bytes kept */

/*
 * Run command (borrowed) and append what it printed on stdout to out (a
 * buffer the caller initialised and wipes). timeout_ms <= 0 means
 * RDSIAM__PROCESS_TIMEOUT_MS. what names the source in messages, e.g.
 * "profile dev". Errors: RDSIAM_ERR_PROCESS_FAILED (could not start,
 * non-zero exit, killed by a signal: status and first stderr line),
 * RDSIAM_ERR_PROCESS_TIMEOUT, RDSIAM_ERR_PROCESS_OUTPUT (too large).
 */
int rdsiam__process_run(const char *command, long timeout_ms, const char *what,
                        rdsiam__buf *out, rdsiam_error *err);

/*
 * How a command is run, exposed for tests. When the value needs a shell
 * (an unquoted | & ; < > ( ) $ ` * ? [ ] { } ! newline, a "~" or "#"
 * starting a word, a leading NAME=value word, or $ or ` inside double
 * quotes), *use_shell is set and argv is { "/bin/sh", "-c", command }.
 * Otherwise the command is split into words as the POSIX shell would
 * (spaces and tabs separate; "..." and '...' quote; backslash escapes),
 * which gives the same argv the shell would have built. *argv is one
 * allocation (free()); *argc excludes the final NULL.
 */
int rdsiam__process_split(const char *command, char ***argv, size_t *argc,
                          bool *use_shell, rdsiam_error *err);

/* The credential_process source's reading of the output (source_process.c),
 * exposed for tests: run command and parse what it prints, or parse text
 * alone. what names the profile in messages ("profile dev"). */
int rdsiam__process_credentials(const char *command, long timeout_ms,
                                const char *what, rdsiam__creds *out,
                                rdsiam_error *err);
int rdsiam__process_parse(const char *text, size_t len, const char *what,
                          rdsiam__creds *out, rdsiam_error *err);

#endif /* RDSIAM_PROCESS_H */
