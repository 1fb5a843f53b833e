/*
 * fuzz_sts_xml.c - rdsiam__sts_parse() and rdsiam__sts_retryable_code() on
 * arbitrary bodies, as an STS endpoint could send them. The first byte
 * picks the HTTP status and the action; the rest is the body.
 *
 * Properties: it never crashes or leaks; on success every field is set and
 * passes the signer's own credential checks, with an expiration in the
 * future, and the status was 2xx; on failure nothing is handed out and the
 * code is negative.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The fuzz build links the HTTP=yes library but does not pass the
 * library's -DRDSIAM_HTTP to this file. */
#ifndef RDSIAM_HTTP
#define RDSIAM_HTTP 1
#endif

#include "fuzz.h"
#include "internal.h"
#include "sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if RDSIAM_HTTP
    static const long statuses[4] = {200, 400, 403, 503};
    static const char *const actions[2] = {"AssumeRole",
                                           "AssumeRoleWithWebIdentity"};
    rdsiam__creds c;
    rdsiam_credentials v;
    rdsiam_error e;
    long status;
    const char *action;
    char *s;
    int rc;

    if (size < 1)
        return 0;
    status = statuses[data[0] & 3];
    action = actions[(data[0] >> 2) & 1];
    data++;
    size--;
    s = fuzz_text(data, size);
    if (!s)
        return 0;
    rc = rdsiam__sts_parse(action, status, s, size, &c, &e);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(status == 200);
        FUZZ_CHECK(c.access_key_id && c.secret_access_key && c.session_token);
        v = rdsiam__creds_view(&c);
        FUZZ_CHECK(rdsiam__check_credentials(&v, NULL) == RDSIAM_OK);
        FUZZ_CHECK(c.expiration > rdsiam__now());
        rdsiam__creds_clear(&c);
    } else {
        FUZZ_CHECK(rc < 0 && e.code == rc);
        FUZZ_CHECK(memchr(e.message, '\0', sizeof e.message) != NULL);
        FUZZ_CHECK(!c.access_key_id && !c.secret_access_key &&
                   !c.session_token);
    }
    (void)rdsiam__sts_retryable_code(s, size);
    free(s);
#else
    (void)data;
    (void)size;
#endif
    return 0;
}
