/*
 * http.c - a small, bounded HTTP client for credential endpoints (GET,
 * PUT, POST), on libcurl.
 *
 * Every request has a connect timeout, a total timeout, a body size cap,
 * a cap on the answer's headers and a small retry budget; every retry of
 * every source is made here; redirects are never followed; only http and
 * https are spoken; TLS peers and host names are always verified. A
 * timeout is reported as one (CURLE_OPERATION_TIMEDOUT), saying whether a
 * connection was made, and rdsiam__http_outcome tells the caller how the
 * request ended.
 *
 * Secrets and libcurl's copies (libcurl 7.88, as Debian 12 ships it;
 * tests/test_http_residue.c checks each point, docs/SECURITY.md says what
 * a caller may rely on):
 *   - answers are read into our buffer, wiped when released; the copies of
 *     the request headers this file makes (the header list) are wiped;
 *   - request bodies go through a read callback, 15 bytes at a time:
 *     libcurl reads each piece over the last at the start of its upload
 *     buffer, so what it frees unwiped holds the last piece only (callers
 *     put secret fields first). CURLOPT_POSTFIELDS would have copied the
 *     body into libcurl's request buffer, grown by realloc;
 *   - OpenSSL wipes the plaintext it received (SSL_OP_CLEANSE_PLAINTEXT,
 *     set on libcurl's SSL_CTX) and keeps only ciphertext of what it sent;
 *   - what cannot be helped: libcurl copies the request headers (the
 *     Authorization value, tokens in headers) into its request buffer and,
 *     over https, its upload buffer, and the answer into its receive
 *     buffer, and frees all three without wiping; its API offers no way
 *     to wipe them, nor an allocator of our own but the process-wide
 *     curl_global_init_mem, which is not ours to take.
 *
 * Proxies: libcurl honours http_proxy / HTTPS_PROXY / ALL_PROXY / NO_PROXY
 * from the environment by default. Requests with no_proxy set never use a
 * proxy: the container endpoints allowed over plain http are loopback or
 * link-local addresses that only this host (or task) can reach, and a proxy
 * would both fail to reach them and see the Authorization token in clear.
 * https endpoints may go through the configured proxy (a CONNECT tunnel:
 * the proxy sees the host name, not the request).
 *
 * The whole file is compiled only when RDSIAM_HTTP is 1 (make HTTP=yes).
 *
 * SPDX-License-Identifier: MIT
 */
#include "http.h"
#include "withhold.h"

#if RDSIAM_HTTP

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/ssl.h>

/* curl_global_init is not thread-safe in every libcurl release: run it
 * exactly once. curl_global_cleanup is never called (the library has no
 * cleanup function; the process exit releases everything). */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static bool openssl_backend; /* libcurl speaks TLS through OpenSSL */

static void global_init(void)
{
    const curl_version_info_data *v;

    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    v = curl_version_info(CURLVERSION_NOW);
    openssl_backend =
        v && v->ssl_version && strncmp(v->ssl_version, "OpenSSL/", 8) == 0;
}

/* OpenSSL decrypts what it receives in its read buffer and leaves the
 * plaintext there (an answer's secret key, session token) until it is
 * overwritten or freed, unwiped. SSL_OP_CLEANSE_PLAINTEXT (OpenSSL 3.0)
 * has it wiped once libcurl has read it, and when the connection goes.
 * Only when libcurl's TLS is OpenSSL's: then ctx is its SSL_CTX. */
static CURLcode on_ssl_ctx(CURL *h, void *ctx, void *ud)
{
    (void)h;
    (void)ud;
#ifdef SSL_OP_CLEANSE_PLAINTEXT
    SSL_CTX_set_options(ctx, SSL_OP_CLEANSE_PLAINTEXT);
#else
    (void)ctx;
#endif
    return CURLE_OK;
}

typedef struct transfer {
    rdsiam__buf *body;
    const char *send; /* the request body, read by on_read */
    size_t send_len, sent;
    rdsiam__http_addr_fn allow_addr;
    size_t head_bytes; /* response header bytes of this attempt */
    bool in_head;      /* a status line came, the blank line not yet */
    bool head_too_big;
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

/* Each response header line as libcurl delivers it: their total is
 * bounded, and whether an answer's head is under way tells a header line
 * too long for libcurl from running out of memory (libcurl 7.88 reports
 * both as CURLE_OUT_OF_MEMORY). */
static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
    transfer *t = ud;
    size_t n = size * nitems;

    if (n > RDSIAM__HTTP_MAX_HEAD - t->head_bytes) {
        t->head_too_big = true;
        return 0;
    }
    t->head_bytes += n;
    t->in_head = !(n <= 2 && (n == 0 || line[0] == '\r' || line[0] == '\n'));
    return n;
}

