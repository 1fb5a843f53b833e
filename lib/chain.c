/*
 * chain.c - credential chains: a list of source constructors tried in
 * order, and the four chains the public constructors build providers on
 * (provider.c).
 *
 * The default chain is botocore's (create_credential_resolver, botocore
 * 1.43): environment, assume role (profile), web identity, SSO, shared
 * credentials file, login (`aws login`), credential_process, config file
 * keys, container, instance metadata. Each line of default_chain below is one
 * source; a source not written yet is a comment at its place. A source that is
 * not configured moves the chain on (RDSIAM_ERR_NO_CREDENTIALS); any other
 * error stops it, as in botocore: a half-configured source is reported,
 * not skipped.
 *
 * A profile named by the caller drops the environment source, as botocore
 * drops its EnvProvider when a profile is set on the session ("An
 * explicitly provided profile will negate an EnvProvider"), and the web
 * identity source then ignores AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN
 * (disable_env_vars); AWS_PROFILE in the environment does neither.
 * Container and instance metadata stay, as in botocore.
 *
 * Each link has a state slot (rdsiam__resolution.state) that lives as long
 * as the chain: the instance metadata source keeps its IMDSv2 session
 * token there between fetches. The provider runs one fetch at a time, so
 * the slots need no lock.
 *
 * The chain knows nothing of its sources' insides: it builds each in a
 * fresh resolution context (so the profile files are parsed at most once
 * per fetch, by whichever source needs them first), fetches, destroys.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define LOOKED_MAX 4096 /* bytes for the "looked in" message */

static const rdsiam__chain_link default_chain[] = {
    {rdsiam__source_env, false},
    {rdsiam__source_assume_role, true},
    {rdsiam__source_web_identity, true},
    {rdsiam__source_sso, true},
    {rdsiam__source_shared_credentials, true},
    {rdsiam__source_login, true},
    {rdsiam__source_process, true},
    {rdsiam__source_config_keys, true},
    /* botocore keeps these two when a profile is named ("post_profile"
     * providers); only the environment source is dropped. */
    {rdsiam__source_container, true},
    {rdsiam__source_imds, true},
};

/* The other chains are parts of it: rdsiam_provider_new_environment its
 * first link; rdsiam_provider_new_profile what a profile itself
 * configures, the links from the assumed role to the config file's keys. */
#define ENVIRONMENT_LINKS default_chain, 1
#define PROFILE_LINKS default_chain + 1, 7

static const rdsiam__chain_link container_only[] = {
    {rdsiam__source_container, false},
};

typedef struct chain {
    const rdsiam__chain_link *links;
    size_t n;
    rdsiam__source_state *states; /* one per link */
    bool profile_only;            /* the caller named a profile */
    rdsiam_provider_options opts;
    char *profile; /* opts.profile's copy */
    char *region;  /* opts.region's copy */
    /* The last fetch, for rdsiam__chain_report: the source that answered
     * ("" when none did) and why each one before it had nothing. */
    char chosen[64]; /* as looked.name_copy */
    char *account;
} chain;

/* Why one source had nothing, for the message. */
typedef struct looked {
    const char *name; /* static or owned by a destroyed source: copied */
    char name_copy[64];
    char reason[RDSIAM_ERROR_MESSAGE_SIZE];
} looked;

/*
 * "no credentials found; looked in: A: why; B, C: why": sources that gave
 * the same reason (e.g. three sources of one missing profile) share it.
 */
static int nothing_found(const looked *l, size_t n, rdsiam_error *err)
{
    rdsiam__buf b;
    int rc;

    rdsiam__buf_init(&b, LOOKED_MAX);
    (void)rdsiam__buf_append_str(&b, "no credentials found; looked in: ");
    for (size_t i = 0; i < n; i++) {
        bool last_of_group =
            i + 1 == n || strcmp(l[i].reason, l[i + 1].reason) != 0;
        (void)rdsiam__buf_append_str(&b, l[i].name_copy);
        if (!last_of_group) {
            (void)rdsiam__buf_append_str(&b, ", ");
            continue;
        }
        if (l[i].reason[0])
            (void)rdsiam__buf_printf(&b, " (%s)", l[i].reason);
        if (i + 1 < n)
            (void)rdsiam__buf_append_str(&b, "; ");
    }
    rc = rdsiam__fail(err, RDSIAM_ERR_NO_CREDENTIALS, "%s",
                      b.data ? b.data : "no credentials found");
    rdsiam__buf_free(&b);
    return rc;
}

