/*
 * rdsiam-token - print an RDS IAM authentication token, like
 * `aws rds generate-db-auth-token`.
 *
 * Exit status: 0 token printed; 1 error; 2 usage error.
 * Errors are one line on stderr; stdout carries nothing but the token.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "rdsiam.h"

static const char USAGE[] =
    "usage: rdsiam-token --hostname HOST --port PORT --username USER\n"
    "                    [--region REGION] [--profile NAME]\n"
    "                    [--signing-time TIME]\n"
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

/* "rdsiam-token: MSG['ARG']" and a hint; exit status 2. */
static int usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "rdsiam-token: %s '%s'\n", msg, arg);
    else
        fprintf(stderr, "rdsiam-token: %s\n", msg);
    fprintf(stderr, "Try 'rdsiam-token --help'.\n");
    return 2;
}

static int parse_port(const char *s, unsigned int *port)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 65535)
        return -1;
    *port = (unsigned int)v;
    return 0;
}

/* Credentials from the default chain (or the one profile), then the
 * token. Inputs are checked first, so a typo does not cost a fetch. */
static int token_from_chain(const rdsiam_token_params *params,
                            const rdsiam_provider_options *popts,
                            char **token, rdsiam_error *err)
{
    rdsiam_provider *p = NULL;
    size_t need = 0;
    char *buf;
    int rc;

    *token = NULL;
    /* sizing with placeholder credentials validates every other input */
    {
        const rdsiam_credentials probe = {"AKIDPROBE", "probe", NULL, 0};
        rc = rdsiam_generate_token_ex(params, &probe, NULL, 0, NULL, err);
        if (rc != RDSIAM_ERR_BUFFER_TOO_SMALL)
            return rc;
    }
    rc = rdsiam_provider_new_default(&p, popts, err);
    if (rc != RDSIAM_OK)
        return rc;
    /* A session token can make the token larger than the probe's, so ask
     * for the exact size with the real credentials. */
    rc = rdsiam_provider_generate_token(p, params, NULL, 0, &need, err);
    if (rc == RDSIAM_ERR_BUFFER_TOO_SMALL && need > 0) {
        buf = malloc(need);
        if (!buf) {
            rc = RDSIAM_ERR_NO_MEMORY;
            err->message[0] = '\0';
        } else {
            rc = rdsiam_provider_generate_token(p, params, buf, need, NULL,
                                                err);
            if (rc == RDSIAM_OK)
                *token = buf;
            else
                rdsiam_token_free(buf);
        }
    }
    rdsiam_provider_free(p);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"hostname", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"username", required_argument, NULL, 'u'},
        {"region", required_argument, NULL, 'r'},
        {"signing-time", required_argument, NULL, 't'},
        {"profile", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'H'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    rdsiam_token_params params = {0};
    rdsiam_provider_options popts = {0};
    rdsiam_error err;
    char region[RDSIAM_REGION_MAX + 1];
    char *token = NULL;
    const char *port_arg = NULL, *time_arg = NULL, *region_arg = NULL;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h': params.hostname = optarg; break;
        case 'p': port_arg = optarg; break;
        case 'u': params.username = optarg; break;
        case 'r': region_arg = optarg; break;
        case 'P': popts.profile = optarg; break;
        case 't': time_arg = optarg; break;
        case 'H': fputs(USAGE, stdout); return 0;
        case 'V': printf("rdsiam-token %s\n", rdsiam_version()); return 0;
        default:
            return usage_error("unknown option or missing value:",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (!params.hostname)
        return usage_error("--hostname is required", NULL);
    if (!port_arg)
        return usage_error("--port is required", NULL);
    if (!params.username)
        return usage_error("--username is required", NULL);
    if (parse_port(port_arg, &params.port) != 0)
        return usage_error("--port must be a number from 1 to 65535", NULL);
    if (time_arg && rdsiam__parse_time(time_arg, &params.signing_time) != 0)
        return usage_error("--signing-time must look like "
                                 "2016-11-18T22:00:00Z or 20161118T220000Z", NULL);
    if (time_arg && params.signing_time == 0)
        return usage_error("--signing-time must be after 1970-01-01", NULL);
    if (popts.profile && !*popts.profile)
        return usage_error("--profile must not be empty", NULL);

    rc = rdsiam_resolve_region(region_arg, popts.profile, region,
                               sizeof region, &err);
    if (rc == RDSIAM_ERR_NO_REGION) {
        fprintf(stderr, "rdsiam-token: no region: use --region or set "
                        "AWS_REGION, AWS_DEFAULT_REGION or the profile's "
                        "region\n");
        return 1;
    }
    if (rc == RDSIAM_OK) {
        params.region = region;
        popts.region = region; /* STS is called in the token's region */
        rc = token_from_chain(&params, &popts, &token, &err);
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
