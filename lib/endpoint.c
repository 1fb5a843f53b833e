/*
 * endpoint.c - configured endpoints of the JSON services the credential
 * sources call (the IAM Identity Center portal, SSO-OIDC, sign-in), and
 * the one POST they share. See endpoint.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "endpoint.h"

static bool loopback_v4(const char *h, size_t n)
{
    char buf[16];
    struct in_addr a;

    if (n >= sizeof buf)
        return false;
    memcpy(buf, h, n);
    buf[n] = '\0';
    return inet_pton(AF_INET, buf, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127u;
}

int rdsiam__endpoint_check(const char *what, const char *src, const char *url,
                           rdsiam_error *err)
{
    size_t i, n = strlen(url), skip;
    const char *host, *end, *hend;
    bool https;

    if (n > RDSIAM__ENDPOINT_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                            "%s: %s is longer than %d bytes", what, src,
                            RDSIAM__ENDPOINT_MAX);
    for (i = 0; i < n; i++)
        if (url[i] <= 0x20 || url[i] >= 0x7f || url[i] == '\\')
            return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                                "%s: %s has a space, a control, a backslash "
                                "or a non-ASCII character",
                                what, src);
    https = strncasecmp(url, "https://", 8) == 0;
    skip = https ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
    if (!skip)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                            "%s: %s must be an http:// or https:// URL", what,
                            src);
    host = url + skip;
    end = host + strcspn(host, "/?#");
    if (end[strcspn(end, "?#")] || memchr(host, '@', (size_t)(end - host)) ||
        host == end)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                            "%s: %s must be scheme://host[:port][/path], "
                            "without user information, query or fragment",
                            what, src);
    if (https)
        return RDSIAM_OK;
    if (*host == '[')
        hend = memchr(host, ']', (size_t)(end - host));
    else
        hend = memchr(host, ':', (size_t)(end - host));
    if (!hend)
        hend = end;
    if ((*host == '[' && (size_t)(hend - host) == 4 &&
         memcmp(host, "[::1", 4) == 0) ||
        ((size_t)(hend - host) == 9 &&
         strncasecmp(host, "localhost", 9) == 0) ||
        (*host != '[' && loopback_v4(host, (size_t)(hend - host))))
        return RDSIAM_OK;
    return rdsiam__fail(err, RDSIAM_ERR_URI_NOT_ALLOWED,
                        "%s: %s: plain http is allowed only for a loopback "
                        "host (127.0.0.1, [::1], localhost); use https",
                        what, src);
}

int rdsiam__endpoint_configured(const char *what, const char *var,
                                const char **url, const char **source,
                                rdsiam_error *err)
{
    const char *ignore = rdsiam__getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

    *url = NULL;
    *source = NULL;
    /* Service-specific endpoint first, then the global one, unless
     * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true (botocore
     * EndpointResolverBuiltins / configprovider). */
    if (ignore && strcasecmp(ignore, "true") == 0)
        return RDSIAM_OK;
    *source = var;
    *url = rdsiam__getenv_nonempty(var);
    if (!*url) {
        *source = "AWS_ENDPOINT_URL";
        *url = rdsiam__getenv_nonempty(*source);
    }
    if (!*url) {
        *source = NULL;
        return RDSIAM_OK;
    }
    return rdsiam__endpoint_check(what, *source, *url, err);
}

int rdsiam__endpoint_append(const char *what, const char *var, rdsiam__buf *b,
                            bool *found, rdsiam_error *err)
{
    const char *url = NULL, *source = NULL;
    size_t n;
    int rc = rdsiam__endpoint_configured(what, var, &url, &source, err);

    *found = url != NULL;
    if (rc != RDSIAM_OK || !url)
        return rc;
    n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    if (rdsiam__buf_append(b, url, n) != RDSIAM_OK)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID, "%s: %s is too long",
                            what, source);
    return RDSIAM_OK;
}

#if RDSIAM_HTTP

/* Socket-level check for plain http: loopback addresses only. */
static bool loopback_addr(const struct sockaddr *sa, socklen_t len)
{
    static const unsigned char v6_loopback[16] = {[15] = 1};

    if (sa->sa_family == AF_INET &&
        len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *a =
            (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(a->sin_addr.s_addr) >> 24) == 127u;
    }
    if (sa->sa_family == AF_INET6 &&
        len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *a =
            (const struct sockaddr_in6 *)(const void *)sa;
        return memcmp(a->sin6_addr.s6_addr, v6_loopback, 16) == 0;
    }
    return false;
}

void rdsiam__endpoint_restrict(rdsiam__http_request *req)
{
    if (strncasecmp(req->url, "http://", 7) == 0) {
        req->no_proxy = true;
        req->allow_addr = loopback_addr;
    }
}

int rdsiam__endpoint_post_json(const char *what, const char *url,
                               const char *body, size_t body_len,
                               const rdsiam__http_header *headers, size_t n,
                               long timeout_ms, const char *ca_file,
                               long *status, rdsiam__buf *answer,
                               rdsiam_error *err)
{
    rdsiam__http_header hdr[RDSIAM__HTTP_MAX_HEADERS];
    rdsiam__http_request req;
    int rc;

    if (n + 1 > RDSIAM__HTTP_MAX_HEADERS)
        return rdsiam__fail(err, RDSIAM_ERR_INTERNAL, "%s: too many headers",
                            what);
    /* restJson1: "Content-Type: application/json", as botocore sends it */
    hdr[0].name = "Content-Type";
    hdr[0].value = "application/json";
    hdr[0].secret = false;
    if (n)
        memcpy(hdr + 1, headers, n * sizeof *headers);
    memset(&req, 0, sizeof req);
    req.method = "POST";
    req.url = url;
    req.headers = hdr;
    req.n_headers = n + 1;
    req.body = body;
    req.body_len = body_len;
    req.timeout_ms = timeout_ms;
    req.ca_file = ca_file;
    req.retries = RDSIAM__HTTP_RETRIES; /* 5xx and 429 */
    req.any_status = true;
    rdsiam__endpoint_restrict(&req);
    rc = rdsiam__http_perform(&req, answer, status, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "%s", what);
    return rc;
}

#endif /* RDSIAM_HTTP */
