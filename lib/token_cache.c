/*
 * token_cache.c - IAM authentication tokens for ElastiCache and MemoryDB
 * (Valkey, Redis OSS): the password of AUTH USER TOKEN, or of
 * HELLO 3 AUTH USER TOKEN, for an IAM-enabled user.
 *
 * The token (AWS documentation, "Authenticating with IAM" in the
 * ElastiCache User Guide and the MemoryDB Developer Guide, whose examples
 * build it): a SigV4 query-string presigned request
 *   GET http://NAME/?Action=connect&User=USER[&ResourceType=ServerlessCache]
 * for the service "elasticache" (NAME: the replication group id or the
 * serverless cache's name; ResourceType only for a serverless cache) or
 * "memorydb" (NAME: the cluster's name), expiring after 900 seconds,
 * without its "http://":
 *   name/?Action=connect&User=U[&ResourceType=ServerlessCache]
 *   &X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...&X-Amz-Date=T
 *   &X-Amz-Expires=900&X-Amz-SignedHeaders=host[&X-Amz-Security-Token=S]
 *   &X-Amz-Signature=HEX
 * in the order of botocore's presigner (RequestSigner.generate_presigned_url
 * keeps the request's parameters in their order, then appends its own),
 * which tests/crosscheck/botocore_services.py compares byte for byte.
 *
 * The same guide: "Cache names are converted to lowercase at cache creation
 * time. Ensure authenticating code supplies the cache name in lowercase",
 * so the name is lowercased here (for MemoryDB too: the signed host is
 * lowercased anyway, as SigV4 signs host names). "For IAM-enabled
 * ElastiCache users the username and user id properties must be
 * identical." "An IAM authenticated connection ... will automatically be
 * disconnected after 12 hours. The connection can be prolonged for 12
 * hours by sending an AUTH or HELLO command with a new IAM authentication
 * token" (RDSIAM_CACHE_SESSION_MAX).
 *
 * The token core (token.c) writes it: the same checks, the same one pass
 * into the caller's buffer, the same per-thread cache.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "internal.h"
#include "provider.h"

typedef struct cache_service {
    const char *service; /* the SigV4 service name */
    size_t service_len;
    const char *what; /* what the name names, for messages */
    bool serverless;  /* has serverless caches (ResourceType) */
} cache_service;

static const cache_service ELASTICACHE = {"elasticache", 11, "cache name",
                                          true};
static const cache_service MEMORYDB = {"memorydb", 8, "cluster name", false};

static const char SERVERLESS[] = "ResourceType=ServerlessCache";

/* The name, checked and lowercased into out: letters, digits, '-'. */
static int lower_name(const cache_service *svc, const char *name,
                      char out[RDSIAM_CACHE_NAME_MAX + 1], rdsiam_error *err)
{
    size_t n;

    if (!name || !*name)
        return rdsiam__fail(err, RDSIAM_ERR_RESOURCE_NAME, "%s is %s",
                            svc->what, name ? "empty" : "NULL");
    for (n = 0; name[n]; n++) {
        char c = name[n];

        if (n == RDSIAM_CACHE_NAME_MAX)
            return rdsiam__fail(err, RDSIAM_ERR_RESOURCE_NAME,
                                "%s is longer than %d bytes", svc->what,
                                RDSIAM_CACHE_NAME_MAX);
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return rdsiam__fail(err, RDSIAM_ERR_RESOURCE_NAME,
                                "%s has a character other than a letter, a "
                                "digit or '-'",
                                svc->what);
        out[n] = c;
    }
    out[n] = '\0';
    return RDSIAM_OK;
}

/*
 * Every check of params into s (the name lowercased into name), in the
 * order the messages report them. region NULL passes when the provider is
 * to resolve it.
 */
static int check_params(const cache_service *svc,
                        const rdsiam_cache_params *params, bool region_null_ok,
                        char name[RDSIAM_CACHE_NAME_MAX + 1],
                        rdsiam__presign_spec *s, rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "cache parameters are NULL");
    RDSIAM_GUARD(lower_name(svc, params->name, name, err));
    RDSIAM_GUARD(rdsiam__token_check_host(name, s, err));
    RDSIAM_GUARD(rdsiam__token_check_user(params->username, s, err));
    if (params->region || !region_null_ok)
        RDSIAM_GUARD(rdsiam__token_check_region(params->region, s, err));
    RDSIAM_ENSURE(err, !params->serverless || svc->serverless,
                  RDSIAM_ERR_INVALID_ARGUMENT,
                  "serverless must be 0 for MemoryDB (only ElastiCache has "
                  "serverless caches)");
    if (params->serverless) {
        s->extra = SERVERLESS;
        s->extra_len = sizeof SERVERLESS - 1;
    }
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, &s->time, err));
done:
    return rc;
}

