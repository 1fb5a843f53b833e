/*
 * encoding.c - RFC 3986 percent-encoding, hex, UTF-8 validation and
 * base64url.
 *
 * SigV4: "URI-encode each parameter name and value ... Do not URI-encode
 * any of the unreserved characters that RFC 3986 defines: A-Z, a-z, 0-9,
 * hyphen (-), underscore (_), period (.), and tilde (~). Percent-encode all
 * other characters with %XY, where X and Y are hexadecimal characters (0-9
 * and uppercase A-F)."
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

/* Letters and digits are unreserved and DNS-name characters; '-', '.'
 * and '_' too; '~' is unreserved only. */
#define BOTH(c) [c] = RDSIAM__CH_UNRESERVED | RDSIAM__CH_DNS
const unsigned char rdsiam__char_class[256] = {
    BOTH('A'), BOTH('B'), BOTH('C'), BOTH('D'), BOTH('E'), BOTH('F'),
    BOTH('G'), BOTH('H'), BOTH('I'), BOTH('J'), BOTH('K'), BOTH('L'),
    BOTH('M'), BOTH('N'), BOTH('O'), BOTH('P'), BOTH('Q'), BOTH('R'),
    BOTH('S'), BOTH('T'), BOTH('U'), BOTH('V'), BOTH('W'), BOTH('X'),
    BOTH('Y'), BOTH('Z'), BOTH('a'), BOTH('b'), BOTH('c'), BOTH('d'),
    BOTH('e'), BOTH('f'), BOTH('g'), BOTH('h'), BOTH('i'), BOTH('j'),
    BOTH('k'), BOTH('l'), BOTH('m'), BOTH('n'), BOTH('o'), BOTH('p'),
    BOTH('q'), BOTH('r'), BOTH('s'), BOTH('t'), BOTH('u'), BOTH('v'),
    BOTH('w'), BOTH('x'), BOTH('y'), BOTH('z'), BOTH('0'), BOTH('1'),
    BOTH('2'), BOTH('3'), BOTH('4'), BOTH('5'), BOTH('6'), BOTH('7'),
    BOTH('8'), BOTH('9'), BOTH('-'), BOTH('.'), BOTH('_'),
    ['~'] = RDSIAM__CH_UNRESERVED,
};
#undef BOTH

static const char HEX_UPPER[] = "0123456789ABCDEF";

size_t rdsiam__uri_encoded_len(const char *src, size_t n)
{
    size_t out = 0;

    for (size_t i = 0; i < n; i++)
        out += RDSIAM__UNRESERVED(src[i]) ? 1 : 3;
    return out;
}

static size_t encode(char *dst, const char *src, size_t n, bool keep_slash)
{
    char *d = dst;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (RDSIAM__UNRESERVED(c) || (keep_slash && c == '/')) {
            *d++ = (char)c;
        } else {
            d[0] = '%';
            d[1] = HEX_UPPER[c >> 4];
            d[2] = HEX_UPPER[c & 15];
            d += 3;
        }
    }
    return (size_t)(d - dst);
}

size_t rdsiam__uri_encode(char *dst, const char *src, size_t n)
{
    return encode(dst, src, n, false);
}

size_t rdsiam__uri_encode_path_len(const char *src, size_t n)
{
    size_t out = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        out += (RDSIAM__UNRESERVED(c) || c == '/') ? 1 : 3;
    }
    return out;
}

size_t rdsiam__uri_encode_path(char *dst, const char *src, size_t n)
{
    return encode(dst, src, n, true);
}

