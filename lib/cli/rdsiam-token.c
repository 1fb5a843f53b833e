/*
 * rdsiam-token - print an RDS IAM authentication token, like
 * `aws rds generate-db-auth-token`; or an Aurora DSQL, ElastiCache,
 * MemoryDB or MSK one; or keep a file of tokens fresh for programs that
 * cannot sign one (PgBouncer, psql, mysql, Valkey and Kafka clients, cron
 * jobs).
 *
 * Exit status: 0 token written; 1 error; 2 usage error.
 * Errors go to stderr; stdout carries nothing but the token.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <rdsiam.h>

#include "args.h"
#include "config.h"
#include "log.h"
#include "run.h"

static const char USAGE[] =
    "usage: rdsiam-token --hostname HOST --port PORT --username USER\n"
    "                    [--region REGION] [--profile NAME]\n"
    "                    [--signing-time TIME] [--json] [--explain]\n"
    "       rdsiam-token ... --output FILE [--format "
    "raw|pgpass|pgbouncer|mycnf]\n"
    "                    [--dbname NAME] [--every SECONDS] [--then COMMAND]\n"
    "       rdsiam-token --config FILE [--output FILE] [--format F] [--every "
    "S]\n"
    "       rdsiam-token --dsql --hostname HOST [--action "
    "DbConnect|DbConnectAdmin]\n"
    "                    [--expires-in SECONDS] [--username ROLE] ...\n"
    "       rdsiam-token --elasticache NAME [--serverless] --username USER "
    "...\n"
    "       rdsiam-token --memorydb NAME --username USER ...\n"
    "       rdsiam-token --msk [--serverless] [--user-agent UA] ...\n"
    "       rdsiam-token -h | --help | --version\n"
    "\n"
    "Print an IAM authentication token for Amazon RDS / Aurora, the same as\n"
    "`aws rds generate-db-auth-token` prints for the same inputs (or one for\n"
    "Aurora DSQL, ElastiCache, MemoryDB or MSK); or write it to a file that\n"
    "a pooler or client reads, and keep it fresh.\n"
    "\n"
    "  --hostname HOST       database endpoint, without scheme or port\n"
    "  --port PORT           database port (1-65535)\n"
    "  --username USER       database user name\n"
    "  --region REGION       signing region (default: AWS_REGION, then\n"
    "                        AWS_DEFAULT_REGION, then the profile's region)\n"
    "  --profile NAME        use this profile of ~/.aws/config and\n"
    "                        ~/.aws/credentials (environment keys are\n"
    "                        then ignored, as by the AWS CLI)\n"
    "  --signing-time TIME   sign as of TIME, 2016-11-18T22:00:00Z or\n"
    "                        20161118T220000Z (default: now)\n"
    "  --json                print {\"token\", \"expires\", \"source\"}: when "
    "the\n"
    "                        token stops working and which credential source\n"
    "                        signed it (the same as --format json)\n"
    "  --explain             say on stderr which credential source was used\n"
    "                        and why each one before it had nothing\n"
    "\n"
    "  --output FILE         write FILE instead of stdout: a new file, mode\n"
    "                        0600, renamed over FILE (never half written)\n"
    "  --format FORMAT       raw: the token; pgpass: a libpq password-file\n"
    "                        line; pgbouncer: a [databases] line (needs\n"
    "                        --dbname); mycnf: a MySQL option file [client];\n"
    "                        json: as --json (default raw)\n"
    "  --dbname NAME         the database: pgpass's field (default *),\n"
    "                        pgbouncer's name for it\n"
    "  --every SECONDS       keep running, writing FILE again every SECONDS\n"
    "                        (or 10m, 1h), sooner when the token would expire\n"
    "                        first, at least every 14 minutes; SIGHUP writes\n"
    "                        now, SIGTERM and SIGINT stop\n"
    "  --then COMMAND        run /bin/sh -c COMMAND after each write (e.g. to\n"
    "                        make the pooler reload FILE)\n"
    "  --config FILE         several databases in one FILE of sections\n"
    "                        [NAME] (hostname, port, username, dbname, "
    "region)\n"
    "                        and settings in [rdsiam-token]\n"
    "\n"
    "  --dsql                an Aurora DSQL token (no port needed)\n"
    "  --action ACTION       DbConnect (default) or DbConnectAdmin\n"
    "  --expires-in SECONDS  DSQL token lifetime, 1-604800 (default 900)\n"
    "\n"
    "  --elasticache NAME    an ElastiCache token (the AUTH password) for\n"
    "                        the cache NAME (replication group id or\n"
    "                        serverless cache name) and --username\n"
    "  --memorydb NAME       a MemoryDB token for the cluster NAME\n"
    "  --msk                 an MSK token (Kafka SASL/OAUTHBEARER)\n"
    "  --serverless          a serverless ElastiCache cache, MSK Serverless\n"
    "  --user-agent UA       MSK: the User-Agent parameter (default\n"
    "                        librdsiam/VERSION)\n"
    "  These three take --region, --profile, --signing-time, --json,\n"
    "  --explain, and --output (format raw or json), --every, --then.\n"
    "\n";

/* The rest of the usage (C11 promises string literals of 4095 bytes). */
static const char USAGE_CREDENTIALS[] =
    "Credentials come from the default chain, first match wins (the AWS\n"
    "CLI's order):\n"
    "  1. AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN\n"
    "  2. the profile's role_arn with source_profile or credential_source\n"
    "     (STS AssumeRole)\n"
    "  3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or the\n"
    "     profile's web_identity_token_file and role_arn\n"
    "  4. the profile's IAM Identity Center settings (after aws sso login)\n"
    "  5. the profile's static keys in the credentials file\n"
    "  6. the profile's credential_process\n"
    "  7. the profile's static keys in the config file\n"
    "  8. container endpoints (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or\n"
    "     AWS_CONTAINER_CREDENTIALS_FULL_URI)\n"
    "  9. EC2 instance metadata (off with AWS_EC2_METADATA_DISABLED=true)\n"
    "The profile is --profile, else AWS_PROFILE, else \"default\", in the\n"
    "shared files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).\n"
    "\n"
    "Exit status: 0 token written, 1 error, 2 usage error. See\n"
    "rdsiam-token(1).\n";

