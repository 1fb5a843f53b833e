/*
 * verify.c - check an IAM authentication token the way the service does:
 * RDS (rdsiam_verify_token), ElastiCache, MemoryDB and MSK
 * (rdsiam_verify_service_token); for emulators, tests and proxies that
 * hold the keys.
 *
 * The token is parsed strictly: "host[:port]/?" (an MSK token: base64url
 * of "https://host/?", token_msk.c) followed by exactly the parameters
 * its kind has (the shapes below), each once, in any order, every value
 * made of RFC 3986 unreserved characters and %XX escapes. The signature
 * is then recomputed, as the server side of SigV4 does, from the decoded
 * values re-encoded canonically (rdsiam__presign, the same code that
 * writes tokens) and compared in constant time.
 *
 * Messages say which check failed and never quote the token, the secret
 * or the session token (the token is itself a bearer credential).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

/* A token with the longest session token we sign, fully escaped. */
#define TOKEN_MAX (3u * RDSIAM_SESSION_TOKEN_MAX + 8192u)
/* The same URL as an MSK token: base64url, four characters per three. */
#define MSK_TOKEN_MAX (TOKEN_MAX / 3u * 4u + 4u)
#define DEFAULT_MAX_FUTURE 300

enum {
    P_ACTION,
    P_DBUSER,
    P_USER,
    P_RESOURCE_TYPE,
    P_ALGORITHM,
    P_CREDENTIAL,
    P_DATE,
    P_EXPIRES,
    P_SIGNED_HEADERS,
    P_SECURITY_TOKEN,
    P_SIGNATURE,
    P_USER_AGENT,
    P_COUNT
};

static const char *const PARAM_NAMES[P_COUNT] = {"Action",
                                                 "DBUser",
                                                 "User",
                                                 "ResourceType",
                                                 "X-Amz-Algorithm",
                                                 "X-Amz-Credential",
                                                 "X-Amz-Date",
                                                 "X-Amz-Expires",
                                                 "X-Amz-SignedHeaders",
                                                 "X-Amz-Security-Token",
                                                 "X-Amz-Signature",
                                                 "User-Agent"};

#define BIT(p) (1u << (p))
/* What every presigned token has. */
#define SIGV4_PARAMS                                                           \
    (BIT(P_ACTION) | BIT(P_ALGORITHM) | BIT(P_CREDENTIAL) | BIT(P_DATE) |      \
     BIT(P_EXPIRES) | BIT(P_SIGNED_HEADERS) | BIT(P_SIGNATURE))

/* A kind of token: what it is made of, and what it is signed for. */
typedef struct shape {
    const char *kind; /* for messages */
    const char *service;
    const char *action;
    unsigned required, optional; /* BIT(P_*) */
    int user;                    /* P_DBUSER, P_USER, or -1: none */
    bool port;                   /* host:port */
    bool base64;                 /* base64url of "https://" + the URL */
} shape;

/* RDS: token.c. */
static const shape RDS = {.kind = "an RDS token",
                          .service = "rds-db",
                          .action = "connect",
                          .required = SIGV4_PARAMS | BIT(P_DBUSER),
                          .optional = BIT(P_SECURITY_TOKEN),
                          .user = P_DBUSER,
                          .port = true};
/* ElastiCache, MemoryDB: token_cache.c. */
static const shape ELASTICACHE = {.kind = "an ElastiCache token",
                                  .service = "elasticache",
                                  .action = "connect",
                                  .required = SIGV4_PARAMS | BIT(P_USER),
                                  .optional = BIT(P_SECURITY_TOKEN) |
                                              BIT(P_RESOURCE_TYPE),
                                  .user = P_USER};
static const shape MEMORYDB = {.kind = "a MemoryDB token",
                               .service = "memorydb",
                               .action = "connect",
                               .required = SIGV4_PARAMS | BIT(P_USER),
                               .optional = BIT(P_SECURITY_TOKEN),
                               .user = P_USER};
/* MSK: token_msk.c. AWS's Go signer re-sorts the query after adding the
 * unsigned User-Agent, so it may come anywhere; it may be missing. */
