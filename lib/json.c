/*
 * json.c - the one JSON reader and writer (see json_reader.h).
 *
 * json_lex.c checks the caller's text against RFC 8259 and records where
 * each value and member name is; nothing is copied. A string is decoded
 * when it is asked for (member names when the document is read, to find
 * names given twice; values on demand), into one buffer the document
 * allocated when it was read, sized for every string it holds and wiped
 * when it is freed. Reading allocates the handle, one block for the
 * tokens and that buffer, and for an object of more than PAIRWISE_MAX
 * members a list of its names; no secret is ever in memory the reader
 * does not wipe.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_lex.h"
#include "json_reader.h"

#define WHAT_MAX 160
#define NOUN_MAX 32

/* The text and what was found in it: shared by a document and its views. */
typedef struct doc {
    const char *s; /* the caller's text, borrowed */
    rdsiam__json_tok *toks;
    size_t ntoks;
    char *strings; /* decoded strings, each NUL-terminated */
    size_t strings_size, strings_used; /* in the tokens' block */
} doc;

struct rdsiam__json {
    doc *d;       /* &own for a document; its document's for a view */
    doc own;      /* a view's is unused */
    uint32_t obj; /* the token of the object this handle reads */
    char what[WHAT_MAX];
    char noun[NOUN_MAX];
    int code;
};

/* ------------------------------------------------------------------------ */
/* Strings                                                                  */
/* ------------------------------------------------------------------------ */

/* The decoded text of the string token t, decoded on first use. Each
 * string token decodes to at most its length less its two quotes, plus a
 * NUL, so a buffer as long as the text holds them all; the check guards
 * the buffer anyway (were that reasoning wrong, the string would read as
 * empty). */
static const char *text_of(doc *d, uint32_t t)
{
    rdsiam__json_tok *k = &d->toks[t];
    size_t raw, len;

    if (!k->text) {
        raw = k->end - k->start - 2;
        if (raw >= d->strings_size - d->strings_used)
            return "";
        len = rdsiam__json_decode(d->s + k->start + 1, raw,
                                  d->strings + d->strings_used);
        d->strings[d->strings_used + len] = '\0';
        k->text = (uint32_t)(d->strings_used + 1);
        d->strings_used += len + 1;
    }
    return d->strings + k->text - 1;
}

/* ------------------------------------------------------------------------ */
/* Reading the document                                                     */
/* ------------------------------------------------------------------------ */

/* Lex again, recording the tokens, into one block with the strings'
 * buffer; false when out of memory (the text passed a moment ago, and
 * lexes the same way again). */
static bool record(doc *d, const char *text, size_t len, size_t ntoks)
{
    rdsiam__json_lexed lx;

    if (ntoks > (SIZE_MAX - len - 1) / sizeof *d->toks)
        return false;
    d->toks = calloc(1, ntoks * sizeof *d->toks + len + 1);
    if (!d->toks)
        return false;
    d->s = text;
    d->ntoks = ntoks;
    d->strings = (char *)(d->toks + ntoks);
    d->strings_size = len + 1;
    return rdsiam__json_lex(text, len, d->toks, ntoks, &lx);
}

static void doc_free(doc *d)
{
    if (!d->toks)
        return;
    rdsiam__wipe(d->strings, d->strings_used);
    free(d->toks);
    memset(d, 0, sizeof *d);
}

/* The top-level member whose name or value holds the offset at: its name
 * as written (escapes and all), for a message. */
