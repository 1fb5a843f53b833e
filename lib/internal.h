/*
 * internal.h - declarations shared between librdsiam's source files.
 * Nothing here is part of the public API; every symbol is rdsiam__* and
 * hidden from the shared library by -fvisibility=hidden and the version
 * script.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_INTERNAL_H
#define RDSIAM_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdsiam.h"

#if defined(__GNUC__) || defined(__clang__)
#define RDSIAM__PRINTF(f, a) __attribute__((format(printf, f, a)))
#define RDSIAM__UNUSED __attribute__((unused))
#else
#define RDSIAM__PRINTF(f, a)
#define RDSIAM__UNUSED
#endif

/* ------------------------------------------------------------------------ */
/* Error handling as a straight line                                        */
/* ------------------------------------------------------------------------ */

/*
 * The straight line (STYLE.md). A function that uses these declares
 * `int rc = RDSIAM_OK;` and exactly one `done:` label that releases what
 * the function owns and returns rc; those two names are the whole
 * convention. The error pointer is always an explicit argument; the other
 * arguments are evaluated only on failure and must have no side effects.
 *
 *   RDSIAM_GUARD(expr)                 call; on failure keep its code (and
 *                                      the message it recorded) and leave
 *   RDSIAM_ENSURE(err, cond, code, fmt, ...)  leave with code and message
 *                                      unless cond holds
 *   RDSIAM_BAIL(err, code, fmt, ...)   leave with code and message
 */
#define RDSIAM_GUARD(expr)                                                     \
    do {                                                                       \
        rc = (expr);                                                           \
        if (rc != RDSIAM_OK)                                                   \
            goto done;                                                         \
    } while (0)

#define RDSIAM_ENSURE(err, cond, code, ...)                                    \
    do {                                                                       \
        if (!(cond)) {                                                         \
            rc = rdsiam__fail((err), (code), __VA_ARGS__);                     \
            goto done;                                                         \
        }                                                                      \
    } while (0)

#define RDSIAM_BAIL(err, code, ...)                                            \
    do {                                                                       \
        rc = rdsiam__fail((err), (code), __VA_ARGS__);                         \
        goto done;                                                             \
    } while (0)

/* Record code and message in err (may be NULL); returns code. */
int rdsiam__fail(rdsiam_error *err, int code, const char *fmt, ...)
    RDSIAM__PRINTF(3, 4);
/* Record code with rdsiam_strerror(code) as the message; returns code. */
int rdsiam__fail_code(rdsiam_error *err, int code);
/* Prefix an existing message: "<prefix>: <old message>". */
void rdsiam__error_prefix(rdsiam_error *err, const char *fmt, ...)
    RDSIAM__PRINTF(2, 3);
/* A value for a message: printable ASCII (anything else as '?'),
 * truncated to size - 1 bytes, always NUL-terminated. Only for values
 * that are not secret (codes, modes, numbers, names). */
void rdsiam__printable(char *out, size_t size, const char *s);
/* Copy src into dst (size bytes, always NUL-terminated) with control
 * characters (C0, DEL, C1) and invalid UTF-8 bytes written as "\xNN";
 * truncates at a character boundary. Every error message goes through it. */
void rdsiam__escape_controls(char *dst, size_t size, const char *src);
#ifdef __clang_analyzer__
/* For the static analyzer (make check-analyze), which looks at one file at
 * a time: these return the code they are given, so a path where they were
 * called never continues as a success. */
#define rdsiam__fail(err, code, ...)                                           \
    (rdsiam__fail((err), (code), __VA_ARGS__), (code))
#define rdsiam__fail_code(err, code) (rdsiam__fail_code((err), (code)), (code))
#endif
/* Set err to success. */
void rdsiam__ok(rdsiam_error *err);
/* The C library's text for the errno value e ("No such file or
 * directory"), or "error N", into buf (size bytes). Thread-safe. */
