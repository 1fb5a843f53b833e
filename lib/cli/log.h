/*
 * log.h - rdsiam-token's log lines on standard error (see log.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_LOG_H
#define RDSIAM_CLI_LOG_H

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Levels, as syslog numbers them (journald reads "<N>" prefixes). */
enum { CLI_ERROR = 3, CLI_WARNING = 4, CLI_INFO = 6 };

/*
 * One line: "2026-11-28T00:00:00Z rdsiam-token: [warning: |error: ]TEXT",
 * prefixed "<N>" when standard error is the journal (JOURNAL_STREAM
 * names it), so journald files it at that level. Control characters in
 * TEXT are written \xNN: a line is one line. Never pass a secret.
 */
void cli_log(int level, const char *fmt, ...) CLI_PRINTF(2, 3);

/* "rdsiam-token: TEXT" and a newline, control characters escaped: for
 * errors of a single run, which need no time. */
void cli_say(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Write s to standard error with control characters as \xNN. */
void cli_put_escaped(const char *s);

#endif
