/*
 * json_creds.h - credentials read from a JSON document (json_creds.c): the
 * answer of a container endpoint or of instance metadata, the output of a
 * credential_process. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_JSON_CREDS_H
#define RDSIAM_JSON_CREDS_H

#include "json_reader.h"
#include "source.h"

/* Where the credentials are in a document; NULL names are not read. */
typedef struct rdsiam__json_creds_fields {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    bool session_token_required;
    const char *expiration; /* an ISO-8601 time */
    bool expiration_required;
} rdsiam__json_creds_fields;

/*
 * Read credentials from the object into *out (released with
 * rdsiam__creds_clear; empty on failure). The key id is checked against
 * its documented form, empty required strings are refused, and an absent
 * optional Expiration means "does not expire" (out->expires false).
 */
int rdsiam__json_creds(const rdsiam__json *j,
                       const rdsiam__json_creds_fields *f, rdsiam__creds *out,
                       rdsiam_error *err);

#endif /* RDSIAM_JSON_CREDS_H */
