/*
 * fuzz_verify_token.c - rdsiam_verify_token() and
 * rdsiam_verify_service_token() on arbitrary tokens.
 *
 * The key store holds two keys: a long-term one and one that requires a
 * session token. The input is checked as an RDS token, and, its first byte
 * picking the service (its value modulo 3: ElastiCache, MemoryDB, MSK) and
 * a serverless server (bit 2), the rest as a token of that service. The
 * seeds in tests/fuzz/corpus/fuzz_verify_token are RDS tokens (long-term,
 * session) and, prefixed by their byte, ElastiCache, MemoryDB and MSK ones
 * (service-*), signed with both keys for the servers below at FUZZ_NOW, so
 * mutations reach every check.
 *
 * Properties, for both calls: no crash or sanitizer report; the result is
 * RDSIAM_OK or one of the verifier's codes; a failure always has a
 * message, and no message ever contains a secret key or a session token.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

#include <rdsiam.h>

#include "fuzz.h"

/* Keep in step with the committed seed tokens
 * (tests/fuzz/corpus/fuzz_verify_token/). */
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
    fprintf(f, "# fuzz keys\n%s %s\n%s\t%s %s\n", KEY1, SECRET1, KEY2, SECRET2,
            SESSION2);
    fclose(f);
    if (rdsiam_keystore_load(path, &ks, NULL) != RDSIAM_OK)
        abort();
    unlink(path);
    return 0;
}

/* The properties of a verifier's answer. */
static void check_answer(int rc, const rdsiam_error *err)
{
    FUZZ_CHECK(
        rc == RDSIAM_OK || rc == RDSIAM_ERR_NO_MEMORY ||
        (rc <= RDSIAM_ERR_TOKEN_MALFORMED && rc >= RDSIAM_ERR_TOKEN_SESSION));
    FUZZ_CHECK(err->code == rc);
    FUZZ_CHECK(rc == RDSIAM_OK || err->message[0] != '\0');
    FUZZ_CHECK(!strstr(err->message, SECRET1) &&
               !strstr(err->message, SECRET2));
    FUZZ_CHECK(!strstr(err->message, SESSION2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rdsiam_service services[] = {RDSIAM_SERVICE_ELASTICACHE,
                                              RDSIAM_SERVICE_MEMORYDB,
                                              RDSIAM_SERVICE_MSK};
    rdsiam_verify_params vp;
    rdsiam_verify_service_params sp;
    rdsiam_error err;

    memset(&vp, 0, sizeof vp);
    vp.hostname = "db.example.com";
    vp.port = 3306;
    vp.region = "us-east-1";
    vp.username = "fuzz_user";
    vp.now = FUZZ_NOW;
    check_answer(rdsiam_verify_token((const char *)data, size, &vp, ks, &err),
                 &err);
    if (size < 1)
        return 0;
    memset(&sp, 0, sizeof sp);
    sp.service = services[data[0] % 3];
    sp.serverless = (data[0] & 4) && sp.service != RDSIAM_SERVICE_MEMORYDB;
    if (sp.service != RDSIAM_SERVICE_MSK) {
        sp.name = "fuzz-cache";
        sp.username = "fuzz_user";
    }
    sp.region = "us-east-1";
    sp.now = FUZZ_NOW;
    check_answer(rdsiam_verify_service_token((const char *)data + 1, size - 1,
                                             &sp, ks, &err),
                 &err);
    return 0;
}
