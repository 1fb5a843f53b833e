/*
 * source_process.c - credentials from a profile's credential_process.
 *
 * The command runs through process.c (how it is split, executed, timed
 * out and killed); this file decides when it runs and reads what it
 * prints, which the AWS documentation ("Sourcing credentials with an
 * external process") defines as
 *   {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
 *    "SessionToken": ...?, "Expiration": ISO-8601?}
 * parsed strictly as botocore's json.loads does (json.c). No Expiration
 * means the credentials do not expire; an Expiration in the past,
 * 1970-01-01T00:00:00Z included, is refused as expired (botocore's
 * ProcessProvider does the same), by the provider's freshness check.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_creds.h"
#include "process.h"
#include "source.h"

int rdsiam__process_parse(const char *text, size_t len, const char *what,
                          rdsiam__creds *out, rdsiam_error *err)
{
    static const rdsiam__json_creds_fields fields = {
        "AccessKeyId", "SecretAccessKey", "SessionToken",
        false,         "Expiration",      false};
    char prefix[160];
    rdsiam__json *j = NULL;
    int64_t version = 0;
    bool version_ok;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    snprintf(prefix, sizeof prefix, "credential_process for %s", what);
    RDSIAM_GUARD(rdsiam__json_parse(text, len, prefix, "output",
                                    RDSIAM_ERR_PROCESS_OUTPUT, &j, err));
    RDSIAM_ENSURE(err, rdsiam__json_has(j, "Version"),
                  RDSIAM_ERR_PROCESS_OUTPUT, "%s: output has no Version",
                  prefix);
    /* "Version must be 1" (botocore: Unsupported version) */
    version_ok = rdsiam__json_int(j, "Version", &version, NULL) == RDSIAM_OK &&
                 version == 1;
    RDSIAM_ENSURE(err, version_ok, RDSIAM_ERR_PROCESS_OUTPUT,
                  "%s: unsupported Version (only 1 is supported)", prefix);
    RDSIAM_GUARD(rdsiam__json_creds(j, &fields, out, err));
done:
    rdsiam__json_free(j);
    return rc;
}

int rdsiam__process_credentials(const char *command, long timeout_ms,
                                const char *what, rdsiam__creds *out,
                                rdsiam_error *err)
{
    rdsiam__buf text;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    rdsiam__buf_init(&text, RDSIAM__PROCESS_OUTPUT_MAX);
    RDSIAM_GUARD(rdsiam__process_run(command, timeout_ms, what, &text, err));
    RDSIAM_GUARD(rdsiam__process_parse(text.data ? text.data : "", text.len,
                                       what, out, err));
done:
    rdsiam__buf_free(&text);
    return rc;
}

static int process_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    rdsiam__bound *src = self;
    const rdsiam__profile *p = NULL;
    const char *name = rdsiam__bound_profile(src);
    const char *command;
    char what[160];
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__resolution_profile(src->res, src->profile, &p, err));
    command = rdsiam__profile_get(p, "credential_process");
    RDSIAM_ENSURE(err, command && *command, RDSIAM_ERR_NO_CREDENTIALS,
                  "profile %s has no credential_process", name);
    snprintf(what, sizeof what, "profile %s", name);
    RDSIAM_GUARD(rdsiam__process_credentials(command, src->res->timeout_ms,
                                             what, out, err));
done:
    return rc;
}

int rdsiam__source_process(rdsiam__source *out, rdsiam__resolution *res,
                           const char *profile, rdsiam_error *err)
{
    return rdsiam__bound_new(out, "credential_process", process_fetch, res,
                             profile, err);
}
