/*
 * provider.h - the internal side of the caching provider object
 * (provider.c), which wraps one source: a chain (chain.h) or any other.
 * Sources themselves are declared in source.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_PROVIDER_H
#define RDSIAM_PROVIDER_H

#include "chain.h"
#include "source.h"

/*
 * Wrap one source in a caching provider. Ownership of the source passes
 * to the provider, also on failure (it is destroyed). opts may be NULL
 * (only flags, refresh_before and region are read here).
 */
int rdsiam__provider_new(rdsiam_provider **out, rdsiam__source src,
                         const rdsiam_provider_options *opts,
                         rdsiam_error *err);

/* Tests only: the longest real-time wait, in milliseconds, of a background
 * refresh thread between two looks at rdsiam__now() (default 10000), so a
 * test that moves a pinned clock sees the thread react quickly. */
void rdsiam__provider_set_tick_ms(long ms);

/* Tests only: the random source of the backoff's jitter (NULL: each
 * provider's own generator, seeded from the clocks, pid and address). It
 * is called with the provider's lock held, so it must not call back into
 * the provider. Not thread-safe; call before starting threads. */
typedef uint64_t (*rdsiam__random_fn)(void *ctx);
void rdsiam__provider_set_random(rdsiam__random_fn fn, void *ctx);

/*
 * Sign a token with the provider's credentials: sign(ctx, creds, err) runs
 * once, with the cached credentials (refreshed if due, fetched if none are
 * usable: rdsiam_provider_generate_token()'s rules) borrowed for the call,
 * and its result is returned; when no credentials can be had, the fetch's
 * error is returned and sign does not run. sign must not block: it may run
 * on the lock-free path. *region is the token's region: when NULL it is
 * set to the provider's first (options.region, or resolved on first need
 * and kept), so sign finds it in place; the caller checks its other inputs
 * first (a typo must not cost a region look-up or a fetch).
 */
typedef int (*rdsiam__sign_fn)(void *ctx, const rdsiam_credentials *creds,
                               rdsiam_error *err);
int rdsiam__provider_sign(rdsiam_provider *p, const char **region,
                          rdsiam__sign_fn sign, void *ctx, rdsiam_error *err);

#endif /* RDSIAM_PROVIDER_H */
