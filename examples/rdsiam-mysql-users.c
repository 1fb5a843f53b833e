/*
 * rdsiam-mysql-users - log in to MariaDB or MySQL on Amazon RDS with an
 * IAM authentication token and print the database users as JSON:
 *
 *   {"users": ["jane_doe", "mariadb.sys", "rdsadmin"]}
 *
 * The body of a Lambda handler, as a program. Settings come from the
 * environment, as a Lambda function's do:
 *
 *   RDS_HOST       the instance endpoint (required)
 *   RDS_PORT       default 3306
 *   RDS_USER       a user created WITH AWSAuthenticationPlugin (required)
 *   RDS_DATABASE   optional default database
 *   RDS_CA_BUNDLE  the RDS CA bundle, PEM (required: the server's
 *                  certificate is always verified)
 *   credentials and region: the default chain (a Lambda function's role
 *                  puts AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *                  AWS_SESSION_TOKEN and AWS_REGION in its environment;
 *                  elsewhere the profile files or container endpoints)
 *
 * On failure it prints {"error": "...", "stage": "..."} and exits 1.
 *
 * Build against the installed library:
 *   cc -o rdsiam-mysql-users rdsiam-mysql-users.c \
 *      $(pkg-config --cflags --libs rdsiam libmariadb json-c)
 *
 * What an IAM login asks of the client, and why:
 *   - The token is the password. It is signed for exactly this host, port
 *     and user, and is accepted for 15 minutes: generate one for each new
 *     connection (an open connection stays open after it expires).
 *   - The server asks for the password in clear text (client plugin
 *     mysql_clear_password), because it must see the token itself to check
 *     it. MYSQL_ENABLE_CLEARTEXT_PLUGIN allows that (MySQL's client library
 *     refuses without it; Connector/C accepts it).
 *   - So TLS is mandatory, with the server certificate verified against the
 *     RDS CA: MYSQL_OPT_SSL_ENFORCE refuses a server that does not offer
 *     TLS, MYSQL_OPT_SSL_CA and MYSQL_OPT_SSL_VERIFY_SERVER_CERT refuse
 *     an impostor. Without them the token can be read on the way and
 *     replayed by anyone for its 15 minutes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <mysql.h>
#include <rdsiam.h>

/* Print {"error": msg, "stage": stage} and exit 1. */
_Noreturn static void fail(const char *stage, const char *msg)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "error", json_object_new_string(msg));
    json_object_object_add(o, "stage", json_object_new_string(stage));
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    exit(1);
}

static const char *need_env(const char *name)
{
    const char *v = getenv(name);
    char msg[96];

    if (v && *v)
        return v;
    snprintf(msg, sizeof msg, "%s is not set", name);
    fail("config", msg);
}

static unsigned int port_from_env(void)
{
    const char *v = getenv("RDS_PORT");
    char *end;
    long port;

    if (!v || !*v)
        return 3306;
    errno = 0;
    port = strtol(v, &end, 10);
    if (errno || *end || port < 1 || port > 65535)
        fail("config", "RDS_PORT is not a port number (1-65535)");
    return (unsigned int)port;
}

/* A fresh token, signed with credentials and region from the default
 * chain: in a Lambda function, the role's keys in its environment. */
static char *make_token(const char *host, unsigned int port, const char *user)
{
    rdsiam_token_params tp = {0};
    rdsiam_error err;
    char *token = NULL;

    tp.hostname = host;
    tp.port = port;
    tp.username = user; /* tp.region NULL: resolved by the library */
    if (rdsiam_connect_token(&tp, NULL, &token, &err) != RDSIAM_OK)
        fail("token", err.message);
    return token;
}

int main(void)
{
    const char *host = need_env("RDS_HOST");
    const char *user = need_env("RDS_USER");
    const char *ca = need_env("RDS_CA_BUNDLE");
    const char *db = getenv("RDS_DATABASE");
    unsigned int port = port_from_env();
    unsigned int timeout = 10;
    my_bool yes = 1;
    MYSQL *conn;
    MYSQL_RES *res;
    MYSQL_ROW row;
    json_object *out, *users;
    char *token = make_token(host, port, user);

    conn = mysql_init(NULL);
    if (!conn)
        fail("connect", "out of memory");
    /* The handful of options IAM login needs (see the comment above). */
    mysql_options(conn, MYSQL_ENABLE_CLEARTEXT_PLUGIN, &yes);
    mysql_options(conn, MYSQL_OPT_SSL_ENFORCE, &yes);
    mysql_options(conn, MYSQL_OPT_SSL_CA, ca);
    mysql_options(conn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
    mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &timeout);

    if (!mysql_real_connect(conn, host, user, token, db && *db ? db : NULL,
                            port, NULL, 0)) {
        rdsiam_token_free(token);
        fail("connect", mysql_error(conn));
    }
    rdsiam_token_free(token);

    if (mysql_query(conn, "SELECT user FROM mysql.user ORDER BY user") != 0 ||
        !(res = mysql_store_result(conn)))
        fail("query", mysql_error(conn));
    out = json_object_new_object();
    users = json_object_new_array();
    while ((row = mysql_fetch_row(res)))
        json_object_array_add(users,
                              json_object_new_string(row[0] ? row[0] : ""));
    json_object_object_add(out, "users", users);
    puts(json_object_to_json_string_ext(
        out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(out);
    mysql_free_result(res);
    mysql_close(conn);
    return 0;
}
