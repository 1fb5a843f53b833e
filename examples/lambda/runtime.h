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

/* One invocation, as GET .../invocation/next announces it. The event body
 * is read and dropped: this function takes no input. */
struct invocation {
    char id[128];        /* Lambda-Runtime-Aws-Request-Id */
    int64_t deadline_ms; /* Lambda-Runtime-Deadline-Ms, Unix epoch in ms */
};

/* Connect to the API at AWS_LAMBDA_RUNTIME_API. -1 (after a message on
 * stderr) when it is unset or curl cannot start: nothing can be reported
 * to Lambda then, so the caller exits. */
int runtime_open(void);

/* Wait for the next invocation (no time limit: Lambda freezes the process
 * in between). 0, or -1 when the API cannot be reached or answers without
 * a request id or deadline. */
int runtime_next(struct invocation *inv);

/* POST .../invocation/ID/response with the JSON body. 0 or -1. */
int runtime_respond(const char *id, const char *json);

/* POST .../invocation/ID/error: {"errorMessage": msg, "errorType": type}. */
int runtime_invocation_error(const char *id, const char *type, const char *msg);

/* POST .../runtime/init/error, for a process that cannot serve at all. */
int runtime_init_error(const char *type, const char *msg);

void runtime_close(void);

#endif
