/*
 * validate.c - input checks shared by every signer. Each failure records a
 * message that names the field (never its value: a value may be a secret,
 * and even a hostname can be sensitive in a log) and returns that field's
 * own error code.
 *
 * SPDX-License-Identifier: MIT
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"

/* 1 for the characters of a region name: [a-z0-9-]. */
#define R1(c) [c] = 1
static const unsigned char REGION_CHAR[256] = {
    R1('a'), R1('b'), R1('c'), R1('d'), R1('e'), R1('f'), R1('g'), R1('h'),
    R1('i'), R1('j'), R1('k'), R1('l'), R1('m'), R1('n'), R1('o'), R1('p'),
    R1('q'), R1('r'), R1('s'), R1('t'), R1('u'), R1('v'), R1('w'), R1('x'),
    R1('y'), R1('z'), R1('0'), R1('1'), R1('2'), R1('3'), R1('4'), R1('5'),
    R1('6'), R1('7'), R1('8'), R1('9'), R1('-'),
};
#undef R1

int rdsiam__check_region(const char *region, size_t *len, rdsiam_error *err)
{
    size_t n;

    if (!region || !*region)
        return rdsiam__fail(err, RDSIAM_ERR_REGION_EMPTY, "region is %s",
                            region ? "empty" : "NULL");
    /* One pass: length and character class together. */
    for (n = 0; REGION_CHAR[(unsigned char)region[n]]; n++)
        ;
    if (region[n] == '\0' && n <= RDSIAM_REGION_MAX) {
        if (len)
            *len = n;
        return RDSIAM_OK;
    }
    /* Which rule failed: the length first, then the first bad byte. */
    n = strlen(region);
    if (n > RDSIAM_REGION_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_REGION_INVALID,
                            "region is longer than %d bytes",
                            RDSIAM_REGION_MAX);
    for (size_t i = 0; i < n; i++)
        if (!REGION_CHAR[(unsigned char)region[i]])
            return rdsiam__fail(err, RDSIAM_ERR_REGION_INVALID,
                                "region has a character outside [a-z0-9-] "
                                "at offset %zu",
                                i);
    return RDSIAM_OK; /* not reached: the first loop stopped at a bad byte */
}

bool rdsiam__port_valid(const char *p, size_t n)
{
    unsigned long v = 0;

    if (n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

/* Printable ASCII without space: what access key ids and secrets are made
 * of. Anything else is a copy-and-paste accident we would rather report
 * than sign with. */
static bool printable_nospace(const char *s, size_t n)
{
    /* A byte c is allowed when c - 0x21, as an unsigned byte, is at most
     * 0x7e - 0x21. Long strings (a session token is a kilobyte, checked on
     * every token) go in 32-byte blocks, a fixed-length loop the compiler
     * turns into vector instructions; short ones (key ids, secrets) eight
     * bytes at a time, where with H the high bit of each byte a word has a
     * bad byte when one is >= 0x80 (w & H), or >= 0x7f (w + 0x01 sets H
     * and, with no byte >= 0x80, carries into no other byte), or < 0x21
     * ((w | H) - 0x21 clears H, never borrowing). */
    const unsigned char *u = (const unsigned char *)s;
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t high = UINT64_C(0x8080808080808080);
    unsigned char bad[32] = {0};
    uint64_t w, any = 0;
    size_t i = 0;

    for (; n - i >= 32; i += 32)
        for (size_t k = 0; k < 32; k++)
            bad[k] |=
                (unsigned char)((unsigned char)(u[i + k] - 0x21) > 0x7e - 0x21);
    for (size_t k = 0; k < 32; k += 8) {
        memcpy(&w, bad + k, 8);
        any |= w;
    }
    for (; n - i >= 8; i += 8) {
        memcpy(&w, u + i, 8);
        any |= (w | (w + ones) | ~((w | high) - 0x21 * ones)) & high;
    }
    for (; i < n; i++)
        any |= (unsigned char)((unsigned char)(u[i] - 0x21) > 0x7e - 0x21);
    return any == 0;
}

const char *rdsiam__session_token(const rdsiam_credentials *creds)
{
    /* botocore treats an empty token as absent; so do we. */
    return (creds->session_token && *creds->session_token)
               ? creds->session_token
               : NULL;
}

int rdsiam__check_access_key_id(const char *akid, size_t *len,
                                rdsiam_error *err)
{
    size_t n;

    if (!akid || !*akid)
        return rdsiam__fail(err, RDSIAM_ERR_ACCESS_KEY_EMPTY,
                            "access key id is %s", akid ? "empty" : "NULL");
    n = strlen(akid);
    if (n > RDSIAM_ACCESS_KEY_MAX || !printable_nospace(akid, n))
        return rdsiam__fail(err, RDSIAM_ERR_ACCESS_KEY_INVALID,
                            "access key id is longer than %d bytes or has "
                            "whitespace, control or non-ASCII characters",
                            RDSIAM_ACCESS_KEY_MAX);
    if (len)
        *len = n;
    return RDSIAM_OK;
}

int rdsiam__check_secret_key(const char *secret, size_t *len, rdsiam_error *err)
{
    size_t n;

    if (!secret || !*secret)
        return rdsiam__fail(err, RDSIAM_ERR_SECRET_KEY_EMPTY,
                            "secret access key is %s",
                            secret ? "empty" : "NULL");
    n = strlen(secret);
    if (n > RDSIAM_SECRET_KEY_MAX || !printable_nospace(secret, n))
        return rdsiam__fail(err, RDSIAM_ERR_SECRET_KEY_INVALID,
                            "secret access key is longer than %d bytes or has "
                            "whitespace, control or non-ASCII characters",
                            RDSIAM_SECRET_KEY_MAX);
    if (len)
        *len = n;
    return RDSIAM_OK;
}

int rdsiam__check_session_token(const char *tok, size_t n, rdsiam_error *err)
{
    if (n > RDSIAM_SESSION_TOKEN_MAX || !printable_nospace(tok, n))
        return rdsiam__fail(err, RDSIAM_ERR_SESSION_TOKEN_INVALID,
                            "session token is longer than %d bytes or has "
                            "whitespace, control or non-ASCII characters",
                            RDSIAM_SESSION_TOKEN_MAX);
    return RDSIAM_OK;
}

int rdsiam__check_credentials(const rdsiam_credentials *creds,
                              rdsiam_error *err)
{
    const char *tok;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, creds, RDSIAM_ERR_CREDENTIALS_NULL,
                  "credentials are NULL");
    RDSIAM_GUARD(rdsiam__check_access_key_id(creds->access_key_id, NULL, err));
    RDSIAM_GUARD(rdsiam__check_secret_key(creds->secret_access_key, NULL, err));
    tok = rdsiam__session_token(creds);
    if (tok)
        RDSIAM_GUARD(rdsiam__check_session_token(tok, strlen(tok), err));
done:
    return rc;
}

/*
 * "[" IPv6address "]" (RFC 3986 section 3.2.2), checked by inet_pton so
 * that "[:::::]" or "[....]" is refused rather than signed. A zone id
 * ("[fe80::1%eth0]", RFC 6874) names an interface of the client's own
 * host: it means nothing to the server that checks the Host of the token,
 * and botocore builds no such endpoint, so it is refused too.
 */
static int check_ipv6_literal(const char *h, size_t n, rdsiam_error *err)
{
    char addr[INET6_ADDRSTRLEN];
    unsigned char bin[16];

    if (n < 4 || h[n - 1] != ']')
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                            "hostname: unterminated IPv6 literal");
    if (memchr(h, '%', n))
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                            "hostname: IPv6 zone ids are not supported");
    if (n - 2 >= sizeof addr)
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                            "hostname: IPv6 literal is too long");
    memcpy(addr, h + 1, n - 2);
    addr[n - 2] = '\0';
    if (inet_pton(AF_INET6, addr, bin) != 1)
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                            "hostname: malformed IPv6 literal");
    return RDSIAM_OK;
}

