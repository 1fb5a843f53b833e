/*
 * log_escape.h - the one log-line escape the emulator's server pieces
 * (the MariaDB auth plugin, the PAM module, the valkey front) share.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_EMU_LOG_ESCAPE_H
#define RDSIAM_EMU_LOG_ESCAPE_H

#include <stdarg.h>
#include <stddef.h>

/* Copy src to dst (size bytes, size > 0) with control characters (C0, DEL
 * and the bytes 0x80-0x9F, C1 controls to 8-bit terminals) written as
 * \xNN, so a client-chosen value cannot forge a log line or drive a
 * terminal that shows the log. Truncates before an escape rather than
 * splitting it. */
void emu_escape_line(char *dst, size_t size, const char *src);

/* vsnprintf(fmt, ap) (at most 1023 bytes), then emu_escape_line into dst:
 * a log line from a message with client-chosen parts. */
void emu_format_line(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