void rdsiam__errno_text(int e, char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Secrets                                                                   */
/* ------------------------------------------------------------------------ */

/* Wipe len bytes at p (OPENSSL_cleanse: not optimised away). NULL is fine. */
void rdsiam__wipe(void *p, size_t len);
/* Tests only: a function told of every rdsiam__wipe (its region, just
 * before it is cleansed), so a test can prove that a secret is wiped, e.g.
 * by the exit handler in a child that calls exit(). NULL removes it. Not
 * thread-safe; set it before starting threads. */
typedef void (*rdsiam__wipe_observer_fn)(const void *p, size_t len, void *ctx);
void rdsiam__set_wipe_observer(rdsiam__wipe_observer_fn fn, void *ctx);
/* Wipe a NUL-terminated string's bytes, then free it. NULL is fine. */
void rdsiam__free_secret_str(char *s);
/* Wipe len bytes, then free. */
void rdsiam__free_secret(void *p, size_t len);
/* strdup that reports failure as NULL (plain copy, caller wipes if secret). */
char *rdsiam__strdup(const char *s);
char *rdsiam__strndup(const char *s, size_t n);
/* A copy of an optional string: NULL for NULL. Out of memory sets *ok to
 * false (it never sets it to true), so a run of copies is checked once:
 *     bool ok = true;
 *     a->x = rdsiam__strdup_opt(cfg->x, &ok);
 *     a->y = rdsiam__strdup_opt(cfg->y, &ok);
 *     if (!ok) ...                                                       */
char *rdsiam__strdup_opt(const char *s, bool *ok);

/* ------------------------------------------------------------------------ */
/* The seam: every read of the clock or the environment goes through here   */
/* ------------------------------------------------------------------------ */

typedef const char *(*rdsiam__getenv_fn)(void *ctx, const char *name);
typedef int64_t (*rdsiam__now_fn)(void *ctx);

/* Current time, seconds since the Unix epoch (UTC). */
int64_t rdsiam__now(void);
/* Environment variable, or NULL. The pointer is valid until the next
 * change to the environment; copy it if it must live longer. */
const char *rdsiam__getenv(const char *name);
/* Environment variable that is set and non-empty, or NULL. */
const char *rdsiam__getenv_nonempty(const char *name);
/* Tests only: replace the environment and/or clock (NULL restores the
 * process's own). Not thread-safe; call before starting threads. */
void rdsiam__sys_set_env(rdsiam__getenv_fn fn, void *ctx);
void rdsiam__sys_set_clock(rdsiam__now_fn fn, void *ctx);

/* ------------------------------------------------------------------------ */
/* Growable buffer with a hard maximum                                       */
/* ------------------------------------------------------------------------ */

typedef struct rdsiam__buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t max; /* hard limit on len */
} rdsiam__buf;

void rdsiam__buf_init(rdsiam__buf *b, size_t max);
/* Room for extra more bytes (and a NUL) at once: the contents move (and
 * the old block is wiped) at most this once. */
int rdsiam__buf_reserve(rdsiam__buf *b, size_t extra);
int rdsiam__buf_append(rdsiam__buf *b, const void *data, size_t len);
int rdsiam__buf_append_str(rdsiam__buf *b, const char *s);
int rdsiam__buf_append_char(rdsiam__buf *b, char c);
int rdsiam__buf_printf(rdsiam__buf *b, const char *fmt, ...)
    RDSIAM__PRINTF(2, 3);
/* Wipe the contents and free. The buffer can be reused after init. */
void rdsiam__buf_free(rdsiam__buf *b);
/* Hand the data to the caller (who frees it); the buffer becomes empty. */
char *rdsiam__buf_take(rdsiam__buf *b);

/* ------------------------------------------------------------------------ */
/* Encoding                                                                  */
/* ------------------------------------------------------------------------ */

/* Character classes, one table: RDSIAM__CH_UNRESERVED for the RFC 3986
 * unreserved characters A-Za-z0-9-_.~, RDSIAM__CH_DNS for those of a DNS
 * name as the library accepts it (letters, digits, '-', '.', '_'). */
#define RDSIAM__CH_UNRESERVED 1u
#define RDSIAM__CH_DNS 2u
extern const unsigned char rdsiam__char_class[256];
#define RDSIAM__UNRESERVED(c) (rdsiam__char_class[(unsigned char)(c)] & RDSIAM__CH_UNRESERVED)

