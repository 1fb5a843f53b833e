/*
 * sts.h - calls to AWS STS (AssumeRole, AssumeRoleWithWebIdentity) for the
 * credential sources that need them: the endpoint, the signed or unsigned
 * Query-protocol request; the XML answer is sts_answer.h's. Internal;
 * the calls are compiled only when RDSIAM_HTTP is 1 (the settings type
 * always, for the sources' configs).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_STS_H
#define RDSIAM_STS_H

#include "endpoint.h"
#include "source.h"
#include "sts_answer.h"

/* Where and how to reach STS: the settings every STS call takes, held
 * once here and embedded in the configs of the sources that call STS
 * (source_assume_role.h, source_web_identity.h). Every field may be zero.
 * Borrowed by the calls; a source keeps an owned copy
 * (rdsiam__sts_config_copy). Defined also with HTTP=no, where the
 * sources' constructors still take it. */
typedef struct rdsiam__sts_config {
    /* The region whose STS to call and to sign for (botocore: the region
     * of the client that needs the credentials). NULL: the global endpoint
     * https://sts.amazonaws.com, signed for us-east-1, as botocore does for
     * an STS client with no region. */
    const char *region;
    /* An endpoint set by the caller in code; it beats every configured
     * one (botocore: create_client(endpoint_url=...) skips the configured
     * look-up). NULL: the configured endpoint (rdsiam__endpoint_lookup:
     * AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then res's selected profile's
     * services section and endpoint_url), then the regional default. */
    const char *endpoint_url;
    /* The resolution whose selected profile the configured endpoint is
     * read from (borrowed); NULL: the environment only. */
    rdsiam__resolution *res;
    /* CA bundle for https (AWS_CA_BUNDLE, a profile's ca_bundle); NULL:
     * the system store. */
    const char *ca_file;
    long timeout_ms;           /* per attempt; 0: RDSIAM__STS_TIMEOUT_MS */
    unsigned int max_attempts; /* 0: RDSIAM__STS_ATTEMPTS */
    long backoff_ms;           /* first retry pause; 0: default */
} rdsiam__sts_config;

#if RDSIAM_HTTP

#define RDSIAM__STS_API_VERSION "2011-06-15"
/* Defaults for the zero fields of rdsiam__sts_config. */
#define RDSIAM__STS_TIMEOUT_MS 5000L
#define RDSIAM__STS_ATTEMPTS 3u
#define RDSIAM__STS_BACKOFF_MS 100L
/* The largest STS answer read; real ones are about 2 KiB plus the token. */
#define RDSIAM__STS_MAX_BODY ((size_t)64 * 1024)
#define RDSIAM__STS_URL_MAX 2048
/* RoleSessionName: STS allows 2..64 of [\w+=,.@-]. */
#define RDSIAM__STS_SESSION_NAME_MAX 64
/* A web identity token (a JWT); STS takes up to 20000 characters. */
#define RDSIAM__STS_WEB_TOKEN_MAX 20000

/*
 * *out = cfg with its strings (region, endpoint_url, ca_file) copied and
 * owned by *out, an empty region made NULL (the global endpoint); res
 * stays borrowed. Out of memory sets *ok to false and never sets it to
 * true (as rdsiam__strdup_opt); either way release *out with
 * rdsiam__sts_config_free.
 */
void rdsiam__sts_config_copy(rdsiam__sts_config *out,
                             const rdsiam__sts_config *cfg, bool *ok);
/* Free the strings of a copy made by rdsiam__sts_config_copy. */
void rdsiam__sts_config_free(rdsiam__sts_config *cfg);

/*
 * *out = the STS settings of a chain's resolution, the same for every
 * source and hop that calls STS (botocore: one session's STS client): the
 * region (rdsiam__resolution_region, written into region: size bytes, ""
 * for none), the CA bundle (AWS_CA_BUNDLE, else the profile's ca_bundle),
 * res's timeout, and res for the configured endpoint. *out borrows res and
 * region. Returns the look-ups' errors.
 */