static const shape MSK = {.kind = "an MSK token",
                          .service = "kafka-cluster",
                          .action = "kafka-cluster:Connect",
                          .required = SIGV4_PARAMS,
                          .optional = BIT(P_SECURITY_TOKEN) | BIT(P_USER_AGENT),
                          .user = -1,
                          .base64 = true};

static const char SERVERLESS[] = "ResourceType=ServerlessCache";

/* What the server knows, from either public call's parameters. */
typedef struct expect {
    const shape *shape;
    const char *host; /* compared case-insensitively */
    unsigned int port;
    const char *region;
    const char *username; /* NULL: the kind has no user */
    bool serverless;      /* ElastiCache: ResourceType=ServerlessCache */
    int64_t now, max_future;
} expect;

/* The token taken apart; values point into a scratch buffer (wiped). */
typedef struct parsed {
    const char *host;
    size_t host_len;
    unsigned int port;
    char *value[P_COUNT]; /* decoded, NUL-terminated; NULL when absent */
    size_t value_len[P_COUNT];
    /* X-Amz-Credential split at '/' */
    const char *akid, *scope_date, *scope_region, *scope_service;
    size_t akid_len;
    int64_t time;
    unsigned int expires;
} parsed;

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* Decimal without sign or leading zero, at most max. */
static bool parse_uint(const char *s, size_t n, unsigned long max,
                       unsigned long *v)
{
    unsigned long r = 0;

    if (!all_digits(s, n) || (n > 1 && s[0] == '0') || n > 9)
        return false;
    for (size_t i = 0; i < n; i++)
        r = r * 10 + (unsigned long)(s[i] - '0');
    if (r < 1 || r > max)
        return false;
    *v = r;
    return true;
}

/* "host:port" (or "host", for kinds without a port) before "/?". The
 * host is what precedes the last ':'. */
static int parse_authority(const char *t, size_t n, const shape *sh, parsed *p,
                           rdsiam_error *err)
{
    const char *colon = NULL;
    unsigned long port;

    for (size_t i = 0; i < n; i++)
        if (t[i] == ':')
            colon = t + i;
    if (!sh->port) {
        if (colon || n == 0)
            return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                                "%s does not start with a host name (and no "
                                "port)",
                                sh->kind);
        p->host = t;
        p->host_len = n;
        return RDSIAM_OK;
    }
    if (!colon || colon == t)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "token does not start with host:port");
    if (!parse_uint(colon + 1, (size_t)(t + n - colon - 1), 65535, &port))
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "token port is not a number from 1 to 65535");
    p->host = t;
    p->host_len = (size_t)(colon - t);
    p->port = (unsigned int)port;
    return RDSIAM_OK;
}

/* One "name=value" pair: a name the kind has, the value unreserved or
 * %XX (the unsigned User-Agent: also '+', urlencode()'s space). */
static int parse_pair(const char *s, size_t n, size_t pos, const shape *sh,
                      char **scratch, parsed *p, rdsiam_error *err)
{
    const char *eq = memchr(s, '=', n);
    size_t name_len, vlen;
    int which = -1;
    long dlen;

    if (!eq)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "query parameter %zu has no '='", pos);
    name_len = (size_t)(eq - s);
    for (int i = 0; i < P_COUNT; i++)
        if (strlen(PARAM_NAMES[i]) == name_len &&
            memcmp(PARAM_NAMES[i], s, name_len) == 0 &&
            ((sh->required | sh->optional) & BIT(i)))
            which = i;
    if (which < 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "query parameter %zu is not one %s has", pos,
                            sh->kind);
    if (p->value[which])
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "%s appears more than once", PARAM_NAMES[which]);
    vlen = n - name_len - 1;
    for (size_t i = name_len + 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (n - i < 3 || !rdsiam__is_hex(s[i + 1]) ||
                !rdsiam__is_hex(s[i + 2]))
                return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                                    "%s has an invalid %%-escape",
                                    PARAM_NAMES[which]);
            i += 2;
        } else if (!RDSIAM__UNRESERVED(c) &&
                   !(c == '+' && which == P_USER_AGENT)) {
            return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                                "%s has a character that must be "
                                "percent-encoded",
                                PARAM_NAMES[which]);
        }
    }
    dlen = rdsiam__uri_decode(*scratch, eq + 1, vlen);
    if (dlen < 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "%s has an invalid %%-escape", PARAM_NAMES[which]);
    if (memchr(*scratch, '\0', (size_t)dlen))
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED, "%s contains %%00",
                            PARAM_NAMES[which]);
    p->value[which] = *scratch;
    p->value_len[which] = (size_t)dlen;
    (*scratch)[dlen] = '\0';
    *scratch += (size_t)dlen + 1;
    return RDSIAM_OK;
}