/* Length of src (n bytes) once percent-encoded (unreserved kept). */
size_t rdsiam__uri_encoded_len(const char *src, size_t n);
/* Percent-encode n bytes of src into dst (uppercase hex); returns bytes
 * written. dst must hold rdsiam__uri_encoded_len(src, n) bytes. No NUL. */
size_t rdsiam__uri_encode(char *dst, const char *src, size_t n);
/* Same, but '/' is kept (SigV4 canonical path segments). */
size_t rdsiam__uri_encode_path_len(const char *src, size_t n);
size_t rdsiam__uri_encode_path(char *dst, const char *src, size_t n);
/* Decode %XX escapes; '+' is kept as '+'. Returns -1 on a bad escape,
 * else the decoded length. dst may equal src. */
long rdsiam__uri_decode(char *dst, const char *src, size_t n);
/* The value of one hexadecimal digit (either case), or -1. */
int rdsiam__hex_digit(char c);

/* A hexadecimal digit, either case. */
static inline bool rdsiam__is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Lowercase hex of n bytes into dst (2n chars, no NUL). */
void rdsiam__hex(char *dst, const unsigned char *src, size_t n);

/* true if s[0..n) is well-formed UTF-8 (no overlongs, surrogates,
 * or code points above U+10FFFF). */
bool rdsiam__utf8_valid(const char *s, size_t n);

/* The length of the well-formed multi-byte UTF-8 character at s (avail
 * bytes readable, at least 1), or 0 when none starts there (ASCII
 * included). */
size_t rdsiam__utf8_len(const char *s, size_t avail);

/* The UTF-8 encoding of code point cp (at most U+10FFFF) into out (room
 * for 4 bytes); returns its length. */
size_t rdsiam__utf8_put(char *out, unsigned cp);

/* ------------------------------------------------------------------------ */
/* Time                                                                      */
/* ------------------------------------------------------------------------ */

#define RDSIAM__TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* Format t as "YYYYMMDDTHHMMSSZ" (16 chars + NUL). t in 0..TIME_MAX. */
void rdsiam__amz_date(char out[17], int64_t t);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" (20 chars + NUL), the form the AWS
 * CLI writes into its token caches. t in 0..TIME_MAX. */
void rdsiam__iso8601(char out[21], int64_t t);
/* Parse "YYYYMMDDTHHMMSSZ" or ISO-8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm)".
 * Returns 0 and *t, or -1. */
int rdsiam__parse_time(const char *s, int64_t *t);
/* Days since 1970-01-01 for a civil date, and back. */
int64_t rdsiam__days_from_civil(int64_t y, unsigned m, unsigned d);

/* ------------------------------------------------------------------------ */
/* Hashing (OpenSSL underneath)                                              */
/* ------------------------------------------------------------------------ */

#define RDSIAM__SHA256_LEN 32

/* Opaque-sized SHA-256 state living on the caller's stack: no allocation. */
typedef struct rdsiam__sha256 {
    _Alignas(16) unsigned char opaque[128];
} rdsiam__sha256;

void rdsiam__sha256_init(rdsiam__sha256 *c);
void rdsiam__sha256_update(rdsiam__sha256 *c, const void *data, size_t n);
void rdsiam__sha256_final(rdsiam__sha256 *c, unsigned char out[32]);
void rdsiam__sha256_once(const void *data, size_t n, unsigned char out[32]);

/* Room past a message for its SHA-256 padding (0x80, zeros, length). */
#define RDSIAM__SHA256_PAD 72
/*
 * Finish a hash whose state c is at a block boundary: buf holds the last n
 * bytes of a message of `total` bytes and has RDSIAM__SHA256_PAD bytes of
 * room after them, which the padding overwrites. One block-function call
 * for the whole tail. c is left holding the final state (wipe it if it
 * matters).
 */
void rdsiam__sha256_final_padded(rdsiam__sha256 *c, unsigned char *buf,
                                 size_t n, uint64_t total,
                                 unsigned char out[32]);
/* Write the padding for the last n bytes of a message of `total` bytes
 * after them (buf needs RDSIAM__SHA256_PAD bytes of room); returns the
 * padded length, a multiple of 64. */
