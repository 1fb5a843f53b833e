/*
 * test_file.c - the reader of files that may hold secrets (lib/file.c):
 * whole files read exactly, the size limit, missing files and anything
 * that is not a regular file (a directory, a FIFO, /dev/null), with and
 * without the flags that make them count as absent, and the wipe of what
 * was read.
 *
 * Expected messages are the forms lib/file.h documents ("cannot open
 * WHAT: reason", "WHAT is not a regular file", "WHAT is larger than MAX
 * bytes"), the reasons glibc's strerror texts.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "file.h"
#include "helpers/profile_fs.h"
#include "helpers/wipes.h"
#include "internal.h"

typedef struct {
    char dir[64];
    char path[128];
} tmpdir;

static int setup(void **state)
{
    tmpdir *t = calloc(1, sizeof(*t));

    if (!t || profile_fs_mkdtemp(t->dir, sizeof(t->dir)) != 0) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmpdir *t = *state;

    profile_fs_rmtree(t->dir);
    free(t);
    return 0;
}

/* Write len bytes into DIR/name; the path in t->path. */
static const char *put(tmpdir *t, const char *name, const void *data,
                       size_t len)
{
    FILE *f;

    snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
    f = fopen(t->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return t->path;
}

static void test_reads_whole_file(void **state)
{
    tmpdir *t = *state;
    rdsiam__buf b;
    rdsiam_error err;
    bool found = false;
    char big[10000];

    /* Bytes as they are, a NUL among them; a NUL added after. */
    rdsiam__buf_init(&b, 100);
    assert_int_equal(rdsiam__file_read(put(t, "a", "x\0y\n", 4), "the file",
                                       100, RDSIAM_ERR_SIGV4_TOO_LARGE, 0, &b,
                                       &found, &err),
                     RDSIAM_OK);
    assert_true(found);
    assert_int_equal(err.code, RDSIAM_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "x\0y\n\0", 5);
    rdsiam__buf_free(&b);

    /* More than one 4096-byte read. */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    rdsiam__buf_init(&b, sizeof(big));
    assert_int_equal(rdsiam__file_read(put(t, "big", big, sizeof(big)), "big",
                                       sizeof(big), RDSIAM_ERR_SIGV4_TOO_LARGE,
                                       0, &b, NULL, &err),
                     RDSIAM_OK);
    assert_int_equal(b.len, sizeof(big));
    assert_memory_equal(b.data, big, sizeof(big));
    rdsiam__buf_free(&b);

    /* An empty file is an empty string, not no data. */
    rdsiam__buf_init(&b, 100);
    assert_int_equal(rdsiam__file_read(put(t, "empty", "", 0), "empty", 100,
                                       RDSIAM_ERR_SIGV4_TOO_LARGE, 0, &b,
                                       &found, &err),
                     RDSIAM_OK);
    assert_true(found);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    rdsiam__buf_free(&b);
}

static void test_size_limit(void **state)
{
    tmpdir *t = *state;
    rdsiam__buf b;
    rdsiam_error err;
    bool found = true;

    /* max bytes exactly: read. */
    rdsiam__buf_init(&b, 100);
    assert_int_equal(
        rdsiam__file_read(put(t, "ten", "0123456789", 10), "the ten", 10,
                          RDSIAM_ERR_PROFILE_INVALID, 0, &b, NULL, &err),
        RDSIAM_OK);
    assert_string_equal(b.data, "0123456789");
    rdsiam__buf_free(&b);
    /* One more: the caller's code, and nothing read. */
    rdsiam__buf_init(&b, 100);
    assert_int_equal(
        rdsiam__file_read(put(t, "eleven", "0123456789a", 11), "the eleven", 10,
                          RDSIAM_ERR_PROFILE_INVALID, 0, &b, &found, &err),
        RDSIAM_ERR_PROFILE_INVALID);
    assert_false(found);
    assert_int_equal(err.code, RDSIAM_ERR_PROFILE_INVALID);
    assert_string_equal(err.message, "the eleven is larger than 10 bytes");
    assert_null(b.data);
    rdsiam__buf_free(&b);
}

static void test_missing(void **state)
{
    tmpdir *t = *state;
    rdsiam__buf b;
    rdsiam_error err;
    bool found = true;
    char path[160], notdir[200];

    snprintf(path, sizeof(path), "%s/none", t->dir);
    rdsiam__buf_init(&b, 100);
    assert_int_equal(rdsiam__file_read(path, "the token file", 100,
                                       RDSIAM_ERR_SIGV4_TOO_LARGE, 0, &b,
                                       &found, &err),
                     RDSIAM_ERR_FILE_IO);
    assert_false(found);
    assert_string_equal(
        err.message, "cannot open the token file: No such file or directory");
    /* Missing is no error with RDSIAM__FILE_MISSING_OK, a file below a
     * file (ENOTDIR) included. */
    found = true;
    assert_int_equal(
        rdsiam__file_read(path, "x", 100, RDSIAM_ERR_SIGV4_TOO_LARGE,
                          RDSIAM__FILE_MISSING_OK, &b, &found, &err),
        RDSIAM_OK);
    assert_false(found);
    assert_string_equal(err.message, "");
    snprintf(notdir, sizeof(notdir), "%s/x", put(t, "plain", "data", 4));
    found = true;
    assert_int_equal(
        rdsiam__file_read(notdir, "x", 100, RDSIAM_ERR_SIGV4_TOO_LARGE,
                          RDSIAM__FILE_MISSING_OK, &b, &found, &err),
        RDSIAM_OK);
    assert_false(found);
    assert_null(b.data);
}

/* path is not a regular file: an error without the flag, absent with it. */
static void expect_special(const char *path)
{
    rdsiam__buf b;
    rdsiam_error err;
    bool found = true;

    rdsiam__buf_init(&b, 100);
    assert_int_equal(rdsiam__file_read(path, "the config file", 100,
                                       RDSIAM_ERR_SIGV4_TOO_LARGE, 0, &b,
                                       &found, &err),
                     RDSIAM_ERR_FILE_IO);
    assert_false(found);
    assert_string_equal(err.message, "the config file is not a regular file");
    found = true;
    assert_int_equal(rdsiam__file_read(path, "the config file", 100,
                                       RDSIAM_ERR_SIGV4_TOO_LARGE,
                                       RDSIAM__FILE_SPECIAL_ABSENT, &b, &found,
                                       &err),
                     RDSIAM_OK);
    assert_false(found);
    assert_null(b.data);
}

static void test_not_regular(void **state)
{
    tmpdir *t = *state;
    char fifo[160];

    expect_special(t->dir);
    expect_special("/dev/null");
    /* A FIFO nobody writes to: the open does not block (O_NONBLOCK). */
    snprintf(fifo, sizeof(fifo), "%s/fifo", t->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_special(fifo);
}

static void test_read_is_wiped(void **state)
{
    static const char marker[] = "file-secret-marker";
    tmpdir *t = *state;
    rdsiam__buf b;
    rdsiam_error err;

    put(t, "secret", marker, strlen(marker));
    rdsiam__buf_init(&b, 100);
    /* The read chunk, wiped before the call returns... */
    wipes_watch(marker);
    assert_int_equal(rdsiam__file_read(t->path, "secret", 100,
                                       RDSIAM_ERR_SIGV4_TOO_LARGE, 0, &b, NULL,
                                       &err),
                     RDSIAM_OK);
    assert_int_equal(wipes_stop(), 1);
    assert_string_equal(b.data, marker);
    /* ...and the caller's copy when it frees the buffer. */
    wipes_watch(marker);
    rdsiam__buf_free(&b);
    assert_int_equal(wipes_stop(), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_whole_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_regular, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_is_wiped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
