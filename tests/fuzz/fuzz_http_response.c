/*
 * fuzz_http_response.c - rdsiam__http_get() on arbitrary server answers:
 * a server thread on 127.0.0.1 reads the request and sends the fuzz input
 * back as the whole response (status line, headers, body), then closes.
 * This reaches libcurl's response parser and the library's status, size
 * and body handling, with no network beyond loopback.
 *
 * Properties: no crash, hang, leak or sanitizer report; a success is a 2xx
 * status with a NUL-terminated body of at most max_body bytes; a failure
 * is RDSIAM_ERR_HTTP or RDSIAM_ERR_HTTP_STATUS (with a non-2xx status)
 * with an empty body. For a plain "Content-Length" answer (no chunking, no
 * encoding) the body must be exactly the bytes that followed the headers,
 * at full length: a shorter body is a finding.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "http.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BODY 20000

static int listener = -1;
static int port;
static const uint8_t *answer;
static size_t answer_len;
static pthread_t server;

/* Serve one connection: read until the end of the request head, send the
 * answer, close. */
static void *serve_one(void *arg)
{
    char req[4096];
    size_t got = 0;
    struct pollfd pf;
    int c;

    (void)arg;
    pf.fd = listener;
    pf.events = POLLIN;
    if (poll(&pf, 1, 5000) <= 0) /* the client never came: do not hang */
        return NULL;
    c = accept(listener, NULL, NULL);
    if (c < 0)
        return NULL;
    pf.fd = c;
    pf.events = POLLIN;
    while (got < sizeof req - 1 && poll(&pf, 1, 2000) > 0) {
        ssize_t n = read(c, req + got, sizeof req - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        req[got] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    for (size_t off = 0; off < answer_len;) {
        ssize_t n = send(c, answer + off, answer_len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    close(c);
    return NULL;
}

static int listen_once(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof a;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(listener, 4) != 0 ||
        getsockname(listener, (struct sockaddr *)&a, &len) != 0)
        return -1;
    port = ntohs(a.sin_port);
    return 0;
}

/* The body a plain Content-Length answer carries, or NULL when the answer
 * is not that simple (chunked, encoded, several length headers, a line
 * ending in a bare LF or a lone CR ...). libcurl, like most HTTP/1.1
 * clients, also ends a header line at a bare LF, so "\r\n\n" already ends
 * the head: such answers are not plain, and only CRLF heads are judged. */
static const uint8_t *plain_body(const uint8_t *d, size_t n, size_t *len)
{
    const uint8_t *end = memmem(d, n, "\r\n\r\n", 4);
    char head[2048];
    size_t hn;
    const char *cl;
    char *e;
    long v;

    if (!end || (size_t)(end - d) >= sizeof head)
        return NULL;
    hn = (size_t)(end - d);
    memcpy(head, d, hn);
    head[hn] = '\0';
    if (memchr(head, '\0', hn) || strncmp(head, "HTTP/1.1 200 OK\r\n", 17) != 0)
        return NULL;
    for (size_t i = 0; i < hn; i++)
        if ((head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) ||
            (head[i] == '\r' && (i + 1 == hn || head[i + 1] != '\n')))
            return NULL;
    for (char *p = head; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    cl = strstr(head, "\r\ncontent-length: ");
    if (!cl || strstr(cl + 1, "\r\ncontent-length") ||
        strstr(head, "transfer-encoding") || strstr(head, "content-encoding"))
        return NULL;
    v = strtol(cl + 18, &e, 10);
    if (e == cl + 18 || (*e != '\r' && *e != '\0') || v < 0 ||
        (size_t)v > n - hn - 4 || v > MAX_BODY)
        return NULL;
    *len = (size_t)v;
    return end + 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char url[64];
    rdsiam__http_request req = {.url = url,
                                .timeout_ms = 3000,
                                .connect_timeout_ms = 1000,
                                .max_body = MAX_BODY,
                                .no_proxy = true};
    rdsiam__buf body;
    rdsiam_error err;
    long status = -1;
    size_t want_len = 0;
    const uint8_t *want;
    int rc;

    if (listener < 0 && listen_once() != 0)
        return 0;
    answer = data;
    answer_len = size;
    if (pthread_create(&server, NULL, serve_one, NULL) != 0)
        return 0;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/creds", port);
    rdsiam__buf_init(&body, MAX_BODY);
    rc = rdsiam__http_get(&req, &body, &status, &err);
    pthread_join(server, NULL);
    want = plain_body(data, size, &want_len);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(status >= 200 && status <= 299);
        FUZZ_CHECK(body.len <= MAX_BODY);
        FUZZ_CHECK(body.len == 0 || body.data[body.len] == '\0');
        if (want)
            FUZZ_CHECK(
                body.len == want_len &&
                (want_len == 0 || memcmp(body.data, want, want_len) == 0));
    } else {
        FUZZ_CHECK(rc == RDSIAM_ERR_HTTP || rc == RDSIAM_ERR_HTTP_STATUS);
        FUZZ_CHECK(rc != RDSIAM_ERR_HTTP_STATUS || status < 200 ||
                   status > 299);
        FUZZ_CHECK(body.len == 0);
        FUZZ_CHECK(err.code == rc);
    }
    rdsiam__buf_free(&body);
    return 0;
}
