/*
 * handler.c - list the users of an RDS MySQL or MariaDB instance as an API
 * Gateway proxy response:
 *
 *   {"statusCode":200,"headers":{"Content-Type":"application/json"},
 *    "body":"{\"users\":[\"jane_doe\",\"rdsadmin\"]}"}
 *
 * Settings (environment):
 *   RDS_HOST       the instance endpoint (required); the certificate is
 *                  checked against it
 *   RDS_PORT       default 3306
 *   RDS_USER       a user created WITH AWSAuthenticationPlugin (required)
 *   RDS_CA_BUNDLE  PEM file of the RDS CAs; default global-bundle.pem in
 *                  the package ($LAMBDA_TASK_ROOT, /var/task)
 *   AWS_REGION     set by Lambda; the region the token is signed for
 *   credentials    Lambda puts the role's keys in AWS_ACCESS_KEY_ID,
 *                  AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
 *
 * The connection is opened once and kept while the process lives: a warm
 * invocation runs the query on it straight away, one round trip. When the
 * query fails because the connection is gone (the server closed it:
 * wait_timeout, KILL, a restart, a fail-over; or it stopped answering),
 * the connection is closed, a new one is opened with a fresh token and the
 * query is run once more. Retrying is safe because the query only reads;
 * it happens at most once per invocation, and only when the time left
 * allows a whole new login. Any other failure is reported as is.
 *
 * Why not ping first: a ping is a round trip of its own on every warm
 * invocation, and it proves nothing about the next one (the server can
 * close the connection between the ping and the query), so the query must
 * cope with a lost connection anyway. Nor a ping only after some idle
 * time: what closes a connection (KILL, a fail-over) does not wait for it
 * to be idle. Automatic reconnection stays off, so the client never
 * replays an old token behind our back.
 *
 * Why each client option (as in examples/rdsiam-mysql-users.c): the server
 * must see the token, so it asks for it in clear text
 * (MYSQL_ENABLE_CLEARTEXT_PLUGIN), which is safe only inside TLS that is
 * enforced (MYSQL_OPT_SSL_ENFORCE) and verified against the RDS CA for
 * this host name (MYSQL_OPT_SSL_CA, MYSQL_OPT_SSL_VERIFY_SERVER_CERT).
 *
 * SPDX-License-Identifier: MIT
 */
#include "handler.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <errmsg.h>
#include <json-c/json.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <rdsiam.h>

/* Each network step (TCP connect, the TLS and login exchange, the query)
 * gets a third of the time left before the deadline, keeping REPORT_MS to
 * report the result, and never more than STEP_MAX_S: the whole worst case
 * (3 x 5 s) fits the 20 s function timeout of docs/deploy/template.yaml.
 * Connector/C fixes its timeouts when the connection opens (setting the
 * options later has no effect on it); db_rearm() carries them over to a
 * kept connection. */
#define STEP_MAX_S 5
#define REPORT_MS 500
#define MIN_LEFT_MS 1500

struct config {
    const char *host;
    unsigned int port;
    const char *user;
    const char *region;
    char ca[4096];
};

static struct config cfg;
static MYSQL *conn;
static unsigned int conn_secs; /* the timeouts conn waits with */

__attribute__((format(printf, 3, 4))) static void
failf(struct failure *f, const char *type, const char *fmt, ...)
{
    va_list ap;

    f->type = type;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
}

/*
 * The one place that calls librdsiam: a fresh token for cfg in buf. The
 * provider is the default chain (in Lambda: the role's keys in the
 * environment), built on the first call and kept, so credentials that
 * come with an expiry are cached and refreshed ahead of it. Called with
 * buf NULL, it frees the provider (which wipes what it cached).
 */
static int iam_token(char *buf, size_t size, struct failure *f)
{
    static rdsiam_provider *provider;
    rdsiam_token_params params = {.hostname = cfg.host,
                                  .port = cfg.port,
                                  .username = cfg.user,
                                  .region = cfg.region};
    rdsiam_error err;

    if (!buf) {
        rdsiam_provider_free(provider);
        provider = NULL;
        return 0;
    }
    if (!provider &&
        rdsiam_provider_new_default(&provider, NULL, &err) != RDSIAM_OK) {
        failf(f, "Handler.Token", "credentials: %s", err.message);
        return -1;
    }
    if (rdsiam_provider_generate_token(provider, &params, buf, size, NULL,
                                       &err) != RDSIAM_OK) {
        failf(f, "Handler.Token", "token: %s", err.message);
        return -1;
    }
    return 0;
}

