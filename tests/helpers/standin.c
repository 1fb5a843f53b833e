/*
 * standin.c - start and stop tests/helpers/aws_standin.py; see standin.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include "standin.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#if RDSIAM_HTTP
#include "http.h"
#endif

/* Read the port the server prints on its first line (15 s at most). */
static int read_port(int fd)
{
    char line[32];
    size_t got = 0;
    struct pollfd p;
    long port;
    char *end;

    p.fd = fd;
    p.events = POLLIN;
    while (got < sizeof line - 1 && !memchr(line, '\n', got)) {
        ssize_t n;

        if (poll(&p, 1, 15000) <= 0)
            break;
        n = read(fd, line + got, sizeof line - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    line[got] = '\0';
    port = strtol(line, &end, 10);
    if (end == line || port <= 0 || port > 65535) {
        fprintf(stderr, "aws_standin.py did not start: '%s'\n", line);
        return -1;
    }
    return (int)port;
}

static int write_config(standin *s, const char *json)
{
    int fd;
    size_t n = strlen(json);

    snprintf(s->config, sizeof s->config, "/tmp/rdsiam-standin-XXXXXX");
    fd = mkstemp(s->config);
    if (fd < 0)
        return -1;
    if (write(fd, json, n) != (ssize_t)n) {
        close(fd);
        return -1;
    }
    return close(fd);
}

static int start(standin *s, const char *config_json, const char *cert,
                 const char *key);

int standin_start(standin *s, const char *config_json)
{
    return start(s, config_json, NULL, NULL);
}

int standin_start_tls(standin *s, const char *config_json, const char *cert,
                      const char *key)
{
    return start(s, config_json, cert, key);
}

static int start(standin *s, const char *config_json, const char *cert,
                 const char *key)
{
    const char *argv[8];
    int argc = 0;

    int in[2], out[2];

    memset(s, 0, sizeof *s);
    s->pid = -1;
    s->in_fd = -1;
    if (config_json && write_config(s, config_json) != 0)
        return -1;
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
        argv[argc++] = "python3";
        argv[argc++] = "tests/helpers/aws_standin.py";
        if (s->config[0]) {
            argv[argc++] = "--config";
            argv[argc++] = s->config;
        }
        if (cert && key) {
            argv[argc++] = "--tls";
            argv[argc++] = cert;
            argv[argc++] = key;
        }
        argv[argc] = NULL;
        execvp("python3", (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->in_fd = in[1];
    s->port = read_port(out[0]);
    close(out[0]);
    return s->port > 0 ? 0 : -1;
}

void standin_stop(standin *s)
{
    if (s->in_fd >= 0)
        close(s->in_fd);
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    if (s->config[0])
        unlink(s->config);
    s->in_fd = -1;
    s->pid = -1;
    s->config[0] = '\0';
}

void standin_url(const standin *s, const char *path, char *out, size_t size)
{
    snprintf(out, size, "http://127.0.0.1:%d%s", s->port, path);
}

/* GET url: the body, allocated (free()), or NULL when the request failed
 * (or the library has no HTTP client: HTTP=no). */
static char *get_body(const char *url)
{
#if RDSIAM_HTTP
    rdsiam__http_request req;
    rdsiam__buf body;

    memset(&req, 0, sizeof req);
    req.url = url;
    req.no_proxy = true;
    req.max_body = (size_t)1 << 20;
    if (rdsiam__http_perform(&req, &body, NULL, NULL) != RDSIAM_OK)
        return NULL;
    return rdsiam__buf_take(&body);
#else
    (void)url;
    return NULL;
#endif
}

char *standin_report(const standin *s, const char *what, const char *path)
{
    char url[1024], enc[768];
    size_t n;

    if (rdsiam__uri_encoded_len(path, strlen(path)) >= sizeof enc)
        return NULL;
    n = rdsiam__uri_encode(enc, path, strlen(path));
    enc[n] = '\0';
    snprintf(url, sizeof url, "http://127.0.0.1:%d/%s?p=%s", s->port, what,
             enc);
    return get_body(url);
}

long standin_hits(const standin *s, const char *path)
{
    char *text = standin_report(s, "_hits", path);
    long n = text ? strtol(text, NULL, 10) : -1;

    free(text);
    return n;
}

int standin_get_text(const standin *s, const char *path, char *out, size_t size)
{
    char url[1024], *text;

    standin_url(s, path, url, sizeof url);
    text = get_body(url);
    if (!text)
        return -1;
    snprintf(out, size, "%s", text);
    free(text);
    return 0;
}

int standin_make_cert(const char *cert, const char *key)
{
    char cmd[1024];

    if ((size_t)snprintf(cmd, sizeof cmd,
                         "openssl req -x509 -newkey ec -pkeyopt "
                         "ec_paramgen_curve:prime256v1 -nodes "
                         "-subj /CN=127.0.0.1 "
                         "-addext subjectAltName=IP:127.0.0.1 -days 1 "
                         "-keyout '%s' -out '%s' >/dev/null 2>&1",
                         key, cert) >= sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

int standin_closed_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = 9;

    if (fd < 0)
        return port;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}
