/*
 * fuzz_generate_token.c - rdsiam_generate_token_ex() and
 * rdsiam_generate_dsql_token() with fuzzed parameters and credentials.
 *
 * Input: port (2 bytes), signing time (5 bytes), a flags byte, then
 * NUL-separated hostname, username, region, access key id, secret and
 * session token (a missing field is NULL).
 *
 * Properties: no crash or sanitizer report; the size query and the real
 * call agree; on success the token has exactly needed - 1 bytes and starts
 * with the hostname; one byte too few gives RDSIAM_ERR_BUFFER_TOO_SMALL
 * and an empty buffer; on any failure the buffer holds "" (never a
 * partial token).
 *
 * SPDX-License-Identifier: MIT
 */
#include <rdsiam.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_token(int rc, const char *buf, size_t bufsize,
                        size_t needed, const char *host)
{
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(needed == strlen(buf) + 1 && needed <= bufsize);
        FUZZ_CHECK(strncmp(buf, host, strlen(host)) == 0);
    } else if (bufsize) {
        FUZZ_CHECK(buf[0] == '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader r = {data, size};
    rdsiam_token_params tp;
    rdsiam_dsql_params dp;
    rdsiam_credentials c;
    rdsiam_error err;
    unsigned flags;
    char *f[6];
    char *buf = NULL;
    size_t needed = 0, n2 = 0;
    int rc;

    memset(&tp, 0, sizeof tp);
    memset(&dp, 0, sizeof dp);
    memset(&c, 0, sizeof c);
    tp.port = (unsigned int)fuzz_uint(&r, 2);
    /* 0 means "now"; otherwise 1..2^40 s, past the year 9999 too. */
    tp.signing_time = (int64_t)fuzz_uint(&r, 5);
    flags = (unsigned)fuzz_uint(&r, 1);
    for (int i = 0; i < 6; i++)
        f[i] = fuzz_str(&r);
    tp.hostname = f[0];
    tp.username = f[1];
    tp.region = f[2];
    c.access_key_id = f[3];
    c.secret_access_key = f[4];
    c.session_token = f[5];

    rc = rdsiam_generate_token_ex(&tp, &c, NULL, 0, &needed, &err);
    if (rc == RDSIAM_ERR_BUFFER_TOO_SMALL) {
        FUZZ_CHECK(needed > 1);
        buf = malloc(needed);
        if (buf) {
            rc = rdsiam_generate_token_ex(&tp, &c, buf, needed - 1, &n2, &err);
            FUZZ_CHECK(rc == RDSIAM_ERR_BUFFER_TOO_SMALL && n2 == needed);
            FUZZ_CHECK(needed - 1 == 0 || buf[0] == '\0');
            rc = rdsiam_generate_token_ex(&tp, &c, buf, needed, &n2, &err);
            FUZZ_CHECK(rc == RDSIAM_OK && n2 == needed);
            check_token(rc, buf, needed, n2, tp.hostname);
        }
    } else {
        FUZZ_CHECK(rc != RDSIAM_OK);
        FUZZ_CHECK(err.code == rc && err.message[0] != '\0');
    }
    free(buf);
    buf = NULL;

    /* The same inputs as a DSQL token. */
    dp.hostname = tp.hostname;
    dp.region = tp.region;
    dp.signing_time = tp.signing_time;
    dp.action = (rdsiam_dsql_action)(flags & 3);
    dp.expires_in = (int64_t)(tp.port * 16u);
    needed = 0;
    rc = rdsiam_generate_dsql_token(&dp, &c, NULL, 0, &needed, &err);
    if (rc == RDSIAM_ERR_BUFFER_TOO_SMALL && (buf = malloc(needed)) != NULL) {
        rc = rdsiam_generate_dsql_token(&dp, &c, buf, needed, &n2, &err);
        FUZZ_CHECK(rc == RDSIAM_OK);
        check_token(rc, buf, needed, n2, dp.hostname);
    }
    free(buf);
    for (int i = 0; i < 6; i++)
        free(f[i]);
    return 0;
}
