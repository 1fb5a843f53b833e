/*
 * sys.c - the one seam through which the library reads the clock and the
 * environment, so that tests can pin both without patching the process.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <time.h>

#include "internal.h"

static rdsiam__getenv_fn env_fn;
static void *env_ctx;
static rdsiam__now_fn clock_fn;
static void *clock_ctx;

void rdsiam__sys_set_env(rdsiam__getenv_fn fn, void *ctx)
{
    env_fn = fn;
    env_ctx = ctx;
}

void rdsiam__sys_set_clock(rdsiam__now_fn fn, void *ctx)
{
    clock_fn = fn;
    clock_ctx = ctx;
}

int64_t rdsiam__now(void)
{
    struct timespec ts;

    if (clock_fn)
        return clock_fn(clock_ctx);
    /* CLOCK_REALTIME: signatures carry wall-clock UTC time. */
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (int64_t)time(NULL);
    return (int64_t)ts.tv_sec;
}

const char *rdsiam__getenv(const char *name)
{
    if (env_fn)
        return env_fn(env_ctx, name);
    return getenv(name);
}

const char *rdsiam__getenv_nonempty(const char *name)
{
    const char *v = rdsiam__getenv(name);
    return (v && *v) ? v : NULL;
}
