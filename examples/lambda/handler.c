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
 * The connection is opened once and kept while the process lives: warm
 * invocations reuse it after a ping. When the ping fails (the server
 * closed it: wait_timeout, a restart, a fail-over) it is closed and a new
 * one is opened with a fresh token. Automatic reconnection stays off, so
 * the client never replays an old token behind our back.
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
#include <time.h>

#include <json-c/json.h>
#include <mysql.h>
#include <rdsiam.h>

/* Each network step (TCP connect, the TLS and login exchange, the query)
 * gets a third of the time left before the deadline, keeping REPORT_MS to
 * report the result, and never more than STEP_MAX_S: the whole worst case
 * (3 x 5 s) fits the 20 s function timeout of docs/deploy/template.yaml.
 * Connector/C counts these timeouts in whole seconds and fixes them when
 * the connection opens (setting them later has no effect on it), so a warm
 * connection keeps those of the invocation that opened it; every
 * invocation of a function has the same timeout, so they agree. */
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

int handler_invoke(int64_t deadline_ms, char **response, struct failure *f)
{
    unsigned int secs;

    *response = NULL;
    if (step_timeout(deadline_ms, &secs, f) != 0)
        return -1;
    if (conn && mysql_ping(conn) != 0) {
        fprintf(stderr, "bootstrap: reconnecting: %s\n", mysql_error(conn));
        db_drop();
    }
    if (!conn && db_connect(secs, f) != 0)
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
