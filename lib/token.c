/*
 * token.c - RDS IAM and Aurora DSQL authentication tokens: SigV4
 * query-string presigned GET requests written in one pass straight into
 * the caller's buffer, with no heap allocation.
 *
 * The token (botocore's generate_db_auth_token, whose byte order we keep):
 *
 *   host:port/?Action=connect&DBUser=U&X-Amz-Algorithm=AWS4-HMAC-SHA256
 *   &X-Amz-Credential=AKID%2FDATE%2FREGION%2Frds-db%2Faws4_request
 *   &X-Amz-Date=T&X-Amz-Expires=900&X-Amz-SignedHeaders=host
 *   [&X-Amz-Security-Token=S]&X-Amz-Signature=HEX
 *
 * The canonical request signs the same parameters sorted by encoded name,
 * which puts X-Amz-Security-Token before X-Amz-SignedHeaders; every other
 * parameter is already in sorted order in the token, so the canonical
 * request is hashed from slices of the token itself.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LIT(s) s, (sizeof(s) - 1)

static const char P_ACTION[] = "/?Action=";
static const char P_ALGO[] =
    "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=";
static const char P_SLASH[] = "%2F";
static const char P_TERM[] = "%2Faws4_request&X-Amz-Date=";
static const char P_EXPIRES[] = "&X-Amz-Expires=";
static const char P_SIGNED[] = "&X-Amz-SignedHeaders=host";
static const char P_TOKEN[] = "&X-Amz-Security-Token=";
static const char P_SIG[] = "&X-Amz-Signature=";

#define SLEN(s) (sizeof(s) - 1)

static size_t udigits(unsigned int v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static char *put_uint(char *p, unsigned int v)
{
    size_t n = udigits(v);
    for (size_t i = n; i > 0; i--) {
        p[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* ------------------------------------------------------------------------ */
/* Per-thread caches                                                         */
/* ------------------------------------------------------------------------ */

/*
 * Deriving kSigning costs four HMACs over short keys, more than signing
 * itself. It depends only on (secret, date, region, service), which a
 * program repeats for every token of the day, so each thread keeps the
 * last one. The entry is replaced (and the old one wiped) when any input
 * changes, and wiped when the thread exits. Being per thread, it needs no
 * lock and shares no cache line.
 *
 * The session token is signed after X-Amz-Date, so its bytes are hashed
 * for every token; but its percent-encoding is the same for every token
 * signed with the same credentials. The cache keeps the last token and
 * its encoding. Tokens whose encoding is longer than this (STS tokens run
 * to about 1,300 bytes; session tags make them longer) are encoded on
 * every call.
 *
 * Consecutive tokens of a program differ in nothing but the time of day:
 * the same endpoint, user, credentials and day. So the thread also keeps
 * the last token it signed (last_token below): its text up to the
 * signature, the SHA-256 state after the canonical request's whole blocks
 * before X-Amz-Date, the rest of the canonical request and the string to
 * sign, both already padded. A token whose inputs equal those then costs
 * six digits written into three places, three block-function calls and
 * two hex conversions: nothing is encoded, lowercased, measured or copied
 * into a scratch buffer.
 *
 * The inputs of that token also passed the public entry point's checks:
 * an input equal to the cached one byte for byte is not checked again.
 */
#define TOKEN_CACHE_MAX 4096
#define TAIL_MAX                                                               \
    (SLEN("&X-Amz-SignedHeaders=host\nhost:") + RDSIAM_HOSTNAME_MAX + 6 +      \
     SLEN("\n\nhost\n") + 64)
/* "&X-Amz-Expires=" and up to 10 digits */
#define EXPIRES_MAX (SLEN(P_EXPIRES) + 10)
/* The token text up to the signature: host, port and the query up to
 * X-Amz-Date (at most 1,024 bytes cached), the date, the rest. */
#define TEXT_MAX                                                               \
    (1024 + 16 + EXPIRES_MAX + SLEN(P_SIGNED) + SLEN(P_TOKEN) +                \
     TOKEN_CACHE_MAX + SLEN(P_SIG))
/* The canonical request after its cached blocks: the rest of a block, the
 * date, the expiry, the session token, the tail, the padding. */
#define CR_MAX                                                                 \
    (64 + 16 + EXPIRES_MAX + SLEN(P_TOKEN) + TOKEN_CACHE_MAX + TAIL_MAX +      \
     RDSIAM__SHA256_PAD)
/* "AWS4-HMAC-SHA256\n" T "\n" DATE/REGION/SERVICE/aws4_request "\n" hex,
 * padded */
#define STS_HEAD "AWS4-HMAC-SHA256\n"
#define STS_MAX                                                                \
    (SLEN(STS_HEAD) + 17 + 9 + RDSIAM_REGION_MAX + 1 + 16 +                    \
     SLEN("/aws4_request\n") + 64 + RDSIAM__SHA256_PAD)
/* where the time of day ("THHMMSSZ") is in the string to sign */
#define STS_TOD (SLEN(STS_HEAD) + 8)