/* The request body, handed to libcurl in pieces of at most PIECE bytes.
 * libcurl (7.88) reads each piece into the start of its upload buffer,
 * sends it, and reads the next piece over it; it frees that buffer without
 * wiping it. So at most the body's last PIECE bytes stay behind, fewer
 * than the RDSIAM__SECRET_RUN characters that count as quoting a secret
 * (withhold.h), and a caller that ends its body with a field that is not
 * secret leaves none (sts.c does). */
#define PIECE ((size_t)RDSIAM__SECRET_RUN - 1)

static size_t on_read(char *out, size_t size, size_t nitems, void *ud)
{
    transfer *t = ud;
    size_t n = t->send_len - t->sent, room = size * nitems;

    if (n > room)
        n = room;
    if (n > PIECE)
        n = PIECE;
    memcpy(out, t->send + t->sent, n);
    t->sent += n;
    return n;
}

/* libcurl rewinds the body to send it again on a new connection. */
static int on_seek(void *ud, curl_off_t offset, int origin)
{
    transfer *t = ud;

    if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > t->send_len)
        return CURL_SEEKFUNC_CANTSEEK;
    t->sent = (size_t)offset;
    return CURL_SEEKFUNC_OK;
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

    /* Entries hold the Authorization value and other secret headers; all
     * are wiped, which costs next to nothing. */
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

/* RFC 9110 5.6.2: token = 1*tchar; tchar = "!" / "#" / "$" / "%" / "&" /
 * "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT /
 * ALPHA. */
static bool header_name_ok(const char *name)
{
    size_t i;

    if (!name || !*name)
        return false;
    for (i = 0; name[i]; i++) {
        unsigned char c = (unsigned char)name[i];

        if (i >= 64)
            return false;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c)))
            return false;
    }
    return true;
}

static bool header_value_ok(const char *value)
{
    return value && !value[strcspn(value, "\r\n")];
}

/* true when the caller sets a header of this name itself. */
static bool caller_sets(const rdsiam__http_request *req, const char *name)
{
    size_t i;

    if (req->authorization && strcasecmp(name, "Authorization") == 0)
        return true;
    for (i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return true;
    return false;
}

static bool has_body_method(const rdsiam__http_request *req)
{
    return req->method && strcmp(req->method, "GET") != 0;
}

/* Check the method, headers and body before anything is sent. */
static int check_request(const rdsiam__http_request *req, const char *method,
                         const char *where, rdsiam_error *err)
{
    size_t i;

    if (strcmp(method, "GET") != 0 && strcmp(method, "PUT") != 0 &&
        strcmp(method, "POST") != 0)
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "%s: method must be GET, PUT or POST", where);
    if (!has_body_method(req) && (req->body || req->body_len))
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "GET %s: a GET request has no body", where);
    if (req->body_len && !req->body)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "%s %s: body is NULL", method, where);
    if (req->authorization && !header_value_ok(req->authorization))
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "%s %s: Authorization value contains CR or LF",
                            method, where);
    if (req->n_headers && !req->headers)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "%s %s: headers is NULL", method, where);
    if (req->n_headers > RDSIAM__HTTP_MAX_HEADERS)
        return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                            "%s %s: more than %u extra headers", method, where,
                            RDSIAM__HTTP_MAX_HEADERS);
    for (i = 0; i < req->n_headers; i++) {
        const rdsiam__http_header *hd = &req->headers[i];

        if (!header_name_ok(hd->name))
            return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                                "%s %s: header %zu has an empty, long or "
                                "invalid name",
                                method, where, i + 1);
        /* The value is never quoted: it may be a credential. */
        if (!header_value_ok(hd->value))
            return rdsiam__fail(err, RDSIAM_ERR_INVALID_ARGUMENT,
                                "%s %s: value of header %s is NULL or "
                                "contains CR or LF",
                                method, where, hd->name);
    }
    return RDSIAM_OK;
}

