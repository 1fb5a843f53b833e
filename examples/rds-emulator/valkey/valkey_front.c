/*
 * valkey_front.c - the valkey engine of the RDS emulator: a small front
 * that stands where an ElastiCache cache's or a MemoryDB cluster's
 * endpoint stands and checks IAM logins as those services do, in front of
 * a throwaway redis-server that knows nothing of IAM.
 *
 *   rdsiam-valkey-front --listen PORT --backend PORT --keys FILE
 *       --service elasticache|memorydb --name NAME --region REGION
 *       --user NAME --backend-password-file FILE [--serverless]
 *       [--session-seconds N] [--clock-skew N]
 *
 * Every command a client sends is read whole and passed on to the server
 * in order, so its replies, passed back untouched, come back in order.
 * AUTH USER TOKEN and HELLO N AUTH USER TOKEN are checked first: the token
 * with rdsiam_verify_service_token() against the front's service, name,
 * region and key file, USER against --user (the one IAM-enabled user). An
 * accepted login goes on with the server's own password for USER, a
 * refused one with a wrong password, so that the server itself answers
 *   -WRONGPASS invalid username-password pair or user is disabled.
 * as ElastiCache does. Inline commands (a line of words) are sent on as
 * arrays, so an AUTH cannot slip past as one.
 *
 * The services' 12-hour rule (AWS, "Authenticating with IAM"): "An IAM
 * authenticated connection ... will automatically be disconnected after
 * 12 hours. The connection can be prolonged for 12 hours by sending an
 * AUTH or HELLO command with a new IAM authentication token." A connection
 * is closed --session-seconds (43200) after its last accepted login.
 * --clock-skew N runs the front's clock N seconds ahead (a test of expired
 * tokens).
 *
 * One line per event on stderr; user names are escaped, tokens and keys
 * never written. There is no TLS (ElastiCache and MemoryDB require it;
 * Debian 12's hiredis has none): the front listens on 127.0.0.1 only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rdsiam.h>

#include "../common/log_escape.h"

#define MAX_CONNS 64
#define MAX_COMMAND (4u << 20) /* bytes of one client command */
#define MAX_ARGS 64            /* arguments kept of one command */
#define PASSWORD_MAX 256

static struct {
    unsigned short listen_port, backend_port;
    const char *keys, *name, *region, *user, *password_file;
    rdsiam_service service;
    int serverless;
    long session_seconds, clock_skew;
} opt = {.service = RDSIAM_SERVICE_ELASTICACHE, .session_seconds = 43200};

static rdsiam_keystore *keystore;
static char backend_password[PASSWORD_MAX + 1];
static volatile sig_atomic_t stopping;

typedef struct conn {
    int cfd, bfd; /* client, server; cfd -1: a free slot */
    unsigned id;
    char *in; /* client bytes not yet a whole command */
    size_t in_len, in_cap;
    time_t deadline; /* 0: no accepted IAM login yet */
} conn;

static conn conns[MAX_CONNS];

/* One command: its argument count, and the first MAX_ARGS arguments as
 * pointers into the client's bytes. */
typedef struct command {
    size_t argc, len; /* len: its bytes in the buffer */
    const char *argv[MAX_ARGS];
    size_t argl[MAX_ARGS];
    int is_inline;
} command;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    va_start(ap, fmt);
    emu_format_line(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "rdsiam-valkey-front: %s\n", line);
    fflush(stderr);
}

static time_t now(void)
{
    return time(NULL) + opt.clock_skew;
}

static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1; /* closed, or stuck past SO_SNDTIMEO */
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The RESP request protocol                                                 */
/* ------------------------------------------------------------------------ */

/* A decimal number ending in CRLF at p (n bytes there): its value and the
 * bytes after the CRLF. 0: incomplete, -1: malformed. */
static int parse_number(const char *p, size_t n, long *v, size_t *used)
{
    long r = 0;
    size_t i = 0;

    for (; i < n && i < 12 && p[i] >= '0' && p[i] <= '9'; i++)
        r = r * 10 + (p[i] - '0');
    if (i == n)
        return n < 12 ? 0 : -1;
    if (i == 0 || p[i] != '\r')
        return -1;
    if (i + 1 == n)
        return 0;
    if (p[i + 1] != '\n')
        return -1;
    *v = r;
    *used = i + 2;
    return 1;
}

