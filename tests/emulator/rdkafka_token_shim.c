/*
 * rdkafka_token_shim.c - an LD_PRELOAD shim for tests/check-example-msk.sh:
 * it records what a program hands librdkafka's
 * rd_kafka_oauthbearer_set_token() (the token, md_lifetime_ms, the
 * principal, and librdkafka's answer) and
 * rd_kafka_oauthbearer_set_token_failure() (the message), one call a line
 * in the file $RDSIAM_SHIM_OUT, then calls the real functions. So the
 * check runs the unmodified example against the real librdkafka, with no
 * broker. Test code: the token it writes is a test key's.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

typedef rd_kafka_resp_err_t (*set_token_fn)(rd_kafka_t *, const char *, int64_t,
                                            const char *, const char **, size_t,
                                            char *, size_t);
typedef rd_kafka_resp_err_t (*set_failure_fn)(rd_kafka_t *, const char *);

/* The next definition of name (librdkafka's), as a function pointer
 * (copied: ISO C has no cast from an object pointer to a function one). */
static void next(const char *name, void *fn, size_t size)
{
    void *sym = dlsym(RTLD_NEXT, name);
    memcpy(fn, &sym, size);
}

/* One line at the end of $RDSIAM_SHIM_OUT. */
static void record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void record(const char *fmt, ...)
{
    const char *path = getenv("RDSIAM_SHIM_OUT");
    FILE *f = path ? fopen(path, "a") : NULL;
    va_list ap;

    if (!f)
        return;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

rd_kafka_resp_err_t rd_kafka_oauthbearer_set_token(
    rd_kafka_t *rk, const char *token_value, int64_t md_lifetime_ms,
    const char *md_principal_name, const char **extensions,
    size_t extension_size, char *errstr, size_t errstr_size)
{
    set_token_fn real;
    rd_kafka_resp_err_t rc;

    next("rd_kafka_oauthbearer_set_token", &real, sizeof real);
    rc = real(rk, token_value, md_lifetime_ms, md_principal_name, extensions,
              extension_size, errstr, errstr_size);
    record("set_token %s %lld %s %d %zu\n", token_value,
           (long long)md_lifetime_ms, md_principal_name, (int)rc,
           extension_size);
    return rc;
}

rd_kafka_resp_err_t rd_kafka_oauthbearer_set_token_failure(rd_kafka_t *rk,
                                                           const char *errstr)
{
    set_failure_fn real;

    next("rd_kafka_oauthbearer_set_token_failure", &real, sizeof real);
    record("set_token_failure %s\n", errstr);
    return real(rk, errstr);
}
