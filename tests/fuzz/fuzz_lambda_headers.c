/*
 * fuzz_lambda_headers.c - the Lambda bootstrap's reading of the headers
 * of GET .../runtime/invocation/next (examples/lambda/invocation.c), on
 * arbitrary header lines.
 *
 * Input: header lines separated by "\n" (each handed over with its "\n",
 * as libcurl does).
 * Properties: no crash or sanitizer report; the id is always a string
 * within its buffer; an invocation taken as answerable has exactly one id
 * header, a positive deadline and an id that is a UUID by a check written
 * apart from the runtime's (36 characters, hyphens at 8, 13, 18 and 23,
 * hexadecimal digits elsewhere), and the runtime's id check agrees with
 * that one on every id it was given.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz.h"

/* The example's own source: it is not part of the library. */
#include "../../examples/lambda/invocation.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int uuid_oracle(const char *id)
{
    static const char hex[] = "0123456789abcdefABCDEF";

    if (strlen(id) != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        int hyphen = i == 8 || i == 13 || i == 18 || i == 23;

        if (hyphen ? id[i] != '-' : !strchr(hex, id[i]) || !id[i])
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct invocation inv;
    const char *p = (const char *)data, *end = p + size;

    memset(&inv, 0, sizeof inv);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

        runtime_header(&inv, p, len);
        FUZZ_CHECK(strnlen(inv.id, sizeof inv.id) < sizeof inv.id);
        FUZZ_CHECK(runtime_request_id_valid(inv.id) == uuid_oracle(inv.id));
        p += len;
    }
    if (runtime_invocation_ok(&inv)) {
        FUZZ_CHECK(inv.id_headers == 1);
        FUZZ_CHECK(inv.deadline_ms > 0);
        FUZZ_CHECK(uuid_oracle(inv.id));
    }
    return 0;
}
