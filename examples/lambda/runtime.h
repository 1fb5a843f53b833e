/*
 * runtime.h - a client for the Lambda Runtime API, the HTTP interface a
 * custom runtime uses to take invocations and hand back their results
 * ("Using the Lambda runtime API for custom runtimes", AWS Lambda
 * Developer Guide). It knows nothing of what the function does.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LAMBDA_RUNTIME_H
#define LAMBDA_RUNTIME_H

#include <stdint.h>

#include <stddef.h>

/* One invocation, as GET .../invocation/next announces it. The event body
 * is read and dropped: this function takes no input. */
struct invocation {
    char id[128];        /* Lambda-Runtime-Aws-Request-Id */
    int id_headers;      /* how many such headers came (1, or refused) */
    int64_t deadline_ms; /* Lambda-Runtime-Deadline-Ms, Unix epoch in ms */
};

/* invocation.c: reading the answer's headers. runtime_header takes one
 * header line (len bytes, as libcurl hands it over, CR LF included) into
 * *inv, which starts zeroed. runtime_request_id_valid: 1 when id is a
 * request id, a UUID (8-4-4-4-12 hex digits), and nothing else.
 * runtime_invocation_ok: 1 when exactly one request id came, valid, and a
 * deadline. */
void runtime_header(struct invocation *inv, const char *line, size_t len);
int runtime_request_id_valid(const char *id);
int runtime_invocation_ok(const struct invocation *inv);

/* Connect to the API at AWS_LAMBDA_RUNTIME_API. -1 (after a message on
 * stderr) when it is unset or curl cannot start: nothing can be reported
 * to Lambda then, so the caller exits. */
int runtime_open(void);

/* Wait for the next invocation (no time limit: Lambda freezes the process
 * in between). 0, or -1 when the API cannot be reached or its answer has
 * no deadline or no request id, or one that is not a UUID, or two. An
 * invocation with such an id cannot be answered (the id is part of the
 * answer's URL), so the bootstrap logs that and exits with status 1:
 * Lambda then reports the invocation as failed (Runtime.ExitError) and
 * starts a new execution environment for the next. */
int runtime_next(struct invocation *inv);

/* POST .../invocation/ID/response with the JSON body. 0 or -1. */
int runtime_respond(const char *id, const char *json);

/* POST .../invocation/ID/error: {"errorMessage": msg, "errorType": type}. */
int runtime_invocation_error(const char *id, const char *type, const char *msg);

/* POST .../runtime/init/error, for a process that cannot serve at all. */
int runtime_init_error(const char *type, const char *msg);

void runtime_close(void);

#endif