static int parse_query(const char *q, size_t n, const shape *sh, char *scratch,
                       parsed *p, rdsiam_error *err)
{
    size_t start = 0, pos = 1;
    int rc;

    for (size_t i = 0; i <= n; i++) {
        if (i < n && q[i] != '&')
            continue;
        rc = parse_pair(q + start, i - start, pos, sh, &scratch, p, err);
        if (rc != RDSIAM_OK)
            return rc;
        start = i + 1;
        pos++;
    }
    for (int i = 0; i < P_COUNT; i++)
        if (!p->value[i] && (sh->required & BIT(i)))
            return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                                "%s is missing", PARAM_NAMES[i]);
    return RDSIAM_OK;
}

/* The fixed-form values: algorithm, signed headers, date, expiry,
 * credential scope, signature. */
static int check_form(parsed *p, rdsiam_error *err)
{
    const char *d = p->value[P_DATE], *c = p->value[P_CREDENTIAL];
    const char *part[5];
    size_t nparts = 1;
    unsigned long exp;

    if (strcmp(p->value[P_ALGORITHM], "AWS4-HMAC-SHA256") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Algorithm is not AWS4-HMAC-SHA256");
    /* Only host is signed in these tokens. */
    if (strcmp(p->value[P_SIGNED_HEADERS], "host") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-SignedHeaders is not host");
    if (p->value_len[P_DATE] != 16 || !all_digits(d, 8) || d[8] != 'T' ||
        !all_digits(d + 9, 6) || d[15] != 'Z' ||
        rdsiam__parse_time(d, &p->time) != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Date is not a valid YYYYMMDDTHHMMSSZ time");
    /* "X-Amz-Expires ... minimum 1"; these tokens live at most 15
     * minutes. */
    if (!parse_uint(p->value[P_EXPIRES], p->value_len[P_EXPIRES],
                    RDSIAM_TOKEN_LIFETIME, &exp))
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Expires is not a whole number from 1 to %d",
                            RDSIAM_TOKEN_LIFETIME);
    p->expires = (unsigned int)exp;

    /* Credential = AKID/DATE/REGION/SERVICE/aws4_request, split on '/'
     * in place (the decoded copy is ours). */
    part[0] = c;
    for (char *s = p->value[P_CREDENTIAL]; *s; s++) {
        if (*s != '/')
            continue;
        if (nparts == 5)
            return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                                "X-Amz-Credential has more than 5 parts");
        *s = '\0';
        part[nparts++] = s + 1;
    }
    if (nparts != 5 || strcmp(part[4], "aws4_request") != 0 || !*part[0])
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Credential is not "
                            "KEY/DATE/REGION/SERVICE/aws4_request");
    if (strlen(part[1]) != 8 || memcmp(part[1], d, 8) != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Credential date is not X-Amz-Date's day");
    p->akid = part[0];
    p->akid_len = strlen(part[0]);
    p->scope_date = part[1];
    p->scope_region = part[2];
    p->scope_service = part[3];

    if (p->value_len[P_SIGNATURE] != 64)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Signature is not 64 hex digits");
    for (size_t i = 0; i < 64; i++) {
        char h = p->value[P_SIGNATURE][i];
        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
            return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                                "X-Amz-Signature is not 64 lowercase hex "
                                "digits");
    }
    if (p->value[P_SECURITY_TOKEN] && p->value_len[P_SECURITY_TOKEN] == 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Security-Token is empty");
    return RDSIAM_OK;
}

static bool host_equal(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);

    if (an != bn)
        return false;
    /* The signed host is lowercased (token.c signed_host), so the case of
     * the printed host does not change what was signed. */
    for (size_t i = 0; i < an; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* The host, port and resource: the server's own. */
static int check_resource(const parsed *p, const expect *e, rdsiam_error *err)
{
    const char *rt = p->value[P_RESOURCE_TYPE];

    if (!host_equal(p->host, p->host_len, e->host))
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_HOST,
                            "token is for another host than %s", e->host);
    if (e->shape->port && p->port != e->port)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_HOST,
                            "token is for another port than %u", e->port);
    /* ElastiCache: a serverless cache and a replication group are
     * different resources, whatever their names. */
    if (rt && strcmp(rt, "ServerlessCache") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_HOST,
                            "ResourceType is not ServerlessCache");
    if (e->shape == &ELASTICACHE && !rt != !e->serverless)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_HOST,
                            e->serverless ? "token is not for a serverless "
                                            "cache, and this cache is one"
                                          : "token is for a serverless cache, "
                                            "and this cache is not one");
    return RDSIAM_OK;
}

