/*
 * json_lex.h - the JSON recognizer: RFC 8259's grammar over the caller's
 * text, recording where each value and member name is, and the decoder
 * of its strings. Internal; the reader on top of it is json.c
 * (json_reader.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_JSON_LEX_H
#define RDSIAM_JSON_LEX_H

#include "internal.h"

/* Nesting allowed: the depth the reader has always had (json-c's default);
 * a credentials document nests two levels at most. */
#define RDSIAM__JSON_DEPTH_MAX 32
/* Longest number: no credentials document has a longer one, and the
 * integer reader (json.c) works on a bounded text. */
#define RDSIAM__JSON_NUMBER_MAX 63

typedef enum rdsiam__json_type {
    RDSIAM__JSON_OBJECT = 1,
    RDSIAM__JSON_ARRAY,
    RDSIAM__JSON_STRING, /* a value or a member name */
    RDSIAM__JSON_NUMBER,
    RDSIAM__JSON_TRUE,
    RDSIAM__JSON_FALSE,
    RDSIAM__JSON_NULL
} rdsiam__json_type;

/*
 * One token: a value or a member name, in document order. An object's
 * tokens follow it: each member's name, then its value's tokens. Offsets
 * fit 32 bits: the reader takes texts up to INT_MAX bytes.
 */
typedef struct rdsiam__json_tok {
    uint32_t start, end; /* its bytes [start, end): a string's with quotes */
    uint32_t next;       /* the index just past it and everything inside */
    uint32_t text;       /* json.c's: 1 + where its decoded text is; 0: not
                          * decoded yet */
    uint8_t type;        /* rdsiam__json_type */
} rdsiam__json_tok;

/* What the recognizer found besides the tokens. */
typedef struct rdsiam__json_lexed {
    size_t count;  /* tokens in the text */
    size_t nul_at; /* offset of the first \u0000 escape; SIZE_MAX: none */
} rdsiam__json_lexed;

/*
 * true when the n bytes at s are one JSON text under RFC 8259 and the
 * reader's limits: well-formed UTF-8; one value with only JSON whitespace
 * (space, tab, LF, CR) around it; strings in double quotes with no raw
 * control character, only the escapes \" \\ \/ \b \f \n \r \t \uXXXX and
 * no lone UTF-16 surrogate (RFC 8259 8.2); numbers as the RFC's grammar
 * (no "1.", ".5", "01", "+1", NaN or Infinity), at most
 * RDSIAM__JSON_NUMBER_MAX characters; the literals true, false and null;
 * no comments, single quotes or trailing commas; containers nested at
 * most RDSIAM__JSON_DEPTH_MAX deep. Any value may be the top one.
 *
 * toks NULL: count only. Otherwise the tokens are written to toks, which
 * has room for cap of them (false when it has not). Allocates nothing;
 * recursion is bounded by the depth limit.
 */
bool rdsiam__json_lex(const char *s, size_t n, rdsiam__json_tok *toks,
                      size_t cap, rdsiam__json_lexed *out);

/*
 * Decode the n bytes between the quotes of a string token that
 * rdsiam__json_lex() accepted into out, which has room for n bytes (no
 * escape decodes to more bytes than it is written with); the decoded
 * length. out is not NUL-terminated here.
 */
size_t rdsiam__json_decode(const char *s, size_t n, char *out);

#endif /* RDSIAM_JSON_LEX_H */
