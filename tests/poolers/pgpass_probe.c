/*
 * pgpass_probe - the password libpq itself reads from a password file,
 * printed, to check rdsiam-token's pgpass format against the real reader
 * (tests/check-poolers.sh).
 *
 *   pgpass_probe PASSFILE HOST PORT DBNAME USER
 *
 * libpq picks the password from the file while it sets up the connection
 * (fe-connect.c: passwordFromFile), before any network traffic; PQpass()
 * then returns it even though the connection itself fails. hostaddr
 * 127.0.0.1 port 1 makes that failure immediate and local: HOST is only
 * matched against the file, never resolved.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include <libpq-fe.h>

int main(int argc, char **argv)
{
    const char *keys[] = {"passfile", "host", "hostaddr",        "port",
                          "dbname",   "user", "connect_timeout", "sslmode",
                          NULL};
    const char *values[9];
    PGconn *conn;
    const char *pw;

    if (argc != 6) {
        fprintf(stderr, "usage: pgpass_probe PASSFILE HOST PORT DBNAME USER\n");
        return 2;
    }
    values[0] = argv[1];
    values[1] = argv[2];
    values[2] = "127.0.0.1";
    values[3] = argv[3];
    values[4] = argv[4];
    values[5] = argv[5];
    values[6] = "2";
    values[7] = "disable";
    values[8] = NULL;
    conn = PQconnectdbParams(keys, values, 0);
    pw = conn ? PQpass(conn) : NULL;
    if (pw && *pw)
        printf("%s\n", pw);
    PQfinish(conn);
    return pw && *pw ? 0 : 1;
}
