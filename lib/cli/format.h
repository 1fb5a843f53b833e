/*
 * format.h - the text rdsiam-token writes: the tokens of a job in one of
 * the formats other programs read (see format.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_FORMAT_H
#define RDSIAM_CLI_FORMAT_H

#include <stddef.h>

#include "config.h"

/* A token signed for one database, and what the provider said of it. */
typedef struct cli_token {
    char *text; /* the token (a secret: wiped when freed) */
    size_t cap; /* bytes allocated at text, all wiped */
    rdsiam_token_info info;
    /* MSK: info.expires in milliseconds, as rd_kafka_oauthbearer_set_token()
     * takes it (json's expires_ms); 0 for the other tokens. */
    int64_t expires_ms;
} cli_token;

/* A growable text that is wiped when freed (it holds tokens). */
typedef struct cli_text {
    char *data;
    size_t len, cap;
} cli_text;

void cli_text_free(cli_text *t);

/*
 * Check that every database of job can be written in its format before
 * anything is signed: the fields a format cannot hold (a line break, a
 * ':' where no escape exists, a name PgBouncer would cut), and the
 * number of databases (raw and json hold one). 0, or -1 with a message
 * naming the field in msg.
 */
int cli_format_check(const cli_job *job, char *msg, size_t msgsize);

/*
 * Render tokens[i] for job->dbs[i] into *out (empty on entry) in
 * job->format. Refuses a token the reader would cut or reject (longer
 * than PgBouncer's password or MySQL's option line): -1 and a message,
 * never a partial text. 0 on success.
 */
int cli_format_render(const cli_job *job, const cli_token *tokens,
                      cli_text *out, char *msg, size_t msgsize);

/*
 * Letters, digits, '_', '.', '-', at least one: what PgBouncer 1.18's
 * configuration parser takes as a key (libusual cfparser.c: isalnum or
 * "_.-*", '*' being its fallback database) and a MySQL option group
 * suffix can hold; the names of --config sections.
 */
int cli_plain_name(const char *s);

/* "2026-11-28T00:15:00Z" into buf (21 bytes). */
void cli_utc(long long t, char buf[21]);

#endif
