/*
 * config.h - what one run of rdsiam-token does: the databases to sign
 * for and the settings, from the command line alone or from a --config
 * file (see config.c) under the command line's flags.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_CONFIG_H
#define RDSIAM_CLI_CONFIG_H

#include <stddef.h>

#include "args.h"

/* One database: where and as whom, and what the file calls it. */
typedef struct cli_db {
    const char *name;           /* config section or --dbname; may be NULL */
    rdsiam_token_params params; /* region NULL: the run's */
    const char *dbname;         /* the database itself; NULL: the format's
                                   default ("*" in pgpass, name in
                                   pgbouncer) */
} cli_db;

/* The limit on databases in one file. */
#define CLI_DB_MAX 256

typedef struct cli_job {
    cli_db *dbs;
    size_t n;
    const char *output, *then;
    cli_format format;
    long every;
    rdsiam_provider_options popts; /* profile, region */
    void *store;                   /* the parsed file the strings live in */
} cli_job;

/*
 * The job of a command line without --config: its one database (strings
 * borrowed from a). 0, or -1 out of memory.
 */
int cli_job_from_args(const cli_args *a, cli_job *job);

/*
 * The job a --config file describes, with a's flags winning over its
 * [rdsiam-token] section. 0, or -1 with a message naming the file, the
 * line or section, and the setting (never a value) in msg.
 */
int cli_job_from_config(const cli_args *a, cli_job *job, char *msg,
                        size_t msgsize);

/* Release what a job holds. */
void cli_job_free(cli_job *job);

/*
 * Whether the config file (AWS_CONFIG_FILE, else ~/.aws/config) has a
 * section [NAME] without the "profile " prefix, the config file's way of
 * writing [profile NAME]: for the hint after "profile NAME not found".
 */
int cli_bare_profile_section(const char *name);

/*
 * The region setting of the profile (NULL: the one AWS_PROFILE,
 * AWS_DEFAULT_PROFILE or "default" selects) in the shared files, for
 * Aurora DSQL tokens, which the provider does not sign: 0 and the region
 * in buf, or -1 and why in msg.
 */
int cli_profile_region(const char *profile, char *buf, size_t size, char *msg,
                       size_t msgsize);

#endif
