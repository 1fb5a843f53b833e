/*
 * region.h - which region a provider signs for when the caller leaves it
 * to the library (region.c). Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_REGION_H
#define RDSIAM_REGION_H

#include "internal.h"

/*
 * The region to sign for: explicit (if not NULL, checked), else
 * AWS_REGION, else AWS_DEFAULT_REGION, else the `region` of profile (NULL:
 * the profile the environment selects). buf receives it (RDSIAM_REGION_MAX
 * + 1 bytes suffice). RDSIAM_ERR_NO_REGION when none is configured; when
 * the profile named does not exist either, RDSIAM_ERR_PROFILE_NOT_FOUND
 * naming it (that is the mistake to fix first).
 */
int rdsiam__resolve_region(const char *explicit_region, const char *profile,
                           char *buf, size_t bufsize, rdsiam_error *err);

#endif /* RDSIAM_REGION_H */