static const char *required(const char *name, struct failure *f)
{
    const char *v = getenv(name);

    if (!v || !*v)
        failf(f, "Runtime.Config", "%s is not set", name);
    return v && *v ? v : NULL;
}

static int read_port(struct failure *f)
{
    const char *v = getenv("RDS_PORT");
    char *end;
    long port;

    cfg.port = 3306;
    if (!v || !*v)
        return 0;
    errno = 0;
    port = strtol(v, &end, 10);
    if (errno || *end || port < 1 || port > 65535) {
        failf(f, "Runtime.Config", "RDS_PORT is not a port number (1-65535)");
        return -1;
    }
    cfg.port = (unsigned int)port;
    return 0;
}

/* RDS_CA_BUNDLE, or global-bundle.pem beside the executable's package;
 * it must be readable now rather than fail every login later. */
static int read_ca(struct failure *f)
{
    const char *v = getenv("RDS_CA_BUNDLE");
    const char *root = getenv("LAMBDA_TASK_ROOT");
    FILE *fp;
    int n;

    if (v && *v)
        n = snprintf(cfg.ca, sizeof cfg.ca, "%s", v);
    else
        n = snprintf(cfg.ca, sizeof cfg.ca, "%s/global-bundle.pem",
                     root && *root ? root : "/var/task");
    if (n < 0 || (size_t)n >= sizeof cfg.ca) {
        failf(f, "Runtime.Config", "RDS_CA_BUNDLE is too long");
        return -1;
    }
    if (!(fp = fopen(cfg.ca, "r"))) {
        failf(f, "Runtime.Config", "RDS_CA_BUNDLE %s: %s", cfg.ca,
              strerror(errno));
        return -1;
    }
    fclose(fp);
    return 0;
}

int handler_init(struct failure *f)
{
    char token[8192];
    int rc;

    if (!(cfg.host = required("RDS_HOST", f)) ||
        !(cfg.user = required("RDS_USER", f)) ||
        !(cfg.region = required("AWS_REGION", f)) || read_port(f) != 0 ||
        read_ca(f) != 0)
        return -1;
    /* One token now: a bad host name, user, region or missing credentials
     * is a configuration error, reported before the first invocation. */
    rc = iam_token(token, sizeof token, f);
    explicit_bzero(token, sizeof token);
    if (rc != 0)
        f->type = "Runtime.Config";
    return rc;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int step_timeout(int64_t deadline_ms, unsigned int *secs,
                        struct failure *f)
{
    int64_t left = deadline_ms - now_ms() - REPORT_MS;

    if (left < MIN_LEFT_MS - REPORT_MS) {
        failf(f, "Handler.Deadline", "only %lld ms left before the deadline",
              (long long)(left + REPORT_MS));
        return -1;
    }
    left /= 3000;
    *secs = left < 1 ? 1 : left > STEP_MAX_S ? STEP_MAX_S : (unsigned int)left;
    return 0;
}

/*
 * Make the kept connection wait no longer than this invocation's step, so
 * that a server that stopped answering leaves time for a new login.
 * Connector/C 3.3 keeps a TLS connection's socket blocking, with the read
 * and write timeouts set on it as SO_RCVTIMEO and SO_SNDTIMEO when it
 * opens: setting them again is what changes them. (A Connector/C that
 * waits with poll() instead ignores them and keeps the timeouts of the
 * invocation that opened the connection: in Lambda every invocation of a
 * function has the same time limit, so nearly the same.) Two system
 * calls, made only when the step changed.
 */
static void db_rearm(unsigned int secs)
{
    struct timeval tv = {.tv_sec = (time_t)secs};
    my_socket fd = mysql_get_socket(conn);

    if (secs == conn_secs)
        return;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 &&
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0)
        conn_secs = secs;
}

static void db_drop(void)
{
    mysql_close(conn);
    conn = NULL;
}

