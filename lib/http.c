/*
 * http.c - a small, bounded HTTP GET client for credential endpoints, on
 * libcurl.
 *
 * Every request has a connect timeout, a total timeout, a body size cap and
 * a small retry budget; redirects are never followed; only http and https
 * are spoken; TLS peers and host names are always verified. Bodies (which
 * carry secret keys) are wiped whenever they are released, and so are the
 * copies of the Authorization header this file makes.
 *
 * Proxies: libcurl honours http_proxy / HTTPS_PROXY / ALL_PROXY / NO_PROXY
 * from the environment by default. Requests with no_proxy set never use a
 * proxy: the container endpoints allowed over plain http are loopback or
 * link-local addresses that only this host (or task) can reach, and a proxy
 * would both fail to reach them and see the Authorization token in clear.
 * https endpoints may go through the configured proxy (a CONNECT tunnel:
 * the proxy sees the host name, not the request).
 *
 * Limitation: libcurl's own receive and request buffers are freed without
 * being wiped; only what passes through this file is wiped.
 *
 * The whole file is compiled only when RDSIAM_HTTP is 1 (make HTTP=yes).
 *
 * SPDX-License-Identifier: MIT
 */
#include "http.h"

#if RDSIAM_HTTP

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

/* curl_global_init is not thread-safe in every libcurl release: run it
 * exactly once. curl_global_cleanup is never called (the library has no
 * cleanup function; the process exit releases everything). */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct transfer {
    rdsiam__buf *body;
    rdsiam__http_addr_fn allow_addr;
    bool too_big;
    bool no_memory;
    bool refused;
} transfer;

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
    transfer *t = ud;
    size_t n;

    if (size && nmemb > SIZE_MAX / size) {
        t->too_big = true;
        return 0;
    }
    n = size * nmemb;
    /* Returning less than n makes libcurl abort with CURLE_WRITE_ERROR. */
    if (n > t->body->max - t->body->len) {
        t->too_big = true;
        return 0;
    }
    if (rdsiam__buf_append(t->body, data, n) != RDSIAM_OK) {
        t->no_memory = true;
        return 0;
    }
    return n;
}

/* Called for every address libcurl is about to connect to, after name
 * resolution: the allow-list holds for what "localhost" or any other name
 * resolves to, not only for the literal in the URL. */
static curl_socket_t on_open_socket(void *ud, curlsocktype purpose,
                                    struct curl_sockaddr *a)
{
    transfer *t = ud;
    int type = a->socktype;

    (void)purpose;
    if (t->allow_addr && !t->allow_addr(&a->addr, (socklen_t)a->addrlen)) {
        t->refused = true;
        return CURL_SOCKET_BAD;
    }
#ifdef SOCK_CLOEXEC
    type |= SOCK_CLOEXEC; /* do not leak the socket into credential_process */
#endif
    return socket(a->family, type, a->protocol);
}

/* Copy [p, end) into out at *o, printable characters only. */
static void copy_printable(char *out, size_t size, size_t *o, const char *p,
                           const char *end)
{
    for (; p < end && *o + 1 < size; p++)
        out[(*o)++] = (*p > 0x20 && *p < 0x7f) ? *p : '?';
}

void rdsiam__http_url_for_message(const char *url, char *out, size_t size)
{
    const char *sep, *host, *end, *p;
    size_t o = 0;

    if (!out || size == 0)
        return;
    if (url) {
        sep = strstr(url, "://");
        host = sep ? sep + 3 : url;
        end = host + strcspn(host, "/?#");
        copy_printable(out, size, &o, url, host);
        /* Drop user information: it may hold a password. */
        for (p = host; p < end; p++)
            if (*p == '@')
                host = p + 1;
        copy_printable(out, size, &o, host, host + strcspn(host, "?#"));
    }
    out[o] = '\0';
}

static bool is_http_url(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 ||
           strncasecmp(url, "https://", 8) == 0;
}

