/*
 * json.c - the one JSON credentials reader (see json_reader.h), on json-c.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_reader.h"

#define DEPTH_MAX 64
#define WHAT_MAX 160
#define NOUN_MAX 32

struct rdsiam__json {
    struct json_object *obj;
    struct json_object *root; /* owned by the top document only */
    char what[WHAT_MAX];
    char noun[NOUN_MAX];
    int code;
};

/* Wipe every string value json-c holds, in place, before it is freed. */
static void wipe_tree(struct json_object *o, int depth)
{
    if (!o || depth > DEPTH_MAX)
        return;
    switch (json_object_get_type(o)) {
    case json_type_string:
        rdsiam__wipe((void *)(uintptr_t)json_object_get_string(o),
                     (size_t)json_object_get_string_len(o));
        break;
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(o); i++)
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

/* The first string in the tree holding a NUL, or NULL; *field receives
 * the member name it is under (top-level name for nested values). */
static bool has_nul(struct json_object *o, int depth, const char *key,
                    const char **field)
{
    if (!o)
        return false;
    if (depth > DEPTH_MAX) {
        *field = key ? key : "(document)";
        return true; /* deeper than any credentials document: refuse */
    }
    switch (json_object_get_type(o)) {
    case json_type_string:
        if (strlen(json_object_get_string(o)) !=
            (size_t)json_object_get_string_len(o)) {
            *field = key ? key : "(document)";
            return true;
        }
        return false;
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(o); i++)
            if (has_nul(json_object_array_get_idx(o, i), depth + 1, key, field))
                return true;
        return false;
    case json_type_object: {
        json_object_object_foreach(o, k, val)
        {
            if (has_nul(val, depth + 1, depth == 0 ? k : key, field))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

/* The tokener's scratch buffer still holds the last string it parsed
 * (often the session token). json-c declares the struct in its public
 * header; its pb member has been there since 0.10. */
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
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

void rdsiam__json_free(rdsiam__json *j)
{
    if (!j)
        return;
    if (j->root) {
        wipe_tree(j->root, 0);
        json_object_put(j->root);
    }
    free(j);
}

int rdsiam__json_parse(const char *text, size_t len, const char *what,
                       const char *noun, int code, rdsiam__json **out,
                       rdsiam_error *err)
{
    struct json_tokener *tok = NULL;
    rdsiam__json *j = NULL;
    const char *field = NULL;
    bool nul;
    size_t end;
    int rc = RDSIAM_OK;

    *out = NULL;
    j = calloc(1, sizeof *j);
    RDSIAM_ENSURE(err, j, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    snprintf(j->what, sizeof j->what, "%s", what);
    snprintf(j->noun, sizeof j->noun, "%s", noun);
    j->code = code;
    RDSIAM_ENSURE(err, len <= INT_MAX, code, "%s: %s is too large", what, noun);
    tok = json_tokener_new();
    RDSIAM_ENSURE(err, tok, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    /* botocore's json.loads: no comments, single quotes, trailing commas */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    j->root = json_tokener_parse_ex(tok, text, (int)len);
    end = json_tokener_get_parse_end(tok);
    RDSIAM_ENSURE(err,
                  j->root &&
                      json_tokener_get_error(tok) == json_tokener_success &&
                      end <= len && only_space(text + end, len - end),
                  code, "%s: %s is not valid JSON", what, noun);
    RDSIAM_ENSURE(err, json_object_is_type(j->root, json_type_object), code,
                  "%s: %s is not a JSON object", what, noun);
    nul = has_nul(j->root, 0, NULL, &field);
    RDSIAM_ENSURE(err, !nul, code,
                  "%s: %s in %s contains a NUL character (\\u0000)", what,
                  field, noun);
    j->obj = j->root;
    *out = j;
    j = NULL;
    rdsiam__ok(err);
done:
    tokener_free(tok);
    rdsiam__json_free(j);
    return rc;
}

static struct json_object *member(const rdsiam__json *j, const char *name)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(j->obj, name, &v) ||
        json_object_is_type(v, json_type_null))
        return NULL;
    return v;
}

bool rdsiam__json_has(const rdsiam__json *j, const char *name)
{
    return member(j, name) != NULL;
}

int rdsiam__json_string(const rdsiam__json *j, const char *name, bool required,
                        const char **out, rdsiam_error *err)
{
    struct json_object *v = member(j, name);
    int rc = RDSIAM_OK;

    *out = NULL;
    RDSIAM_ENSURE(err, v || !required, j->code, "%s: %s has no %s", j->what,
                  j->noun, name);
    RDSIAM_ENSURE(err, !v || json_object_is_type(v, json_type_string), j->code,
                  "%s: %s is not a string", j->what, name);
    *out = v ? json_object_get_string(v) : NULL;
    rdsiam__ok(err);
done:
    return rc;
}

int rdsiam__json_int(const rdsiam__json *j, const char *name, int64_t *out,
                     rdsiam_error *err)
{
    struct json_object *v = member(j, name);
    int rc = RDSIAM_OK;

    *out = 0;
    RDSIAM_ENSURE(err, v, j->code, "%s: %s has no %s", j->what, j->noun, name);
    RDSIAM_ENSURE(err, json_object_is_type(v, json_type_int), j->code,
                  "%s: %s is not an integer", j->what, name);
    *out = json_object_get_int64(v);
    rdsiam__ok(err);
done:
    return rc;
}

int rdsiam__json_object(const rdsiam__json *j, const char *name,
                        rdsiam__json **out, rdsiam_error *err)
{
    struct json_object *v = member(j, name);
    rdsiam__json *sub = NULL;
    int rc = RDSIAM_OK;

    *out = NULL;
    RDSIAM_ENSURE(err, v, j->code, "%s: %s has no %s", j->what, j->noun, name);
    RDSIAM_ENSURE(err, json_object_is_type(v, json_type_object), j->code,
                  "%s: %s is not an object", j->what, name);
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
    RDSIAM_ENSURE(err, time_ok, j->code,
                  "%s: %s is not an ISO-8601 time", j->what, f->expiration);
    RDSIAM_GUARD(rdsiam__creds_set(out, ak, sk, st, j->what, err));
    out->expires = exp != NULL;
    out->expiration = t;
    rdsiam__ok(err);
done:
    return rc;
}
