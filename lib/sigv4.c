/*
 * sigv4.c - the general AWS Signature Version 4 signer: Authorization
 * header signing and presigned query strings for arbitrary requests.
 *
 * The steps, as the SigV4 specification names them:
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
 *                      CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "AWS4-HMAC-SHA256" \n RequestDateTime \n
 *                      CredentialScope \n Hex(SHA256(CanonicalRequest))
 *   Signature        = Hex(HMAC(kSigning, StringToSign))
 *
 * The RDS and DSQL tokens (token.c) use a fixed-shape fast path; this file
 * handles everything else. Every intermediate string lives in an
 * rdsiam__buf with a hard maximum and is wiped when released: canonical
 * strings can carry the session token.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Bounds on what we sign. Requests beyond them are refused with
 * RDSIAM_ERR_SIGV4_TOO_LARGE rather than grown without limit. */
#define SIGV4_STRING_MAX ((size_t)1 << 20) /* any one intermediate string */
#define SIGV4_HEADERS_MAX 256              /* header entries */
#define SIGV4_PARAMS_MAX 1024              /* query parameters */
#define SIGV4_METHOD_MAX 32
#define SIGV4_SERVICE_MAX 64
/* "X-Amz-Expires ... minimum value 1, maximum value 604800 (seven days)" */
#define SIGV4_EXPIRES_MAX 604800

#define ALGORITHM "AWS4-HMAC-SHA256"
#define LIT(s) s, (sizeof(s) - 1)

/* ------------------------------------------------------------------------ */
/* Input checks                                                              */
/* ------------------------------------------------------------------------ */

/* RFC 9110 token characters: what a method or a header field name may be
 * made of. */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality of a NUL-terminated name with lit. */
static bool name_is(const char *name, const char *lit)
{
    while (*name && *lit && lower(*name) == *lit) {
        name++;
        lit++;
    }
    return *name == '\0' && *lit == '\0';
}

static int check_method(const char *m, rdsiam_error *err)
{
    size_t n;

    if (!m || !*m)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_METHOD, "method is %s",
                            m ? "empty" : "NULL");
    n = strlen(m);
    if (n > SIGV4_METHOD_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_METHOD,
                            "method is longer than %d bytes", SIGV4_METHOD_MAX);
    for (size_t i = 0; i < n; i++)
        if (!is_tchar((unsigned char)m[i]))
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_METHOD,
                                "method has a character that is not allowed "
                                "in an HTTP method at offset %zu",
                                i);
    return RDSIAM_OK;
}

static int check_path(const char *p, rdsiam_error *err)
{
    if (!p)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_PATH, "path is NULL");
    if (p[0] != '/')
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_PATH,
                            "path does not start with '/'");
    for (size_t i = 0; p[i]; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7f)
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_PATH,
                                "path has a control character at offset %zu",
                                i);
        if (c == '?' || c == '#')
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_PATH,
                                "path has '%c' at offset %zu; pass the query "
                                "separately",
                                c, i);
    }
    return RDSIAM_OK;
}

static int check_query(const char *q, rdsiam_error *err)
{
    if (!q)
        return RDSIAM_OK;
    for (size_t i = 0; q[i]; i++) {
        unsigned char c = (unsigned char)q[i];
        if (c < 0x20 || c == 0x7f || c == '#')
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_QUERY,
                                "query has a control character or '#' at "
                                "offset %zu",
                                i);
    }
    return RDSIAM_OK;
}

/* Header names that the signer itself writes in header mode. */
static bool reserved_header(const char *name, unsigned int flags)
{
    return name_is(name, "authorization") || name_is(name, "x-amz-date") ||
           name_is(name, "x-amz-security-token") ||
           ((flags & RDSIAM_SIGV4_SIGN_BODY) &&
            name_is(name, "x-amz-content-sha256"));
}