static void note(looked *l, const char *name, const char *reason)
{
    size_t n = strlen(name);

    if (n >= sizeof l->name_copy)
        n = sizeof l->name_copy - 1;
    memcpy(l->name_copy, name, n);
    l->name_copy[n] = '\0';
    l->name = l->name_copy;
    n = strlen(reason);
    if (n >= sizeof l->reason)
        n = sizeof l->reason - 1;
    memcpy(l->reason, reason, n);
    l->reason[n] = '\0';
}

/* Build and fetch one link; a source with nothing notes why in *l. */
static int try_link(const rdsiam__chain_link *link, rdsiam__source_state *st,
                    rdsiam__resolution *res, rdsiam__creds *out, looked *l,
                    rdsiam_error *err)
{
    rdsiam__source src;
    rdsiam_error e;
    int rc;

    rdsiam__ok(&e);
    memset(&src, 0, sizeof src);
    res->state = st;
    rc = link->make(&src, res, NULL, &e);
    /* Compiled out (HTTP=no): say so, and go on. */
    if (rc == RDSIAM_ERR_NOT_BUILT_IN) {
        note(l, src.name ? src.name : "source", "not built in");
        return RDSIAM_ERR_NO_CREDENTIALS;
    }
    if (rc != RDSIAM_OK) {
        if (err)
            *err = e;
        return rc;
    }
    rc = src.fetch(src.self, out, &e);
    if (rc == RDSIAM_ERR_NO_CREDENTIALS || rc == RDSIAM_OK)
        note(l, src.name, rc == RDSIAM_OK ? "" : e.message);
    else if (err)
        *err = e;
    if (rc != RDSIAM_OK && rc != RDSIAM_ERR_NO_CREDENTIALS && err &&
        !err->message[0])
        rdsiam__fail(err, rc, "%s: %s", src.name, rdsiam_strerror(rc));
    src.destroy(src.self);
    res->state = NULL;
    return rc;
}

/* "NAME: REASON\n" for each source that had nothing, in order, kept for
 * rdsiam__chain_report. Out of memory leaves no account (it is advice). */
static void keep_account(chain *c, const looked *l, size_t n)
{
    rdsiam__buf b;

    rdsiam__buf_init(&b, LOOKED_MAX * 4);
    for (size_t i = 0; i < n; i++)
        (void)rdsiam__buf_printf(&b, "%s: %s\n", l[i].name_copy,
                                 l[i].reason[0] ? l[i].reason : "nothing");
    free(c->account);
    c->account = b.data ? b.data : rdsiam__strdup("");
}

static int chain_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    chain *c = self;
    rdsiam__resolution res;
    looked *l = NULL;
    size_t nl = 0;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    c->chosen[0] = '\0';
    RDSIAM_GUARD(rdsiam__resolution_open(&res, &c->opts, err));
    /* A named profile (or a profile-only provider): no environment source,
     * and web identity ignores its variables (botocore disable_env_vars). */
    res.env_off = c->profile_only;
    l = calloc(c->n ? c->n : 1, sizeof *l);
    RDSIAM_ENSURE(err, l, RDSIAM_ERR_NO_MEMORY,
                  "out of memory resolving credentials");
    rc = RDSIAM_ERR_NO_CREDENTIALS;
    for (size_t i = 0; i < c->n && rc == RDSIAM_ERR_NO_CREDENTIALS; i++) {
        if (c->profile_only && !c->links[i].with_profile)
            continue;
        rc = try_link(&c->links[i], &c->states[i], &res, out, &l[nl], err);
        if (rc == RDSIAM_ERR_NO_CREDENTIALS)
            nl++;
    }
    keep_account(c, l, nl);
    if (rc == RDSIAM_ERR_NO_CREDENTIALS)
        rc = nothing_found(l, nl, err);
    else if (rc == RDSIAM_OK) {
        (void)snprintf(c->chosen, sizeof c->chosen, "%s", l[nl].name_copy);
        rdsiam__ok(err);
    }
