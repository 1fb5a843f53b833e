/*
 * fuzz_verify_service_token.c - rdsiam_verify_service_token() on arbitrary
 * tokens: ElastiCache (serverless or not), MemoryDB and MSK.
 *
 * The first input byte picks the service (its value modulo 3) and whether
 * the server is serverless (bit 2); the rest is the token. The key store
 * holds fuzz_verify_token's two keys, and the seeds in
 * tests/fuzz/corpus/fuzz_verify_service_token are tokens of each kind
 * signed with them for the servers below at FUZZ_NOW, so mutations reach
 * every check (MSK seeds through the base64url decoding).
 *
 * Properties: no crash or sanitizer report; the result is RDSIAM_OK or one
 * of the verifier's codes; a failure always has a message, and no message
 * ever contains a secret key or a session token.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

#include <rdsiam.h>

#include "fuzz.h"

/* fuzz_verify_token's keys and time. */
#define KEY1 "AKIDFUZZLONGTERM"
#define SECRET1 "fuzzSecretKeyNumberOne/+=0123456789abcdef"
#define KEY2 "ASIAFUZZSESSION"
#define SECRET2 "fuzzSecretKeyNumberTwo/+=0123456789abcdef"
#define SESSION2 "FQoGZXIvYXdzEJr//////////wEaDFUZZsessionTOKEN+/="
#define FUZZ_NOW INT64_C(1704164645) /* 2024-01-02T03:04:05Z */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rdsiam_keystore *ks;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char path[] = "/tmp/rdsiam-fuzz-keys.XXXXXX";
    int fd = mkstemp(path);
    FILE *f;

    (void)argc;
    (void)argv;
    if (fd < 0 || !(f = fdopen(fd, "w")))
        abort();
    fprintf(f, "%s %s\n%s %s %s\n", KEY1, SECRET1, KEY2, SECRET2, SESSION2);
    fclose(f);
    if (rdsiam_keystore_load(path, &ks, NULL) != RDSIAM_OK)
        abort();
    unlink(path);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rdsiam_service services[] = {RDSIAM_SERVICE_ELASTICACHE,
                                              RDSIAM_SERVICE_MEMORYDB,
                                              RDSIAM_SERVICE_MSK};
    rdsiam_verify_service_params vp;
    rdsiam_error err;
    int rc;

    if (size < 1)
        return 0;
    memset(&vp, 0, sizeof vp);
    vp.service = services[data[0] % 3];
    vp.serverless = (data[0] & 4) && vp.service != RDSIAM_SERVICE_MEMORYDB;
    if (vp.service != RDSIAM_SERVICE_MSK) {
        vp.name = "fuzz-cache";
        vp.username = "fuzz_user";
    }
    vp.region = "us-east-1";
    vp.now = FUZZ_NOW;
    rc = rdsiam_verify_service_token((const char *)data + 1, size - 1, &vp, ks,
                                     &err);
    FUZZ_CHECK(rc == RDSIAM_OK || rc == RDSIAM_ERR_NO_MEMORY ||
               (rc <= RDSIAM_ERR_TOKEN_MALFORMED &&
                rc >= RDSIAM_ERR_TOKEN_SESSION));
    FUZZ_CHECK(err.code == rc);
    FUZZ_CHECK(rc == RDSIAM_OK || err.message[0] != '\0');
    FUZZ_CHECK(!strstr(err.message, SECRET1) && !strstr(err.message, SECRET2));
    FUZZ_CHECK(!strstr(err.message, SESSION2));
    return 0;
}
