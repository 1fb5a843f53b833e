/*
 * token_msk.c - the Amazon MSK IAM access control token for Kafka's
 * SASL/OAUTHBEARER, as AWS's signer libraries make it
 * (aws-msk-iam-sasl-signer-python MSKAuthTokenProvider.py,
 * aws-msk-iam-sasl-signer-go signer/msk_auth_token_provider.go):
 *
 *   1. presign GET
 * https://kafka.REGION.amazonaws.com/?Action=kafka-cluster:Connect for the
 * service "kafka-cluster", X-Amz-Expires=900 (the Python signer with botocore's
 * SigV4QueryAuth, whose parameter order we keep: Action, then the X-Amz-*
 * parameters, signature last);
 *   2. append "&User-Agent=NAME/VERSION", unsigned (the Python signer
 *      sets it as a request parameter after signing; its urlencode()
 *      writes a space as '+');
 *   3. encode the whole URL, scheme included, as base64url and strip the
 *      '=' padding ("base64.urlsafe_b64encode(...).rstrip('=')", Go's
 *      base64.RawURLEncoding).
 *
 * The token's expiry for the client is X-Amz-Date + 900 s in milliseconds
 * (the signers' expiration_timestamp_ms), which is what librdkafka's
 * rd_kafka_oauthbearer_set_token() takes as md_lifetime_ms.
 *
 * MSK Serverless: the same token signed for kafka-serverless.REGION
 * .amazonaws.com (fluent-bit's MSK IAM support, PR #10525, uses that host
 * for serverless clusters). Both hosts are in amazonaws.com for every
 * region, as in AWS's signers.
 *
 * The URL is written by the token core (token.c) at the end of the
 * caller's buffer, then encoded from there to the buffer's front in place
 * (rdsiam__base64url_encode): no allocation, no second buffer.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "provider.h"

#define SLEN(s) (sizeof(s) - 1)

static const char SCHEME[] = "https://";
static const char UA_KEY[] = "&User-Agent=";
static const char DEFAULT_UA[] = "librdsiam/" RDSIAM_VERSION_STRING;
/* "kafka-serverless." REGION ".amazonaws.com" and a NUL */
#define HOST_MAX (SLEN("kafka-serverless.") + RDSIAM_REGION_MAX + 15)

static const char HEX_UPPER[] = "0123456789ABCDEF";

/* The user agent as Python's urlencode() writes it (quote_plus): a space
 * is '+', the RFC 3986 unreserved characters stay, the rest is %XX. */
static size_t put_user_agent(char *out, const char *ua)
{
    char *p = out;

    for (; *ua; ua++) {
        unsigned char c = (unsigned char)*ua;

        if (c == ' ') {
            *p++ = '+';
        } else if (RDSIAM__UNRESERVED(c)) {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = HEX_UPPER[c >> 4];
            *p++ = HEX_UPPER[c & 15];
        }
    }
    return (size_t)(p - out);
}

/* Printable ASCII, 1..RDSIAM_MSK_USER_AGENT_MAX bytes; *enc_len: its
 * length once encoded. */
static int check_user_agent(const char *ua, size_t *enc_len, rdsiam_error *err)
{
    size_t n = 0, e = 0;

    for (; ua[n]; n++) {
        unsigned char c = (unsigned char)ua[n];

        if (n == RDSIAM_MSK_USER_AGENT_MAX)
            return rdsiam__fail(err, RDSIAM_ERR_USER_AGENT,
                                "user_agent is longer than %d bytes",
                                RDSIAM_MSK_USER_AGENT_MAX);
        if (c < 0x20 || c > 0x7e)
            return rdsiam__fail(err, RDSIAM_ERR_USER_AGENT,
                                "user_agent has a byte that is not printable "
                                "ASCII");
        e += (c == ' ' || RDSIAM__UNRESERVED(c)) ? 1 : 3;
    }
    if (n == 0)
        return rdsiam__fail(err, RDSIAM_ERR_USER_AGENT, "user_agent is empty");
    *enc_len = e;
    return RDSIAM_OK;
}

/* Every check of params, and the host into s (from host[]). region NULL
 * passes (no host yet) when the provider is to resolve it. */
static int check_params(const rdsiam_msk_params *params, bool region_null_ok,
                        char host[HOST_MAX], size_t *ua_enc_len,
                        rdsiam__presign_spec *s, rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, params, RDSIAM_ERR_NULL_ARGUMENT,
                  "MSK parameters are NULL");
    if (params->region || !region_null_ok) {
        RDSIAM_GUARD(rdsiam__token_check_region(params->region, s, err));
        (void)snprintf(host, HOST_MAX, "%s.%s.amazonaws.com",
                       params->serverless ? "kafka-serverless" : "kafka",
                       params->region);
        RDSIAM_GUARD(rdsiam__token_check_host(host, s, err));
    }
    RDSIAM_GUARD(check_user_agent(
        params->user_agent ? params->user_agent : DEFAULT_UA, ua_enc_len, err));
    RDSIAM_GUARD(rdsiam__check_time(params->signing_time, &s->time, err));
