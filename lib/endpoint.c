/*
 * endpoint.c - where plain http may go, the configured endpoints of the
 * services the credential sources call (STS, the IAM Identity Center
 * portal, SSO-OIDC, sign-in) from the environment and the profile, and the
 * one JSON POST they share. See endpoint.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#if RDSIAM_HTTP
#include <curl/curl.h>
#endif

#include "endpoint.h"

/* ------------------------------------------------------------------------ */
/* The hosts plain http may reach                                            */
/* ------------------------------------------------------------------------ */

static bool v4_allowed(uint32_t ip, unsigned allow) /* host byte order */
{
    if ((allow & RDSIAM__ALLOW_LOOPBACK) && (ip >> 24) == 127u)
        return true; /* 127.0.0.0/8 */
    return (allow & RDSIAM__ALLOW_CONTAINER) &&
           (ip == 0xA9FEAA02u || /* 169.254.170.2, ECS agent */
            ip == 0xA9FEAA17u);  /* 169.254.170.23, EKS Pod Identity */
}

static bool v6_allowed(const unsigned char a[16], unsigned allow)
{
    static const unsigned char loopback[16] = {[15] = 1};
    /* fd00:ec2::23, EKS Pod Identity on IPv6 */
    static const unsigned char eks[16] = {0xfd, 0x00, 0x0e, 0xc2, [15] = 0x23};

    if ((allow & RDSIAM__ALLOW_LOOPBACK) && memcmp(a, loopback, 16) == 0)
        return true;
    return (allow & RDSIAM__ALLOW_CONTAINER) && memcmp(a, eks, 16) == 0;
}

/* Strict dotted quad: four decimal parts 0..255 without leading zeros
 * (Python's ipaddress, which botocore uses, also refuses "127.1" and
 * "127.000.0.1"; libcurl would read such forms differently). */
static bool parse_v4(const char *s, size_t n, uint32_t *ip)
{
    uint32_t v = 0;
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned x = 0, digits = 0;

        if (part > 0) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
        while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            x = x * 10 + (unsigned)(s[i] - '0');
            digits++;
            i++;
        }
        if (digits == 0 || digits > 3 || x > 255 ||
            (digits > 1 && s[i - digits] == '0'))
            return false;
        v = (v << 8) | x;
    }
    *ip = v;
    return i == n;
}

bool rdsiam__endpoint_host_allowed(const char *host, size_t n, bool bracketed,
                                   unsigned allow)
{
    char buf[64];
    unsigned char a6[16];
    uint32_t ip;

    if (n >= sizeof buf)
        return false;
    memcpy(buf, host, n);
    buf[n] = '\0';
    if (bracketed)
        return inet_pton(AF_INET6, buf, a6) == 1 && v6_allowed(a6, allow);
    if (parse_v4(buf, n, &ip))
        return v4_allowed(ip, allow);
    /* Host names compare case-insensitively. */
    return (allow & RDSIAM__ALLOW_LOOPBACK) &&
           strcasecmp(buf, "localhost") == 0;
}

/* ------------------------------------------------------------------------ */
/* Configured endpoints                                                      */
/* ------------------------------------------------------------------------ */

int rdsiam__endpoint_check(const char *what, const char *src, const char *url,
                           rdsiam_error *err)
{
    size_t i, n = strlen(url), skip;
    const char *host, *end, *hend;
    bool https, bracketed;
#if RDSIAM_HTTP
    int same;
#endif

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
    bracketed = *host == '[';
    if (!rdsiam__endpoint_host_allowed(host + bracketed,
                                       (size_t)(hend - host - bracketed),
                                       bracketed, RDSIAM__ALLOW_LOOPBACK))
        return rdsiam__fail(err, RDSIAM_ERR_URI_NOT_ALLOWED,
                            "%s: %s: plain http is allowed only for a "
                            "loopback host (127.0.0.1, [::1], localhost); "
                            "use https",
                            what, src);
#if RDSIAM_HTTP
    same = rdsiam__endpoint_curl_agrees(
        url, host + bracketed, (size_t)(hend - host - bracketed), bracketed);
    if (same < 0)
        return rdsiam__fail(err, same, "%s: out of memory", what);
    if (!same)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                            "%s: %s: the HTTP client reads its host "
                            "differently",
                            what, src);
#endif
    return RDSIAM_OK;
}

