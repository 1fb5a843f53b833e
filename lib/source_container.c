/*
 * source_container.c - credentials from a container endpoint: the ECS
 * agent (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), EKS Pod Identity,
 * Greengrass and Lambda SnapStart (AWS_CONTAINER_CREDENTIALS_FULL_URI with
 * an Authorization token).
 *
 * Behaviour follows botocore's ContainerProvider and ContainerMetadataFetcher
 * (botocore 1.43, credentials.py / utils.py) and the conformance data in
 * aws-config/ecs-tests.json:
 *   - the relative URI wins over the full URI when both are set;
 *   - over plain http only loopback, 169.254.170.2, 169.254.170.23 and
 *     fd00:ec2::23 may be contacted; https may name any host;
 *   - the token file wins over the token variable and is re-read on every
 *     fetch; the value is sent as is and refused if it holds CR or LF;
 *   - AccessKeyId, SecretAccessKey, Token and Expiration are all required.
 * Unlike botocore, the allow-list is checked on the parsed host before any
 * connection and again, for plain http, on every address libcurl is about
 * to connect to (so "localhost" cannot resolve somewhere else), and a
 * plain-http request never goes through a proxy.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "file.h"
#include "http.h"
#include "json_creds.h"
#include "source_container.h"
#include "withhold.h"

/* ------------------------------------------------------------------------ */
/* The allow-list                                                            */
/* ------------------------------------------------------------------------ */

static bool v4_allowed(uint32_t ip) /* host byte order */
{
    return (ip >> 24) == 127u || /* 127.0.0.0/8, loopback */
           ip == 0xA9FEAA02u ||  /* 169.254.170.2, ECS agent */
           ip == 0xA9FEAA17u;    /* 169.254.170.23, EKS Pod Identity */
}

static bool v6_allowed(const unsigned char a[16])
{
    static const unsigned char loopback[16] = {[15] = 1};
    /* fd00:ec2::23, EKS Pod Identity on IPv6 */
    static const unsigned char eks[16] = {0xfd, 0x00, 0x0e, 0xc2, [15] = 0x23};

    return memcmp(a, loopback, 16) == 0 || memcmp(a, eks, 16) == 0;
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

/* The host part of a URL (brackets removed for IPv6) on the list? */
static bool host_allowed(const char *host, size_t n, bool bracketed)
{
    char buf[64];
    unsigned char a6[16];
    uint32_t ip;

    if (n >= sizeof buf)
        return false;
    memcpy(buf, host, n);
    buf[n] = '\0';
    if (bracketed)
        return inet_pton(AF_INET6, buf, a6) == 1 && v6_allowed(a6);
    if (parse_v4(buf, n, &ip))
        return v4_allowed(ip);
    /* botocore allows the name "localhost" (host names compare
     * case-insensitively); libcurl resolves it to loopback itself, and the
     * socket-level check below holds it to that. */
    return strcasecmp(buf, "localhost") == 0;
}

/* ------------------------------------------------------------------------ */
/* URI checks and resolution                                                 */
/* ------------------------------------------------------------------------ */

static bool host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* Scheme "://" at the start of url? Returns the scheme length or 0. */
static size_t scheme_len(const char *url)
{
    size_t i = 0;

    if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
        return 0;
    while (url[i] && url[i] != ':' && url[i] != '/' && url[i] != '?' &&
           url[i] != '#')
        i++;
    return strncmp(url + i, "://", 3) == 0 ? i : 0;
}

/* The parts of a URL the rules look at. */
typedef struct uri_parts {
    bool https;
    bool bracketed; /* IPv6 literal; host excludes the brackets */
    const char *host;
    size_t host_len;
} uri_parts;

static int bad_uri(rdsiam_error *err, const char *var, const char *what)
{
    return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID, "container: %s: %s", var,
                        what);
}

/* Host characters: a name or IPv4 address, or inside [] an IPv6 address
 * (no zone identifier). */
