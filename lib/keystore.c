/*
 * keystore.c - the access keys a token verifier accepts, read from a file:
 *
 *   # comment
 *   ACCESS_KEY_ID SECRET_ACCESS_KEY [SESSION_TOKEN]
 *
 * Fields are separated by spaces or tabs; blank lines and lines whose first
 * non-blank character is '#' are ignored; a trailing CR is tolerated. The
 * file holds secrets, so the read buffer and every copy are wiped.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

/* Enough for a few hundred keys with long session tokens. */
#define KEYFILE_MAX (4u * 1024 * 1024)
#define KEYS_MAX 4096

struct rdsiam_keystore {
    size_t count;
    rdsiam__key *keys;
};

static void key_clear(rdsiam__key *k)
{
    rdsiam__free_secret_str(k->access_key_id);
    rdsiam__free_secret_str(k->secret_access_key);
    rdsiam__free_secret_str(k->session_token);
    memset(k, 0, sizeof *k);
}

void rdsiam_keystore_free(rdsiam_keystore *ks)
{
    if (!ks)
        return;
    for (size_t i = 0; i < ks->count; i++)
        key_clear(&ks->keys[i]);
    free(ks->keys);
    free(ks);
}

const rdsiam__key *rdsiam__keystore_find(const rdsiam_keystore *ks,
                                         const char *akid, size_t len)
{
    for (size_t i = 0; i < ks->count; i++)
        if (ks->keys[i].akid_len == len &&
            memcmp(ks->keys[i].access_key_id, akid, len) == 0)
            return &ks->keys[i];
    return NULL;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Split line[0..n) into at most 4 fields (4 meaning "too many"). */
static size_t split(char *line, size_t n, char *field[4])
{
    size_t nf = 0, i = 0;

    while (i < n && nf < 4) {
        while (i < n && is_blank(line[i]))
            i++;
        if (i == n)
            break;
        field[nf++] = line + i;
        while (i < n && !is_blank(line[i]))
            i++;
        if (i < n)
            line[i++] = '\0';
    }
    return nf;
}

/* Parse one non-comment line into k; errors name file and line only. */
static int parse_line(const char *path, size_t lineno, char *line, size_t n,
                      rdsiam__key *k, rdsiam_error *err)
{
    char *f[4];
    size_t nf;
    rdsiam_credentials c;
    int rc;

    line[n] = '\0';
    if (memchr(line, '\0', n))
        return rdsiam__fail(err, RDSIAM_ERR_KEYFILE, "%s:%zu: NUL byte", path,
                            lineno);
    nf = split(line, n, f);
    if (nf < 2 || nf > 3)
        return rdsiam__fail(err, RDSIAM_ERR_KEYFILE,
                            "%s:%zu: expected ACCESS_KEY_ID SECRET_ACCESS_KEY "
                            "[SESSION_TOKEN], found %s fields",
                            path, lineno, nf < 2 ? "fewer" : "more");
    memset(&c, 0, sizeof c);
    c.access_key_id = f[0];
    c.secret_access_key = f[1];
    c.session_token = nf == 3 ? f[2] : NULL;
    rc = rdsiam__check_credentials(&c, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "%s:%zu", path, lineno);
        if (err)
            err->code = RDSIAM_ERR_KEYFILE;
        return RDSIAM_ERR_KEYFILE;
    }
    k->access_key_id = rdsiam__strdup(f[0]);
    k->secret_access_key = rdsiam__strdup(f[1]);
    k->session_token = nf == 3 ? rdsiam__strdup(f[2]) : NULL;
    k->akid_len = strlen(f[0]);
    k->token_len = nf == 3 ? strlen(f[2]) : 0;
    if (!k->access_key_id || !k->secret_access_key ||
        (nf == 3 && !k->session_token))
        return rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY);
    return RDSIAM_OK;
}

static int parse(const char *path, char *text, size_t len, rdsiam_keystore *ks,
                 rdsiam_error *err)
{
    size_t lineno = 0, cap = 0;
    char *p = text, *end = text + len;
    int rc = RDSIAM_OK;

    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        size_t n = (size_t)(eol - p), i = 0;
        const rdsiam__key *dup;

        lineno++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        while (i < n && is_blank(p[i]))
            i++;
        if (i == n || p[i] == '#') {
            p = eol + (nl ? 1 : 0);
            continue;
        }
        if (ks->count == cap) {
            rdsiam__key *nk;
            RDSIAM_ENSURE(err, cap < KEYS_MAX, RDSIAM_ERR_KEYFILE,
                          "%s:%zu: more than %d keys", path, lineno, KEYS_MAX);
            cap = cap ? cap * 2 : 8;
            nk = realloc(ks->keys, cap * sizeof *nk);
            RDSIAM_ENSURE(err, nk, RDSIAM_ERR_NO_MEMORY, "out of memory");
            ks->keys = nk;
        }
        memset(&ks->keys[ks->count], 0, sizeof ks->keys[0]);
        ks->count++;
        /* The line ends at eol, which is '\n' or the NUL of the buffer:
         * parse_line may write its terminator there. */
        RDSIAM_GUARD(
            parse_line(path, lineno, p, n, &ks->keys[ks->count - 1], err));
        dup = rdsiam__keystore_find(ks, ks->keys[ks->count - 1].access_key_id,
                                    ks->keys[ks->count - 1].akid_len);
        RDSIAM_ENSURE(err, dup == &ks->keys[ks->count - 1], RDSIAM_ERR_KEYFILE,
                      "%s:%zu: access key id already given on an earlier line",
                      path, lineno);
        p = eol + (nl ? 1 : 0);
    }
    RDSIAM_ENSURE(err, ks->count > 0, RDSIAM_ERR_KEYFILE, "%s: no keys", path);
done:
    return rc;
}

int rdsiam_keystore_load(const char *path, rdsiam_keystore **out,
                         rdsiam_error *err)
{
    rdsiam__buf b;
    rdsiam_keystore *ks = NULL;
    int rc = RDSIAM_OK;

    rdsiam__buf_init(&b, KEYFILE_MAX);
    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT, "output pointer is NULL");
    *out = NULL;
    RDSIAM_ENSURE(err, path && *path, RDSIAM_ERR_NULL_ARGUMENT,
                  "key file path is %s", path ? "empty" : "NULL");
    RDSIAM_GUARD(rdsiam__file_read(path, path, KEYFILE_MAX, RDSIAM_ERR_KEYFILE,
                                   0, &b, NULL, err));
    RDSIAM_ENSURE(err, b.len > 0, RDSIAM_ERR_KEYFILE, "%s: empty file", path);
    ks = calloc(1, sizeof *ks);
    RDSIAM_ENSURE(err, ks, RDSIAM_ERR_NO_MEMORY, "out of memory");
    RDSIAM_GUARD(parse(path, b.data, b.len, ks, err));
    *out = ks;
    ks = NULL;
    rdsiam__ok(err);
done:
    rdsiam_keystore_free(ks);
    rdsiam__buf_free(&b);
    return rc;
}
