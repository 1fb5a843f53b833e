/*
 * endpoint.h - where the credential sources may connect: the one URL
 * parser (libcurl's URL API and the rules it does not apply), the one
 * definition of the hosts plain http may reach (loopback; the container
 * endpoints) for a URL's host and for an address about to be
 * connected to, the endpoint a caller configured for an AWS service the
 * sources call (STS, the IAM Identity Center portal, SSO-OIDC, the sign-in
 * service) in the environment or the profile, and the rule that plain
 * http goes only to loopback.
 * Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_ENDPOINT_H
#define RDSIAM_ENDPOINT_H

#include "internal.h"
#include "source.h"

/*
 * The hosts plain http may reach. Loopback is 127.0.0.0/8 and ::1, as
 * Python's ipaddress is_loopback reads them (botocore's container rule):
 * an IPv4-mapped address (::ffff:127.0.0.1) is not loopback, neither as
 * written nor at connect time, so the two checks always agree.
 */
#define RDSIAM__ALLOW_LOOPBACK 1u
/* The container endpoints: 169.254.170.2 (ECS), 169.254.170.23 and
 * fd00:ec2::23 (EKS Pod Identity). */
#define RDSIAM__ALLOW_CONTAINER 2u

/* Plain http to any host: the instance metadata service, which botocore
 * reaches over http wherever it is configured. */
#define RDSIAM__ALLOW_ANY 4u
/* A query and a fragment may follow the path (the container's full URI);
 * without it either is refused. */
#define RDSIAM__URL_WITH_QUERY 8u
/* A host name must be a DNS name: dot-separated labels of 1..63 letters,
 * digits and '-', not starting or ending with '-', 255 bytes in all, one
 * trailing dot allowed (botocore's is_valid_endpoint_url, which every
 * client endpoint_url and the IMDS endpoint must pass). Without it a name
 * is any run of letters, digits, '.', '-' and '_'. */
#define RDSIAM__URL_DNS 16u

/* The longest host name kept (DNS: 255 bytes). */
#define RDSIAM__URL_HOST_MAX 255

/* Why rdsiam__url_parse refused a URL; rdsiam__url_fail words it and
 * rdsiam__url_code gives its error code. */
typedef enum rdsiam__url_fault {
    RDSIAM__URL_OK = 0,
    RDSIAM__URL_TOO_LONG,    /* longer than max */
    RDSIAM__URL_CHAR_HOST,   /* space, control, backslash or non-ASCII byte
                                before the path */
    RDSIAM__URL_CHAR_PATH,   /* the same in the path, query or fragment */
    RDSIAM__URL_NO_SCHEME,   /* not scheme://... at all */
    RDSIAM__URL_SCHEME,      /* a scheme other than http and https */
    RDSIAM__URL_USER,        /* user information (user@, user:pw@) */
    RDSIAM__URL_QUERY,       /* a query or fragment, not allowed here */
    RDSIAM__URL_NO_HOST,     /* an empty host */
    RDSIAM__URL_HOST,        /* a host name outside the grammar above */
    RDSIAM__URL_BRACKET,     /* '[' without ']' */
    RDSIAM__URL_IPV6,        /* not an IPv6 address, or with a zone id */
    RDSIAM__URL_PORT,        /* after the host, not :1..65535 */
    RDSIAM__URL_NOT_ALLOWED, /* plain http to a host allow refuses */
    RDSIAM__URL_NO_MEMORY,
    RDSIAM__URL_NOT_BUILT_IN, /* built with HTTP=no: no URL parser */
    RDSIAM__URL_FAULTS
} rdsiam__url_fault;

/* A URL as rdsiam__url_parse read it. The pointers are into the URL. */
typedef struct rdsiam__url {
    bool https;
    bool allowed; /* the host is on the allow list, whatever the scheme */
    bool ipv6;    /* the host is an IPv6 literal */
    const char *authority; /* host[:port] as written (a Host header) */
    size_t authority_len;
    const char *name; /* the host as written, brackets removed */
    size_t name_len;
    /* The host as libcurl reads it, which the transfer connects to: IPv6
     * in libcurl's canonical form without brackets, IPv4 as libcurl reads
     * it ("127.1" is 127.0.0.1), a name as written. */
    char host[RDSIAM__URL_HOST_MAX + 1];
    unsigned port;    /* as written; 0 when none is */
    const char *path; /* as written, up to '?' or '#'; may be empty */
    size_t path_len;
} rdsiam__url;

