/*
 * creds_ref.h - tests read a provider's rdsiam_credentials_ref into a
 * plain rdsiam_credentials view (its strings borrowed from the reference,
 * which the helper keeps until creds_ref_put), so assertions read fields
 * directly. Thread-safe.
 */
#ifndef TESTS_CREDS_REF_H
#define TESTS_CREDS_REF_H

#include "rdsiam.h"

/* rdsiam_provider_get_credentials / _get_cached into *c (zeroed on
 * failure). */
int creds_ref_get(rdsiam_provider *p, rdsiam_credentials *c,
                  rdsiam_error *err);
int creds_ref_cached(rdsiam_provider *p, rdsiam_credentials *c,
                     rdsiam_error *err);
/* Release the reference behind *c (if any) and zero *c. */
void creds_ref_put(rdsiam_credentials *c);


#endif