static int check_headers(const rdsiam_sigv4_request *req, bool presign,
                         unsigned int flags, rdsiam_error *err)
{
    bool host = false;

    if (req->header_count > SIGV4_HEADERS_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_TOO_LARGE,
                            "more than %d headers", SIGV4_HEADERS_MAX);
    if (req->header_count && !req->headers)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "headers is NULL but header_count is %zu",
                            req->header_count);
    for (size_t i = 0; i < req->header_count; i++) {
        const char *name = req->headers[i].name;
        const char *value = req->headers[i].value;
        if (!name || !*name)
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_HEADER,
                                "header %zu: name is %s", i,
                                name ? "empty" : "NULL");
        for (size_t k = 0; name[k]; k++)
            if (!is_tchar((unsigned char)name[k]))
                return rdsiam__fail(err, RDSIAM_ERR_SIGV4_HEADER,
                                    "header %zu: name has a character not "
                                    "allowed in a header name at offset %zu",
                                    i, k);
        if (!value)
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_HEADER,
                                "header %zu: value is NULL", i);
        /* CR or LF would let a value smuggle a second header line. */
        for (size_t k = 0; value[k]; k++) {
            unsigned char c = (unsigned char)value[k];
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return rdsiam__fail(err, RDSIAM_ERR_SIGV4_HEADER,
                                    "header %zu: value has CR, LF or another "
                                    "control character at offset %zu",
                                    i, k);
        }
        if (!presign && reserved_header(name, flags))
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_HEADER,
                                "header %zu: the signer adds this header "
                                "itself; leave it out",
                                i);
        if (name_is(name, "host"))
            host = true;
    }
    if (!host)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_HEADER,
                            "headers do not include Host");
    return RDSIAM_OK;
}

static int check_service(const char *s, rdsiam_error *err)
{
    size_t n;

    if (!s || !*s)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_SERVICE, "service is %s",
                            s ? "empty" : "NULL");
    n = strlen(s);
    if (n > SIGV4_SERVICE_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_SIGV4_SERVICE,
                            "service is longer than %d bytes",
                            SIGV4_SERVICE_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return rdsiam__fail(err, RDSIAM_ERR_SIGV4_SERVICE,
                                "service has a character outside [a-z0-9-] "
                                "at offset %zu",
                                i);
    }
    return RDSIAM_OK;
}

static int check_inputs(const rdsiam_sigv4_request *req,
                        const rdsiam_sigv4_params *params,
                        const rdsiam_credentials *creds, bool presign,
                        int64_t *t, rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, req, RDSIAM_ERR_NULL_ARGUMENT, "request is NULL");
    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "signing parameters are NULL");
    RDSIAM_GUARD(check_method(req->method, err));
    RDSIAM_GUARD(check_path(req->path, err));
    RDSIAM_GUARD(check_query(req->query, err));
    RDSIAM_GUARD(check_headers(req, presign, params->flags, err));
    RDSIAM_ENSURE(err, req->body || req->body_len == 0,
                  RDSIAM_ERR_NULL_ARGUMENT, "body is NULL but body_len is %zu",
                  req->body_len);
    RDSIAM_GUARD(rdsiam__check_region(params->region, NULL, err));
    RDSIAM_GUARD(check_service(params->service, err));
    if (presign)
        RDSIAM_ENSURE(
            err,
            params->expires_in >= 1 && params->expires_in <= SIGV4_EXPIRES_MAX,
            RDSIAM_ERR_EXPIRES_RANGE,
            "expires_in must be between 1 and %d seconds", SIGV4_EXPIRES_MAX);
    RDSIAM_GUARD(rdsiam__check_credentials(creds, err));
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, t, err));
done:
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Encoding helpers over rdsiam__buf                                        */
/* ------------------------------------------------------------------------ */

/* Append n bytes of s percent-encoded (unreserved kept; '/' too when
 * keep_slash), in small chunks so no temporary grows with the input. */
static int append_encoded(rdsiam__buf *b, const char *s, size_t n,
                          bool keep_slash)
{
    char chunk[3 * 64];
    int rc = RDSIAM_OK;

    while (n) {
        size_t k = n < 64 ? n : 64;
        size_t w = keep_slash ? rdsiam__uri_encode_path(chunk, s, k)
                              : rdsiam__uri_encode(chunk, s, k);
        rc = rdsiam__buf_append(b, chunk, w);
        if (rc != RDSIAM_OK)
            break;
        s += k;
        n -= k;
    }
    rdsiam__wipe(chunk, sizeof chunk);
    return rc;
}

/* A path segment for the canonical URI. By default it is encoded once
 * more: "Each path segment must be URI-encoded twice" (the client already
 * encoded it once; we encode what it sends). With NO_DOUBLE_ENCODE (S3)
 * the segment is taken as already encoded: valid %XX escapes are kept and
 * only bytes that could not appear in a URI are encoded. */
