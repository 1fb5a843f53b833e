/*
 * sign.c - one token of a job, with the run's one provider, and what
 * rdsiam_token_info says of it, for every kind of token the tool signs:
 *
 * RDS, Aurora   rdsiam_provider_generate_token_info() does it all.
 * Aurora DSQL, ElastiCache, MemoryDB, MSK
 *               the provider has no _info call for these. The credentials
 *               come from it (rdsiam_provider_get_credentials: cached,
 *               refreshed and fetched by the provider's rules), the token
 *               is signed with them by the direct call as of a time read
 *               here, and the info is worked out as the provider does for
 *               RDS tokens: the token stops working at the end of its own
 *               lifetime or when the credentials expire, whichever is
 *               first, and the source is the one that gave those very
 *               credentials. The region is the run's, resolved once, as
 *               the provider resolves its own.
 *
 * Inputs are checked before any credential source runs. RDS has
 * rdsiam_token_params_check(); the others are checked by a dry run of
 * their direct call with stand-in keys and no buffer, which checks every
 * input before the credentials and ends at the size check when all are
 * good.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "sign.h"

bool cli_signs_here(const cli_args *a)
{
    return a->dsql || a->kind != CLI_RDS;
}

int cli_signer_region(cli_signer *s, const rdsiam_provider_options *popts,
                      char *msg, size_t msgsize)
{
    const char *v = popts->region;

    if (!v || !*v)
        v = getenv("AWS_REGION");
    if (!v || !*v)
        v = getenv("AWS_DEFAULT_REGION");
    if (!v || !*v)
        return cli_profile_region(popts->profile, s->region, sizeof s->region,
                                  msg, msgsize);
    if (strlen(v) >= sizeof s->region) {
        snprintf(msg, msgsize, "the region is longer than %d characters",
                 RDSIAM_REGION_MAX);
        return -1;
    }
    memcpy(s->region, v, strlen(v) + 1);
    return 0;
}

/*
 * The direct call of s's kind for db with creds as of t; *end receives
 * when the token itself stops working (seconds), and *ms MSK's expiry as
 * its call reports it (milliseconds; 0 for the others).
 */
static int sign_direct(const cli_signer *s, const cli_db *db,
                       const rdsiam_credentials *creds, int64_t t, char *buf,
                       size_t size, size_t *needed, int64_t *end, int64_t *ms,
                       rdsiam_error *err)
{
    const cli_args *a = s->a;
    rdsiam_dsql_params dp = {.hostname = db->params.hostname,
                             .region = s->region,
                             .action = a->action,
                             .expires_in = a->expires_in,
                             .signing_time = t};
    rdsiam_cache_params cp = {.name = a->name,
                              .username = db->params.username,
                              .region = s->region,
                              .serverless = a->serverless,
                              .signing_time = t};
    rdsiam_msk_params mp = {.region = s->region,
                            .serverless = a->serverless,
                            .user_agent = a->user_agent,
                            .signing_time = t};
    int rc;

    *end = t + RDSIAM_TOKEN_LIFETIME;
    *ms = 0;
    switch (a->kind) {
    case CLI_ELASTICACHE:
        return rdsiam_generate_elasticache_token(&cp, creds, buf, size, needed,
                                                 err);
    case CLI_MEMORYDB:
        return rdsiam_generate_memorydb_token(&cp, creds, buf, size, needed,
                                              err);
    case CLI_MSK:
        rc = rdsiam_generate_msk_token(&mp, creds, buf, size, needed, ms, err);
        if (rc == RDSIAM_OK)
            *end = *ms / 1000;
        return rc;
    case CLI_RDS: /* with --dsql: the one of its kind signed here */
    default:
        if (a->expires_in)
            *end = t + a->expires_in;
        return rdsiam_generate_dsql_token(&dp, creds, buf, size, needed, err);
    }
}

int cli_sign_check(const cli_signer *s, const cli_db *db, rdsiam_error *err)
{
    /* Not a credential: the keys of the AWS documentation's examples. */
    static const rdsiam_credentials stand_in = {
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
    int64_t t =
        db->params.signing_time ? db->params.signing_time : (int64_t)time(NULL);
    int64_t end, ms;
    size_t needed;
    int rc;

    if (!cli_signs_here(s->a))
        return rdsiam_token_params_check(&db->params, err);
    rc = sign_direct(s, db, &stand_in, t, NULL, 0, &needed, &end, &ms, err);
    if (rc == RDSIAM_ERR_BUFFER_TOO_SMALL) {
        memset(err, 0, sizeof *err);
        rc = RDSIAM_OK;
    }
    return rc;
}

/* A token signed here (see the top of the file). */
static int sign_here(const cli_signer *s, const cli_db *db, char *buf,
                     size_t size, size_t *needed, cli_token *tok,
                     rdsiam_error *err)
{
    rdsiam_credentials_ref *ref = NULL;
    const rdsiam_credentials *c;
    rdsiam_token_info *info = &tok->info;
    int64_t t =
        db->params.signing_time ? db->params.signing_time : (int64_t)time(NULL);
    int64_t end, ms;
    int rc;

    rc = rdsiam_provider_get_credentials(s->p, &ref, err);
    if (rc != RDSIAM_OK)
        return rc;
    c = rdsiam_credentials_ref_get(ref);
    rc = sign_direct(s, db, c, t, buf, size, needed, &end, &ms, err);
    if (rc == RDSIAM_OK) {
        info->signing_time = t;
        info->expires = end;
        info->credentials_expiration = c->expiration;
        if (c->expiration && c->expiration < info->expires)
            info->expires = c->expiration;
        /* MSK's milliseconds are its call's unless the credentials end
         * the token sooner. */
        if (s->a->kind == CLI_MSK)
            tok->expires_ms = info->expires < end ? info->expires * 1000 : ms;
        (void)snprintf(info->source, sizeof info->source, "%s",
                       rdsiam_credentials_ref_source(ref));
    }
    rdsiam_credentials_ref_free(ref);
    return rc;
}

int cli_sign(const cli_signer *s, const cli_db *db, cli_token *tok,
             rdsiam_error *err)
{
    size_t size = 2048, needed = 0;
    int rc = RDSIAM_ERR_BUFFER_TOO_SMALL;

    /* A refresh between two tries may bring a longer session token. */
    for (int tries = 0; tries < 3 && rc == RDSIAM_ERR_BUFFER_TOO_SMALL;
         tries++) {
        char *buf = malloc(size);
        if (!buf) {
            err->code = RDSIAM_ERR_NO_MEMORY;
            snprintf(err->message, sizeof err->message, "out of memory");
            return RDSIAM_ERR_NO_MEMORY;
        }
        memset(tok, 0, sizeof *tok);
        rc = cli_signs_here(s->a)
                 ? sign_here(s, db, buf, size, &needed, tok, err)
                 : rdsiam_provider_generate_token_info(
                       s->p, &db->params, buf, size, &needed, &tok->info, err);
        if (rc == RDSIAM_OK) {
            tok->text = buf;
            tok->cap = size;
            break;
        }
        memset(tok, 0, sizeof *tok);
        OPENSSL_cleanse(buf, size);
        free(buf);
        size = needed > size ? needed : size * 2;
    }
    return rc;
}
