/*
 * fake_env.c - see fake_env.h.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers/fake_env.h"
#include "internal.h"

#define FAKE_ENV_MAX 32

static const char *names[FAKE_ENV_MAX];
static const char *values[FAKE_ENV_MAX];

void fake_env_reset(void)
{
    memset(names, 0, sizeof names);
    memset(values, 0, sizeof values);
}

void fake_env_set(const char *name, const char *value)
{
    for (int i = 0; i < FAKE_ENV_MAX; i++)
        if (!names[i] || strcmp(names[i], name) == 0) {
            names[i] = name;
            values[i] = value;
            return;
        }
    fail_msg("test environment full");
}

const char *fake_env_get(void *ctx, const char *name)
{
    (void)ctx;
    for (int i = 0; i < FAKE_ENV_MAX; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return values[i];
    return NULL;
}

void fake_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

int fake_home_setup(fake_home *h, const char *tag)
{
    fake_env_reset();
    snprintf(h->dir, sizeof h->dir, "/tmp/rdsiam-%s-XXXXXX", tag);
    if (!mkdtemp(h->dir))
        return -1;
    snprintf(h->config, sizeof h->config, "%s/config", h->dir);
    snprintf(h->credentials, sizeof h->credentials, "%s/credentials", h->dir);
    fake_env_set("HOME", h->dir);
    fake_env_set("AWS_CONFIG_FILE", h->config);
    fake_env_set("AWS_SHARED_CREDENTIALS_FILE", h->credentials);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
    rdsiam__sys_set_env(fake_env_get, NULL);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes the whole fake home: the profile files and whatever a test put
 * beside them (token files, caches, sub-folders). */
void fake_home_teardown(fake_home *h)
{
    rdsiam__sys_set_env(NULL, NULL);
    if (h->dir[0])
        assert_int_equal(nftw(h->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
    h->dir[0] = '\0';
}
