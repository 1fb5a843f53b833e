/*
 * wipes.c - count wipes of regions holding a marker; see wipes.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include "wipes.h"

#include <string.h>

#include "internal.h"

static int seen;

static void observe(const void *p, size_t n, void *ctx)
{
    size_t m = strlen(ctx);

    for (size_t i = 0; i + m <= n; i++)
        if (memcmp((const char *)p + i, ctx, m) == 0) {
            seen++;
            return;
        }
}

void wipes_watch(const char *marker)
{
    seen = 0;
    rdsiam__set_wipe_observer(observe, (void *)(uintptr_t)marker);
}

int wipes_stop(void)
{
    rdsiam__set_wipe_observer(NULL, NULL);
    return seen;
}
