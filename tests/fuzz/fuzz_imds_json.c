/*
 * fuzz_imds_json.c - rdsiam__imds_parse() on arbitrary bodies, as an
 * instance metadata endpoint could send them.
 *
 * Properties: it never crashes or leaks; on success every field is set,
 * passes the signer's own credential checks, the key id is [A-Z0-9]{16,128}
 * and the expiration is in the future (extended when IMDS sent one that is
 * near or past); on failure nothing is handed out.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "source_imds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    rdsiam__creds c;
    rdsiam_credentials v;
    size_t i, n;
    int rc;

    if (!s)
        return 0;
    rc = rdsiam__imds_parse(s, size, &c, NULL);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(c.access_key_id && c.secret_access_key && c.session_token);
        v = rdsiam__creds_view(&c);
        FUZZ_CHECK(rdsiam__check_credentials(&v, NULL) == RDSIAM_OK);
        n = strlen(c.access_key_id);
        FUZZ_CHECK(n >= 16 && n <= 128);
        for (i = 0; i < n; i++)
            FUZZ_CHECK(
                (c.access_key_id[i] >= 'A' && c.access_key_id[i] <= 'Z') ||
                (c.access_key_id[i] >= '0' && c.access_key_id[i] <= '9'));
        FUZZ_CHECK(c.expiration > rdsiam__now());
        rdsiam__creds_clear(&c);
    } else {
        FUZZ_CHECK(rc < 0);
        FUZZ_CHECK(!c.access_key_id && !c.secret_access_key &&
                   !c.session_token);
    }
    free(s);
    return 0;
}
