/*
 * source_web_identity.h - the web identity credential source (EKS IAM
 * roles for service accounts, and any OIDC token file): STS
 * AssumeRoleWithWebIdentity with a token read from a file at every fetch.
 * Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_WEB_IDENTITY_H
#define RDSIAM_SOURCE_WEB_IDENTITY_H

#include "source.h"
#include "sts.h"

#define RDSIAM__WEB_IDENTITY_TOKEN_FILE_ENV "AWS_WEB_IDENTITY_TOKEN_FILE"
#define RDSIAM__WEB_IDENTITY_ROLE_ARN_ENV "AWS_ROLE_ARN"
#define RDSIAM__WEB_IDENTITY_SESSION_ENV "AWS_ROLE_SESSION_NAME"

/*
 * Settings; every field may be NULL/0. All strings are copied by the
 * constructor.
 *
 * token_file, role_arn, session_name: the profile's web_identity_token_file,
 *     role_arn, role_session_name (NULL when the profile has none).
 * use_env: the environment variables AWS_WEB_IDENTITY_TOKEN_FILE,
 *     AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME, read at every fetch, each
 *     beat the field of the same meaning (botocore's
 *     AssumeRoleWithWebIdentityProvider._get_config: environment first,
 *     then the profile; env vars are ignored when a profile was chosen
 *     explicitly, which is the caller's call to make).
 * With no session name anywhere, "botocore-session-<unix time>" is used,
 * as botocore does.
 * sts: where and how to call STS AssumeRoleWithWebIdentity (sts.h),
 *     copied as rdsiam__sts_config_copy does; res stays borrowed, so the
 *     source MUST NOT outlive it. The caller resolves the region (botocore:
 *     the region of the client that needs the credentials; the chain:
 *     rdsiam__resolution_region): the source reads no settings of its own
 *     but the three variables above.
 */
typedef struct rdsiam__web_identity_config {
    const char *token_file;
    const char *role_arn;
    const char *session_name;
    bool use_env;
    rdsiam__sts_config sts;
} rdsiam__web_identity_config;

/*
 * Fill *out with the source ("web identity"). Nothing is read until fetch:
 * the token file is re-read at every fetch (opened with O_CLOEXEC |
 * O_NONBLOCK, a regular file of at most RDSIAM__STS_WEB_TOKEN_MAX bytes,
 * sent as is like botocore, never trimmed, wiped after use). fetch gives
 * RDSIAM_ERR_NO_CREDENTIALS when no token file is configured; a token file
 * without a role ARN is RDSIAM_ERR_PROFILE_INCOMPLETE. With HTTP=no the
 * constructor returns RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__web_identity_new(rdsiam__source *out,
                             const rdsiam__web_identity_config *cfg,
                             rdsiam_error *err);

/* The chain's constructor (rdsiam__source_new_fn, declared in source.h):
 * the settings of the resolution's profile and the environment, read at
 * each fetch. */

#endif /* RDSIAM_SOURCE_WEB_IDENTITY_H */