/* What the server knows: its kind, endpoint, region and user, and the
 * clock. */
static int check_claims(const parsed *p, const expect *e, rdsiam_error *err)
{
    const shape *sh = e->shape;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, strcmp(p->value[P_ACTION], sh->action) == 0,
                  RDSIAM_ERR_TOKEN_ACTION, "Action is not %s", sh->action);
    RDSIAM_ENSURE(err, strcmp(p->scope_service, sh->service) == 0,
                  RDSIAM_ERR_TOKEN_SERVICE,
                  "credential scope service is not %s", sh->service);
    RDSIAM_ENSURE(err, strcmp(p->scope_region, e->region) == 0,
                  RDSIAM_ERR_TOKEN_REGION,
                  "token is for another region than %s", e->region);
    RDSIAM_GUARD(check_resource(p, e, err));
    if (sh->user >= 0)
        RDSIAM_ENSURE(err,
                      p->value_len[sh->user] == strlen(e->username) &&
                          memcmp(p->value[sh->user], e->username,
                                 p->value_len[sh->user]) == 0,
                      RDSIAM_ERR_TOKEN_USER, "token %s is not the login user",
                      PARAM_NAMES[sh->user]);
    /* Valid from X-Amz-Date for X-Amz-Expires seconds, inclusive. */
    RDSIAM_ENSURE(err, e->now - p->time <= (int64_t)p->expires,
                  RDSIAM_ERR_TOKEN_EXPIRED,
                  "token expired %lld s ago (signed %lld s ago, valid for "
                  "%u s)",
                  (long long)(e->now - p->time - p->expires),
                  (long long)(e->now - p->time), p->expires);
    RDSIAM_ENSURE(err, p->time - e->now <= e->max_future,
                  RDSIAM_ERR_TOKEN_FUTURE,
                  "token is dated %lld s ahead (at most %lld allowed)",
                  (long long)(p->time - e->now), (long long)e->max_future);
done:
    return rc;
}

/*
 * The session token. A key configured with one is temporary (STS)
 * credentials: the token must carry exactly it. A key without one is a
 * long-term key, and the services (through STS) refuse a request that
 * presents a session token no STS session issued, so a token carrying one
 * is refused.
 */
static int check_session(const parsed *p, const rdsiam__key *k,
                         rdsiam_error *err)
{
    const char *tok = p->value[P_SECURITY_TOKEN];
    size_t n = p->value_len[P_SECURITY_TOKEN];

    if (k->session_token && !tok)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_SESSION,
                            "the key requires a session token and the token "
                            "has none");
    if (!k->session_token && tok)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_SESSION,
                            "the token has a session token and the key takes "
                            "none");
    if (tok &&
        (n != k->token_len || !rdsiam__ct_equal(tok, k->session_token, n)))
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_SESSION,
                            "the session token is not the key's");
    return RDSIAM_OK;
}

