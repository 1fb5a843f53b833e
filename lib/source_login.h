/*
 * source_login.h - the `aws login` credential source (login_session): the
 * steps that need no network, exposed for the tests. Internal; compiled
 * only when RDSIAM_HTTP is 1. The constructor, rdsiam__source_login, is in
 * source.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_LOGIN_H
#define RDSIAM_SOURCE_LOGIN_H

#include "json_reader.h"
#include "source.h"

/* A login cache file larger than this is refused. */
#define RDSIAM__LOGIN_CACHE_MAX ((size_t)64 * 1024)

/*
 * A login cache file as parsed: the document (kept to be written back with
 * its other members) and views of the fields the source uses, borrowed
 * from it (wiped when it is freed).
 */
typedef struct rdsiam__login_token {
    rdsiam__json *doc;    /* the whole file */
    rdsiam__json *access; /* its accessToken object */
    const char *access_key_id, *secret_access_key, *session_token;
    const char *account_id;
    int64_t expires_at; /* accessToken.expiresAt */
    const char *refresh_token, *dpop_key, *client_id;
} rdsiam__login_token;

void rdsiam__login_token_clear(rdsiam__login_token *t);

/*
 * The cache file of a login session: AWS_LOGIN_CACHE_DIRECTORY (with $VAR,
 * ${VAR} and a leading ~ expanded, as botocore's
 * get_login_token_cache_directory does), else $HOME/.aws/login/cache;
 * then "/" and the SHA-256 hex of session and ".json"
 * (generate_login_cache_key). *path allocated (free()).
 */
int rdsiam__login_cache_path(const char *session, char **path,
                             rdsiam_error *err);

/*
 * Parse a login cache file: accessToken {accessKeyId, secretAccessKey,
 * sessionToken, accountId, expiresAt}, refreshToken, dpopKey and clientId,
 * all non-empty strings (the four top-level ones named together when
 * missing, as LoginCredentialFetcher does). RDSIAM_ERR_JSON names the
 * field, never a value. *t released with rdsiam__login_token_clear.
 */
int rdsiam__login_parse(const char *text, size_t len, rdsiam__login_token *t,
                        rdsiam_error *err);

/*
 * The CreateOAuth2Token URL: the configured endpoint of "signin"
 * (AWS_ENDPOINT_URL_SIGNIN, AWS_ENDPOINT_URL, then res's selected
 * profile's services section and endpoint_url: rdsiam__endpoint_lookup;
 * res NULL: the environment only), else the
 * region's sign-in endpoint (https://REGION.signin.aws.amazon.com,
 * ...amazonaws.cn, ...amazonaws-us-gov.com, else
 * https://signin.REGION.SUFFIX); then /v1/token. region may be NULL or ""
 * when an endpoint is configured; else RDSIAM_ERR_NO_REGION.
 */
int rdsiam__login_endpoint(rdsiam__resolution *res, const char *region,
                           char **url, rdsiam_error *err);

#endif /* RDSIAM_SOURCE_LOGIN_H */
