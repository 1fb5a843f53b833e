/*
 * rdsiam-valkey.c - log in to an ElastiCache cache or a MemoryDB cluster
 * (Valkey, Redis OSS) as an IAM-enabled user with hiredis, run the
 * commands read from stdin (one a line, words separated by blanks), print
 * each reply, and log in again before the service's 12-hour limit.
 *
 *   rdsiam-valkey HOST PORT NAME USER [--serverless | --memorydb]
 *                 [--reauth-seconds N]
 *
 * NAME is the cache's name (the replication group id, or the serverless
 * cache's name) or the MemoryDB cluster's name; USER the IAM-enabled user.
 * Credentials and region come from the default chain (AWS_REGION, the
 * profile, ...), through one provider kept for the program's life.
 *
 * ElastiCache and MemoryDB close an IAM-authenticated connection 12 hours
 * after its last AUTH; another AUTH with a fresh token keeps it open. This
 * program logs in again before a command once --reauth-seconds (default:
 * 11 hours) have passed since the last login. A program whose connections
 * can sit idle should do the same on a timer.
 *
 * Build against the installed library:
 *   cc -o rdsiam-valkey examples/rdsiam-valkey.c \
 *      $(pkg-config --cflags --libs rdsiam hiredis)
 *
 * The services take IAM logins over TLS only. hiredis 1.x does TLS with
 * hiredis_ssl (redisInitiateSSLWithContext() after connecting); Debian
 * 12's hiredis 0.14 has none, so this program speaks plain TCP: point it
 * at the local emulator (examples/rds-emulator, --engine valkey) or a TLS
 * tunnel.
 *
 * Exit status: 0 when every command got a reply that is not an error, 1
 * otherwise, 2 on a usage error.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* explicit_bzero */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <rdsiam.h>

#define MAX_WORDS 64

/* AUTH USER TOKEN with a fresh token; 0 on +OK. */
static int login(redisContext *c, rdsiam_provider *p,
                 const rdsiam_cache_params *params, int memorydb)
{
    char token[4096];
    rdsiam_error err;
    redisReply *r;
    int rc;

    rc = memorydb ? rdsiam_provider_generate_memorydb_token(
                        p, params, token, sizeof token, NULL, &err)
                  : rdsiam_provider_generate_elasticache_token(
                        p, params, token, sizeof token, NULL, &err);
    if (rc != RDSIAM_OK) {
        fprintf(stderr, "rdsiam-valkey: token: %s\n", err.message);
        return -1;
    }
    r = redisCommand(c, "AUTH %s %s", params->username, token);
    explicit_bzero(token, sizeof token);
    if (!r) {
        fprintf(stderr, "rdsiam-valkey: AUTH: %s\n", c->errstr);
        return -1;
    }
    rc = r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0 ? 0 : -1;
    if (rc)
        fprintf(stderr, "rdsiam-valkey: AUTH refused: %s\n",
                r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
    freeReplyObject(r);
    return rc;
}

/* A reply as redis-cli prints it (without quotes); 1 for an error. */
static int print_reply(const redisReply *r, int depth)
{
    int bad = 0;

    printf("%*s", 2 * depth, "");
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
        printf("%s\n", r->str);
        break;
    case REDIS_REPLY_ERROR:
        printf("(error) %s\n", r->str);
        bad = 1;
        break;
    case REDIS_REPLY_INTEGER:
        printf("(integer) %lld\n", r->integer);
        break;
    case REDIS_REPLY_NIL:
        printf("(nil)\n");
        break;
    case REDIS_REPLY_ARRAY:
        printf("(%zu elements)\n", r->elements);
        for (size_t i = 0; i < r->elements; i++)
            bad |= print_reply(r->element[i], depth + 1);
        break;
    default:
        printf("(reply of type %d)\n", r->type);
    }
    return bad;
}

static int usage(void)
{
    fprintf(stderr, "usage: rdsiam-valkey HOST PORT NAME USER [--serverless | "
                    "--memorydb] [--reauth-seconds N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    rdsiam_cache_params params = {0};
    rdsiam_provider *p = NULL;
    rdsiam_error err;
    redisContext *c = NULL;
    struct timeval timeout = {5, 0};
    long reauth = RDSIAM_CACHE_SESSION_MAX - 3600, port;
    int memorydb = 0, failed = 0;
    time_t logged_in;
    char line[8192], *end;

    if (argc < 5)
        return usage();
    port = strtol(argv[2], &end, 10);
    if (*end || port < 1 || port > 65535)
        return usage();
    params.name = argv[3];
    params.username = argv[4];
    for (int i = 5; i < argc; i++) {
        if (strcmp(argv[i], "--serverless") == 0) {
            params.serverless = 1;
        } else if (strcmp(argv[i], "--memorydb") == 0) {
            memorydb = 1;
        } else if (strcmp(argv[i], "--reauth-seconds") == 0 && i + 1 < argc) {
            reauth = strtol(argv[++i], &end, 10);
            if (*end || reauth < 1 || reauth >= RDSIAM_CACHE_SESSION_MAX)
                return usage();
        } else {
            return usage();
        }
    }

    /* One provider for the program's life: credentials cached and
     * refreshed, the region resolved once. */
    if (rdsiam_provider_new_default(&p, NULL, &err) != RDSIAM_OK) {
        fprintf(stderr, "rdsiam-valkey: %s\n", err.message);
        return 1;
    }
    c = redisConnectWithTimeout(argv[1], (int)port, timeout);
    if (!c || c->err) {
        fprintf(stderr, "rdsiam-valkey: connect: %s\n",
                c ? c->errstr : "out of memory");
        failed = 1;
        goto done;
    }
    if (login(c, p, &params, memorydb) != 0) {
        failed = 1;
        goto done;
    }
    logged_in = time(NULL);

    while (fgets(line, sizeof line, stdin)) {
        const char *words[MAX_WORDS];
        size_t lens[MAX_WORDS];
        int n = 0;
        redisReply *r;

        for (char *w = line; *w && n < MAX_WORDS;) {
            size_t k = strcspn(w, " \t\r\n");
            if (k) {
                words[n] = w;
                lens[n++] = k;
            }
            w += k;
            w += strspn(w, " \t\r\n");
        }
        if (n == 0)
            continue;
        /* Before the service's limit, a new login with a fresh token. */
        if (time(NULL) - logged_in >= reauth) {
            if (login(c, p, &params, memorydb) != 0) {
                failed = 1;
                break;
            }
            logged_in = time(NULL);
            fprintf(stderr, "rdsiam-valkey: logged in again\n");
        }
        r = redisCommandArgv(c, n, words, lens);
        if (!r) {
            fprintf(stderr, "rdsiam-valkey: %s: %s\n", words[0], c->errstr);
            failed = 1;
            break;
        }
        failed |= print_reply(r, 0);
        freeReplyObject(r);
        fflush(stdout);
    }
done:
    if (c)
        redisFree(c);
    rdsiam_provider_free(p);
    return failed;
}