static bool host_chars_valid(const char *p, const char *end, bool bracketed)
{
    for (; p < end; p++) {
        bool ok = bracketed
                      ? ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
                         (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.')
                      : host_char(*p);
        if (!ok)
            return false;
    }
    return true;
}

static bool v6_literal_valid(const char *host, size_t n)
{
    char buf[64];
    unsigned char a6[16];

    if (n >= sizeof buf)
        return false;
    memcpy(buf, host, n);
    buf[n] = '\0';
    return inet_pton(AF_INET6, buf, a6) == 1;
}

/* scheme://host[:port][/path][?query][#fragment], strictly. */
static int parse_uri(const char *url, const char *var, uri_parts *u,
                     rdsiam_error *err)
{
    const char *auth, *end, *host_end, *p;
    size_t slen, i, n = strlen(url);

    memset(u, 0, sizeof *u);
    if (n > RDSIAM__CONTAINER_URI_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_URI_INVALID,
                            "container: %s is longer than %d bytes", var,
                            RDSIAM__CONTAINER_URI_MAX);
    for (i = 0; i < n; i++)
        if (url[i] <= 0x20 || url[i] >= 0x7f || url[i] == '\\')
            return bad_uri(err, var,
                           "contains a space, a control, a backslash or a "
                           "non-ASCII character");
    slen = scheme_len(url);
    if (slen == 0)
        return bad_uri(err, var, "URI did not specify a host");
    if (slen == 4 && strncasecmp(url, "http", 4) == 0)
        u->https = false;
    else if (slen == 5 && strncasecmp(url, "https", 5) == 0)
        u->https = true;
    else
        return bad_uri(err, var, "the scheme must be http or https");
    auth = url + slen + 3;
    end = auth + strcspn(auth, "/?#");
    /* "http://127.0.0.1@host/" means host: refuse user information rather
     * than risk reading the authority differently from libcurl. */
    if (memchr(auth, '@', (size_t)(end - auth)))
        return bad_uri(err, var, "user information (user@) is not allowed");
    if (auth < end && *auth == '[') {
        u->host = auth + 1;
        host_end = memchr(u->host, ']', (size_t)(end - u->host));
        if (!host_end)
            return bad_uri(err, var, "unterminated IPv6 address");
        p = host_end + 1;
        u->bracketed = true;
    } else {
        u->host = auth;
        host_end = memchr(auth, ':', (size_t)(end - auth));
        if (!host_end)
            host_end = end;
        p = host_end;
    }
    u->host_len = (size_t)(host_end - u->host);
    if (u->host_len == 0)
        return bad_uri(err, var, "URI did not specify a host");
    if (p < end &&
        (*p != ':' || !rdsiam__port_valid(p + 1, (size_t)(end - p - 1))))
        return bad_uri(err, var, "the port is not a number in 1..65535");
    if (!host_chars_valid(u->host, host_end, u->bracketed))
        return bad_uri(err, var,
                       "the host has a character not allowed in a host name "
                       "or IP address");
    if (u->bracketed && !v6_literal_valid(u->host, u->host_len))
        return bad_uri(err, var, "invalid IPv6 address");
    return RDSIAM_OK;
}

int rdsiam__container_check_uri(const char *url, const char *var,
                                rdsiam_error *err)
{
    uri_parts u;
    int rc;

    if (!url || !var)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: URI or variable name is NULL");
    rc = parse_uri(url, var, &u, err);
    if (rc != RDSIAM_OK)
        return rc;
    if (!u.https && !host_allowed(u.host, u.host_len, u.bracketed))
        return rdsiam__fail(
            err, RDSIAM_ERR_URI_NOT_ALLOWED,
            "container: %s: host '%.*s' is not allowed over plain http "
            "(only loopback, 169.254.170.2, 169.254.170.23 and fd00:ec2::23; "
            "use https for other hosts)",
            var, (int)(u.host_len > 64 ? 64 : u.host_len), u.host);
    return RDSIAM_OK;
}

int rdsiam__container_resolve_uri(char **url, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *rel, *full;
    rdsiam__buf b;

    if (!url)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: url is NULL");
    *url = NULL;
    rdsiam__buf_init(&b, RDSIAM__CONTAINER_URI_MAX + 64);
    rel = rdsiam__getenv(RDSIAM__CONTAINER_RELATIVE_ENV);
    full = rdsiam__getenv(RDSIAM__CONTAINER_FULL_ENV);
    /* botocore: "if self._provided_relative_uri()" - a set relative URI is
     * used even when the full URI is set too. */
    if (rel) {
        RDSIAM_ENSURE(err, rel[0] == '/', RDSIAM_ERR_URI_INVALID,
                      "container: %s must start with '/'",
                      RDSIAM__CONTAINER_RELATIVE_ENV);
        RDSIAM_ENSURE(
            err, strlen(rel) <= RDSIAM__CONTAINER_URI_MAX,
            RDSIAM_ERR_URI_INVALID, "container: %s is longer than %d bytes",
            RDSIAM__CONTAINER_RELATIVE_ENV, RDSIAM__CONTAINER_URI_MAX);
        rc = rdsiam__buf_printf(&b, "%s%s", RDSIAM__CONTAINER_ECS_BASE, rel);
        RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "container: out of memory");
        RDSIAM_GUARD(rdsiam__container_check_uri(
            b.data, RDSIAM__CONTAINER_RELATIVE_ENV, err));
        *url = rdsiam__buf_take(&b);
    } else if (full) {
        RDSIAM_GUARD(
            rdsiam__container_check_uri(full, RDSIAM__CONTAINER_FULL_ENV, err));
        *url = rdsiam__strdup(full);
    } else {
        /* botocore's wording, which the conformance data checks */
        RDSIAM_BAIL(err, RDSIAM_ERR_NO_CREDENTIALS,
                    "no environment variables were set to configure ECS "
                    "provider (%s, %s)",
                    RDSIAM__CONTAINER_RELATIVE_ENV, RDSIAM__CONTAINER_FULL_ENV);
    }
    RDSIAM_ENSURE(err, *url != NULL, RDSIAM_ERR_NO_MEMORY,
                  "container: out of memory");
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The Authorization token                                                   */
/* ------------------------------------------------------------------------ */

static int read_token_file(const char *path, rdsiam__buf *b, rdsiam_error *err)
{
    char what[160];
    int rc;

    snprintf(what, sizeof what, "%s %.100s", RDSIAM__CONTAINER_TOKEN_FILE_ENV,
             path);
    /* A FIFO or device must not hang the fetch: regular files only. */
    rc = rdsiam__file_read(path, what, b->max, RDSIAM_ERR_AUTH_TOKEN_INVALID, 0,
                           b, NULL, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "container");
    return rc;
}

int rdsiam__container_auth_token(char **token, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *file, *value, *source;
    rdsiam__buf b;

    if (!token)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: token is NULL");
    *token = NULL;
    rdsiam__buf_init(&b, RDSIAM__CONTAINER_TOKEN_MAX);
    file = rdsiam__getenv(RDSIAM__CONTAINER_TOKEN_FILE_ENV);
    value = rdsiam__getenv(RDSIAM__CONTAINER_TOKEN_ENV);
    /* botocore: the file when its variable is present, else the value. */
    if (file) {
        source = RDSIAM__CONTAINER_TOKEN_FILE_ENV;
        RDSIAM_ENSURE(err, *file, RDSIAM_ERR_FILE_IO,
                      "container: %s is set but empty", source);
        RDSIAM_GUARD(read_token_file(file, &b, err));
    } else if (value) {
        source = RDSIAM__CONTAINER_TOKEN_ENV;
        RDSIAM_ENSURE(err, strlen(value) <= b.max,
                      RDSIAM_ERR_AUTH_TOKEN_INVALID,
                      "container: %s is longer than %zu bytes", source, b.max);
        rc = rdsiam__buf_append(&b, value, strlen(value));
        RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "container: out of memory");
        if (!b.data)
            RDSIAM_GUARD(rdsiam__buf_append(&b, "", 0));
    } else {
        goto done; /* no token: no header */
    }
    /* botocore: "Auth token value is not a legal header value" when it
     * holds \r or \n; a NUL cannot be sent either. */
    RDSIAM_ENSURE(err,
                  b.data && strlen(b.data) == b.len &&
                      !b.data[strcspn(b.data, "\r\n")],
                  RDSIAM_ERR_AUTH_TOKEN_INVALID,
                  "container: the authorization token from %s contains CR, LF "
                  "or NUL, which an HTTP header cannot carry",
                  source);
    *token = rdsiam__buf_take(&b);
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The JSON answer                                                           */
/* ------------------------------------------------------------------------ */

/* Copy a printable, truncated rendering of an untrusted value for a
 * message (used for Code and Expiration, which are not secret). */
static void printable(char *out, size_t size, const char *s)
{
    size_t o = 0;

    for (; s && *s && o + 1 < size; s++)
        out[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    out[o] = '\0';
}

int rdsiam__container_parse(const char *body, size_t len, rdsiam__creds *out,
                            rdsiam_error *err)
{
    /* botocore's ContainerProvider reads all four. */
    static const rdsiam__json_creds_fields fields = {
        "AccessKeyId", "SecretAccessKey", "Token", true, "Expiration", true};
    rdsiam__json *j = NULL;
    const char *code = NULL;
    char shown[48];
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__json_parse(body, len, "container", "the answer",
                                    RDSIAM_ERR_JSON, &j, err));
    /* ECS documents {"Code":"Success",...}; anything else is a failure
     * the endpoint reports in a 200 answer. */
    if (rdsiam__json_string(j, "Code", false, &code, NULL) == RDSIAM_OK &&
        code && strcmp(code, "Success") != 0) {
        printable(shown, sizeof shown, code);
        RDSIAM_BAIL(err, RDSIAM_ERR_JSON,
                    "container: the endpoint answered Code \"%s\"", shown);
    }
    RDSIAM_GUARD(rdsiam__json_creds(j, &fields, out, err));
    /* Not secret, and a valid time by now: shown as the endpoint wrote it. */
    (void)rdsiam__json_string(j, "Expiration", true, &code, NULL);
    printable(shown, sizeof shown, code);
    RDSIAM_ENSURE(err, out->expiration > rdsiam__now(),
                  RDSIAM_ERR_CREDENTIALS_EXPIRED,
                  "container: the endpoint returned credentials that expired "
                  "at %s",
                  shown);
done:
    rdsiam__json_free(j);
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The source                                                                */
/* ------------------------------------------------------------------------ */

#if RDSIAM_HTTP

typedef struct container_source {
    long timeout_ms;
    rdsiam__resolution *res; /* NULL: settings from the environment only */
} container_source;

/* Socket-level allow-list for plain http (see http.c's open-socket hook). */
static bool addr_allowed(const struct sockaddr *sa, socklen_t len)
{
    if (sa->sa_family == AF_INET &&
        len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *a =
            (const struct sockaddr_in *)(const void *)sa;
        return v4_allowed(ntohl(a->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6 &&
        len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *a =
            (const struct sockaddr_in6 *)(const void *)sa;
        return v6_allowed(a->sin6_addr.s6_addr);
    }
    return false;
}

static int container_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const container_source *src = self;
    const char *ca_file = NULL;
    char *url = NULL, *token = NULL;
    rdsiam__http_request req;
    rdsiam__buf body;
    uri_parts parts;
    long status = 0;

    rdsiam__buf_init(&body, RDSIAM__HTTP_MAX_BODY);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "container: credentials pointer is NULL");
    RDSIAM_GUARD(rdsiam__container_resolve_uri(&url, err));
    RDSIAM_GUARD(rdsiam__container_auth_token(&token, err));
    /* botocore's ca_bundle: AWS_CA_BUNDLE, then the profile's ca_bundle. */
    if (src->res)
        RDSIAM_GUARD(rdsiam__resolution_env_setting(
            src->res, "AWS_CA_BUNDLE", "ca_bundle", &ca_file, err));
    else
        ca_file = rdsiam__getenv_nonempty("AWS_CA_BUNDLE");
    memset(&req, 0, sizeof req);
    req.ca_file = ca_file;
    req.url = url;
    req.authorization = token;
    req.timeout_ms = src->timeout_ms;
    req.retries = RDSIAM__HTTP_RETRIES;
    /* The URL was checked by resolve_uri; parsing again cannot fail. */
    RDSIAM_GUARD(parse_uri(url, "URI", &parts, err));
    /* Loopback and link-local hosts are reached directly, never through a
     * proxy (which could not reach them and would see the token). Over
     * plain http every address is checked again at connect time. */
    if (host_allowed(parts.host, parts.host_len, parts.bracketed))
        req.no_proxy = true;
    if (!parts.https) {
        req.no_proxy = true;
        req.allow_addr = addr_allowed;
    }
    rc = rdsiam__http_get(&req, &body, &status, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "container");
        goto done;
    }
    RDSIAM_GUARD(rdsiam__container_parse(body.data, body.len, out, err));
done:
    if (rc != RDSIAM_OK && token) {
        /* The answer's Code or member names are shown: never an echo
         * of the authorization token. */
        rdsiam__sent sent = {token, strlen(token)};
        rdsiam__withhold_sent(err, "container", &sent, 1);
    }
    rdsiam__buf_free(&body);
    rdsiam__free_secret_str(token);
    rdsiam__free_secret_str(url); /* a query string may carry a secret */
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

static void container_destroy(void *self)
{
    free(self);
}

int rdsiam__source_container(rdsiam__source *out, rdsiam__resolution *res,
                             const char *profile, rdsiam_error *err)
{
    container_source *src;

    if (!out)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: source pointer is NULL");
    memset(out, 0, sizeof *out);
    src = calloc(1, sizeof *src);
    if (!src)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "container: out of memory");
    (void)profile;
    src->res = res;
    src->timeout_ms =
        res && res->timeout_ms > 0 ? res->timeout_ms : RDSIAM__HTTP_TIMEOUT_MS;
    out->name = "container";
    out->fetch = container_fetch;
    out->destroy = container_destroy;
    out->self = src;
    rdsiam__ok(err);
    return RDSIAM_OK;
}

#else /* !RDSIAM_HTTP */

int rdsiam__source_container(rdsiam__source *out, rdsiam__resolution *res,
                             const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return rdsiam__not_built_in(out, "container", "container", err);
}

#endif /* RDSIAM_HTTP */
