/*
 * sts-probe.c - run one STS call the way the library does, for
 * tests/crosscheck/botocore_sts.py, which makes botocore do the same
 * against the same loopback stand-in and compares.
 *
 * Usage:
 *   sts-probe endpoint [REGION]      print "endpoint <url> <signing region>"
 *   sts-probe web-identity           the web identity source, settings
 *                                    from the environment
 *   sts-probe assume-role ROLE SESSION [EXTERNAL_ID [DURATION]]
 *                                    AssumeRole signed with AWS_ACCESS_KEY_ID,
 *                                    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 *                                    for the region in AWS_REGION
 * Credentials print as "creds <key id> <secret> <token> <expiration>";
 * failures as "error <code> <message>". Exit status 0 either way.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "provider.h"

#if RDSIAM_HTTP
#include "source_web_identity.h"
#include "sts.h"

static int print(int rc, const rdsiam__creds *c, const rdsiam_error *e)
{
    if (rc == RDSIAM_OK)
        printf("creds %s %s %s %lld\n", c->access_key_id, c->secret_access_key,
               c->session_token ? c->session_token : "-",
               (long long)c->expiration);
    else
        printf("error %d %s\n", rc, e->message);
    return 0;
}

static int endpoint(const char *region)
{
    rdsiam__sts_config cfg;
    rdsiam__sts_endpoint ep;
    rdsiam_error e;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.region = region;
    rc = rdsiam__sts_resolve_endpoint(&cfg, &ep, &e);
    if (rc != RDSIAM_OK)
        printf("error %d %s\n", rc, e.message);
    else
        printf("endpoint %s %s\n", ep.url, ep.region);
    rdsiam__sts_endpoint_free(&ep);
    return 0;
}

static int web_identity(void)
{
    rdsiam__web_identity_config cfg;
    rdsiam__source s;
    rdsiam__creds c;
    rdsiam_error e;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.use_env = true;
    cfg.sts.region = getenv("AWS_REGION"); /* as the chain resolves it */
    memset(&e, 0, sizeof e);
    if (rdsiam__web_identity_new(&s, &cfg, &e) != RDSIAM_OK)
        return print(e.code, NULL, &e);
    rc = s.fetch(s.self, &c, &e);
    print(rc, &c, &e);
    rdsiam__creds_clear(&c);
    s.destroy(s.self);
    return 0;
}

static int assume_role(int argc, char **argv)
{
    rdsiam__sts_config cfg;
    rdsiam_credentials src;
    rdsiam__creds c;
    rdsiam_error e;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.region = getenv("AWS_REGION");
    src.access_key_id = getenv("AWS_ACCESS_KEY_ID");
    src.secret_access_key = getenv("AWS_SECRET_ACCESS_KEY");
    src.session_token = getenv("AWS_SESSION_TOKEN");
    src.expiration = 0;
    memset(&e, 0, sizeof e);
    rc = rdsiam__sts_assume_role(&cfg, &src, argv[2], argv[3],
                                 argc > 4 ? argv[4] : NULL,
                                 argc > 5 ? (unsigned)atoi(argv[5]) : 0u, &c,
                                 &e);
    print(rc, &c, &e);
    rdsiam__creds_clear(&c);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "endpoint") == 0)
        return endpoint(argc > 2 ? argv[2] : NULL);
    if (argc == 2 && strcmp(argv[1], "web-identity") == 0)
        return web_identity();
    if (argc >= 4 && strcmp(argv[1], "assume-role") == 0)
        return assume_role(argc, argv);
    fprintf(stderr, "usage: sts-probe endpoint [REGION] | web-identity | "
                    "assume-role ROLE SESSION [EXTERNAL_ID [DURATION]]\n");
    return 2;
}

#else

int main(void)
{
    printf("skip built with HTTP=no\n");
    return 0;
}

#endif
