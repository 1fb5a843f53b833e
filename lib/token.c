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
static const char P_DBUSER[] = "&DBUser=";
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
/* Per-thread signing-key cache                                             */
/* ------------------------------------------------------------------------ */

/*
 * Deriving kSigning costs four HMACs over short keys, more than signing
 * itself. It depends only on (secret, date, region, service), which a
 * program repeats for every token of the day, so each thread keeps the
 * last one. The entry is replaced (and the old one wiped) when any input
 * changes, and wiped when the thread exits. Being per thread, it needs no
 * lock and shares no cache line.
 */
/*
 * The canonical request of consecutive tokens also starts the same way:
 * "GET\n/\nAction=connect&DBUser=U&...&X-Amz-Date=" depends only on the
 * user, key id, day, region and service, and it ends the same way:
 * "&X-Amz-SignedHeaders=host\nhost:H\n\nhost\n" + hash("") depends only on
 * the host and port. The cache keeps, for the last endpoint (keyed by those
 * raw inputs), the encoded query up to "X-Amz-Date=", the SHA-256 state
 * after its whole 64-byte blocks and that tail, so a token neither encodes
 * nor lowercases anything and hashes only what changes. None of it is
 * secret (the key id is public; it is in every token).
 */
#define PREFIX_MAX 512
#define TAIL_MAX                                                               \
    (SLEN("&X-Amz-SignedHeaders=host\nhost:") + RDSIAM_HOSTNAME_MAX + 6 +      \
     SLEN("\n\nhost\n") + 64)
#define EP_FIELDS 6 /* host, action, dbuser, key id, region, service */
#define EP_KEY_MAX                                                             \
    (RDSIAM_HOSTNAME_MAX + 16 + RDSIAM_USERNAME_MAX + RDSIAM_ACCESS_KEY_MAX +  \
     RDSIAM_REGION_MAX + 16)

typedef struct endpoint {
    size_t len[EP_FIELDS]; /* 0 in len[0]: nothing cached */
    char key[EP_KEY_MAX];
    unsigned int port;
    bool dbuser;
    int64_t day;
    char date8[8];
    size_t query_len; /* "Action=" ... "X-Amz-Date=" */
    char query[PREFIX_MAX];
    size_t hashed; /* bytes of "GET\n/\n" + query in state */
    rdsiam__sha256 state;
    size_t tail_len;
    char tail[TAIL_MAX];
} endpoint;

/*
 * The session token is signed after X-Amz-Date, so its bytes are hashed
 * for every token; but its percent-encoding is the same for every token
 * signed with the same credentials. The cache keeps the last token and
 * its encoding, so a token costs one constant-time comparison and one
 * copy instead of two passes of per-byte encoding. Tokens whose encoding
 * is longer than this (STS tokens run to about 1,300 bytes; session tags
 * make them longer) are encoded on every call.
 */
#define TOKEN_CACHE_MAX 4096