size_t rdsiam__sha256_pad(unsigned char *buf, size_t n, uint64_t total);
/* The digest of a message whose first blocks c has hashed and whose last
 * n bytes (a multiple of 64, padding included) are in blocks: one
 * block-function call on a copy of c. The copy ends holding the digest and
 * is not wiped: not for MACs (rdsiam__hmac_blocks wipes its own). */
void rdsiam__sha256_finish_blocks(const rdsiam__sha256 *c,
                                  const unsigned char *blocks, size_t n,
                                  unsigned char out[32]);

/* HMAC-SHA256 key with its inner and outer pad states precomputed, so each
 * MAC costs only the message blocks plus one outer block. Wipe when done. */
typedef struct rdsiam__hmac_key {
    rdsiam__sha256 inner;
    rdsiam__sha256 outer;
} rdsiam__hmac_key;

void rdsiam__hmac_key_init(rdsiam__hmac_key *k, const void *key, size_t n);
void rdsiam__hmac(const rdsiam__hmac_key *k, const void *msg, size_t n,
                  unsigned char out[32]);
/* rdsiam__hmac for a message in a buffer with RDSIAM__SHA256_PAD bytes of
 * room after it (overwritten): three block-function calls in all. */
void rdsiam__hmac_padded(const rdsiam__hmac_key *k, unsigned char *msg,
                         size_t n, unsigned char out[32]);
/* rdsiam__hmac for a message already padded as if it followed the key
 * block (n a multiple of 64): two block-function calls. */
void rdsiam__hmac_blocks(const rdsiam__hmac_key *k, const unsigned char *blocks,
                         size_t n, unsigned char out[32]);
/* One-shot HMAC with a raw key. */
void rdsiam__hmac_once(const void *key, size_t keylen, const void *msg,
                       size_t n, unsigned char out[32]);

/* Constant-time comparison of n bytes: true when equal. */
bool rdsiam__ct_equal(const void *a, const void *b, size_t n);

/* ------------------------------------------------------------------------ */
/* SigV4 pieces shared by the token, the DSQL token and the signer           */
/* ------------------------------------------------------------------------ */

#define RDSIAM__EMPTY_SHA256_HEX                                               \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/*
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date8), region), service),
 * "aws4_request"), returned as a precomputed HMAC key. Every intermediate
 * is wiped.
 */
void rdsiam__derive_signing_key(const char *secret, size_t secret_len,
                                const char date8[8], const char *region,
                                size_t region_len, const char *service,
                                size_t service_len, rdsiam__hmac_key *out);

/* partition.c: the DNS suffix of region's partition ("amazonaws.com",
 * "amazonaws.com.cn", ...), by region prefix; "amazonaws.com" for any
 * region of no other partition. */
const char *rdsiam__partition_dns_suffix(const char *region);

/* Validation shared by every signer; each records a message naming the
 * field in err and returns the field's RDSIAM_ERR_* code. Where there is a
 * len, it receives the string's length on success (NULL: not wanted), so
 * that a caller measures each input once. */
int rdsiam__check_region(const char *region, size_t *len, rdsiam_error *err);
/* The port of a URL's authority (the n bytes after its ':'): 1 to 5
 * decimal digits, 1..65535. No sign, space or other character. */
bool rdsiam__port_valid(const char *p, size_t n);
int rdsiam__check_credentials(const rdsiam_credentials *creds,
                              rdsiam_error *err);
int rdsiam__check_hostname(const char *hostname, size_t *len,
                           rdsiam_error *err);
/* The three parts of rdsiam__check_credentials, in its order. The session
 * token is one that rdsiam__session_token() returned, n its length. */
int rdsiam__check_access_key_id(const char *akid, size_t *len,
                                rdsiam_error *err);
int rdsiam__check_secret_key(const char *secret, size_t *len,
                             rdsiam_error *err);
int rdsiam__check_session_token(const char *tok, size_t n, rdsiam_error *err);
int rdsiam__check_time(int64_t signing_time, int64_t *resolved,
                       rdsiam_error *err);
/* session token that is set and non-empty, or NULL */
const char *rdsiam__session_token(const rdsiam_credentials *creds);

