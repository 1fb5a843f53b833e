/*
 * standin.h - start and stop tests/helpers/aws_standin.py (a loopback
 * stand-in for AWS endpoints) from a cmocka test, and read its reports.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_STANDIN_H
#define RDSIAM_TEST_STANDIN_H

#include <sys/types.h>

typedef struct standin {
    pid_t pid;
    int in_fd; /* closing it makes the server exit */
    int port;
    char config[64]; /* the configuration file written for it */
} standin;

/* Write config_json (may be NULL: no configuration) to a temporary file
 * and start the stand-in on 127.0.0.1 with it. Returns 0 and s->port, or
 * -1. Run from the top of the source tree (as make test does). */
int standin_start(standin *s, const char *config_json);
/* The same over https with the certificate and key in PEM files (the
 * reports below speak plain http, so they do not work with it). */
int standin_start_tls(standin *s, const char *config_json, const char *cert,
                      const char *key);
/* Stop the server and remove the configuration file. */
void standin_stop(standin *s);
/* http://127.0.0.1:PORT followed by path, into out. */
void standin_url(const standin *s, const char *path, char *out, size_t size);
/* GET /WHAT?p=PATH (WHAT "_hits" or "_log"): the body, allocated (free()),
 * or NULL when the request failed. */
char *standin_report(const standin *s, const char *what, const char *path);
/* Requests PATH has received, or -1. */
long standin_hits(const standin *s, const char *path);
/* GET path (already percent-encoded) from the stand-in: its body as text
 * into out (cut to size). Returns 0, or -1 when the request failed. */
int standin_get_text(const standin *s, const char *path, char *out,
                     size_t size);

/* A self-signed certificate for 127.0.0.1 (an EC P-256 key, valid one
 * day), made with the openssl tool: cert and key are the PEM files to
 * write. 0, or -1 when the tool is missing or failed (the test skips). */
int standin_make_cert(const char *cert, const char *key);

/* A loopback port nothing listens on (an ephemeral one, bound and closed
 * again), for "nothing answers there" cases; 9 (discard) if none could be
 * bound. */
int standin_closed_port(void);

#endif
