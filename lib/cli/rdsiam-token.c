/*
 * rdsiam-token - print an RDS IAM authentication token, like
 * `aws rds generate-db-auth-token`; or an ElastiCache, MemoryDB or MSK one
 * (--elasticache NAME, --memorydb NAME, --msk).
 *
 * Exit status: 0 token printed; 1 error; 2 usage error.
 * Errors are one line on stderr; stdout carries nothing but the token.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rdsiam.h>

#include "args.h"

static const char USAGE[] =
    "usage: rdsiam-token --hostname HOST --port PORT --username USER\n"
    "                    [--region REGION] [--profile NAME]\n"
    "                    [--signing-time TIME]\n"
    "       rdsiam-token --elasticache NAME [--serverless] --username USER\n"
    "       rdsiam-token --memorydb NAME --username USER\n"
    "       rdsiam-token --msk [--serverless] [--user-agent UA]\n"
    "                    (each also [--region REGION] [--profile NAME]\n"
    "                    [--signing-time TIME])\n"
    "       rdsiam-token --help | --version\n"
    "\n"
    "Print an IAM authentication token for Amazon RDS / Aurora, the same as\n"
    "`aws rds generate-db-auth-token` prints for the same inputs.\n"
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
    "  --elasticache NAME    an ElastiCache token (the AUTH password) for\n"
    "                        the cache NAME (replication group id or\n"
    "                        serverless cache name) and --username\n"
    "  --memorydb NAME       a MemoryDB token for the cluster NAME\n"
    "  --msk                 an MSK token (Kafka SASL/OAUTHBEARER)\n"
    "  --serverless          a serverless ElastiCache cache, MSK Serverless\n"
    "  --user-agent UA       MSK: the User-Agent parameter (default\n"
    "                        librdsiam/VERSION)\n"
    "\n"
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
    "Exit status: 0 token printed, 1 error, 2 usage error.\n";

/* Write s to f with control characters (C0, DEL and bytes 0x80-0x9F,
 * which 8-bit terminals read as C1 controls) as \xNN, so an argument
 * echoed in an error cannot drive the terminal or add a line. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            fprintf(f, "\\x%02X", c);
        else
            fputc(c, f);
    }
}

/* The --elasticache, --memorydb or --msk token, signed with credentials
 * from the default chain, into *out (malloc'd, owned by the caller). */
static int service_token(const cli_args *a, char **out, rdsiam_error *err)
{
    rdsiam_provider *p = NULL;
    rdsiam_cache_params cp = {.name = a->name,
                              .username = a->params.username,
                              .region = a->params.region,
                              .serverless = a->serverless,
                              .signing_time = a->params.signing_time};
    rdsiam_msk_params mp = {.region = a->params.region,
                            .serverless = a->serverless,
                            .user_agent = a->user_agent,
                            .signing_time = a->params.signing_time};
    size_t need = 0;
    int rc = rdsiam_provider_new_default(&p, &a->popts, err);

    *out = NULL;
    /* Asked for the size first (the credentials are fetched once, and
     * kept by the provider), then into a buffer of that size. */
    for (int pass = 0; rc == RDSIAM_OK && pass < 2; pass++) {
        char *buf = pass ? malloc(need) : NULL;
        size_t size = pass ? need : 0;

        if (pass && !buf)
            rc = RDSIAM_ERR_NO_MEMORY;
        else if (a->kind == CLI_MSK)
            rc = rdsiam_provider_generate_msk_token(p, &mp, buf, size, &need,
                                                    NULL, err);
        else if (a->kind == CLI_MEMORYDB)
            rc = rdsiam_provider_generate_memorydb_token(p, &cp, buf, size,
                                                         &need, err);
        else
            rc = rdsiam_provider_generate_elasticache_token(p, &cp, buf, size,
                                                            &need, err);
        if (!pass && rc == RDSIAM_ERR_BUFFER_TOO_SMALL)
            rc = RDSIAM_OK;
        else if (pass)
            *out = buf;
    }
    rdsiam_provider_free(p);
    return rc;
}

/* "rdsiam-token: MSG['ARG']" and a hint; exit status 2. */
static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "rdsiam-token: %s", msg);
    if (arg) {
        fputs(" '", stderr);
        put_escaped(stderr, arg);
        fputc('\'', stderr);
    }
    fputs("\nTry 'rdsiam-token --help'.\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    cli_args a;
    rdsiam_error err;
    char *token = NULL;
    int rc;

    switch (cli_parse(argc, argv, &a)) {
    case CLI_HELP:
        fputs(USAGE, stdout);
        return 0;
    case CLI_VERSION:
        printf("rdsiam-token %s\n", rdsiam_version());
        return 0;
    case CLI_USAGE:
        return usage_error(a.why, a.arg);
    default:
        break;
    }

    /* The region, if not given, is resolved as the AWS CLI does
     * (AWS_REGION, AWS_DEFAULT_REGION, the profile's region); inputs are
     * checked before any credential source runs. */
    if (a.kind == CLI_RDS)
        rc = rdsiam_connect_token(&a.params, &a.popts, &token, &err);
    else
        rc = service_token(&a, &token, &err);
    /* The signing key cache of this (main) thread: wiped now, not left to
     * the library's exit handler. */
    rdsiam_cache_wipe();
    if (rc == RDSIAM_ERR_NO_REGION) {
        fprintf(stderr, "rdsiam-token: no region: use --region or set "
                        "AWS_REGION, AWS_DEFAULT_REGION or the profile's "
                        "region\n");
        return 1;
    }
    if (rc != RDSIAM_OK) {
        fprintf(stderr, "rdsiam-token: %s\n",
                err.message[0] ? err.message : rdsiam_strerror(rc));
        return 1;
    }
    if (puts(token) == EOF || fflush(stdout) != 0) {
        rdsiam_token_free(token);
        fprintf(stderr, "rdsiam-token: cannot write the token: %s\n",
                strerror(errno));
        return 1;
    }
    rdsiam_token_free(token);
    return 0;
}
