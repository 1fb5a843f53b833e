/*
 * fake_env.h - a pinned environment for tests, installed through the
 * library's seam (rdsiam__sys_set_env), and a temporary HOME holding the
 * shared config and credentials files.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_TEST_FAKE_ENV_H
#define RDSIAM_TEST_FAKE_ENV_H

/* Forget every variable. */
void fake_env_reset(void);
/* Set name to value (both borrowed: they must outlive the test); a NULL
 * value makes the variable unset. Fails the test when the table is full. */
void fake_env_set(const char *name, const char *value);
/* The rdsiam__getenv_fn that answers from the table. */
const char *fake_env_get(void *ctx, const char *name);

/* A temporary HOME: dir, and the paths of its config and credentials
 * files (not created). */
typedef struct fake_home {
    char dir[64];
    char config[128];
    char credentials[128];
} fake_home;

/* Reset the table, create the directory, point HOME, AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE at it, set AWS_EC2_METADATA_DISABLED and
 * install the table as the library's environment. 0 on success. */
int fake_home_setup(fake_home *h, const char *tag);
/* Restore the process environment and remove the files and directory. */
void fake_home_teardown(fake_home *h);
/* Write text to path, failing the test on any error. */
void fake_write_file(const char *path, const char *text);

#endif