typedef struct last_token {
    /* Its inputs, as given and as checked; host_len 0: nothing cached. */
    size_t host_len, user_len, region_len, akid_len;
    char host[RDSIAM_HOSTNAME_MAX + 1];
    char user[RDSIAM_USERNAME_MAX + 1];
    char region[RDSIAM_REGION_MAX + 1];
    char akid[RDSIAM_ACCESS_KEY_MAX + 1];
    /* the user parameter's name (user_key_len 0: no user) and the extra
     * parameter (extra_len 0: none) */
    size_t user_key_len, extra_len;
    char user_key[8];
    char extra[32];
    size_t action_len, service_len, tok_len; /* tok_len 0: no token */
    char action[32];
    char service[16];
    unsigned int port, expires;
    int64_t day;
    /* The token up to and including "&X-Amz-Signature=", with the time of
     * day of X-Amz-Date at text_tod. */
    size_t text_len, text_tod;
    char text[TEXT_MAX];
    /* The canonical request: the state after its whole blocks before the
     * date, then the rest, padded, with the time of day at cr_tod. */
    rdsiam__sha256 cr_state;
    size_t cr_len, cr_tod;
    unsigned char cr[CR_MAX];
    /* The string to sign, padded as after the HMAC key block; the time of
     * day at STS_TOD, the canonical request's hash at sts_hex. */
    size_t sts_len, sts_hex;
    unsigned char sts[STS_MAX];
} last_token;

/*
 * While last.host_len is not 0, `key` is the signing key and `tok` the
 * session token (if last.tok_len) that `last` was built with: every change
 * to them is made after `last` is emptied (last_build, presign_stream).
 */
typedef struct key_cache {
    bool valid;
    bool registered;
    size_t secret_len, region_len, service_len;
    char secret[RDSIAM_SECRET_KEY_MAX];
    char date8[8];
    char region[RDSIAM_REGION_MAX];
    char service[16];
    rdsiam__hmac_key key;
    size_t tok_len; /* 0: no session token cached */
    size_t tok_enc_len;
    char tok[TOKEN_CACHE_MAX];
    char tok_enc[TOKEN_CACHE_MAX];
    last_token last;
} key_cache;

static _Thread_local key_cache tls_keys;
static pthread_key_t tls_wipe_key;
static pthread_once_t tls_wipe_once = PTHREAD_ONCE_INIT;
static bool tls_wipe_ok;

static void wipe_cache(void *p)
{
    rdsiam__wipe(p, sizeof(key_cache));
}

static void make_wipe_key(void)
{
    tls_wipe_ok = pthread_key_create(&tls_wipe_key, wipe_cache) == 0;
}

/*
 * exit() runs no thread-key destructor for the thread that calls it (the
 * main thread, usually), so its cache would outlive the program's last
 * token unwiped: a library destructor wipes the exiting thread's cache at
 * exit, and when the library is unloaded (dlclose). Unloading also deletes
 * the key: its destructor is code of this library, which glibc would
 * otherwise call at the exit of every thread that signed, after the
 * library is gone. Such a thread's cache is then not wiped when it exits:
 * rdsiam_cache_wipe(3) says to call it in each signing thread first.
 */
__attribute__((destructor)) static void wipe_at_exit(void)
{
    rdsiam_cache_wipe();
    if (tls_wipe_ok) {
        pthread_key_delete(tls_wipe_key);
        tls_wipe_ok = false;
    }
}

void rdsiam_cache_wipe(void)
{
    key_cache *c = &tls_keys;
    bool registered = c->registered;

    rdsiam__wipe(c, sizeof *c);
    c->registered = registered;
}

/* Have the thread-exit destructor wipe this thread's cache. */
static void register_wipe(key_cache *c)
{
    if (c->registered)
        return;
    pthread_once(&tls_wipe_once, make_wipe_key);
    if (tls_wipe_ok && pthread_setspecific(tls_wipe_key, c) == 0)
        c->registered = true;
}

/* Which inputs of a call equal the cached ones (rdsiam__presign_spec.same):
 * host, user, region and key id those of `last`, the secret the cached
 * key's, the session token the cached one. */
#define SAME_HOST 0x01u
#define SAME_USER 0x02u
#define SAME_REGION 0x04u
#define SAME_AKID 0x08u
#define SAME_SECRET 0x10u
#define SAME_TOKEN 0x20u

/* The signing key in the cache, derived first unless it is the cached one.
 * s MUST be cacheable (see last_build). */
static const rdsiam__hmac_key *cached_key(key_cache *c,
                                          const rdsiam__presign_spec *s,
                                          const char *secret,
                                          const char date8[8])
{
    if (c->valid && c->secret_len == s->secret_len &&
        c->region_len == s->region_len && c->service_len == s->service_len &&
        memcmp(c->date8, date8, 8) == 0 &&
        memcmp(c->region, s->region, s->region_len) == 0 &&
        memcmp(c->service, s->service, s->service_len) == 0 &&
        rdsiam__ct_equal(c->secret, secret, s->secret_len))
        return &c->key;

    register_wipe(c);
    rdsiam__wipe(&c->key, sizeof c->key);
    rdsiam__derive_signing_key(secret, s->secret_len, date8, s->region,
                               s->region_len, s->service, s->service_len,
                               &c->key);
    memcpy(c->secret, secret, s->secret_len);
    c->secret_len = s->secret_len;
    memcpy(c->date8, date8, 8);
    memcpy(c->region, s->region, s->region_len);
    c->region_len = s->region_len;
    memcpy(c->service, s->service, s->service_len);
    c->service_len = s->service_len;
    c->valid = true;
    return &c->key;
}