static int append_segment(rdsiam__buf *b, const char *s, size_t n,
                          unsigned int flags)
{
    int rc = RDSIAM_OK;

    if (!(flags & RDSIAM_SIGV4_NO_DOUBLE_ENCODE))
        return append_encoded(b, s, n, true);
    for (size_t i = 0; i < n && rc == RDSIAM_OK; i++) {
        if (s[i] == '%' && n - i >= 3 && rdsiam__is_hex(s[i + 1]) &&
            rdsiam__is_hex(s[i + 2])) {
            rc = rdsiam__buf_append(b, s + i, 3);
            i += 2;
        } else {
            rc = append_encoded(b, s + i, 1, true);
        }
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Canonical URI                                                             */
/* ------------------------------------------------------------------------ */

typedef struct seg {
    const char *p;
    size_t n;
} seg;

/*
 * "Normalize URI paths according to RFC 3986. Remove redundant and
 * relative path components." Empty segments ("//") and "." are dropped,
 * ".." removes the segment before it (never climbing above the root), and
 * a trailing '/' is kept when the path had one.
 */
static int canonical_uri(rdsiam__buf *b, const char *path, unsigned int flags)
{
    size_t len = strlen(path), nseg = 0, cap = 1;
    seg *segs = NULL;
    int rc = RDSIAM_OK;

    if (flags & RDSIAM_SIGV4_NO_NORMALIZE_PATH)
        return append_segment(b, path, len, flags);

    for (size_t i = 0; i < len; i++)
        cap += path[i] == '/';
    segs = calloc(cap, sizeof *segs);
    RDSIAM_ENSURE(NULL, segs, RDSIAM_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && path[j] != '/')
            j++;
        if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (nseg)
                nseg--;
        } else if (j > i && !(j - i == 1 && path[i] == '.')) {
            segs[nseg].p = path + i;
            segs[nseg].n = j - i;
            nseg++;
        }
        i = j + 1;
    }
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '/'));
    for (size_t k = 0; k < nseg; k++) {
        if (k)
            RDSIAM_GUARD(rdsiam__buf_append_char(b, '/'));
        RDSIAM_GUARD(append_segment(b, segs[k].p, segs[k].n, flags));
    }
    if (nseg && path[len - 1] == '/')
        RDSIAM_GUARD(rdsiam__buf_append_char(b, '/'));
done:
    free(segs);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Canonical headers                                                         */
/* ------------------------------------------------------------------------ */

typedef struct hdr {
    const char *name;
    const char *value;
    size_t order; /* original position: duplicates keep their order */
} hdr;

/* Header names compared as their lowercase forms. */
static int cmp_name(const char *p, const char *q)
{
    while (*p && lower(*p) == lower(*q)) {
        p++;
        q++;
    }
    if (lower(*p) == lower(*q))
        return 0;
    return (unsigned char)lower(*p) < (unsigned char)lower(*q) ? -1 : 1;
}

static int cmp_hdr(const void *a, const void *b)
{
    const hdr *x = a, *y = b;
    int c = cmp_name(x->name, y->name);

    if (c)
        return c;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static int append_lower(rdsiam__buf *b, const char *s)
{
    int rc = RDSIAM_OK;

    for (; *s && rc == RDSIAM_OK; s++)
        rc = rdsiam__buf_append_char(b, lower(*s));
    return rc;
}

/* "Trim any leading or trailing spaces ... convert sequential spaces to a
 * single space." Tabs count as spaces. */
static int append_trimmed(rdsiam__buf *b, const char *v)
{
    bool pending = false, any = false;
    int rc = RDSIAM_OK;

    for (; *v && rc == RDSIAM_OK; v++) {
        if (*v == ' ' || *v == '\t') {
            pending = any;
            continue;
        }
        if (pending)
            rc = rdsiam__buf_append_char(b, ' ');
        if (rc == RDSIAM_OK)
            rc = rdsiam__buf_append_char(b, *v);
        pending = false;
        any = true;
    }
    return rc;
}

/*
 * "CanonicalHeaders: lowercase(name) ':' trim(value) '\n', sorted by
 * name"; several headers with one name become one line with their values
 * joined by ',' in the order given. SignedHeaders is the sorted unique
 * names joined by ';'.
 */
static int canonical_headers(rdsiam__buf *ch, rdsiam__buf *sh, hdr *h, size_t n)
{
    int rc = RDSIAM_OK;

    qsort(h, n, sizeof *h, cmp_hdr);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cmp_name(h[i - 1].name, h[i].name) == 0) {
            RDSIAM_GUARD(rdsiam__buf_append_char(ch, ','));
        } else {
            if (i > 0) {
                RDSIAM_GUARD(rdsiam__buf_append_char(ch, '\n'));
                RDSIAM_GUARD(rdsiam__buf_append_char(sh, ';'));
            }
            RDSIAM_GUARD(append_lower(ch, h[i].name));
            RDSIAM_GUARD(rdsiam__buf_append_char(ch, ':'));
            RDSIAM_GUARD(append_lower(sh, h[i].name));
        }
        RDSIAM_GUARD(append_trimmed(ch, h[i].value));
    }
    RDSIAM_GUARD(rdsiam__buf_append_char(ch, '\n'));
