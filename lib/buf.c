/*
 * buf.c - growable byte buffers with a hard maximum, wiped when freed
 * (they often hold file contents, HTTP bodies or canonical strings that
 * contain secrets).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

/* Tests only (see internal.h): told of every wipe, just before it. */
static rdsiam__wipe_observer_fn wipe_observer;
static void *wipe_observer_ctx;

void rdsiam__set_wipe_observer(rdsiam__wipe_observer_fn fn, void *ctx)
{
    wipe_observer_ctx = ctx;
    wipe_observer = fn;
}

void rdsiam__wipe(void *p, size_t len)
{
    if (p && len) {
        if (wipe_observer)
            wipe_observer(p, len, wipe_observer_ctx);
        OPENSSL_cleanse(p, len);
    }
}

void rdsiam__free_secret(void *p, size_t len)
{
    if (!p)
        return;
    rdsiam__wipe(p, len);
    free(p);
}

void rdsiam__free_secret_str(char *s)
{
    if (s)
        rdsiam__free_secret(s, strlen(s));
}

char *rdsiam__strndup(const char *s, size_t n)
{
    char *d;

    if (!s || n == SIZE_MAX)
        return NULL;
    d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *rdsiam__strdup(const char *s)
{
    return s ? rdsiam__strndup(s, strlen(s)) : NULL;
}

char *rdsiam__strdup_opt(const char *s, bool *ok)
{
    char *d = rdsiam__strdup(s);

    if (s && !d)
        *ok = false;
    return d;
}

void rdsiam__buf_init(rdsiam__buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

/* Grow to hold `extra` more bytes plus a NUL. Moving to a new block copies
 * and wipes the old one: a secret never lingers in freed memory. */
static int buf_reserve(rdsiam__buf *b, size_t extra)
{
    size_t need, cap;
    char *n;

    if (extra > b->max || b->len > b->max - extra)
        return RDSIAM_ERR_SIGV4_TOO_LARGE;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return RDSIAM_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = (cap > SIZE_MAX / 2) ? need : cap * 2;
    n = malloc(cap);
    if (!n)
        return RDSIAM_ERR_NO_MEMORY;
    if (b->data) {
        memcpy(n, b->data, b->len + 1);
        rdsiam__free_secret(b->data, b->cap);
    }
    b->data = n;
    b->cap = cap;
    return RDSIAM_OK;
}

int rdsiam__buf_reserve(rdsiam__buf *b, size_t extra)
{
    return buf_reserve(b, extra);
}

int rdsiam__buf_append(rdsiam__buf *b, const void *data, size_t len)
{
    int rc = buf_reserve(b, len);

    if (rc != RDSIAM_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return RDSIAM_OK;
}

int rdsiam__buf_append_str(rdsiam__buf *b, const char *s)
{
    return rdsiam__buf_append(b, s, strlen(s));
}

int rdsiam__buf_append_char(rdsiam__buf *b, char c)
{
    return rdsiam__buf_append(b, &c, 1);
}

int rdsiam__buf_printf(rdsiam__buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    int rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return RDSIAM_ERR_INTERNAL;
    rc = buf_reserve(b, (size_t)n);
    if (rc != RDSIAM_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RDSIAM_OK;
}

void rdsiam__buf_free(rdsiam__buf *b)
{
    if (b->data)
        rdsiam__free_secret(b->data, b->cap);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

char *rdsiam__buf_take(rdsiam__buf *b)
{
    char *d = b->data;

    if (!d)
        d = rdsiam__strdup("");
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return d;
}
