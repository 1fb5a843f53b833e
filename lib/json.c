/*
 * json.c - the one JSON credentials reader (see json_reader.h), on cJSON.
 *
 * cJSON frees what it has built without wiping it when an allocation
 * fails halfway through a document, and its allocator hooks are global
 * state shared with the host program, which the library must not change.
 * So cJSON never sees a secret: the text is first checked here in full
 * (json_lex.c's tokens, then the structure below), then cJSON parses a
 * skeleton of it in which every string value is empty, and each value is
 * then decoded from the original text into a buffer of its own that the
 * reader wipes before it is freed. A cJSON failure after the checks can
 * only be an allocation failure.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "json_lex.h"
#include "json_reader.h"

/* Nesting allowed: the depth the reader had on json-c (its default); a
 * credentials document nests two levels at most. */
#define DEPTH_MAX 32
/* cJSON reads a number through a 64-byte buffer: a longer one would be
 * cut and the rest refused. No credentials document has one. */
#define NUMBER_MAX 63
#define WHAT_MAX 160
#define NOUN_MAX 32

struct rdsiam__json {
    const cJSON *obj;
    cJSON *root; /* owned by the top document only */
    char what[WHAT_MAX];
    char noun[NOUN_MAX];
    int code;
};

/* ------------------------------------------------------------------------ */
/* The structure check                                                      */
/* ------------------------------------------------------------------------ */

typedef struct scan {
    const char *s;
    size_t n, i;
    const char *key; /* the top-level member being read (raw text) */
    size_t key_len;
    const char *nul_key; /* the top-level member holding a \u0000 */
    size_t nul_key_len;
    bool nul;
} scan;

static void skip_space(scan *sc)
{
    while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
                             sc->s[sc->i] == '\r' || sc->s[sc->i] == '\n'))
        sc->i++;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;

    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else
            v |= (unsigned)(c - 'A' + 10);
    }
    return v;
}

/* A string token at s[i] == '"' (its escapes already checked by
 * json_lex.c); i ends after the closing quote. A lone UTF-16 surrogate is
 * refused (RFC 8259 8.2: such a string is not valid Unicode; cJSON
 * refuses it too). A \u0000 is noted, with the member it is under. */
static bool scan_string(scan *sc)
{
    const char *s = sc->s;
    size_t i = sc->i + 1;
    unsigned u;

    while (i < sc->n && s[i] != '"') {
        if (s[i] != '\\') {
            i++;
            continue;
        }
        if (s[i + 1] != 'u') {
            i += 2;
            continue;
        }
        u = hex4(s + i + 2);
        i += 6;
        if (u == 0 && !sc->nul) {
            sc->nul = true;
            sc->nul_key = sc->key;
            sc->nul_key_len = sc->key_len;
        }
        if (u >= 0xDC00 && u <= 0xDFFF)
            return false;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 6 > sc->n || s[i] != '\\' || s[i + 1] != 'u')
                return false;
            u = hex4(s + i + 2);
            if (u < 0xDC00 || u > 0xDFFF)
                return false;
            i += 6;
        }
    }
    if (i >= sc->n)
        return false;
    sc->i = i + 1;
    return true;
}

static bool scan_value(scan *sc, int depth);

/* An object or an array at s[i]; members of the top-level object set
 * sc->key while they are read. */