/* Copy the URL found (n bytes) into out, with where it came from. */
static int take_url(const char *what, rdsiam__endpoint_url *out,
                    const char *url, size_t n, rdsiam_error *err)
{
    if (n > RDSIAM__ENDPOINT_MAX) {
        int rc = rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                              "%s: %s is longer than %d bytes", what,
                              out->source, RDSIAM__ENDPOINT_MAX);
        memset(out, 0, sizeof *out);
        return rc;
    }
    memcpy(out->url, url, n);
    out->url[n] = '\0';
    return RDSIAM_OK;
}

/* ensure_boolean: "true" in any case is true, anything else false. */
static int ignored(rdsiam__resolution *res, bool *ignore, rdsiam_error *err)
{
    /* The variable when set at all (EnvironmentProvider: "name in
     * os.environ", so an empty one means false), else the profile's
     * ignore_configured_endpoint_urls (ScopedConfigProvider). */
    const char *v = rdsiam__getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    int rc = RDSIAM_OK;

    if (!v && res)
        RDSIAM_GUARD(rdsiam__resolution_setting(
            res, NULL, "ignore_configured_endpoint_urls", &v, err));
    *ignore = v && strcasecmp(v, "true") == 0;
done:
    return rc;
}

/* Step 3: the selected profile's services section, service's block,
 * endpoint_url (ConfiguredEndpointProvider._get_services_config). */
static int from_services(const char *what, rdsiam__resolution *res,
                         const char *service, const char *section,
                         rdsiam__endpoint_url *out, rdsiam_error *err)
{
    const rdsiam__profile_set *set = NULL;
    const rdsiam__profile *sec;
    const rdsiam__profile_prop *block;
    const char *url = NULL;
    char sname[81], pname[81];
    size_t n = 0;
    int rc = RDSIAM_OK;

    RDSIAM_GUARD(rdsiam__resolution_files(res, &set, NULL, err));
    rdsiam__printable(sname, sizeof sname, section);
    rdsiam__printable(pname, sizeof pname, res->profile);
    sec = rdsiam__profile_find_services(set, section);
    /* "if not services_section: raise InvalidConfigError" (an empty
     * section is falsy too). */
    RDSIAM_ENSURE(err, sec && sec->nprops > 0, RDSIAM_ERR_PROFILE_INVALID,
                  "%s: profile \"%s\" names the services section \"%s\", "
                  "which does not exist",
                  what, pname, sname);
    block = rdsiam__profile_prop_get(sec, service);
    if (!block)
        goto done;
    /* botocore needs the service's entry to be a block ("sts =" and
     * indented "name = value" lines): a plain value is a mistake. */
    RDSIAM_ENSURE(err, block->sub, RDSIAM_ERR_PROFILE_INVALID,
                  "%s: the services section \"%s\": %s is not a block of "
                  "indented settings (\"%s =\" then \"  endpoint_url = "
                  "...\")",
                  what, sname, service, service);
    if (!rdsiam__profile_sub_get(block, "endpoint_url", &url, &n) || n == 0)
        goto done;
    snprintf(out->source, sizeof out->source,
             "the services section \"%s\" of profile \"%s\" (%s "
             "endpoint_url)",
             sname, pname, service);
    rc = take_url(what, out, url, n, err);
done:
    return rc;
}

