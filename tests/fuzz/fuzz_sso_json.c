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
 * text), and hands out nothing when it refuses; what its writer makes of
 * an accepted document is accepted again.
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
#include "sso_token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void token_case(const char *s, size_t n)
{
    rdsiam__sso_token t;
    size_t i;

    if (rdsiam__sso_parse_token(s, n, &t, NULL) == RDSIAM_OK) {
        FUZZ_CHECK(t.access_token && *t.access_token);
        for (i = 0; t.access_token[i]; i++)
            FUZZ_CHECK(t.access_token[i] >= 0x20 && t.access_token[i] < 0x7f);
        rdsiam__sso_token_clear(&t);
    } else {
        FUZZ_CHECK(!t.access_token && !t.client_secret && !t.refresh_token);
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

/* What the writer makes of an accepted document of ntoks tokens, with a
 * member added (its name and value need escapes), is accepted again: the
 * same tokens and the added member's two, whose value reads back as
 * written. (A document that has that member already has it replaced.) */
static void rewritten(const rdsiam__json *j, size_t ntoks)
{
    static const char name[] = "\001added\"";
    static const rdsiam__json_member added = {name, "v\n", false, 0, NULL, 0};
    bool had = rdsiam__json_has(j, name);
    rdsiam__json_lexed after;
    rdsiam__json *again = NULL;
    const char *v = NULL;
    rdsiam__buf out;

    rdsiam__buf_init(&out, 1 << 20);
    FUZZ_CHECK(rdsiam__json_write(j, &added, 1, "fuzz", &out, NULL) ==
               RDSIAM_OK);
    FUZZ_CHECK(rdsiam__json_lex(out.data, out.len, NULL, 0, &after));
    FUZZ_CHECK(had || after.count == ntoks + 2);
    FUZZ_CHECK(rdsiam__json_parse(out.data, out.len, "fuzz", "the output",
                                  RDSIAM_ERR_JSON, &again, NULL) == RDSIAM_OK);
    FUZZ_CHECK(rdsiam__json_string(again, name, true, &v, NULL) == RDSIAM_OK &&
               strcmp(v, "v\n") == 0);
    rdsiam__json_free(again);
    rdsiam__buf_free(&out);
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
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(rdsiam__json_lex(s, size - 1, NULL, 0, &found));
        rewritten(j, found.count);
    } else {
        FUZZ_CHECK(j == NULL);
    }
    rdsiam__json_free(j);
    free(s);
    return 0;
}
