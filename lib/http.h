/*
 * http.h - a small, bounded HTTP client for credential endpoints (libcurl
 * underneath): GET, PUT and POST with extra headers, an optional request
 * body, a CA bundle and a retry policy. Internal; compiled only when
 * RDSIAM_HTTP is 1.
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
/* Backoff before retry n (n = 1, 2, ...) is BACKOFF_MS << (n - 1), from
 * the fourth retry on BACKOFF_MS << 3 (100, 200, 400, 800, 800 ... ms). */
#define RDSIAM__HTTP_BACKOFF_MS 100L
#define RDSIAM__HTTP_BACKOFF_MAX_SHIFT 3
/* Response headers in all, at most (libcurl itself refuses one header
 * line over 100 KiB). */
#define RDSIAM__HTTP_MAX_HEAD ((size_t)32 * 1024)
/* Limits on the extra headers of one request. */
#define RDSIAM__HTTP_MAX_HEADERS 16u
#define RDSIAM__HTTP_MAX_HEADER_LINE ((size_t)RDSIAM_SESSION_TOKEN_MAX + 256)

/*
 * Address filter applied to every socket the client opens (after name
 * resolution, before connect). Returns true when sa may be connected to.
 */
typedef bool (*rdsiam__http_addr_fn)(const struct sockaddr *sa, socklen_t len);

/*
 * Whether a complete answer with a non-2xx status deserves another attempt
 * (the retry budget permitting). body/len: what the server sent (NUL-
 * terminated; may be empty). ctx: rdsiam__http_request.retry_ctx.
 */
typedef bool (*rdsiam__http_retry_fn)(void *ctx, long status, const char *body,
                                      size_t len);

/* How a request ended, whatever its result (rdsiam__http_request.outcome).
 * A source tells "nothing is there" (no credentials) from "something is
 * there and failed" by it. */
typedef struct rdsiam__http_outcome {
    unsigned int attempts; /* made: 1 + the retries used */
    /* The last attempt's request was sent: something listened there.
     * false: the connection was refused, unreachable or timed out. */
    bool sent;
    /* The last attempt ran out of time (CURLE_OPERATION_TIMEDOUT), while
     * connecting (sent false) or waiting for the answer. */
    bool timed_out;
} rdsiam__http_outcome;

/* One extra request header: "name: value". */
typedef struct rdsiam__http_header {
    /* Header name: 1..64 characters of the RFC 9110 token set (no ':',
     * space, CR, LF; checked). Borrowed. */
    const char *name;
    /* Value, sent as is; "" sends the header with an empty value. MUST NOT
     * contain CR or LF (checked; a NUL ends the string). Borrowed. */
    const char *value;
    /* The value is a credential (a token, a signature). Every copy this
     * client makes of any header is wiped; the flag also keeps the value
     * out of every message (none of them quotes a header value today). */
    bool secret;
} rdsiam__http_header;

