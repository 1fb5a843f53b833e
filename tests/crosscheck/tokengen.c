/*
 * tokengen.c - batch token generator for the botocore cross-check
 * (tests/check-botocore.sh). One request per input line, one answer per
 * output line, so thousands of inputs cost one process.
 *
 * Input lines, fields separated by single spaces, each field hex-encoded
 * (so any byte, including spaces and newlines, can be passed) or "-" for
 * NULL:
 *   rds  AKID SECRET TOKEN HOST PORT USER REGION TIME
 *   dsql AKID SECRET TOKEN HOST ACTION EXPIRES REGION TIME
 *   elasticache AKID SECRET TOKEN NAME USER SERVERLESS REGION TIME
 *   memorydb    AKID SECRET TOKEN NAME USER SERVERLESS REGION TIME
 *   msk  AKID SECRET TOKEN USER_AGENT SERVERLESS REGION TIME
 * PORT, ACTION (0 connect, 1 admin), EXPIRES, SERVERLESS (0 or 1) and
 * TIME (seconds since the epoch) are plain decimal. Output: the token (for
 * msk, the token, a space and its expiry in milliseconds), or
 * "ERROR <code> <message>".
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsiam.h"

#define MAX_FIELDS 10
#define LINE_MAX_BYTES (1 << 20)

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode a hex field in place; "-" gives NULL. */
static char *unhex(char *s, int *bad)
{
    size_t n = strlen(s), o = 0;

    if (strcmp(s, "-") == 0)
        return NULL;
    if (n % 2) {
        *bad = 1;
        return s;
    }
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0) {
            *bad = 1;
            return s;
        }
        s[o++] = (char)(hi * 16 + lo);
    }
    s[o] = '\0';
    return s;
}

static long long num(const char *s, int *bad)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        *bad = 1;
    return v;
}

static void answer(int rc, const char *buf, const rdsiam_error *err)
{
    if (rc == RDSIAM_OK)
        printf("%s\n", buf);
    else
        printf("ERROR %d %s\n", rc, err->message);
}

int main(void)
{
    static char line[LINE_MAX_BYTES];
    static char buf[65536];

    while (fgets(line, sizeof line, stdin)) {
        char *f[MAX_FIELDS];
        size_t nf = 0, len = strlen(line);
        int bad = 0, rc;
        rdsiam_error err;
        rdsiam_credentials c = {0};

        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        for (char *p = line; p && nf < MAX_FIELDS;) {
            char *sp = strchr(p, ' ');
            if (sp)
                *sp = '\0';
            f[nf++] = p;
            p = sp ? sp + 1 : NULL;
        }
        if (nf != (strcmp(f[0], "msk") == 0 ? 8u : 9u)) {
            printf("ERROR input line has %zu fields\n", nf);
            continue;
        }
        c.access_key_id = unhex(f[1], &bad);
        c.secret_access_key = unhex(f[2], &bad);
        c.session_token = unhex(f[3], &bad);
        if (strcmp(f[0], "rds") == 0) {
            rdsiam_token_params p = {0};
            p.hostname = unhex(f[4], &bad);
            p.port = (unsigned int)num(f[5], &bad);
            p.username = unhex(f[6], &bad);
            p.region = unhex(f[7], &bad);
            p.signing_time = num(f[8], &bad);
            if (bad) {
                printf("ERROR malformed input line\n");
                continue;
            }
            rc = rdsiam_generate_token_ex(&p, &c, buf, sizeof buf, NULL, &err);
        } else if (strcmp(f[0], "dsql") == 0) {
            rdsiam_dsql_params p = {0};
            p.hostname = unhex(f[4], &bad);
            p.action = (rdsiam_dsql_action)num(f[5], &bad);
            p.expires_in = num(f[6], &bad);
            p.region = unhex(f[7], &bad);
            p.signing_time = num(f[8], &bad);
            if (bad) {
                printf("ERROR malformed input line\n");
                continue;
            }
            rc = rdsiam_generate_dsql_token(&p, &c, buf, sizeof buf, NULL,
                                            &err);
        } else if (strcmp(f[0], "elasticache") == 0 ||
                   strcmp(f[0], "memorydb") == 0) {
            rdsiam_cache_params p = {0};
            p.name = unhex(f[4], &bad);
            p.username = unhex(f[5], &bad);
            p.serverless = (int)num(f[6], &bad);
            p.region = unhex(f[7], &bad);
            p.signing_time = num(f[8], &bad);
            if (bad) {
                printf("ERROR malformed input line\n");
                continue;
            }
            rc = f[0][0] == 'e'
                     ? rdsiam_generate_elasticache_token(&p, &c, buf,
                                                         sizeof buf, NULL, &err)
                     : rdsiam_generate_memorydb_token(&p, &c, buf, sizeof buf,
                                                      NULL, &err);
        } else if (strcmp(f[0], "msk") == 0) {
            rdsiam_msk_params p = {0};
            int64_t expires_ms = 0;
            p.user_agent = unhex(f[4], &bad);
            p.serverless = (int)num(f[5], &bad);
            p.region = unhex(f[6], &bad);
            p.signing_time = num(f[7], &bad);
            if (bad) {
                printf("ERROR malformed input line\n");
                continue;
            }
            rc = rdsiam_generate_msk_token(&p, &c, buf, sizeof buf, NULL,
                                           &expires_ms, &err);
            if (rc == RDSIAM_OK) {
                printf("%s %lld\n", buf, (long long)expires_ms);
                continue;
            }
        } else {
            printf("ERROR unknown kind\n");
            continue;
        }
        answer(rc, buf, &err);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