done:
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Canonical query string                                                    */
/* ------------------------------------------------------------------------ */

typedef struct qparam {
    size_t name_off, name_len, value_off, value_len; /* into the store */
    const char *name, *value;                        /* set once complete */
} qparam;

typedef struct qset {
    rdsiam__buf store; /* encoded names and values, back to back */
    qparam *p;
    size_t n, cap;
} qset;

/* The X-Amz-* names presigning writes; a request may not bring its own. */
static const char *const PRESIGN_NAMES[] = {
    "x-amz-algorithm", "x-amz-credential",    "x-amz-date",
    "x-amz-expires",   "x-amz-signedheaders", "x-amz-security-token",
    "x-amz-signature",
};

static bool presign_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof PRESIGN_NAMES / sizeof *PRESIGN_NAMES; i++) {
        const char *lit = PRESIGN_NAMES[i];
        size_t k = 0;
        while (k < n && lit[k] && lower(s[k]) == lit[k])
            k++;
        if (k == n && lit[k] == '\0')
            return true;
    }
    return false;
}

/* Add a parameter whose name and value are raw (not yet encoded). */
static int qset_add(qset *q, const char *name, size_t name_len,
                    const char *value, size_t value_len)
{
    int rc = RDSIAM_OK;
    qparam *p;

    RDSIAM_ENSURE(NULL, q->n < q->cap, RDSIAM_ERR_SIGV4_TOO_LARGE,
                  "too many query parameters");
    p = &q->p[q->n];
    p->name_off = q->store.len;
    RDSIAM_GUARD(append_encoded(&q->store, name, name_len, false));
    p->name_len = q->store.len - p->name_off;
    p->value_off = q->store.len;
    RDSIAM_GUARD(append_encoded(&q->store, value, value_len, false));
    p->value_len = q->store.len - p->value_off;
    q->n++;
done:
    return rc;
}

/* Decode one "name[=value]" piece of the caller's query and add it. '+'
 * is taken literally (SigV4 encodes it as %2B), not as a space. */
static int qset_add_raw(qset *q, const char *s, size_t n, bool presign,
                        char *scratch, rdsiam_error *err)
{
    const char *eq = memchr(s, '=', n);
    size_t nl = eq ? (size_t)(eq - s) : n;
    long dn, dv;
    int rc = RDSIAM_OK;

    dn = rdsiam__uri_decode(scratch, s, nl);
    RDSIAM_ENSURE(err, dn >= 0, RDSIAM_ERR_SIGV4_QUERY,
                  "query has a malformed %%-escape in a parameter name");
    RDSIAM_ENSURE(err, !presign || !presign_name(scratch, (size_t)dn),
                  RDSIAM_ERR_SIGV4_QUERY,
                  "query already has an X-Amz-* presigning parameter");
    dv = eq ? rdsiam__uri_decode(scratch + dn, eq + 1, n - nl - 1) : 0;
    RDSIAM_ENSURE(err, dv >= 0, RDSIAM_ERR_SIGV4_QUERY,
                  "query has a malformed %%-escape in a parameter value");
    rc = qset_add(q, scratch, (size_t)dn, scratch + dn, (size_t)dv);
    RDSIAM_ENSURE(err, rc != RDSIAM_ERR_SIGV4_TOO_LARGE, rc,
                  "query is too large to sign");
    RDSIAM_GUARD(rc);
done:
    rdsiam__wipe(scratch, n);
    return rc;
}