/* An array of bulk strings: *N CRLF ($L CRLF bytes CRLF) x N. */
static int parse_array(const char *buf, size_t n, command *c)
{
    size_t pos = 1, used;
    long count, len;
    int rc = parse_number(buf + pos, n - pos, &count, &used);

    if (rc <= 0)
        return rc;
    if (count < 1 || count > 1024 * 1024)
        return -1;
    pos += used;
    c->argc = (size_t)count;
    for (size_t i = 0; i < c->argc; i++) {
        if (pos == n)
            return 0;
        if (buf[pos] != '$')
            return -1;
        pos++;
        rc = parse_number(buf + pos, n - pos, &len, &used);
        if (rc <= 0)
            return rc;
        pos += used;
        if ((size_t)len > MAX_COMMAND)
            return -1;
        if (n - pos < (size_t)len + 2)
            return 0;
        if (buf[pos + (size_t)len] != '\r' ||
            buf[pos + (size_t)len + 1] != '\n')
            return -1;
        if (i < MAX_ARGS) {
            c->argv[i] = buf + pos;
            c->argl[i] = (size_t)len;
        }
        pos += (size_t)len + 2;
    }
    c->len = pos;
    return 1;
}

/* An inline command: words separated by blanks up to LF. */
static int parse_inline(const char *buf, size_t n, command *c)
{
    const char *lf = memchr(buf, '\n', n);
    size_t end, i = 0;

    if (!lf)
        return 0;
    end = (size_t)(lf - buf);
    c->len = end + 1;
    if (end && buf[end - 1] == '\r')
        end--;
    c->argc = 0;
    while (i < end) {
        while (i < end && (buf[i] == ' ' || buf[i] == '\t'))
            i++;
        if (i == end)
            break;
        if (c->argc == MAX_ARGS)
            return -1;
        c->argv[c->argc] = buf + i;
        while (i < end && buf[i] != ' ' && buf[i] != '\t')
            i++;
        c->argl[c->argc] = (size_t)(buf + i - c->argv[c->argc]);
        c->argc++;
    }
    c->is_inline = 1;
    return 1;
}

static int parse_command(const char *buf, size_t n, command *c)
{
    memset(c, 0, sizeof *c);
    return buf[0] == '*' ? parse_array(buf, n, c) : parse_inline(buf, n, c);
}

static int word_is(const command *c, size_t i, const char *w)
{
    return i < c->argc && i < MAX_ARGS && c->argl[i] == strlen(w) &&
           strncasecmp(c->argv[i], w, c->argl[i]) == 0;
}

/* The command as an array, argument `secret_at` replaced by `secret`
 * (secret_at >= argc: none). */