static void headers_free(struct curl_slist *h)
{
    struct curl_slist *n;

    /* One entry holds the Authorization token. */
    for (n = h; n; n = n->next)
        if (n->data)
            rdsiam__wipe(n->data, strlen(n->data));
    curl_slist_free_all(h);
}

/* Append one header line; *list is left intact on failure. */
static int header_add(struct curl_slist **list, const char *line)
{
    struct curl_slist *n = curl_slist_append(*list, line);

    if (!n)
        return RDSIAM_ERR_NO_MEMORY;
    *list = n;
    return RDSIAM_OK;
}

static int build_headers(const char *authorization, struct curl_slist **out)
{
    int rc = RDSIAM_OK;
    rdsiam__buf line;

    rdsiam__buf_init(&line, RDSIAM_SESSION_TOKEN_MAX + 64);
    GUARD(header_add(out, "Accept: application/json"));
    GUARD(header_add(out, "User-Agent: librdsiam/" RDSIAM_VERSION_STRING));
    if (authorization) {
        /* "Name;" is libcurl's way to send a header with an empty value
         * ("Name:" would remove it). The value goes out as is. */
        if (*authorization)
            GUARD(rdsiam__buf_printf(&line, "Authorization: %s",
                                     authorization));
        else
            GUARD(rdsiam__buf_append_str(&line, "Authorization;"));
        GUARD(header_add(out, line.data));
    }
done:
    rdsiam__buf_free(&line);
    return rc;
}

#define SETOPT(h, opt, val)                                                    \
    do {                                                                       \
        if (curl_easy_setopt((h), (opt), (val)) != CURLE_OK)                   \
            return RDSIAM_ERR_HTTP;                                            \
    } while (0)

static int configure(CURL *h, const rdsiam__http_request *req, transfer *t,
                     struct curl_slist *headers)
{
    long connect_ms = req->connect_timeout_ms > 0
                          ? req->connect_timeout_ms
                          : RDSIAM__HTTP_CONNECT_TIMEOUT_MS;
    long total_ms =
        req->timeout_ms > 0 ? req->timeout_ms : RDSIAM__HTTP_TIMEOUT_MS;

    if (connect_ms > total_ms)
        connect_ms = total_ms;
    SETOPT(h, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SETOPT(h, CURLOPT_REDIR_PROTOCOLS,
           (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SETOPT(h, CURLOPT_HTTPGET, 1L);
    SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
    SETOPT(h, CURLOPT_MAXREDIRS, 0L);
    /* No signals: the library may run on any thread of the caller. */
    SETOPT(h, CURLOPT_NOSIGNAL, 1L);
    SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SETOPT(h, CURLOPT_TIMEOUT_MS, total_ms);
    SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
    SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
    SETOPT(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->body->max);
    SETOPT(h, CURLOPT_HTTPHEADER, headers);
    SETOPT(h, CURLOPT_WRITEFUNCTION, on_write);
    SETOPT(h, CURLOPT_WRITEDATA, t);
    if (req->no_proxy) {
        SETOPT(h, CURLOPT_PROXY, "");
        SETOPT(h, CURLOPT_NOPROXY, "*");
        SETOPT(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
        SETOPT(h, CURLOPT_OPENSOCKETDATA, t);
    }
    return RDSIAM_OK;
}

static bool retryable(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return true;
    default:
        return false;
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One outcome of one attempt. */
enum outcome { DONE, RETRY, FAIL };

static enum outcome classify(CURL *h, CURLcode c, const transfer *t,
                             const char *where, long *status, int *rc,
                             rdsiam_error *err)
{
    long code = 0;

    if (c == CURLE_OK) {
        if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
            code = 0;
        *status = code;
        if (code >= 200 && code <= 299)
            return DONE;
        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS, "GET %s: HTTP status %ld",
                           where, code);
        /* A 5xx may be transient; a 4xx will not change on its own. */
        return (code >= 500 && code <= 599) ? RETRY : FAIL;
    }
    if (t->no_memory) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY, "GET %s: out of memory",
                           where);
        return FAIL;
    }
    if (t->too_big || c == CURLE_FILESIZE_EXCEEDED) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP,
                           "GET %s: answer larger than %zu bytes", where,
                           t->body->max);
        return FAIL;
    }
    if (t->refused && c == CURLE_COULDNT_CONNECT) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_URI_NOT_ALLOWED,
                           "GET %s: the host resolves to an address that is "
                           "not allowed over plain http",
                           where);
        return FAIL;
    }
    *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP, "GET %s: %s", where,
                       curl_easy_strerror(c));
    return retryable(c) ? RETRY : FAIL;
}

