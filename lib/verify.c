/*
 * verify.c - check an RDS IAM token the way the RDS server does, for
 * emulators, tests and proxies that hold the keys.
 *
 * The token is parsed strictly: "host:port/?" followed by exactly the
 * parameters botocore writes, each once, in any order, every value made of
 * RFC 3986 unreserved characters and %XX escapes. The signature is then
 * recomputed, as the server side of SigV4 does, from the decoded values
 * re-encoded canonically (rdsiam__presign, the same code that writes
 * tokens) and compared in constant time.
 *
 * Messages say which check failed and never quote the token, the secret
 * or the session token (the token is itself a bearer credential).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A token with the longest session token we sign, fully escaped. */
#define TOKEN_MAX (3u * RDSIAM_SESSION_TOKEN_MAX + 8192u)
#define DEFAULT_MAX_FUTURE 300

enum {
    P_ACTION,
    P_DBUSER,
    P_ALGORITHM,
    P_CREDENTIAL,
    P_DATE,
    P_EXPIRES,
    P_SIGNED_HEADERS,
    P_SECURITY_TOKEN,
    P_SIGNATURE,
    P_COUNT
};

static const char *const PARAM_NAMES[P_COUNT] = {"Action",
                                                 "DBUser",
                                                 "X-Amz-Algorithm",
                                                 "X-Amz-Credential",
                                                 "X-Amz-Date",
                                                 "X-Amz-Expires",
                                                 "X-Amz-SignedHeaders",
                                                 "X-Amz-Security-Token",
                                                 "X-Amz-Signature"};

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

/* "host:port" before "/?". The host is what precedes the last ':'. */
static int parse_authority(const char *t, size_t n, parsed *p,
                           rdsiam_error *err)
{
    const char *colon = NULL;
    unsigned long port;

    for (size_t i = 0; i < n; i++)
        if (t[i] == ':')
            colon = t + i;
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

/* One "name=value" pair: name from the table, value unreserved or %XX. */
static int parse_pair(const char *s, size_t n, size_t pos, char **scratch,
                      parsed *p, rdsiam_error *err)
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
            memcmp(PARAM_NAMES[i], s, name_len) == 0)
            which = i;
    if (which < 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "query parameter %zu is not one an RDS token has",
                            pos);
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
        } else if (!rdsiam__unreserved[c]) {
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

static int parse_query(const char *q, size_t n, char *scratch, parsed *p,
                       rdsiam_error *err)
{
    size_t start = 0, pos = 1;
    int rc;

    for (size_t i = 0; i <= n; i++) {
        if (i < n && q[i] != '&')
            continue;
        rc = parse_pair(q + start, i - start, pos, &scratch, p, err);
        if (rc != RDSIAM_OK)
            return rc;
        start = i + 1;
        pos++;
    }
    for (int i = 0; i < P_COUNT; i++)
        if (!p->value[i] && i != P_SECURITY_TOKEN)
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
    /* Only host is signed in an RDS token. */
    if (strcmp(p->value[P_SIGNED_HEADERS], "host") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-SignedHeaders is not host");
    if (p->value_len[P_DATE] != 16 || !all_digits(d, 8) || d[8] != 'T' ||
        !all_digits(d + 9, 6) || d[15] != 'Z' ||
        rdsiam__parse_time(d, &p->time) != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_MALFORMED,
                            "X-Amz-Date is not a valid YYYYMMDDTHHMMSSZ time");
    /* "X-Amz-Expires ... minimum 1"; RDS tokens live at most 15 minutes. */
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

/* What the server knows: its endpoint, region and user, and the clock. */
static int check_claims(const parsed *p, const rdsiam_verify_params *vp,
                        int64_t now, int64_t max_future, rdsiam_error *err)
{
    if (strcmp(p->value[P_ACTION], "connect") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_ACTION,
                            "Action is not connect");
    if (strcmp(p->scope_service, "rds-db") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_SERVICE,
                            "credential scope service is not rds-db");
    if (strcmp(p->scope_region, vp->region) != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_REGION,
                            "token is for another region than %s", vp->region);
    if (!host_equal(p->host, p->host_len, vp->hostname))
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_HOST,
                            "token is for another host than %s", vp->hostname);
    if (p->port != vp->port)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_HOST,
                            "token is for another port than %u", vp->port);
    if (p->value_len[P_DBUSER] != strlen(vp->username) ||
        memcmp(p->value[P_DBUSER], vp->username, p->value_len[P_DBUSER]) != 0)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_USER,
                            "token DBUser is not the login user");
    /* Valid from X-Amz-Date for X-Amz-Expires seconds, inclusive. */
    if (now - p->time > (int64_t)p->expires)
        return rdsiam__fail(err, RDSIAM_ERR_TOKEN_EXPIRED,
                            "token expired %lld s ago (signed %lld s ago, "
                            "valid for %u s)",
                            (long long)(now - p->time - p->expires),
                            (long long)(now - p->time), p->expires);
    if (p->time - now > max_future)
        return rdsiam__fail(
            err, RDSIAM_ERR_TOKEN_FUTURE,
            "token is dated %lld s ahead (at most %lld allowed)",
            (long long)(p->time - now), (long long)max_future);
    return RDSIAM_OK;
}

