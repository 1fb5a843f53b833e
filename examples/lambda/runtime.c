/*
 * runtime.c - the Lambda Runtime API over libcurl (see runtime.h).
 *
 * Paths, headers and error body are those of "Using the Lambda runtime API
 * for custom runtimes" (AWS Lambda Developer Guide), API version
 * 2018-06-01. One curl handle serves every request, so one connection to
 * the API stays open (HTTP/1.1 keep-alive) from the first GET .../next to
 * the end; what never changes (the header list, the callbacks) is set
 * once, and each request sets only its method, URL and time limit.
 *
 * SPDX-License-Identifier: MIT
 */
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#define API_VERSION "2018-06-01"

static CURL *h;
static struct curl_slist *json_hdrs; /* Content-Type, no Expect */
static char base[320];               /* http://HOST:PORT/2018-06-01/runtime */
static char next_url[sizeof base + 32];

static size_t drop_body(char *data, size_t size, size_t n, void *unused);
static size_t on_header(char *line, size_t size, size_t n, void *arg);

int runtime_open(void)
{
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");

    if (!api || !*api) {
        fputs("bootstrap: AWS_LAMBDA_RUNTIME_API is not set\n", stderr);
        return -1;
    }
    if ((size_t)snprintf(base, sizeof base, "http://%s/" API_VERSION "/runtime",
                         api) >= sizeof base) {
        fputs("bootstrap: AWS_LAMBDA_RUNTIME_API is too long\n", stderr);
        return -1;
    }
    /* "Expect:" with no value: libcurl would otherwise ask before sending
     * a large body (Expect: 100-continue) and wait for the answer. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        !(h = curl_easy_init()) ||
        !(json_hdrs =
              curl_slist_append(NULL, "Content-Type: application/json")) ||
        !curl_slist_append(json_hdrs, "Expect:")) {
        fputs("bootstrap: cannot start libcurl\n", stderr);
        return -1;
    }
    snprintf(next_url, sizeof next_url, "%s/invocation/next", base);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, drop_body);
    /* No signal juggling around each request (libcurl saves and restores
     * the SIGPIPE handler otherwise, several system calls a request):
     * main() ignores SIGPIPE for the whole process, and the name is never
     * resolved (AWS_LAMBDA_RUNTIME_API is an address), so no DNS alarm. */
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    return 0;
}

void runtime_close(void)
{
    curl_easy_cleanup(h);
    h = NULL;
    curl_slist_free_all(json_hdrs);
    json_hdrs = NULL;
    curl_global_cleanup();
}

/* The event body is not used; read and drop it. */
static size_t drop_body(char *data, size_t size, size_t n, void *unused)
{
    (void)data;
    (void)unused;
    return size * n;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct invocation *inv = arg;

    if (inv) /* not the answer to a POST: nothing to read from that */
        runtime_header(inv, line, size * n);
    return size * n;
}

int runtime_next(struct invocation *inv)
{
    long status = 0;
    CURLcode rc;

    memset(inv, 0, sizeof *inv);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_URL, next_url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, inv);
    /* No time limit for next: the call returns when there is work. */
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);
    rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "bootstrap: invocation/next failed: %s (HTTP %ld)\n",
                curl_easy_strerror(rc), status);
        return -1;
    }
    /* The id goes into the answer's URL: a request id (a UUID) or
     * nothing. A bad one is not printed: it came from outside. */
    if (!runtime_invocation_ok(inv)) {
        fprintf(stderr,
                "bootstrap: invocation/next without a deadline or exactly "
                "one request id that is a UUID (%d given); it cannot be "
                "answered, so the bootstrap exits\n",
                inv->id_headers);
        return -1;
    }
    return 0;
}

/* POST json to base + path (with an optional extra header: the error
 * type, on the rare error paths only). 0 when the API accepted it (202). */
static int post(const char *path, const char *json, const char *header)
{
    char url[sizeof base + 192];
    /* The extra header goes in front of the fixed list, for this request
     * only (libcurl reads the list, never changes it). */
    struct curl_slist extra = {.data = (char *)header, .next = json_hdrs};
    long status = 0;
    CURLcode rc;

    if ((size_t)snprintf(url, sizeof url, "%s%s", base, path) >= sizeof url)
        return -1;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header ? &extra : json_hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 202) {
        fprintf(stderr, "bootstrap: POST %s failed: %s (HTTP %ld)\n", path,
                curl_easy_strerror(rc), status);
        return -1;
    }
    return 0;
}

int runtime_respond(const char *id, const char *json)
{
    char path[192];

    snprintf(path, sizeof path, "/invocation/%s/response", id);
    return post(path, json, NULL);
}

/* {"errorMessage": msg, "errorType": type} posted to path. */
static int post_error(const char *path, const char *type, const char *msg)
{
    json_object *o = json_object_new_object();
    char header[160];
    int rc;

    json_object_object_add(o, "errorMessage", json_object_new_string(msg));
    json_object_object_add(o, "errorType", json_object_new_string(type));
    snprintf(header, sizeof header, "Lambda-Runtime-Function-Error-Type: %s",
             type);
    rc = post(path,
              json_object_to_json_string_ext(
                  o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
              header);
    json_object_put(o);
    return rc;
}

int runtime_invocation_error(const char *id, const char *type, const char *msg)
{
    char path[192];

    snprintf(path, sizeof path, "/invocation/%s/error", id);
    return post_error(path, type, msg);
}

int runtime_init_error(const char *type, const char *msg)
{
    return post_error("/init/error", type, msg);
}
