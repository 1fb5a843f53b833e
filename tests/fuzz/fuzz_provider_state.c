/*
 * fuzz_provider_state.c - a caching provider driven through random
 * sequences of fetch, refresh, expiry and failure, with a pinned clock.
 *
 * The provider wraps a scripted source: each fetch either fails with a
 * chosen error or returns fresh credentials numbered by the fetch (access
 * key id "AKIDFUZZ<n>", a secret and a session token derived from n, the
 * token from 0 to 16 KB long) with a chosen lifetime, possibly already
 * expired, possibly none. Operations, one per input byte plus arguments:
 * advance the clock, set the next fetch's outcome or lifetime, get
 * credentials, get cached credentials, force a refresh, ask when a
 * refresh is due, sign a token.
 *
 * Oracles, after every operation:
 *   - credentials handed out are exactly those of one successful fetch:
 *     every string byte for byte at full length (a token shorter than it
 *     went in is a finding), with that fetch's expiration;
 *   - they are never expired at the current time;
 *   - nothing is handed out on failure, and every error is one the source
 *     gave or a documented provider error;
 *   - get_cached never calls the source;
 *   - a signed token carries the session token of the credentials in use.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdio.h>

#include "fuzz.h"
#include "internal.h"
#include "provider.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FETCHES 256
#define TOKEN_MAX_LEN 16384

static int64_t now_s;

static int64_t pinned_clock(void *ctx)
{
    (void)ctx;
    return now_s;
}

typedef struct fetched {
    int64_t expiration;
    size_t token_len;
} fetched;

typedef struct script {
    int next_rc;       /* error for the next fetch; RDSIAM_OK: succeed */
    int64_t next_life; /* seconds; 0: never expires; < 0: already expired */
    size_t next_token_len;
    unsigned fetches; /* successful fetches so far */
    unsigned calls;   /* calls to fetch */
    fetched made[MAX_FETCHES];
} script;

static const int ERRORS[] = {RDSIAM_ERR_HTTP, RDSIAM_ERR_HTTP_STATUS,
                             RDSIAM_ERR_NO_CREDENTIALS,
                             RDSIAM_ERR_PROCESS_FAILED, RDSIAM_ERR_JSON};

static void secret_for(unsigned n, char *out, size_t size)
{
    snprintf(out, size, "fuzzSecret/%u+%u=", n, n * 2654435761u);
}

/* The session token of fetch n: len bytes from [A-Za-z0-9+/=]. */
static void token_for(unsigned n, size_t len, char *out)
{
    static const char ALPHA[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    for (size_t i = 0; i < len; i++)
        out[i] = ALPHA[(i * 7 + n) % (sizeof ALPHA - 1)];
    out[len] = '\0';
}

static int script_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    script *s = self;
    char id[32], secret[64];
    char *tok = NULL;
    unsigned n;

    s->calls++;
    if (s->next_rc != RDSIAM_OK)
        return rdsiam__fail(err, s->next_rc, "scripted failure");
    if (s->fetches >= MAX_FETCHES)
        return rdsiam__fail(err, RDSIAM_ERR_HTTP, "script exhausted");
    n = s->fetches;
    snprintf(id, sizeof id, "AKIDFUZZ%u", n);
    secret_for(n, secret, sizeof secret);
    if (s->next_token_len) {
        tok = malloc(s->next_token_len + 1);
        if (!tok)
            return rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY);
        token_for(n, s->next_token_len, tok);
    }
    out->access_key_id = rdsiam__strdup(id);
    out->secret_access_key = rdsiam__strdup(secret);
    out->session_token = tok;
    out->expires = s->next_life != 0;
    out->expiration = s->next_life == 0 ? 0 : now_s + s->next_life;
    if (!out->access_key_id || !out->secret_access_key) {
        rdsiam__creds_clear(out);
        return rdsiam__fail_code(err, RDSIAM_ERR_NO_MEMORY);
    }
    s->made[n].expiration = out->expiration;
    s->made[n].token_len = s->next_token_len;
    s->fetches++;
    return RDSIAM_OK;
}

static void script_destroy(void *self)
{
    (void)self;
}

/* c must be exactly one successful fetch, and not expired now. */
static void check_creds(const script *s, const rdsiam_credentials *c)
{
    char secret[64], *tok;
    unsigned n;
    int used;

    FUZZ_CHECK(c->access_key_id && c->secret_access_key);
    FUZZ_CHECK(sscanf(c->access_key_id, "AKIDFUZZ%u%n", &n, &used) == 1);
    FUZZ_CHECK(c->access_key_id[used] == '\0' && n < s->fetches);
    secret_for(n, secret, sizeof secret);
    FUZZ_CHECK(strcmp(c->secret_access_key, secret) == 0);
    FUZZ_CHECK(c->expiration == s->made[n].expiration);
    FUZZ_CHECK(c->expiration == 0 || c->expiration > now_s);
    if (s->made[n].token_len == 0) {
        FUZZ_CHECK(!c->session_token || !*c->session_token);
        return;
    }
    FUZZ_CHECK(c->session_token &&
               strlen(c->session_token) == s->made[n].token_len);
    tok = malloc(s->made[n].token_len + 1);
    if (!tok)
        return;
    token_for(n, s->made[n].token_len, tok);
    FUZZ_CHECK(strcmp(c->session_token, tok) == 0);
    free(tok);
}

