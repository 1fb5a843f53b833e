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
static int parse_port(const char *s, unsigned int *port)
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

static int check_common(cli_args *a, const char *time_arg);

int cli_parse(int argc, char **argv, cli_args *a)
{
    static const struct option opts[] = {
        {"hostname", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"username", required_argument, NULL, 'u'},
        {"region", required_argument, NULL, 'r'},
        {"signing-time", required_argument, NULL, 't'},
        {"profile", required_argument, NULL, 'P'},
        {"elasticache", required_argument, NULL, 'E'},
        {"memorydb", required_argument, NULL, 'M'},
        {"msk", no_argument, NULL, 'K'},
        {"serverless", no_argument, NULL, 'S'},
        {"user-agent", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'H'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *port_arg = NULL, *time_arg = NULL;
    int c, kinds = 0;

    memset(a, 0, sizeof *a);
    opterr = 0;
    optind = 0; /* GNU getopt: 0 starts a fresh scan */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            a->params.hostname = optarg;
            break;
        case 'p':
            port_arg = optarg;
            break;
        case 'u':
            a->params.username = optarg;
            break;
        case 'r':
            /* the token's region, and the one STS is asked in (botocore:
             * the region of the client that needs the credentials) */
            a->params.region = optarg;
            a->popts.region = optarg;
            break;
        case 'P':
            a->popts.profile = optarg;
            break;
        case 't':
            time_arg = optarg;
            break;
        case 'E':
        case 'M':
        case 'K':
            kinds++;
            a->kind = c == 'E'   ? CLI_ELASTICACHE
                      : c == 'M' ? CLI_MEMORYDB
                                 : CLI_MSK;
            a->name = c == 'K' ? NULL : optarg;
            break;
        case 'S':
            a->serverless = 1;
            break;
        case 'A':
            a->user_agent = optarg;
            break;
        case 'H':
            return CLI_HELP;
        case 'V':
            return CLI_VERSION;
        default:
            return bad(a, "unknown option or missing value:", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bad(a, "unexpected argument", argv[optind]);
    if (kinds > 1)
        return bad(a, "--elasticache, --memorydb and --msk exclude each other",
                   NULL);
    if (a->serverless && a->kind != CLI_ELASTICACHE && a->kind != CLI_MSK)
        return bad(a, "--serverless is for --elasticache and --msk", NULL);
    if (a->user_agent && a->kind != CLI_MSK)
        return bad(a, "--user-agent is for --msk", NULL);
    if (a->kind != CLI_RDS && (a->params.hostname || port_arg))
        return bad(a, "--hostname and --port are for RDS tokens", NULL);
    if (a->kind == CLI_MSK && a->params.username)
        return bad(a, "--username is not for --msk", NULL);
    if ((a->kind == CLI_ELASTICACHE || a->kind == CLI_MEMORYDB) &&
        !a->params.username)
        return bad(a, "--username is required", NULL);
    if (a->kind != CLI_RDS)
        return check_common(a, time_arg);
    if (!a->params.hostname)
        return bad(a, "--hostname is required", NULL);
    if (!port_arg)
        return bad(a, "--port is required", NULL);
    if (!a->params.username)
        return bad(a, "--username is required", NULL);
    if (parse_port(port_arg, &a->params.port) != 0)
        return bad(a, "--port must be a number from 1 to 65535", NULL);
    return check_common(a, time_arg);
}

/* --signing-time and --profile, for every kind of token. */
static int check_common(cli_args *a, const char *time_arg)
{
    if (time_arg && parse_time(time_arg, &a->params.signing_time) != 0)
        return bad(a,
                   "--signing-time must look like "
                   "2016-11-18T22:00:00Z or 20161118T220000Z",
                   NULL);
    if (time_arg && a->params.signing_time == 0)
        return bad(a, "--signing-time must be after 1970-01-01", NULL);
    if (a->popts.profile && !*a->popts.profile)
        return bad(a, "--profile must not be empty", NULL);
    return CLI_RUN;
}
