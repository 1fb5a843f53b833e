/*
 * token_checks.h - what the tests of the token calls share: a provider
 * around a counting source, and the check of a refused call.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_TOKEN_CHECKS_H
#define RDSIAM_TEST_TOKEN_CHECKS_H

#include <stddef.h>

#include "rdsiam.h"

/* A source that hands out creds (borrowed), or fails with fail_rc when it
 * is not 0, and counts its fetches. */
typedef struct counting_source {
    rdsiam_credentials creds;
    int fail_rc;
    int fetches;
} counting_source;

/* A caching provider around c (which must outlive it) whose region is
 * region; fails the test if it cannot be made. */
rdsiam_provider *counting_provider(counting_source *c, const char *region);

/* A token call refused as the token calls promise: rc and err->code are
 * code, err's message names word and does not hold secret, buf holds ""
 * and *needed was set to 0. Fails the test otherwise. */
void expect_refused(int rc, int code, const rdsiam_error *err, const char *word,
                    const char *secret, const char *buf, size_t needed);

#endif