done:
    return rc;
}

int rdsiam_generate_msk_token(const rdsiam_msk_params *params,
                              const rdsiam_credentials *creds, char *buf,
                              size_t bufsize, size_t *needed,
                              int64_t *expires_ms, rdsiam_error *err)
{
    char host[HOST_MAX];
    rdsiam__presign_spec s = {.action = "kafka-cluster:Connect",
                              .action_len = 21,
                              .service = "kafka-cluster",
                              .service_len = 13,
                              .expires = RDSIAM_TOKEN_LIFETIME};
    size_t ua_enc_len = 0, url_need = 0, url_len, b64_len, need = 0;
    char *url;
    int rc = RDSIAM_OK;

    if (needed)
        *needed = 0;
    if (expires_ms)
        *expires_ms = 0;
    RDSIAM_ENSURE(err, buf || bufsize == 0, RDSIAM_ERR_NULL_ARGUMENT,
                  "output buffer is NULL but its size is not 0");
    RDSIAM_GUARD(check_params(params, false, host, &ua_enc_len, &s, err));
    RDSIAM_GUARD(rdsiam__token_check_creds(creds, &s, err));

    /* The presigned URL's size (its NUL included), then the token's. */
    rc = rdsiam__presign(&s, creds, NULL, 0, &url_need);
    RDSIAM_ENSURE(err, rc == RDSIAM_ERR_BUFFER_TOO_SMALL && url_need > 65,
                  RDSIAM_ERR_INTERNAL, "cannot size the presigned URL");
    url_len = SLEN(SCHEME) + url_need - 1 + SLEN(UA_KEY) + ua_enc_len;
    b64_len = rdsiam__base64url_len(url_len);
    need = b64_len + 1;
    if (needed)
        *needed = need;
    if (!buf || bufsize < need)
        goto done; /* rc: RDSIAM_ERR_BUFFER_TOO_SMALL */

    /* The URL at the end of the token's room, encoded to its front. */
    url = buf + (b64_len - url_len);
    memcpy(url, SCHEME, SLEN(SCHEME));
    RDSIAM_GUARD(
        rdsiam__presign(&s, creds, url + SLEN(SCHEME), url_need, NULL));
    memcpy(url + SLEN(SCHEME) + url_need - 1, UA_KEY, SLEN(UA_KEY));
    (void)put_user_agent(url + SLEN(SCHEME) + url_need - 1 + SLEN(UA_KEY),
                         params->user_agent ? params->user_agent : DEFAULT_UA);
    rdsiam__base64url_encode(buf, url, url_len);
    buf[b64_len] = '\0';
    if (expires_ms)
        *expires_ms = (s.time + RDSIAM_TOKEN_LIFETIME) * 1000;
done:
    return rdsiam__token_finish(rc, buf, bufsize, need, err);
}

/* ------------------------------------------------------------------------ */
/* Through a provider                                                       */
/* ------------------------------------------------------------------------ */

typedef struct job {
    rdsiam_msk_params params; /* with the region resolved */
    char *buf;
    size_t bufsize;
    size_t *needed;
    int64_t *expires_ms;
} job;

static int sign_job(void *ctx, const rdsiam_credentials *creds,
                    rdsiam_error *err)
{
    const job *j = ctx;

    return rdsiam_generate_msk_token(&j->params, creds, j->buf, j->bufsize,
                                     j->needed, j->expires_ms, err);
}

int rdsiam_provider_generate_msk_token(rdsiam_provider *p,
                                       const rdsiam_msk_params *params,
                                       char *buf, size_t bufsize,
                                       size_t *needed, int64_t *expires_ms,
                                       rdsiam_error *err)
{
    char host[HOST_MAX];
    size_t ua_enc_len;
    rdsiam__presign_spec s = {0};
    job j = {.buf = buf,
             .bufsize = bufsize,
             .needed = needed,
             .expires_ms = expires_ms};
    int rc = RDSIAM_OK;

    if (buf && bufsize)
        buf[0] = '\0';
    if (needed)
        *needed = 0;
    if (expires_ms)
        *expires_ms = 0;
    RDSIAM_ENSURE(err, p, RDSIAM_ERR_NULL_ARGUMENT, "provider is NULL");
    /* A typo must not cost a region lookup or a credential fetch. */
    RDSIAM_GUARD(check_params(params, true, host, &ua_enc_len, &s, err));
    j.params = *params;
    rc = rdsiam__provider_sign(p, &j.params.region, sign_job, &j, err);
done:
    return rc;
}
