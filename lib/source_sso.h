/*
 * source_sso.h - the IAM Identity Center (SSO) credential source: its
 * configuration and the steps that need no network, exposed for the tests.
 * Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_SSO_H
#define RDSIAM_SOURCE_SSO_H

#include "source.h"

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
 *   timeout_ms    per request; 0: the HTTP client's default.
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
} rdsiam__sso_config;

/*
 * Parse the portal's GetRoleCredentials answer:
 * {"roleCredentials":{"accessKeyId","secretAccessKey","sessionToken",
 * "expiration" (epoch milliseconds)}}. Strings in *out are allocated
 * (release with rdsiam__creds_clear()); expiration is rounded down to
 * seconds. RDSIAM_ERR_JSON names the problem; credentials that have
 * already expired are RDSIAM_ERR_CREDENTIALS_EXPIRED.
 */
int rdsiam__sso_parse_credentials(const char *body, size_t len,
                                  rdsiam__creds *out, rdsiam_error *err);

/*
 * The GetRoleCredentials URL: AWS_ENDPOINT_URL_SSO, else AWS_ENDPOINT_URL
 * (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else
 * https://portal.sso.REGION.SUFFIX (amazonaws.com; amazonaws.com.cn for
 * cn-*, c2s.ic.gov for us-iso-*, ...: botocore's partitions); then
 * /federation/credentials?role_name=R&account_id=A (percent-encoded).
 * Plain http is allowed only for a loopback host (127.0.0.0/8, [::1],
 * localhost). *url allocated (free()). RDSIAM_ERR_URI_INVALID,
 * RDSIAM_ERR_URI_NOT_ALLOWED, RDSIAM_ERR_REGION_INVALID.
 */
int rdsiam__sso_portal_url(const rdsiam__sso_config *cfg, char **url,
                           rdsiam_error *err);

/*
 * The source: gets the access token on every fetch (sso_token.h: the cache
 * file, so a new `aws sso login` is picked up, refreshed in the
 * sso_session form), refuses an expired token, and asks the portal.
 * RDSIAM_ERR_PROFILE_INCOMPLETE when a required setting is missing (the
 * message lists them as botocore does). With HTTP=no:
 * RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__sso_new(rdsiam__source *out, const rdsiam__sso_config *cfg,
                    rdsiam_error *err);
/* In a chain: rdsiam__source_sso (source.h) finds the config above in the
 * profile (and its [sso-session NAME] section) at each fetch. */

#endif /* RDSIAM_SOURCE_SSO_H */