int rdsiam__endpoint_lookup(const char *what, rdsiam__resolution *res,
                            const char *service, rdsiam__endpoint_url *out,
                            rdsiam_error *err)
{
    char var[64];
    const char *v = NULL, *src;
    bool ignore = false;
    size_t i;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(ignored(res, &ignore, err));
    if (ignore)
        goto done;
    /* "AWS_ENDPOINT_URL_" + the snake-case service id upper-cased
     * (_get_service_env_var_name). */
    i = (size_t)snprintf(var, sizeof var, "AWS_ENDPOINT_URL_%s", service);
    RDSIAM_ENSURE(err, i < sizeof var, RDSIAM_ERR_INVALID_ARGUMENT,
                  "%s: service id too long", what);
    for (i = 17; var[i]; i++)
        if (var[i] >= 'a' && var[i] <= 'z')
            var[i] = (char)(var[i] - 'a' + 'A');
    /* Each step counts only when set and not empty ("if endpoint_url"). */
    src = var;
    if (!(v = rdsiam__getenv_nonempty(var))) {
        src = "AWS_ENDPOINT_URL";
        v = rdsiam__getenv_nonempty(src);
    }
    if (v) {
        snprintf(out->source, sizeof out->source, "%s", src);
        RDSIAM_GUARD(take_url(what, out, v, strlen(v), err));
        goto done;
    }
    if (!res)
        goto done;
    RDSIAM_GUARD(rdsiam__resolution_setting(res, NULL, "services", &v, err));
    if (v)
        RDSIAM_GUARD(from_services(what, res, service, v, out, err));
    if (out->url[0])
        goto done;
    RDSIAM_GUARD(
        rdsiam__resolution_setting(res, NULL, "endpoint_url", &v, err));
    if (v && *v) {
        char pname[81];

        rdsiam__printable(pname, sizeof pname, res->profile);
        snprintf(out->source, sizeof out->source, "profile \"%s\" endpoint_url",
                 pname);
        RDSIAM_GUARD(take_url(what, out, v, strlen(v), err));
    }
done:
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

int rdsiam__endpoint_configured(const char *what, rdsiam__resolution *res,
                                const char *service, rdsiam__endpoint_url *out,
                                rdsiam_error *err)
{
    int rc = rdsiam__endpoint_lookup(what, res, service, out, err);

    if (rc != RDSIAM_OK || !out->url[0])
        return rc;
    rc = rdsiam__endpoint_check(what, out->source, out->url, err);
    if (rc != RDSIAM_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int rdsiam__endpoint_append(const char *what, rdsiam__resolution *res,
                            const char *service, rdsiam__buf *b, bool *found,
                            rdsiam_error *err)
{
    rdsiam__endpoint_url ep;
    size_t n;
    int rc = rdsiam__endpoint_configured(what, res, service, &ep, err);

    *found = ep.url[0] != '\0';
    if (rc != RDSIAM_OK || !*found)
        return rc;
    n = strlen(ep.url);
    while (n > 0 && ep.url[n - 1] == '/')
        n--;
    if (rdsiam__buf_append(b, ep.url, n) != RDSIAM_OK)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID, "%s: %s is too long",
                            what, ep.source);
    return RDSIAM_OK;
}

#if RDSIAM_HTTP

/* The socket-level check: the same allow lists, on the address libcurl is
 * about to connect to. */
static bool addr_allowed(const struct sockaddr *sa, socklen_t len,
                         unsigned allow)
{
    if (sa->sa_family == AF_INET &&
        len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *a =
            (const struct sockaddr_in *)(const void *)sa;
        return v4_allowed(ntohl(a->sin_addr.s_addr), allow);
    }
    if (sa->sa_family == AF_INET6 &&
        len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *a =
            (const struct sockaddr_in6 *)(const void *)sa;
        return v6_allowed(a->sin6_addr.s6_addr, allow);
    }
    return false;
}

bool rdsiam__endpoint_addr_loopback(const struct sockaddr *sa, socklen_t len)
{
    return addr_allowed(sa, len, RDSIAM__ALLOW_LOOPBACK);
}

bool rdsiam__endpoint_addr_container(const struct sockaddr *sa, socklen_t len)
{
    return addr_allowed(sa, len,
                        RDSIAM__ALLOW_LOOPBACK | RDSIAM__ALLOW_CONTAINER);
}

int rdsiam__endpoint_curl_agrees(const char *url, const char *host, size_t n,
                                 bool bracketed)
{
    CURLU *u = curl_url();
    CURLUcode uc;
    char *h = NULL, want[64];
    unsigned char a[16], b[16];
    size_t hn;
    int same = 0;

    if (!u)
        return RDSIAM_ERR_NO_MEMORY;
    uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(u, CURLUPART_HOST, &h, 0);
    if (uc == CURLUE_OUT_OF_MEMORY)
        same = RDSIAM_ERR_NO_MEMORY;
    if (uc != CURLUE_OK || !h)
        goto done;
    hn = strlen(h);
    if (bracketed) {
        /* libcurl writes an IPv6 host bracketed, in its canonical form. */
        if (n >= sizeof want || hn < 2 || h[0] != '[' || h[hn - 1] != ']')
            goto done;
        memcpy(want, host, n);
        want[n] = '\0';
        h[hn - 1] = '\0';
        same = inet_pton(AF_INET6, want, a) == 1 &&
               inet_pton(AF_INET6, h + 1, b) == 1 && memcmp(a, b, 16) == 0;
    } else {
        same = hn == n && strncasecmp(h, host, n) == 0;
    }
done:
    curl_free(h);
    curl_url_cleanup(u);
    return same;
}

void rdsiam__endpoint_restrict(rdsiam__http_request *req)
{
    if (strncasecmp(req->url, "http://", 7) == 0) {
        req->no_proxy = true;
        req->allow_addr = rdsiam__endpoint_addr_loopback;
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