static void member_at(const doc *d, size_t at, const char **name, int *len)
{
    uint32_t k = 1;

    *name = "";
    *len = 0;
    while (k + 1 < d->toks[0].next) {
        const rdsiam__json_tok *key = &d->toks[k], *val = &d->toks[k + 1];
        if (at >= key->start && at < val->end) {
            *name = d->s + key->start + 1;
            *len = (int)(key->end - key->start - 2);
            return;
        }
        k = val->next;
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
static bool object_duplicate(doc *d, uint32_t o, const char **dup)
{
    uint32_t end = d->toks[o].next, a, b;
    const char **names;
    size_t n = 0;

    for (a = o + 1; a < end; a = d->toks[a + 1].next)
        n++;
    if (n <= PAIRWISE_MAX) {
        for (a = o + 1; a < end && !*dup; a = d->toks[a + 1].next)
            for (b = d->toks[a + 1].next; b < end && !*dup;
                 b = d->toks[b + 1].next)
                if (strcmp(text_of(d, a), text_of(d, b)) == 0)
                    *dup = text_of(d, a);
        return true;
    }
    names = calloc(n, sizeof *names);
    if (!names)
        return false;
    n = 0;
    for (a = o + 1; a < end; a = d->toks[a + 1].next)
        names[n++] = text_of(d, a);
    qsort(names, n, sizeof *names, by_name);
    for (size_t k = 1; k < n && !*dup; k++)
        if (strcmp(names[k - 1], names[k]) == 0)
            *dup = names[k];
    free(names); /* pointers to member names only: nothing secret */
    return true;
}

/* The first object in document order with a member name given twice:
 * *dup (NULL on entry) receives that name; false when out of memory.
 * Python's json.loads keeps the last one silently; a credentials document
 * never repeats a name, and which of two SecretAccessKeys is meant is not
 * guessed. */
static bool duplicate(doc *d, const char **dup)
{
    for (uint32_t t = 0; t < d->ntoks && !*dup; t++)
        if (d->toks[t].type == RDSIAM__JSON_OBJECT &&
            !object_duplicate(d, t, dup))
            return false;
    return true;
}

void rdsiam__json_free(rdsiam__json *j)
{
    if (!j)
        return;
    if (j->d == &j->own)
        doc_free(&j->own);
    free(j);
}

int rdsiam__json_parse(const char *text, size_t len, const char *what,
                       const char *noun, int code, rdsiam__json **out,
                       rdsiam_error *err)
{
    rdsiam__json *j = NULL;
    rdsiam__json_lexed lx;
    const char *dup = NULL, *name;
    size_t pos = 0;
    int name_len, rc = RDSIAM_OK;

    *out = NULL;
    j = calloc(1, sizeof *j);
    RDSIAM_ENSURE(err, j, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    j->d = &j->own;
    snprintf(j->what, sizeof j->what, "%s", what);
    snprintf(j->noun, sizeof j->noun, "%s", noun);
    j->code = code;
    RDSIAM_ENSURE(err, len <= INT_MAX, code, "%s: %s is too large", what, noun);
    RDSIAM_ENSURE(err, rdsiam__json_lex(text, len, NULL, 0, &lx), code,
                  "%s: %s is not valid JSON", what, noun);
    while (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r' ||
           text[pos] == '\n')
        pos++;
    RDSIAM_ENSURE(err, text[pos] == '{', code, "%s: %s is not a JSON object",
                  what, noun);
    RDSIAM_ENSURE(err, record(&j->own, text, len, lx.count),
                  RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    /* C strings would silently cut a value at its NUL. */
    if (lx.nul_at != SIZE_MAX) {
        member_at(&j->own, lx.nul_at, &name, &name_len);
        RDSIAM_BAIL(err, code,
                    "%s: %.*s in %s contains a NUL character (\\u0000)", what,
                    name_len, name, noun);
    }
    RDSIAM_ENSURE(err, duplicate(&j->own, &dup), RDSIAM_ERR_NO_MEMORY,
                  "%s: out of memory", what);
    RDSIAM_ENSURE(err, !dup, code, "%s: %s has the member %s twice", what, noun,
                  dup);
    *out = j;
    j = NULL;
    rdsiam__ok(err);
done:
    rdsiam__json_free(j);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Reading members                                                          */
/* ------------------------------------------------------------------------ */

/* The token of member name's value (null too), or NULL when absent.
 * Names are unique (duplicates were refused). */
static const rdsiam__json_tok *find(const rdsiam__json *j, const char *name)
{
    doc *d = j->d;

    for (uint32_t k = j->obj + 1; k < d->toks[j->obj].next;
         k = d->toks[k + 1].next)
        if (strcmp(text_of(d, k), name) == 0)
            return &d->toks[k + 1];
    return NULL;
}

/* The token of member name's value, or NULL when absent or null. */
static const rdsiam__json_tok *member(const rdsiam__json *j, const char *name)
{
    const rdsiam__json_tok *v = find(j, name);

    return v && v->type != RDSIAM__JSON_NULL ? v : NULL;
}

bool rdsiam__json_has(const rdsiam__json *j, const char *name)
{
    return member(j, name) != NULL;
}

int rdsiam__json_string(const rdsiam__json *j, const char *name, bool required,
                        const char **out, rdsiam_error *err)
{
    const rdsiam__json_tok *v = member(j, name);
    int rc = RDSIAM_OK;

    *out = NULL;
    RDSIAM_ENSURE(err, v || !required, j->code, "%s: %s has no %s", j->what,
                  j->noun, name);
    RDSIAM_ENSURE(err, !v || v->type == RDSIAM__JSON_STRING, j->code,
                  "%s: %s is not a string", j->what, name);
    *out = v ? text_of(j->d, (uint32_t)(v - j->d->toks)) : NULL;
    rdsiam__ok(err);
done:
    return rc;
}

/* 2^53, the largest integer a JSON reader that keeps doubles (Python's
 * float, JavaScript) holds exactly with all below it. */
#define EXACT_MAX 9007199254740992ULL
/* 10^16 > 2^53: an integer of more than 16 digits is beyond it. */
#define EXACT_DIGITS 16

/* The integer the number text s[0..n) writes, exactly (no rounding
 * through a double): its digits D and power p with the value D x 10^p,
 * integral when p >= 0 once D's trailing zeros are moved into p. false
 * when it is not an integer or beyond +-2^53. n <= RDSIAM__JSON_NUMBER_MAX
 * (json_lex.c), so every loop here is bounded. */
static bool exact_int(const char *s, size_t n, int64_t *out)
{
    char dig[RDSIAM__JSON_NUMBER_MAX];
    size_t nd = 0, i = 0;
    long p = 0, e = 0, esign = 1;
    bool neg = s[0] == '-', frac = false;
    uint64_t v = 0;

    for (i = neg ? 1 : 0; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.') {
            frac = true;
            continue;
        }
        p -= frac;
        if (nd || s[i] != '0') /* leading zeros add nothing */
            dig[nd++] = s[i];
    }
    if (i < n) { /* the exponent; capped: 10^100000 is beyond 2^53 anyway */
        i++;
        if (s[i] == '+' || s[i] == '-')
            esign = s[i++] == '-' ? -1 : 1;
        for (; i < n; i++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
    }
    p += esign * e;
    while (nd && dig[nd - 1] == '0') {
        nd--;
        p++;
    }
    if (nd && (p < 0 || (long)nd + p > EXACT_DIGITS))
        return false;
    for (size_t k = 0; k < nd; k++)
        v = v * 10 + (uint64_t)(dig[k] - '0');
    for (; nd && p > 0; p--)
        v *= 10;
    if (v > EXACT_MAX)
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

int rdsiam__json_int(const rdsiam__json *j, const char *name, int64_t *out,
                     rdsiam_error *err)
{
    const rdsiam__json_tok *v = member(j, name);
    int rc = RDSIAM_OK;

    *out = 0;
    RDSIAM_ENSURE(err, v, j->code, "%s: %s has no %s", j->what, j->noun, name);
    /* An integral value within 2^53 is the integer the text wrote (1.0 and
     * 1e2 read as 1 and 100, as Python's 1.0 == 1). */
    RDSIAM_ENSURE(err,
                  v->type == RDSIAM__JSON_NUMBER &&
                      exact_int(j->d->s + v->start, v->end - v->start, out),
                  j->code, "%s: %s is not an integer", j->what, name);
    rdsiam__ok(err);
done:
    return rc;
}

int rdsiam__json_object(const rdsiam__json *j, const char *name,
                        rdsiam__json **out, rdsiam_error *err)
{
    const rdsiam__json_tok *v = member(j, name);
    rdsiam__json *sub = NULL;
    int rc = RDSIAM_OK;

    *out = NULL;
    RDSIAM_ENSURE(err, v, j->code, "%s: %s has no %s", j->what, j->noun, name);
    RDSIAM_ENSURE(err, v->type == RDSIAM__JSON_OBJECT, j->code,
                  "%s: %s is not an object", j->what, name);
    /* A view of the same document: freeing it leaves the document alone. */
    sub = calloc(1, sizeof *sub);
    RDSIAM_ENSURE(err, sub, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", j->what);
    memcpy(sub->what, j->what, sizeof sub->what);
    memcpy(sub->noun, j->noun, sizeof sub->noun);
    sub->code = j->code;
    sub->d = j->d;
    sub->obj = (uint32_t)(v - j->d->toks);
    *out = sub;
    rdsiam__ok(err);
done:
    return rc;
}

const char *rdsiam__json_what(const rdsiam__json *j)
{
    return j->what;
}

int rdsiam__json_code(const rdsiam__json *j)
{
    return j->code;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

/* Where the text goes. It is measured first (p NULL: only len counts),
 * then written into room made for all of it at once, so that no part of
 * it is ever moved or copied on the way. */
typedef struct sink {
    char *p;
    size_t len;
} sink;

static void put(sink *s, const char *text, size_t n)
{
    if (s->p)
        memcpy(s->p + s->len, text, n);
    s->len += n;
}

/* The two-character escape of c, or NULL. */
static const char *short_escape(unsigned char c)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    default:
        return NULL;
    }
}

/* A string in quotes. RFC 8259 7: "the characters that MUST be escaped:
 * quotation mark, reverse solidus, and the control characters (U+0000
 * through U+001F)"; those with a short form in it, the others as \u00XX.
 * Every other byte as it is. */
static void put_string(sink *s, const char *v)
{
    const char *esc;
    char u[8];
    size_t run;

    put(s, "\"", 1);
    while (*v) {
        for (run = 0;
             (unsigned char)v[run] >= 0x20 && v[run] != '"' && v[run] != '\\';
             run++)
            ;
        put(s, v, run);
        v += run;
        if (!*v)
            break;
        esc = short_escape((unsigned char)*v);
        if (!esc) {
            snprintf(u, sizeof u, "\\u%04x", (unsigned)(unsigned char)*v);
            esc = u;
        }
        put(s, esc, strlen(esc));
        v++;
    }
    put(s, "\"", 1);
}

/* A value of a parsed document, compact: its strings decoded and escaped
 * again, numbers and literals as written. Nesting is bounded by the
 * recognizer's depth limit. */
static void put_token(sink *s, doc *d, uint32_t t)
{
    const rdsiam__json_tok *k = &d->toks[t];
    uint32_t c;

    switch (k->type) {
    case RDSIAM__JSON_STRING:
        put_string(s, text_of(d, t));
        break;
    case RDSIAM__JSON_OBJECT:
        put(s, "{", 1);
        for (c = t + 1; c < k->next; c = d->toks[c + 1].next) {
            if (c > t + 1)
                put(s, ",", 1);
            put_string(s, text_of(d, c));
            put(s, ":", 1);
            put_token(s, d, c + 1);
        }
        put(s, "}", 1);
        break;
    case RDSIAM__JSON_ARRAY:
        put(s, "[", 1);
        for (c = t + 1; c < k->next; c = d->toks[c].next) {
            if (c > t + 1)
                put(s, ",", 1);
            put_token(s, d, c);
        }
        put(s, "]", 1);
        break;
    default:
        put(s, d->s + k->start, k->end - k->start);
    }
}

static void put_members(sink *s, const rdsiam__json_member *m, size_t n);

static void put_value(sink *s, const rdsiam__json_member *m)
{
    char num[24];

    if (m->string) {
        put_string(s, m->string);
    } else if (m->is_int) {
        snprintf(num, sizeof num, "%" PRId64, m->integer);
        put(s, num, strlen(num));
    } else {
        put(s, "{", 1);
        put_members(s, m->members, m->n);
        put(s, "}", 1);
    }
}

/* "NAME":VALUE for each of the n members, comma-separated. */
static void put_members(sink *s, const rdsiam__json_member *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(s, ",", 1);
        put_string(s, m[i].name);
        put(s, ":", 1);
        put_value(s, &m[i]);
    }
}

static const rdsiam__json_member *named(const rdsiam__json_member *m, size_t n,
                                        const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return &m[i];
    return NULL;
}

/* The object: base's members first, each one that m names with m's value
 * (Python's dict.update), then m's others; without base, m's members. */
static void put_document(sink *s, const rdsiam__json *base,
                         const rdsiam__json_member *m, size_t n)
{
    const rdsiam__json_member *u;
    size_t written = 0;
    doc *d;

    put(s, "{", 1);
    if (base) {
        d = base->d;
        for (uint32_t k = base->obj + 1; k < d->toks[base->obj].next;
             k = d->toks[k + 1].next) {
            if (written++)
                put(s, ",", 1);
            put_string(s, text_of(d, k));
            put(s, ":", 1);
            u = named(m, n, text_of(d, k));
            if (u)
                put_value(s, u);
            else
                put_token(s, d, k + 1);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (base && find(base, m[i].name))
            continue;
        if (written++)
            put(s, ",", 1);
        put_members(s, &m[i], 1);
    }
    put(s, "}", 1);
}

int rdsiam__json_write(const rdsiam__json *base, const rdsiam__json_member *m,
                       size_t n, const char *what, rdsiam__buf *out,
                       rdsiam_error *err)
{
    sink s = {NULL, 0};
    size_t room = out->max - out->len;
    int rc = RDSIAM_OK;

    put_document(&s, base, m, n);
    RDSIAM_ENSURE(err, s.len <= room, RDSIAM_ERR_JSON,
                  "%s: the document is larger than %zu bytes", what, room);
    rc = rdsiam__buf_reserve(out, s.len);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, RDSIAM_ERR_NO_MEMORY,
                  "%s: out of memory", what);
    s.p = out->data + out->len;
    s.len = 0;
    put_document(&s, base, m, n);
    out->len += s.len;
    out->data[out->len] = '\0';
    rdsiam__ok(err);
done:
    return rc;
}