/* Re-sign the decoded values with the key's secret; compare signatures. */
static int check_signature(const parsed *p, const shape *sh,
                           const rdsiam__key *k, rdsiam_error *err)
{
    rdsiam__presign_spec s;
    rdsiam_credentials c;
    size_t need = 0;
    char *buf = NULL;
    int rc = RDSIAM_OK;

    /* check_claims has compared the host with the server's (at most
     * RDSIAM_HOSTNAME_MAX bytes, which rdsiam__presign relies on), and
     * ResourceType's value with ServerlessCache. */
    memset(&s, 0, sizeof s);
    s.host = p->host;
    s.host_len = p->host_len;
    s.port = p->port;
    s.action = p->value[P_ACTION];
    s.action_len = p->value_len[P_ACTION];
    if (sh->user >= 0) {
        s.user = p->value[sh->user];
        s.user_len = p->value_len[sh->user];
        s.user_key = PARAM_NAMES[sh->user];
        s.user_key_len = strlen(s.user_key);
    }
    if (p->value[P_RESOURCE_TYPE]) {
        s.extra = SERVERLESS;
        s.extra_len = sizeof SERVERLESS - 1;
    }
    s.service = p->scope_service;
    s.service_len = strlen(p->scope_service);
    s.region = p->scope_region;
    s.region_len = strlen(p->scope_region);
    s.expires = p->expires;
    s.time = p->time;
    s.no_cache = true; /* a verifier's keys stay in its key store only */
    memset(&c, 0, sizeof c);
    c.access_key_id = p->akid;
    c.secret_access_key = k->secret_access_key;
    c.session_token = p->value[P_SECURITY_TOKEN];
    s.akid_len = strlen(c.access_key_id);
    s.secret_len = strlen(c.secret_access_key);
    s.tok_len = rdsiam__session_token(&c) ? strlen(c.session_token) : 0;

    rc = rdsiam__presign(&s, &c, NULL, 0, &need);
    RDSIAM_ENSURE(err, rc == RDSIAM_ERR_BUFFER_TOO_SMALL && need > 65,
                  RDSIAM_ERR_INTERNAL, "cannot size the expected token");
    buf = malloc(need);
    RDSIAM_ENSURE(err, buf, RDSIAM_ERR_NO_MEMORY, "out of memory");
    RDSIAM_GUARD(rdsiam__presign(&s, &c, buf, need, NULL));
    RDSIAM_ENSURE(err,
                  rdsiam__ct_equal(buf + need - 65, p->value[P_SIGNATURE], 64),
                  RDSIAM_ERR_TOKEN_SIGNATURE,
                  "signature does not match (wrong secret, or a signed value "
                  "was changed)");
done:
    rdsiam__free_secret(buf, need);
    return rc;
}

/* The public calls' pointers. */
static int check_args(const char *token, const void *params,
                      const rdsiam_keystore *ks, rdsiam_error *err)
{
    if (token && params && ks)
        return RDSIAM_OK;
    return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT, "%s is NULL",
                        !token    ? "token"
                        : !params ? "params"
                                  : "keystore");
}

static int check_clock(int64_t now, int64_t max_future, rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, now >= 0 && now <= RDSIAM__TIME_MAX,
                  RDSIAM_ERR_TIME_RANGE, "now must be between 1970 and 9999");
    RDSIAM_ENSURE(err, max_future >= 0 && max_future <= 86400,
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "max_future must be between 0 and 86400 seconds");
done:
    return rc;
}

/*
 * An MSK token's URL: base64url without padding (token_msk.c), decoded
 * with libcrypto into out (3/4 of n bytes and a NUL at most). It must
 * then start with "https://"; *url is what follows.
 */
static int decode_msk(const char *t, size_t n, char *out, const char **url,
                      size_t *url_len, rdsiam_error *err)
{
    size_t pad = (4 - n % 4) % 4, o = 0;
    unsigned char quad[4], tri[3];
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, pad != 3, RDSIAM_ERR_TOKEN_MALFORMED,
                  "%s is not base64url (its length leaves one character)",
                  MSK.kind);
    for (size_t i = 0; i < n; i += 4) {
        size_t k = n - i < 4 ? n - i : 4;

        for (size_t j = 0; j < 4; j++) {
            char c = j < k ? t[i + j] : '=';
            RDSIAM_ENSURE(err,
                          j >= k || c == '-' || c == '_' ||
                              (RDSIAM__UNRESERVED(c) &&
                               c != '.' && c != '~'),
                          RDSIAM_ERR_TOKEN_MALFORMED,
                          "%s has a character outside base64url", MSK.kind);
            quad[j] = (unsigned char)(c == '-' ? '+' : c == '_' ? '/' : c);
        }
        RDSIAM_ENSURE(err, EVP_DecodeBlock(tri, quad, 4) == 3,
                      RDSIAM_ERR_TOKEN_MALFORMED, "%s is not base64url",
                      MSK.kind);
        memcpy(out + o, tri, k - 1 < 3 ? k - 1 : 3);
        o += k - 1 < 3 ? k - 1 : 3;
    }
    RDSIAM_ENSURE(err, o > 8 && memcmp(out, "https://", 8) == 0,
                  RDSIAM_ERR_TOKEN_MALFORMED,
                  "%s does not decode to an https:// URL", MSK.kind);
    *url = out + 8;
    *url_len = o - 8;
