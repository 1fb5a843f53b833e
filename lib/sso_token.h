/*
 * sso_token.h - the IAM Identity Center access token: the cache file `aws
 * sso login` writes (~/.aws/sso/cache), its refresh through SSO-OIDC
 * CreateToken and the write-back (botocore 1.43 tokens.py,
 * SSOTokenProvider; utils.py, SSOTokenLoader). Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SSO_TOKEN_H
#define RDSIAM_SSO_TOKEN_H

#include "internal.h"

/* A token cache file larger than this is refused. */
#define RDSIAM__SSO_CACHE_MAX ((size_t)64 * 1024)
#define RDSIAM__SSO_URL_MAX 4096

/*
 * A profile's SSO settings, as the chain finds them (strings borrowed for
 * the call; the constructor copies them):
 *   profile       the profile's name, for messages ("aws sso login
 *                 --profile NAME"); NULL means "default";
 *   session_name  its sso_session; NULL for the legacy form;
 *   start_url     sso_start_url (from the [sso-session NAME] section, or
 *                 from the profile in the legacy form);
 *   region        sso_region (same);
 *   account_id    sso_account_id; role_name: sso_role_name.
 *   timeout_ms    per request; 0: the HTTP client's default;
 *   res           the resolution whose selected profile's configured
 *                 endpoints (services section, endpoint_url) apply
 *                 (borrowed: the source MUST NOT outlive it); NULL: the
 *                 environment's only.
 * Required as botocore's SSOProvider requires them: start_url, region,
 * account_id and role_name.
 */
typedef struct rdsiam__sso_config {
    const char *profile;
    const char *session_name;
    const char *start_url;
    const char *region;
    const char *account_id;
    const char *role_name;
    long timeout_ms;
    const char *ca_file; /* CA bundle for https; NULL: the system's */
    struct rdsiam__resolution *res;
} rdsiam__sso_config;

/* botocore SSOTokenProvider._REFRESH_WINDOW: a token with less than this
 * left is refreshed. */
#define RDSIAM__SSO_REFRESH_WINDOW 900

/*
 * A token cache file as read: every string allocated, the secret ones
 * (access_token, client_secret, refresh_token) wiped when cleared. The
 * refresh fields are NULL when absent (or not strings).
 */
typedef struct rdsiam__sso_token {
    char *access_token;
    int64_t expires_at;
    char *client_id;
    char *client_secret;
    char *refresh_token;
    char *registration_expires_at; /* written back as it was read */
} rdsiam__sso_token;

/* Wipe and free; the struct is zeroed. */
void rdsiam__sso_token_clear(rdsiam__sso_token *t);

/*
 * The token cache file that `aws sso login` writes:
 * $HOME/.aws/sso/cache/<SHA-1 hex of session_name, or of start_url for the
 * legacy form>.json (botocore SSOTokenLoader._generate_cache_key). *path
 * allocated (free()). RDSIAM_ERR_FILE_IO when HOME is not set.
 */
int rdsiam__sso_cache_path(const rdsiam__sso_config *cfg, char **path,
                           rdsiam_error *err);

/*
 * Parse a token cache file (len bytes): accessToken (a string an HTTP
 * header can carry) and expiresAt (ISO-8601; the "UTC" suffix older CLIs
 * wrote is accepted) are required, as in SSOTokenLoader; clientId,
 * clientSecret, refreshToken and registrationExpiresAt are read when they
 * are strings. Every copy the JSON reader made is wiped. RDSIAM_ERR_JSON
 * names the problem (never a value that is secret).
 */
int rdsiam__sso_parse_token(const char *body, size_t len, rdsiam__sso_token *t,
                            rdsiam_error *err);

/*
 * The base URL of an IAM Identity Center service into b (no trailing '/'):
 * the endpoint configured for service ("sso", "sso_oidc":
 * rdsiam__endpoint_lookup, with cfg->res), else https://HOST.REGION.SUFFIX
 * (host "portal.sso" or "oidc"; the suffix of sso_region's partition).
 * Plain http only to loopback.
 */
int rdsiam__sso_service_url(const rdsiam__sso_config *cfg, const char *service,
                            const char *host, rdsiam__buf *b,
                            rdsiam_error *err);

/*
 * The SSO-OIDC CreateToken URL: the configured endpoint of "sso_oidc"
 * (AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL, the profile's services
 * section and endpoint_url: rdsiam__endpoint_lookup), else
 * https://oidc.REGION.SUFFIX (botocore's endpoint rules for sso-oidc); then
 * /token. Plain http only to loopback. *url allocated (free()). Only with
 * RDSIAM_HTTP.
 */
int rdsiam__sso_oidc_url(const rdsiam__sso_config *cfg, char **url,
                         rdsiam_error *err);

/*
 * The access token to call the portal with (*token: an allocated secret,
 * rdsiam__free_secret_str). Reads the cache file on every call (a new
 * `aws sso login` is picked up). In the sso_session form a token with
 * less than 15 minutes left is refreshed, as SSOTokenProvider does, when
 * the file holds refreshToken, clientId, clientSecret and a
 * registrationExpiresAt still in the future: SSO-OIDC CreateToken
 * (grantType refresh_token) at AWS_ENDPOINT_URL_SSO_OIDC, else
 * AWS_ENDPOINT_URL, else https://oidc.REGION.SUFFIX, under the cache
 * file's lock (one call however many refreshers share the file), and the
 * answer written back in botocore's format (rdsiam__cache_write). A
 * refresh that fails leaves the cached token in use while it is valid;
 * an expired one is RDSIAM_ERR_CREDENTIALS_EXPIRED naming `aws sso login
 * --profile NAME` (and why the refresh did not happen). The legacy form
 * is never refreshed (botocore neither).
 */
int rdsiam__sso_token_get(const rdsiam__sso_config *cfg, char **token,
                          rdsiam_error *err);

#endif /* RDSIAM_SSO_TOKEN_H */
