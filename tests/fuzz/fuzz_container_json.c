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

#include "internal.h"
#include "source_container.h"

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            __builtin_trap();                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    rdsiam__creds c;
    rdsiam_credentials view;
    int rc;

    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    rc = rdsiam__container_parse(s, size, &c, NULL);
    if (rc == RDSIAM_OK) {
        CHECK(c.access_key_id && c.secret_access_key && c.session_token);
        view = rdsiam__creds_view(&c);
        CHECK(rdsiam__check_credentials(&view, NULL) == RDSIAM_OK);
        CHECK(rdsiam__akid_form_ok(c.access_key_id, strlen(c.access_key_id)));
        CHECK(c.expires && c.expiration > rdsiam__now());
        rdsiam__creds_clear(&c);
    } else {
        /* No allocation fails under the fuzzer: NO_MEMORY would mean
         * cJSON refused a text the reader's own checks passed. */
        CHECK(rc < 0 && rc != RDSIAM_ERR_NO_MEMORY);
        CHECK(!c.access_key_id && !c.secret_access_key && !c.session_token);
    }
    free(s);
    return 0;
}