done:
    rdsiam__wipe(quad, sizeof quad);
    rdsiam__wipe(tri, sizeof tri);
    return rc;
}

/*
 * The checks every kind shares, in this order: syntax and form, the
 * claims, the key, the session token, the signature.
 */
static int verify(const char *token, size_t token_len, const expect *e,
                  const rdsiam_keystore *ks, rdsiam_error *err)
{
    const shape *sh = e->shape;
    expect x = *e; /* now and max_future 0: the defaults */
    parsed p;
    const char *t = token, *q = NULL;
    const rdsiam__key *key;
    char *scratch = NULL;
    size_t scratch_len = 0, n = token_len;
    int rc = RDSIAM_OK;

    memset(&p, 0, sizeof p);
    RDSIAM_ENSURE(err, token_len > 0, RDSIAM_ERR_TOKEN_MALFORMED,
                  "token is empty");
    RDSIAM_ENSURE(err, token_len <= (sh->base64 ? MSK_TOKEN_MAX : TOKEN_MAX),
                  RDSIAM_ERR_TOKEN_MALFORMED, "token is longer than %u bytes",
                  sh->base64 ? MSK_TOKEN_MAX : TOKEN_MAX);
    /* Decoded values (and their NULs) never take more room than the
     * query; an MSK token's URL, shorter than the token, goes after
     * them. */
    scratch_len = 2 * (token_len + P_COUNT + 1);
    scratch = malloc(scratch_len);
    RDSIAM_ENSURE(err, scratch, RDSIAM_ERR_NO_MEMORY, "out of memory");
    if (sh->base64)
        RDSIAM_GUARD(decode_msk(token, token_len, scratch + scratch_len / 2, &t,
                                &n, err));
    for (size_t i = 0; i < n; i++)
        RDSIAM_ENSURE(err,
                      (unsigned char)t[i] > 0x20 && (unsigned char)t[i] < 0x7f,
                      RDSIAM_ERR_TOKEN_MALFORMED,
                      "token has a space, control or non-ASCII byte at offset "
                      "%zu",
                      i);
    for (size_t i = 0; i + 1 < n; i++)
        if (t[i] == '/' && t[i + 1] == '?') {
            q = t + i + 2;
            break;
        }
    RDSIAM_ENSURE(err, q, RDSIAM_ERR_TOKEN_MALFORMED,
                  "token has no \"/?\" after its host");
    RDSIAM_GUARD(parse_authority(t, (size_t)(q - 2 - t), sh, &p, err));
    RDSIAM_GUARD(parse_query(q, (size_t)(t + n - q), sh, scratch, &p, err));
    RDSIAM_GUARD(check_form(&p, err));
    x.now = x.now ? x.now : rdsiam__now();
    x.max_future = x.max_future ? x.max_future : DEFAULT_MAX_FUTURE;
    RDSIAM_GUARD(check_claims(&p, &x, err));
    key = rdsiam__keystore_find(ks, p.akid, p.akid_len);
    RDSIAM_ENSURE(err, key, RDSIAM_ERR_TOKEN_UNKNOWN_KEY,
                  "no key in the key store has the token's access key id");
    RDSIAM_GUARD(check_session(&p, key, err));
    RDSIAM_GUARD(check_signature(&p, sh, key, err));
    rdsiam__ok(err);
done:
    rdsiam__free_secret(scratch, scratch_len);
    return rc;
}

