/*
 * endpoint.c - where the credential sources may connect: the one URL
 * parser (libcurl's URL API plus the rules it does not apply), the allow
 * lists of plain http for a host as written and for an address about to be
 * connected to, the configured endpoints of the services the sources call
 * (STS, the IAM Identity Center portal, SSO-OIDC, sign-in) from the
 * environment and the profile, and the one JSON POST they share. See
 * endpoint.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if RDSIAM_HTTP
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#endif

#include "endpoint.h"

/* ------------------------------------------------------------------------ */
/* Configured endpoints                                                      */
/* ------------------------------------------------------------------------ */

int rdsiam__endpoint_check(const char *what, const char *src, const char *url,
                           rdsiam_error *err)
{
    const unsigned policy = RDSIAM__ALLOW_LOOPBACK | RDSIAM__URL_DNS;
    rdsiam__url u;
    rdsiam__url_fault f = rdsiam__url_parse(url, RDSIAM__ENDPOINT_MAX, policy,
                                            &u);

    return rdsiam__url_fail(err, f, &u, policy, RDSIAM__ENDPOINT_MAX, "%s: %s",
                            what, src);
}

/* Copy the URL found (n bytes) into out, with where it came from. */
static int take_url(const char *what, rdsiam__endpoint_url *out,
                    const char *url, size_t n, rdsiam_error *err)
{
    if (n > RDSIAM__ENDPOINT_MAX) {
        int rc = rdsiam__url_fail(err, RDSIAM__URL_TOO_LONG, NULL, 0,
                                  RDSIAM__ENDPOINT_MAX, "%s: %s", what,
                                  out->source);
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

int rdsiam__url_code(rdsiam__url_fault f)
{
    switch (f) {
    case RDSIAM__URL_OK:
        return RDSIAM_OK;
    case RDSIAM__URL_NOT_ALLOWED:
        return RDSIAM_ERR_URI_NOT_ALLOWED;
    case RDSIAM__URL_NO_MEMORY:
        return RDSIAM_ERR_NO_MEMORY;
    case RDSIAM__URL_NOT_BUILT_IN:
        return RDSIAM_ERR_NOT_BUILT_IN;
    default:
        return RDSIAM_ERR_URI_INVALID;
    }
}

/* How each fault reads, after "prefix: ": one wording for every caller,
 * naming the problem, never quoting the URL (its query may carry a
 * secret). The length and the plain-http faults are completed in
 * rdsiam__url_fail with the caller's limit and allow list. */
static const char *const fault_text[RDSIAM__URL_FAULTS] = {
    [RDSIAM__URL_TOO_LONG] = "the URL is longer than", /* " N bytes" */
    /* "invalid uri character": the smithy-rs wording, which the
     * conformance data tests/vectors/aws-config/imds-endpoint-tests.json
     * checks */
    [RDSIAM__URL_CHAR_HOST] = "invalid uri character before the path (a "
                              "space, a control, a backslash or a non-ASCII "
                              "character)",
    [RDSIAM__URL_CHAR_PATH] = "invalid uri character in the path, query or "
                              "fragment (a space, a control, a backslash or "
                              "a non-ASCII character)",
    /* botocore's wording (ECS provider), which the conformance data
     * tests/vectors/aws-config/ecs-tests.json checks */
    [RDSIAM__URL_NO_SCHEME] = "URI did not specify a host (it must start "
                              "with http:// or https://)",
    [RDSIAM__URL_SCHEME] = "the scheme must be http or https",
    /* "http://127.0.0.1@host/" means host: refused rather than risk
     * reading the authority differently from libcurl */
    [RDSIAM__URL_USER] = "user information (user@) is not allowed",
    [RDSIAM__URL_QUERY] = "a query or fragment is not allowed",
    [RDSIAM__URL_NO_HOST] = "the host is empty",
    [RDSIAM__URL_HOST] = "the host is not a valid host name or IP address",
    [RDSIAM__URL_BRACKET] = "the IPv6 address has no closing ']'",
    [RDSIAM__URL_IPV6] = "the host is not a valid IPv6 address (a zone id "
                         "is not allowed)",
    [RDSIAM__URL_PORT] = "the port is not a number in 1..65535",
    [RDSIAM__URL_NOT_ALLOWED] = "plain http is not allowed to host", /* 'h' */
    [RDSIAM__URL_NO_MEMORY] = "out of memory",
    [RDSIAM__URL_NOT_BUILT_IN] = "this library was built with HTTP=no (no "
                                 "libcurl)",
};

int rdsiam__url_fail(rdsiam_error *err, rdsiam__url_fault f,
                     const rdsiam__url *u, unsigned policy, size_t max,
                     const char *fmt, ...)
{
    char prefix[RDSIAM_ERROR_MESSAGE_SIZE];
    const char *text = NULL;
    int code = rdsiam__url_code(f);
    va_list ap;

    if (f == RDSIAM__URL_OK)
        return RDSIAM_OK;
    if ((unsigned)f < RDSIAM__URL_FAULTS)
        text = fault_text[f];
    va_start(ap, fmt);
    if (vsnprintf(prefix, sizeof prefix, fmt, ap) < 0)
        prefix[0] = '\0';
    va_end(ap);
    if (!text) /* never: test_fault_wording walks every fault */
        return rdsiam__fail(err, code, "%s: invalid URL", prefix);
    if (f == RDSIAM__URL_TOO_LONG)
        return rdsiam__fail(err, code, "%s: %s %zu bytes", prefix, text, max);
    if (f == RDSIAM__URL_NOT_ALLOWED) {
        /* The allow list from the policy bits; the host as written (its
         * characters checked by the parser), cut to 64 bytes. */
        const char *lo = (policy & RDSIAM__ALLOW_LOOPBACK)
                             ? "loopback (127.0.0.0/8, [::1], localhost)"
                             : "";
        const char *co = (policy & RDSIAM__ALLOW_CONTAINER)
                             ? "the container endpoints (169.254.170.2, "
                               "169.254.170.23, [fd00:ec2::23])"
                             : "";
        size_t n = u && u->name ? u->name_len : 0;

        return rdsiam__fail(err, code, "%s: %s '%.*s'%s%s%s%s; use https",
                            prefix, text, (int)(n > 64 ? 64 : n),
                            n ? u->name : "", *lo || *co ? ": only to " : "",
                            lo, *lo && *co ? " and " : "", co);
    }
    return rdsiam__fail(err, code, "%s: %s", prefix, text);
}

#if RDSIAM_HTTP

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

/* ------------------------------------------------------------------------ */
/* The URL parser                                                            */
/* ------------------------------------------------------------------------ */

#define NAME_CHAR(c) (rdsiam__char_class[(unsigned char)(c)] & RDSIAM__CH_DNS)

/* A name botocore's is_valid_endpoint_url takes: labels of 1..63
 * letters, digits and '-', neither first nor last '-', 255 bytes in all,
 * one trailing dot. */
static bool dns_name(const char *h, size_t n)
{
    size_t start = 0, i;

    if (n == 0 || n > 255)
        return false;
    if (h[n - 1] == '.')
        n--;
    for (i = 0; i <= n; i++) {
        if (i < n && h[i] != '.') {
            if (!NAME_CHAR(h[i]) || h[i] == '_')
                return false;
            continue;
        }
        if (i == start || i - start > 63 || h[start] == '-' || h[i - 1] == '-')
            return false;
        start = i + 1;
    }
    return true;
}

/* Without RDSIAM__URL_DNS: letters, digits, '.', '-', '_' (no '%': libcurl
 * would percent-decode the host). */
static bool name_chars(const char *h, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!NAME_CHAR(h[i]))
            return false;
    return true;
}

/* "scheme://" at the start, some scheme (RFC 3986: ALPHA *( ALPHA / DIGIT
 * / "+" / "-" / "." ))? */
static bool has_scheme(const char *url)
{
    size_t k = strspn(url, "abcdefghijklmnopqrstuvwxyz"
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    return k > 0 && !(url[0] >= '0' && url[0] <= '9') && url[0] != '+' &&
           url[0] != '-' && url[0] != '.' && strncmp(url + k, "://", 3) == 0;
}

/* The authority as written: the host (brackets removed), the port. */
static rdsiam__url_fault split_authority(const char *end, rdsiam__url *u)
{
    const char *auth = u->authority, *p;

    if (memchr(auth, '@', u->authority_len))
        return RDSIAM__URL_USER;
    if (auth == end)
        return RDSIAM__URL_NO_HOST;
    if (*auth == '[') {
        const char *close = memchr(auth, ']', u->authority_len);

        if (!close)
            return RDSIAM__URL_BRACKET;
        p = close + 1;
        u->ipv6 = true;
        u->name = auth + 1;
        u->name_len = (size_t)(close - u->name);
    } else {
        p = memchr(auth, ':', u->authority_len);
        if (!p)
            p = end;
        u->name = auth;
        u->name_len = (size_t)(p - auth);
    }
    if (u->name_len == 0)
        return RDSIAM__URL_NO_HOST;
    /* After the host only ":port", 1..65535 (libcurl takes "host:" with an
     * empty port, and port 0; we do not). */
    if (p < end &&
        (*p != ':' || !rdsiam__port_valid(p + 1, (size_t)(end - p - 1))))
        return RDSIAM__URL_PORT;
    if (p < end)
        u->port = (unsigned)strtoul(p + 1, NULL, 10); /* 1..65535: checked */
    return RDSIAM__URL_OK;
}

/* Everything rdsiam__url_parse checks before libcurl reads the URL. */
static rdsiam__url_fault check_text(const char *url, size_t max,
                                    unsigned policy, rdsiam__url *u)
{
    size_t i, n = strnlen(url, max + 1), skip = 0;
    const char *end;

    if (n > max)
        return RDSIAM__URL_TOO_LONG;
    if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    u->https = skip == 8;
    u->authority = url + skip;
    end = u->authority + strcspn(u->authority, "/?#");
    u->authority_len = (size_t)(end - u->authority);
    for (i = 0; i < n; i++)
        if (url[i] <= 0x20 || url[i] >= 0x7f || url[i] == '\\')
            return skip && url + i < end ? RDSIAM__URL_CHAR_HOST
                                         : RDSIAM__URL_CHAR_PATH;
    if (!skip)
        return has_scheme(url) ? RDSIAM__URL_SCHEME : RDSIAM__URL_NO_SCHEME;
    u->path = end;
    u->path_len = strcspn(end, "?#");
    if (!(policy & RDSIAM__URL_WITH_QUERY) && end[u->path_len])
        return RDSIAM__URL_QUERY;
    return split_authority(end, u);
}

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

/* The host libcurl reads (u->host) and whether the policy allows it. */
static rdsiam__url_fault read_host(const char *url, unsigned policy,
                                   rdsiam__url *u)
{
    CURLU *h = curl_url();
    CURLUcode uc;
    char *host = NULL, *zone = NULL;
    size_t n;
    uint32_t ip;
    unsigned char a6[16];
    rdsiam__url_fault f = RDSIAM__URL_OK;

    if (!h)
        return RDSIAM__URL_NO_MEMORY;
    uc = curl_url_set(h, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(h, CURLUPART_HOST, &host, 0);
    if (uc != CURLUE_OK) {
        f = uc == CURLUE_OUT_OF_MEMORY   ? RDSIAM__URL_NO_MEMORY
            : uc == CURLUE_BAD_PORT_NUMBER ? RDSIAM__URL_PORT
            : u->ipv6                      ? RDSIAM__URL_IPV6
                                           : RDSIAM__URL_HOST;
        goto done;
    }
    /* libcurl takes "[fe80::1%25eth0]"; a zone names an interface of this
     * machine, never an endpoint. */
    uc = curl_url_get(h, CURLUPART_ZONEID, &zone, 0);
    if (uc == CURLUE_OUT_OF_MEMORY)
        f = RDSIAM__URL_NO_MEMORY;
    else if (uc != CURLUE_NO_ZONEID)
        f = RDSIAM__URL_IPV6;
    if (f != RDSIAM__URL_OK)
        goto done;
    n = strlen(host);
    if (u->ipv6) { /* libcurl writes it bracketed, canonical */
        if (n < 2 || n - 2 > RDSIAM__URL_HOST_MAX) {
            f = RDSIAM__URL_IPV6;
            goto done;
        }
        memcpy(u->host, host + 1, n - 2);
        u->host[n - 2] = '\0';
        if (inet_pton(AF_INET6, u->host, a6) != 1)
            f = RDSIAM__URL_IPV6;
        else
            u->allowed = v6_allowed(a6, policy);
        goto done;
    }
    if (n > RDSIAM__URL_HOST_MAX) {
        f = RDSIAM__URL_HOST;
        goto done;
    }
    memcpy(u->host, host, n + 1);
    /* Judged as written, and only where libcurl reads the same host:
     * a strict dotted quad, or "localhost". */
    if (n == u->name_len && strncasecmp(host, u->name, n) == 0) {
        if (parse_v4(u->name, u->name_len, &ip))
            u->allowed = v4_allowed(ip, policy);
        else
            u->allowed = (policy & RDSIAM__ALLOW_LOOPBACK) &&
                         strcasecmp(host, "localhost") == 0;
    }
done:
    curl_free(zone);
    curl_free(host);
    curl_url_cleanup(h);
    return f;
}

rdsiam__url_fault rdsiam__url_parse(const char *url, size_t max,
                                    unsigned policy, rdsiam__url *u)
{
    rdsiam__url_fault f;

    memset(u, 0, sizeof *u);
    f = check_text(url, max, policy, u);
    if (f == RDSIAM__URL_OK && !u->ipv6 &&
        !((policy & RDSIAM__URL_DNS) ? dns_name(u->name, u->name_len)
                                     : name_chars(u->name, u->name_len)))
        f = RDSIAM__URL_HOST;
    if (f == RDSIAM__URL_OK) {
        f = read_host(url, policy, u);
        if (f == RDSIAM__URL_OK && !u->https && !u->allowed &&
            !(policy & RDSIAM__ALLOW_ANY))
            f = RDSIAM__URL_NOT_ALLOWED;
    }
    return f;
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

#else /* !RDSIAM_HTTP */

rdsiam__url_fault rdsiam__url_parse(const char *url, size_t max,
                                    unsigned policy, rdsiam__url *u)
{
    (void)url;
    (void)max;
    (void)policy;
    memset(u, 0, sizeof *u);
    return RDSIAM__URL_NOT_BUILT_IN;
}

#endif /* RDSIAM_HTTP */
