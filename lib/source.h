/*
 * source.h - the one small interface every credential source implements,
 * the resolution context sources are built in, and their constructors.
 *
 * How a credential is resolved. A provider (provider.c) caches what one
 * source fetches. For the chains (chain.c) that source is a list of
 * constructors: on every fetch the chain opens a resolution context
 * (rdsiam__resolution: the options, the selected profile name, and the
 * shared config and credentials files, parsed at most once per
 * resolution), then builds each source in order with its constructor,
 * fetches from it and destroys it, until one has credentials.
 *
 * A source lives at most as long as the resolution it was built in and
 * may borrow it (and its parsed files) until destroyed. A source that
 * wraps another (assume role with source_profile or credential_source)
 * builds the inner one with the inner one's constructor, passing the
 * same resolution and the other profile's name.
 *
 * See docs/DESIGN.md, "Credentials", for how to add a source.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_H
#define RDSIAM_SOURCE_H

#include "internal.h"
#include "profile.h"

/* ------------------------------------------------------------------------ */
/* Credentials the library owns                                              */
/* ------------------------------------------------------------------------ */

/*
 * What a source fetches. Every string is allocated and wiped on release
 * (rdsiam__creds_clear). "Does not expire" is its own state (expires ==
 * false), so no expiration time, not even 1970-01-01T00:00:00Z, can be
 * mistaken for it.
 */
typedef struct rdsiam__creds {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL: long-term credentials */
    bool expires;
    int64_t expiration; /* seconds since the epoch; only when expires */
} rdsiam__creds;

/* Wipe and free the strings; the struct is zeroed. NULL is fine. */
void rdsiam__creds_clear(rdsiam__creds *c);

/*
 * Copy credentials read from outside (a variable, a file, a JSON answer)
 * into *out, checking them first: the access key id has the documented
 * form ([A-Z0-9], 16..128 characters), the secret and token are non-empty
 * where required and within the public limits. token may be NULL or "".
 * what names the place in messages ("profile dev", "AWS_ACCESS_KEY_ID",
 * "container answer"); no value is ever copied into err.
 */
int rdsiam__creds_set(rdsiam__creds *out, const char *akid, const char *secret,
                      const char *token, const char *what, rdsiam_error *err);

/* Deep copy. */
int rdsiam__creds_copy(rdsiam__creds *dst, const rdsiam__creds *src);

/* A borrowed view for the signers (valid while c is). expiration 0 in the
 * view means "does not expire" (the public convention). */
rdsiam_credentials rdsiam__creds_view(const rdsiam__creds *c);

/* The documented access key id form: [A-Z0-9], 16 to 128 characters. */
bool rdsiam__akid_form_ok(const char *s, size_t n);

/* ------------------------------------------------------------------------ */
/* The source interface                                                      */
/* ------------------------------------------------------------------------ */

typedef struct rdsiam__source {
    /* Short lower-case name for messages: "environment", "shared
     * credentials file", "container". Owned by the source. */
    const char *name;
    /*
     * Fetch fresh credentials into *out (zeroed on entry, released by the
     * caller with rdsiam__creds_clear; left empty on failure).
     *
     * Returns RDSIAM_OK; RDSIAM_ERR_NO_CREDENTIALS when the source is
     * simply not configured here (err says why, without the source's name:
     * the chain adds it), and a chain moves on; any other error stops a
     * chain (botocore behaves the same: a half-configured source is
     * reported, not skipped). err names the variable, file and line,
     * command or URL at fault, never a secret.
     */
    int (*fetch)(void *self, rdsiam__creds *out, rdsiam_error *err);
    /* Release self (wiping what it holds). */
    void (*destroy)(void *self);
    void *self;
} rdsiam__source;

/* ------------------------------------------------------------------------ */
/* The resolution context                                                    */
/* ------------------------------------------------------------------------ */