int rdsiam_verify_token(const char *token, size_t token_len,
                        const rdsiam_verify_params *params,
                        const rdsiam_keystore *ks, rdsiam_error *err)
{
    expect e;
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(check_args(token, params, ks, err));
    RDSIAM_GUARD(rdsiam__check_hostname(params->hostname, NULL, err));
    RDSIAM_ENSURE(err, params->port >= 1 && params->port <= 65535,
                  RDSIAM_ERR_PORT_RANGE, "port must be between 1 and 65535");
    RDSIAM_GUARD(rdsiam__check_region(params->region, NULL, err));
    RDSIAM_ENSURE(err, params->username && *params->username,
                  RDSIAM_ERR_USERNAME_EMPTY, "username is %s",
                  params->username ? "empty" : "NULL");
    RDSIAM_GUARD(check_clock(params->now, params->max_future, err));
    e = (expect){.shape = &RDS,
                 .host = params->hostname,
                 .port = params->port,
                 .region = params->region,
                 .username = params->username,
                 .now = params->now,
                 .max_future = params->max_future};
    rc = verify(token, token_len, &e, ks, err);
done:
    return rc;
}

/* The cache or cluster name a server has: what token_cache.c accepts. */
static int check_name(const char *name, rdsiam_error *err)
{
    size_t n = 0;

    if (!name || !*name)
        return rdsiam__fail(err, RDSIAM_ERR_RESOURCE_NAME, "name is %s",
                            name ? "empty" : "NULL");
    for (; name[n]; n++) {
        char c = name[n];
        if (n == RDSIAM_CACHE_NAME_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-'))
            return rdsiam__fail(err, RDSIAM_ERR_RESOURCE_NAME,
                                "name is not 1 to %d letters, digits and '-'",
                                RDSIAM_CACHE_NAME_MAX);
    }
    return RDSIAM_OK;
}

int rdsiam_verify_service_token(const char *token, size_t token_len,
                                const rdsiam_verify_service_params *params,
                                const rdsiam_keystore *ks, rdsiam_error *err)
{
    /* "kafka-serverless." REGION ".amazonaws.com" */
    char msk_host[sizeof "kafka-serverless..amazonaws.com" + RDSIAM_REGION_MAX];
    expect e;
    bool msk;
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(check_args(token, params, ks, err));
    RDSIAM_ENSURE(err,
                  params->service == RDSIAM_SERVICE_ELASTICACHE ||
                      params->service == RDSIAM_SERVICE_MEMORYDB ||
                      params->service == RDSIAM_SERVICE_MSK,
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "service is not RDSIAM_SERVICE_ELASTICACHE, _MEMORYDB or "
                  "_MSK");
    msk = params->service == RDSIAM_SERVICE_MSK;
    RDSIAM_GUARD(rdsiam__check_region(params->region, NULL, err));
    if (msk) {
        RDSIAM_ENSURE(err, !params->name && !params->username,
                      RDSIAM_ERR_INVALID_ARGUMENT,
                      "name and username must be NULL for MSK");
        (void)snprintf(msk_host, sizeof msk_host, "%s.%s.amazonaws.com",
                       params->serverless ? "kafka-serverless" : "kafka",
                       params->region);
    } else {
        RDSIAM_GUARD(check_name(params->name, err));
        RDSIAM_ENSURE(err, params->username && *params->username,
                      RDSIAM_ERR_USERNAME_EMPTY, "username is %s",
                      params->username ? "empty" : "NULL");
        RDSIAM_ENSURE(err,
                      !params->serverless ||
                          params->service == RDSIAM_SERVICE_ELASTICACHE,
                      RDSIAM_ERR_INVALID_ARGUMENT,
                      "serverless must be 0 for MemoryDB");
    }
    RDSIAM_GUARD(check_clock(params->now, params->max_future, err));
    e = (expect){.shape = msk ? &MSK
                          : params->service == RDSIAM_SERVICE_ELASTICACHE
                              ? &ELASTICACHE
                              : &MEMORYDB,
                 .host = msk ? msk_host : params->name,
                 .region = params->region,
                 .username = msk ? NULL : params->username,
                 .serverless = params->serverless != 0,
                 .now = params->now,
                 .max_future = params->max_future};
    rc = verify(token, token_len, &e, ks, err);
done:
    return rc;
}
