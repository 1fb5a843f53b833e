/*
 * fuzz_parse_time.c - rdsiam__parse_time() on arbitrary strings.
 *
 * Properties: it never crashes; whatever it accepts lies in
 * 0..RDSIAM__TIME_MAX, and formatting that instant as X-Amz-Date
 * ("YYYYMMDDTHHMMSSZ") and parsing it again gives the same instant.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    char again[17];
    int64_t t = -1, t2 = -1;

    if (!s)
        return 0;
    if (rdsiam__parse_time(s, &t) == 0) {
        FUZZ_CHECK(t >= 0 && t <= RDSIAM__TIME_MAX);
        rdsiam__amz_date(again, t);
        FUZZ_CHECK(rdsiam__parse_time(again, &t2) == 0 && t2 == t);
    }
    free(s);
    return 0;
}
