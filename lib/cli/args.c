/*
 * args.c - rdsiam-token's command line, parsed without printing or
 * exiting, so the parser can be tested and fuzzed on its own.
 *
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "args.h"

/* Decimal digits only, 1-65535: strtol alone would also take " 5", "+5"
 * and "-0". */
int cli_port_parse(const char *s, unsigned int *port)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
        if (v <= 65535) /* stays above the limit once past it */
            v = v * 10 + (unsigned long)(s[i] - '0');
    if (i == 0 || s[i] != '\0' || v < 1 || v > 65535)
        return -1;
    *port = (unsigned int)v;
    return 0;
}

/* Digits only, at most max: 0 and *out, or -1. */
static int parse_count(const char *s, size_t n, long max, long *out)
{
    long v = 0;
    size_t i;

    for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        if (v <= max) /* stays above the limit once past it */
            v = v * 10 + (s[i] - '0');
    if (i == 0 || i != n || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_every_parse(const char *s, long *seconds)
{
    size_t n = strlen(s);
    long unit = 1, v;

    if (n > 1 && (s[n - 1] == 's' || s[n - 1] == 'm' || s[n - 1] == 'h')) {
        unit = s[n - 1] == 's' ? 1 : s[n - 1] == 'm' ? 60 : 3600;
        n--;
    }
    if (parse_count(s, n, CLI_EVERY_MAX, &v) != 0 || v < 1 ||
        v > CLI_EVERY_MAX / unit)
        return -1;
    *seconds = v * unit;
    return 0;
}

static const char *const format_names[] = {"raw", "pgpass", "pgbouncer",
                                           "mycnf", "json"};

const char *cli_format_name(cli_format f)
{
    return (unsigned)f < sizeof format_names / sizeof format_names[0]
               ? format_names[f]
               : "?";
}

int cli_format_parse(const char *s, cli_format *f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(s, format_names[i]) == 0) {
            *f = (cli_format)i;
            return 0;
        }
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm, public domain description). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* n decimal digits at s into *v. */
static int digits(const char *s, int n, int64_t *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

/* --signing-time: "2016-11-18T22:00:00Z" or "20161118T220000Z", UTC. */
static int parse_time(const char *s, int64_t *t)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool iso = strlen(s) == 20;
    int64_t y, mo, d, h, mi, se;

    if (strlen(s) != (iso ? 20u : 16u))
        return -1;
    if (iso && (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
                s[16] != ':' || s[19] != 'Z'))
        return -1;
    if (!iso && (s[8] != 'T' || s[15] != 'Z'))
        return -1;
    if (digits(s, 4, &y) || digits(s + (iso ? 5 : 4), 2, &mo) ||
        digits(s + (iso ? 8 : 6), 2, &d) || digits(s + (iso ? 11 : 9), 2, &h) ||
        digits(s + (iso ? 14 : 11), 2, &mi) ||
        digits(s + (iso ? 17 : 13), 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
        se > 59)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

static int bad(cli_args *a, const char *why, const char *arg)
{
    a->why = why;
    a->arg = arg;
    return CLI_USAGE;
}

/* Options that take a value, in the order the usage lists them. */
enum {
    OPT_HOSTNAME = 256,
    OPT_PORT,
    OPT_USERNAME,
    OPT_REGION,
    OPT_PROFILE,
    OPT_SIGNING_TIME,
    OPT_OUTPUT,
    OPT_FORMAT,
    OPT_JSON,
    OPT_DBNAME,
    OPT_EVERY,
    OPT_THEN,
    OPT_CONFIG,
    OPT_EXPLAIN,
    OPT_DSQL,
    OPT_ACTION,
    OPT_EXPIRES_IN,
    OPT_ELASTICACHE,
    OPT_MEMORYDB,
    OPT_MSK,
    OPT_SERVERLESS,
    OPT_USER_AGENT,
    OPT_HELP,
    OPT_VERSION
};

/* The values as given, checked for form after the scan. */
typedef struct raw_args {
    const char *port, *time, *format, *every, *action, *expires_in;
    bool json;
    int kinds; /* --elasticache, --memorydb and --msk given */
} raw_args;

/* One option into a and r; CLI_RUN or CLI_USAGE/HELP/VERSION. */
static int take(int c, const char *v, cli_args *a, raw_args *r, const char *arg)
{
    switch (c) {
    case OPT_HOSTNAME:
        a->params.hostname = v;
        break;
    case OPT_PORT:
        r->port = v;
        break;
    case OPT_USERNAME:
        a->params.username = v;
        break;
    case OPT_REGION:
        /* the token's region, and the one STS is asked in (botocore: the
         * region of the client that needs the credentials) */
        a->params.region = v;
        a->popts.region = v;
        break;
    case OPT_PROFILE:
        a->popts.profile = v;
        break;
    case OPT_SIGNING_TIME:
        r->time = v;
        break;
    case OPT_OUTPUT:
        a->output = v;
        break;
    case OPT_FORMAT:
        r->format = v;
        break;
    case OPT_JSON:
        r->json = true;
        break;
    case OPT_DBNAME:
        a->dbname = v;
        break;
    case OPT_EVERY:
        r->every = v;
        break;
    case OPT_THEN:
        a->then = v;
        break;
    case OPT_CONFIG:
        a->config = v;
        break;
    case OPT_EXPLAIN:
        a->explain = true;
        break;
    case OPT_DSQL:
        a->dsql = true;
        break;
    case OPT_ACTION:
        r->action = v;
        break;
    case OPT_EXPIRES_IN:
        r->expires_in = v;
        break;
    case OPT_ELASTICACHE:
    case OPT_MEMORYDB:
    case OPT_MSK:
        r->kinds++;
        a->kind = c == OPT_ELASTICACHE ? CLI_ELASTICACHE
                  : c == OPT_MEMORYDB  ? CLI_MEMORYDB
                                       : CLI_MSK;
        a->name = c == OPT_MSK ? NULL : v;
        break;
    case OPT_SERVERLESS:
        a->serverless = true;
        break;
    case OPT_USER_AGENT:
        a->user_agent = v;
        break;
    case OPT_HELP:
        return CLI_HELP;
    case OPT_VERSION:
        return CLI_VERSION;
    default:
        return bad(a, "unknown option or missing value:", arg);
    }
    return CLI_RUN;
}

/* The values' forms: numbers, times, names. */
static int check_values(cli_args *a, const raw_args *r)
{
    long v;

    if (r->port && cli_port_parse(r->port, &a->params.port) != 0)
        return bad(a, "--port must be a number from 1 to 65535", NULL);
    a->port_set = r->port != NULL;
    if (r->time && parse_time(r->time, &a->params.signing_time) != 0)
        return bad(a,
                   "--signing-time must look like "
                   "2016-11-18T22:00:00Z or 20161118T220000Z",
                   NULL);
    if (r->time && a->params.signing_time == 0)
        return bad(a, "--signing-time must be after 1970-01-01", NULL);
    if (a->popts.profile && !*a->popts.profile)
        return bad(a, "--profile must not be empty", NULL);
    if (r->format && cli_format_parse(r->format, &a->format) != 0)
        return bad(a, "--format must be raw, pgpass, pgbouncer, mycnf or json:",
                   r->format);
    if (r->json && r->format && a->format != FMT_JSON)
        return bad(a, "--json and --format name two formats", NULL);
    if (r->json)
        a->format = FMT_JSON;
    a->format_set = r->json || r->format;
    if (r->every && cli_every_parse(r->every, &a->every) != 0)
        return bad(a,
                   "--every must be a number of seconds (1 to 86400), or "
                   "of minutes or hours written 10m or 1h",
                   NULL);
    if (r->action && strcmp(r->action, "DbConnect") == 0)
        a->action = RDSIAM_DSQL_CONNECT;
    else if (r->action && strcmp(r->action, "DbConnectAdmin") == 0)
        a->action = RDSIAM_DSQL_CONNECT_ADMIN;
    else if (r->action)
        return bad(a,
                   "--action must be DbConnect or DbConnectAdmin:", r->action);
    if (r->expires_in &&
        (parse_count(r->expires_in, strlen(r->expires_in), 604800, &v) != 0 ||
         v < 1))
        return bad(a,
                   "--expires-in must be a number of seconds from 1 to "
                   "604800",
                   NULL);
    if (r->expires_in)
        a->expires_in = v;
    return CLI_RUN;
}

/*
 * The options of --elasticache, --memorydb and --msk, and those that are
 * for database tokens alone. A service's token is one token, written raw
 * or as json, on standard output or with --output, --every and --then; a
 * --config file lists databases, and the database formats (pgpass,
 * pgbouncer, mycnf) have no place for one.
 */
static int check_service(cli_args *a, const raw_args *r)
{
    if (r->kinds > 1)
        return bad(a, "--elasticache, --memorydb and --msk exclude each other",
                   NULL);
    if (a->serverless && a->kind != CLI_ELASTICACHE && a->kind != CLI_MSK)
        return bad(a, "--serverless is for --elasticache and --msk", NULL);
    if (a->user_agent && a->kind != CLI_MSK)
        return bad(a, "--user-agent is for --msk", NULL);
    if (a->kind == CLI_RDS)
        return CLI_RUN;
    if (a->params.hostname || r->port)
        return bad(a, "--hostname and --port are for RDS tokens", NULL);
    if (a->dsql)
        return bad(a,
                   "--dsql is for Aurora DSQL tokens: leave out "
                   "--elasticache, --memorydb and --msk",
                   NULL);
    if (a->config)
        return bad(a,
                   "--config lists databases: --elasticache, --memorydb "
                   "and --msk are given on the command line alone",
                   NULL);
    if (a->dbname)
        return bad(a, "--dbname is for RDS and Aurora DSQL tokens", NULL);
    if (a->format != FMT_RAW && a->format != FMT_JSON)
        return bad(a,
                   "--format must be raw or json for an ElastiCache, "
                   "MemoryDB or MSK token (pgpass, pgbouncer and mycnf are "
                   "database files):",
                   r->format);
    if (a->kind == CLI_MSK && a->params.username)
        return bad(a, "--username is not for --msk", NULL);
    if (a->kind != CLI_MSK && !a->params.username)
        return bad(a, "--username is required", NULL);
    return CLI_RUN;
}

/* Which options go together. */
static int check_combinations(cli_args *a, const raw_args *r)
{
    int rc;
    const char *empty[][2] = {{a->output, "--output must not be empty"},
                              {a->dbname, "--dbname must not be empty"},
                              {a->then, "--then must not be empty"},
                              {a->config, "--config must not be empty"}};

    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        if (empty[i][0] && !*empty[i][0])
            return bad(a, empty[i][1], NULL);
    if ((r->action || r->expires_in) && !a->dsql)
        return bad(a, "--action and --expires-in go with --dsql", NULL);
    if ((a->every || a->then) && !a->output)
        return bad(a, "--every and --then need --output FILE", NULL);
    if (a->every && r->time)
        return bad(a,
                   "--every signs as of each write: leave out "
                   "--signing-time",
                   NULL);
    if ((rc = check_service(a, r)) != CLI_RUN || a->kind != CLI_RDS)
        return rc;
    if (a->config) {
        if (a->params.hostname || r->port || a->params.username || a->dbname)
            return bad(a,
                       "--config lists the databases: leave out "
                       "--hostname, --port, --username and --dbname",
                       NULL);
        if (a->dsql)
            return bad(a, "--dsql and --config do not go together", NULL);
        return CLI_RUN;
    }
    if (!a->params.hostname)
        return bad(a, "--hostname is required", NULL);
    if (!r->port && !a->dsql)
        return bad(a, "--port is required", NULL);
    if (a->dsql && a->format == FMT_MYCNF)
        return bad(a,
                   "--format mycnf is for MySQL; Aurora DSQL speaks "
                   "PostgreSQL",
                   NULL);
    if (!a->params.username &&
        (!a->dsql || (a->format != FMT_RAW && a->format != FMT_JSON)))
        return bad(a, "--username is required", NULL);
    /* Aurora DSQL listens on PostgreSQL's port; the token names none. */
    if (a->dsql && !r->port)
        a->params.port = 5432;
    if (a->format == FMT_PGBOUNCER && !a->dbname)
        return bad(a,
                   "--format pgbouncer needs --dbname (the name clients "
                   "ask PgBouncer for)",
                   NULL);
    return CLI_RUN;
}

int cli_parse(int argc, char **argv, cli_args *a)
{
    static const struct option opts[] = {
        {"hostname", required_argument, NULL, OPT_HOSTNAME},
        {"port", required_argument, NULL, OPT_PORT},
        {"username", required_argument, NULL, OPT_USERNAME},
        {"region", required_argument, NULL, OPT_REGION},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"signing-time", required_argument, NULL, OPT_SIGNING_TIME},
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"json", no_argument, NULL, OPT_JSON},
        {"dbname", required_argument, NULL, OPT_DBNAME},
        {"every", required_argument, NULL, OPT_EVERY},
        {"then", required_argument, NULL, OPT_THEN},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"dsql", no_argument, NULL, OPT_DSQL},
        {"action", required_argument, NULL, OPT_ACTION},
        {"expires-in", required_argument, NULL, OPT_EXPIRES_IN},
        {"elasticache", required_argument, NULL, OPT_ELASTICACHE},
        {"memorydb", required_argument, NULL, OPT_MEMORYDB},
        {"msk", no_argument, NULL, OPT_MSK},
        {"serverless", no_argument, NULL, OPT_SERVERLESS},
        {"user-agent", required_argument, NULL, OPT_USER_AGENT},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}};
    raw_args r;
    int c, rc;

    memset(a, 0, sizeof *a);
    memset(&r, 0, sizeof r);
    opterr = 0;
    optind = 0; /* GNU getopt: 0 starts a fresh scan */
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        rc = take(c == 'h' ? OPT_HELP : c, optarg, a, &r, argv[optind - 1]);
        if (rc != CLI_RUN)
            return rc;
    }
    if (optind < argc)
        return bad(a, "unexpected argument", argv[optind]);
    if ((rc = check_values(a, &r)) != CLI_RUN)
        return rc;
    return check_combinations(a, &r);
}