int rdsiam__hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long rdsiam__uri_decode(char *dst, const char *src, size_t n)
{
    size_t o = 0;

    if (n > (size_t)LONG_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '%') {
            int hi, lo;
            if (n - i < 3)
                return -1;
            hi = rdsiam__hex_digit(src[i + 1]);
            lo = rdsiam__hex_digit(src[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            dst[o++] = (char)((hi << 4) | lo);
            i += 2;
        } else {
            dst[o++] = src[i];
        }
    }
    return (long)o;
}

/* "000102...feff": two characters per byte value, one load per byte. */
#define H1(x)                                                                  \
    HEXPAIR(x##0)                                                              \
    HEXPAIR(x##1) HEXPAIR(x##2) HEXPAIR(x##3) HEXPAIR(x##4) HEXPAIR(x##5)      \
        HEXPAIR(x##6) HEXPAIR(x##7) HEXPAIR(x##8) HEXPAIR(x##9) HEXPAIR(x##a)  \
            HEXPAIR(x##b) HEXPAIR(x##c) HEXPAIR(x##d) HEXPAIR(x##e)            \
                HEXPAIR(x##f)
#define HEXPAIR(x) #x
static const char HEX_PAIRS[513] = H1(0) H1(1) H1(2) H1(3) H1(4) H1(5) H1(6)
    H1(7) H1(8) H1(9) H1(a) H1(b) H1(c) H1(d) H1(e) H1(f);
#undef HEXPAIR
#undef H1

#if defined(__SSE2__)
/*
 * Sixteen bytes at a time (a token converts two 32-byte digests): split
 * each byte into its nibbles, interleave them high first, and map 0-9 to
 * '0'-'9' and 10-15 to 'a'-'f' by adding '0', plus 'a' - '0' - 10 where
 * the nibble is above 9. SSE2 is part of x86-64 itself.
 */
static size_t hex16s(char *dst, const unsigned char *src, size_t n)
{
    const __m128i low = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
    const __m128i zero = _mm_set1_epi8('0'),
                  gap = _mm_set1_epi8('a' - '0' - 10);
    size_t i = 0;

    for (; n - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low);
        __m128i lo = _mm_and_si128(v, low);
        __m128i a = _mm_unpacklo_epi8(hi, lo), b = _mm_unpackhi_epi8(hi, lo);

        a = _mm_add_epi8(_mm_add_epi8(a, zero),
                         _mm_and_si128(_mm_cmpgt_epi8(a, nine), gap));
        b = _mm_add_epi8(_mm_add_epi8(b, zero),
                         _mm_and_si128(_mm_cmpgt_epi8(b, nine), gap));
        _mm_storeu_si128((__m128i *)(void *)(dst + 2 * i), a);
        _mm_storeu_si128((__m128i *)(void *)(dst + 2 * i + 16), b);
    }
    return i;
}
#else
static size_t hex16s(char *dst, const unsigned char *src, size_t n)
{
    (void)dst, (void)src, (void)n;
    return 0;
}
#endif

void rdsiam__hex(char *dst, const unsigned char *src, size_t n)
{
    for (size_t i = hex16s(dst, src, n); i < n; i++)
        memcpy(dst + 2 * i, HEX_PAIRS + 2 * src[i], 2);
}

/* The UTF-8 encoding of cp (at most U+10FFFF; no surrogates: the caller's
 * business) into out, which has room for 4 bytes; returns its length. */
size_t rdsiam__utf8_put(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t rdsiam__utf8_len(const char *str, size_t avail)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;

    if (s[0] < 0xC2 || s[0] > 0xF4 || len > avail ||
        !rdsiam__utf8_valid(str, len))
        return 0;
    return len;
}

/* Well-formed UTF-8 per RFC 3629 section 4 (the table of valid byte
 * sequences): no overlong forms, no surrogates D800-DFFF, nothing above
 * U+10FFFF. */
bool rdsiam__utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        unsigned char lo = 0x80, hi = 0xBF;
        size_t len;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += len;
    }
    return true;
}

/* RFC 4648 section 5: four characters per three bytes; without padding, a
 * last group of one or two bytes takes two or three characters. */
size_t rdsiam__base64url_len(size_t n)
{
    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

/*
 * libcrypto's base64 (EVP_EncodeBlock), 48 bytes at a time through a copy,
 * with the two characters base64url replaces ('+' '/' become '-' '_') and
 * no '=' padding. Each chunk is copied out before its 64 characters are
 * written, and while a chunk follows, the output written so far ends
 * before it (4/3 of the input read, and src starts a third of n past dst),
 * so src may be the tail of dst's own output.
 */
void rdsiam__base64url_encode(char *dst, const char *src, size_t n)
{
    unsigned char in[48], out[4 * sizeof in / 3 + 1];
    size_t o = 0;

    for (size_t i = 0; i < n; i += sizeof in) {
        size_t k = n - i < sizeof in ? n - i : sizeof in;
        int w;

        memcpy(in, src + i, k);
        w = EVP_EncodeBlock(out, in, (int)k);
        for (int j = 0; j < w && out[j] != '='; j++)
            dst[o++] = out[j] == '+' ? '-' : out[j] == '/' ? '_' : (char)out[j];
    }
    rdsiam__wipe(in, sizeof in);
    rdsiam__wipe(out, sizeof out);
}
