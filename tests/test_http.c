/*
 * test_http.c - the HTTP client (lib/http.c): what it says when an answer
 * cannot be taken, how it reports a timeout and how a request ended
 * (rdsiam__http_outcome), the retries it makes for its callers, and the
 * request body it sends in pieces.
 *
 * Servers: tests/helpers/aws_standin.py on 127.0.0.1 (its /head/ routes
 * send oversized heads, /imds/ a slow or malformed answer); a listening
 * socket whose backlog is full, which lets no connection through (the
 * kernel drops further SYNs), for a connect timeout without leaving
 * loopback; a closed port.
 *
 * SPDX-License-Identifier: MIT
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "helpers/standin.h"
#include "http.h"

#if RDSIAM_HTTP

static standin server;
static char url[512];

static int setup(void **state)
{
    (void)state;
    return standin_start(&server, NULL);
}

static int teardown(void **state)
{
    (void)state;
    standin_stop(&server);
    return 0;
}

/* A request to url (already written), its outcome into *how. */
static void request_to(rdsiam__http_request *req, rdsiam__http_outcome *how)
{
    memset(req, 0, sizeof *req);
    memset(how, 0xAA, sizeof *how); /* every field must be written */
    req->url = url;
    req->no_proxy = true;
    req->any_status = true;
    req->backoff_ms = 1;
    req->outcome = how;
}

/* A request to path on the stand-in. */
static void request_for(rdsiam__http_request *req, const char *path,
                        rdsiam__http_outcome *how)
{
    standin_url(&server, path, url, sizeof url);
    request_to(req, how);
}

/* "GET http://127.0.0.1:PORT" + path + rest */
static void expect_message(const rdsiam_error *e, const char *method,
                           const char *path, const char *rest)
{
    char want[1024];

    snprintf(want, sizeof want, "%s http://127.0.0.1:%d%s%s", method,
             server.port, path, rest);
    assert_string_equal(e->message, want);
}

/* ------------------------------------------------------------------------ */
/* Answers that cannot be taken                                             */
/* ------------------------------------------------------------------------ */

/* One header line of 1 MiB: libcurl refuses any over CURL_MAX_HTTP_HEADER
 * (100 KiB, curl/curl.h), and libcurl 7.88 calls that running out of
 * memory. It is not: the message says what it is, and it is not retried. */
static void test_header_line_too_long(void **state)
{
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;
    long status = 0;

    (void)state;
    request_for(&req, "/head/line/1048576", &how);
    req.retries = 2;
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e),
                     RDSIAM_ERR_HTTP);
    expect_message(&e, "GET", "/head/line/1048576",
                   ": a header line of the answer is longer than libcurl "
                   "accepts (102400 bytes)");
    assert_int_equal(how.attempts, 1);
    assert_true(how.sent);
    assert_false(how.timed_out);
    assert_null(body.data);
    /* A long line within libcurl's limit is fine. */
    request_for(&req, "/head/line/20000", &how);
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 200);
    assert_string_equal(body.data, "{}");
    rdsiam__buf_free(&body);
}

/* 400 header lines of 100 bytes: over RDSIAM__HTTP_MAX_HEAD (32 KiB) in
 * all. */
static void test_head_too_big(void **state)
{
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;

    (void)state;
    request_for(&req, "/head/many/400", &how);
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_HTTP);
    expect_message(&e, "GET", "/head/many/400",
                   ": answer's headers larger than 32768 bytes");
    assert_int_equal(how.attempts, 1);
    /* 200 lines (20 KiB) are taken. */
    request_for(&req, "/head/many/200", &how);
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e), RDSIAM_OK);
    rdsiam__buf_free(&body);
}

/* ------------------------------------------------------------------------ */
/* Timeouts and how a request ended                                         */
/* ------------------------------------------------------------------------ */

#define SLOW                                                                   \
    "/imds/slowhttp.cslow3000/latest/meta-data/iam/"                           \
    "security-credentials/rdsiam-test-role"

/* The server takes the request and answers too late: a timeout while
 * waiting for the answer (CURLE_OPERATION_TIMEDOUT), retried unless the
 * caller says a timeout is final. */
static void test_answer_timeout(void **state)
{
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;

    (void)state;
    request_for(&req, SLOW, &how);
    req.timeout_ms = 300;
    req.retries = 1;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_HTTP);
    expect_message(&e, "GET", SLOW,
                   ": timeout: no complete answer within 300 ms "
                   "(2 attempts)");
    assert_int_equal(how.attempts, 2);
    assert_true(how.sent);
    assert_true(how.timed_out);
    req.timeout_is_final = true;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_HTTP);
    expect_message(&e, "GET", SLOW,
                   ": timeout: no complete answer within 300 ms");
    assert_int_equal(how.attempts, 1);
    assert_true(how.timed_out);
}

/* A listener whose backlog is full takes no new connection: a timeout
 * while connecting, and nothing was sent. */
