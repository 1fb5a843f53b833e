/*
 * profile_fs.h - temporary directories and files for the profile and
 * credential_process tests.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_PROFILE_FS_H
#define RDSIAM_TEST_PROFILE_FS_H

#include <stddef.h>

/* Create a fresh directory under /tmp; dir receives its path. 0 on success. */
int profile_fs_mkdtemp(char *dir, size_t n);
/* Write text to dir/rel (creating parent directories) with mode; the full
 * path goes to out (may be NULL). 0 on success. */
int profile_fs_write(const char *dir, const char *rel, const char *text,
                     unsigned mode, char *out, size_t outn);
/* Remove dir and everything below it. */
void profile_fs_rmtree(const char *dir);

#endif