static int qset_parse(qset *q, const char *query, bool presign,
                      rdsiam_error *err)
{
    size_t len = query ? strlen(query) : 0;
    char *scratch = NULL;
    int rc = RDSIAM_OK;

    if (!len)
        return RDSIAM_OK;
    scratch = malloc(len);
    RDSIAM_ENSURE(err, scratch, RDSIAM_ERR_NO_MEMORY,
                  "out of memory signing the request");
    for (size_t i = 0; i < len;) {
        const char *amp = memchr(query + i, '&', len - i);
        size_t j = amp ? (size_t)(amp - query) : len;
        /* Empty pieces ("a=1&&b=2", a trailing '&') carry no parameter. */
        if (j > i)
            RDSIAM_GUARD(
                qset_add_raw(q, query + i, j - i, presign, scratch, err));
        i = j + 1;
    }
done:
    rdsiam__free_secret(scratch, len);
    return rc;
}

static int cmp_span(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);

    if (c)
        return c;
    return an < bn ? -1 : (an > bn);
}

static int cmp_qparam(const void *a, const void *b)
{
    const qparam *x = a, *y = b;
    int c = cmp_span(x->name, x->name_len, y->name, y->name_len);

    return c ? c : cmp_span(x->value, x->value_len, y->value, y->value_len);
}

/* "Sort the parameter names by character code point in ascending order
 * ... after encoding"; equal names are ordered by value. */