/*
 * The one URL parser: url (NUL-terminated, borrowed; u points into it) is
 * read by libcurl's URL API (curl_url()), exactly as the transfer will
 * read it, and held to the rules libcurl does not apply:
 *   - at most max bytes; no space, control, backslash or non-ASCII byte;
 *   - "http://" or "https://" (any case), then a non-empty host, an
 *     optional ":port" of 1..65535, and a path; no user information; no
 *     query or fragment unless policy has RDSIAM__URL_WITH_QUERY;
 *   - a name of the grammar above; an IPv6 literal that libcurl takes and
 *     that names no zone;
 *   - over plain http, a host on the allow list of policy
 *     (RDSIAM__ALLOW_*): loopback is 127.0.0.0/8 written as a strict
 *     dotted quad (no "127.1", no leading zeros, no single number: Python's
 *     ipaddress refuses them, and libcurl would read them as loopback),
 *     ::1, or the name "localhost" in any case (no trailing dot); the
 *     container hosts are 169.254.170.2, 169.254.170.23 and fd00:ec2::23.
 *     IPv6 literals compare as addresses (libcurl's canonical form).
 * Returns RDSIAM__URL_OK with *u filled, or the first fault found.
 * With HTTP=no (no libcurl): RDSIAM__URL_NOT_BUILT_IN. Thread-safe.
 */
rdsiam__url_fault rdsiam__url_parse(const char *url, size_t max,
                                    unsigned policy, rdsiam__url *u);

/* The error code for a fault: RDSIAM_ERR_URI_NOT_ALLOWED,
 * RDSIAM_ERR_NO_MEMORY, RDSIAM_ERR_NOT_BUILT_IN or RDSIAM_ERR_URI_INVALID
 * (RDSIAM_OK for RDSIAM__URL_OK). */
int rdsiam__url_code(rdsiam__url_fault f);

/*
 * The one wording of a fault: records "PREFIX: TEXT" in err (may be NULL)
 * with rdsiam__url_code(f) and returns that code; PREFIX is fmt formatted,
 * naming what the URL is for and where it came from. TEXT never quotes the
 * URL; it states max (the limit given to rdsiam__url_parse) for
 * RDSIAM__URL_TOO_LONG, and for RDSIAM__URL_NOT_ALLOWED the host as written
 * in u (borrowed; cut to 64 bytes) and the hosts policy lets plain http
 * reach (its RDSIAM__ALLOW_* bits). RDSIAM__URL_OK: returns RDSIAM_OK, err
 * untouched. Thread-safe.
 */
int rdsiam__url_fail(rdsiam_error *err, rdsiam__url_fault f,
                     const rdsiam__url *u, unsigned policy, size_t max,
                     const char *fmt, ...) RDSIAM__PRINTF(6, 7);

/* A configured endpoint longer than this is refused. */
#define RDSIAM__ENDPOINT_MAX 2048
/* The room for where an endpoint came from, e.g. 'the services section
 * "local" of profile "dev" (sts endpoint_url)'. */
#define RDSIAM__ENDPOINT_SOURCE_MAX 256

/* A configured endpoint as found. */
typedef struct rdsiam__endpoint_url {
    char url[RDSIAM__ENDPOINT_MAX + 1];       /* "" when none is configured */
    char source[RDSIAM__ENDPOINT_SOURCE_MAX]; /* where it came from, or "" */
} rdsiam__endpoint_url;

