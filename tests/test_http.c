/*
 * test_http.c - the HTTP client (lib/http.c): what it says when an answer
 * cannot be taken, how it reports a timeout and how a request ended
 * (rdsiam__http_outcome), the retries it makes for its callers, the
 * request body it sends in pieces, the methods and headers it sends, the
 * requests it refuses before sending, which statuses it retries or hands
 * back, and the URL its messages show.
 *
 * Servers: tests/helpers/aws_standin.py on 127.0.0.1, started once for the
 * whole program (its /head/ routes send oversized heads, /imds/ a slow or
 * malformed answer, /http/ plain, failing and flaky answers; its /_log
 * report shows what a request carried); a listening socket whose backlog
 * is full, which lets no connection through (the kernel drops further
 * SYNs), for a connect timeout without leaving loopback; a closed port.
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
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "helpers/skip_program.h"
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

/* ------------------------------------------------------------------------ */
/* What a failed request says                                               */
/* ------------------------------------------------------------------------ */

/* Messages name the URL without user information, query or fragment. */
static void test_messages(void **state)
{
    rdsiam__http_request req;
    rdsiam__buf body;
    rdsiam_error e;
    char shown[256];
    long status = 0;

    (void)state;
    rdsiam__http_url_for_message("https://user:pw@host.example:8443/a/b?"
                                 "X-Amz-Signature=s#frag",
                                 shown, sizeof shown);
    assert_string_equal(shown, "https://host.example:8443/a/b");
    rdsiam__http_url_for_message("http://h/p\nq", shown, 8);
    assert_string_equal(shown, "http://");
    standin_url(&server, "/http/status/500?secret=abc", url, sizeof url);
    memset(&req, 0, sizeof req);
    req.url = url;
    req.no_proxy = true;
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__http_get(&req, &body, &status, &e),
                     RDSIAM_ERR_HTTP_STATUS);
    assert_int_equal(status, 500);
    assert_null(body.data);
    expect_message(&e, "GET", "/http/status/500", ": HTTP status 500");
    assert_null(strstr(e.message, "secret"));
    /* retries 0: exactly one request. */
    assert_int_equal(standin_hits(&server, "/http/status/500?secret=abc"), 1);
    /* Other schemes never reach libcurl. */
    req.url = "ftp://127.0.0.1/x";
    assert_int_equal(rdsiam__http_get(&req, &body, NULL, &e),
                     RDSIAM_ERR_URI_INVALID);
    assert_string_equal(e.message, "ftp://127.0.0.1/x: only http and https "
                                   "URLs are supported");
    /* Nobody listening (retried, then reported with the count of
     * attempts): test_refused. */
}

/* ------------------------------------------------------------------------ */
/* Methods, headers and bodies                                              */
/* ------------------------------------------------------------------------ */

/* Send req to /http/ok?query (a 200) and return what the stand-in logged
 * of it (json_object_put() it). */
static json_object *sent_as(rdsiam__http_request *req, const char *query)
{
    rdsiam__buf body;
    rdsiam_error e;
    long status = 0;
    char path[64], *log;
    json_object *list, *doc;

    snprintf(path, sizeof path, "/http/ok?%s", query);
    standin_url(&server, path, url, sizeof url);
    req->url = url;
    req->no_proxy = true;
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__http_perform(req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 200);
    rdsiam__buf_free(&body);
    log = standin_report(&server, "_log", path);
    assert_non_null(log);
    list = json_tokener_parse(log);
    free(log);
    assert_non_null(list);
    assert_int_equal(json_object_array_length(list), 1);
    doc = json_object_get(json_object_array_get_idx(list, 0));
    json_object_put(list);
    return doc;
}

static const char *logged(json_object *doc, const char *key)
{
    json_object *v;

    assert_true(json_object_object_get_ex(doc, key, &v));
    return json_object_get_string(v);
}

/* The value of the only header named name (case-insensitive), or NULL when
 * absent; fails when the header was sent twice. */
static const char *logged_header(json_object *doc, const char *name)
{
    json_object *hs, *pair;
    const char *found = NULL;
    size_t i, n;

    assert_true(json_object_object_get_ex(doc, "headers", &hs));
    n = json_object_array_length(hs);
    for (i = 0; i < n; i++) {
        pair = json_object_array_get_idx(hs, i);
        if (strcasecmp(
                json_object_get_string(json_object_array_get_idx(pair, 0)),
                name) != 0)
            continue;
        assert_null(found);
        found = json_object_get_string(json_object_array_get_idx(pair, 1));
    }
    return found;
}

/* POST and PUT with extra headers and a body; the stand-in's log reports
 * what arrived. Expected values are the ones sent here; the defaults are
 * the ones http.h documents. */