typedef struct rdsiam__resolution {
    long timeout_ms;       /* opts->timeout_ms, 0 meaning each default */
    const char *profile;   /* the selected profile name (borrowed) */
    bool profile_chosen;   /* named by the caller or AWS_PROFILE /
                              AWS_DEFAULT_PROFILE: missing is an error */
    bool profile_explicit; /* named by the caller (opts->profile) */
    bool env_off;          /* set by a chain: sources read no credentials
                              from environment variables (a named profile,
                              rdsiam_provider_new_profile) */
    const char *region;    /* opts->region (borrowed), or NULL */

    /* Set by the chain around each constructor call: a slot the source
     * built for that link may keep state in across fetches (the instance
     * metadata session token). NULL when the source is not built by a
     * chain link (an inner source of an assumed role). */
    struct rdsiam__source_state *state;

    /* Private to source.c: the parsed files, loaded on first use. */
    bool loaded;
    int load_rc;
    rdsiam_error load_err;
    rdsiam__profile_set files;
    char *paths; /* "<config>, <credentials>" for messages */
    char *profile_copy;
} rdsiam__resolution;

/* Open a resolution: reads the profile selection (not the files). */
int rdsiam__resolution_open(rdsiam__resolution *r,
                            const rdsiam_provider_options *opts,
                            rdsiam_error *err);
/* Close it: wipes and frees the parsed files. */
void rdsiam__resolution_close(rdsiam__resolution *r);

/* The shared files, parsed on the first call of a resolution; later
 * calls return the same set (or the same error). *paths (optional):
 * "<config>, <credentials>" for messages. */
int rdsiam__resolution_files(rdsiam__resolution *r,
                             const rdsiam__profile_set **set,
                             const char **paths, rdsiam_error *err);

/*
 * A profile of the files: name NULL means the selected one. A profile
 * that does not exist is RDSIAM_ERR_PROFILE_NOT_FOUND when it was asked
 * for (by name, by the caller or the environment), else
 * RDSIAM_ERR_NO_CREDENTIALS ("profile default not found in ..."), so a
 * chain moves on.
 */
int rdsiam__resolution_profile(rdsiam__resolution *r, const char *name,
                               const rdsiam__profile **p, rdsiam_error *err);

/*
 * A setting of a profile (name NULL: the selected one), borrowed from the
 * parsed files: NULL when the key, the profile or both files are absent.
 * Errors only for files that exist and cannot be read or parsed.
 */
int rdsiam__resolution_setting(rdsiam__resolution *r, const char *name,
                               const char *key, const char **value,
                               rdsiam_error *err);

/*
 * A setting read first from an environment variable (set and non-empty),
 * then from the selected profile (botocore's config chain for the session:
 * e.g. AWS_CA_BUNDLE, then ca_bundle). *value borrowed (from the
 * environment: valid until it changes; copy at once), NULL when unset.
 */
int rdsiam__resolution_env_setting(rdsiam__resolution *r, const char *env,
                                   const char *key, const char **value,
                                   rdsiam_error *err);

/*
 * The region whose STS the credential sources call (botocore: the region
 * of the client that needs the credentials): the provider's region option,
 * else AWS_REGION, AWS_DEFAULT_REGION, the selected profile's region, as
 * rdsiam_resolve_region. buf is set to "" when there is none (STS's global
 * endpoint then). A malformed region is an error naming where it was set.
 */
int rdsiam__resolution_region(rdsiam__resolution *r, char *buf, size_t size,
                              rdsiam_error *err);

/* State a chain link keeps across fetches (see rdsiam__resolution.state). */
typedef struct rdsiam__source_state {
    void *data;
    void (*free)(void *data); /* wipes and frees data */
} rdsiam__source_state;

/* ------------------------------------------------------------------------ */
/* Constructors                                                              */
/* ------------------------------------------------------------------------ */

/*
 * Every source has a constructor of this type, defined in its own
 * source_*.c file. It fills *out and reads nothing yet (the source reads
 * at fetch time). res is the resolution the source is built in (it may
 * keep the pointer until destroyed; NULL when a chain only probes whether
 * the source is built in, and destroys it unused); profile names the profile
 * the source is for, NULL meaning the selected one (res->profile). Returns
 * RDSIAM_OK, or an error (no memory; RDSIAM_ERR_NOT_BUILT_IN when compiled out,
 * which a chain reports as "not built in" and skips: out->name is set then
 * too).
 */
typedef int (*rdsiam__source_new_fn)(rdsiam__source *out,
                                     rdsiam__resolution *res,
                                     const char *profile, rdsiam_error *err);

