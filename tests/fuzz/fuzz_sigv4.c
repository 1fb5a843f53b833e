/*
 * fuzz_sigv4.c - rdsiam_sigv4_sign_headers() and rdsiam_sigv4_presign()
 * with fuzzed requests.
 *
 * Input: flags (1 byte), expires_in (3 bytes), header count (1 byte), then
 * NUL-separated method, path, query, body, region, service and up to 8
 * header name/value pairs; fixed credentials with a session token.
 *
 * Properties: no crash or sanitizer report; on success every output the
 * mode promises is there and the signature is 64 lowercase hex digits; on
 * failure the result holds nothing (all pointers NULL).
 *
 * SPDX-License-Identifier: MIT
 */
#include <rdsiam.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const rdsiam_sigv4_result *res, int presign)
{
    if (rc != RDSIAM_OK) {
        FUZZ_CHECK(!res->canonical_request && !res->string_to_sign &&
                   !res->authorization && !res->query);
        return;
    }
    FUZZ_CHECK(res->canonical_request && res->string_to_sign);
    FUZZ_CHECK(presign ? res->query != NULL : res->authorization != NULL);
    FUZZ_CHECK(strlen(res->signature) == 64 &&
               strspn(res->signature, "0123456789abcdef") == 64);
    FUZZ_CHECK(strlen(res->amz_date) == 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader r = {data, size};
    rdsiam_sigv4_request req;
    rdsiam_sigv4_params sp;
    rdsiam_sigv4_result res;
    rdsiam_header hdrs[8];
    rdsiam_credentials c = {
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        .session_token = "session+token/==",
    };
    char *s[6 + 16];
    size_t nh, ns = 0;
    int rc;

    memset(&req, 0, sizeof req);
    memset(&sp, 0, sizeof sp);
    memset(hdrs, 0, sizeof hdrs);
    sp.flags = (unsigned)fuzz_uint(&r, 1) & 0x1fu;
    sp.expires_in = (int64_t)fuzz_uint(&r, 3);
    sp.signing_time = INT64_C(1440938160); /* 20150830T123600Z */
    nh = (size_t)fuzz_uint(&r, 1) % 9;
    for (ns = 0; ns < 6 + 2 * nh; ns++)
        s[ns] = fuzz_str(&r);
    req.method = s[0];
    req.path = s[1];
    req.query = s[2];
    req.body = (const unsigned char *)s[3];
    req.body_len = s[3] ? strlen(s[3]) : 0;
    sp.region = s[4];
    sp.service = s[5];
    for (size_t i = 0; i < nh; i++) {
        hdrs[i].name = s[6 + 2 * i];
        hdrs[i].value = s[7 + 2 * i];
    }
    req.headers = hdrs;
    req.header_count = nh;

    rc = rdsiam_sigv4_sign_headers(&req, &sp, &c, &res, NULL);
    check(rc, &res, 0);
    rdsiam_sigv4_result_free(&res);
    rc = rdsiam_sigv4_presign(&req, &sp, &c, &res, NULL);
    check(rc, &res, 1);
    rdsiam_sigv4_result_free(&res);

    for (size_t i = 0; i < ns; i++)
        free(s[i]);
    return 0;
}
