/*
 * json_reader.h - the one JSON reader and writer (json.c, on the
 * recognizer in json_lex.c), shared by every source that reads JSON
 * (container endpoints, credential_process, instance metadata, IAM
 * Identity Center, the sign-in service) and by the command-line tool's
 * json format. Credentials in a document: json_creds.h. Internal.
 *
 * Parsing is strict, as botocore's json.loads and stricter: RFC 8259's
 * grammar only (no single quotes, comments, trailing commas, NaN, leading
 * zeros or raw control characters), one value and only whitespace after
 * it, at most 32 levels of nesting, and it must be an object. A member
 * name given twice in any object is refused naming it; so is a lone UTF-16
 * surrogate. A string holding an escaped NUL (\u0000) anywhere in the
 * document is refused with an error naming its top-level field, since C
 * strings would silently cut it short. The reader works over the caller's
 * text without copying it; strings are decoded when asked for, into a
 * buffer of the document's that is wiped when the document is freed. An
 * allocation failure gives RDSIAM_ERR_NO_MEMORY. A document is used by one
 * thread at a time (reading a string decodes it into the document).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_JSON_READER_H
#define RDSIAM_JSON_READER_H

#include "internal.h"

/* A parsed JSON object. */
typedef struct rdsiam__json rdsiam__json;

/*
 * Parse len bytes of text. what prefixes every message ("container",
 * "credential_process for profile dev"), noun names the document ("the
 * answer", "output"); code is the error code for a
 * malformed document (RDSIAM_ERR_JSON, RDSIAM_ERR_PROCESS_OUTPUT, ...).
 * text is borrowed: it MUST stay unchanged until the document is freed.
 * *out is owned by the caller: rdsiam__json_free().
 */
int rdsiam__json_parse(const char *text, size_t len, const char *what,
                       const char *noun, int code, rdsiam__json **out,
                       rdsiam_error *err);

/* Wipe every string decoded from the document and free. NULL is fine. */
void rdsiam__json_free(rdsiam__json *j);

/*
 * The string member name of the object: *out borrowed from j (NULL when
 * absent or null and not required). Not a string, or absent when
 * required: an error with j's code naming the field ("%s: the answer has
 * no %s").
 */
int rdsiam__json_string(const rdsiam__json *j, const char *name, bool required,
                        const char **out, rdsiam_error *err);

/* Whether the object has the member name (null counts as absent). */
bool rdsiam__json_has(const rdsiam__json *j, const char *name);

/* The integer member name, exact up to 2^53 (1.0 reads as 1); absent,
 * not an integral number or beyond 2^53 is an error. */
int rdsiam__json_int(const rdsiam__json *j, const char *name, int64_t *out,
                     rdsiam_error *err);

/* The object member name as a view of its own into j's tree (valid while
 * j is; release the view with rdsiam__json_free, which then frees only the
 * view); absent or not an object is an error. */
int rdsiam__json_object(const rdsiam__json *j, const char *name,
                        rdsiam__json **out, rdsiam_error *err);

/* What the document's messages start with, and its error code, as given
 * to rdsiam__json_parse: for readers built on this one (json_creds.c). */
const char *rdsiam__json_what(const rdsiam__json *j);
int rdsiam__json_code(const rdsiam__json *j);

/* ------------------------------------------------------------------------ */
/* Writing (cache files written back, small request bodies)                 */
/* ------------------------------------------------------------------------ */

/* One member of an object to write: a string (string non-NULL, borrowed),
 * an integer (is_int; exact up to 2^53), or else an object of the n
 * members at members. */
typedef struct rdsiam__json_member {
    const char *name;
    const char *string;
    bool is_int;
    int64_t integer;
    const struct rdsiam__json_member *members;
    size_t n;
} rdsiam__json_member;

/*
 * Append an object as compact JSON text to out (a buffer the caller
 * initialised; its max bounds the text; rdsiam__buf_free wipes it). No
 * value is copied anywhere else: the text is measured, then written
 * straight into out, which grows once at most. With base (NULL: none):
 * base's members first, in base's order, each one that m also names taking
 * m's value (Python's dict.update, as botocore rewrites a cache file),
 * then m's other members in order; without it, m's members in order.
 * RDSIAM_ERR_NO_MEMORY; a text larger than out allows is RDSIAM_ERR_JSON
 * ("WHAT: the document is larger than N bytes").
 */
int rdsiam__json_write(const rdsiam__json *base, const rdsiam__json_member *m,
                       size_t n, const char *what, rdsiam__buf *out,
                       rdsiam_error *err);

#endif /* RDSIAM_JSON_READER_H */
