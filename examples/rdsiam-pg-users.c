/*
 * rdsiam-pg-users - log in to PostgreSQL on Amazon RDS with an IAM token and
 * print the roles that may log in, as JSON: {"users": ["alice", ...]}.
 * Errors print {"error": "..."} and exit with status 1.
 *
 * Environment: RDS_HOST, RDS_PORT (default 5432), RDS_USER, RDS_DATABASE
 * (default postgres), RDS_CA_BUNDLE (the CA certificates to trust, e.g.
 * the RDS global bundle); AWS_REGION, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
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

static int fail(const char *what, const char *detail)
{
    json_object *o = json_object_new_object();
    char msg[1024];
    size_t n;

    snprintf(msg, sizeof msg, "%s: %s", what, detail ? detail : "");
    n = strlen(msg); /* libpq messages end in a newline */
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    json_object_object_add(o, "error", json_object_new_string(msg));
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

    if (!host || !user || !ca)
        return fail("configuration", "set RDS_HOST, RDS_USER and "
                                     "RDS_CA_BUNDLE");
    errno = 0;
    portnum = strtol(port, &end, 10);
    if (errno || end == port || *end || portnum < 1 || portnum > 65535)
        return fail("configuration", "RDS_PORT must be a number from 1 "
                                     "to 65535");

    /* Credentials and region from the environment. */
    {
        rdsiam_token_params tp = {0};
        rdsiam_credentials creds = {0};

        tp.hostname = host;
        tp.port = (unsigned int)portnum;
        tp.username = user;
        tp.region = env_or("AWS_REGION", env_or("AWS_DEFAULT_REGION", NULL));
        creds.access_key_id = env_or("AWS_ACCESS_KEY_ID", NULL);
        creds.secret_access_key = env_or("AWS_SECRET_ACCESS_KEY", NULL);
        creds.session_token = env_or("AWS_SESSION_TOKEN", NULL);
        if (!tp.region || !creds.access_key_id || !creds.secret_access_key)
            return fail("token", "set AWS_REGION, AWS_ACCESS_KEY_ID and "
                                 "AWS_SECRET_ACCESS_KEY");
        rc = rdsiam_token_alloc(&tp, &creds, &token, &err);
    }
    if (rc != RDSIAM_OK)
        return fail("token", err.message);

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
