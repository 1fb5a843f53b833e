/*
 * fuzz_container_json.c - rdsiam__container_parse() on arbitrary bodies,
 * as a credential endpoint could send them.
 *
 * Properties: it never crashes or leaks; on success every field is set and
 * passes the signer's own credential checks, with an expiration in the
 * future; on failure nothing is handed out.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "source_container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    rdsiam__creds c;
    rdsiam_credentials view;
    int rc;

    if (!s)
        return 0;
    rc = rdsiam__container_parse(s, size, &c, NULL);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(c.access_key_id && c.secret_access_key && c.session_token);
        view = rdsiam__creds_view(&c);
        FUZZ_CHECK(rdsiam__check_credentials(&view, NULL) == RDSIAM_OK);
        FUZZ_CHECK(
            rdsiam__akid_form_ok(c.access_key_id, strlen(c.access_key_id)));
        FUZZ_CHECK(c.expires && c.expiration > rdsiam__now());
        rdsiam__creds_clear(&c);
    } else {
        /* No allocation fails under the fuzzer: NO_MEMORY would mean
         * the JSON reader ran out of room it had sized for the text. */
        FUZZ_CHECK(rc < 0 && rc != RDSIAM_ERR_NO_MEMORY);
        FUZZ_CHECK(!c.access_key_id && !c.secret_access_key &&
                   !c.session_token);
    }
    free(s);
    return 0;
}
