/*
 * skip_program.c - a whole test program reported skipped (skip_program.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "skip_program.h"

static void skipped(void **state)
{
    print_message("skipped: %s\n", (const char *)*state);
    skip();
}

int skip_program(const char *name, const char *reason)
{
    struct CMUnitTest tests[] = {cmocka_unit_test(skipped)};

    tests[0].name = name;
    tests[0].initial_state = (void *)(uintptr_t)reason;
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
