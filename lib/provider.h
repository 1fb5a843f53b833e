/*
 * provider.h - the internal interface between credential sources and the
 * caching provider object.
 *
 * A source fetches credentials once, with no caching and no locking of its
 * own; provider.c wraps one source or a chain of them in an rdsiam_provider
 * that caches, refreshes and is safe to share between threads.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_PROVIDER_H
#define RDSIAM_PROVIDER_H

#include "internal.h"

typedef struct rdsiam__source {
    /* Short lower-case name for messages: "environment", "profile default",
     * "container". Owned by the source. */
    const char *name;
    /*
     * Fetch fresh credentials into *out: every string field is allocated
     * (the caller releases them with rdsiam_credentials_clear()), and
     * expiration is set when the source reports one (0: never expires).
     *
     * Returns RDSIAM_OK; RDSIAM_ERR_NO_CREDENTIALS when the source is simply
     * not configured here (a chain moves on to the next source); or any
     * other error, which stops a chain (botocore behaves the same: a
     * half-configured source is reported, not skipped). err names the
     * variable, file and line, command or URL at fault, never a secret.
     * Called with the provider's refresh lock held: one fetch at a time.
     */
    int (*fetch)(void *self, rdsiam_credentials *out, rdsiam_error *err);
    /* Release self (wiping what it holds). */
    void (*destroy)(void *self);
    void *self;
} rdsiam__source;

/* Constructors fill *out. They read nothing yet (sources are read at
 * fetch time, so a rotated file or variable is picked up). opts may be
 * NULL. */
int rdsiam__source_env(rdsiam__source *out, rdsiam_error *err);
int rdsiam__source_profile(rdsiam__source *out,
                           const rdsiam_provider_options *opts,
                           rdsiam_error *err);
/* With HTTP=no this returns RDSIAM_ERR_NOT_BUILT_IN. */
int rdsiam__source_container(rdsiam__source *out,
                             const rdsiam_provider_options *opts,
                             rdsiam_error *err);

/*
 * Profile look-up for settings other than credentials (e.g. "region").
 * profile NULL: the profile the environment selects (AWS_PROFILE,
 * AWS_DEFAULT_PROFILE, "default"). Files as the SDKs find them
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws/...).
 * *value receives an allocated copy (free()), or NULL when the key, the
 * profile or the files are absent (that is not an error). Errors are for
 * files that exist but cannot be read or parsed.
 */
int rdsiam__profile_setting(const char *profile, const char *key,
                            char **value, rdsiam_error *err);

/* Deep copy of credentials (all strings allocated). */
int rdsiam__credentials_copy(rdsiam_credentials *dst,
                             const rdsiam_credentials *src);

/*
 * Wrap n sources (tried in order: a chain when n > 1) in a caching
 * provider. Ownership of the sources array's contents passes to the
 * provider, also on failure (each source is destroyed); the array itself
 * is copied. skipped: optional text for the "looked in" list of
 * RDSIAM_ERR_NO_CREDENTIALS naming sources left out (e.g. "container
 * (not built in)"); copied. opts may be NULL.
 */
int rdsiam__provider_new(rdsiam_provider **out, rdsiam__source *sources,
                         size_t n, const char *skipped,
                         const rdsiam_provider_options *opts,
                         rdsiam_error *err);

/* Tests only: the longest real-time wait, in milliseconds, of a background
 * refresh thread between two looks at rdsiam__now() (default 10000), so a
 * test that moves a pinned clock sees the thread react quickly. */
void rdsiam__provider_set_tick_ms(long ms);

#endif /* RDSIAM_PROVIDER_H */