/* ------------------------------------------------------------------------ */
/* Presigned queries (token.c), shared with the token files and the verifier */
/* ------------------------------------------------------------------------ */

/* What differs between the tokens (RDS, DSQL, ElastiCache, MemoryDB, MSK).
 * Lengths exclude the NUL; none of the strings needs one. The query is
 *   Action=ACTION[&USER_KEY=USER][&EXTRA]&X-Amz-Algorithm=...
 * with ACTION and USER percent-encoded here. */
typedef struct rdsiam__presign_spec {
    const char *host; /* printed as given, signed lowercased */
    size_t host_len;
    unsigned int port; /* 0: no port (DSQL, ElastiCache, MemoryDB, MSK) */
    const char *action;
    size_t action_len;
    const char *user; /* NULL: no user parameter (DSQL, MSK) */
    size_t user_len;
    const char *user_key; /* its name: "DBUser" (RDS), "User" */
    size_t user_key_len;
    /* NULL, or one more parameter after the user, "NAME=VALUE" already
     * encoded (ElastiCache: "ResourceType=ServerlessCache"); NAME sorts
     * after "Action" and before "X-Amz-" */
    const char *extra;
    size_t extra_len;
    const char *service;
    size_t service_len;
    const char *region;
    size_t region_len;
    unsigned int expires;
    int64_t time;  /* 0..RDSIAM__TIME_MAX */
    bool no_cache; /* keep nothing in the thread's cache */
    /* the lengths of the credentials' strings; tok_len 0: no session
     * token (rdsiam__session_token() gave NULL) */
    size_t akid_len, secret_len, tok_len;
    unsigned same; /* token.c only: inputs equal to its cached ones */
} rdsiam__presign_spec;

/*
 * Write the presigned token for s signed with creds into buf. Inputs MUST
 * already be validated (no checks here). *needed (optional) receives the
 * size including the NUL; RDSIAM_ERR_BUFFER_TOO_SMALL when buf is NULL or
 * shorter. The signature is the last 64 characters of the token.
 */
int rdsiam__presign(const rdsiam__presign_spec *s,
                    const rdsiam_credentials *creds, char *buf, size_t bufsize,
                    size_t *needed);

/*
 * The checks of the public token calls (token.c), for the token files: each
 * records the input in s (and its length) after checking it, or skips the
 * check when the input equals the calling thread's cached token's (already
 * checked). Messages name the field: hostname, username, region, the
 * credentials' fields. Region NULL is refused.
 */
int rdsiam__token_check_host(const char *host, rdsiam__presign_spec *s,
                             rdsiam_error *err);
int rdsiam__token_check_user(const char *user, rdsiam__presign_spec *s,
                             rdsiam_error *err);
int rdsiam__token_check_region(const char *region, rdsiam__presign_spec *s,
                               rdsiam_error *err);
int rdsiam__token_check_creds(const rdsiam_credentials *creds,
                              rdsiam__presign_spec *s, rdsiam_error *err);
/* The end of every public token call: rc as is, buf emptied on failure, and
 * a too-small buffer's message naming the size needed. */
int rdsiam__token_finish(int rc, char *buf, size_t bufsize, size_t need,
                         rdsiam_error *err);

/* encoding.c: unpadded base64url (RFC 4648 section 5, no '='). The output
 * of n bytes is rdsiam__base64url_len(n) characters (no NUL). src may lie
 * in dst's output only if it ends where the output ends (a buffer encoded
 * from its tail to its front). */
size_t rdsiam__base64url_len(size_t n);
void rdsiam__base64url_encode(char *dst, const char *src, size_t n);

/* ------------------------------------------------------------------------ */
/* Verifier key store (keystore.c)                                          */
/* ------------------------------------------------------------------------ */

typedef struct rdsiam__key {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL: the key takes no session token */
    size_t akid_len, token_len;
} rdsiam__key;

/* The key with this access key id, or NULL. */
const rdsiam__key *rdsiam__keystore_find(const rdsiam_keystore *ks,
                                         const char *akid, size_t len);

#endif /* RDSIAM_INTERNAL_H */
