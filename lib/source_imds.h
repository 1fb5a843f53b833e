/*
 * source_imds.h - the EC2 instance metadata (IMDS) credential source: its
 * configuration and the steps that need no network, exposed for the tests.
 * Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_SOURCE_IMDS_H
#define RDSIAM_SOURCE_IMDS_H

#include "source.h"

#define RDSIAM__IMDS_BASE_IPV4 "http://169.254.169.254"
#define RDSIAM__IMDS_BASE_IPV6 "http://[fd00:ec2::254]"
#define RDSIAM__IMDS_TOKEN_PATH "latest/api/token"
#define RDSIAM__IMDS_CREDS_PATH "latest/meta-data/iam/security-credentials/"
/* Session token lifetime asked for, in seconds (botocore's _TOKEN_TTL). */
#define RDSIAM__IMDS_TOKEN_TTL 21600
/* A session token is renewed this many seconds before its TTL runs out. */
#define RDSIAM__IMDS_TOKEN_MARGIN 120
#define RDSIAM__IMDS_URI_MAX 2048
/* botocore's defaults: one attempt of one second. */
#define RDSIAM__IMDS_DEFAULT_TIMEOUT 1
#define RDSIAM__IMDS_DEFAULT_ATTEMPTS 1
#define RDSIAM__IMDS_MAX_TIMEOUT 3600
#define RDSIAM__IMDS_MAX_ATTEMPTS 100

/*
 * What the caller (the chain, later: the profile) knows. Every field is
 * optional (NULL: not set); strings are copied by the constructor.
 *
 * endpoint, endpoint_mode: set in code (a provider option); they win over
 *   the environment and the profile, as in the SDKs' builders.
 * profile_*: the profile's ec2_metadata_service_endpoint,
 *   ec2_metadata_service_endpoint_mode, ec2_metadata_v1_disabled,
 *   imds_use_ipv6, metadata_service_timeout and
 *   metadata_service_num_attempts; the matching environment variable wins
 *   over each (botocore's config chain: environment, then config file).
 */
typedef struct rdsiam__imds_config {
    const char *endpoint;
    const char *endpoint_mode;
    const char *profile_endpoint;
    const char *profile_endpoint_mode;
    const char *profile_v1_disabled;
    const char *profile_use_ipv6;
    const char *profile_timeout;
    const char *profile_num_attempts;
} rdsiam__imds_config;

/* The settings in force for one fetch, resolved from config and the
 * environment (read through rdsiam__getenv). */
typedef struct rdsiam__imds_settings {
    char *base;       /* endpoint URL (allocated); paths are appended */
    bool disabled;    /* AWS_EC2_METADATA_DISABLED=true */
    bool v1_disabled; /* no fallback to IMDSv1 */
    long timeout_ms;  /* per request */
    unsigned int attempts;
} rdsiam__imds_settings;

/*
 * Resolve the settings. Endpoint, in order: config endpoint,
 * AWS_EC2_METADATA_SERVICE_ENDPOINT, profile_endpoint; else by mode
 * (config endpoint_mode, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE,
 * profile_endpoint_mode, case-insensitive "IPv4" or "IPv6"; else
 * AWS_IMDS_USE_IPV6 / profile_use_ipv6 = true means IPv6; else IPv4).
 * A mode that is set is checked even when an endpoint wins (botocore
 * resolves the mode first). Timeout: AWS_METADATA_SERVICE_TIMEOUT or
 * profile_timeout, whole seconds 1..3600 (default 1); attempts:
 * AWS_METADATA_SERVICE_NUM_ATTEMPTS or profile_num_attempts, 1..100
 * (default 1).
 *
 * Returns RDSIAM_OK (release with rdsiam__imds_settings_free);
 * RDSIAM_ERR_INVALID_ARGUMENT for a bad mode, RDSIAM_ERR_URI_INVALID for a
 * bad endpoint (endpoint.c's parser: http(s), a DNS name or an IP address,
 * no user information, query or fragment; RDSIAM_ERR_NOT_BUILT_IN with
 * HTTP=no), RDSIAM_ERR_ENV_INVALID for a bad timeout, attempt count or
 * boolean. Messages name the variable or profile key.
 */
int rdsiam__imds_settings_resolve(const rdsiam__imds_config *cfg,
                                  rdsiam__imds_settings *out,
                                  rdsiam_error *err);
void rdsiam__imds_settings_free(rdsiam__imds_settings *s);

/* base + "/" (unless base ends with one) + path, as botocore's
 * _construct_url; *url allocated (free()). RDSIAM_ERR_NO_MEMORY. */
int rdsiam__imds_url(const char *base, const char *path, char **url);

/*
 * Parse the credentials document (len bytes, NUL-terminated): Code must be
 * "Success" when present; AccessKeyId, SecretAccessKey, Token and
 * Expiration are required. Strings in *out are allocated (release with
 * rdsiam__creds_clear()). Credentials that expire within botocore's
 * refresh window are extended as botocore does (static stability): their
 * expiration becomes now + 900 s + a random 120..600 s. Every copy the JSON
 * reader made is wiped. RDSIAM_ERR_JSON names the problem; key ids are checked
 * against [A-Z0-9]{16,128}.
 */
int rdsiam__imds_parse(const char *body, size_t len, rdsiam__creds *out,
                       rdsiam_error *err);

/*
 * The source. cfg may be NULL (everything from the environment). The
 * session token is kept in the source and reused until
 * RDSIAM__IMDS_TOKEN_MARGIN seconds before its TTL; fetch is called with
 * the provider's refresh lock held, so it needs no lock of its own.
 * With HTTP=no: RDSIAM_ERR_NOT_BUILT_IN.
 */
int rdsiam__imds_new(rdsiam__source *out, const rdsiam__imds_config *cfg,
                     rdsiam_error *err);
/* In a chain: rdsiam__source_imds (source.h) reads the config above from
 * the selected profile at each fetch and keeps the session token in the
 * chain link's state between fetches. */

#endif /* RDSIAM_SOURCE_IMDS_H */
