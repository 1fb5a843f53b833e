/*
 * rdsiam-msk.c - a librdkafka client of an Amazon MSK cluster with IAM
 * access control: SASL/OAUTHBEARER, its token made by librdsiam in the
 * token refresh callback. It prints the cluster's brokers and topics.
 *
 *   rdsiam-msk BOOTSTRAP_SERVERS [--serverless] [--timeout-ms N]
 *
 * Credentials and region come from the default chain (AWS_REGION, the
 * profile, ...), through one provider kept for the program's life.
 * librdkafka runs the refresh callback before its first connection and
 * again when 80% of the token's lifetime has passed; the callback hands
 * it the token and when it expires (rd_kafka_oauthbearer_set_token's
 * md_lifetime_ms). The callbacks run on librdkafka's background thread
 * (rd_kafka_conf_enable_sasl_queue, rd_kafka_sasl_background_callbacks_enable),
 * so a program that never calls rd_kafka_poll() still gets its token.
 *
 * Build against the installed library:
 *   cc -o rdsiam-msk examples/rdsiam-msk.c \
 *      $(pkg-config --cflags --libs rdsiam rdkafka)
 *
 * Exit status: 0 when the metadata was printed, 1 otherwise, 2 on a usage
 * error.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* explicit_bzero */
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <rdsiam.h>

typedef struct app {
    rdsiam_provider *provider;
    int serverless;
} app;

/* librdkafka asks for a token: sign one, hand it over with its expiry. */
static void refresh_token(rd_kafka_t *rk, const char *oauthbearer_config,
                          void *opaque)
{
    const app *a = opaque;
    rdsiam_msk_params params = {.serverless =
                                    a->serverless}; /* region:
                                                       the provider's */
    char token[4096], errstr[512];
    int64_t expires_ms = 0;
    rdsiam_error err;

    (void)oauthbearer_config;
    if (rdsiam_provider_generate_msk_token(a->provider, &params, token,
                                           sizeof token, NULL, &expires_ms,
                                           &err) != RDSIAM_OK) {
        rd_kafka_oauthbearer_set_token_failure(rk, err.message);
        return;
    }
    /* MSK takes the identity from the signed token; librdkafka wants a
     * principal name all the same. */
    if (rd_kafka_oauthbearer_set_token(rk, token, expires_ms, "msk-iam", NULL,
                                       0, errstr, sizeof errstr) !=
        RD_KAFKA_RESP_ERR_NO_ERROR)
        rd_kafka_oauthbearer_set_token_failure(rk, errstr);
    else
        fprintf(stderr, "rdsiam-msk: token set, valid until %" PRId64 " ms\n",
                expires_ms);
    explicit_bzero(token, sizeof token);
}

static int set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
    char errstr[512];

    if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) ==
        RD_KAFKA_CONF_OK)
        return 0;
    fprintf(stderr, "rdsiam-msk: %s: %s\n", name, errstr);
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: rdsiam-msk BOOTSTRAP_SERVERS [--serverless] "
                    "[--timeout-ms N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    app a = {0};
    rd_kafka_conf_t *conf;
    rd_kafka_t *rk;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t rc;
    rdsiam_error err;
    long timeout_ms = 10000;
    char errstr[512], *end;

    if (argc < 2)
        return usage();
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--serverless") == 0) {
            a.serverless = 1;
        } else if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc) {
            timeout_ms = strtol(argv[++i], &end, 10);
            if (*end || timeout_ms < 1 || timeout_ms > 600000)
                return usage();
        } else {
            return usage();
        }
    }
    if (rdsiam_provider_new_default(&a.provider, NULL, &err) != RDSIAM_OK) {
        fprintf(stderr, "rdsiam-msk: %s\n", err.message);
        return 1;
    }

    conf = rd_kafka_conf_new();
    if (set(conf, "bootstrap.servers", argv[1]) ||
        set(conf, "security.protocol", "SASL_SSL") ||
        set(conf, "sasl.mechanisms", "OAUTHBEARER")) {
        rd_kafka_conf_destroy(conf);
        rdsiam_provider_free(a.provider);
        return 1;
    }
    rd_kafka_conf_set_opaque(conf, &a);
    rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_token);
    rd_kafka_conf_enable_sasl_queue(conf, 1); /* then background callbacks */
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "rdsiam-msk: %s\n", errstr);
        rd_kafka_conf_destroy(conf);
        rdsiam_provider_free(a.provider);
        return 1;
    }
    rd_kafka_error_t *bg = rd_kafka_sasl_background_callbacks_enable(rk);
    if (bg) {
        fprintf(stderr, "rdsiam-msk: %s\n", rd_kafka_error_string(bg));
        rd_kafka_error_destroy(bg);
        rd_kafka_destroy(rk);
        rdsiam_provider_free(a.provider);
        return 1;
    }

    rc = rd_kafka_metadata(rk, 1, NULL, &md, (int)timeout_ms);
    if (rc == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < md->broker_cnt; i++)
            printf("broker %" PRId32 " %s:%d\n", md->brokers[i].id,
                   md->brokers[i].host, md->brokers[i].port);
        for (int i = 0; i < md->topic_cnt; i++)
            printf("topic %s (%d partitions)\n", md->topics[i].topic,
                   md->topics[i].partition_cnt);
        rd_kafka_metadata_destroy(md);
    } else {
        fprintf(stderr, "rdsiam-msk: metadata: %s\n", rd_kafka_err2str(rc));
    }
    rd_kafka_destroy(rk);
    rdsiam_provider_free(a.provider);
    return rc == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : 1;
}