typedef struct key_cache {
    bool valid;
    bool registered;
    size_t secret_len, region_len, service_len;
    char secret[RDSIAM_SECRET_KEY_MAX];
    char date8[8];
    char region[RDSIAM_REGION_MAX];
    char service[16];
    rdsiam__hmac_key key;
    endpoint ep;
    size_t tok_len; /* 0: no session token cached */
    size_t tok_enc_len;
    char tok[TOKEN_CACHE_MAX];
    char tok_enc[TOKEN_CACHE_MAX];
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
 * exit, and when the library is unloaded (dlclose).
 */
__attribute__((destructor)) static void wipe_at_exit(void)
{
    rdsiam_cache_wipe();
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

static const rdsiam__hmac_key *signing_key(const rdsiam__presign_spec *s,
                                           const char *secret,
                                           size_t secret_len,
                                           const char date8[8],
                                           rdsiam__hmac_key *scratch)
{
    key_cache *c = &tls_keys;

    if (s->no_cache || s->service_len > sizeof c->service) {
        /* Not cacheable; derive into the caller's scratch (wiped there). */
        rdsiam__derive_signing_key(secret, secret_len, date8, s->region,
                                   s->region_len, s->service, s->service_len,
                                   scratch);
        return scratch;
    }
    if (c->valid && c->secret_len == secret_len &&
        c->region_len == s->region_len && c->service_len == s->service_len &&
        memcmp(c->date8, date8, 8) == 0 &&
        memcmp(c->region, s->region, s->region_len) == 0 &&
        memcmp(c->service, s->service, s->service_len) == 0 &&
        rdsiam__ct_equal(c->secret, secret, secret_len))
        return &c->key;

    register_wipe(c);
    rdsiam__wipe(&c->key, sizeof c->key);
    rdsiam__derive_signing_key(secret, secret_len, date8, s->region,
                               s->region_len, s->service, s->service_len,
                               &c->key);
    memcpy(c->secret, secret, secret_len);
    c->secret_len = secret_len;
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

static const char CR_HEAD[] = "GET\n/\n";
static const char CR_SIGNED[] = "&X-Amz-SignedHeaders=host\nhost:";
static const char CR_END[] = "\n\nhost\n" RDSIAM__EMPTY_SHA256_HEX;

/* The raw inputs an endpoint entry is keyed by. */
static void endpoint_fields(const rdsiam__presign_spec *s, const char *akid,
                            size_t akid_len, const char *f[EP_FIELDS],
                            size_t n[EP_FIELDS])
{
    f[0] = s->host, n[0] = s->host_len;
    f[1] = s->action, n[1] = s->action_len;
    f[2] = s->dbuser ? s->dbuser : "", n[2] = s->dbuser ? s->dbuser_len : 0;
    f[3] = akid, n[3] = akid_len;
    f[4] = s->region, n[4] = s->region_len;
    f[5] = s->service, n[5] = s->service_len;
}

/* The thread's endpoint entry when it matches, else NULL. */
static const endpoint *endpoint_find(const rdsiam__presign_spec *s,
                                     const char *akid, size_t akid_len,
                                     int64_t day)
{
    const endpoint *e = &tls_keys.ep;
    const char *f[EP_FIELDS];
    size_t n[EP_FIELDS], off = 0;

    if (s->no_cache || e->len[0] == 0 || e->day != day || e->port != s->port ||
        e->dbuser != (s->dbuser != NULL))
        return NULL;
    endpoint_fields(s, akid, akid_len, f, n);
    for (int i = 0; i < EP_FIELDS; i++) {
        if (e->len[i] != n[i] || memcmp(e->key + off, f[i], n[i]) != 0)
            return NULL;
        off += n[i];
    }
    return e;
}

/*
 * Remember the endpoint just written: its query prefix (query[0..qn)), the
 * hash state of "GET\n/\n" + that prefix after its whole blocks, and the
 * canonical request's tail. Skipped when a piece does not fit.
 */
static void endpoint_store(const rdsiam__presign_spec *s, const char *akid,
                           size_t akid_len, int64_t day, const char *date8,
                           const char *query, size_t qn, const char *tail,
                           size_t tn)
{
    endpoint *e = &tls_keys.ep;
    const char *f[EP_FIELDS];
    size_t n[EP_FIELDS], off = 0, whole = (SLEN(CR_HEAD) + qn) / 64 * 64;

    e->len[0] = 0;
    if (s->no_cache || qn > PREFIX_MAX || tn > TAIL_MAX ||
        whole < SLEN(CR_HEAD))
        return;
    endpoint_fields(s, akid, akid_len, f, n);
    for (int i = 0; i < EP_FIELDS; i++) {
        if (n[i] > EP_KEY_MAX - off)
            return;
        memcpy(e->key + off, f[i], n[i]);
        off += n[i];
    }
    rdsiam__sha256_init(&e->state);
    rdsiam__sha256_update(&e->state, LIT(CR_HEAD));
    rdsiam__sha256_update(&e->state, query, whole - SLEN(CR_HEAD));
    e->hashed = whole;
    memcpy(e->query, query, qn);
    e->query_len = qn;
    memcpy(e->tail, tail, tn);
    e->tail_len = tn;
    e->port = s->port;
    e->dbuser = s->dbuser != NULL;
    e->day = day;
    memcpy(e->date8, date8, 8);
    memcpy(e->len, n, sizeof n); /* valid from here on */
}

/* ------------------------------------------------------------------------ */
/* The presigned query, written and signed in one pass                       */
/* ------------------------------------------------------------------------ */

/* tok_enc_len: the encoded session token's length, 0 for none. */
static size_t presign_size(const rdsiam__presign_spec *s, const char *akid,
                           size_t akid_len, size_t tok_enc_len)
{
    size_t n = s->host_len;

    if (s->port)
        n += 1 + udigits(s->port);
    n += SLEN(P_ACTION) + s->action_len;
    if (s->dbuser)
        n += SLEN(P_DBUSER) + rdsiam__uri_encoded_len(s->dbuser, s->dbuser_len);
    n += SLEN(P_ALGO) + rdsiam__uri_encoded_len(akid, akid_len);
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
 * changes within a day (the date comes from the endpoint cache). */
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

int rdsiam__presign(const rdsiam__presign_spec *s,
                    const rdsiam_credentials *creds, char *buf,
                    size_t bufsize, size_t *needed)
{
    const char *akid = creds->access_key_id;
    const char *secret = creds->secret_access_key;
    const char *tok = rdsiam__session_token(creds);
    size_t akid_len = strlen(akid), secret_len = strlen(secret);
    size_t tok_len = tok ? strlen(tok) : 0, tok_enc_len = 0;
    const char *tok_enc =
        tok ? encoded_token(s, tok, tok_len, &tok_enc_len) : NULL;
    int64_t day = s->time / 86400;
    const endpoint *e = endpoint_find(s, akid, akid_len, day);
    size_t need;
    char amz_date[17], tail[TAIL_MAX];
    /* the canonical request after the cached blocks, contiguous, padded */
    unsigned char cr[64 + 16 + SLEN(P_EXPIRES) + 10 + SLEN(P_TOKEN) +
                     TOKEN_CACHE_MAX + TAIL_MAX + RDSIAM__SHA256_PAD];
    size_t crn;
    char *p, *query, *date_val, *query_end, *tok_start = NULL, *tok_end = NULL;
    unsigned char sts[SLEN("AWS4-HMAC-SHA256\n") + 17 + 9 + RDSIAM_REGION_MAX +
                      1 + 16 + SLEN("/aws4_request\n") + 64 +
                      RDSIAM__SHA256_PAD];
    char *q;
    unsigned char digest[32];
    rdsiam__sha256 h;
    rdsiam__hmac_key scratch;
    const rdsiam__hmac_key *key;

    if (e)
        need = s->host_len + (s->port ? 1 + udigits(s->port) : 0) + 2 +
               e->query_len + 16 + SLEN(P_EXPIRES) + udigits(s->expires) +
               SLEN(P_SIGNED) + (tok ? SLEN(P_TOKEN) + tok_enc_len : 0) +
               SLEN(P_SIG) + 64 + 1;
    else
        need = presign_size(s, akid, akid_len, tok_enc_len);
    if (needed)
        *needed = need;
    if (!buf || bufsize < need)
        return RDSIAM_ERR_BUFFER_TOO_SMALL;

    if (e) {
        memcpy(amz_date, e->date8, 8);
        put_time_of_day(amz_date + 8, (unsigned int)(s->time % 86400));
        amz_date[16] = '\0';
    } else {
        rdsiam__amz_date(amz_date, s->time);
    }

    /* The token text: from the endpoint cache up to X-Amz-Date, or
     * written and encoded field by field. */
    p = put(buf, s->host, s->host_len);
    if (s->port) {
        *p++ = ':';
        p = put_uint(p, s->port);
    }
    p = put(p, LIT(P_ACTION));
    query = p - SLEN("Action=");
    if (e) {
        p = put(query, e->query, e->query_len);
    } else {
        p = put(p, s->action, s->action_len);
        if (s->dbuser) {
            p = put(p, LIT(P_DBUSER));
            p += rdsiam__uri_encode(p, s->dbuser, s->dbuser_len);
        }
        p = put(p, LIT(P_ALGO));
        p += rdsiam__uri_encode(p, akid, akid_len);
        p = put(p, LIT(P_SLASH));
        p = put(p, amz_date, 8);
        p = put(p, LIT(P_SLASH));
        p = put(p, s->region, s->region_len);
        p = put(p, LIT(P_SLASH));
        p = put(p, s->service, s->service_len);
        p = put(p, LIT(P_TERM));
    }
    date_val = p;
    p = put(p, amz_date, 16);
    p = put(p, LIT(P_EXPIRES));
    p = put_uint(p, s->expires);
    query_end = p;
    p = put(p, LIT(P_SIGNED));
    if (tok) {
        tok_start = p;
        p = put(p, LIT(P_TOKEN));
        if (tok_enc)
            p = put(p, tok_enc, tok_enc_len);
        else
            p += rdsiam__uri_encode(p, tok, tok_len);
        tok_end = p;
    }

    /* Canonical request:
     *   GET \n / \n sorted-query \n host:H \n \n host \n hash("")
     * hashed from the token text itself, except the cached blocks and the
     * tail. */
    if (e && (!tok || tok_enc)) {
        /* Everything after the cached blocks copied together, so that it
         * is hashed in one call. */
        size_t lead = e->query_len - (e->hashed - SLEN(CR_HEAD));
        char *w = (char *)cr;

        w = put(w, query + (e->hashed - SLEN(CR_HEAD)), lead);
        w = put(w, date_val, (size_t)(query_end - date_val));
        if (tok)
            w = put(w, tok_start, (size_t)(tok_end - tok_start));
        w = put(w, e->tail, e->tail_len);
        crn = (size_t)(w - (char *)cr);
        h = e->state;
        rdsiam__sha256_final_padded(&h, cr, crn, e->hashed + crn, digest);
        if (tok) /* the copy holds the session token */
            rdsiam__wipe(cr, crn + RDSIAM__SHA256_PAD);
    } else {
        if (e) {
            h = e->state;
            rdsiam__sha256_update(&h, query + (e->hashed - SLEN(CR_HEAD)),
                                  e->query_len - (e->hashed - SLEN(CR_HEAD)));
        } else {
            rdsiam__sha256_init(&h);
            rdsiam__sha256_update(&h, LIT(CR_HEAD));
            rdsiam__sha256_update(&h, query, (size_t)(date_val - query));
        }
        rdsiam__sha256_update(&h, date_val, (size_t)(query_end - date_val));
        if (tok)
            rdsiam__sha256_update(&h, tok_start, (size_t)(tok_end - tok_start));
        if (e) {
            rdsiam__sha256_update(&h, e->tail, e->tail_len);
        } else {
            size_t tn = cr_tail(tail, s);
            rdsiam__sha256_update(&h, tail, tn);
            endpoint_store(s, akid, akid_len, day, amz_date, query,
                           (size_t)(date_val - query), tail, tn);
        }
        rdsiam__sha256_final(&h, digest);
    }

    /* String to sign, MACed as it is produced:
     *   AWS4-HMAC-SHA256 \n T \n DATE/REGION/SERVICE/aws4_request \n hex */
    q = put((char *)sts, LIT("AWS4-HMAC-SHA256\n"));
    q = put(q, amz_date, 16);
    *q++ = '\n';
    q = put(q, amz_date, 8);
    *q++ = '/';
    q = put(q, s->region, s->region_len);
    *q++ = '/';
    q = put(q, s->service, s->service_len);
    q = put(q, LIT("/aws4_request\n"));
    rdsiam__hex(q, digest, 32);
    q += 64;
    key = signing_key(s, secret, secret_len, amz_date, &scratch);
    rdsiam__hmac_padded(key, sts, (size_t)(q - (char *)sts), digest);
    if (key == &scratch)
        rdsiam__wipe(&scratch, sizeof scratch);

    p = put(p, LIT(P_SIG));
    rdsiam__hex(p, digest, 32);
    p[64] = '\0';
    rdsiam__wipe(digest, sizeof digest);
    return RDSIAM_OK;
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
/* RDS                                                                       */
/* ------------------------------------------------------------------------ */

static int check_username(const char *u, rdsiam_error *err)
{
    size_t n;

    if (!u || !*u)
        return rdsiam__fail(err, RDSIAM_ERR_USERNAME_EMPTY, "username is %s",
                            u ? "empty" : "NULL");
    n = strlen(u);
    if (n > RDSIAM_USERNAME_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_USERNAME_TOO_LONG,
                            "username is longer than %d bytes",
                            RDSIAM_USERNAME_MAX);
    if (!rdsiam__utf8_valid(u, n))
        return rdsiam__fail(err, RDSIAM_ERR_USERNAME_UTF8,
                            "username is not valid UTF-8");
    return RDSIAM_OK;
}

int rdsiam_token_params_check(const rdsiam_token_params *params,
                              rdsiam_error *err)
{
    int64_t t;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "token parameters are NULL");
    RDSIAM_GUARD(rdsiam__check_hostname(params->hostname, err));
    RDSIAM_ENSURE(err, params->port >= 1 && params->port <= 65535,
                  RDSIAM_ERR_PORT_RANGE, "port must be between 1 and 65535");
    RDSIAM_GUARD(check_username(params->username, err));
    /* NULL: to be resolved by a provider */
    if (params->region)
        RDSIAM_GUARD(rdsiam__check_region(params->region, err));
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, &t, err));
    rdsiam__ok(err);
done:
    return rc;
}

int rdsiam_generate_token_ex(const rdsiam_token_params *params,
                             const rdsiam_credentials *creds, char *buf,
                             size_t bufsize, size_t *needed, rdsiam_error *err)
{
    rdsiam__presign_spec s;
    size_t need = 0;
    int rc = RDSIAM_OK;

    if (needed)
        *needed = 0;
    ENSURE_MSG(params, RDSIAM_ERR_NULL_ARGUMENT, "token parameters are NULL");
    ENSURE_MSG(buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
               "output buffer is NULL but its size is not 0");
    GUARD(rdsiam__check_hostname(params->hostname, err));
    ENSURE_MSG(params->port >= 1 && params->port <= 65535,
               RDSIAM_ERR_PORT_RANGE, "port must be between 1 and 65535");
    GUARD(check_username(params->username, err));
    GUARD(rdsiam__check_region(params->region, err));
    GUARD(rdsiam__check_credentials(creds, err));

    memset(&s, 0, sizeof s);
    GUARD(rdsiam__check_time(params->signing_time, &s.time, err));
    s.host = params->hostname;
    s.host_len = strlen(params->hostname);
    s.port = params->port;
    s.action = "connect";
    s.action_len = 7;
    s.dbuser = params->username;
    s.dbuser_len = strlen(params->username);
    s.service = "rds-db";
    s.service_len = 6;
    s.region = params->region;
    s.region_len = strlen(params->region);
    s.expires = RDSIAM_TOKEN_LIFETIME;
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

void rdsiam_token_free(char *token) { rdsiam__free_secret_str(token); }

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
    rdsiam__presign_spec s;
    size_t need = 0;
    int64_t expires;
    int rc = RDSIAM_OK;

    if (needed)
        *needed = 0;
    ENSURE_MSG(params, RDSIAM_ERR_NULL_ARGUMENT, "DSQL parameters are NULL");
    ENSURE_MSG(buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
               "output buffer is NULL but its size is not 0");
    GUARD(rdsiam__check_hostname(params->hostname, err));
    GUARD(rdsiam__check_region(params->region, err));
    ENSURE_MSG(params->action == RDSIAM_DSQL_CONNECT ||
                   params->action == RDSIAM_DSQL_CONNECT_ADMIN,
               RDSIAM_ERR_DSQL_ACTION,
               "DSQL action must be RDSIAM_DSQL_CONNECT or "
               "RDSIAM_DSQL_CONNECT_ADMIN");
    expires = params->expires_in ? params->expires_in : 900;
    ENSURE_MSG(expires >= 1 && expires <= SIGV4_MAX_EXPIRES,
               RDSIAM_ERR_EXPIRES_RANGE,
               "expires_in must be between 1 and %d seconds",
               SIGV4_MAX_EXPIRES);
    GUARD(rdsiam__check_credentials(creds, err));

    memset(&s, 0, sizeof s);
    GUARD(rdsiam__check_time(params->signing_time, &s.time, err));
    s.host = params->hostname;
    s.host_len = strlen(params->hostname);
    if (params->action == RDSIAM_DSQL_CONNECT_ADMIN) {
        s.action = "DbConnectAdmin";
        s.action_len = 14;
    } else {
        s.action = "DbConnect";
        s.action_len = 9;
    }
    s.service = "dsql";
    s.service_len = 4;
    s.region = params->region;
    s.region_len = strlen(params->region);
    s.expires = (unsigned int)expires;
    rc = rdsiam__presign(&s, creds, buf, bufsize, &need);
    if (needed)
        *needed = need;
done:
    return finish(rc, buf, bufsize, need, err);
}