/*
 * The one override look-up, botocore 1.43's for every client it creates
 * (args.py _compute_configured_endpoint_url, configprovider.py
 * ConfiguredEndpointProvider), for service, the service id in snake case
 * ("sts", "sso", "sso_oidc", "signin"):
 *   1. AWS_ENDPOINT_URL_<SERVICE> ("AWS_ENDPOINT_URL_SSO_OIDC"),
 *   2. AWS_ENDPOINT_URL,
 *   3. the [services NAME] section the selected profile names with
 *      "services = NAME": the endpoint_url sub-property of its service
 *      block ("sts =\n  endpoint_url = ..."),
 *   4. the selected profile's endpoint_url,
 * each when set and not empty; none of them when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is set (to "true" in any case:
 * ignored; to anything else: not), or, unset, the selected profile's
 * ignore_configured_endpoint_urls is "true". botocore reads the session's
 * profile for every client, whatever profile of an assume-role chain the
 * call is for: so does this (res->profile).
 * res: the resolution whose parsed files hold steps 3 and 4 (borrowed;
 * never re-read); NULL: the environment only (steps 1 and 2).
 * *out receives a copy of the URL, unchecked (see below), and where it
 * came from; both "" when none is configured. Errors: a profile naming a
 * services section that does not exist or is empty
 * (RDSIAM_ERR_PROFILE_INVALID, as botocore's InvalidConfigError), a
 * service block that is not a block of sub-properties (the same), a URL
 * longer than RDSIAM__ENDPOINT_MAX (RDSIAM_ERR_URI_INVALID), files that
 * cannot be read or parsed; messages are prefixed with what ("STS").
 */
int rdsiam__endpoint_lookup(const char *what, rdsiam__resolution *res,
                            const char *service, rdsiam__endpoint_url *out,
                            rdsiam_error *err);

/*
 * The endpoint configured for a service (rdsiam__endpoint_lookup), checked
 * (rdsiam__endpoint_check). A set URL must be http(s)://host[:port][/path]
 * with nothing odd in it (no space, control, backslash or non-ASCII byte,
 * no user information, query or fragment), a host that is a DNS name or
 * an IP address, and plain http only to a loopback host (127.0.0.0/8,
 * [::1], localhost), as rdsiam__url_parse reads it: RDSIAM_ERR_URI_INVALID
 * or RDSIAM_ERR_URI_NOT_ALLOWED (RDSIAM_ERR_NOT_BUILT_IN with HTTP=no), the
 * message (rdsiam__url_fail) prefixed with what ("IAM Identity Center")
 * and where the URL came from, never the URL beyond a refused host.
 */
int rdsiam__endpoint_configured(const char *what, rdsiam__resolution *res,
                                const char *service, rdsiam__endpoint_url *out,
                                rdsiam_error *err);

/*
 * The configured endpoint (as above) appended to b without its trailing
 * '/'s, for a path to follow; *found false (b untouched) when none is set.
 * Too long for b: RDSIAM_ERR_URI_INVALID.
 */
int rdsiam__endpoint_append(const char *what, rdsiam__resolution *res,
                            const char *service, rdsiam__buf *b, bool *found,
                            rdsiam_error *err);

/*
 * The same checks for a URL from elsewhere (a caller's option), named src
 * in messages; a host name must be a DNS name (RDSIAM__URL_DNS). With
 * HTTP=no: RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__endpoint_check(const char *what, const char *src, const char *url,
                           rdsiam_error *err);

#if RDSIAM_HTTP
#include "http.h"

/* The socket-level checks for http.c's open-socket hook: an address about
 * to be connected to is loopback (by the definition above), or loopback or
 * a container endpoint. */
bool rdsiam__endpoint_addr_loopback(const struct sockaddr *sa, socklen_t len);
bool rdsiam__endpoint_addr_container(const struct sockaddr *sa, socklen_t len);

/*
 * For a request to url: a plain-http endpoint (checked to be loopback
 * above) is reached directly, never through a proxy (which would see the
 * bearer token or refresh token), and every address it resolves to must be
 * loopback; https is left to the proxy settings and certificate checks.
 */
void rdsiam__endpoint_restrict(rdsiam__http_request *req);

/*
 * POST body (a JSON document, body_len bytes) to url with "Content-Type:
 * application/json", the extra headers (n of them; may be NULL), the
 * timeout, CA file and retries of an AWS JSON call (5xx and 429 retried
 * twice), restricted as above. *status and *answer (released with
 * rdsiam__buf_free, which wipes it) hold any complete answer: the caller
 * judges the status. Errors are the HTTP client's, prefixed with what.
 */
int rdsiam__endpoint_post_json(const char *what, const char *url,
                               const char *body, size_t body_len,
                               const rdsiam__http_header *headers, size_t n,
                               long timeout_ms, const char *ca_file,
                               long *status, rdsiam__buf *answer,
                               rdsiam_error *err);
#endif

#endif /* RDSIAM_ENDPOINT_H */
