/*
 * endpoint.h - where the credential sources may connect: the one
 * definition of the hosts plain http may reach (loopback; the container
 * endpoints) for a host as written and for an address about to be
 * connected to, the endpoint a caller configured for an AWS service the
 * sources call over JSON (the IAM Identity Center portal, SSO-OIDC, the
 * sign-in service), and the rule that plain http goes only to loopback.
 * Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_ENDPOINT_H
#define RDSIAM_ENDPOINT_H

#include "internal.h"

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

/*
 * A host as written in a URL (brackets removed from an IPv6 literal,
 * bracketed true then; n bytes, need not be NUL-terminated) among those
 * allow lets in? IPv4 only as a strict dotted quad (no "127.1", no leading
 * zeros, no single number: Python's ipaddress refuses them and libcurl
 * would read them otherwise); the name "localhost" in any case counts as
 * loopback (libcurl resolves it to loopback itself, and the address check
 * holds it to that).
 */
bool rdsiam__endpoint_host_allowed(const char *host, size_t n, bool bracketed,
                                   unsigned allow);

/* A configured endpoint longer than this is refused. */
#define RDSIAM__ENDPOINT_MAX 2048

/*
 * The one override look-up: the variable var (e.g. "AWS_ENDPOINT_URL_STS")
 * when set and not empty, else AWS_ENDPOINT_URL, neither when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true. Returns the URL (borrowed from
 * the environment: copy it at once) or NULL; *source names the variable
 * (NULL with none). Nothing is checked: see below.
 */
const char *rdsiam__endpoint_lookup(const char *var, const char **source);

/*
 * The endpoint configured for a service (rdsiam__endpoint_lookup) and
 * checked: the variable var (e.g.
 * "AWS_ENDPOINT_URL_SSO_OIDC"), else AWS_ENDPOINT_URL, neither when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (botocore's configured
 * endpoint rules). *url (borrowed from the environment: copy it at once)
 * is NULL when none is set, and *source the variable it came from. A set
 * URL must be http(s)://host[:port][/path] with nothing odd in it (no
 * space, control, backslash or non-ASCII byte, no user information, query
 * or fragment) and plain http only to a loopback host (127.0.0.0/8, [::1],
 * localhost): RDSIAM_ERR_URI_INVALID or RDSIAM_ERR_URI_NOT_ALLOWED, the
 * message prefixed with what ("IAM Identity Center") and naming the
 * variable.
 */
int rdsiam__endpoint_configured(const char *what, const char *var,
                                const char **url, const char **source,
                                rdsiam_error *err);

/*
 * The configured endpoint (as above) appended to b without its trailing
 * '/'s, for a path to follow; *found false (b untouched) when none is set.
 * Too long for b: RDSIAM_ERR_URI_INVALID.
 */
int rdsiam__endpoint_append(const char *what, const char *var, rdsiam__buf *b,
                            bool *found, rdsiam_error *err);

/*
 * The same checks for a URL from elsewhere (a caller's option), named src
 * in messages.
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
 * Does libcurl read url's host as the host that was checked (host, n
 * bytes, brackets removed when bracketed)? url is parsed with curl_url(),
 * as the transfer will parse it; IPv6 literals compare as addresses, names
 * without regard to case. A plain-http URL whose host libcurl reads
 * otherwise (a form our parse and libcurl's disagree on) is refused by its
 * checker, so the allow list always judges the host libcurl connects to.
 * Returns 1 (the same host), 0 (another, or no URL libcurl takes) or
 * RDSIAM_ERR_NO_MEMORY.
 */
int rdsiam__endpoint_curl_agrees(const char *url, const char *host, size_t n,
                                 bool bracketed);

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
