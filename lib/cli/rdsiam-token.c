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
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rdsiam.h>

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
    char *token = NULL;
    const char *port_arg = NULL, *time_arg = NULL;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            params.hostname = optarg;
            break;
        case 'p':
            port_arg = optarg;
            break;
        case 'u':
            params.username = optarg;
            break;
        case 'r':
            /* the token's region, and the one STS is asked in (botocore:
             * the region of the client that needs the credentials) */
            params.region = optarg;
            popts.region = optarg;
            break;
        case 'P':
            popts.profile = optarg;
            break;
        case 't':
            time_arg = optarg;
            break;
        case 'H':
            fputs(USAGE, stdout);
            return 0;
        case 'V':
            printf("rdsiam-token %s\n", rdsiam_version());
            return 0;
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
    if (time_arg && parse_time(time_arg, &params.signing_time) != 0)
        return usage_error("--signing-time must look like "
                           "2016-11-18T22:00:00Z or 20161118T220000Z",
                           NULL);
    if (time_arg && params.signing_time == 0)
        return usage_error("--signing-time must be after 1970-01-01", NULL);
    if (popts.profile && !*popts.profile)
        return usage_error("--profile must not be empty", NULL);

    /* The region, if not given, is resolved as the AWS CLI does
     * (AWS_REGION, AWS_DEFAULT_REGION, the profile's region); inputs are
     * checked before any credential source runs. */
    rc = rdsiam_connect_token(&params, &popts, &token, &err);
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
