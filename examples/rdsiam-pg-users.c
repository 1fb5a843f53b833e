/*
 * rdsiam-pg-users - log in to PostgreSQL on Amazon RDS with an IAM token and
 * print the roles that may log in, as JSON: {"users": ["alice", ...]}.
 * Errors print {"error": "...", "stage": "config|token|connect|query"} and
 * exit with status 1.
 *
 * Environment: RDS_HOST, RDS_PORT (default 5432), RDS_USER, RDS_DATABASE
 * (default postgres), RDS_CA_BUNDLE (the CA certificates to trust, e.g.
 * the RDS global bundle); credentials and region from the default chain
 * (AWS_ACCESS_KEY_ID..., AWS_PROFILE, AWS_REGION, a container's role).
 *
 * Build against the installed library:
 *   cc -o rdsiam-pg-users rdsiam-pg-users.c \
 *      $(pkg-config --cflags --libs rdsiam libpq json-c)
 *
 * What IAM login asks of the client, and why:
 *   password=<token>      the token *is* the password, valid for 15 minutes
 *                         and only for this host, port and user; make a new
 *                         one for each new connection.
 *   sslmode=verify-full   the server asks for the password in clear text, so
 *                         it must travel inside TLS, and only to a server
 *                         whose certificate names RDS_HOST (verify-full, not
 *                         just require): a token handed to an impostor is
 *                         good for 15 minutes. RDS also refuses IAM logins
 *                         without TLS.
 *   sslrootcert=<bundle>  the CA that signed the server certificate; RDS's
 *                         is not in the system store.
 *   host=RDS_HOST         exactly the name the token was signed for: the
 *                         server checks host and port inside the token.
 * (libpq 16 and later also offer require_auth=password, which refuses to
 * send the token to a server that asks for anything else.)
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include <rdsiam.h>

/* Print {"error": msg, "stage": stage}; returns the exit status, 1. */
static int fail(const char *stage, const char *msg)
{
    json_object *o = json_object_new_object();
    char buf[1024];
    size_t n;

    snprintf(buf, sizeof buf, "%s", msg ? msg : "");
    n = strlen(buf); /* libpq's messages end in a newline */
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    json_object_object_add(o, "error", json_object_new_string(buf));
    json_object_object_add(o, "stage", json_object_new_string(stage));
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                              JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return 1;
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

int main(void)
{
    const char *host = env_or("RDS_HOST", NULL);
    const char *port = env_or("RDS_PORT", "5432");
    const char *user = env_or("RDS_USER", NULL);
    const char *db = env_or("RDS_DATABASE", "postgres");
    const char *ca = env_or("RDS_CA_BUNDLE", NULL);
    rdsiam_error err;
    char *token = NULL, *end;
    long portnum;
    PGconn *conn;
    PGresult *res;
    json_object *out, *users;
    int i, rc;

    memset(&err, 0, sizeof err);

    if (!host || !user || !ca)
        return fail("config", "set RDS_HOST, RDS_USER and RDS_CA_BUNDLE");
    errno = 0;
    portnum = strtol(port, &end, 10);
    if (errno || end == port || *end || portnum < 1 || portnum > 65535)
        return fail("config", "RDS_PORT is not a port number (1-65535)");

    /* Credentials from the default chain (environment, profile files,
     * credential_process, container endpoints), region from AWS_REGION or
     * the profile. A fresh token for each connection. */
    {
        rdsiam_token_params tp = {0};

        tp.hostname = host;
        tp.port = (unsigned int)portnum;
        tp.username = user; /* tp.region NULL: resolved by the library */
        if (rdsiam_connect_token(&tp, NULL, &token, &err) != RDSIAM_OK)
            return fail("token", err.message);
    }

    {
        const char *keys[] = {"host", "port", "user", "password", "dbname",
                              "sslmode", "sslrootcert", "connect_timeout",
                              NULL};
        const char *vals[] = {host, port, user, token, db,
                              "verify-full", ca, "10", NULL};
        conn = PQconnectdbParams(keys, vals, 0);
    }
    rdsiam_token_free(token); /* libpq keeps its own copy */
    if (!conn)
        return fail("connect", "out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
        rc = fail("connect", PQerrorMessage(conn));
        PQfinish(conn);
        return rc;
    }

    res = PQexec(conn, "SELECT rolname FROM pg_roles WHERE rolcanlogin "
                       "ORDER BY 1");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = fail("query", PQerrorMessage(conn));
        PQclear(res);
        PQfinish(conn);
        return rc;
    }
    out = json_object_new_object();
    users = json_object_new_array();
    for (i = 0; i < PQntuples(res); i++)
        json_object_array_add(users,
                              json_object_new_string(PQgetvalue(res, i, 0)));
    json_object_object_add(out, "users", users);
    puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN |
                                                JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(out);
    PQclear(res);
    PQfinish(conn);
    return 0;
}