/*
 * The percent-encoded session token: from the cache when the token is the
 * one cached (compared in constant time, as it is a secret), else encoded
 * into the cache. NULL when it is not cached (too long, or the caller asked
 * for no caching): the caller encodes it itself. *enc_len receives the
 * encoded length either way.
 */
static const char *encoded_token(const rdsiam__presign_spec *s, const char *tok,
                                 size_t tok_len, size_t *enc_len)
{
    key_cache *c = &tls_keys;
    size_t n;

    if (!s->no_cache && c->tok_len == tok_len &&
        rdsiam__ct_equal(c->tok, tok, tok_len)) {
        *enc_len = c->tok_enc_len;
        return c->tok_enc;
    }
    n = rdsiam__uri_encoded_len(tok, tok_len);
    *enc_len = n;
    if (s->no_cache || n > TOKEN_CACHE_MAX)
        return NULL;
    register_wipe(c);
    rdsiam__wipe(c->tok, c->tok_len);
    rdsiam__wipe(c->tok_enc, c->tok_enc_len);
    memcpy(c->tok, tok, tok_len);
    c->tok_len = tok_len;
    c->tok_enc_len = rdsiam__uri_encode(c->tok_enc, tok, tok_len);
    return c->tok_enc;
}

/* ------------------------------------------------------------------------ */
/* The presigned query                                                       */
/* ------------------------------------------------------------------------ */

static const char CR_HEAD[] = "GET\n/\n";
static const char CR_SIGNED[] = "&X-Amz-SignedHeaders=host\nhost:";
static const char CR_END[] = "\n\nhost\n" RDSIAM__EMPTY_SHA256_HEX;

/* tok_enc_len: the encoded session token's length, 0 for none. */
static size_t presign_size(const rdsiam__presign_spec *s, const char *akid,
                           size_t tok_enc_len)
{
    size_t n = s->host_len;

    if (s->port)
        n += 1 + udigits(s->port);
    n += SLEN(P_ACTION) + rdsiam__uri_encoded_len(s->action, s->action_len);
    if (s->user)
        n +=
            2 + s->user_key_len + rdsiam__uri_encoded_len(s->user, s->user_len);
    if (s->extra)
        n += 1 + s->extra_len;
    n += SLEN(P_ALGO) + rdsiam__uri_encoded_len(akid, s->akid_len);
    n += SLEN(P_SLASH) + 8 + SLEN(P_SLASH) + s->region_len + SLEN(P_SLASH) +
         s->service_len + SLEN(P_TERM) + 16;
    n += SLEN(P_EXPIRES) + udigits(s->expires) + SLEN(P_SIGNED);
    if (tok_enc_len)
        n += SLEN(P_TOKEN) + tok_enc_len;
    n += SLEN(P_SIG) + 64 + 1;
    return n;
}

/*
 * botocore signs the host the way urlsplit() reports it: lowercased, and
 * without the port when it is the https default (botocore.auth
 * _host_from_url). The token text keeps the hostname as given.
 */