static int qset_canonical(qset *q, rdsiam__buf *out)
{
    int rc = RDSIAM_OK;

    /* store.data is NULL while nothing was stored (a query of empty
     * parameters such as "="): no offset may be applied to it. */
    for (size_t i = 0; i < q->n; i++) {
        q->p[i].name = q->store.data ? q->store.data + q->p[i].name_off : "";
        q->p[i].value = q->store.data ? q->store.data + q->p[i].value_off : "";
    }
    qsort(q->p, q->n, sizeof *q->p, cmp_qparam);
    for (size_t i = 0; i < q->n; i++) {
        if (i)
            RDSIAM_GUARD(rdsiam__buf_append_char(out, '&'));
        RDSIAM_GUARD(rdsiam__buf_append(out, q->p[i].name, q->p[i].name_len));
        RDSIAM_GUARD(rdsiam__buf_append_char(out, '='));
        RDSIAM_GUARD(rdsiam__buf_append(out, q->p[i].value, q->p[i].value_len));
    }
done:
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Signing                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct signer {
    const rdsiam_sigv4_request *req;
    const rdsiam_sigv4_params *params;
    const rdsiam_credentials *creds;
    bool presign;
    const char *token; /* session token or NULL */
    bool sign_token;   /* token is part of the canonical request */
    char amz_date[17];
    char payload[65];
    char expires[24];
    rdsiam__buf scope;  /* DATE/REGION/SERVICE/aws4_request */
    rdsiam__buf cred;   /* AKID/scope */
    rdsiam__buf chead;  /* canonical headers */
    rdsiam__buf shead;  /* signed headers */
    rdsiam__buf cquery; /* canonical query */
    rdsiam__buf creq;   /* canonical request */
    rdsiam__buf sts;    /* string to sign */
    rdsiam__buf outq;   /* presigned query / authorization value */
    hdr *hdrs;
    qset q;
    char signature[65];
} signer;

static void signer_init(signer *s)
{
    memset(s, 0, sizeof *s);
    rdsiam__buf_init(&s->scope, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->cred, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->chead, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->shead, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->cquery, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->creq, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->sts, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->outq, SIGV4_STRING_MAX);
    rdsiam__buf_init(&s->q.store, SIGV4_STRING_MAX);
}

static void signer_free(signer *s)
{
    rdsiam__buf_free(&s->scope);
    rdsiam__buf_free(&s->cred);
    rdsiam__buf_free(&s->chead);
    rdsiam__buf_free(&s->shead);
    rdsiam__buf_free(&s->cquery);
    rdsiam__buf_free(&s->creq);
    rdsiam__buf_free(&s->sts);
    rdsiam__buf_free(&s->outq);
    rdsiam__buf_free(&s->q.store);
    free(s->hdrs);
    free(s->q.p);
    rdsiam__wipe(s, sizeof *s);
}

/* Payload hash: hex SHA-256 of the body, or the literal UNSIGNED-PAYLOAD. */
static void payload_hash(signer *s)
{
    unsigned char d[RDSIAM__SHA256_LEN];

    if (s->params->flags & RDSIAM_SIGV4_UNSIGNED_PAYLOAD) {
        memcpy(s->payload, "UNSIGNED-PAYLOAD", sizeof "UNSIGNED-PAYLOAD");
        return;
    }
    rdsiam__sha256_once(s->req->body, s->req->body_len, d);
    rdsiam__hex(s->payload, d, sizeof d);
    s->payload[64] = '\0';
}

/* The caller's headers plus, in header mode, the ones the signer adds. */
static int build_headers(signer *s)
{
    const rdsiam_sigv4_request *r = s->req;
    size_t n = 0;
    int rc = RDSIAM_OK;

    s->hdrs = calloc(r->header_count + 3, sizeof *s->hdrs);
    RDSIAM_ENSURE(NULL, s->hdrs, RDSIAM_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < r->header_count; i++) {
        s->hdrs[n] = (hdr){r->headers[i].name, r->headers[i].value, n};
        n++;
    }
    if (!s->presign) {
        s->hdrs[n] = (hdr){"x-amz-date", s->amz_date, n};
        n++;
        if (s->sign_token) {
            s->hdrs[n] = (hdr){"x-amz-security-token", s->token, n};
            n++;
        }
        if (s->params->flags & RDSIAM_SIGV4_SIGN_BODY) {
            s->hdrs[n] = (hdr){"x-amz-content-sha256", s->payload, n};
            n++;
        }
    }
    RDSIAM_GUARD(canonical_headers(&s->chead, &s->shead, s->hdrs, n));
done:
    return rc;
}

static int build_query(signer *s, rdsiam_error *err)
{
    const char *q = s->req->query;
    size_t len = q ? strlen(q) : 0;
    int rc = RDSIAM_OK;

    /* One parameter per '&'-separated piece at most, plus our six. */
    s->q.cap = 7;
    for (size_t i = 0; i < len; i++)
        s->q.cap += q[i] == '&';
    s->q.cap += len > 0;
    RDSIAM_ENSURE(err, s->q.cap <= SIGV4_PARAMS_MAX, RDSIAM_ERR_SIGV4_TOO_LARGE,
                  "query has more than %d parameters", SIGV4_PARAMS_MAX);
    s->q.p = calloc(s->q.cap, sizeof *s->q.p);
    RDSIAM_ENSURE(err, s->q.p, RDSIAM_ERR_NO_MEMORY,
                  "out of memory signing the request");
    RDSIAM_GUARD(qset_parse(&s->q, q, s->presign, err));
    if (s->presign) {
        RDSIAM_GUARD(qset_add(&s->q, LIT("X-Amz-Algorithm"), LIT(ALGORITHM)));
        RDSIAM_GUARD(qset_add(&s->q, LIT("X-Amz-Credential"), s->cred.data,
                              s->cred.len));
        RDSIAM_GUARD(qset_add(&s->q, LIT("X-Amz-Date"), s->amz_date, 16));
        RDSIAM_GUARD(qset_add(&s->q, LIT("X-Amz-Expires"), s->expires,
                              strlen(s->expires)));
        RDSIAM_GUARD(qset_add(&s->q, LIT("X-Amz-SignedHeaders"), s->shead.data,
                              s->shead.len));
        if (s->sign_token)
            RDSIAM_GUARD(qset_add(&s->q, LIT("X-Amz-Security-Token"), s->token,
                                  strlen(s->token)));
    }
    RDSIAM_GUARD(qset_canonical(&s->q, &s->cquery));
done:
    return rc;
}

static int build_canonical_request(signer *s)
{
    rdsiam__buf *b = &s->creq;
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(rdsiam__buf_append_str(b, s->req->method));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '\n'));
    RDSIAM_GUARD(canonical_uri(b, s->req->path, s->params->flags));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '\n'));
    RDSIAM_GUARD(rdsiam__buf_append(b, s->cquery.data ? s->cquery.data : "",
                                    s->cquery.len));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '\n'));
    RDSIAM_GUARD(rdsiam__buf_append(b, s->chead.data, s->chead.len));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '\n'));
    RDSIAM_GUARD(rdsiam__buf_append(b, s->shead.data, s->shead.len));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '\n'));
    RDSIAM_GUARD(rdsiam__buf_append_str(b, s->payload));
done:
    return rc;
}