static int db_connect(unsigned int secs, struct failure *f)
{
    char token[8192];
    my_bool yes = 1, no = 0;
    MYSQL *ok;

    if (!(conn = mysql_init(NULL))) {
        failf(f, "Handler.Connect", "out of memory");
        return -1;
    }
    mysql_options(conn, MYSQL_ENABLE_CLEARTEXT_PLUGIN, &yes);
    mysql_options(conn, MYSQL_OPT_SSL_ENFORCE, &yes);
    mysql_options(conn, MYSQL_OPT_SSL_CA, cfg.ca);
    mysql_options(conn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
    mysql_options(conn, MYSQL_OPT_RECONNECT, &no);
    mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
    mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &secs);
    mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &secs);

    if (iam_token(token, sizeof token, f) != 0) {
        mysql_close(conn);
        conn = NULL;
        return -1;
    }
    ok = mysql_real_connect(conn, cfg.host, cfg.user, token, NULL, cfg.port,
                            NULL, 0);
    explicit_bzero(token, sizeof token);
    /* Connector/C keeps a copy of the password for mysql_change_user();
     * this program never calls it, so the token is wiped there too. */
    if (conn->passwd)
        explicit_bzero(conn->passwd, strlen(conn->passwd));
    if (!ok) {
        failf(f, "Handler.Connect", "%s", mysql_error(conn));
        mysql_close(conn);
        conn = NULL;
        return -1;
    }
    conn_secs = secs;
    fprintf(stderr, "bootstrap: connected to %s:%u as %s (%s)\n", cfg.host,
            cfg.port, cfg.user, mysql_get_ssl_cipher(conn));
    return 0;
}

/* The proxy response around {"users": [...]}, as a string to free(). */
static char *proxy_response(MYSQL_RES *res)
{
    json_object *body = json_object_new_object();
    json_object *users = json_object_new_array();
    json_object *resp = json_object_new_object();
    json_object *headers = json_object_new_object();
    const int plain = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
    MYSQL_ROW row;
    char *out;

    while ((row = mysql_fetch_row(res)))
        json_object_array_add(users,
                              json_object_new_string(row[0] ? row[0] : ""));
    json_object_object_add(body, "users", users);
    json_object_object_add(headers, "Content-Type",
                           json_object_new_string("application/json"));
    json_object_object_add(resp, "statusCode", json_object_new_int(200));
    json_object_object_add(resp, "headers", headers);
    json_object_object_add(
        resp, "body",
        json_object_new_string(json_object_to_json_string_ext(body, plain)));
    out = strdup(json_object_to_json_string_ext(resp, plain));
    json_object_put(body);
    json_object_put(resp);
    return out;
}

static int list_users(char **response, struct failure *f)
{
    MYSQL_RES *res;

    if (mysql_query(conn, "SELECT user FROM mysql.user ORDER BY user") != 0 ||
        !(res = mysql_store_result(conn))) {
        failf(f, "Handler.Query", "%s", mysql_error(conn));
        return -1;
    }
    *response = proxy_response(res);
    mysql_free_result(res);
    if (!*response) {
        failf(f, "Handler.Query", "out of memory");
        return -1;
    }
    return 0;
}

/* Whether a failed query says the connection itself is gone, so that a
 * new login may serve the invocation. Anything else (no privilege, out of
 * memory) would fail the same way on a new connection. */
static bool connection_lost(unsigned int err)
{
    switch (err) {
    case CR_SERVER_GONE_ERROR:    /* closed before the query went out */
    case CR_SERVER_LOST:          /* closed, reset or silent during it */
    case CR_SSL_CONNECTION_ERROR: /* the same, seen inside TLS: Connector/C
                                   * 3.3 reports the server closing a TLS
                                   * connection ("unexpected eof while
                                   * reading"), a reset or a read timeout
                                   * with this code */
    case ER_CONNECTION_KILLED:    /* MariaDB: KILL, told to the client */
    case ER_SERVER_SHUTDOWN:      /* a restart or fail-over under way */
    case 4031: /* MySQL 8.0.24 and later: ER_CLIENT_INTERACTION_TIMEOUT,
                * wait_timeout ran out (not in MariaDB's headers, whose
                * 4031 this query cannot raise) */
        return true;
    default:
        return false;
    }
}

int handler_invoke(int64_t deadline_ms, char **response, struct failure *f)
{
    struct failure again;
    unsigned int secs;

    *response = NULL;
    if (step_timeout(deadline_ms, &secs, f) != 0)
        return -1;
    if (conn) {
        db_rearm(secs);
        if (list_users(response, f) == 0)
            return 0;
        if (!connection_lost(mysql_errno(conn))) {
            db_drop(); /* the next invocation starts afresh */
            return -1;
        }
        db_drop();
        /* No time for a new login: report why the query failed. */
        if (step_timeout(deadline_ms, &secs, &again) != 0) {
            fprintf(stderr, "bootstrap: connection lost (%s); %s\n", f->message,
                    again.message);
            return -1;
        }
        fprintf(stderr, "bootstrap: reconnecting: %s\n", f->message);
    }
    if (db_connect(secs, f) != 0)
        return -1;
    if (list_users(response, f) != 0) {
        db_drop(); /* the next invocation starts afresh */
        return -1;
    }
    return 0;
}

void handler_close(void)
{
    db_drop();
    iam_token(NULL, 0, NULL);
}
