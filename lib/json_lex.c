/*
 * json_lex.c - RFC 8259's lexical rules, checked before json-c parses a
 * document (see json_lex.h for what json-c lets through).
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <string.h>

#include <json.h>

#include "json_lex.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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
                    if (j + k >= n || !is_hex(s[j + k]))
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

/* ------------------------------------------------------------------------ */
/* json-c underneath                                                         */
/* ------------------------------------------------------------------------ */

/* Wipe every string value json-c holds, in place. */
static void wipe_tree(struct json_object *o, int depth)
{
    size_t i, n;

    if (!o || depth > 64)
        return;
    switch (json_object_get_type(o)) {
    case json_type_string:
        rdsiam__wipe((void *)(uintptr_t)json_object_get_string(o),
                     (size_t)json_object_get_string_len(o));
        break;
    case json_type_array:
        n = json_object_array_length(o);
        for (i = 0; i < n; i++)
            wipe_tree(json_object_array_get_idx(o, i), depth + 1);
        break;
    case json_type_object: {
        json_object_object_foreach(o, key, val)
        {
            (void)key;
            wipe_tree(val, depth + 1);
        }
        break;
    }
    default:
        break;
    }
}

void rdsiam__json_put_wiped(struct json_object *root)
{
    if (!root)
        return;
    wipe_tree(root, 0);
    json_object_put(root);
}

/* true when some string value holds a NUL, or the tree is deeper than 64
 * (json-c's own default limit is 32). */
static bool has_nul(struct json_object *o, int depth)
{
    size_t i, n;

    if (!o)
        return false;
    if (depth > 64)
        return true;
    switch (json_object_get_type(o)) {
    case json_type_string:
        return strlen(json_object_get_string(o)) !=
               (size_t)json_object_get_string_len(o);
    case json_type_array:
        n = json_object_array_length(o);
        for (i = 0; i < n; i++)
            if (has_nul(json_object_array_get_idx(o, i), depth + 1))
                return true;
        return false;
    case json_type_object: {
        json_object_object_foreach(o, key, val)
        {
            (void)key;
            if (has_nul(val, depth + 1))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

/* The tokener's scratch buffer still holds the last string it parsed. */
static void tokener_free(struct json_tokener *tok)
{
    if (!tok)
        return;
    if (tok->pb && tok->pb->buf && tok->pb->size > 0)
        rdsiam__wipe(tok->pb->buf, (size_t)tok->pb->size);
    json_tokener_free(tok);
}

static bool only_space(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

int rdsiam__json_parse_strict(const char *body, size_t len,
                              struct json_object **root)
{
    struct json_tokener *tok;
    size_t end;
    int rc = RDSIAM__JSON_SYNTAX;

    *root = NULL;
    if (!body || len > INT_MAX || !rdsiam__json_lex_ok(body, len))
        return RDSIAM__JSON_SYNTAX;
    tok = json_tokener_new();
    if (!tok)
        return RDSIAM__JSON_SYNTAX;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    *root = json_tokener_parse_ex(tok, body, (int)len);
    end = json_tokener_get_parse_end(tok);
    if (*root && json_tokener_get_error(tok) == json_tokener_success &&
        end <= len && only_space(body + end, len - end))
        rc = has_nul(*root, 0) ? RDSIAM__JSON_NUL : RDSIAM__JSON_OK;
    tokener_free(tok);
    if (rc != RDSIAM__JSON_OK) {
        rdsiam__json_put_wiped(*root);
        *root = NULL;
    }
    return rc;
}