static void test_connect_timeout(void **state)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int lfd, cfd[4];
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;
    char want[256];

    (void)state;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(lfd >= 0);
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 0), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    for (int i = 0; i < 4; i++) { /* fill the queue; never accepted */
        cfd[i] = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(cfd[i] >= 0);
        assert_int_equal(fcntl(cfd[i], F_SETFL, O_NONBLOCK), 0);
        (void)connect(cfd[i], (struct sockaddr *)&a, sizeof a);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d/full", ntohs(a.sin_port));
    request_to(&req, &how);
    req.connect_timeout_ms = 300;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_HTTP);
    snprintf(want, sizeof want,
             "GET http://127.0.0.1:%d/full: timeout: no connection within "
             "300 ms",
             ntohs(a.sin_port));
    assert_string_equal(e.message, want);
    assert_int_equal(how.attempts, 1);
    assert_false(how.sent);
    assert_true(how.timed_out);
    for (int i = 0; i < 4; i++)
        close(cfd[i]);
    close(lfd);
}

/* Nothing listens: refused at once, nothing sent, no timeout; retried. */
static void test_refused(void **state)
{
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;
    char want[256];
    int port = standin_closed_port();

    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/none", port);
    request_to(&req, &how);
    req.retries = 1;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_HTTP);
    /* curl_easy_strerror(CURLE_COULDNT_CONNECT) */
    snprintf(want, sizeof want,
             "GET http://127.0.0.1:%d/none: Couldn't connect to server "
             "(2 attempts)",
             port);
    assert_string_equal(e.message, want);
    assert_int_equal(how.attempts, 2);
    assert_false(how.sent);
    assert_false(how.timed_out);
}

/* ------------------------------------------------------------------------ */
/* Retries for the caller                                                   */
/* ------------------------------------------------------------------------ */

/* The caller's judge of a 200: JSON or not (the metadata service's
 * answers are asked again while they are not). */
static bool not_json(void *ctx, long status, const char *body, size_t len)
{
    ++*(int *)ctx;
    (void)status;
    return len == 0 || body[0] != '{';
}

#define MALFORMED(tag)                                                         \
    "/imds/1malformed." tag "/latest/meta-data/iam/security-credentials/"      \
    "rdsiam-test-role"

/* The stand-in's first answer on a path is "<html>not json</html>" with
 * 200, then the credentials. */
static void test_retry_2xx(void **state)
{
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;
    long status = 0;
    int judged = 0;

    (void)state;
    request_for(&req, MALFORMED("a"), &how);
    req.retries = 1;
    req.retry_2xx = not_json;
    req.retry_ctx = &judged;
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 200);
    assert_int_equal(body.data[0], '{');
    assert_non_null(
        strstr(body.data, "\"AccessKeyId\": \"ASIAIMDSEXAMPLE12345\""));
    rdsiam__buf_free(&body);
    assert_int_equal(how.attempts, 2);
    assert_int_equal(judged, 1); /* the last attempt's answer is not judged */
    assert_int_equal(standin_hits(&server, MALFORMED("a")), 2);
    /* No retries left: the answer comes back as it is, for the caller. */
    request_for(&req, MALFORMED("b"), &how);
    req.retry_2xx = not_json;
    req.retry_ctx = &judged;
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_string_equal(body.data, "<html>not json</html>");
    rdsiam__buf_free(&body);
    assert_int_equal(how.attempts, 1);
}

/* ------------------------------------------------------------------------ */
/* The body, in pieces                                                      */
/* ------------------------------------------------------------------------ */

/* A body of 5000 bytes arrives whole and in order, though libcurl gets it
 * 15 bytes at a time; PUT and an empty body too. */
static void test_body_arrives_whole(void **state)
{
    static const rdsiam__http_header form = {
        "Content-Type", "application/x-www-form-urlencoded", false};
    char sent[5001], *log;
    rdsiam__http_request req;
    rdsiam__http_outcome how;
    rdsiam__buf body;
    rdsiam_error e;
    json_object *list, *last, *b;

    (void)state;
    for (size_t i = 0; i < 5000; i++)
        sent[i] = (char)('a' + i % 26 - (i % 7 == 0 ? 32 : 0));
    sent[5000] = '\0';
    request_for(&req, "/pieces", &how);
    req.method = "POST";
    req.headers = &form;
    req.n_headers = 1;
    req.body = sent;
    req.body_len = 5000;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e), RDSIAM_OK);
    rdsiam__buf_free(&body);
    req.method = "PUT";
    req.body_len = 0;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e), RDSIAM_OK);
    rdsiam__buf_free(&body);
    log = standin_report(&server, "_log", "/pieces");
    assert_non_null(log);
    list = json_tokener_parse(log);
    free(log);
    assert_non_null(list);
    assert_int_equal(json_object_array_length(list), 2);
    last = json_object_array_get_idx(list, 0);
    assert_true(json_object_object_get_ex(last, "body", &b));
    assert_string_equal(json_object_get_string(b), sent);
    last = json_object_array_get_idx(list, 1);
    assert_true(json_object_object_get_ex(last, "method", &b));
    assert_string_equal(json_object_get_string(b), "PUT");
    assert_true(json_object_object_get_ex(last, "body", &b));
    assert_string_equal(json_object_get_string(b), "");
    json_object_put(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_line_too_long),
        cmocka_unit_test(test_head_too_big),
        cmocka_unit_test(test_answer_timeout),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_retry_2xx),
        cmocka_unit_test(test_body_arrives_whole),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

#else /* !RDSIAM_HTTP */

int main(void)
{
    printf("test_http: nothing to test without HTTP\n");
    return 0;
}

#endif