done:
    rdsiam__resolution_close(&res);
    if (l)
        rdsiam__wipe(l, (c->n ? c->n : 1) * sizeof *l);
    free(l);
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

static void chain_destroy(void *self)
{
    chain *c = self;

    if (!c)
        return;
    for (size_t i = 0; c->states && i < c->n; i++)
        if (c->states[i].free)
            c->states[i].free(c->states[i].data);
    free(c->states);
    free(c->account);
    free(c->region);
    free(c->profile);
    free(c);
}

bool rdsiam__chain_report(const rdsiam__source *src, const char **chosen,
                          const char **account)
{
    const chain *c;

    if (!src || src->destroy != chain_destroy || !src->self)
        return false;
    c = src->self;
    *chosen = c->chosen;
    *account = c->account ? c->account : "";
    return true;
}

int rdsiam__chain_new(rdsiam__source *out, const rdsiam__chain_link *links,
                      size_t n, const rdsiam_provider_options *opts,
                      rdsiam_error *err)
{
    chain *c = calloc(1, sizeof *c);
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, c, RDSIAM_ERR_NO_MEMORY,
                  "out of memory creating the credential chain");
    c->links = links;
    c->n = n;
    c->states = calloc(n ? n : 1, sizeof *c->states);
    RDSIAM_ENSURE(err, c->states, RDSIAM_ERR_NO_MEMORY,
                  "out of memory creating the credential chain");
    if (opts)
        c->opts = *opts;
    c->opts.profile = NULL;
    c->opts.region = NULL;
    if (opts && opts->region && *opts->region) {
        c->region = rdsiam__strdup(opts->region);
        RDSIAM_ENSURE(err, c->region, RDSIAM_ERR_NO_MEMORY,
                      "out of memory creating the credential chain");
        c->opts.region = c->region;
    }
    if (opts && opts->profile && *opts->profile) {
        c->profile = rdsiam__strdup(opts->profile);
        RDSIAM_ENSURE(err, c->profile, RDSIAM_ERR_NO_MEMORY,
                      "out of memory creating the credential chain");
        c->opts.profile = c->profile;
        c->profile_only = true;
    }
    out->name = "chain";
    out->fetch = chain_fetch;
    out->destroy = chain_destroy;
    out->self = c;
    c = NULL;
    rdsiam__ok(err);
done:
    chain_destroy(c);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The chains of the public constructors                                     */
/* ------------------------------------------------------------------------ */

int rdsiam__chain_of(rdsiam__source *out, rdsiam__chain_kind kind,
                     const rdsiam_provider_options *opts, rdsiam_error *err)
{
    static const struct {
        const rdsiam__chain_link *links;
        size_t n;
        bool profile_only;
    } kinds[] = {
        [RDSIAM__CHAIN_DEFAULT] = {default_chain, NELEM(default_chain), false},
        [RDSIAM__CHAIN_PROFILE] = {PROFILE_LINKS, true},
        [RDSIAM__CHAIN_ENVIRONMENT] = {ENVIRONMENT_LINKS, false},
        [RDSIAM__CHAIN_CONTAINER] = {container_only, NELEM(container_only),
                                     false},
    };
    rdsiam__source src;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    /* A provider of one source that is compiled out says so at once. */
    if (kinds[kind].n == 1) {
        rc = kinds[kind].links[0].make(&src, NULL, NULL, err);
        if (rc == RDSIAM_OK)
            src.destroy(src.self);
        RDSIAM_GUARD(rc);
    }
    RDSIAM_GUARD(
        rdsiam__chain_new(out, kinds[kind].links, kinds[kind].n, opts, err));
    if (kinds[kind].profile_only)
        ((chain *)out->self)->profile_only = true;
done:
    return rc;
}
