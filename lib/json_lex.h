/*
 * json_lex.h - the lexical rules of RFC 8259 that cJSON (and json-c's
 * strict mode before it) does not enforce. Internal.
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
 * false and null; structural characters and JSON whitespace. cJSON 1.7
 * accepts leading zeros and raw control characters in strings (json-c 0.16
 * with JSON_TOKENER_STRICT also single-quoted keys, NaN, Infinity and
 * "1."); run this first, then json.c checks the structure. Nesting is not
 * checked here.
 */
bool rdsiam__json_lex_ok(const char *s, size_t n);

#endif /* RDSIAM_JSON_LEX_H */