static int generate(const cache_service *svc, const rdsiam_cache_params *params,
                    const rdsiam_credentials *creds, char *buf, size_t bufsize,
                    size_t *needed, rdsiam_error *err)
{
    char name[RDSIAM_CACHE_NAME_MAX + 1];
    rdsiam__presign_spec s = {.action = "connect",
                              .action_len = 7,
                              .user_key = "User",
                              .user_key_len = 4,
                              .service = svc->service,
                              .service_len = svc->service_len,
                              .expires = RDSIAM_TOKEN_LIFETIME};
    size_t need = 0;
    int rc = RDSIAM_OK;

    if (needed)
        *needed = 0;
    RDSIAM_ENSURE(err, buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
                  "output buffer is NULL but its size is not 0");
    RDSIAM_GUARD(check_params(svc, params, false, name, &s, err));
    RDSIAM_GUARD(rdsiam__token_check_creds(creds, &s, err));
    rc = rdsiam__presign(&s, creds, buf, bufsize, &need);
    if (needed)
        *needed = need;
done:
    return rdsiam__token_finish(rc, buf, bufsize, need, err);
}

int rdsiam_generate_elasticache_token(const rdsiam_cache_params *params,
                                      const rdsiam_credentials *creds,
                                      char *buf, size_t bufsize, size_t *needed,
                                      rdsiam_error *err)
{
    return generate(&ELASTICACHE, params, creds, buf, bufsize, needed, err);
}

int rdsiam_generate_memorydb_token(const rdsiam_cache_params *params,
                                   const rdsiam_credentials *creds, char *buf,
                                   size_t bufsize, size_t *needed,
                                   rdsiam_error *err)
{
    return generate(&MEMORYDB, params, creds, buf, bufsize, needed, err);
}

/* ------------------------------------------------------------------------ */
/* Through a provider                                                       */
/* ------------------------------------------------------------------------ */

typedef struct job {
    const cache_service *svc;
    rdsiam_cache_params params; /* with the region resolved */
    char *buf;
    size_t bufsize;
    size_t *needed;
} job;

static int sign_job(void *ctx, const rdsiam_credentials *creds,
                    rdsiam_error *err)
{
    const job *j = ctx;

    return generate(j->svc, &j->params, creds, j->buf, j->bufsize, j->needed,
                    err);
}

static int provider_generate(const cache_service *svc, rdsiam_provider *p,
                             const rdsiam_cache_params *params, char *buf,
                             size_t bufsize, size_t *needed, rdsiam_error *err)
{
    char name[RDSIAM_CACHE_NAME_MAX + 1];
    rdsiam__presign_spec s = {0};
    job j = {.svc = svc, .buf = buf, .bufsize = bufsize, .needed = needed};
    int rc = RDSIAM_OK;

    if (buf && bufsize)
        buf[0] = '\0';
    if (needed)
        *needed = 0;
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    /* A typo must not cost a region lookup or a credential fetch. */
    RDSIAM_GUARD(check_params(svc, params, true, name, &s, err));
    j.params = *params;
    if (!j.params.region)
        RDSIAM_GUARD(rdsiam__provider_region(p, &j.params.region, err));
    rc = rdsiam__provider_sign(p, sign_job, &j, err);
done:
    return rc;
}

int rdsiam_provider_generate_elasticache_token(
    rdsiam_provider *p, const rdsiam_cache_params *params, char *buf,
    size_t bufsize, size_t *needed, rdsiam_error *err)
{
    return provider_generate(&ELASTICACHE, p, params, buf, bufsize, needed,
                             err);
}

int rdsiam_provider_generate_memorydb_token(rdsiam_provider *p,
                                            const rdsiam_cache_params *params,
                                            char *buf, size_t bufsize,
                                            size_t *needed, rdsiam_error *err)
{
    return provider_generate(&MEMORYDB, p, params, buf, bufsize, needed, err);
}
