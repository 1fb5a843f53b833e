/*
 * withhold.c - keeping the secrets a request sent out of messages made of
 * server text (see withhold.h).
 *
 * What is checked is what the caller would see: the finished message,
 * after every decoding the parsers did (XML character references and
 * CDATA sections by expat, JSON \u escapes by the JSON reader), so an echo
 * split or escaped in the answer is found as the plain text it became.
 * The message is checked a second time with the escapes a reader could
 * undo by eye decoded (\xNN, %XX, \uXXXX, &#x..; and &#..;), for a server
 * that escaped its echo twice. A secret counts as quoted when any run of
 * RDSIAM__SECRET_RUN of its bytes appears: a partial echo, cut at either
 * end, is caught too.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "withhold.h"

bool rdsiam__quotes_secret(const char *text, size_t n, const char *secret,
                           size_t len)
{
    size_t run = len < RDSIAM__SECRET_RUN ? len : RDSIAM__SECRET_RUN, i, j;

    if (!text || !secret || len < 4 || n < run)
        return false;
    /* Every window of the text against the secret: the message is at
     * most RDSIAM_ERROR_MESSAGE_SIZE bytes, so this is cheap. */
    for (i = 0; i + run <= n; i++)
        for (j = 0; j + run <= len; j++)
            if (text[i] == secret[j] && memcmp(text + i, secret + j, run) == 0)
                return true;
    return false;
}

/* The value of `digits` hex digits at s (all present), or -1. */
static long hex_at(const char *s, size_t digits)
{
    long v = 0;

    for (size_t i = 0; i < digits; i++) {
        int h = rdsiam__hex_digit(s[i]);

        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A character reference at s (after "&#"): its code point and length up
 * to and including ';', or -1. */
static long char_ref(const char *s, size_t *used)
{
    bool in_hex = *s == 'x' || *s == 'X';
    size_t i = in_hex ? 1 : 0;
    long v = 0;

    for (; s[i] && s[i] != ';' && i < 9; i++) {
        int d = in_hex ? rdsiam__hex_digit(s[i])
                       : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0)
            return -1;
        v = v * (in_hex ? 16 : 10) + d;
    }
    if (s[i] != ';' || i == (in_hex ? 1u : 0u))
        return -1;
    *used = i + 1;
    return v;
}

/* Append code point v as UTF-8 (what it was before it was escaped). */
static size_t put_utf8(char *out, size_t o, size_t size, long v)
{
    unsigned char b[4];
    size_t n;

    if (v < 0x80) {
        b[0] = (unsigned char)v;
        n = 1;
    } else if (v < 0x800) {
        b[0] = (unsigned char)(0xC0 | (v >> 6));
        b[1] = (unsigned char)(0x80 | (v & 0x3F));
        n = 2;
    } else if (v < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (v >> 12));
        b[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (v & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | ((v >> 18) & 0x07));
        b[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (v & 0x3F));
        n = 4;
    }
    for (size_t i = 0; i < n && o + 1 < size; i++)
        out[o++] = (char)b[i];
    return o;
}

/* text with \xNN, %XX, \uXXXX and character references decoded, into out
 * (size bytes, NUL-terminated); returns the length. */
static size_t decode(const char *s, char *out, size_t size)
{
    size_t o = 0, used;
    long v;

    while (*s && o + 1 < size) {
        v = -1;
        used = 0;
        if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
            v = hex_at(s + 2, 2);
            used = 4;
        } else if (s[0] == '%' && s[1] && s[2]) {
            v = hex_at(s + 1, 2);
            used = 3;
        } else if (s[0] == '\\' && s[1] == 'u' && strnlen(s + 2, 4) == 4) {
            v = hex_at(s + 2, 4);
            used = 6;
        } else if (s[0] == '&' && s[1] == '#') {
            v = char_ref(s + 2, &used);
            used += 2;
        }
        if (v < 0 || v > 0x10FFFF) {
            out[o++] = *s++;
            continue;
        }
        if (used == 4 || used == 3) /* a byte, not a code point */
            out[o++] = (char)v;
        else
            o = put_utf8(out, o, size, v);
        s += used;
    }
    out[o] = '\0';
    return o;
}

void rdsiam__withhold_sent(rdsiam_error *err, const char *who,
                           const rdsiam__sent *sent, size_t n)
{
    char plain[RDSIAM_ERROR_MESSAGE_SIZE];
    size_t len, plain_len;

    if (!err || err->code == RDSIAM_OK || !sent)
        return;
    len = strnlen(err->message, sizeof err->message);
    plain_len = decode(err->message, plain, sizeof plain);
    for (size_t i = 0; i < n; i++) {
        if (!sent[i].text)
            continue;
        if (rdsiam__quotes_secret(err->message, len, sent[i].text,
                                  sent[i].len) ||
            rdsiam__quotes_secret(plain, plain_len, sent[i].text,
                                  sent[i].len)) {
            rdsiam__fail(err, err->code,
                         "%s: the error message is withheld: it quotes a "
                         "credential that was sent",
                         who);
            break;
        }
    }
    rdsiam__wipe(plain, sizeof plain);
}
