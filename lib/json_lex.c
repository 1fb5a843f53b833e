/*
 * json_lex.c - RFC 8259's lexical rules, checked before the JSON reader
 * (json.c) looks at a document's structure (see json_lex.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <string.h>

#include "json_lex.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A string starting at s[*i] == '"'; *i ends after the closing quote.
 * RFC 8259 7: "All Unicode characters may be placed within the quotation
 * marks, except for ... quotation mark, reverse solidus, and the control
 * characters (U+0000 through U+001F)". */
static bool lex_string(const char *s, size_t n, size_t *i)
{
    size_t j = *i + 1, k;

    while (j < n && s[j] != '"') {
        if ((unsigned char)s[j] < 0x20)
            return false;
        if (s[j] == '\\') {
            if (j + 1 >= n)
                return false;
            if (s[j + 1] == 'u') {
                for (k = 2; k < 6; k++)
                    if (j + k >= n || !rdsiam__is_hex(s[j + k]))
                        return false;
                j += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", s[j + 1]) || s[j + 1] == '\0')
                return false;
            j += 2;
            continue;
        }
        j++;
    }
    if (j >= n)
        return false;
    *i = j + 1;
    return true;
}

/* number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9
 * *DIGIT ); frac = "." 1*DIGIT; exp = ("e"/"E") ["-"/"+"] 1*DIGIT */
static bool lex_number(const char *s, size_t n, size_t *i)
{
    size_t j = *i, start;

    if (j < n && s[j] == '-')
        j++;
    if (j >= n || !is_digit(s[j]))
        return false;
    if (s[j] == '0')
        j++;
    else
        while (j < n && is_digit(s[j]))
            j++;
    if (j < n && s[j] == '.') {
        start = ++j;
        while (j < n && is_digit(s[j]))
            j++;
        if (j == start)
            return false;
    }
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        start = j;
        while (j < n && is_digit(s[j]))
            j++;
        if (j == start)
            return false;
    }
    /* "01" would otherwise read as two numbers */
    if (j < n && is_digit(s[j]))
        return false;
    *i = j;
    return true;
}

static bool lex_word(const char *s, size_t n, size_t *i)
{
    static const char *const words[] = {"true", "false", "null"};
    size_t w, len;

    for (w = 0; w < 3; w++) {
        len = strlen(words[w]);
        if (n - *i >= len && memcmp(s + *i, words[w], len) == 0) {
            *i += len;
            return true;
        }
    }
    return false;
}

bool rdsiam__json_lex_ok(const char *s, size_t n)
{
    size_t i = 0;

    if (!s || !rdsiam__utf8_valid(s, n))
        return false;
    while (i < n) {
        char c = s[i];
        bool ok = true;

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' ||
            c == '}' || c == '[' || c == ']' || c == ',' || c == ':')
            i++;
        else if (c == '"')
            ok = lex_string(s, n, &i);
        else if (c == '-' || is_digit(c))
            ok = lex_number(s, n, &i);
        else
            ok = lex_word(s, n, &i);
        if (!ok)
            return false;
    }
    return true;
}
