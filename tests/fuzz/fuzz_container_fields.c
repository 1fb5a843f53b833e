/*
 * fuzz_container_fields.c - the container answer parser
 * (rdsiam__container_parse) with the field values under the fuzzer's
 * control, in a document that is otherwise well-formed: the truncation
 * oracle fuzz_container_json cannot have, since there the fuzzer writes
 * the whole body and nothing says what a value should be.
 *
 * Input: four fields, NUL-separated (AccessKeyId, SecretAccessKey, Token,
 * Expiration), written as JSON strings with every ASCII byte as a \u00XX
 * escape and other bytes raw; byte 0x01 stands for NUL (\u0000), so a
 * NUL can reach the middle of a value.
 * Properties: no crash, leak or sanitizer report; on success the access
 * key id, the secret and the token are exactly the fields given, byte for
 * byte and at full length (a field holding a NUL has no C-string form, so
 * accepting it at all is a truncation); on failure nothing is handed out.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "fuzz.h"
#include "internal.h"
#include "source.h"
#include "source_container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct field {
    const uint8_t *p;
    size_t n;
} field;

static void split(const uint8_t *data, size_t size, field out[4])
{
    for (int i = 0; i < 4; i++) {
        const uint8_t *z = size ? memchr(data, 0, size) : NULL;
        size_t n = z ? (size_t)(z - data) : size;
        out[i].p = data;
        out[i].n = n;
        data += z ? n + 1 : n;
        size -= z ? n + 1 : n;
    }
}

/* Append the field as a JSON string to buf (cap bytes) at *o; buf is
 * large enough: at most 6 bytes per input byte plus quotes. */
static void put(char *buf, size_t cap, size_t *o, const field *f)
{
    buf[(*o)++] = '"';
    for (size_t i = 0; i < f->n; i++) {
        uint8_t c = f->p[i] == 0x01 ? 0 : f->p[i];
        if (c < 0x80)
            *o += (size_t)snprintf(buf + *o, cap - *o, "\\u%04x", c);
        else
            buf[(*o)++] = (char)c;
    }
    buf[(*o)++] = '"';
}

static bool same(const char *got, const field *want)
{
    if (memchr(want->p, 0x01, want->n))
        return false;
    return got && strlen(got) == want->n && memcmp(got, want->p, want->n) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[4] = {"AccessKeyId", "SecretAccessKey",
                                         "Token", "Expiration"};
    rdsiam__creds c;
    rdsiam_error err;
    field f[4];
    char *body;
    size_t o = 0, cap;
    int rc;

    if (size > 32768)
        return 0;
    split(data, size, f);
    cap = 6 * size + 256;
    body = malloc(cap);
    if (!body)
        return 0;
    o += (size_t)snprintf(body, cap, "{\"Code\": \"Success\"");
    for (int i = 0; i < 4; i++) {
        o += (size_t)snprintf(body + o, cap - o, ", \"%s\": ", names[i]);
        put(body, cap, &o, &f[i]);
    }
    body[o++] = '}';
    body[o] = '\0';

    memset(&c, 0x5a, sizeof c);
    rc = rdsiam__container_parse(body, o, &c, &err);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(same(c.access_key_id, &f[0]));
        FUZZ_CHECK(same(c.secret_access_key, &f[1]));
        /* An empty Token is no token (rdsiam__creds_set, lib/source.c;
         * botocore's signer likewise skips a falsy token). */
        FUZZ_CHECK(f[2].n == 0 ? c.session_token == NULL
                               : same(c.session_token, &f[2]));
        rdsiam__creds_clear(&c);
    } else {
        FUZZ_CHECK(rc < 0 && err.code == rc);
        FUZZ_CHECK(!c.access_key_id && !c.secret_access_key &&
                   !c.session_token);
    }
    free(body);
    return 0;
}