static void test_methods_headers_body(void **state)
{
    static const char form[] = "Action=Test&Token=a%2Bb&Nul=\0x";
    rdsiam__http_header hs[3] = {
        {"X-Test", "plain", false},
        {"X-Amz-Security-Token", "secret/token+value==", true},
        {"Accept", "text/xml", false},
    };
    rdsiam__http_request req;
    json_object *doc, *b;

    (void)state;
    memset(&req, 0, sizeof req);
    req.method = "POST";
    req.headers = hs;
    req.n_headers = 3;
    req.body = form;
    req.body_len = sizeof form - 1; /* the NUL inside is sent too */
    doc = sent_as(&req, "t=post");
    assert_string_equal(logged(doc, "method"), "POST");
    assert_true(json_object_object_get_ex(doc, "body", &b));
    assert_int_equal(json_object_get_string_len(b), 30);
    assert_memory_equal(json_object_get_string(b), form, 30);
    assert_string_equal(logged_header(doc, "X-Test"), "plain");
    assert_string_equal(logged_header(doc, "X-Amz-Security-Token"),
                        "secret/token+value==");
    /* A caller's header replaces the default of that name. */
    assert_string_equal(logged_header(doc, "Accept"), "text/xml");
    assert_string_equal(logged_header(doc, "Content-Type"),
                        "application/x-www-form-urlencoded");
    assert_string_equal(logged_header(doc, "Content-Length"), "30");
    assert_null(logged_header(doc, "Expect"));
    assert_string_equal(logged_header(doc, "User-Agent"),
                        "librdsiam/" RDSIAM_VERSION_STRING);
    json_object_put(doc);

    /* An empty PUT (the IMDSv2 token request): no body, no type. */
    hs[0].name = "X-aws-ec2-metadata-token-ttl-seconds";
    hs[0].value = "21600";
    memset(&req, 0, sizeof req);
    req.method = "PUT";
    req.headers = hs;
    req.n_headers = 1;
    doc = sent_as(&req, "t=put");
    assert_string_equal(logged(doc, "method"), "PUT");
    assert_string_equal(logged(doc, "body"), "");
    assert_string_equal(logged_header(doc, "Content-Length"), "0");
    assert_null(logged_header(doc, "Content-Type"));
    assert_string_equal(
        logged_header(doc, "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
    assert_string_equal(logged_header(doc, "Accept"), "application/json");
    json_object_put(doc);

    /* GET with a Host header of the caller's (SigV4 signs it) and an
     * empty value. */
    hs[0].name = "Host";
    hs[0].value = "sts.example.test";
    hs[1].name = "X-Empty";
    hs[1].value = "";
    memset(&req, 0, sizeof req);
    req.headers = hs;
    req.n_headers = 2;
    doc = sent_as(&req, "t=get");
    assert_string_equal(logged(doc, "method"), "GET");
    assert_string_equal(logged_header(doc, "Host"), "sts.example.test");
    assert_string_equal(logged_header(doc, "X-Empty"), "");
    assert_null(logged_header(doc, "Content-Type"));
    json_object_put(doc);
}

/* Bad methods, headers and bodies are refused before anything is sent;
 * the messages are check_request's in lib/http.c, and never quote a
 * header's value. */
static void test_bad_requests(void **state)
{
    rdsiam__http_header h = {"X-Test", "ok", false};
    rdsiam__http_request req;
    rdsiam__buf body;
    rdsiam_error e;
    char want[256];
    static const char bad_value[] =
        ": value of header X-Test is NULL or contains CR or LF";
    static const char bad_name[] =
        ": header 1 has an empty, long or invalid name";
    static const struct {
        const char *name, *value, *message;
    } bad[] = {
        {"X-Test", "a\r\nInjected: 1", bad_value},
        {"X-Test", "a\nb", bad_value},
        {"X-Test", NULL, bad_value},
        {"X Test", "a", bad_name},
        {"X-Test:", "a", bad_name},
        {"X-Te\rst", "a", bad_name},
        {"", "a", bad_name},
        {NULL, "a", bad_name},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&req, 0, sizeof req);
        standin_url(&server, "/http/ok?t=bad", url, sizeof url);
        req.url = url;
        req.no_proxy = true;
        req.method = "POST";
        h.name = bad[i].name;
        h.value = bad[i].value;
        req.headers = &h;
        req.n_headers = 1;
        memset(&e, 0, sizeof e);
        assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                         RDSIAM_ERR_INVALID_ARGUMENT);
        assert_null(body.data);
        expect_message(&e, "POST", "/http/ok", bad[i].message);
        assert_null(strstr(e.message, "Injected"));
    }
    memset(&req, 0, sizeof req);
    req.url = url;
    req.no_proxy = true;
    req.method = "DELETE";
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    snprintf(want, sizeof want,
             "http://127.0.0.1:%d/http/ok: method must be GET, PUT or POST",
             server.port);
    assert_string_equal(e.message, want);
    req.method = NULL;
    req.body = "x";
    req.body_len = 1;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    expect_message(&e, "GET", "/http/ok", ": a GET request has no body");
    req.method = "POST";
    req.body = NULL;
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_NULL_ARGUMENT);
    expect_message(&e, "POST", "/http/ok", ": body is NULL");
    req.body_len = 0;
    req.authorization = "a\rb";
    assert_int_equal(rdsiam__http_perform(&req, &body, NULL, &e),
                     RDSIAM_ERR_INVALID_ARGUMENT);
    expect_message(&e, "POST", "/http/ok",
                   ": Authorization value contains CR or LF");
    /* None of them reached the server. */
    assert_int_equal(standin_hits(&server, "/http/ok?t=bad"), 0);
}