static size_t signed_host(char *out, const rdsiam__presign_spec *s)
{
    char *p = out;

    for (size_t i = 0; i < s->host_len; i++) {
        char c = s->host[i];
        *p++ = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    if (s->port && s->port != 443) {
        *p++ = ':';
        p = put_uint(p, s->port);
    }
    return (size_t)(p - out);
}

/* "THHMMSSZ" for the second of the day: the part of X-Amz-Date that
 * changes within a day. */
static void put_time_of_day(char out[8], unsigned int secs)
{
    unsigned int v[3] = {secs / 3600, secs / 60 % 60, secs % 60};

    out[0] = 'T';
    for (int i = 0; i < 3; i++) {
        out[1 + 2 * i] = (char)('0' + v[i] / 10);
        out[2 + 2 * i] = (char)('0' + v[i] % 10);
    }
    out[7] = 'Z';
}

/* Canonical request tail: "&X-Amz-SignedHeaders=host\nhost:H\n\nhost\n"
 * + hash(""); the host signed as signed_host() says. */
static size_t cr_tail(char *out, const rdsiam__presign_spec *s)
{
    char *p = put(out, LIT(CR_SIGNED));

    p += signed_host(p, s);
    p = put(p, LIT(CR_END));
    return (size_t)(p - out);
}

/* Offsets of the parts of the token text that the canonical request
 * takes, in its order. */
typedef struct text_marks {
    size_t query;        /* "Action=" */
    size_t user;         /* "&USER_KEY=..." (equal to extra: none) */
    size_t extra;        /* "&NAME=VALUE" (equal to algo: none) */
    size_t algo;         /* "&X-Amz-Algorithm=" */
    size_t date;         /* X-Amz-Date's value */
    size_t expires_end;  /* after "&X-Amz-Expires=N" */
    size_t tok, tok_end; /* "&X-Amz-Security-Token=..." (equal: none) */
    size_t end;          /* after "&X-Amz-Signature=" */
} text_marks;

/*
 * The token text up to the signature, into out (presign_size() - 65 bytes):
 *   host:port/?Action=A&USER_KEY=U&EXTRA&X-Amz-Algorithm=AWS4-HMAC-SHA256
 *   &X-Amz-Credential=AKID%2FDATE%2FREGION%2FSERVICE%2Faws4_request
 *   &X-Amz-Date=T&X-Amz-Expires=N&X-Amz-SignedHeaders=host
 *   [&X-Amz-Security-Token=S]&X-Amz-Signature=
 * tok_enc: the token's encoding, or NULL to encode tok here.
 */
static void put_text(char *out, const rdsiam__presign_spec *s, const char *akid,
                     const char amz_date[16], const char *tok,
                     const char *tok_enc, size_t tok_enc_len, text_marks *m)
{
    char *p = put(out, s->host, s->host_len);

    if (s->port) {
        *p++ = ':';
        p = put_uint(p, s->port);
    }
    p = put(p, LIT(P_ACTION));
    m->query = (size_t)(p - out) - SLEN("Action=");
    p += rdsiam__uri_encode(p, s->action, s->action_len);
    m->user = (size_t)(p - out);
    if (s->user) {
        *p++ = '&';
        p = put(p, s->user_key, s->user_key_len);
        *p++ = '=';
        p += rdsiam__uri_encode(p, s->user, s->user_len);
    }
    m->extra = (size_t)(p - out);
    if (s->extra) {
        *p++ = '&';
        p = put(p, s->extra, s->extra_len);
    }
    m->algo = (size_t)(p - out);
    p = put(p, LIT(P_ALGO));
    p += rdsiam__uri_encode(p, akid, s->akid_len);
    p = put(p, LIT(P_SLASH));
    p = put(p, amz_date, 8);
    p = put(p, LIT(P_SLASH));
    p = put(p, s->region, s->region_len);
    p = put(p, LIT(P_SLASH));
    p = put(p, s->service, s->service_len);
    p = put(p, LIT(P_TERM));
    m->date = (size_t)(p - out);
    p = put(p, amz_date, 16);
    p = put(p, LIT(P_EXPIRES));
    p = put_uint(p, s->expires);
    m->expires_end = (size_t)(p - out);
    p = put(p, LIT(P_SIGNED));
    m->tok = (size_t)(p - out);
    if (tok) {
        p = put(p, LIT(P_TOKEN));
        if (tok_enc)
            p = put(p, tok_enc, tok_enc_len);
        else
            p += rdsiam__uri_encode(p, tok, s->tok_len);
    }
    m->tok_end = (size_t)(p - out);
    p = put(p, LIT(P_SIG));
    m->end = (size_t)(p - out);
}

/* The string to sign up to the canonical request's hash:
 *   AWS4-HMAC-SHA256 \n T \n DATE/REGION/SERVICE/aws4_request \n */
static size_t put_sts_head(char *out, const rdsiam__presign_spec *s,
                           const char amz_date[16])
{
    char *q = put(out, LIT(STS_HEAD));

    q = put(q, amz_date, 16);
    *q++ = '\n';
    q = put(q, amz_date, 8);
    *q++ = '/';
    q = put(q, s->region, s->region_len);
    *q++ = '/';
    q = put(q, s->service, s->service_len);
    q = put(q, LIT("/aws4_request\n"));
    return (size_t)(q - out);
}

/* A piece of the token text. */
typedef struct slice {
    const char *p;
    size_t n;
} slice;

/* The extra parameter's name sorts before the user parameter's. */
static bool extra_first(const rdsiam__presign_spec *s)
{
    const char *eq = memchr(s->extra, '=', s->extra_len);
    size_t n = eq ? (size_t)(eq - s->extra) : s->extra_len;
    int c = memcmp(s->extra, s->user_key,
                   n < s->user_key_len ? n : s->user_key_len);

    return c < 0 || (c == 0 && n < s->user_key_len);
}

/*
 * The canonical request up to X-Amz-Date's value, as pieces of the token
 * text: "GET\n/\n", then the query. SigV4: "Sort the parameter names by
 * character code point in ascending order." The token keeps botocore's
 * order: Action, the user, the extra parameter (the order in which the
 * request carried them), then the X-Amz-* parameters, already sorted
 * (X-Amz-Security-Token comes later: see last_build). Every name a
 * token has sorts after "Action" and before "X-Amz-", so only the user
 * and the extra parameter can trade places (ElastiCache:
 * ResourceType=ServerlessCache sorts before User).
 */
static void canonical_head(const char *text, const text_marks *m,
                           const rdsiam__presign_spec *s, slice v[5])
{
    slice user = {text + m->user, m->extra - m->user};
    slice extra = {text + m->extra, m->algo - m->extra};
    bool swap = s->user && s->extra && extra_first(s);

    v[0] = (slice){CR_HEAD, SLEN(CR_HEAD)};
    v[1] = (slice){text + m->query, m->user - m->query};
    v[2] = swap ? extra : user;
    v[3] = swap ? user : extra;
    v[4] = (slice){text + m->algo, m->date - m->algo};
}

/* Hash the first `whole` bytes of the n pieces into h and copy the rest
 * to rest (NULL when whole covers everything); returns the bytes copied. */
static size_t hash_slices(rdsiam__sha256 *h, size_t whole, const slice *v,
                          size_t n, char *rest)
{
    size_t done = 0, copied = 0;

    for (size_t i = 0; i < n; i++) {
        size_t take = whole - done < v[i].n ? whole - done : v[i].n;

        rdsiam__sha256_update(h, v[i].p, take);
        done += take;
        if (take < v[i].n) {
            memcpy(rest + copied, v[i].p + take, v[i].n - take);
            copied += v[i].n - take;
        }
    }
    return copied;
}

/* The cached token fits s (the inputs flagged the same, and the rest). */
static bool last_fits(const key_cache *c, const rdsiam__presign_spec *s)
{
    const last_token *l = &c->last;
    unsigned want = SAME_HOST | SAME_REGION | SAME_AKID | SAME_SECRET |
                    (s->user ? SAME_USER : 0) | (s->tok_len ? SAME_TOKEN : 0);
    size_t key_len = s->user ? s->user_key_len : 0;
    size_t extra_len = s->extra ? s->extra_len : 0;

    return (s->same & want) == want && l->host_len != 0 &&
           l->user_key_len == key_len &&
           memcmp(l->user_key, s->user ? s->user_key : "", key_len) == 0 &&
           l->extra_len == extra_len &&
           memcmp(l->extra, s->extra ? s->extra : "", extra_len) == 0 &&
           l->tok_len == s->tok_len && l->port == s->port &&
           l->expires == s->expires && l->day == s->time / 86400 &&
           l->action_len == s->action_len &&
           memcmp(l->action, s->action, s->action_len) == 0 &&
           l->service_len == s->service_len &&
           memcmp(l->service, s->service, s->service_len) == 0;
}

/*
 * Make `last` the token for s. false when s is not cacheable (the caller
 * asked for no caching, the session token's encoding is longer than the
 * cache, a piece does not fit): `last` is then left empty.
 */
static bool last_build(key_cache *c, const rdsiam__presign_spec *s,
                       const rdsiam_credentials *creds)
{
    last_token *l = &c->last;
    const char *akid = creds->access_key_id;
    const char *tok = s->tok_len ? creds->session_token : NULL;
    const char *tok_enc = NULL;
    size_t tok_enc_len = 0, whole, lead, n, tn;
    char amz_date[17], tail[TAIL_MAX], *w;
    text_marks m;
    slice v[5];

    l->host_len = 0; /* empty until complete */
    if (s->no_cache || s->host_len > RDSIAM_HOSTNAME_MAX ||
        s->user_len > RDSIAM_USERNAME_MAX ||
        (s->user && s->user_key_len > sizeof l->user_key) ||
        (s->extra && s->extra_len > sizeof l->extra) ||
        s->region_len > RDSIAM_REGION_MAX ||
        s->akid_len > RDSIAM_ACCESS_KEY_MAX ||
        s->secret_len > RDSIAM_SECRET_KEY_MAX ||
        s->action_len > sizeof l->action || s->service_len > sizeof l->service)
        return false;
    if (tok) {
        tok_enc = encoded_token(s, tok, s->tok_len, &tok_enc_len);
        if (!tok_enc)
            return false;
    }
    if (presign_size(s, akid, tok_enc_len) - 65 > TEXT_MAX)
        return false;
    register_wipe(c);
    rdsiam__amz_date(amz_date, s->time);
    put_text(l->text, s, akid, amz_date, tok, tok_enc, tok_enc_len, &m);

    /* Canonical request:
     *   GET \n / \n sorted-query \n host:H \n \n host \n hash("")
     * The query is the token's, except that X-Amz-Security-Token sorts
     * before X-Amz-SignedHeaders (and see canonical_head). Its whole
     * blocks before the date are hashed once, here. */
    canonical_head(l->text, &m, s, v);
    n = 0;
    for (size_t i = 0; i < 5; i++)
        n += v[i].n;
    whole = n / 64 * 64;
    lead = n - whole;
    tn = cr_tail(tail, s);
    n = lead + (m.expires_end - m.date) + (m.tok_end - m.tok) + tn;
    if (n + RDSIAM__SHA256_PAD > CR_MAX)
        return false;
    rdsiam__sha256_init(&l->cr_state);
    w = (char *)l->cr + hash_slices(&l->cr_state, whole, v, 5, (char *)l->cr);
    l->cr_tod = lead + 8;
    w = put(w, l->text + m.date, m.expires_end - m.date);
    w = put(w, l->text + m.tok, m.tok_end - m.tok);
    w = put(w, tail, tn);
    n = (size_t)(w - (char *)l->cr);
    l->cr_len = rdsiam__sha256_pad(l->cr, n, whole + n);

    /* String to sign, its hash placeholder filled per token; the HMAC's
     * key block comes before it. */
    l->sts_hex = put_sts_head((char *)l->sts, s, amz_date);
    l->sts_len =
        rdsiam__sha256_pad(l->sts, l->sts_hex + 64, 64 + l->sts_hex + 64);
    (void)cached_key(c, s, creds->secret_access_key, amz_date);

    l->text_len = m.end;
    l->text_tod = m.date + 8;
    memcpy(l->host, s->host, s->host_len);
    l->host[s->host_len] = '\0';
    l->user_len = s->user ? s->user_len : 0;
    memcpy(l->user, s->user ? s->user : "", l->user_len);
    l->user[l->user_len] = '\0';
    l->user_key_len = s->user ? s->user_key_len : 0;
    memcpy(l->user_key, s->user ? s->user_key : "", l->user_key_len);
    l->extra_len = s->extra ? s->extra_len : 0;
    memcpy(l->extra, s->extra ? s->extra : "", l->extra_len);
    memcpy(l->region, s->region, s->region_len);
    l->region[s->region_len] = '\0';
    l->region_len = s->region_len;
    memcpy(l->akid, akid, s->akid_len);
    l->akid[s->akid_len] = '\0';
    l->akid_len = s->akid_len;
    memcpy(l->action, s->action, s->action_len);
    l->action_len = s->action_len;
    memcpy(l->service, s->service, s->service_len);
    l->service_len = s->service_len;
    l->tok_len = s->tok_len;
    l->port = s->port;
    l->expires = s->expires;
    l->day = s->time / 86400;
    l->host_len = s->host_len; /* complete from here on */
    return true;
}

/* The token from `last` for the time t, into buf. */
static int emit(key_cache *c, int64_t t, char *buf, size_t bufsize,
                size_t *needed)
{
    last_token *l = &c->last;
    size_t need = l->text_len + 64 + 1;
    char tod[8];
    unsigned char digest[32];

    if (needed)
        *needed = need;
    if (!buf || bufsize < need)
        return RDSIAM_ERR_BUFFER_TOO_SMALL;
    put_time_of_day(tod, (unsigned int)(t % 86400));
    memcpy(buf, l->text, l->text_len);
    memcpy(buf + l->text_tod, tod, 8);
    memcpy(l->cr + l->cr_tod, tod, 8);
    memcpy(l->sts + STS_TOD, tod, 8);
    rdsiam__sha256_finish_blocks(&l->cr_state, l->cr, l->cr_len, digest);
    rdsiam__hex((char *)l->sts + l->sts_hex, digest, 32);
    rdsiam__hmac_blocks(&c->key, l->sts, l->sts_len, digest);
    rdsiam__hex(buf + l->text_len, digest, 32);
    buf[need - 1] = '\0';
    rdsiam__wipe(digest, sizeof digest);
    return RDSIAM_OK;
}

/* Any token, written and signed in one pass without the cache (a caller
 * that asked for none, or inputs too long for it). */
static int presign_stream(const rdsiam__presign_spec *s,
                          const rdsiam_credentials *creds, char *buf,
                          size_t bufsize, size_t *needed)
{
    const char *tok = s->tok_len ? creds->session_token : NULL;
    size_t tok_enc_len = 0, need, n;
    const char *tok_enc =
        tok ? encoded_token(s, tok, s->tok_len, &tok_enc_len) : NULL;
    char amz_date[17], tail[TAIL_MAX];
    unsigned char sts[STS_MAX], digest[32];
    text_marks m;
    slice v[5];
    rdsiam__sha256 h;
    rdsiam__hmac_key scratch;
    const rdsiam__hmac_key *key = &scratch;

    need = presign_size(s, creds->access_key_id, tok_enc_len);
    if (needed)
        *needed = need;
    if (!buf || bufsize < need)
        return RDSIAM_ERR_BUFFER_TOO_SMALL;
    rdsiam__amz_date(amz_date, s->time);
    put_text(buf, s, creds->access_key_id, amz_date, tok, tok_enc, tok_enc_len,
             &m);

    /* The canonical request (see last_build), hashed from the token text
     * itself, then the tail. */
    rdsiam__sha256_init(&h);
    canonical_head(buf, &m, s, v);
    (void)hash_slices(&h, SIZE_MAX, v, 5, NULL);
    rdsiam__sha256_update(&h, buf + m.date, m.expires_end - m.date);
    rdsiam__sha256_update(&h, buf + m.tok, m.tok_end - m.tok);
    rdsiam__sha256_update(&h, tail, cr_tail(tail, s));
    rdsiam__sha256_final(&h, digest);

    n = put_sts_head((char *)sts, s, amz_date);
    rdsiam__hex((char *)sts + n, digest, 32);
    if (s->no_cache || s->service_len > sizeof tls_keys.service)
        rdsiam__derive_signing_key(creds->secret_access_key, s->secret_len,
                                   amz_date, s->region, s->region_len,
                                   s->service, s->service_len, &scratch);
    else
        key = cached_key(&tls_keys, s, creds->secret_access_key, amz_date);
    rdsiam__hmac_padded(key, sts, n + 64, digest);
    if (key == &scratch)
        rdsiam__wipe(&scratch, sizeof scratch);

    rdsiam__hex(buf + m.end, digest, 32);
    buf[m.end + 64] = '\0';
    rdsiam__wipe(digest, sizeof digest);
    return RDSIAM_OK;
}

int rdsiam__presign(const rdsiam__presign_spec *s,
                    const rdsiam_credentials *creds, char *buf, size_t bufsize,
                    size_t *needed)
{
    key_cache *c = &tls_keys;

    if (!s->no_cache && (last_fits(c, s) || last_build(c, s, creds)))
        return emit(c, s->time, buf, bufsize, needed);
    return presign_stream(s, creds, buf, bufsize, needed);
}

static int finish(int rc, char *buf, size_t bufsize, size_t need,
                  rdsiam_error *err)
{
    if (rc == RDSIAM_OK) {
        rdsiam__ok(err);
        return rc;
    }
    if (buf && bufsize)
        buf[0] = '\0';
    if (rc == RDSIAM_ERR_BUFFER_TOO_SMALL)
        return rdsiam__fail(err, rc,
                            "output buffer of %zu bytes is too small; the "
                            "token needs %zu",
                            bufsize, need);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Input checks, skipped for inputs equal to the cached token's              */
/* ------------------------------------------------------------------------ */

/*
 * in equals the cached string (n bytes and a NUL; n 0: none cached). strcmp
 * stops at the first difference or NUL, so it reads no byte past either
 * string; it returns early, so it is for public values only.
 */
static bool same_str(const char *cached, size_t n, const char *in)
{
    return n != 0 && in && strcmp(cached, in) == 0;
}

static int check_username(const char *u, size_t *len, rdsiam_error *err)
{
    size_t n;
    bool ascii;

    if (!u || !*u)
        return rdsiam__fail(err, RDSIAM_ERR_USERNAME_EMPTY, "username is %s",
                            u ? "empty" : "NULL");
    /* One pass over the usual ASCII name: its length and its encoding. */
    for (n = 0; (unsigned char)u[n] - 1u < 0x7fu; n++)
        ;
    ascii = u[n] == '\0';
    if (!ascii)
        n += strlen(u + n);
    if (n > RDSIAM_USERNAME_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_USERNAME_TOO_LONG,
                            "username is longer than %d bytes",
                            RDSIAM_USERNAME_MAX);
    if (!ascii && !rdsiam__utf8_valid(u, n))
        return rdsiam__fail(err, RDSIAM_ERR_USERNAME_UTF8,
                            "username is not valid UTF-8");
    if (len)
        *len = n;
    return RDSIAM_OK;
}

static int check_host(const last_token *l, const char *h,
                      rdsiam__presign_spec *s, rdsiam_error *err)
{
    s->host = h;
    if (same_str(l->host, l->host_len, h)) {
        s->host_len = l->host_len;
        s->same |= SAME_HOST;
        return RDSIAM_OK;
    }
    return rdsiam__check_hostname(h, &s->host_len, err);
}

static int check_user(const last_token *l, const char *u,
                      rdsiam__presign_spec *s, rdsiam_error *err)
{
    s->user = u;
    if (same_str(l->user, l->user_len, u)) {
        s->user_len = l->user_len;
        s->same |= SAME_USER;
        return RDSIAM_OK;
    }
    return check_username(u, &s->user_len, err);
}

static int check_region(const last_token *l, const char *r,
                        rdsiam__presign_spec *s, rdsiam_error *err)
{
    s->region = r;
    if (same_str(l->region, l->region_len, r)) {
        s->region_len = l->region_len;
        s->same |= SAME_REGION;
        return RDSIAM_OK;
    }
    return rdsiam__check_region(r, &s->region_len, err);
}

/* rdsiam__check_credentials, measuring each string once; the secret and
 * the session token are compared with the cached ones in constant time. */
static int check_creds(const key_cache *c, const rdsiam_credentials *creds,
                       rdsiam__presign_spec *s, rdsiam_error *err)
{
    const char *secret, *tok;
    size_t n;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, creds, RDSIAM_ERR_CREDENTIALS_NULL,
                  "credentials are NULL");
    if (same_str(c->last.akid, c->last.akid_len, creds->access_key_id)) {
        s->akid_len = c->last.akid_len;
        s->same |= SAME_AKID;
    } else {
        RDSIAM_GUARD(rdsiam__check_access_key_id(creds->access_key_id,
                                                 &s->akid_len, err));
    }
    secret = creds->secret_access_key;
    n = secret ? strlen(secret) : 0;
    if (c->valid && n == c->secret_len &&
        rdsiam__ct_equal(c->secret, secret, n)) {
        s->secret_len = n;
        s->same |= SAME_SECRET;
    } else {
        RDSIAM_GUARD(rdsiam__check_secret_key(secret, &s->secret_len, err));
    }
    tok = rdsiam__session_token(creds);
    if (tok) {
        n = strlen(tok);
        if (n == c->tok_len && rdsiam__ct_equal(c->tok, tok, n))
            s->same |= SAME_TOKEN;
        else
            RDSIAM_GUARD(rdsiam__check_session_token(tok, n, err));
        s->tok_len = n;
    }
done:
    return rc;
}

/* The same checks for the other token files (token_cache.c, token_msk.c),
 * against the calling thread's cached token. */
int rdsiam__token_check_host(const char *host, rdsiam__presign_spec *s,
                             rdsiam_error *err)
{
    return check_host(&tls_keys.last, host, s, err);
}

int rdsiam__token_check_user(const char *user, rdsiam__presign_spec *s,
                             rdsiam_error *err)
{
    return check_user(&tls_keys.last, user, s, err);
}

int rdsiam__token_check_region(const char *region, rdsiam__presign_spec *s,
                               rdsiam_error *err)
{
    return check_region(&tls_keys.last, region, s, err);
}

int rdsiam__token_check_creds(const rdsiam_credentials *creds,
                              rdsiam__presign_spec *s, rdsiam_error *err)
{
    return check_creds(&tls_keys, creds, s, err);
}

int rdsiam__token_finish(int rc, char *buf, size_t bufsize, size_t need,
                         rdsiam_error *err)
{
    return finish(rc, buf, bufsize, need, err);
}

/* ------------------------------------------------------------------------ */
/* RDS                                                                       */
/* ------------------------------------------------------------------------ */

int rdsiam_token_params_check(const rdsiam_token_params *params,
                              rdsiam_error *err)
{
    const last_token *l = &tls_keys.last;
    int64_t t;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "token parameters are NULL");
    if (!same_str(l->host, l->host_len, params->hostname))
        RDSIAM_GUARD(rdsiam__check_hostname(params->hostname, NULL, err));
    RDSIAM_ENSURE(err, params->port >= 1 && params->port <= 65535,
                  RDSIAM_ERR_PORT_RANGE, "port must be between 1 and 65535");
    if (!same_str(l->user, l->user_len, params->username))
        RDSIAM_GUARD(check_username(params->username, NULL, err));
    /* NULL: to be resolved by a provider */
    if (params->region && !same_str(l->region, l->region_len, params->region))
        RDSIAM_GUARD(rdsiam__check_region(params->region, NULL, err));
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, &t, err));
    rdsiam__ok(err);