/* Add "name: value" ("name;" for an empty value: libcurl's way to send a
 * header with no value, as "name:" would remove it). */
static int add_line(struct curl_slist **out, const char *name,
                    const char *value)
{
    int rc = RDSIAM_OK;
    rdsiam__buf line;

    rdsiam__buf_init(&line, RDSIAM__HTTP_MAX_HEADER_LINE);
    if (*value)
        RDSIAM_GUARD(rdsiam__buf_printf(&line, "%s: %s", name, value));
    else
        RDSIAM_GUARD(rdsiam__buf_printf(&line, "%s;", name));
    RDSIAM_GUARD(header_add(out, line.data));
done:
    rdsiam__buf_free(&line);
    return rc;
}

static int build_headers(const rdsiam__http_request *req,
                         struct curl_slist **out)
{
    int rc = RDSIAM_OK;
    size_t i;

    if (!caller_sets(req, "Accept"))
        RDSIAM_GUARD(header_add(out, "Accept: application/json"));
    if (!caller_sets(req, "User-Agent"))
        RDSIAM_GUARD(
            header_add(out, "User-Agent: librdsiam/" RDSIAM_VERSION_STRING));
    if (has_body_method(req)) {
        /* No "Expect: 100-continue" round trip for a small body. */
        if (!caller_sets(req, "Expect"))
            RDSIAM_GUARD(header_add(out, "Expect:"));
        /* libcurl labels a POSTFIELDS body as a form; an empty PUT (the
         * IMDS token request) is better sent without a type. */
        if (req->body_len == 0 && !caller_sets(req, "Content-Type"))
            RDSIAM_GUARD(header_add(out, "Content-Type:"));
    }
    if (req->authorization)
        RDSIAM_GUARD(add_line(out, "Authorization", req->authorization));
    for (i = 0; i < req->n_headers; i++)
        RDSIAM_GUARD(
            add_line(out, req->headers[i].name, req->headers[i].value));
done:
    return rc;
}

#define SETOPT(h, opt, val)                                                    \
    do {                                                                       \
        if (curl_easy_setopt((h), (opt), (val)) != CURLE_OK)                   \
            return RDSIAM_ERR_HTTP;                                            \
    } while (0)