static int build_string_to_sign(signer *s)
{
    unsigned char d[RDSIAM__SHA256_LEN];
    char hexd[64];
    int rc = RDSIAM_OK;

    rdsiam__sha256_once(s->creq.data, s->creq.len, d);
    rdsiam__hex(hexd, d, sizeof d);
    RDSIAM_GUARD(rdsiam__buf_append_str(&s->sts, ALGORITHM "\n"));
    RDSIAM_GUARD(rdsiam__buf_append(&s->sts, s->amz_date, 16));
    RDSIAM_GUARD(rdsiam__buf_append_char(&s->sts, '\n'));
    RDSIAM_GUARD(rdsiam__buf_append(&s->sts, s->scope.data, s->scope.len));
    RDSIAM_GUARD(rdsiam__buf_append_char(&s->sts, '\n'));
    RDSIAM_GUARD(rdsiam__buf_append(&s->sts, hexd, sizeof hexd));
done:
    return rc;
}

static void compute_signature(signer *s)
{
    const char *secret = s->creds->secret_access_key;
    const char *region = s->params->region;
    const char *service = s->params->service;
    rdsiam__hmac_key key;
    unsigned char mac[RDSIAM__SHA256_LEN];

    rdsiam__derive_signing_key(secret, strlen(secret), s->amz_date, region,
                               strlen(region), service, strlen(service), &key);
    rdsiam__hmac(&key, s->sts.data, s->sts.len, mac);
    rdsiam__hex(s->signature, mac, sizeof mac);
    s->signature[64] = '\0';
    rdsiam__wipe(&key, sizeof key);
    rdsiam__wipe(mac, sizeof mac);
}

/* "AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=..., Signature=..." */
static int build_authorization(signer *s)
{
    rdsiam__buf *b = &s->outq;
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(rdsiam__buf_append_str(b, ALGORITHM " Credential="));
    RDSIAM_GUARD(rdsiam__buf_append(b, s->cred.data, s->cred.len));
    RDSIAM_GUARD(rdsiam__buf_append_str(b, ", SignedHeaders="));
    RDSIAM_GUARD(rdsiam__buf_append(b, s->shead.data, s->shead.len));
    RDSIAM_GUARD(rdsiam__buf_append_str(b, ", Signature="));
    RDSIAM_GUARD(rdsiam__buf_append(b, s->signature, 64));
done:
    return rc;
}

static int append_param(rdsiam__buf *b, const char *name, const char *v,
                        size_t n)
{
    int rc = RDSIAM_OK;

    if (b->len)
        RDSIAM_GUARD(rdsiam__buf_append_char(b, '&'));
    RDSIAM_GUARD(rdsiam__buf_append_str(b, name));
    RDSIAM_GUARD(rdsiam__buf_append_char(b, '='));
    RDSIAM_GUARD(append_encoded(b, v, n, false));
done:
    return rc;
}

/* The request's own query as given, then the X-Amz-* parameters in the
 * order the AWS signers write them, the signature last. */
static int build_presigned_query(signer *s)
{
    rdsiam__buf *b = &s->outq;
    const char *q = s->req->query;
    int rc = RDSIAM_OK;

    if (q && *q)
        RDSIAM_GUARD(rdsiam__buf_append_str(b, q));
    RDSIAM_GUARD(append_param(b, "X-Amz-Algorithm", LIT(ALGORITHM)));
    RDSIAM_GUARD(
        append_param(b, "X-Amz-Credential", s->cred.data, s->cred.len));
    RDSIAM_GUARD(append_param(b, "X-Amz-Date", s->amz_date, 16));
    RDSIAM_GUARD(
        append_param(b, "X-Amz-SignedHeaders", s->shead.data, s->shead.len));
    RDSIAM_GUARD(
        append_param(b, "X-Amz-Expires", s->expires, strlen(s->expires)));
    /* With OMIT_SESSION_TOKEN the token is still sent, only not signed. */
    if (s->token)
        RDSIAM_GUARD(append_param(b, "X-Amz-Security-Token", s->token,
                                  strlen(s->token)));
    RDSIAM_GUARD(append_param(b, "X-Amz-Signature", s->signature, 64));
done:
    return rc;
}

