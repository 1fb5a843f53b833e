/*
 * log_escape.c - see log_escape.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "log_escape.h"

void emu_escape_line(char *dst, size_t size, const char *src)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *src; src++) {
        unsigned char c = (unsigned char)*src;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            if (o + 4 >= size)
                break;
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = hex[c >> 4];
            dst[o++] = hex[c & 15];
        } else {
            if (o + 1 >= size)
                break;
            dst[o++] = (char)c;
        }
    }
    dst[o] = '\0';
}

void emu_format_line(char *dst, size_t size, const char *fmt, va_list ap)
{
    char raw[1024];

    if (vsnprintf(raw, sizeof raw, fmt, ap) < 0)
        raw[0] = '\0';
    emu_escape_line(dst, size, raw);
}