/* ------------------------------------------------------------------------ */
/* Which statuses are retried, and which come back                          */
/* ------------------------------------------------------------------------ */

static bool retry_on_throttling(void *ctx, long status, const char *body,
                                size_t len)
{
    (void)len;
    ++*(int *)ctx;
    return status == 400 && strstr(body, "\"Throttling\"") != NULL;
}

/* The stand-in's answers (aws_standin.py, "Plain answers for the HTTP
 * client's own tests"): /http/flaky/CODE/N answers CODE with a Throttling
 * document for the first N hits, then 200 {"message":"done"};
 * /http/status/CODE answers CODE with a Failed document. */
#define DONE "{\"message\":\"done\"}"
#define THROTTLING "{\"code\":\"Throttling\",\"message\":\"slow down\"}"
#define FAILED "{\"code\":\"Failed\",\"message\":\"test\"}"

/* Retry policy and any_status. */
static void test_status_policy(void **state)
{
    rdsiam__http_request req;
    rdsiam__buf body;
    rdsiam_error e;
    long status = 0;
    int calls = 0;

    (void)state;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.no_proxy = true;
    req.retries = 2;
    req.backoff_ms = 1;
    /* 429 is retried by default. */
    standin_url(&server, "/http/flaky/429/2?t=a", url, sizeof url);
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 200);
    assert_string_equal(body.data, DONE);
    rdsiam__buf_free(&body);
    assert_int_equal(standin_hits(&server, "/http/flaky/429/2?t=a"), 3);
    /* A 400 is not, unless the caller's policy says so. */
    standin_url(&server, "/http/flaky/400/1?t=b", url, sizeof url);
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e),
                     RDSIAM_ERR_HTTP_STATUS);
    assert_int_equal(status, 400);
    assert_int_equal(standin_hits(&server, "/http/flaky/400/1?t=b"), 1);
    standin_url(&server, "/http/flaky/400/1?t=c", url, sizeof url);
    req.retry_status = retry_on_throttling;
    req.retry_ctx = &calls;
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 200);
    assert_string_equal(body.data, DONE);
    rdsiam__buf_free(&body);
    assert_int_equal(calls, 1);
    assert_int_equal(standin_hits(&server, "/http/flaky/400/1?t=c"), 2);
    /* any_status: the error document comes back with its status, once
     * the retries are spent (3 attempts, all 503). */
    req.retry_status = NULL;
    req.any_status = true;
    standin_url(&server, "/http/flaky/503/9?t=d", url, sizeof url);
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 503);
    assert_string_equal(body.data, THROTTLING);
    rdsiam__buf_free(&body);
    assert_int_equal(standin_hits(&server, "/http/flaky/503/9?t=d"), 3);
    req.retries = 0;
    standin_url(&server, "/http/status/403?t=e", url, sizeof url);
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e), RDSIAM_OK);
    assert_int_equal(status, 403);
    assert_string_equal(body.data, FAILED);
    rdsiam__buf_free(&body);
    /* Without any_status the same answer is an error with no body. */
    req.any_status = false;
    memset(&e, 0, sizeof e);
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e),
                     RDSIAM_ERR_HTTP_STATUS);
    assert_null(body.data);
    expect_message(&e, "GET", "/http/status/403", ": HTTP status 403");
    req.method = "POST";
    assert_int_equal(rdsiam__http_perform(&req, &body, &status, &e),
                     RDSIAM_ERR_HTTP_STATUS);
    expect_message(&e, "POST", "/http/status/403", ": HTTP status 403");
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
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_methods_headers_body),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_status_policy),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

#else /* !RDSIAM_HTTP */

int main(void)
{
    return skip_program("test_http", "built with HTTP=no: no HTTP client");
}

#endif
