/*
 * token_checks.c - see token_checks.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers/token_checks.h"
#include "provider.h"

static int counting_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    counting_source *c = self;

    c->fetches++;
    if (c->fail_rc)
        return rdsiam__fail(err, c->fail_rc, "test source fails");
    return rdsiam__creds_set(out, c->creds.access_key_id,
                             c->creds.secret_access_key, c->creds.session_token,
                             "test source", err);
}

static void counting_destroy(void *self)
{
    (void)self;
}

rdsiam_provider *counting_provider(counting_source *c, const char *region)
{
    rdsiam__source s = {"test source", counting_fetch, counting_destroy, c};
    rdsiam_provider_options o = {.region = region};
    rdsiam_provider *p = NULL;
    rdsiam_error err;

    if (rdsiam__provider_new(&p, s, &o, &err) != RDSIAM_OK)
        fail_msg("provider: %s", err.message);
    return p;
}

void expect_refused(int rc, int code, const rdsiam_error *err, const char *word,
                    const char *secret, const char *buf, size_t needed)
{
    if (rc != code)
        fail_msg("got %d (%s), want %d (%s)", rc, err->message, code, word);
    assert_int_equal(err->code, code);
    if (!strstr(err->message, word))
        fail_msg("message '%s' does not name '%s'", err->message, word);
    assert_null(strstr(err->message, secret));
    assert_string_equal(buf, "");
    assert_int_equal(needed, 0);
    assert_string_not_equal(rdsiam_strerror(code), "unknown error");
}