static int configure_method(CURL *h, const rdsiam__http_request *req,
                            transfer *t)
{
    if (!has_body_method(req)) {
        SETOPT(h, CURLOPT_HTTPGET, 1L);
        return RDSIAM_OK;
    }
    t->send = req->body ? req->body : "";
    t->send_len = req->body_len;
    SETOPT(h, CURLOPT_POST, 1L);
    SETOPT(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    SETOPT(h, CURLOPT_READFUNCTION, on_read);
    SETOPT(h, CURLOPT_READDATA, t);
    SETOPT(h, CURLOPT_SEEKFUNCTION, on_seek);
    SETOPT(h, CURLOPT_SEEKDATA, t);
    if (strcmp(req->method, "PUT") == 0)
        SETOPT(h, CURLOPT_CUSTOMREQUEST, "PUT");
    return RDSIAM_OK;
}

/* An attempt's time limits: to connect, and in all. */
static void time_limits(const rdsiam__http_request *req, long *connect_ms,
                        long *total_ms)
{
    *connect_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms
                                              : RDSIAM__HTTP_CONNECT_TIMEOUT_MS;
    *total_ms = req->timeout_ms > 0 ? req->timeout_ms : RDSIAM__HTTP_TIMEOUT_MS;
    if (*connect_ms > *total_ms)
        *connect_ms = *total_ms;
}

static int configure(CURL *h, const rdsiam__http_request *req, transfer *t,
                     struct curl_slist *headers)
{
    long connect_ms, total_ms;

    time_limits(req, &connect_ms, &total_ms);
    SETOPT(h, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SETOPT(h, CURLOPT_REDIR_PROTOCOLS,
           (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (configure_method(h, req, t) != RDSIAM_OK)
        return RDSIAM_ERR_HTTP;
    SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
    SETOPT(h, CURLOPT_MAXREDIRS, 0L);
    /* No signals: the library may run on any thread of the caller. */
    SETOPT(h, CURLOPT_NOSIGNAL, 1L);
    SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SETOPT(h, CURLOPT_TIMEOUT_MS, total_ms);
    SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
    SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_file)
        SETOPT(h, CURLOPT_CAINFO, req->ca_file);
    if (openssl_backend)
        SETOPT(h, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
    SETOPT(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->body->max);
    SETOPT(h, CURLOPT_HTTPHEADER, headers);
    SETOPT(h, CURLOPT_WRITEFUNCTION, on_write);
    SETOPT(h, CURLOPT_WRITEDATA, t);
    SETOPT(h, CURLOPT_HEADERFUNCTION, on_header);
    SETOPT(h, CURLOPT_HEADERDATA, t);
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

bool rdsiam__http_retry_default(void *ctx, long status, const char *body,
                                size_t len)
{
    (void)ctx;
    (void)body;
    (void)len;
    /* A 5xx may be transient and 429 asks for a pause; any other 4xx will
     * not change on its own. */
    return (status >= 500 && status <= 599) || status == 429;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One outcome of one attempt: DONE keeps the body (a 2xx answer, or any
 * answer with any_status once retries are over); RETRY and FAIL drop it. */
enum outcome { DONE, RETRY, FAIL };

typedef struct attempt_ctx {
    const rdsiam__http_request *req;
    const char *method;
    const char *where;
    long connect_ms, total_ms; /* the time limits of an attempt */
    bool last;                 /* no retry budget left */
} attempt_ctx;

static enum outcome classify_status(const attempt_ctx *a, const transfer *t,
                                    long code, int *rc, rdsiam_error *err)
{
    const rdsiam__http_request *req = a->req;
    rdsiam__http_retry_fn again =
        req->retry_status ? req->retry_status : rdsiam__http_retry_default;

    if (code >= 200 && code <= 299) {
        if (!a->last && req->retry_2xx &&
            req->retry_2xx(req->retry_ctx, code,
                           t->body->data ? t->body->data : "", t->body->len)) {
            *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                               "%s %s: HTTP status %ld, not the answer wanted",
                               a->method, a->where, code);
            return RETRY;
        }
        return DONE;
    }
    if (!a->last && again(req->retry_ctx, code,
                          t->body->data ? t->body->data : "", t->body->len)) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS,
                           "%s %s: HTTP status %ld", a->method, a->where, code);
        return RETRY;
    }
    if (req->any_status)
        return DONE;
    *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP_STATUS, "%s %s: HTTP status %ld",
                       a->method, a->where, code);
    return FAIL;
}

/* The last attempt's request went out: something listened there. */
static bool request_sent(CURL *h)
{
    long n = 0;

    return curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &n) == CURLE_OK && n > 0;
}

/* libcurl's own limit on one header line, and its way of saying so. */
static bool header_line_too_long(CURLcode c, const transfer *t)
{
#if LIBCURL_VERSION_NUM >= 0x080600 /* 8.6.0: CURLE_TOO_LARGE */
    if (c == CURLE_TOO_LARGE)
        return true;
#endif
    return c == CURLE_OUT_OF_MEMORY && t->in_head;
}

static enum outcome classify(CURL *h, CURLcode c, const transfer *t,
                             const attempt_ctx *a, long *status, int *rc,
                             rdsiam_error *err)
{
    const char *method = a->method, *where = a->where;
    const rdsiam__http_request *req = a->req;
    long code = 0;

    if (c == CURLE_OK) {
        if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
            code = 0;
        *status = code;
        return classify_status(a, t, code, rc, err);
    }
    if (t->no_memory) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY, "%s %s: out of memory",
                           method, where);
        return FAIL;
    }
    if (t->too_big || c == CURLE_FILESIZE_EXCEEDED) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP,
                           "%s %s: answer larger than %zu bytes", method, where,
                           t->body->max);
        return FAIL;
    }
    if (t->head_too_big) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP,
                           "%s %s: answer's headers larger than %zu bytes",
                           method, where, RDSIAM__HTTP_MAX_HEAD);
        return FAIL;
    }
    if (header_line_too_long(c, t)) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP,
                           "%s %s: a header line of the answer is longer "
                           "than libcurl accepts (%d bytes)",
                           method, where, CURL_MAX_HTTP_HEADER);
        return FAIL;
    }
    if (c == CURLE_OPERATION_TIMEDOUT) {
        bool sent = request_sent(h);

        *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP,
                           "%s %s: timeout: %s within %ld ms", method, where,
                           sent ? "no complete answer" : "no connection",
                           sent ? a->total_ms : a->connect_ms);
        return req->timeout_is_final ? FAIL : RETRY;
    }
    if (t->refused && c == CURLE_COULDNT_CONNECT) {
        *rc = rdsiam__fail(err, RDSIAM_ERR_URI_NOT_ALLOWED,
                           "%s %s: the host resolves to an address that is "
                           "not allowed over plain http",
                           method, where);
        return FAIL;
    }
    *rc = rdsiam__fail(err, RDSIAM_ERR_HTTP, "%s %s: %s", method, where,
                       curl_easy_strerror(c));
    return retryable(c) ? RETRY : FAIL;
}