static bool scan_container(scan *sc, int depth)
{
    char close = sc->s[sc->i] == '{' ? '}' : ']';
    size_t start;

    if (depth >= DEPTH_MAX)
        return false;
    sc->i++;
    skip_space(sc);
    if (sc->i < sc->n && sc->s[sc->i] == close) {
        sc->i++;
        return true;
    }
    for (;;) {
        skip_space(sc);
        if (close == '}') {
            if (sc->i >= sc->n || sc->s[sc->i] != '"')
                return false;
            start = sc->i;
            if (depth == 0) {
                sc->key = sc->s + start + 1;
                sc->key_len = 0;
            }
            if (!scan_string(sc))
                return false;
            if (depth == 0)
                sc->key_len = sc->i - start - 2;
            if (depth == 0 && sc->nul && sc->nul_key == sc->key)
                sc->nul_key_len = sc->key_len; /* the NUL is in the name */
            skip_space(sc);
            if (sc->i >= sc->n || sc->s[sc->i] != ':')
                return false;
            sc->i++;
        }
        if (!scan_value(sc, depth + 1))
            return false;
        skip_space(sc);
        if (sc->i >= sc->n)
            return false;
        if (sc->s[sc->i] == close) {
            sc->i++;
            return true;
        }
        if (sc->s[sc->i] != ',')
            return false;
        sc->i++;
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number at s[i] (its form already checked by json_lex.c, which reads
 * "1-2" as two numbers: so the sign is taken only first and after the
 * exponent's e). */
static bool scan_number(scan *sc)
{
    const char *s = sc->s;
    size_t start = sc->i, i = sc->i;

    if (s[i] == '-')
        i++;
    while (i < sc->n && (is_digit(s[i]) || s[i] == '.'))
        i++;
    if (i < sc->n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < sc->n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < sc->n && is_digit(s[i]))
            i++;
    }
    sc->i = i;
    return i - start <= NUMBER_MAX;
}

static bool scan_value(scan *sc, int depth)
{
    static const char *const words[] = {"true", "false", "null"};
    size_t len;
    char c;

    skip_space(sc);
    if (sc->i >= sc->n)
        return false;
    c = sc->s[sc->i];
    if (c == '{' || c == '[')
        return scan_container(sc, depth);
    if (c == '"')
        return scan_string(sc);
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(sc);
    for (int w = 0; w < 3; w++) {
        len = strlen(words[w]);
        if (sc->n - sc->i >= len && memcmp(sc->s + sc->i, words[w], len) == 0) {
            sc->i += len;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------------ */
/* The skeleton and the string values                                       */
/* ------------------------------------------------------------------------ */

/* The end of the string token starting at s[i] == '"' (after its quote);
 * the text has passed scan_string. */
static size_t string_end(const char *s, size_t i)
{
    i++;
    while (s[i] != '"')
        i += s[i] == '\\' ? 2 : 1;
    return i + 1;
}

/* Whether the string token ending before s[i] is a member name. */
static bool is_key(const char *s, size_t n, size_t i)
{
    while (i < n &&
           (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i < n && s[i] == ':';
}

/* The text with every string value written as "" (member names kept),
 * NUL-terminated, into out (n + 1 bytes). */
static void skeleton(const char *s, size_t n, char *out)
{
    size_t i = 0, o = 0, end;

    while (i < n) {
        if (s[i] != '"') {
            out[o++] = s[i++];
            continue;
        }
        end = string_end(s, i);
        if (is_key(s, n, end)) {
            memcpy(out + o, s + i, end - i);
            o += end - i;
        } else {
            out[o++] = '"';
            out[o++] = '"';
        }
        i = end;
    }
    out[o] = '\0';
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

/* The character a two-character escape stands for (\" \\ \/ as
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

/* Decode the string token s[i..end) (checked: no \u0000, no lone
 * surrogate) into a new cJSON-allocated buffer; NULL when out of memory.
 * The decoded text is never longer than the token. */
static char *decode(const char *s, size_t i, size_t end)
{
    char *out = cJSON_malloc(end - i);
    size_t o = 0;
    unsigned u, lo;

    if (!out)
        return NULL;
    for (i++; i < end - 1;) {
        if (s[i] != '\\') {
            out[o++] = s[i++];
            continue;
        }
        if (s[i + 1] != 'u') {
            out[o++] = unescape(s[i + 1]);
            i += 2;
            continue;
        }
        u = hex4(s + i + 2);
        i += 6;
        if (u >= 0xD800 && u <= 0xDBFF) {
            lo = hex4(s + i + 2);
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        o += put_utf8(out + o, u);
    }
    out[o] = '\0';
    return out;
}

/* The next string value in s from *pos on (member names skipped). */
static bool next_value(const char *s, size_t n, size_t *pos, size_t *start,
                       size_t *end)
{
    size_t i = *pos, e;

    while (i < n) {
        if (s[i] != '"') {
            i++;
            continue;
        }
        e = string_end(s, i);
        if (!is_key(s, n, e)) {
            *start = i;
            *end = e;
            *pos = e;
            return true;
        }
        i = e;
    }
    return false;
}

/* Give each (empty) string value of the tree, in document order, its
 * value decoded from the text; false when out of memory (the values set
 * so far stay in the tree, wiped when it is freed). */
static bool fill(cJSON *o, const char *s, size_t n, size_t *pos)
{
    size_t start, end;
    char *v;

    for (; o; o = o->next) {
        if (cJSON_IsString(o)) {
            if (!next_value(s, n, pos, &start, &end))
                return false; /* not reached: the skeleton has as many */
            v = decode(s, start, end);
            if (!v)
                return false;
            cJSON_free(o->valuestring);
            o->valuestring = v;
        } else if (o->child && !fill(o->child, s, n, pos)) {
            return false;
        }
    }
    return true;
}

/* Wipe every string (values and member names) in the tree. cJSON_Delete
 * recurses as deep as the tree; fill's depth is bounded the same way. */
static void wipe_tree(cJSON *o)
{
    for (; o; o = o->next) {
        if (o->valuestring)
            rdsiam__wipe(o->valuestring, strlen(o->valuestring));
        if (o->string)
            rdsiam__wipe(o->string, strlen(o->string));
        wipe_tree(o->child);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Objects up to this many members are checked pair by pair; larger ones
 * (a hostile 64 KB answer can hold thousands) are sorted, so the check
 * stays O(n log n). */
#define PAIRWISE_MAX 16

/* A member name that appears twice in the object o, into *dup (left NULL
 * when none); false when out of memory. */
static bool object_duplicate(const cJSON *o, const char **dup)
{
    const char **names;
    size_t n = 0, k = 0;

    for (const cJSON *a = o->child; a; a = a->next)
        n++;
    if (n <= PAIRWISE_MAX) {
        for (const cJSON *a = o->child; a && !*dup; a = a->next)
            for (const cJSON *b = a->next; b && !*dup; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    *dup = a->string;
        return true;
    }
    names = calloc(n, sizeof *names);
    if (!names)
        return false;
    for (const cJSON *a = o->child; a; a = a->next)
        names[k++] = a->string;
    qsort(names, n, sizeof *names, by_name);
    for (k = 1; k < n && !*dup; k++)
        if (strcmp(names[k - 1], names[k]) == 0)
            *dup = names[k];
    free(names); /* pointers to member names only: nothing secret */
    return true;
}

/* The first object anywhere in the tree with a member name given twice:
 * *dup (NULL on entry) receives that name; false when out of memory.
 * Python's json.loads keeps the last one silently; a credentials document
 * never repeats a name, and which of two SecretAccessKeys is meant is not
 * guessed. */
static bool duplicate(const cJSON *o, const char **dup)
{
    for (; o && !*dup; o = o->next) {
        if (cJSON_IsObject(o) && !object_duplicate(o, dup))
            return false;
        if (!*dup && o->child && !duplicate(o->child, dup))
            return false;
    }
    return true;
}

void rdsiam__json_free(rdsiam__json *j)
{
    if (!j)
        return;
    if (j->root) {
        wipe_tree(j->root);
        cJSON_Delete(j->root);
    }
    free(j);
}

int rdsiam__json_parse(const char *text, size_t len, const char *what,
                       const char *noun, int code, rdsiam__json **out,
                       rdsiam_error *err)
{
    rdsiam__json *j = NULL;
    char *copy = NULL;
    scan sc = {0};
    const char *dup = NULL;
    size_t pos = 0;
    bool ok;
    int rc = RDSIAM_OK;

    *out = NULL;
    j = calloc(1, sizeof *j);
    RDSIAM_ENSURE(err, j, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    snprintf(j->what, sizeof j->what, "%s", what);
    snprintf(j->noun, sizeof j->noun, "%s", noun);
    j->code = code;
    RDSIAM_ENSURE(err, len <= INT_MAX, code, "%s: %s is too large", what, noun);
    /* RFC 8259's lexical rules (NaN, "1.", raw control characters in
     * strings, single quotes, leading zeros), then its structure: one
     * value and only whitespace after it. */
    RDSIAM_ENSURE(err, rdsiam__json_lex_ok(text, len), code,
                  "%s: %s is not valid JSON", what, noun);
    sc.s = text;
    sc.n = len;
    ok = scan_value(&sc, 0);
    skip_space(&sc);
    RDSIAM_ENSURE(err, ok && sc.i == len, code, "%s: %s is not valid JSON",
                  what, noun);
    pos = 0;
    while (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r' ||
           text[pos] == '\n')
        pos++;
    RDSIAM_ENSURE(err, text[pos] == '{', code, "%s: %s is not a JSON object",
                  what, noun);
    RDSIAM_ENSURE(err, !sc.nul, code,
                  "%s: %.*s in %s contains a NUL character (\\u0000)", what,
                  (int)sc.nul_key_len, sc.nul_key, noun);
    copy = malloc(len + 1);
    RDSIAM_ENSURE(err, copy, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    skeleton(text, len, copy);
    /* The length counts the terminating NUL, which cJSON then requires
     * right after the value and its trailing whitespace. */
    j->root = cJSON_ParseWithLengthOpts(copy, strlen(copy) + 1, NULL, 1);
    RDSIAM_ENSURE(err, j->root, RDSIAM_ERR_NO_MEMORY, "%s: out of memory",
                  what);
    RDSIAM_ENSURE(err, duplicate(j->root, &dup), RDSIAM_ERR_NO_MEMORY,
                  "%s: out of memory", what);
    RDSIAM_ENSURE(err, !dup, code, "%s: %s has the member %s twice", what, noun,
                  dup);
    pos = 0;
    RDSIAM_ENSURE(err, fill(j->root->child, text, len, &pos),
                  RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    j->obj = j->root;
    *out = j;
    j = NULL;
    rdsiam__ok(err);
done:
    if (copy) {
        rdsiam__wipe(copy, len + 1);
        free(copy);
    }
    rdsiam__json_free(j);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Reading members                                                          */
/* ------------------------------------------------------------------------ */

static const cJSON *member(const rdsiam__json *j, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j->obj, name);

    return v && !cJSON_IsNull(v) ? v : NULL;
}

bool rdsiam__json_has(const rdsiam__json *j, const char *name)
{
    return member(j, name) != NULL;
}

int rdsiam__json_string(const rdsiam__json *j, const char *name, bool required,
                        const char **out, rdsiam_error *err)
{
    const cJSON *v = member(j, name);
    int rc = RDSIAM_OK;

    *out = NULL;
    RDSIAM_ENSURE(err, v || !required, j->code, "%s: %s has no %s", j->what,
                  j->noun, name);
    RDSIAM_ENSURE(err, !v || cJSON_IsString(v), j->code,
                  "%s: %s is not a string", j->what, name);
    *out = v ? v->valuestring : NULL;
    rdsiam__ok(err);
done:
    return rc;
}

/* 2^53: every integer up to it is exact in cJSON's double. */
#define EXACT_MAX 9007199254740992.0

int rdsiam__json_int(const rdsiam__json *j, const char *name, int64_t *out,
                     rdsiam_error *err)
{
    const cJSON *v = member(j, name);
    bool integral;
    int rc = RDSIAM_OK;

    *out = 0;
    RDSIAM_ENSURE(err, v, j->code, "%s: %s has no %s", j->what, j->noun, name);
    /* cJSON keeps numbers as doubles: an integral value within 2^53 is the
     * integer the text wrote (1.0 reads as 1, as Python's 1.0 == 1). */
    integral = cJSON_IsNumber(v) && v->valuedouble >= -EXACT_MAX &&
               v->valuedouble <= EXACT_MAX &&
               v->valuedouble == (double)(int64_t)v->valuedouble;
    RDSIAM_ENSURE(err, integral, j->code, "%s: %s is not an integer", j->what,
                  name);
    *out = (int64_t)v->valuedouble;
    rdsiam__ok(err);
done:
    return rc;
}
int rdsiam__json_object(const rdsiam__json *j, const char *name,
                        rdsiam__json **out, rdsiam_error *err)
{
    const cJSON *v = member(j, name);
    rdsiam__json *sub = NULL;
    int rc = RDSIAM_OK;

    *out = NULL;
    RDSIAM_ENSURE(err, v, j->code, "%s: %s has no %s", j->what, j->noun, name);
    RDSIAM_ENSURE(err, cJSON_IsObject(v), j->code, "%s: %s is not an object",
                  j->what, name);
    /* A view into the same tree: freeing it leaves the tree alone. */
    sub = calloc(1, sizeof *sub);
    RDSIAM_ENSURE(err, sub, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", j->what);
    *sub = *j;
    sub->obj = v;
    sub->root = NULL;
    *out = sub;
    rdsiam__ok(err);
done:
    return rc;
}

/* Required strings must not be empty. */
static int nonempty(const rdsiam__json *j, const char *name, const char *v,
                    rdsiam_error *err)
{
    if (v && !*v)
        return rdsiam__fail(err, j->code, "%s: %s is empty", j->what, name);
    return RDSIAM_OK;
}

int rdsiam__json_creds(const rdsiam__json *j,
                       const rdsiam__json_creds_fields *f, rdsiam__creds *out,
                       rdsiam_error *err)
{
    const char *ak = NULL, *sk = NULL, *st = NULL, *exp = NULL;
    int64_t t = 0;
    bool time_ok;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__json_string(j, f->access_key_id, true, &ak, err));
    RDSIAM_GUARD(rdsiam__json_string(j, f->secret_access_key, true, &sk, err));
    if (f->session_token)
        RDSIAM_GUARD(rdsiam__json_string(j, f->session_token,
                                         f->session_token_required, &st, err));
    if (f->expiration)
        RDSIAM_GUARD(rdsiam__json_string(j, f->expiration,
                                         f->expiration_required, &exp, err));
    RDSIAM_GUARD(nonempty(j, f->access_key_id, ak, err));
    RDSIAM_GUARD(nonempty(j, f->secret_access_key, sk, err));
    time_ok = !exp || rdsiam__parse_time(exp, &t) == 0;
    RDSIAM_ENSURE(err, time_ok, j->code, "%s: %s is not an ISO-8601 time",
                  j->what, f->expiration);
    RDSIAM_GUARD(rdsiam__creds_set(out, ak, sk, st, j->what, err));
    out->expires = exp != NULL;
    out->expiration = t;
    rdsiam__ok(err);
done:
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

static cJSON *object_of(const rdsiam__json_member *m, size_t n);

/* The value of one member as a cJSON item that references its string. */
static cJSON *value_of(const rdsiam__json_member *m)
{
    if (m->string)
        return cJSON_CreateStringReference(m->string);
    if (m->is_int)
        return cJSON_CreateNumber((double)m->integer);
    return object_of(m->members, m->n);
}

/* Add item under name (a constant key: cJSON neither copies nor frees
 * it); on failure the item is freed. */
static bool add(cJSON *o, const char *name, cJSON *item)
{
    if (item && cJSON_AddItemToObjectCS(o, name, item))
        return true;
    cJSON_Delete(item);
    return false;
}

static cJSON *object_of(const rdsiam__json_member *m, size_t n)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; o && i < n; i++)
        if (!add(o, m[i].name, value_of(&m[i]))) {
            cJSON_Delete(o);
            o = NULL;
        }
    return o;
}

static const rdsiam__json_member *named(const rdsiam__json_member *m, size_t n,
                                        const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return &m[i];
    return NULL;
}

/* A member of a parsed document as an item referencing its strings and
 * children (numbers, booleans and null are copied: nothing secret). */
static cJSON *reference_of(const cJSON *c)
{
    if (cJSON_IsString(c))
        return cJSON_CreateStringReference(c->valuestring);
    if (cJSON_IsObject(c))
        return cJSON_CreateObjectReference(c->child);
    if (cJSON_IsArray(c))
        return cJSON_CreateArrayReference(c->child);
    return cJSON_Duplicate(c, 0);
}

/* base's members updated by m, then m's others (dict.update). */
static cJSON *updated(const cJSON *base, const rdsiam__json_member *m, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    const rdsiam__json_member *u;
    const cJSON *c;
    bool ok = o != NULL;

    for (c = base->child; ok && c; c = c->next) {
        u = named(m, n, c->string);
        ok = add(o, c->string, u ? value_of(u) : reference_of(c));
    }
    for (size_t i = 0; ok && i < n; i++)
        if (!cJSON_GetObjectItemCaseSensitive(base, m[i].name))
            ok = add(o, m[i].name, value_of(&m[i]));
    if (!ok) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

int rdsiam__json_write(const rdsiam__json *base, const rdsiam__json_member *m,
                       size_t n, const char *what, rdsiam__buf *out,
                       rdsiam_error *err)
{
    cJSON *o = base ? updated(base->obj, m, n) : object_of(m, n);
    size_t size = 1024, limit = out->max - out->len;
    char *block = NULL;
    bool printed = false;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, o, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    if (limit > INT_MAX - 5)
        limit = INT_MAX - 5;
    /* cJSON asks for 5 bytes more than the text it prints; a block too
     * small makes it fail (it never allocates when preallocated), and the
     * next try doubles it, up to what out may still hold. */
    for (;;) {
        if (size > limit + 5)
            size = limit + 5;
        block = malloc(size);
        RDSIAM_ENSURE(err, block, RDSIAM_ERR_NO_MEMORY, "%s: out of memory",
                      what);
        printed = cJSON_PrintPreallocated(o, block, (int)size, 0);
        if (printed || size >= limit + 5)
            break;
        rdsiam__free_secret(block, size);
        block = NULL;
        size *= 2;
    }
    RDSIAM_ENSURE(err, printed && strlen(block) <= limit, RDSIAM_ERR_JSON,
                  "%s: the document is larger than %zu bytes", what, limit);
    rc = rdsiam__buf_append(out, block, strlen(block));
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s: out of memory", what);
    rdsiam__ok(err);
done:
    if (block)
        rdsiam__free_secret(block, size);
    cJSON_Delete(o);
    return rc;
}
