/*
 * fuzz_keystore.c - rdsiam_keystore_load() on arbitrary key files.
 *
 * Properties: no crash, leak or sanitizer report; a failure is
 * RDSIAM_ERR_KEYFILE or RDSIAM_ERR_FILE_IO with a message naming the file,
 * and leaves no key store behind.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

#include <rdsiam.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/rdsiam-fuzz-keyfile.XXXXXX";

static void remove_file(void) { unlink(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int fd = mkstemp(path);

    (void)argc;
    (void)argv;
    if (fd < 0)
        abort();
    close(fd);
    atexit(remove_file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rdsiam_keystore *ks = NULL;
    rdsiam_error err;
    FILE *f = fopen(path, "wb");
    int rc;

    if (!f)
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);
    rc = rdsiam_keystore_load(path, &ks, &err);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(ks != NULL);
    } else {
        FUZZ_CHECK(ks == NULL);
        FUZZ_CHECK(rc == RDSIAM_ERR_KEYFILE || rc == RDSIAM_ERR_FILE_IO ||
                   rc == RDSIAM_ERR_NO_MEMORY);
        FUZZ_CHECK(err.code == rc && strstr(err.message, path) != NULL);
    }
    rdsiam_keystore_free(ks);
    return 0;
}