done:
    return rc;
}

int rdsiam_generate_token_ex(const rdsiam_token_params *params,
                             const rdsiam_credentials *creds, char *buf,
                             size_t bufsize, size_t *needed, rdsiam_error *err)
{
    key_cache *c = &tls_keys;
    rdsiam__presign_spec s = {.action = "connect",
                              .action_len = 7,
                              .user_key = "DBUser",
                              .user_key_len = 6,
                              .service = "rds-db",
                              .service_len = 6,
                              .expires = RDSIAM_TOKEN_LIFETIME};
    size_t need = 0;
    int rc = RDSIAM_OK;

    if (needed)
        *needed = 0;
    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "token parameters are NULL");
    RDSIAM_ENSURE(err, buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
                  "output buffer is NULL but its size is not 0");
    RDSIAM_GUARD(check_host(&c->last, params->hostname, &s, err));
    RDSIAM_ENSURE(err, params->port >= 1 && params->port <= 65535,
                  RDSIAM_ERR_PORT_RANGE, "port must be between 1 and 65535");
    s.port = params->port;
    RDSIAM_GUARD(check_user(&c->last, params->username, &s, err));
    RDSIAM_GUARD(check_region(&c->last, params->region, &s, err));
    RDSIAM_GUARD(check_creds(c, creds, &s, err));
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, &s.time, err));
    rc = rdsiam__presign(&s, creds, buf, bufsize, &need);
    if (needed)
        *needed = need;
