/*
 * fuzz_region.c - rdsiam__resolve_region() with every input it reads under
 * the fuzzer's control: the explicit region, AWS_REGION,
 * AWS_DEFAULT_REGION, AWS_PROFILE, the profile argument and the text of
 * the config file. The environment comes through the library's seam.
 *
 * Input: NUL-separated strings in that order; an empty field means unset
 * (NULL) for the explicit region and the profile argument.
 * Properties: no crash, leak or sanitizer report; on success the region
 * is exactly (same bytes, same length) the first source that is set, in
 * the documented order, and passes the signer's region check; the explicit
 * region and the environment variables are never truncated or trimmed on
 * the way. On failure the buffer is "".
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "internal.h"
#include "region.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char config_path[64], creds_path[64];
static const char *env_region, *env_default_region, *env_profile;

static const char *fake_getenv(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "AWS_REGION") == 0)
        return env_region;
    if (strcmp(name, "AWS_DEFAULT_REGION") == 0)
        return env_default_region;
    if (strcmp(name, "AWS_PROFILE") == 0)
        return env_profile;
    if (strcmp(name, "AWS_CONFIG_FILE") == 0)
        return config_path;
    if (strcmp(name, "AWS_SHARED_CREDENTIALS_FILE") == 0)
        return creds_path;
    if (strcmp(name, "HOME") == 0)
        return "/nonexistent";
    return NULL;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* The process's config file goes when the fuzzer exits (libFuzzer ends
 * with exit(), which runs this). */
static void remove_files(void)
{
    unlink(config_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader r = {data, size};
    char *explicit_region = fuzz_str(&r), *reg = fuzz_str(&r),
         *def = fuzz_str(&r), *prof_env = fuzz_str(&r),
         *prof_arg = fuzz_str(&r);
    char buf[RDSIAM_REGION_MAX + 1];
    const char *want = NULL;
    rdsiam_error err;
    FILE *f;
    int rc;

    if (!config_path[0]) {
        snprintf(config_path, sizeof config_path,
                 "/tmp/rdsiam-fuzz-region-%ld.config", (long)getpid());
        snprintf(creds_path, sizeof creds_path,
                 "/tmp/rdsiam-fuzz-region-%ld.none", (long)getpid());
        rdsiam__sys_set_env(fake_getenv, NULL);
        atexit(remove_files);
    }
    f = fopen(config_path, "wb");
    if (f) {
        fwrite(r.p, 1, r.n, f);
        fclose(f);
    }
    env_region = reg;
    env_default_region = def;
    env_profile = prof_env;

    memset(buf, 'Z', sizeof buf);
    rc = rdsiam__resolve_region(nonempty(explicit_region), nonempty(prof_arg),
                                buf, sizeof buf, &err);
    if (nonempty(explicit_region))
        want = explicit_region;
    else if (nonempty(reg))
        want = reg;
    else if (nonempty(def))
        want = def;
    if (rc == RDSIAM_OK) {
        FUZZ_CHECK(rdsiam__check_region(buf, NULL, NULL) == RDSIAM_OK);
        if (want)
            FUZZ_CHECK(strcmp(buf, want) == 0);
    } else {
        FUZZ_CHECK(rc < 0 && err.code == rc);
        FUZZ_CHECK(buf[0] == '\0');
        /* a valid first source can only fail for being too long */
        if (want && rdsiam__check_region(want, NULL, NULL) == RDSIAM_OK)
            __builtin_trap();
    }
    free(explicit_region);
    free(reg);
    free(def);
    free(prof_env);
    free(prof_arg);
    return 0;
}
