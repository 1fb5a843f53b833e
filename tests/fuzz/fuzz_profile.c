/*
 * fuzz_profile.c - the shared config / credentials file parser
 * (rdsiam__profile_parse) on arbitrary text.
 *
 * Input: one byte choosing the file kind (config or credentials), then the
 * file text, parsed twice into one set (as config and credentials files
 * merge).
 *
 * Properties: no crash, leak or sanitizer report; a failure is
 * RDSIAM_ERR_CONFIG_PARSE with a message naming the file; every profile
 * the set holds is found again by its name, and each of its properties by
 * its key.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_set(const rdsiam__profile_set *set)
{
    for (size_t i = 0; i < set->profiles.n; i++) {
        const rdsiam__profile *p = &set->profiles.items[i];

        FUZZ_CHECK(p->name != NULL);
        FUZZ_CHECK(rdsiam__profile_find(set, p->name) != NULL);
        for (size_t k = 0; k < p->nprops; k++)
            FUZZ_CHECK(rdsiam__profile_prop_get(p, p->props[k].key) != NULL);
    }
}

static void parse_once(rdsiam__profile_set *set, const char *text,
                       size_t len, rdsiam__profile_file kind)
{
    rdsiam_error err;
    int rc = rdsiam__profile_parse(set, text, len, kind, "fuzz-file", &err);

    if (rc != RDSIAM_OK) {
        FUZZ_CHECK(rc == RDSIAM_ERR_CONFIG_PARSE || rc == RDSIAM_ERR_NO_MEMORY);
        FUZZ_CHECK(err.code == rc);
        FUZZ_CHECK(rc == RDSIAM_ERR_NO_MEMORY ||
                   strstr(err.message, "fuzz-file") != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rdsiam__profile_set set;
    rdsiam__profile_file kind;

    if (size < 1)
        return 0;
    kind = (data[0] & 1) ? RDSIAM__PROFILE_CREDENTIALS : RDSIAM__PROFILE_CONFIG;
    rdsiam__profile_set_init(&set);
    parse_once(&set, (const char *)data + 1, size - 1, kind);
    check_set(&set);
    parse_once(&set, (const char *)data + 1, size - 1,
               kind == RDSIAM__PROFILE_CONFIG ? RDSIAM__PROFILE_CREDENTIALS
                                              : RDSIAM__PROFILE_CONFIG);
    check_set(&set);
    rdsiam__profile_set_free(&set);
    return 0;
}
