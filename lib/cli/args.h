/*
 * args.h - rdsiam-token's command-line parser (see args.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_ARGS_H
#define RDSIAM_CLI_ARGS_H

#include <stdbool.h>

#include <rdsiam.h>

enum { CLI_RUN = 0, CLI_HELP = 1, CLI_VERSION = 2, CLI_USAGE = 3 };

/* What the token is written as (--format, --json). */
typedef enum cli_format {
    FMT_RAW = 0,   /* the token and a newline */
    FMT_PGPASS,    /* a libpq password-file line */
    FMT_PGBOUNCER, /* a PgBouncer [databases] line */
    FMT_MYCNF,     /* a MySQL/MariaDB option file */
    FMT_JSON       /* {"token", "expires", "source"} */
} cli_format;

/* Which token: RDS or Aurora (--hostname ..., with --dsql Aurora DSQL's), or
 * --elasticache NAME, --memorydb NAME, --msk. */
typedef enum cli_kind {
    CLI_RDS = 0,
    CLI_ELASTICACHE,
    CLI_MEMORYDB,
    CLI_MSK
} cli_kind;

/* The longest --every: a token lives 15 minutes, and one is written at
 * least every 14 (RDSIAM_TOKEN_LIFETIME - 60) whatever --every says. */
#define CLI_EVERY_MAX 86400

typedef struct cli_args {
    /* The one database of the command line (strings borrowed from argv);
     * hostname NULL with --config and for a service's token, which takes
     * username, region and signing_time from here. */
    rdsiam_token_params params;
    rdsiam_provider_options popts;
    const char *dbname;        /* --dbname, or NULL */
    const char *config;        /* --config FILE, or NULL */
    const char *output;        /* --output FILE, or NULL: standard output */
    const char *then;          /* --then COMMAND, or NULL */
    cli_format format;         /* --format, --json */
    bool format_set;           /* --format or --json given */
    long every;                /* --every, seconds; 0: write once */
    bool explain;              /* --explain */
    bool dsql;                 /* --dsql */
    rdsiam_dsql_action action; /* --action */
    int64_t expires_in;        /* --expires-in (DSQL), 0: 900 */
    bool port_set;             /* --port given (DSQL: default 5432) */
    cli_kind kind;             /* CLI_RDS, or a service's token */
    const char *name;          /* --elasticache / --memorydb NAME */
    bool serverless;           /* --serverless (ElastiCache, MSK) */
    const char *user_agent;    /* --user-agent (MSK), or NULL */

    const char *why; /* CLI_USAGE: what is wrong */
    const char *arg; /* CLI_USAGE: the argument at fault, or NULL */
} cli_args;

/*
 * Parse argv (getopt_long, restarted on every call). Returns CLI_RUN with
 * the fields filled and checked for form (port digits only,
 * --signing-time's two forms, --every's units, the format's names and the
 * options each needs, the options each kind of token takes), CLI_HELP,
 * CLI_VERSION, or CLI_USAGE with why and arg set. Prints nothing, never exits.
 * Not thread-safe (getopt).
 */
int cli_parse(int argc, char **argv, cli_args *a);

/* "raw", "pgpass", ... for messages. */
const char *cli_format_name(cli_format f);

/* --format's and the config file's names: 0 and *f set, or -1. */
int cli_format_parse(const char *s, cli_format *f);

/* --every's forms: "N", "Ns", "Nm", "Nh", 1 s to CLI_EVERY_MAX: 0 and
 * *seconds set, or -1. */
int cli_every_parse(const char *s, long *seconds);

/* Decimal digits only, 1-65535: 0 and *port set, or -1. */
int cli_port_parse(const char *s, unsigned int *port);

#endif