typedef struct rdsiam__http_request {
    /* NULL or "GET"; "PUT"; "POST". Others: RDSIAM_ERR_INVALID_ARGUMENT. */
    const char *method;
    /* http:// or https:// URL; other schemes are refused. Borrowed. */
    const char *url;
    /* Value of the Authorization header, sent as is; NULL for none.
     * Secret: every copy the client makes is wiped. MUST NOT contain CR,
     * LF (checked: RDSIAM_ERR_INVALID_ARGUMENT). Borrowed. Same as an
     * entry {"Authorization", value, true} in headers. */
    const char *authorization;
    /* n_headers extra headers, sent in order. A header named here replaces
     * the client's default of that name ("Accept: application/json",
     * "User-Agent: librdsiam/VERSION"; for PUT and POST, "Content-Type:
     * application/x-www-form-urlencoded" when there is a body). Host may
     * be set (SigV4 signs it). Borrowed. */
    const rdsiam__http_header *headers;
    size_t n_headers;
    /* Request body of PUT and POST: body_len bytes at body (NULL with 0:
     * empty). Handed to libcurl in pieces of 15 bytes, so its upload
     * buffer, freed unwiped, keeps only the last piece (http.c); put
     * secret fields first. MUST stay valid for the call. Refused with
     * GET. Borrowed. */
    const void *body;
    size_t body_len;
    /* CA bundle file for https peers (CURLOPT_CAINFO: AWS_CA_BUNDLE or a
     * profile's ca_bundle); NULL: libcurl's default store. Borrowed. */
    const char *ca_file;
    long connect_timeout_ms; /* 0: RDSIAM__HTTP_CONNECT_TIMEOUT_MS */
    long timeout_ms;         /* whole transfer, per attempt; 0: default */
    /* Extra attempts after a connection error, a timeout or a retryable
     * status: 0 means none; RDSIAM__HTTP_RETRIES is typical. Every retry
     * of every source happens here, after the backoff below. */
    unsigned int retries;
    /* true: an attempt that timed out is not retried (the metadata
     * service's token request: botocore gives up at once on a timeout and
     * uses IMDSv1). */
    bool timeout_is_final;
    /* Backoff before the first retry, doubled for each next one; 0:
     * RDSIAM__HTTP_BACKOFF_MS. */
    long backoff_ms;
    /* Which non-2xx answers are retried; NULL: 5xx and 429. */
    rdsiam__http_retry_fn retry_status;
    /* Which 2xx answers are retried, as not the one wanted (the metadata
     * service: an empty or non-JSON 200, as botocore asks again); NULL:
     * none. Once the retries are spent the last answer is returned as it
     * is, for the caller to judge. */
    rdsiam__http_retry_fn retry_2xx;
    void *retry_ctx; /* for both */
    /* false: a non-2xx answer (after retries) is RDSIAM_ERR_HTTP_STATUS
     * and its body is dropped. true: any complete answer is RDSIAM_OK with
     * its status and body (an STS error document, an IMDS 401/404); the
     * caller judges the status. */
    bool any_status;
    size_t max_body; /* 0: RDSIAM__HTTP_MAX_BODY */
    /* true: never use a proxy, whatever http_proxy/HTTPS_PROXY/ALL_PROXY
     * say. Endpoints on loopback and link-local addresses need this: a
     * proxy cannot reach them and must not see their Authorization header. */
    bool no_proxy;
    /* Optional; NULL accepts any address. Only consulted with no_proxy
     * (through a proxy the socket goes to the proxy, not the endpoint). */
    rdsiam__http_addr_fn allow_addr;
    /* Optional: filled with how the request ended, also on failure. */
    rdsiam__http_outcome *outcome;
} rdsiam__http_request;

/*
 * Perform req. On RDSIAM_OK, *body holds the answer of a 2xx response (of
 * any response with any_status; NUL-terminated; the caller releases it with
 * rdsiam__buf_free(), which wipes it) and *status the status code. On
 * failure *body is empty and every byte received has been wiped:
 *   RDSIAM_ERR_INVALID_ARGUMENT  a bad method, header, or a body with GET;
 *   RDSIAM_ERR_HTTP         connection, timeout, TLS, protocol, or an answer
 *                           larger than max_body or RDSIAM__HTTP_MAX_HEAD
 *                           (the message names which; a timeout says
 *                           "timeout" and whether a connection was made);
 *   RDSIAM_ERR_HTTP_STATUS  a non-2xx status without any_status (named in
 *                           the message; *status holds it);
 *   RDSIAM_ERR_URI_NOT_ALLOWED  allow_addr refused every address;
 *   RDSIAM_ERR_URI_INVALID  not an http(s) URL.
 * Messages name the method and the URL without its query string and
 * fragment, never a header value or the body. No redirects are followed.
 * Thread-safe (one curl handle per call).
 */
int rdsiam__http_perform(const rdsiam__http_request *req, rdsiam__buf *body,
                         long *status, rdsiam_error *err);

/* The same as rdsiam__http_perform (the name of the GET-only era). */
int rdsiam__http_get(const rdsiam__http_request *req, rdsiam__buf *body,
                     long *status, rdsiam_error *err);

/* The default retry policy: 5xx and 429. */
bool rdsiam__http_retry_default(void *ctx, long status, const char *body,
                                size_t len);

/* The URL as it may appear in a message: no user information, no query,
 * no fragment; truncated to fit. */
void rdsiam__http_url_for_message(const char *url, char *out, size_t size);

#endif /* RDSIAM_HTTP */

#endif /* RDSIAM_HTTP_H */
