/*
 * json_lex.h - the lexical rules of RFC 8259 that json-c's strict mode
 * does not enforce. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_JSON_LEX_H
#define RDSIAM_JSON_LEX_H

#include "internal.h"

/*
 * true when the n bytes at s are well-formed UTF-8 made only of RFC 8259
 * tokens: strings in double quotes with no raw control character and only
 * the escapes \" \\ \/ \b \f \n \r \t \uXXXX; numbers as the RFC's grammar
 * (no "1.", no leading zeros, no NaN or Infinity); the literals true,
 * false and null; structural characters and JSON whitespace. json-c 0.16
 * with JSON_TOKENER_STRICT still accepts single-quoted keys, NaN,
 * Infinity, "1." and raw control characters in strings; run this first,
 * and let json-c check the structure. Nesting is not checked here.
 */
bool rdsiam__json_lex_ok(const char *s, size_t n);

struct json_object;

/* Results of rdsiam__json_parse_strict. */
enum { RDSIAM__JSON_OK = 0, RDSIAM__JSON_SYNTAX = 1, RDSIAM__JSON_NUL = 2 };

/*
 * Parse len bytes as one strict JSON document: rdsiam__json_lex_ok, then
 * json-c with JSON_TOKENER_STRICT, nothing but whitespace after it.
 * Returns RDSIAM__JSON_OK and *root (release with rdsiam__json_put_wiped);
 * RDSIAM__JSON_SYNTAX (malformed, truncated, too large or out of memory);
 * RDSIAM__JSON_NUL when a string value holds a NUL ("\u0000" would cut a C
 * string short) or the tree is deeper than 64. *root is NULL on failure;
 * the tokener's buffer is wiped either way.
 */
int rdsiam__json_parse_strict(const char *body, size_t len,
                              struct json_object **root);

/* Wipe every string in the tree (json-c's copies of secrets), then free it.
 * NULL is fine. */
void rdsiam__json_put_wiped(struct json_object *root);

#endif /* RDSIAM_JSON_LEX_H */
