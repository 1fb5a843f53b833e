/*
 * source_container.h - the steps of the container credential source
 * (ECS task roles, EKS Pod Identity, Greengrass, Lambda SnapStart) that
 * need no network, exposed for the conformance tests. Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_CONTAINER_H
#define RDSIAM_SOURCE_CONTAINER_H

#include "endpoint.h"
#include "source.h"

#define RDSIAM__CONTAINER_RELATIVE_ENV "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
#define RDSIAM__CONTAINER_FULL_ENV "AWS_CONTAINER_CREDENTIALS_FULL_URI"
#define RDSIAM__CONTAINER_TOKEN_ENV "AWS_CONTAINER_AUTHORIZATION_TOKEN"
#define RDSIAM__CONTAINER_TOKEN_FILE_ENV                                       \
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
/* The ECS agent's address; relative URIs are appended to it. */
#define RDSIAM__CONTAINER_ECS_BASE "http://169.254.170.2"

#define RDSIAM__CONTAINER_URI_MAX 4096
#define RDSIAM__CONTAINER_TOKEN_MAX 16384

/*
 * The endpoint URL the environment configures, checked:
 *   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (when set: it wins, as in
 *   botocore) appended to http://169.254.170.2, else
 *   AWS_CONTAINER_CREDENTIALS_FULL_URI as is.
 * The URL is read by endpoint.c's parser (libcurl's URL API): http(s), no
 * user information (a query and fragment may follow). Over plain http the
 * host must be loopback (127.0.0.0/8, ::1, localhost), 169.254.170.2,
 * 169.254.170.23 or fd00:ec2::23; https may name any host. Nothing is
 * resolved or connected to.
 *
 * *url receives an allocated string (free()), NULL on failure; *parts,
 * when not NULL, the URL as read by rdsiam__url_parse (pointing into
 * *url). Returns
 * RDSIAM_OK; RDSIAM_ERR_NO_CREDENTIALS when neither variable is set;
 * RDSIAM_ERR_URI_INVALID; RDSIAM_ERR_URI_NOT_ALLOWED; with HTTP=no (no URL
 * parser) RDSIAM_ERR_NOT_BUILT_IN for any URI.
 */
int rdsiam__container_resolve_uri(char **url, rdsiam__url *parts,
                                  rdsiam_error *err);

/*
 * Check one URL against the rules above; var names its source in
 * messages. Returns RDSIAM_OK, RDSIAM_ERR_URI_INVALID,
 * RDSIAM_ERR_URI_NOT_ALLOWED or (HTTP=no) RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__container_check_uri(const char *url, const char *var,
                                rdsiam_error *err);

/*
 * The Authorization value: the contents of the file named by
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read now, so a rotated file is
 * picked up) when that is set, else AWS_CONTAINER_AUTHORIZATION_TOKEN, as
 * is (not trimmed). *token receives an allocated secret (wipe with
 * rdsiam__free_secret_str) or NULL when neither is set. CR, LF or NUL in
 * it is RDSIAM_ERR_AUTH_TOKEN_INVALID; an unreadable file RDSIAM_ERR_FILE_IO.
 */
int rdsiam__container_auth_token(char **token, rdsiam_error *err);

/*
 * Parse an endpoint's JSON answer (len bytes of body, NUL-terminated) into
 * *out: AccessKeyId, SecretAccessKey, Token and Expiration are required
 * (botocore's ContainerProvider reads all four). Strings in *out are
 * allocated (release with rdsiam__creds_clear()). Read strictly by json.c
 * (a NUL in any string is refused, every copy wiped). RDSIAM_ERR_JSON names
 * the missing or malformed field; RDSIAM_ERR_ACCESS_KEY_INVALID for a key
 * id not of the documented form; RDSIAM_ERR_CREDENTIALS_EXPIRED when
 * Expiration is not after now.
 */
int rdsiam__container_parse(const char *body, size_t len, rdsiam__creds *out,
                            rdsiam_error *err);

#endif /* RDSIAM_SOURCE_CONTAINER_H */