done:
    return finish(rc, buf, bufsize, need, err);
}

int rdsiam_generate_token(const rdsiam_token_params *params,
                          const rdsiam_credentials *creds, char *buf,
                          size_t bufsize)
{
    return rdsiam_generate_token_ex(params, creds, buf, bufsize, NULL, NULL);
}

void rdsiam_token_free(char *token)
{
    rdsiam__free_secret_str(token);
}

/* ------------------------------------------------------------------------ */
/* Aurora DSQL                                                               */
/* ------------------------------------------------------------------------ */

/* SigV4 presigned URLs: "X-Amz-Expires ... minimum value 1, maximum value
 * 604800 (seven days)". */
#define SIGV4_MAX_EXPIRES 604800

int rdsiam_generate_dsql_token(const rdsiam_dsql_params *params,
                               const rdsiam_credentials *creds, char *buf,
                               size_t bufsize, size_t *needed,
                               rdsiam_error *err)
{
    key_cache *c = &tls_keys;
    rdsiam__presign_spec s = {.service = "dsql", .service_len = 4};
    size_t need = 0;
    int64_t expires;
    int rc = RDSIAM_OK;

    if (needed)
        *needed = 0;
    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "DSQL parameters are NULL");
    RDSIAM_ENSURE(err, buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
                  "output buffer is NULL but its size is not 0");
    RDSIAM_GUARD(check_host(&c->last, params->hostname, &s, err));
    RDSIAM_GUARD(check_region(&c->last, params->region, &s, err));
    RDSIAM_ENSURE(err,
                  params->action == RDSIAM_DSQL_CONNECT ||
                      params->action == RDSIAM_DSQL_CONNECT_ADMIN,
                  RDSIAM_ERR_DSQL_ACTION,
                  "DSQL action must be RDSIAM_DSQL_CONNECT or "
                  "RDSIAM_DSQL_CONNECT_ADMIN");
    expires = params->expires_in ? params->expires_in : 900;
    RDSIAM_ENSURE(err, expires >= 1 && expires <= SIGV4_MAX_EXPIRES,
                  RDSIAM_ERR_EXPIRES_RANGE,
                  "expires_in must be between 1 and %d seconds",
                  SIGV4_MAX_EXPIRES);
    RDSIAM_GUARD(check_creds(c, creds, &s, err));
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, &s.time, err));
    if (params->action == RDSIAM_DSQL_CONNECT_ADMIN) {
        s.action = "DbConnectAdmin";
        s.action_len = 14;
    } else {
        s.action = "DbConnect";
        s.action_len = 9;
    }
    s.expires = (unsigned int)expires;
    rc = rdsiam__presign(&s, creds, buf, bufsize, &need);
    if (needed)
        *needed = need;
done:
    return finish(rc, buf, bufsize, need, err);
}
