/*
 * verify_token.c - a token from stdin checked with
 * rdsiam_verify_service_token(), for the check scripts of the service
 * examples (tests/check-example-msk.sh).
 *
 *   verify-token KEYFILE elasticache|memorydb|msk REGION [NAME USER]
 *                [--serverless] [--now SECONDS]
 *
 * Prints "ok", or "refused CODE MESSAGE" (the verifier's message, which
 * never quotes the token); exits 0 or 1, and 2 on a usage error.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsiam.h"

static int usage(void)
{
    fprintf(stderr, "usage: verify-token KEYFILE elasticache|memorydb|msk "
                    "REGION [NAME USER] [--serverless] [--now SECONDS]\n");
    return 2;
}

int main(int argc, char **argv)
{
    static char token[65536];
    rdsiam_verify_service_params vp = {0};
    rdsiam_keystore *ks = NULL;
    rdsiam_error err;
    size_t n;
    int i = 4, rc;

    if (argc < 4)
        return usage();
    if (strcmp(argv[2], "elasticache") == 0)
        vp.service = RDSIAM_SERVICE_ELASTICACHE;
    else if (strcmp(argv[2], "memorydb") == 0)
        vp.service = RDSIAM_SERVICE_MEMORYDB;
    else if (strcmp(argv[2], "msk") == 0)
        vp.service = RDSIAM_SERVICE_MSK;
    else
        return usage();
    vp.region = argv[3];
    if (vp.service != RDSIAM_SERVICE_MSK) {
        if (argc < 6)
            return usage();
        vp.name = argv[4];
        vp.username = argv[5];
        i = 6;
    }
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--serverless") == 0)
            vp.serverless = 1;
        else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc)
            vp.now = strtoll(argv[++i], NULL, 10);
        else
            return usage();
    }
    n = fread(token, 1, sizeof token - 1, stdin);
    while (n && (token[n - 1] == '\n' || token[n - 1] == '\r'))
        n--;
    if (rdsiam_keystore_load(argv[1], &ks, &err) != RDSIAM_OK) {
        printf("refused %d %s\n", err.code, err.message);
        return 1;
    }
    rc = rdsiam_verify_service_token(token, n, &vp, ks, &err);
    rdsiam_keystore_free(ks);
    if (rc != RDSIAM_OK) {
        printf("refused %d %s\n", rc, err.message);
        return 1;
    }
    printf("ok\n");
    return 0;
}