static int perform(CURL *h, const rdsiam__http_request *req, transfer *t,
                   const char *where, long *status, rdsiam_error *err)
{
    unsigned int attempt;
    int rc = RDSIAM_ERR_HTTP;
    size_t max = t->body->max;

    for (attempt = 0;; attempt++) {
        enum outcome o;
        CURLcode c;

        t->too_big = t->no_memory = t->refused = false;
        c = curl_easy_perform(h);
        o = classify(h, c, t, where, status, &rc, err);
        if (o == DONE)
            return RDSIAM_OK;
        rdsiam__buf_free(t->body);
        rdsiam__buf_init(t->body, max);
        if (o == FAIL || attempt >= req->retries)
            break;
        sleep_ms(RDSIAM__HTTP_BACKOFF_MS << (attempt < 8 ? attempt : 8));
    }
    if (attempt > 0 && err) {
        char msg[RDSIAM_ERROR_MESSAGE_SIZE];

        memcpy(msg, err->message, sizeof msg);
        msg[sizeof msg - 1] = '\0';
        rdsiam__fail(err, rc, "%.200s (%u attempts)", msg, attempt + 1);
    }
    return rc;
}

int rdsiam__http_get(const rdsiam__http_request *req, rdsiam__buf *body,
                     long *status, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    CURL *h = NULL;
    struct curl_slist *headers = NULL;
    char where[160];
    long st = 0;
    transfer t;

    if (!req || !req->url || !body)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "HTTP request, URL or body is NULL");
    rdsiam__buf_init(body, req->max_body ? req->max_body
                                         : RDSIAM__HTTP_MAX_BODY);
    rdsiam__http_url_for_message(req->url, where, sizeof where);
    ENSURE_MSG(is_http_url(req->url), RDSIAM_ERR_URI_INVALID,
               "%s: only http and https URLs are supported", where);
    ENSURE_MSG(!req->authorization ||
                   !req->authorization[strcspn(req->authorization, "\r\n")],
               RDSIAM_ERR_INVALID_ARGUMENT,
               "GET %s: Authorization value contains CR or LF", where);
    pthread_once(&global_once, global_init);
    ENSURE_MSG(global_rc == CURLE_OK, RDSIAM_ERR_HTTP,
               "libcurl initialisation failed: %s",
               curl_easy_strerror(global_rc));
    h = curl_easy_init();
    ENSURE_MSG(h != NULL, RDSIAM_ERR_NO_MEMORY, "curl_easy_init failed");
    rc = build_headers(req->authorization, &headers);
    ENSURE_MSG(rc == RDSIAM_OK, rc, "GET %s: cannot build request headers",
               where);
    memset(&t, 0, sizeof t);
    t.body = body;
    t.allow_addr = req->allow_addr;
    rc = configure(h, req, &t, headers);
    ENSURE_MSG(rc == RDSIAM_OK, rc, "GET %s: libcurl refused an option",
               where);
    rc = perform(h, req, &t, where, &st, err);
done:
    if (h)
        curl_easy_cleanup(h);
    headers_free(headers);
    if (status)
        *status = st;
    if (rc != RDSIAM_OK)
        rdsiam__buf_free(body);
    else
        rdsiam__ok(err);
    return rc;
}

#endif /* RDSIAM_HTTP */
