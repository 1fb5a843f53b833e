/*
 * bootstrap - a Lambda function on the provided.al2023 runtime, in C: the
 * runtime loop around handler.c (list the users of an RDS MySQL instance,
 * logging in with an IAM token over verified TLS).
 *
 *   init:  read the settings; on error POST /runtime/init/error, exit 1
 *   loop:  GET /runtime/invocation/next
 *          -> POST /runtime/invocation/ID/response  (the proxy response)
 *          -> or POST /runtime/invocation/ID/error  (and go on)
 *          an answer without a deadline, or whose request id is not a
 *          UUID (runtime.h), cannot be answered: log it, exit 1 (Lambda
 *          reports Runtime.ExitError and starts a new environment)
 *
 * Build against the installed library (`make lambda` also packages it):
 *   cc -o bootstrap bootstrap.c runtime.c invocation.c handler.c \
 *      $(pkg-config --cflags --libs rdsiam libmariadb libcurl json-c)
 *
 * Log lines (stderr, so CloudWatch) name the stage and the server's error,
 * never a token or a key.
 *
 * SPDX-License-Identifier: MIT
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "handler.h"
#include "runtime.h"

int main(void)
{
    struct invocation inv;
    struct failure f;
    char *response;
    struct sigaction ignore = {.sa_handler = SIG_IGN};

    /* A peer that closed its socket (the database, the Runtime API) must
     * yield an error from the write, not kill the process. */
    sigaction(SIGPIPE, &ignore, NULL);
    if (runtime_open() != 0)
        return 1;
    if (handler_init(&f) != 0) {
        fprintf(stderr, "bootstrap: init failed: %s: %s\n", f.type, f.message);
        runtime_init_error(f.type, f.message);
        handler_close();
        runtime_close();
        return 1;
    }
    for (;;) {
        if (runtime_next(&inv) != 0)
            break;
        if (handler_invoke(inv.deadline_ms, &response, &f) == 0) {
            runtime_respond(inv.id, response);
            free(response);
        } else {
            fprintf(stderr, "bootstrap: invocation %s failed: %s: %s\n", inv.id,
                    f.type, f.message);
            runtime_invocation_error(inv.id, f.type, f.message);
        }
    }
    /* The API itself is gone: Lambda is shutting the environment down. */
    handler_close();
    runtime_close();
    return 1;
}
