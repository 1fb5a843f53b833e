/*
 * skip_program.h - a test program whose whole subject is missing from this
 * build (HTTP=no: no libcurl, so no HTTP client, no STS) reports itself
 * skipped, with the reason, the way cmocka reports a skipped test: the
 * runner (tests/run-tests.sh) counts the "[  SKIPPED ]" line, where a
 * program that printed no result at all would count as failed.
 *
 *     int main(void)
 *     {
 *     #if RDSIAM_HTTP
 *         ... the tests ...
 *     #else
 *         return skip_program("test_http", "built with HTTP=no: no HTTP");
 *     #endif
 *     }
 */
#ifndef TESTS_SKIP_PROGRAM_H
#define TESTS_SKIP_PROGRAM_H

/* Runs one cmocka group named `name` with one test that prints `reason`
 * and skips; returns what cmocka returns (0: nothing failed). */
int skip_program(const char *name, const char *reason);

#endif
