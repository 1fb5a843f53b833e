/*
 * vectors.h - reading the JSON test vectors in tests/vectors/ (json-c):
 * a file, and the fields of one entry.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_VECTORS_H
#define RDSIAM_TEST_VECTORS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

/* tests/vectors/<rel>, parsed (free with json_object_put); fails the test
 * when it cannot be read. Tests run from the repository root. */
json_object *vectors_load(const char *rel);
/* A string field; NULL when it is null or missing. */
const char *vectors_str(json_object *o, const char *key);
/* An integer or boolean field; 0 when missing. */
int64_t vectors_int(json_object *o, const char *key);
/* A "YYYYMMDDTHHMMSSZ" field as seconds since the epoch; fails the test
 * when it is not one. */
int64_t vectors_time(json_object *o, const char *key);

#endif
