/*
 * log.c - one line per event on standard error, with the time in UTC.
 *
 * Under systemd, standard error is often a stream into the journal;
 * systemd then sets JOURNAL_STREAM to "DEVICE:INODE" of that stream
 * (systemd.exec(5), "Environment variables set or propagated by the
 * service manager"), and journald reads a leading "<N>" as the line's
 * syslog level (sd-daemon(3)). The prefix is written only when standard
 * error is that stream, not merely when the variable is inherited.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "format.h"
#include "log.h"

static int to_journal(void)
{
    static int known = -1;
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;

    if (known < 0)
        known = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
                fstat(2, &st) == 0 && (unsigned long long)st.st_dev == dev &&
                (unsigned long long)st.st_ino == ino;
    return known;
}

void cli_put_escaped(const char *s)
{
    /* C0, DEL and bytes 0x80-0x9F (C1 controls to 8-bit terminals) as
     * \xNN, so nothing echoed can drive the terminal or add a line. */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            fprintf(stderr, "\\x%02X", c);
        else
            fputc(c, stderr);
    }
}

static void vline(const char *fmt, va_list ap) CLI_PRINTF(1, 0);
static void vline(const char *fmt, va_list ap)
{
    char text[2048];

    (void)vsnprintf(text, sizeof text, fmt, ap);
    cli_put_escaped(text);
    fputc('\n', stderr);
    fflush(stderr);
}

void cli_log(int level, const char *fmt, ...)
{
    char when[21];
    va_list ap;

    cli_utc((long long)time(NULL), when);
    if (to_journal())
        fprintf(stderr, "<%d>", level);
    fprintf(stderr, "%s rdsiam-token: %s", when,
            level == CLI_ERROR     ? "error: "
            : level == CLI_WARNING ? "warning: "
                                   : "");
    va_start(ap, fmt);
    vline(fmt, ap);
    va_end(ap);
}

void cli_say(const char *fmt, ...)
{
    va_list ap;

    fputs("rdsiam-token: ", stderr);
    va_start(ap, fmt);
    vline(fmt, ap);
    va_end(ap);
}
