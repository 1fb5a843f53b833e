/*
 * args.h - rdsiam-token's command-line parser (see args.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_ARGS_H
#define RDSIAM_CLI_ARGS_H

#include <rdsiam.h>

enum { CLI_RUN = 0, CLI_HELP = 1, CLI_VERSION = 2, CLI_USAGE = 3 };

/* Which token: RDS (--hostname ...), or --elasticache, --memorydb, --msk. */
enum { CLI_RDS = 0, CLI_ELASTICACHE, CLI_MEMORYDB, CLI_MSK };

typedef struct cli_args {
    rdsiam_token_params params; /* strings borrowed from argv */
    rdsiam_provider_options popts;
    int kind;               /* CLI_RDS, ... */
    const char *name;       /* --elasticache / --memorydb NAME */
    int serverless;         /* --serverless (ElastiCache, MSK) */
    const char *user_agent; /* --user-agent (MSK) */
    const char *why; /* CLI_USAGE: what is wrong */
    const char *arg; /* CLI_USAGE: the argument at fault, or NULL */
} cli_args;

/*
 * Parse argv (getopt_long, restarted on every call). Returns CLI_RUN with
 * params and popts filled and checked for form (port digits only,
 * --signing-time's two forms), CLI_HELP, CLI_VERSION, or CLI_USAGE with
 * why and arg set. Prints nothing, never exits. Not thread-safe (getopt).
 */
int cli_parse(int argc, char **argv, cli_args *a);

#endif