static int send_array(int fd, const command *c, size_t secret_at,
                      const char *secret)
{
    char head[32];
    int rc = 0;

    snprintf(head, sizeof head, "*%zu\r\n", c->argc);
    rc |= write_all(fd, head, strlen(head));
    for (size_t i = 0; i < c->argc && rc == 0; i++) {
        const char *a = i == secret_at ? secret : c->argv[i];
        size_t n = i == secret_at ? strlen(secret) : c->argl[i];

        snprintf(head, sizeof head, "$%zu\r\n", n);
        rc |= write_all(fd, head, strlen(head));
        rc |= write_all(fd, a, n);
        rc |= write_all(fd, "\r\n", 2);
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* IAM logins                                                                */
/* ------------------------------------------------------------------------ */

/* Whether USER may log in with TOKEN; why not, for the log. */
static int login_ok(const char *user, size_t ulen, const char *token,
                    size_t tlen, char *why, size_t why_size)
{
    char u[RDSIAM_USERNAME_MAX + 1];
    rdsiam_verify_service_params vp = {.service = opt.service,
                                       .name = opt.name,
                                       .region = opt.region,
                                       .serverless = opt.serverless,
                                       .now = (int64_t)now()};
    rdsiam_error err;

    if (ulen == 0 || ulen > RDSIAM_USERNAME_MAX || memchr(user, '\0', ulen)) {
        snprintf(why, why_size, "the user name is empty, too long or has NUL");
        return 0;
    }
    memcpy(u, user, ulen);
    u[ulen] = '\0';
    vp.username = u;
    if (rdsiam_verify_service_token(token, tlen, &vp, keystore, &err) !=
        RDSIAM_OK) {
        snprintf(why, why_size, "%s", err.message);
        return 0;
    }
    if (strcmp(u, opt.user) != 0) {
        snprintf(why, why_size, "%s is not an IAM-enabled user here", u);
        return 0;
    }
    return 1;
}

/* AUTH USER TOKEN or HELLO N AUTH USER TOKEN ...: checked, then sent on
 * with the server's password or a wrong one. 1: handled; 0: not one. */
static int handle_login(conn *k, const command *c, int *rc)
{
    size_t u; /* index of USER; TOKEN follows it */
    char why[1100], user[128];
    int ok;

    if (word_is(c, 0, "AUTH") && c->argc == 3)
        u = 1;
    else if (word_is(c, 0, "HELLO") && word_is(c, 2, "AUTH") && c->argc >= 5 &&
             c->argc <= MAX_ARGS)
        u = 3;
    else
        return 0;
    snprintf(user, sizeof user, "%.*s",
             (int)(c->argl[u] < 100 ? c->argl[u] : 100), c->argv[u]);
    ok = login_ok(c->argv[u], c->argl[u], c->argv[u + 1], c->argl[u + 1], why,
                  sizeof why);
    if (ok) {
        k->deadline = now() + opt.session_seconds;
        say("[%u] %s as %s accepted; open for %ld s", k->id,
            u == 1 ? "AUTH" : "HELLO AUTH", user, opt.session_seconds);
    } else {
        say("[%u] %s as %s refused: %s", k->id, u == 1 ? "AUTH" : "HELLO AUTH",
            user, why);
    }
    *rc = send_array(k->bfd, c, u + 1,
                     ok ? backend_password : "rdsiam-emulator-refused");
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */
/* ------------------------------------------------------------------------ */

static void conn_close(conn *k, const char *why)
{
    say("[%u] closed: %s", k->id, why);
    close(k->cfd);
    close(k->bfd);
    if (k->in)
        wipe(k->in, k->in_cap);
    free(k->in);
    memset(k, 0, sizeof *k);
    k->cfd = k->bfd = -1;
}

/* Send on every whole command received; -1 closes the connection. */
static int forward(conn *k)
{
    size_t off = 0;
    int rc = 0;

    while (off < k->in_len && rc == 0) {
        command c;
        int p = parse_command(k->in + off, k->in_len - off, &c);

        if (p == 0)
            break;
        if (p < 0) {
            say("[%u] not a RESP command", k->id);
            return -1;
        }
        if (c.argc == 0) {
            /* an empty inline line: nothing to send */
        } else if (handle_login(k, &c, &rc)) {
            /* sent */
        } else if (c.is_inline) {
            rc = send_array(k->bfd, &c, c.argc, NULL);
        } else {
            rc = write_all(k->bfd, k->in + off, c.len);
        }
        off += c.len;
    }
    wipe(k->in, off);
    memmove(k->in, k->in + off, k->in_len - off);
    k->in_len -= off;
    return rc;
}

static int read_client(conn *k)
{
    ssize_t r;

    if (k->in_cap - k->in_len < 4096) {
        size_t cap = k->in_cap ? k->in_cap * 2 : 16384;
        char *p;

        if (cap > MAX_COMMAND + 4096) {
            say("[%u] a command longer than %u bytes", k->id, MAX_COMMAND);
            return -1;
        }
        p = malloc(cap);
        if (!p)
            return -1;
        if (k->in) {
            memcpy(p, k->in, k->in_len);
            wipe(k->in, k->in_cap);
            free(k->in);
        }
        k->in = p;
        k->in_cap = cap;
    }
    r = recv(k->cfd, k->in + k->in_len, k->in_cap - k->in_len, 0);
    if (r <= 0)
        return -1;
    k->in_len += (size_t)r;
    return forward(k);
}

static int relay_server(conn *k)
{
    char buf[16384];
    ssize_t r = recv(k->bfd, buf, sizeof buf, 0);

    if (r <= 0)
        return -1;
    return write_all(k->cfd, buf, (size_t)r);
}

static int tcp_socket(unsigned short port, int listening)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    struct timeval tv = {.tv_sec = 10};
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listening) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
            listen(fd, 16) == 0)
            return fd;
    } else {
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
            return fd;
    }
    close(fd);
    return -1;
}

static void accept_one(int lfd, unsigned *next_id)
{
    struct timeval tv = {.tv_sec = 10};
    int cfd = accept(lfd, NULL, NULL), bfd;

    if (cfd < 0)
        return;
    for (int i = 0; i < MAX_CONNS; i++) {
        if (conns[i].cfd >= 0)
            continue;
        bfd = tcp_socket(opt.backend_port, 0);
        if (bfd < 0) {
            say("cannot reach the server on port %u", opt.backend_port);
            break;
        }
        setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        conns[i].cfd = cfd;
        conns[i].bfd = bfd;
        conns[i].id = ++*next_id;
        say("[%u] connected", conns[i].id);
        return;
    }
    close(cfd);
}

/* ------------------------------------------------------------------------ */
/* Start-up                                                                  */
/* ------------------------------------------------------------------------ */

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: rdsiam-valkey-front --listen PORT --backend PORT --keys "
            "FILE\n"
            "         --service elasticache|memorydb --name NAME --region "
            "REGION --user NAME\n"
            "         --backend-password-file FILE [--serverless] "
            "[--session-seconds N]\n"
            "         [--clock-skew N]\n");
    return 2;
}