/* "rdsiam-token: MSG['ARG']" and a hint; exit status 2. */
static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "rdsiam-token: %s", msg);
    if (arg) {
        fputs(" '", stderr);
        cli_put_escaped(arg);
        fputc('\'', stderr);
    }
    fputs("\nTry 'rdsiam-token --help'.\n", stderr);
    return 2;
}

/* What the merged settings of a job must satisfy (the command line's own
 * combinations are args.c's). */
static const char *job_problem(const cli_args *a, const cli_job *job)
{
    if ((job->every || job->then) && !job->output)
        return "--every and --then need --output FILE (or output in the "
               "config file)";
    if (job->every && a->params.signing_time)
        return "--every signs as of each write: leave out --signing-time";
    return NULL;
}

int main(int argc, char **argv)
{
    cli_args a;
    cli_job job;
    char msg[RDSIAM_ERROR_MESSAGE_SIZE];
    const char *problem;
    int status;

    switch (cli_parse(argc, argv, &a)) {
    case CLI_HELP:
        fputs(USAGE, stdout);
        fputs(USAGE_CREDENTIALS, stdout);
        return 0;
    case CLI_VERSION:
        printf("rdsiam-token %s\n", rdsiam_version());
        return 0;
    case CLI_USAGE:
        return usage_error(a.why, a.arg);
    default:
        break;
    }
    if (a.config ? cli_job_from_config(&a, &job, msg, sizeof msg) != 0
                 : cli_job_from_args(&a, &job) != 0) {
        cli_say("%s", a.config ? msg : "out of memory");
        cli_job_free(&job);
        return 1;
    }
    if ((problem = job_problem(&a, &job)) != NULL) {
        cli_job_free(&job);
        return usage_error(problem, NULL);
    }
    status = cli_run(&a, &job);
    cli_job_free(&job);
    return status;
}
