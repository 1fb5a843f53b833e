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
#include "sso_token.h"

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
