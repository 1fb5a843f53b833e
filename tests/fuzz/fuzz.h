/*
 * fuzz.h - small helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * A property that fails calls __builtin_trap(), which libFuzzer reports as
 * a crash with the input that caused it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_FUZZ_H
#define RDSIAM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            __builtin_trap();                                                  \
    } while (0)

/* The whole input as a NUL-terminated copy, for a parser that takes a
 * text and its length (the NUL stops any reader that looks for one);
 * NULL when out of memory, and the caller returns. Free with free(). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (!s)
        return NULL;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Splits fuzz input into NUL-separated C strings: every string a C caller
 * can pass (anything without a NUL) is reachable. */
typedef struct fuzz_reader {
    const uint8_t *p;
    size_t n;
} fuzz_reader;

/* The next n bytes as an integer (little-endian), 0 when input ran out. */
static inline uint64_t fuzz_uint(fuzz_reader *r, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && r->n > 0; i++, r->p++, r->n--)
        v |= (uint64_t)r->p[0] << (8 * i);
    return v;
}

/* The next string up to a NUL or the end, as a malloc'd copy; NULL when
 * the input is exhausted (callers treat NULL as "field not set"). */
static inline char *fuzz_str(fuzz_reader *r)
{
    size_t len = 0;
    char *s;

    if (r->n == 0)
        return NULL;
    while (len < r->n && r->p[len] != 0)
        len++;
    s = malloc(len + 1);
    if (!s)
        return NULL;
    memcpy(s, r->p, len);
    s[len] = '\0';
    r->p += len < r->n ? len + 1 : len;
    r->n -= len < r->n ? len + 1 : len;
    return s;
}

#endif /* RDSIAM_FUZZ_H */
