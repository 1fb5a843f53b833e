/*
 * format.c - the tokens of a job as the programs that read them expect,
 * each quoted the way that program's own reader unquotes it:
 *
 * raw        the token and a newline.
 * json       {"token":"...","expires":"2026-11-28T00:15:00Z","source":"..."}
 *            written by the library's JSON writer (lib/json.c: compact,
 *            strings escaped as RFC 8259 requires, into a buffer wiped
 *            when freed); an MSK token's also "expires_ms": the same
 *            instant in milliseconds since the epoch, librdkafka's
 *            md_lifetime_ms.
 * pgpass     host:port:dbname:user:token, one line per database, for
 *            PGPASSFILE. libpq's reader (fe-connect.c, passwordFromFile
 *            and pwdfMatchesString, PostgreSQL 16): a line starting with
 *            '#' is a comment; fields are separated by ':'; a '\' makes
 *            the next character literal, in every field and in the
 *            password; a field that is exactly "*" matches anything. So
 *            '\' and ':' (tokens hold several) are written "\\" and "\:",
 *            a literal "*" field "\*", and dbname defaults to "*".
 *            libpq ignores the file unless its mode is 0600 or less.
 * pgbouncer  NAME = host='H' port=P dbname='D' user='U' password='TOKEN',
 *            one line per database, for an %include inside [databases].
 *            PgBouncer 1.18: a key is letters, digits and "_.-*"
 *            (libusual cfparser.c at the commit 1.18 pins); the value is
 *            the rest of the line, split at spaces into key=value pairs
 *            whose values may be quoted '...' with '' for a quote
 *            (src/loader.c, cstr_get_value); the forced user's name and
 *            password are copied into 128- and 2048-byte fields with
 *            safe_strcpy, which cuts silently (include/bouncer.h
 *            MAX_USERNAME, MAX_PASSWORD; src/objects.c force_user), and a
 *            database name into 64 (MAX_DBNAME). Every value is quoted;
 *            anything longer than a field holds is refused.
 * mycnf      [client] with user and password, for mysql
 *            --defaults-extra-file (with several databases, one group
 *            [client_NAME] each, with host and port too, for
 *            --defaults-group-suffix=_NAME). MariaDB's readers
 *            (mysys/my_default.c search_default_file_with_ext, and
 *            Connector/C's _mariadb_read_options_from_file) read lines
 *            with fgets into a 4096-byte buffer, strip the quotes around
 *            a value and turn \\ and \" back into \ and "; '#' outside
 *            quotes starts a comment. Values are written in double
 *            quotes with \ and " escaped; a line longer than 4094 bytes
 *            with its newline is refused.
 *
 * Line breaks and other control characters cannot be written in any of
 * these files: a field holding one is refused, naming the field.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "format.h"
#include "json_reader.h"

#define PGBOUNCER_PASSWORD_MAX 2047 /* MAX_PASSWORD 2048 with the NUL */
#define PGBOUNCER_USERNAME_MAX 127  /* MAX_USERNAME 128 */
#define PGBOUNCER_DBNAME_MAX 63     /* MAX_DBNAME 64 */
#define MYCNF_LINE_MAX 4094         /* fgets(buff, 4096 - 1) */
#define JSON_MAX 65536              /* the json text: a token and three lines */

static const char HEADER[] =
    "# Written by rdsiam-token, which replaces this file with each new "
    "token.\n";

void cli_text_free(cli_text *t)
{
    if (t->data)
        OPENSSL_cleanse(t->data, t->cap);
    free(t->data);
    memset(t, 0, sizeof *t);
}

/* Room for n more bytes and a NUL. Growing copies into a new block and
 * wipes the old one (realloc would leave a copy of the tokens behind). */
static int reserve(cli_text *t, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *d = malloc(cap);
        if (!d)
            return -1;
        if (t->data) {
            memcpy(d, t->data, t->len);
            OPENSSL_cleanse(t->data, t->cap);
            free(t->data);
        }
        t->data = d;
        t->cap = cap;
    }
    return 0;
}

/* Append n bytes. */
static int put(cli_text *t, const char *s, size_t n)
{
    if (reserve(t, n) != 0)
        return -1;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
    return 0;
}

static int puts_(cli_text *t, const char *s)
{
    return put(t, s, strlen(s));
}

/* s with each character of `special` after `esc`: pgpass's "\:",
 * mycnf's "\"", PgBouncer's "''". */
