/*
 * handler.h - the function itself: list the users of an RDS MySQL or
 * MariaDB instance, logging in with an IAM token over verified TLS.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LAMBDA_HANDLER_H
#define LAMBDA_HANDLER_H

#include <stddef.h>
#include <stdint.h>

/* A failure: which stage (used as the Lambda errorType) and why. The
 * message never holds a token or a key. */
struct failure {
    const char *type;
    char message[384];
};

/* Read and check the settings (RDS_HOST, RDS_PORT, RDS_USER,
 * RDS_CA_BUNDLE, AWS_REGION) and sign one token to prove the credentials
 * and the token's inputs are usable. 0, or -1 with *f filled. */
int handler_init(struct failure *f);

/* Serve one invocation due by deadline_ms (Unix epoch, ms): run the query
 * on the open connection, or on a new one opened with a fresh token when
 * there is none or the query found it lost (then once more only). 0 and
 * *response, an API Gateway proxy response owned by the caller (free());
 * or -1 with *f filled. */
int handler_invoke(int64_t deadline_ms, char **response, struct failure *f);

/* Close the connection and release everything. */
void handler_close(void);

#endif