static bool provider_error(int rc)
{
    for (size_t i = 0; i < sizeof ERRORS / sizeof *ERRORS; i++)
        if (rc == ERRORS[i])
            return true;
    return rc == RDSIAM_ERR_CREDENTIALS_EXPIRED || rc == RDSIAM_ERR_NO_MEMORY ||
           rc == RDSIAM_ERR_HTTP;
}

static void op_get(rdsiam_provider *p, script *s, bool cached)
{
    rdsiam_credentials_ref *ref = (rdsiam_credentials_ref *)&ref;
    rdsiam_error err;
    unsigned calls = s->calls;
    int rc;

    rc = cached ? rdsiam_provider_get_cached(p, &ref, &err)
                : rdsiam_provider_get_credentials(p, &ref, &err);
    if (cached)
        FUZZ_CHECK(s->calls == calls);
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(ref != NULL);
        check_creds(s, rdsiam_credentials_ref_get(ref));
        rdsiam_credentials_ref_free(ref);
    } else {
        FUZZ_CHECK(ref == NULL);
        FUZZ_CHECK(err.code == rc);
        FUZZ_CHECK(cached ? rc == RDSIAM_ERR_WOULD_BLOCK : provider_error(rc));
    }
}

static void op_token(rdsiam_provider *p, const script *s)
{
    static char buf[3 * TOKEN_MAX_LEN + 4096];
    const rdsiam_token_params tp = {.hostname = "db.example.com",
                                    .port = 5432,
                                    .username = "fuzz",
                                    .region = "us-east-1",
                                    .signing_time = 1704164645};
    rdsiam_error err;
    int rc;

    buf[0] = 'Z';
    rc = rdsiam_provider_generate_token(p, &tp, buf, sizeof buf, NULL, &err);
    if (rc == RDSIAM_OK) {
        const char *id = strstr(buf, "X-Amz-Credential=AKIDFUZZ");
        unsigned n;
        FUZZ_CHECK(id && sscanf(id + 25, "%u", &n) == 1 && n < s->fetches);
        /* the token travels as X-Amz-Security-Token, unescaped by
         * construction except '+', '/', '=' */
        FUZZ_CHECK((strstr(buf, "X-Amz-Security-Token=") != NULL) ==
                   (s->made[n].token_len != 0));
    } else {
        FUZZ_CHECK(buf[0] == '\0');
        FUZZ_CHECK(provider_error(rc));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static script s;
    fuzz_reader r = {data, size};
    rdsiam_provider_options o = {0};
    rdsiam__source src;
    rdsiam_provider *p = NULL;
    rdsiam_error err;
    int steps = 0;

    memset(&s, 0, sizeof s);
    s.next_life = 3600;
    now_s = 1704164645;
    rdsiam__sys_set_clock(pinned_clock, NULL);
    o.refresh_before = (int64_t)(fuzz_uint(&r, 2) % 2000);
    src.name = "script";
    src.fetch = script_fetch;
    src.destroy = script_destroy;
    src.self = &s;
    if (rdsiam__provider_new(&p, src, &o, &err) != RDSIAM_OK)
        return 0;
    while (r.n > 0 && steps++ < 200) {
        switch (fuzz_uint(&r, 1) % 10) {
        case 0:
            now_s += (int64_t)fuzz_uint(&r, 2);
            break; /* time passes */
        case 1:
            now_s += (int64_t)fuzz_uint(&r, 1) * 600;
            break; /* a jump */
        case 2:
            s.next_rc = ERRORS[fuzz_uint(&r, 1) % 5];
            break;
        case 3:
            s.next_rc = RDSIAM_OK;
            break;
        case 4: {
            int64_t v = (int64_t)fuzz_uint(&r, 2);
            s.next_life = (v % 5 == 0) ? 0 : v - 2000; /* may be expired */
            break;
        }
        case 5:
            s.next_token_len = (size_t)fuzz_uint(&r, 2) % (TOKEN_MAX_LEN + 1);
            break;
        case 6:
            op_get(p, &s, false);
            break;
        case 7:
            op_get(p, &s, true);
            break;
        case 8: {
            int rc = rdsiam_provider_refresh(p, &err);
            FUZZ_CHECK(rc == RDSIAM_OK || provider_error(rc));
            FUZZ_CHECK(rc == RDSIAM_OK || err.code == rc);
            (void)rdsiam_provider_refresh_due(p);
            break;
        }
        default:
            op_token(p, &s);
            break;
        }
    }
    rdsiam_provider_free(p);
    rdsiam__sys_set_clock(NULL, NULL);
    return 0;
}
