/*
 * standin_proc.h - start and stop tests/helpers/aws_standin.py (the
 * loopback stand-in for AWS endpoints) from a cmocka test, and ask it what
 * it saw.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_STANDIN_PROC_H
#define RDSIAM_TEST_STANDIN_PROC_H

#include <stddef.h>
#include <sys/types.h>

typedef struct standin {
    pid_t pid;
    int in_fd; /* closing it makes the server exit */
    int port;
} standin;

/* Start the server (config: a JSON file for --config, or NULL). Returns 0
 * and fills s, or -1. The server exits when s->in_fd closes, when this
 * process dies, or after 120 s. */
int standin_start(standin *s, const char *config);
void standin_stop(standin *s);
/* GET http://127.0.0.1:PORT/path from the server as text into out (the
 * test fails if that is impossible). */
void standin_get(const standin *s, const char *path, char *out, size_t size);
/* Requests the server received on path (its /_hits report). */
long standin_hits(const standin *s, const char *path);

#endif
