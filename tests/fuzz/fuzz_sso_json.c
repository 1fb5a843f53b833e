/*
 * fuzz_sso_json.c - the IAM Identity Center parsers on arbitrary input: the
 * token cache file (rdsiam__sso_parse_token) and the portal's answer
 * (rdsiam__sso_parse_credentials); the first byte chooses which.
 *
 * Properties: they never crash or leak; a token that is accepted is
 * non-empty printable ASCII (an HTTP header can carry it); accepted
 * credentials pass the signer's checks and expire in the future; on failure
 * nothing is handed out. The shared JSON reader (rdsiam__json_parse)
 * accepts only texts its recognizer (rdsiam__json_lex) accepts, answers
 * OK or RDSIAM_ERR_JSON only (no allocation fails under the fuzzer, so
 * RDSIAM_ERR_NO_MEMORY would mean it ran out of room it had sized for the
 * text), and hands out nothing when it refuses.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "json_lex.h"
#include "json_reader.h"
#include "source_sso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void token_case(const char *s, size_t n)
{
    char *token = NULL;
    int64_t t = -1;
    size_t i;

    if (rdsiam__sso_parse_token(s, n, &token, &t, NULL) == RDSIAM_OK) {
        FUZZ_CHECK(token && *token);
        for (i = 0; token[i]; i++)
            FUZZ_CHECK(token[i] >= 0x20 && token[i] < 0x7f);
        rdsiam__free_secret_str(token);
    } else {
        FUZZ_CHECK(token == NULL);
    }
}

static void credentials_case(const char *s, size_t n)
{
    rdsiam__creds c;
    rdsiam_credentials v;
    int rc = rdsiam__sso_parse_credentials(s, n, &c, NULL);

    if (rc == RDSIAM_OK) {
        v = rdsiam__creds_view(&c);
        FUZZ_CHECK(rdsiam__check_credentials(&v, NULL) == RDSIAM_OK);
        FUZZ_CHECK(c.expiration > rdsiam__now());
        rdsiam__creds_clear(&c);
    } else {
        FUZZ_CHECK(rc < 0);
        FUZZ_CHECK(!c.access_key_id && !c.secret_access_key &&
                   !c.session_token);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rdsiam__json *j = NULL;
    rdsiam__json_lexed found;
    char *s;
    int rc;

    if (size < 1)
        return 0;
    s = fuzz_text(data + 1, size - 1);
    if (!s)
        return 0;
    if (data[0] & 1)
        token_case(s, size - 1);
    else
        credentials_case(s, size - 1);
    rc = rdsiam__json_parse(s, size - 1, "fuzz", "the input", RDSIAM_ERR_JSON,
                            &j, NULL);
    FUZZ_CHECK(rc == RDSIAM_OK || rc == RDSIAM_ERR_JSON);
    if (rc == RDSIAM_OK)
        FUZZ_CHECK(rdsiam__json_lex(s, size - 1, NULL, 0, &found));
    else
        FUZZ_CHECK(j == NULL);
    rdsiam__json_free(j);
    free(s);
    return 0;
}