int rdsiam__sts_config_of(rdsiam__resolution *res, char *region, size_t size,
                          rdsiam__sts_config *out, rdsiam_error *err);

/* A resolved endpoint. */
typedef struct rdsiam__sts_endpoint {
    char *url; /* allocated; free with rdsiam__sts_endpoint_free */
    char region[RDSIAM_REGION_MAX + 1];       /* the signing region */
    char source[RDSIAM__ENDPOINT_SOURCE_MAX]; /* where url came from */
    bool plain_http;                          /* http:// to a loopback host */
} rdsiam__sts_endpoint;

/*
 * Resolve the endpoint for cfg (see rdsiam__sts_config.endpoint_url for
 * the order). The default is https://sts.REGION.SUFFIX with the partition's
 * DNS suffix (amazonaws.com, amazonaws.com.cn for cn-*, c2s.ic.gov for
 * us-iso-*, ...; botocore 1.43's table). An endpoint URL is read by
 * endpoint.c's parser (libcurl's URL API): http(s), a host that is a DNS
 * name (botocore's is_valid_endpoint_url) or an IP address, no user
 * information, query or fragment; plain http only to a loopback host
 * (127.0.0.0/8, ::1, localhost). Returns RDSIAM_OK, RDSIAM_ERR_URI_INVALID,
 * RDSIAM_ERR_URI_NOT_ALLOWED, a region error, or the look-up's errors (a
 * missing services section: RDSIAM_ERR_PROFILE_INVALID). Reads the
 * environment and cfg->res's parsed files.
 */
int rdsiam__sts_resolve_endpoint(const rdsiam__sts_config *cfg,
                                 rdsiam__sts_endpoint *out, rdsiam_error *err);
void rdsiam__sts_endpoint_free(rdsiam__sts_endpoint *ep);

/*
 * STS AssumeRole, signed with SigV4 (service "sts") with source (its
 * session token sent as X-Amz-Security-Token). role_arn and session_name
 * are required (session_name: 2..64 of [A-Za-z0-9_+=,.@-]); external_id
 * may be NULL; duration_seconds 0 sends none (STS's default, 3600), else
 * 900..43200. On RDSIAM_OK *out holds allocated credentials with their
 * expiration (release with rdsiam__creds_clear()). Errors:
 *   RDSIAM_ERR_STS    STS answered with an error document; the message
 *                     names its Code and Message (control characters
 *                     escaped) and the HTTP status;
 *   RDSIAM_ERR_XML    the answer is not the expected XML (truncated,
 *                     malformed, a field missing or repeated, a NUL);
 *   RDSIAM_ERR_CREDENTIALS_EXPIRED  the credentials are already expired;
 *   RDSIAM_ERR_HTTP, RDSIAM_ERR_HTTP_STATUS, RDSIAM_ERR_URI_*, argument
 *                     errors (RDSIAM_ERR_INVALID_ARGUMENT naming the field).
 * 5xx answers, 429 and STS's throttling error codes are retried with
 * backoff up to max_attempts; AccessDenied, ExpiredToken and every other
 * error are not. Every buffer that held a secret is wiped. Thread-safe.
 */
int rdsiam__sts_assume_role(const rdsiam__sts_config *cfg,
                            const rdsiam_credentials *source,
                            const char *role_arn, const char *session_name,
                            const char *external_id,
                            unsigned int duration_seconds, rdsiam__creds *out,
                            rdsiam_error *err);

/*
 * STS AssumeRoleWithWebIdentity, unsigned: token (token_len bytes, a
 * secret; 4..RDSIAM__STS_WEB_TOKEN_MAX, no NUL) is sent in the form body
 * and wiped from every buffer this call makes. Otherwise as
 * rdsiam__sts_assume_role (no external id or duration).
 */
int rdsiam__sts_assume_role_with_web_identity(
    const rdsiam__sts_config *cfg, const char *role_arn,
    const char *session_name, const char *token, size_t token_len,
    rdsiam__creds *out, rdsiam_error *err);

#endif /* RDSIAM_HTTP */

#endif /* RDSIAM_STS_H */
