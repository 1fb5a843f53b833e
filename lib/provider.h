/*
 * provider.h - the internal side of the caching provider object
 * (provider.c) and of the chains (chain.c). Sources themselves are
 * declared in source.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_PROVIDER_H
#define RDSIAM_PROVIDER_H

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

/* One entry of a chain: a source constructor, and whether the source is
 * kept when the caller names a profile (every source but the environment,
 * as in botocore). */
typedef struct rdsiam__chain_link {
    rdsiam__source_new_fn make;
    bool with_profile;
} rdsiam__chain_link;

/*
 * A source made of a list: each fetch opens a resolution (opts: profile,
 * timeout_ms), builds the links' sources in order and returns the first
 * credentials found. RDSIAM_ERR_NO_CREDENTIALS moves on to the next link;
 * any other error stops. When none has credentials, the message names
 * every source tried and why each had nothing. links is borrowed for the
 * source's lifetime (a static array); opts is copied.
 */
int rdsiam__chain_new(rdsiam__source *out, const rdsiam__chain_link *links,
                      size_t n, const rdsiam_provider_options *opts,
                      rdsiam_error *err);

/*
 * What a chain's last fetch found, for the provider to keep: *chosen, the
 * name of the source that answered ("" when none did), and *account, one
 * "NAME: REASON\n" line for each source before it that had nothing.
 * Both borrowed until the chain's next fetch. false when src is not a
 * chain (nothing is set then).
 */
bool rdsiam__chain_report(const rdsiam__source *src, const char **chosen,
                          const char **account);

/*
 * region.c: the region to sign for: explicit (if not NULL, checked), else
 * AWS_REGION, else AWS_DEFAULT_REGION, else the `region` of profile (NULL:
 * the profile the environment selects). buf receives it (RDSIAM_REGION_MAX
 * + 1 bytes suffice). RDSIAM_ERR_NO_REGION when none is configured; when
 * the profile named does not exist either, RDSIAM_ERR_PROFILE_NOT_FOUND
 * naming it (that is the mistake to fix first).
 */
int rdsiam__resolve_region(const char *explicit_region, const char *profile,
                           char *buf, size_t bufsize, rdsiam_error *err);

/* The provider's region (options.region, or resolved on first need and
 * kept), for the token calls whose params leave it NULL. */
int rdsiam__provider_region(rdsiam_provider *p, const char **region,
                            rdsiam_error *err);

/*
 * Sign a token with the provider's credentials: sign(ctx, creds, err) runs
 * once, with the cached credentials (refreshed if due, fetched if none are
 * usable: rdsiam_provider_generate_token()'s rules) borrowed for the call,
 * and its result is returned; when no credentials can be had, the fetch's
 * error is returned and sign does not run. sign must not block: it may run
 * on the lock-free path.
 */
typedef int (*rdsiam__sign_fn)(void *ctx, const rdsiam_credentials *creds,
                               rdsiam_error *err);
int rdsiam__provider_sign(rdsiam_provider *p, rdsiam__sign_fn sign, void *ctx,
                          rdsiam_error *err);

/* source_static.c: fixed credentials, copied. */
int rdsiam__source_static(rdsiam__source *out, const rdsiam_credentials *c,
                          rdsiam_error *err);

#endif /* RDSIAM_PROVIDER_H */