static int put_escaped(cli_text *t, const char *s, const char *special,
                       char esc)
{
    int rc = 0;

    for (; *s && rc == 0; s++) {
        if (strchr(special, *s))
            rc = put(t, &esc, 1);
        if (rc == 0)
            rc = put(t, s, 1);
    }
    return rc;
}

void cli_utc(long long t, char buf[21])
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (!gmtime_r(&tt, &tm) ||
        strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
        (void)snprintf(buf, 21, "?");
}

/* ------------------------------------------------------------------------ */
/* Checks before signing                                                    */
/* ------------------------------------------------------------------------ */

static int has_control(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static int refuse(char *msg, size_t msgsize, const cli_db *db,
                  const char *field, const char *why)
{
    if (db->name)
        snprintf(msg, msgsize, "database %s: %s %s", db->name, field, why);
    else
        snprintf(msg, msgsize, "%s %s", field, why);
    return -1;
}

static int check_db(const cli_job *job, const cli_db *db, char *msg,
                    size_t msgsize)
{
    const char *fmt = cli_format_name(job->format);
    const char *fields[][2] = {{db->params.hostname, "the host name"},
                               {db->params.username, "the user name"},
                               {db->dbname, "the database name"},
                               {db->name, "the name"}};

    /* raw and json hold the token alone, where the fields are
     * percent-encoded; the other formats write them as they are. */
    for (size_t i = 0; job->format != FMT_RAW && job->format != FMT_JSON &&
                       i < sizeof fields / sizeof fields[0];
         i++)
        if (has_control(fields[i][0])) {
            char why[80];
            snprintf(why, sizeof why,
                     "has a control character, which a %s file cannot hold",
                     fmt);
            return refuse(msg, msgsize, db, fields[i][1], why);
        }
    if (job->format == FMT_PGBOUNCER) {
        const char *dbname = db->dbname ? db->dbname : db->name;
        if (strcmp(db->name, "pgbouncer") == 0)
            return refuse(msg, msgsize, db, "the name",
                          "is PgBouncer's own admin database");
        if (strlen(db->name) > PGBOUNCER_DBNAME_MAX ||
            strlen(dbname) > PGBOUNCER_DBNAME_MAX)
            return refuse(msg, msgsize, db, "the database name",
                          "is longer than PgBouncer's 63 bytes");
        if (strlen(db->params.username) > PGBOUNCER_USERNAME_MAX)
            return refuse(msg, msgsize, db, "the user name",
                          "is longer than PgBouncer's 127 bytes");
    }
    return 0;
}

int cli_plain_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

int cli_format_check(const cli_job *job, char *msg, size_t msgsize)
{
    if ((job->format == FMT_RAW || job->format == FMT_JSON) && job->n != 1) {
        snprintf(msg, msgsize,
                 "format %s holds one token: for %zu databases use pgpass, "
                 "pgbouncer or mycnf",
                 cli_format_name(job->format), job->n);
        return -1;
    }
    for (size_t i = 0; i < job->n; i++) {
        const cli_db *db = &job->dbs[i];
        if ((job->format == FMT_PGBOUNCER ||
             (job->format == FMT_MYCNF && job->n > 1)) &&
            !cli_plain_name(db->name))
            return refuse(msg, msgsize, db, "the name",
                          "must be letters, digits, '_', '.' and '-' "
                          "(PgBouncer's and MySQL's names)");
        if (check_db(job, db, msg, msgsize) != 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Rendering                                                                */
/* ------------------------------------------------------------------------ */

static int pgpass_field(cli_text *t, const char *s)
{
    /* A field that is exactly "*" is libpq's wildcard: a literal star is
     * written "\*" (pwdfMatchesString skips the backslash). */
    if (strcmp(s, "*") == 0)
        return puts_(t, "\\*");
    return put_escaped(t, s, "\\:", '\\');
}

static int pgpass(cli_text *t, const cli_db *db, const char *token)
{
    char port[8];

    snprintf(port, sizeof port, "%u", db->params.port);
    return pgpass_field(t, db->params.hostname) || puts_(t, ":") ||
           puts_(t, port) || puts_(t, ":") ||
           (db->dbname ? pgpass_field(t, db->dbname) : puts_(t, "*")) ||
           puts_(t, ":") || pgpass_field(t, db->params.username) ||
           puts_(t, ":") || put_escaped(t, token, "\\:", '\\') ||
           puts_(t, "\n");
}

static int pgb_value(cli_text *t, const char *key, const char *v)
{
    return puts_(t, " ") || puts_(t, key) || puts_(t, "='") ||
           put_escaped(t, v, "'", '\'') || puts_(t, "'");
}

static int pgbouncer(cli_text *t, const cli_db *db, const char *token)
{
    char port[16];

    snprintf(port, sizeof port, " port=%u", db->params.port);
    return puts_(t, db->name) || puts_(t, " =") ||
           pgb_value(t, "host", db->params.hostname) || puts_(t, port) ||
           pgb_value(t, "dbname", db->dbname ? db->dbname : db->name) ||
           pgb_value(t, "user", db->params.username) ||
           pgb_value(t, "password", token) || puts_(t, "\n");
}

/* key="value" with \ and " escaped, and the line's length checked. */
static int mycnf_line(cli_text *t, const char *key, const char *v, int *toolong)
{
    size_t start = t->len;
    int rc = puts_(t, key) || puts_(t, "=\"") ||
             put_escaped(t, v, "\\\"", '\\') || puts_(t, "\"\n");

    if (rc == 0 && t->len - start > MYCNF_LINE_MAX)
        *toolong = 1;
    return rc;
}

static int mycnf(cli_text *t, const cli_db *db, const char *token, size_t n,
                 int *toolong)
{
    char port[16];

    if (n == 1)
        return puts_(t, "[client]\n") ||
               mycnf_line(t, "user", db->params.username, toolong) ||
               mycnf_line(t, "password", token, toolong);
    snprintf(port, sizeof port, "port=%u\n", db->params.port);
    return puts_(t, "[client_") || puts_(t, db->name) || puts_(t, "]\n") ||
           mycnf_line(t, "host", db->params.hostname, toolong) ||
           puts_(t, port) ||
           mycnf_line(t, "user", db->params.username, toolong) ||
           mycnf_line(t, "password", token, toolong) || puts_(t, "\n");
}

static int json(cli_text *t, const cli_token *tok)
{
    char expires[21];
    const rdsiam__json_member m[] = {
        {.name = "token", .string = tok->text},
        {.name = "expires", .string = expires},
        {.name = "source", .string = tok->info.source},
        {.name = "expires_ms", .is_int = true, .integer = tok->expires_ms}};
    rdsiam__buf b;
    rdsiam_error err;
    int rc;

    cli_utc(tok->info.expires, expires);
    rdsiam__buf_init(&b, JSON_MAX);
    rc = rdsiam__json_write(NULL, m, tok->expires_ms ? 4 : 3, "the json text",
                            &b, &err) == RDSIAM_OK &&
                 put(t, b.data, b.len) == 0 && puts_(t, "\n") == 0
             ? 0
             : -1;
    rdsiam__buf_free(&b);
    return rc;
}

int cli_format_render(const cli_job *job, const cli_token *tokens,
                      cli_text *out, char *msg, size_t msgsize)
{
    int rc = 0, toolong = 0;

    if (job->format == FMT_RAW)
        rc = puts_(out, tokens[0].text) || puts_(out, "\n");
    else if (job->format == FMT_JSON)
        rc = json(out, &tokens[0]);
    else
        rc = puts_(out, HEADER);
    for (size_t i = 0; rc == 0 && i < job->n && job->format != FMT_RAW &&
                       job->format != FMT_JSON;
         i++) {
        const cli_db *db = &job->dbs[i];
        if (job->format == FMT_PGBOUNCER &&
            strlen(tokens[i].text) > PGBOUNCER_PASSWORD_MAX) {
            cli_text_free(out);
            return refuse(msg, msgsize, db, "the token",
                          "is longer than the 2047 bytes PgBouncer keeps of "
                          "a password (a long session token?)");
        }
        if (job->format == FMT_PGPASS)
            rc = pgpass(out, db, tokens[i].text);
        else if (job->format == FMT_PGBOUNCER)
            rc = pgbouncer(out, db, tokens[i].text);
        else
            rc = mycnf(out, db, tokens[i].text, job->n, &toolong);
        if (toolong) {
            cli_text_free(out);
            return refuse(msg, msgsize, db, "the token",
                          "makes a line longer than the 4094 bytes MySQL's "
                          "option-file reader takes (a long session token?)");
        }
    }
    if (rc != 0) {
        cli_text_free(out);
        snprintf(msg, msgsize, "out of memory writing the %s text",
                 cli_format_name(job->format));
        return -1;
    }
    return 0;
}
