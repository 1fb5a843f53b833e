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
    "                    [--region REGION] [--signing-time TIME]\n"
    "       rdsiam-token --help | --version\n"
    "\n"
    "Print an IAM authentication token for Amazon RDS / Aurora, the same as\n"
    "`aws rds generate-db-auth-token` prints for the same inputs.\n"
    "\n"
    "  --hostname HOST       database endpoint, without scheme or port\n"
    "  --port PORT           database port (1-65535)\n"
    "  --username USER       database user name\n"
    "  --region REGION       signing region (default: AWS_REGION, then\n"
    "                        AWS_DEFAULT_REGION)\n"
    "  --signing-time TIME   sign as of TIME, 2016-11-18T22:00:00Z or\n"
    "                        20161118T220000Z (default: now)\n"
    "\n"
    "Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and\n"
    "AWS_SESSION_TOKEN.\n";

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

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"hostname", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"username", required_argument, NULL, 'u'},
        {"region", required_argument, NULL, 'r'},
        {"signing-time", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'H'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    rdsiam_token_params params = {0};
    rdsiam_credentials creds = {0};
    rdsiam_error err;
    char *token = NULL;
    const char *port_arg = NULL, *time_arg = NULL;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h': params.hostname = optarg; break;
        case 'p': port_arg = optarg; break;
        case 'u': params.username = optarg; break;
        case 'r': params.region = optarg; break;
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

    if (!params.region)
        params.region = rdsiam__getenv_nonempty("AWS_REGION");
    if (!params.region)
        params.region = rdsiam__getenv_nonempty("AWS_DEFAULT_REGION");
    if (!params.region) {
        fprintf(stderr, "rdsiam-token: no region: use --region or set "
                        "AWS_REGION\n");
        return 1;
    }
    creds.access_key_id = rdsiam__getenv_nonempty("AWS_ACCESS_KEY_ID");
    creds.secret_access_key = rdsiam__getenv_nonempty("AWS_SECRET_ACCESS_KEY");
    creds.session_token = rdsiam__getenv_nonempty("AWS_SESSION_TOKEN");
    if (!creds.access_key_id || !creds.secret_access_key) {
        fprintf(stderr, "rdsiam-token: no credentials: set %s\n",
                creds.access_key_id ? "AWS_SECRET_ACCESS_KEY"
                                    : "AWS_ACCESS_KEY_ID and "
                                      "AWS_SECRET_ACCESS_KEY");
        return 1;
    }

    rc = rdsiam_token_alloc(&params, &creds, &token, &err);
    if (rc != RDSIAM_OK) {
        fprintf(stderr, "rdsiam-token: %s\n", err.message);
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
