/*
 * chain.h - credential chains (chain.c): a source made of a list of source
 * constructors, tried in order. Below the provider: a chain knows nothing
 * of the provider that caches what it finds. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CHAIN_H
#define RDSIAM_CHAIN_H

#include "source.h"

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

/* The chains behind the public constructors (rdsiam_provider_new_default,
 * _profile, _environment, _container). */
typedef enum rdsiam__chain_kind {
    RDSIAM__CHAIN_DEFAULT,     /* botocore's default chain */
    RDSIAM__CHAIN_PROFILE,     /* what a profile itself configures */
    RDSIAM__CHAIN_ENVIRONMENT, /* the environment variables alone */
    RDSIAM__CHAIN_CONTAINER,   /* the container endpoint alone */
} rdsiam__chain_kind;

/*
 * Fill *out with the chain of that kind (opts as rdsiam__chain_new). A
 * chain of one source that is compiled out fails at once with that
 * source's RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__chain_of(rdsiam__source *out, rdsiam__chain_kind kind,
                     const rdsiam_provider_options *opts, rdsiam_error *err);

#endif /* RDSIAM_CHAIN_H */
