/*
 * source_assume_role.h - the assumed-role credential source: credentials
 * from an inner source (a source_profile's, or the credential_source's)
 * exchanged with STS AssumeRole, signed with them. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_ASSUME_ROLE_H
#define RDSIAM_SOURCE_ASSUME_ROLE_H

#include "source.h"
#include "sts.h"

/*
 * Settings; strings are copied by the constructor.
 *
 * role_arn: required. session_name: NULL gives
 *     "botocore-session-<unix time>" at each fetch, as botocore's
 *     AssumeRoleCredentialFetcher. external_id: NULL for none.
 * duration_seconds: 0 sends none (STS's default, one hour), else
 *     900..43200 (checked at construction).
 * name: the source's name for messages, e.g. "profile dev (role)"; NULL:
 *     "assume role".
 * sts: where and how to call STS AssumeRole (sts.h), copied as
 *     rdsiam__sts_config_copy does; res stays borrowed, so the source MUST
 *     NOT outlive it. The caller resolves the region (the chain:
 *     rdsiam__resolution_region): the source reads no settings of its own.
 */
typedef struct rdsiam__assume_role_config {
    const char *role_arn;
    const char *session_name;
    const char *external_id;
    unsigned int duration_seconds;
    const char *name;
    rdsiam__sts_config sts;
} rdsiam__assume_role_config;

/*
 * Fill *out with a source whose fetch calls inner's fetch, then AssumeRole
 * signed with what inner gave (wiped right after). Ownership of *inner
 * passes to the new source, also on failure (it is destroyed then). An
 * inner RDSIAM_ERR_NO_CREDENTIALS becomes RDSIAM_ERR_PROFILE_INCOMPLETE: a
 * role whose source has no credentials is misconfigured, not absent (as in
 * botocore, which raises). Loops are the builder's business: the inner
 * source MUST NOT lead back to this one. With HTTP=no:
 * RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__assume_role_new(rdsiam__source *out, rdsiam__source *inner,
                            const rdsiam__assume_role_config *cfg,
                            rdsiam_error *err);

#endif /* RDSIAM_SOURCE_ASSUME_ROLE_H */
