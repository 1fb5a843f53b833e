/*
 * imds-sso-probe - the side of tests/check-botocore-imds-sso.sh that runs
 * our instance metadata and IAM Identity Center sources; built with the
 * unit tests so that sanitizer builds instrument it too.
 *
 * Usage: "imds" (settings from the environment and the profile the
 * environment selects) or "sso PROFILE SESSION|- START_URL REGION ACCOUNT
 * ROLE". Prints "OK akid secret token expiration" or "ERR code message".
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if RDSIAM_HTTP
#include "provider.h"
#include "source_imds.h"
#include "source_sso.h"

static char *setting(const char *key)
{
    char *v = NULL;
    rdsiam_error e;

    if (rdsiam__profile_setting(NULL, key, &v, NULL, &e) != RDSIAM_OK) {
        printf("ERR %d %s\n", e.code, e.message);
        exit(0);
    }
    return v;
}

int main(int argc, char **argv)
{
    rdsiam__source s;
    rdsiam__creds c;
    rdsiam_error e;
    int rc;

    memset(&e, 0, sizeof e);
    if (argc == 2 && strcmp(argv[1], "imds") == 0) {
        rdsiam__imds_config cfg;

        memset(&cfg, 0, sizeof cfg);
        cfg.profile_endpoint = setting("ec2_metadata_service_endpoint");
        cfg.profile_endpoint_mode =
            setting("ec2_metadata_service_endpoint_mode");
        cfg.profile_v1_disabled = setting("ec2_metadata_v1_disabled");
        cfg.profile_timeout = setting("metadata_service_timeout");
        cfg.profile_num_attempts = setting("metadata_service_num_attempts");
        rc = rdsiam__imds_new(&s, &cfg, &e);
        /* the constructor copies the settings */
        free((void *)(uintptr_t)cfg.profile_endpoint);
        free((void *)(uintptr_t)cfg.profile_endpoint_mode);
        free((void *)(uintptr_t)cfg.profile_v1_disabled);
        free((void *)(uintptr_t)cfg.profile_timeout);
        free((void *)(uintptr_t)cfg.profile_num_attempts);
    } else if (argc == 8 && strcmp(argv[1], "sso") == 0) {
        rdsiam__sso_config cfg;

        memset(&cfg, 0, sizeof cfg);
        cfg.profile = argv[2];
        cfg.session_name = strcmp(argv[3], "-") ? argv[3] : NULL;
        cfg.start_url = argv[4];
        cfg.region = argv[5];
        cfg.account_id = argv[6];
        cfg.role_name = argv[7];
        rc = rdsiam__sso_new(&s, &cfg, &e);
    } else {
        return 2;
    }
    if (rc == RDSIAM_OK) {
        memset(&c, 0, sizeof c);
        rc = s.fetch(s.self, &c, &e);
        s.destroy(s.self);
    }
    if (rc != RDSIAM_OK) {
        printf("ERR %d %s\n", rc, e.message);
        return 0;
    }
    printf("OK %s %s %s %lld\n", c.access_key_id, c.secret_access_key,
           c.session_token, (long long)c.expiration);
    rdsiam__creds_clear(&c);
    return 0;
}

#else /* !RDSIAM_HTTP */

int main(void)
{
    puts("skip HTTP=no");
    return 0;
}

#endif
