/*
 * fuzz_process_split.c - the credential_process command splitter
 * (rdsiam__process_split) on arbitrary text.
 *
 * Input: the command (up to the first NUL).
 * Properties: no crash, leak or sanitizer report; either the command needs
 * a shell (argv is exactly /bin/sh -c COMMAND) or it splits into at least
 * one word, NULL-terminated, none longer than the command; a failure is
 * RDSIAM_ERR_PROCESS_FAILED (empty or too long) or RDSIAM_ERR_NO_MEMORY.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz.h"
#include "process.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rdsiam_error err;
    char *cmd, **argv = NULL;
    size_t argc = 0, n;
    bool shell = false;
    int rc;

    cmd = fuzz_text(data, size);
    if (!cmd)
        return 0;
    n = strlen(cmd);
    rc = rdsiam__process_split(cmd, &argv, &argc, &shell, &err);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(argc >= 1 && argv[argc] == NULL);
        if (shell) {
            FUZZ_CHECK(argc == 3 && strcmp(argv[0], "/bin/sh") == 0 &&
                       strcmp(argv[1], "-c") == 0 && strcmp(argv[2], cmd) == 0);
        } else {
            for (size_t i = 0; i < argc; i++)
                FUZZ_CHECK(strlen(argv[i]) <= n);
        }
    } else {
        FUZZ_CHECK(argv == NULL);
        FUZZ_CHECK(rc == RDSIAM_ERR_PROCESS_FAILED ||
                   rc == RDSIAM_ERR_NO_MEMORY);
        FUZZ_CHECK(err.code == rc);
    }
    free(argv);
    free(cmd);
    return 0;
}
