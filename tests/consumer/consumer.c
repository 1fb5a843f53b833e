/*
 * tests/consumer/consumer.c - a program that links librdsiam as a user
 * would, built by check-install.sh (with pkg-config) and check-cmake.sh
 * (with find_package) against a staged install.
 *
 * consumer HOST PORT USER REGION SIGNING_TIME AKID SECRET prints
 * rdsiam_version() and the token, one per line; exit 1 with the error
 * name on failure, 2 on a wrong argument count.
 *
 * SPDX-License-Identifier: MIT
 */
#include <rdsiam.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    rdsiam_credentials creds = {0};
    rdsiam_token_params params = {0};
    char token[2048];
    int rc;

    if (argc != 8)
        return 2;
    params.hostname = argv[1];
    params.port = (unsigned int)strtoul(argv[2], NULL, 10);
    params.username = argv[3];
    params.region = argv[4];
    params.signing_time = (int64_t)strtoll(argv[5], NULL, 10);
    creds.access_key_id = argv[6];
    creds.secret_access_key = argv[7];
    rc = rdsiam_generate_token(&params, &creds, token, sizeof token);
    if (rc != RDSIAM_OK) {
        fprintf(stderr, "%s\n", rdsiam_strerror(rc));
        return 1;
    }
    printf("%s\n%s\n", rdsiam_version(), token);
    return 0;
}
