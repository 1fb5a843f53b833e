/*
 * standin_proc.c - see standin_proc.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/standin_proc.h"
#include "http.h"
#include "internal.h"

#if RDSIAM_HTTP

int standin_start(standin *s, const char *config)
{
    int in[2], out[2];
    char line[32];
    size_t got = 0;
    struct pollfd p;
    long port;
    char *end;

    s->pid = -1;
    s->in_fd = -1;
    s->port = -1;
    if (pipe(in) != 0)
        return -1;
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        if (config)
            execlp("python3", "python3", "tests/helpers/aws_standin.py",
                   "--config", config, (char *)NULL);
        else
            execlp("python3", "python3", "tests/helpers/aws_standin.py",
                   (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->in_fd = in[1];
    /* The server prints its port on one line; wait at most 15 s. */
    p.fd = out[0];
    p.events = POLLIN;
    while (got < sizeof line - 1 && !memchr(line, '\n', got)) {
        ssize_t n;

        if (poll(&p, 1, 15000) <= 0)
            break;
        n = read(out[0], line + got, sizeof line - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(out[0]);
    line[got] = '\0';
    port = strtol(line, &end, 10);
    if (end == line || port <= 0 || port > 65535) {
        print_message("aws_standin.py did not start: '%s'\n", line);
        standin_stop(s);
        return -1;
    }
    s->port = (int)port;
    return 0;
}

void standin_stop(standin *s)
{
    if (s->in_fd >= 0)
        close(s->in_fd);
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    s->in_fd = -1;
    s->pid = -1;
}

void standin_get(const standin *s, const char *path, char *out, size_t size)
{
    rdsiam__http_request req;
    rdsiam__buf body;
    char url[1024];

    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
    memset(&req, 0, sizeof req);
    req.url = url;
    req.no_proxy = true;
    assert_int_equal(rdsiam__http_get(&req, &body, NULL, NULL), RDSIAM_OK);
    snprintf(out, size, "%s", body.data ? body.data : "");
    rdsiam__buf_free(&body);
}

long standin_hits(const standin *s, const char *path)
{
    char q[768], text[32];
    size_t n;

    assert_true(rdsiam__uri_encoded_len(path, strlen(path)) + 10 < sizeof q);
    memcpy(q, "/_hits?p=", 9);
    n = rdsiam__uri_encode(q + 9, path, strlen(path));
    q[9 + n] = '\0';
    standin_get(s, q, text, sizeof text);
    return strtol(text, NULL, 10);
}

#endif /* RDSIAM_HTTP */