/*
 * The session token. A key configured with one is temporary (STS)
 * credentials: the token must carry exactly it. A key without one is a
 * long-term key, and RDS (through STS) refuses a request that presents a
 * session token no STS session issued, so a token carrying one is refused.
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
static int check_signature(const parsed *p, const rdsiam__key *k,
                           rdsiam_error *err)
{
    rdsiam__presign_spec s;
    rdsiam_credentials c;
    size_t need = 0;
    char *buf = NULL;
    int rc = RDSIAM_OK;

    /* check_claims has compared the host with the server's (at most
     * RDSIAM_HOSTNAME_MAX bytes, which rdsiam__presign relies on). */
    memset(&s, 0, sizeof s);
    s.host = p->host;
    s.host_len = p->host_len;
    s.port = p->port;
    s.action = p->value[P_ACTION];
    s.action_len = p->value_len[P_ACTION];
    s.user = p->value[P_DBUSER];
    s.user_len = p->value_len[P_DBUSER];
    s.user_key = "DBUser";
    s.user_key_len = 6;
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

static int check_params(const rdsiam_verify_params *vp, rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(rdsiam__check_hostname(vp->hostname, NULL, err));
    RDSIAM_ENSURE(err, vp->port >= 1 && vp->port <= 65535,
                  RDSIAM_ERR_PORT_RANGE, "port must be between 1 and 65535");
    RDSIAM_GUARD(rdsiam__check_region(vp->region, NULL, err));
    RDSIAM_ENSURE(err, vp->username && *vp->username, RDSIAM_ERR_USERNAME_EMPTY,
                  "username is %s", vp->username ? "empty" : "NULL");
    RDSIAM_ENSURE(err, vp->now >= 0 && vp->now <= RDSIAM__TIME_MAX,
                  RDSIAM_ERR_TIME_RANGE, "now must be between 1970 and 9999");
    RDSIAM_ENSURE(err, vp->max_future >= 0 && vp->max_future <= 86400,
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "max_future must be between 0 and 86400 seconds");
done:
    return rc;
}

int rdsiam_verify_token(const char *token, size_t token_len,
                        const rdsiam_verify_params *params,
                        const rdsiam_keystore *ks, rdsiam_error *err)
{
    parsed p;
    const char *q;
    const rdsiam__key *key;
    char *scratch = NULL;
    size_t scratch_len = 0;
    int64_t now;
    int rc = RDSIAM_OK;

    memset(&p, 0, sizeof p);
    RDSIAM_ENSURE(err, token && params && ks, RDSIAM_ERR_NULL_ARGUMENT,
                  "%s is NULL",
                  !token    ? "token"
                  : !params ? "params"
                            : "keystore");
    RDSIAM_GUARD(check_params(params, err));
    RDSIAM_ENSURE(err, token_len > 0, RDSIAM_ERR_TOKEN_MALFORMED,
                  "token is empty");
    RDSIAM_ENSURE(err, token_len <= TOKEN_MAX, RDSIAM_ERR_TOKEN_MALFORMED,
                  "token is longer than %u bytes", TOKEN_MAX);
    for (size_t i = 0; i < token_len; i++)
        RDSIAM_ENSURE(err,
                      (unsigned char)token[i] > 0x20 &&
                          (unsigned char)token[i] < 0x7f,
                      RDSIAM_ERR_TOKEN_MALFORMED,
                      "token has a space, control or non-ASCII byte at offset "
                      "%zu",
                      i);
    q = NULL;
    for (size_t i = 0; i + 1 < token_len; i++)
        if (token[i] == '/' && token[i + 1] == '?') {
            q = token + i + 2;
            break;
        }
    RDSIAM_ENSURE(err, q, RDSIAM_ERR_TOKEN_MALFORMED,
                  "token has no \"/?\" after host:port");
    RDSIAM_GUARD(parse_authority(token, (size_t)(q - 2 - token), &p, err));

    /* Decoded values are never longer than their encoded form. */
    scratch_len = token_len + P_COUNT + 1;
    scratch = malloc(scratch_len);
    RDSIAM_ENSURE(err, scratch, RDSIAM_ERR_NO_MEMORY, "out of memory");
    RDSIAM_GUARD(
        parse_query(q, (size_t)(token + token_len - q), scratch, &p, err));
    RDSIAM_GUARD(check_form(&p, err));

    now = params->now ? params->now : rdsiam__now();
    RDSIAM_GUARD(check_claims(
        &p, params, now,
        params->max_future ? params->max_future : DEFAULT_MAX_FUTURE, err));
    key = rdsiam__keystore_find(ks, p.akid, p.akid_len);
    RDSIAM_ENSURE(err, key, RDSIAM_ERR_TOKEN_UNKNOWN_KEY,
                  "no key in the key store has the token's access key id");
    RDSIAM_GUARD(check_session(&p, key, err));
    RDSIAM_GUARD(check_signature(&p, key, err));
    rdsiam__ok(err);
done:
    rdsiam__free_secret(scratch, scratch_len);
    return rc;
}