static long number(const char *s, long lo, long hi, int *bad)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        *bad = 1;
    return v;
}

static int parse_args(int argc, char **argv)
{
    int bad = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--serverless") == 0) {
            opt.serverless = 1;
            continue;
        }
        if (!v)
            return -1;
        i++;
        if (strcmp(a, "--listen") == 0)
            opt.listen_port = (unsigned short)number(v, 1, 65535, &bad);
        else if (strcmp(a, "--backend") == 0)
            opt.backend_port = (unsigned short)number(v, 1, 65535, &bad);
        else if (strcmp(a, "--keys") == 0)
            opt.keys = v;
        else if (strcmp(a, "--name") == 0)
            opt.name = v;
        else if (strcmp(a, "--region") == 0)
            opt.region = v;
        else if (strcmp(a, "--user") == 0)
            opt.user = v;
        else if (strcmp(a, "--backend-password-file") == 0)
            opt.password_file = v;
        else if (strcmp(a, "--session-seconds") == 0)
            opt.session_seconds = number(v, 1, 43200, &bad);
        else if (strcmp(a, "--clock-skew") == 0)
            opt.clock_skew = number(v, -86400, 86400, &bad);
        else if (strcmp(a, "--service") == 0 && strcmp(v, "memorydb") == 0)
            opt.service = RDSIAM_SERVICE_MEMORYDB;
        else if (strcmp(a, "--service") != 0 || strcmp(v, "elasticache") != 0)
            bad = 1;
    }
    if (bad || !opt.listen_port || !opt.backend_port || !opt.keys ||
        !opt.name || !opt.region || !opt.user || !opt.password_file)
        return -1;
    return 0;
}

/* The server's password for --user: the file's first line. */
static int read_password(void)
{
    FILE *f = fopen(opt.password_file, "r");
    size_t n;

    if (!f || !fgets(backend_password, sizeof backend_password, f)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    n = strcspn(backend_password, "\r\n");
    backend_password[n] = '\0';
    return n ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct sigaction sa = {.sa_handler = on_signal};
    struct pollfd pfd[1 + 2 * MAX_CONNS];
    rdsiam_error err;
    unsigned next_id = 0;
    int lfd;

    if (parse_args(argc, argv) != 0)
        return usage();
    if (read_password() != 0) {
        say("cannot read the server password from %s", opt.password_file);
        return 1;
    }
    if (rdsiam_keystore_load(opt.keys, &keystore, &err) != RDSIAM_OK) {
        say("%s", err.message);
        return 1;
    }
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < MAX_CONNS; i++)
        conns[i].cfd = conns[i].bfd = -1;
    lfd = tcp_socket(opt.listen_port, 1);
    if (lfd < 0) {
        say("cannot listen on 127.0.0.1:%u: %s", opt.listen_port,
            strerror(errno));
        return 1;
    }
    say("listening on 127.0.0.1:%u for %s %s%s in %s, user %s", opt.listen_port,
        opt.service == RDSIAM_SERVICE_MEMORYDB ? "MemoryDB cluster"
                                               : "ElastiCache cache",
        opt.name, opt.serverless ? " (serverless)" : "", opt.region, opt.user);

    while (!stopping) {
        nfds_t n = 1;
        time_t t = now();

        pfd[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < MAX_CONNS; i++) {
            conn *k = &conns[i];
            if (k->cfd < 0)
                continue;
            if (k->deadline && t >= k->deadline) {
                conn_close(k, "no new IAM login within the session limit");
                continue;
            }
            pfd[n++] = (struct pollfd){.fd = k->cfd, .events = POLLIN};
            pfd[n++] = (struct pollfd){.fd = k->bfd, .events = POLLIN};
        }
        if (poll(pfd, n, 200) < 0)
            continue;
        if (pfd[0].revents & POLLIN)
            accept_one(lfd, &next_id);
        for (nfds_t j = 1; j < n; j++) {
            if (!pfd[j].revents)
                continue;
            for (int i = 0; i < MAX_CONNS; i++) {
                conn *k = &conns[i];
                if (k->cfd < 0 || (pfd[j].fd != k->cfd && pfd[j].fd != k->bfd))
                    continue;
                if (pfd[j].fd == k->cfd ? read_client(k) : relay_server(k))
                    conn_close(k, pfd[j].fd == k->cfd ? "by the client"
                                                      : "by the server");
                break;
            }
        }
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].cfd >= 0)
            conn_close(&conns[i], "the front is stopping");
    close(lfd);
    rdsiam_keystore_free(keystore);
    wipe(backend_password, sizeof backend_password);
    say("stopped");
    return 0;
}
