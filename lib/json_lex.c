/*
 * json_lex.c - the JSON recognizer (see json_lex.h): RFC 8259's grammar,
 * checked in one pass over the caller's text, recording each token; and
 * the decoding of the strings it accepted.
 *
 * Written here rather than taken from jsmn (which Debian ships): jsmn,
 * even with JSMN_STRICT, accepts "01", "1.", "tRue", "[1 2]", "[1,]",
 * "{,"a":1}", raw control characters, lone surrogates and invalid UTF-8,
 * so every byte between and inside its tokens would have to be checked
 * again: a second recognizer.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>

#include "json_lex.h"

typedef struct lexer {
    const char *s;
    size_t n, i;
    rdsiam__json_tok *toks; /* NULL: count only */
    size_t cap, count;
    size_t nul_at;
} lexer;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 2: ws = space, horizontal tab, line feed, carriage return. */
static void skip_space(lexer *lx)
{
    while (lx->i < lx->n && (lx->s[lx->i] == ' ' || lx->s[lx->i] == '\t' ||
                             lx->s[lx->i] == '\n' || lx->s[lx->i] == '\r'))
        lx->i++;
}

/* A token of the type starting at lx->i; *idx its index. */
static bool open_tok(lexer *lx, rdsiam__json_type type, size_t *idx)
{
    if (lx->toks) {
        if (lx->count >= lx->cap)
            return false;
        memset(&lx->toks[lx->count], 0, sizeof *lx->toks);
        lx->toks[lx->count].start = (uint32_t)lx->i;
        lx->toks[lx->count].type = (uint8_t)type;
    }
    *idx = lx->count++;
    return true;
}

/* The token idx ends at lx->i, and so do the tokens inside it. */
static void close_tok(lexer *lx, size_t idx)
{
    if (lx->toks) {
        lx->toks[idx].end = (uint32_t)lx->i;
        lx->toks[idx].next = (uint32_t)lx->count;
    }
}

/* The value of the hex digit c (checked). */
static unsigned hex_value(char c)
{
    return (unsigned)(c <= '9'   ? c - '0'
                      : c <= 'F' ? c - 'A' + 10
                                 : c - 'a' + 10);
}

/* The four hex digits at s[at] as a number. */
static bool hex4(const lexer *lx, size_t at, unsigned *u)
{
    *u = 0;
    if (at > lx->n || lx->n - at < 4)
        return false;
    for (size_t k = at; k < at + 4; k++) {
        if (!rdsiam__is_hex(lx->s[k]))
            return false;
        *u = *u << 4 | hex_value(lx->s[k]);
    }
    return true;
}

/* The escape \uXXXX at s[*i], with the low surrogate that must follow a
 * high one; *i moves past it. RFC 8259 8.2: a lone surrogate makes the
 * string not valid Unicode. A \u0000 is noted (json.c refuses it). */
