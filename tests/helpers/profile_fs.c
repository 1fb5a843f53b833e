/*
 * profile_fs.c - temporary directories and files for the profile and
 * credential_process tests.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/profile_fs.h"

int profile_fs_mkdtemp(char *dir, size_t n)
{
    if (n < 32)
        return -1;
    snprintf(dir, n, "/tmp/rdsiam-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

int profile_fs_write(const char *dir, const char *rel, const char *text,
                     unsigned mode, char *out, size_t outn)
{
    char path[4096];
    char *slash;
    FILE *f;
    int len = snprintf(path, sizeof(path), "%s/%s", dir, rel);

    if (len < 0 || (size_t)len >= sizeof(path))
        return -1;
    /* parent directories below dir */
    for (slash = path + strlen(dir) + 1; (slash = strchr(slash, '/')) != NULL;
         slash++) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    f = fopen(path, "wb");
    if (!f)
        return -1;
    if (fwrite(text, 1, strlen(text), f) != strlen(text)) {
        fclose(f);
        return -1;
    }
    if (fclose(f) != 0 || chmod(path, (mode_t)mode) != 0)
        return -1;
    if (out && outn) {
        if (strlen(path) >= outn)
            return -1;
        memcpy(out, path, strlen(path) + 1);
    }
    return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

void profile_fs_rmtree(const char *dir)
{
    if (dir && *dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