static int perform(CURL *h, const rdsiam__http_request *req, transfer *t,
                   attempt_ctx *a, long *status, rdsiam_error *err)
{
    unsigned int attempt;
    int rc = RDSIAM_ERR_HTTP;
    size_t max = t->body->max;
    long backoff =
        req->backoff_ms > 0 ? req->backoff_ms : RDSIAM__HTTP_BACKOFF_MS;

    for (attempt = 0;; attempt++) {
        enum outcome o;
        CURLcode c;

        t->too_big = t->no_memory = t->refused = false;
        t->head_too_big = t->in_head = false;
        t->head_bytes = 0;
        t->sent = 0;
        a->last = attempt >= req->retries;
        c = curl_easy_perform(h);
        o = classify(h, c, t, a, status, &rc, err);
        if (req->outcome) {
            req->outcome->attempts = attempt + 1;
            req->outcome->sent = request_sent(h);
            req->outcome->timed_out = c == CURLE_OPERATION_TIMEDOUT;
        }
        if (o == DONE)
            return RDSIAM_OK;
        rdsiam__buf_free(t->body);
        rdsiam__buf_init(t->body, max);
        if (o == FAIL || attempt >= req->retries)
            break;
        sleep_ms(backoff << (attempt < RDSIAM__HTTP_BACKOFF_MAX_SHIFT
                                 ? attempt
                                 : RDSIAM__HTTP_BACKOFF_MAX_SHIFT));
    }
    if (attempt > 0 && err) {
        char msg[RDSIAM_ERROR_MESSAGE_SIZE];

        memcpy(msg, err->message, sizeof msg);
        msg[sizeof msg - 1] = '\0';
        rdsiam__fail(err, rc, "%.200s (%u attempts)", msg, attempt + 1);
    }
    return rc;
}

int rdsiam__http_perform(const rdsiam__http_request *req, rdsiam__buf *body,
                         long *status, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    CURL *h = NULL;
    struct curl_slist *headers = NULL;
    char where[160];
    const char *method;
    long st = 0;
    transfer t;
    attempt_ctx a;

    if (!req || !req->url || !body)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "HTTP request, URL or body is NULL");
    rdsiam__buf_init(body,
                     req->max_body ? req->max_body : RDSIAM__HTTP_MAX_BODY);
    rdsiam__http_url_for_message(req->url, where, sizeof where);
    method = req->method ? req->method : "GET";
    RDSIAM_GUARD(check_request(req, method, where, err));
    RDSIAM_ENSURE(err, is_http_url(req->url), RDSIAM_ERR_URI_INVALID,
                  "%s: only http and https URLs are supported", where);
    pthread_once(&global_once, global_init);
    RDSIAM_ENSURE(err, global_rc == CURLE_OK, RDSIAM_ERR_HTTP,
                  "libcurl initialisation failed: %s",
                  curl_easy_strerror(global_rc));
    h = curl_easy_init();
    RDSIAM_ENSURE(err, h != NULL, RDSIAM_ERR_NO_MEMORY,
                  "curl_easy_init failed");
    rc = build_headers(req, &headers);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc,
                  "%s %s: cannot build request headers", method, where);
    memset(&t, 0, sizeof t);
    t.body = body;
    t.allow_addr = req->allow_addr;
    rc = configure(h, req, &t, headers);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s %s: libcurl refused an option",
                  method, where);
    a.req = req;
    a.method = method;
    a.where = where;
    time_limits(req, &a.connect_ms, &a.total_ms);
    a.last = false;
    rc = perform(h, req, &t, &a, &st, err);
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

int rdsiam__http_get(const rdsiam__http_request *req, rdsiam__buf *body,
                     long *status, rdsiam_error *err)
{
    return rdsiam__http_perform(req, body, status, err);
}

#endif /* RDSIAM_HTTP */
