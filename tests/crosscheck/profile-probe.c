/*
 * profile-probe.c - print what the profile source and the profile region
 * look-up give for the current environment and files, for
 * tests/crosscheck/botocore_profile.py.
 *
 * Usage: profile-probe [PROFILE]
 * Output, two lines:
 *   creds <key id> <secret> <token or ->  |  error NOT_FOUND|INCOMPLETE|PARSE|OTHER  |  NONE
 *   region <region or ->  |  region error
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "provider.h"

/* botocore's profile sources, in its order (ProfileProviderBuilder). */
static const rdsiam__chain_link profile_links[] = {
    {rdsiam__source_shared_credentials, true},
    {rdsiam__source_process, true},
    {rdsiam__source_config_keys, true},
};

int main(int argc, char **argv)
{
    const char *profile = argc > 1 ? argv[1] : NULL;
    rdsiam_provider_options opts;
    rdsiam__creds c;
    rdsiam__source src;
    rdsiam_error err;
    char *region = NULL;
    int rc;

    memset(&opts, 0, sizeof(opts));
    memset(&c, 0, sizeof(c));
    opts.profile = profile;
    if (rdsiam__chain_new(&src, profile_links,
                          sizeof profile_links / sizeof profile_links[0], &opts,
                          &err) != RDSIAM_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    rc = src.fetch(src.self, &c, &err);
    src.destroy(src.self);
    switch (rc) {
    case RDSIAM_OK:
        printf("creds %s %s %s\n", c.access_key_id, c.secret_access_key,
               c.session_token ? c.session_token : "-");
        break;
    case RDSIAM_ERR_NO_CREDENTIALS:
        printf("NONE\n");
        break;
    case RDSIAM_ERR_PROFILE_NOT_FOUND:
        printf("error NOT_FOUND\n");
        break;
    case RDSIAM_ERR_PROFILE_INCOMPLETE:
        printf("error INCOMPLETE\n");
        break;
    case RDSIAM_ERR_CONFIG_PARSE:
        printf("error PARSE\n");
        break;
    default:
        printf("error OTHER %d\n", rc);
        break;
    }
    rdsiam__creds_clear(&c);
    if (rdsiam__profile_setting(profile, "region", &region, NULL, &err) !=
        RDSIAM_OK)
        printf("region error\n");
    else
        printf("region %s\n", region ? region : "-");
    free(region);
    return 0;
}