/*
 * A hostname as a client dials it: DNS labels (letters, digits, '-', '_'
 * and '.'), an IPv4 literal, or an IPv6 literal in brackets. Port, scheme,
 * path, user info, whitespace and non-ASCII (IDNs must be given in their
 * A-label form) are refused, each with its own code.
 */
#define DNS_CHAR(c) (rdsiam__char_class[(unsigned char)(c)] & RDSIAM__CH_DNS)

int rdsiam__check_hostname(const char *h, size_t *len, rdsiam_error *err)
{
    size_t n;

    if (!h || !*h)
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_EMPTY, "hostname is %s",
                            h ? "empty" : "NULL");
    /* Fast path: a plain DNS name, the common case on every token. */
    for (n = 0; DNS_CHAR(h[n]); n++)
        ;
    if (h[n] == '\0' && n <= RDSIAM_HOSTNAME_MAX) {
        if (len)
            *len = n;
        return RDSIAM_OK;
    }
    n = strlen(h);
    if (strstr(h, "://"))
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_SCHEME,
                            "hostname starts with a scheme; give the bare "
                            "host name");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c == 0x7f)
            return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                                "hostname has whitespace or a control "
                                "character at offset %zu",
                                i);
        if (c == '/' || c == '?' || c == '#')
            return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_PATH,
                                "hostname has a path, query or fragment at "
                                "offset %zu",
                                i);
    }
    if (n > RDSIAM_HOSTNAME_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_TOO_LONG,
                            "hostname is longer than %d bytes",
                            RDSIAM_HOSTNAME_MAX);
    if (h[0] == '[') {
        int rc = check_ipv6_literal(h, n, err);
        if (rc == RDSIAM_OK && len)
            *len = n;
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == ':')
            return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                                "hostname contains ':'; pass the port "
                                "separately");
        if (!DNS_CHAR(c))
            return rdsiam__fail(err, RDSIAM_ERR_HOSTNAME_INVALID,
                                "hostname has an invalid character at "
                                "offset %zu",
                                i);
    }
    if (len)
        *len = n;
    return RDSIAM_OK;
}

int rdsiam__check_time(int64_t signing_time, int64_t *resolved,
                       rdsiam_error *err)
{
    int64_t t = signing_time ? signing_time : rdsiam__now();

    /* 1970-01-01T00:00:00Z itself is in range; it is reachable through a
     * clock that reads 0, since signing_time 0 means "now". */
    if (t < 0 || t > RDSIAM__TIME_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_TIME_RANGE, "signing time is %s",
                            t < 0 ? "before 1970-01-01T00:00:00Z"
                                  : "after 9999-12-31T23:59:59Z");
    *resolved = t;
    return RDSIAM_OK;
}
