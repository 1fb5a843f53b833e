/*
 * endpoint.h - the endpoint a caller configured for an AWS service the
 * credential sources call over JSON (the IAM Identity Center portal,
 * SSO-OIDC, the sign-in service), and the rule that plain http goes only
 * to loopback. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_ENDPOINT_H
#define RDSIAM_ENDPOINT_H

#include "internal.h"

/* A configured endpoint longer than this is refused. */
#define RDSIAM__ENDPOINT_MAX 2048

/*
 * The endpoint configured for a service: the variable var (e.g.
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