static int sign_steps(signer *s, rdsiam_error *err)
{
    const rdsiam_sigv4_params *p = s->params;
    int rc = RDSIAM_OK;

    payload_hash(s);
    RDSIAM_GUARD(rdsiam__buf_append(&s->scope, s->amz_date, 8));
    RDSIAM_GUARD(rdsiam__buf_printf(&s->scope, "/%s/%s/aws4_request", p->region,
                                    p->service));
    RDSIAM_GUARD(rdsiam__buf_append_str(&s->cred, s->creds->access_key_id));
    RDSIAM_GUARD(rdsiam__buf_append_char(&s->cred, '/'));
    RDSIAM_GUARD(rdsiam__buf_append(&s->cred, s->scope.data, s->scope.len));
    RDSIAM_GUARD(build_headers(s));
    RDSIAM_GUARD(build_query(s, err));
    RDSIAM_GUARD(build_canonical_request(s));
    RDSIAM_GUARD(build_string_to_sign(s));
    compute_signature(s);
    if (s->presign)
        RDSIAM_GUARD(build_presigned_query(s));
    else
        RDSIAM_GUARD(build_authorization(s));
done:
    return rc;
}

static int sign(const rdsiam_sigv4_request *req,
                const rdsiam_sigv4_params *params,
                const rdsiam_credentials *creds, rdsiam_sigv4_result *out,
                bool presign, rdsiam_error *err)
{
    signer s;
    int64_t t = 0;
    int rc = RDSIAM_OK;

    signer_init(&s);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out, RDSIAM_ERR_NULL_ARGUMENT, "result pointer is NULL");
    RDSIAM_GUARD(check_inputs(req, params, creds, presign, &t, err));

    s.req = req;
    s.params = params;
    s.creds = creds;
    s.presign = presign;
    s.token = rdsiam__session_token(creds);
    s.sign_token =
        s.token && !(params->flags & RDSIAM_SIGV4_OMIT_SESSION_TOKEN);
    rdsiam__amz_date(s.amz_date, t);
    if (presign)
        (void)snprintf(s.expires, sizeof s.expires, "%lld",
                       (long long)params->expires_in);

    rc = sign_steps(&s, err);
    RDSIAM_ENSURE(err, rc != RDSIAM_ERR_SIGV4_TOO_LARGE, rc,
                  "request is too large to sign (a canonical string would "
                  "exceed %zu bytes)",
                  SIGV4_STRING_MAX);
    RDSIAM_ENSURE(err, rc != RDSIAM_ERR_NO_MEMORY, rc,
                  "out of memory while signing");
    RDSIAM_GUARD(rc);

    memcpy(out->signature, s.signature, sizeof out->signature);
    memcpy(out->amz_date, s.amz_date, sizeof out->amz_date);
    memcpy(out->payload_hash, s.payload, sizeof out->payload_hash);
    out->canonical_request = rdsiam__buf_take(&s.creq);
    out->string_to_sign = rdsiam__buf_take(&s.sts);
    if (presign)
        out->query = rdsiam__buf_take(&s.outq);
    else
        out->authorization = rdsiam__buf_take(&s.outq);
    RDSIAM_ENSURE(err,
                  out->canonical_request && out->string_to_sign &&
                      (out->query || out->authorization),
                  RDSIAM_ERR_NO_MEMORY, "out of memory while signing");
    rdsiam__ok(err);
done:
    if (rc != RDSIAM_OK)
        rdsiam_sigv4_result_free(out);
    signer_free(&s);
    return rc;
}

int rdsiam_sigv4_sign_headers(const rdsiam_sigv4_request *req,
                              const rdsiam_sigv4_params *params,
                              const rdsiam_credentials *creds,
                              rdsiam_sigv4_result *out, rdsiam_error *err)
{
    return sign(req, params, creds, out, false, err);
}

int rdsiam_sigv4_presign(const rdsiam_sigv4_request *req,
                         const rdsiam_sigv4_params *params,
                         const rdsiam_credentials *creds,
                         rdsiam_sigv4_result *out, rdsiam_error *err)
{
    return sign(req, params, creds, out, true, err);
}

void rdsiam_sigv4_result_free(rdsiam_sigv4_result *res)
{
    if (!res)
        return;
    rdsiam__free_secret_str(res->canonical_request);
    rdsiam__free_secret_str(res->string_to_sign);
    rdsiam__free_secret_str(res->authorization);
    rdsiam__free_secret_str(res->query);
    rdsiam__wipe(res, sizeof *res);
}
