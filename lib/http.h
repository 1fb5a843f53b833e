/*
 * http.h - a small, bounded HTTP GET client for credential endpoints
 * (libcurl underneath). Internal; compiled only when RDSIAM_HTTP is 1.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_HTTP_H
#define RDSIAM_HTTP_H

#include "internal.h"

#if RDSIAM_HTTP

#include <sys/socket.h>

/* Defaults for the fields of rdsiam__http_request left at zero. */
#define RDSIAM__HTTP_CONNECT_TIMEOUT_MS 1000L
#define RDSIAM__HTTP_TIMEOUT_MS 2000L
#define RDSIAM__HTTP_RETRIES 2u
#define RDSIAM__HTTP_MAX_BODY ((size_t)64 * 1024)
/* Backoff before retry n (n = 1, 2, ...) is BACKOFF_MS << (n - 1). */
#define RDSIAM__HTTP_BACKOFF_MS 100L

/*
 * Address filter applied to every socket the client opens (after name
 * resolution, before connect). Returns true when sa may be connected to.
 */
typedef bool (*rdsiam__http_addr_fn)(const struct sockaddr *sa,
                                     socklen_t len);

typedef struct rdsiam__http_request {
    /* http:// or https:// URL; other schemes are refused. Borrowed. */
    const char *url;
    /* Value of the Authorization header, sent as is; NULL for none.
     * Secret: every copy the client makes is wiped. MUST NOT contain CR,
     * LF (checked: RDSIAM_ERR_INVALID_ARGUMENT). Borrowed. */
    const char *authorization;
    long connect_timeout_ms; /* 0: RDSIAM__HTTP_CONNECT_TIMEOUT_MS */
    long timeout_ms;         /* whole transfer, per attempt; 0: default */
    /* Extra attempts after a connection error, a timeout or a 5xx answer
     * (never after a 4xx): 0 means none; RDSIAM__HTTP_RETRIES is typical. */
    unsigned int retries;
    size_t max_body;         /* 0: RDSIAM__HTTP_MAX_BODY */
    /* true: never use a proxy, whatever http_proxy/HTTPS_PROXY/ALL_PROXY
     * say. Endpoints on loopback and link-local addresses need this: a
     * proxy cannot reach them and must not see their Authorization header. */
    bool no_proxy;
    /* Optional; NULL accepts any address. Only consulted with no_proxy
     * (through a proxy the socket goes to the proxy, not the endpoint). */
    rdsiam__http_addr_fn allow_addr;
} rdsiam__http_request;

/*
 * GET req->url. On RDSIAM_OK, *body holds the answer of a 2xx response
 * (NUL-terminated; the caller releases it with rdsiam__buf_free(), which
 * wipes it) and *status the status code. On failure *body is empty and
 * every byte received has been wiped:
 *   RDSIAM_ERR_HTTP         connection, timeout, TLS, protocol, or an answer
 *                           larger than max_body;
 *   RDSIAM_ERR_HTTP_STATUS  a non-2xx status (named in the message; *status
 *                           holds it);
 *   RDSIAM_ERR_URI_NOT_ALLOWED  allow_addr refused every address;
 *   RDSIAM_ERR_URI_INVALID  not an http(s) URL.
 * Messages name the URL without its query string and fragment. No
 * redirects are followed. Thread-safe (one curl handle per call).
 */
int rdsiam__http_get(const rdsiam__http_request *req, rdsiam__buf *body,
                     long *status, rdsiam_error *err);

/* The URL as it may appear in a message: no user information, no query,
 * no fragment; truncated to fit. */
void rdsiam__http_url_for_message(const char *url, char *out, size_t size);

#endif /* RDSIAM_HTTP */

#endif /* RDSIAM_HTTP_H */