/*
 * What most sources keep between construction and fetch: the resolution
 * they were built in and the profile they are for (a copy; NULL meaning
 * the selected one). rdsiam__bound_new builds such a source: it fills
 * *out with name (static), fetch, a shared destroy, and an
 * rdsiam__bound as self, so a source_*.c file that needs no more writes
 * only its fetch, and its constructor is one call:
 *
 *     static int NAME_fetch(void *self, rdsiam__creds *out,
 *                           rdsiam_error *err)
 *     {
 *         rdsiam__bound *b = self;
 *         const char *name = rdsiam__bound_profile(b);
 *         ... rdsiam__resolution_profile(b->res, b->profile, &p, err) ...
 *     }
 *
 *     int rdsiam__source_NAME(rdsiam__source *out, rdsiam__resolution *res,
 *                             const char *profile, rdsiam_error *err)
 *     {
 *         return rdsiam__bound_new(out, "NAME", NAME_fetch, res, profile,
 *                                  err);
 *     }
 *
 * out->name is set even on failure (no memory), for the chain's message.
 */
typedef struct rdsiam__bound {
    rdsiam__resolution *res;
    char *profile; /* NULL: the selected profile */
} rdsiam__bound;

int rdsiam__bound_new(rdsiam__source *out, const char *name,
                      int (*fetch)(void *self, rdsiam__creds *out,
                                   rdsiam_error *err),
                      rdsiam__resolution *res, const char *profile,
                      rdsiam_error *err);

/* The name of the profile b is for: b->profile, else the selected one. */
const char *rdsiam__bound_profile(const rdsiam__bound *b);

/*
 * What a network source's constructors do when the library is built with
 * HTTP=no: *out (may be NULL) is zeroed with out->name = name, and the
 * result is RDSIAM_ERR_NOT_BUILT_IN with one message for every source:
 * "<what> credentials: this library was built with HTTP=no (no libcurl)".
 */
int rdsiam__not_built_in(rdsiam__source *out, const char *name,
                         const char *what, rdsiam_error *err);

/* source_env.c: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ... */
int rdsiam__source_env(rdsiam__source *out, rdsiam__resolution *res,
                       const char *profile, rdsiam_error *err);
/* source_profile.c: static keys of a profile whose aws_access_key_id is
 * set in the shared credentials file ("shared credentials file"), and
 * static keys set only in the config file ("config file"). */
int rdsiam__source_shared_credentials(rdsiam__source *out,
                                      rdsiam__resolution *res,
                                      const char *profile, rdsiam_error *err);
int rdsiam__source_config_keys(rdsiam__source *out, rdsiam__resolution *res,
                               const char *profile, rdsiam_error *err);
/* source_login.c: the profile's login_session (`aws login`): the AWS
 * CLI's login cache, refreshed through the sign-in service. With HTTP=no
 * this returns RDSIAM_ERR_NOT_BUILT_IN. */
int rdsiam__source_login(rdsiam__source *out, rdsiam__resolution *res,
                         const char *profile, rdsiam_error *err);
/* source_process.c: the profile's credential_process. */
int rdsiam__source_process(rdsiam__source *out, rdsiam__resolution *res,
                           const char *profile, rdsiam_error *err);
/* source_container.c: ECS / EKS Pod Identity endpoints. With HTTP=no
 * this returns RDSIAM_ERR_NOT_BUILT_IN. */
int rdsiam__source_container(rdsiam__source *out, rdsiam__resolution *res,
                             const char *profile, rdsiam_error *err);
/* source_assume_role.c: the profile's role_arn with source_profile (a
 * chain of any length) or credential_source, through STS AssumeRole. */
int rdsiam__source_assume_role(rdsiam__source *out, rdsiam__resolution *res,
                               const char *profile, rdsiam_error *err);
/* source_web_identity.c: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (not
 * when the caller named the profile, nor for a source_profile) or the
 * profile's web_identity_token_file and role_arn, through STS
 * AssumeRoleWithWebIdentity. */
int rdsiam__source_web_identity(rdsiam__source *out, rdsiam__resolution *res,
                                const char *profile, rdsiam_error *err);
/* source_sso.c: the profile's sso_session (or legacy sso_start_url)
 * through the token cache of `aws sso login` and the portal. */
int rdsiam__source_sso(rdsiam__source *out, rdsiam__resolution *res,
                       const char *profile, rdsiam_error *err);
/* source_imds.c: EC2 instance metadata (IMDSv2, v1 fallback), configured
 * from the environment and the selected profile. */
int rdsiam__source_imds(rdsiam__source *out, rdsiam__resolution *res,
                        const char *profile, rdsiam_error *err);

#endif /* RDSIAM_SOURCE_H */