static bool lex_escape_u(lexer *lx, size_t *i)
{
    unsigned u, lo;

    if (!hex4(lx, *i + 2, &u))
        return false;
    if (u == 0 && lx->nul_at == SIZE_MAX)
        lx->nul_at = *i;
    *i += 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return false;
    if (u < 0xD800 || u > 0xDBFF)
        return true;
    if (lx->n - *i < 2 || lx->s[*i] != '\\' || lx->s[*i + 1] != 'u' ||
        !hex4(lx, *i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
        return false;
    *i += 6;
    return true;
}

/* RFC 8259 7: "All Unicode characters may be placed within the quotation
 * marks, except for the characters that MUST be escaped: quotation mark,
 * reverse solidus, and the control characters (U+0000 through U+001F)";
 * escapes are \" \\ \/ \b \f \n \r \t and \uXXXX. */
static bool lex_string(lexer *lx)
{
    size_t i = lx->i + 1, idx;

    if (!open_tok(lx, RDSIAM__JSON_STRING, &idx))
        return false;
    for (;;) {
        unsigned char c;

        if (i >= lx->n)
            return false;
        c = (unsigned char)lx->s[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return false;
        if (c != '\\') {
            i++;
        } else if (i + 1 < lx->n && lx->s[i + 1] == 'u') {
            if (!lex_escape_u(lx, &i))
                return false;
        } else if (i + 1 < lx->n && lx->s[i + 1] != '\0' &&
                   strchr("\"\\/bfnrt", lx->s[i + 1])) {
            i += 2;
        } else {
            return false;
        }
    }
    lx->i = i + 1;
    close_tok(lx, idx);
    return true;
}

/* 1*DIGIT from s[*i]; false when there is none. */
static bool digits(lexer *lx, size_t *i)
{
    size_t from = *i;

    while (*i < lx->n && is_digit(lx->s[*i]))
        (*i)++;
    return *i > from;
}

/* RFC 8259 6: number = [ minus ] int [ frac ] [ exp ]; int = zero /
 * ( digit1-9 *DIGIT ); frac = decimal-point 1*DIGIT; exp = e [ minus /
 * plus ] 1*DIGIT. What follows it is the grammar's business ("01" is a 0
 * followed by a 1, which no rule allows). */
static bool lex_number(lexer *lx)
{
    size_t i = lx->i, idx;

    if (!open_tok(lx, RDSIAM__JSON_NUMBER, &idx))
        return false;
    if (lx->s[i] == '-')
        i++;
    if (i < lx->n && lx->s[i] == '0')
        i++;
    else if (!digits(lx, &i))
        return false;
    if (i < lx->n && lx->s[i] == '.') {
        i++;
        if (!digits(lx, &i))
            return false;
    }
    if (i < lx->n && (lx->s[i] == 'e' || lx->s[i] == 'E')) {
        i++;
        if (i < lx->n && (lx->s[i] == '+' || lx->s[i] == '-'))
            i++;
        if (!digits(lx, &i))
            return false;
    }
    if (i - lx->i > RDSIAM__JSON_NUMBER_MAX)
        return false;
    lx->i = i;
    close_tok(lx, idx);
    return true;
}

/* RFC 8259 3: the literal names MUST be lowercase. */
static bool lex_literal(lexer *lx)
{
    static const struct {
        const char *word;
        rdsiam__json_type type;
    } words[] = {{"true", RDSIAM__JSON_TRUE},
                 {"false", RDSIAM__JSON_FALSE},
                 {"null", RDSIAM__JSON_NULL}};
    size_t idx;

    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t len = strlen(words[w].word);

        if (lx->n - lx->i >= len &&
            memcmp(lx->s + lx->i, words[w].word, len) == 0) {
            if (!open_tok(lx, words[w].type, &idx))
                return false;
            lx->i += len;
            close_tok(lx, idx);
            return true;
        }
    }
    return false;
}

static bool lex_value(lexer *lx, unsigned depth);

/* An object's member (its name, ':' and its value) or an array's value. */
static bool lex_member(lexer *lx, bool object, unsigned depth)
{
    skip_space(lx);
    if (object) {
        if (lx->i >= lx->n || lx->s[lx->i] != '"' || !lex_string(lx))
            return false;
        skip_space(lx);
        if (lx->i >= lx->n || lx->s[lx->i] != ':')
            return false;
        lx->i++;
    }
    return lex_value(lx, depth + 1);
}

/* RFC 8259 4 and 5: object = begin-object [ member *( value-separator
 * member ) ] end-object; member = string name-separator value; array =
 * begin-array [ value *( value-separator value ) ] end-array. */
static bool lex_container(lexer *lx, unsigned depth)
{
    bool object = lx->s[lx->i] == '{';
    char close = object ? '}' : ']';
    bool empty;
    size_t idx;

    if (depth >= RDSIAM__JSON_DEPTH_MAX ||
        !open_tok(lx, object ? RDSIAM__JSON_OBJECT : RDSIAM__JSON_ARRAY, &idx))
        return false;
    lx->i++;
    skip_space(lx);
    empty = lx->i < lx->n && lx->s[lx->i] == close;
    while (!empty) {
        if (!lex_member(lx, object, depth))
            return false;
        skip_space(lx);
        if (lx->i >= lx->n)
            return false;
        if (lx->s[lx->i] == close)
            break;
        if (lx->s[lx->i] != ',')
            return false;
        lx->i++;
    }
    lx->i++;
    close_tok(lx, idx);
    return true;
}

static bool lex_value(lexer *lx, unsigned depth)
{
    char c;

    skip_space(lx);
    if (lx->i >= lx->n)
        return false;
    c = lx->s[lx->i];
    if (c == '{' || c == '[')
        return lex_container(lx, depth);
    if (c == '"')
        return lex_string(lx);
    if (c == '-' || is_digit(c))
        return lex_number(lx);
    return lex_literal(lx);
}

bool rdsiam__json_lex(const char *s, size_t n, rdsiam__json_tok *toks,
                      size_t cap, rdsiam__json_lexed *out)
{
    lexer lx = {s, n, 0, toks, cap, 0, SIZE_MAX};
    bool ok;

    out->count = 0;
    out->nul_at = SIZE_MAX;
    if (!s || !rdsiam__utf8_valid(s, n))
        return false;
    ok = lex_value(&lx, 0);
    skip_space(&lx);
    if (!ok || lx.i != n)
        return false;
    out->count = lx.count;
    out->nul_at = lx.nul_at;
    return true;
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */
/* ------------------------------------------------------------------------ */

static unsigned hex4_checked(const char *p)
{
    return hex_value(p[0]) << 12 | hex_value(p[1]) << 8 | hex_value(p[2]) << 4 |
           hex_value(p[3]);
}

static size_t put_utf8(char *out, unsigned cp)
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

/* The character a two-character escape stands for (\" \\ \/ stand for
 * themselves). */
static char unescape(char c)
{
    switch (c) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return c;
    }
}

size_t rdsiam__json_decode(const char *s, size_t n, char *out)
{
    size_t i = 0, o = 0;
    unsigned u, lo;

    while (i < n) {
        if (s[i] != '\\') {
            out[o++] = s[i++];
        } else if (s[i + 1] != 'u') {
            out[o++] = unescape(s[i + 1]);
            i += 2;
        } else {
            /* RFC 8259 7: a character outside the Basic Multilingual Plane
             * is "a 12-character sequence, encoding the UTF-16 surrogate
             * pair" (the recognizer checked that the pair is whole). */
            u = hex4_checked(s + i + 2);
            i += 6;
            if (u >= 0xD800 && u <= 0xDBFF) {
                lo = hex4_checked(s + i + 2);
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            o += put_utf8(out + o, u);
        }
    }
    return o;
}
