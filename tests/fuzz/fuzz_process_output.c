/*
 * fuzz_process_output.c - the credential_process output parser, reached
 * the way a real program reaches it: the fuzz input is written to a file
 * and the credential process is `/bin/cat FILE`.
 *
 * Input: first byte selects the mode.
 *   even: raw output, taken as is.
 *   odd:  four fields, NUL-separated (AccessKeyId, SecretAccessKey,
 *         SessionToken, Expiration), which this target writes as a
 *         well-formed Version 1 document with every ASCII byte as a \u00XX
 *         escape; byte 0x01 stands for NUL (written \u0000), so a NUL can
 *         reach the middle of a field.
 * Properties: no crash, leak or sanitizer report; a failure is one of the
 * process errors and hands nothing out; a success hands out an access key
 * id and a secret, and in the structured mode the values are exactly the
 * fields given, byte for byte and at full length: a value that comes out
 * shorter than it went in (a NUL truncating it) is a finding.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "internal.h"
#include "process.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static char command[96];

/* Append s[0..n) as a JSON string: ASCII bytes as \u00XX escapes (so NUL
 * and every control character can be written), other bytes raw (a \u00XX
 * escape would mean a code point, two bytes in UTF-8, not the byte). */
static void put_escaped(FILE *f, const uint8_t *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == 0x01)
            fputs("\\u0000", f);
        else if (s[i] < 0x80)
            fprintf(f, "\\u%04x", s[i]);
        else
            fputc(s[i], f);
    }
    fputc('"', f);
}

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

/* got is exactly the field. A field holding a NUL (0x01 in the input)
 * has no C-string form: accepting it at all means it was truncated. */
static bool same(const char *got, const field *want)
{
    if (memchr(want->p, 0x01, want->n))
        return false;
    return got && strlen(got) == want->n && memcmp(got, want->p, want->n) == 0;
}

/* The process's output file goes when the fuzzer exits (libFuzzer ends
 * with exit(), which runs this). */
static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rdsiam__creds c;
    rdsiam_error err;
    field fld[4];
    bool structured;
    FILE *f;
    int rc;

    if (size == 0 || size > 32768)
        return 0;
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/rdsiam-fuzz-process-%ld",
                 (long)getpid());
        snprintf(command, sizeof command, "/bin/cat %s", path);
        atexit(remove_file);
    }
    structured = data[0] & 1;
    f = fopen(path, "wb");
    if (!f)
        return 0;
    if (structured) {
        static const char *const names[4] = {"AccessKeyId", "SecretAccessKey",
                                             "SessionToken", "Expiration"};
        split(data + 1, size - 1, fld);
        fputs("{\"Version\": 1", f);
        for (int i = 0; i < 4; i++) {
            fprintf(f, ", \"%s\": ", names[i]);
            put_escaped(f, fld[i].p, fld[i].n);
        }
        fputs("}\n", f);
    } else {
        fwrite(data + 1, 1, size - 1, f);
    }
    fclose(f);

    memset(&c, 0x5a, sizeof c);
    rc = rdsiam__process_credentials(command, 10000, "fuzz", &c, &err);
    if (rc == RDSIAM_OK) {
        /* The source hands values on; the provider checks them as
         * credentials (check_fresh). What must hold here is that nothing
         * was lost on the way. */
        FUZZ_CHECK(c.access_key_id && c.secret_access_key);
        if (structured) {
            FUZZ_CHECK(same(c.access_key_id, &fld[0]));
            FUZZ_CHECK(same(c.secret_access_key, &fld[1]));
            /* an empty session token means none */
            FUZZ_CHECK(fld[2].n ? same(c.session_token, &fld[2])
                                : c.session_token == NULL ||
                                      *c.session_token == '\0');
        }
        rdsiam__creds_clear(&c);
    } else {
        FUZZ_CHECK(rc == RDSIAM_ERR_PROCESS_OUTPUT ||
                   rc == RDSIAM_ERR_PROCESS_FAILED ||
                   rc == RDSIAM_ERR_CREDENTIALS_EXPIRED ||
                   rc == RDSIAM_ERR_ACCESS_KEY_INVALID ||
                   rc == RDSIAM_ERR_SECRET_KEY_INVALID ||
                   rc == RDSIAM_ERR_SESSION_TOKEN_INVALID ||
                   rc == RDSIAM_ERR_NO_MEMORY);
        FUZZ_CHECK(err.code == rc);
        FUZZ_CHECK(!c.access_key_id && !c.secret_access_key &&
                   !c.session_token);
    }
    return 0;
}
