/*
 * sign.h - one token of a job, of any kind the tool signs, with the run's
 * provider (see sign.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_SIGN_H
#define RDSIAM_CLI_SIGN_H

#include <stdbool.h>

#include "format.h"

typedef struct cli_signer {
    const cli_args *a; /* the kind and its options */
    rdsiam_provider *p;
    /* The tokens signed here (cli_signs_here): their region, resolved by
     * cli_signer_region. */
    char region[RDSIAM_REGION_MAX + 1];
} cli_signer;

/*
 * Whether a's tokens are signed here with the provider's credentials
 * (Aurora DSQL, ElastiCache, MemoryDB, MSK) rather than by the provider
 * itself (RDS): those need cli_signer_region first.
 */
bool cli_signs_here(const cli_args *a);

/*
 * The region of the tokens signed here, resolved as the provider resolves
 * its own: popts->region (--region or the config file's), else AWS_REGION,
 * else AWS_DEFAULT_REGION, else the profile's region. 0, or -1 and why in
 * msg.
 */
int cli_signer_region(cli_signer *s, const rdsiam_provider_options *popts,
                      char *msg, size_t msgsize);

/*
 * Check db's inputs for s's kind of token before any credential source
 * runs: a typo must not cost a credential fetch. RDSIAM_OK, or the code
 * and a message naming the field in err. s->p is not used.
 */
int cli_sign_check(const cli_signer *s, const cli_db *db, rdsiam_error *err);

/*
 * Sign db's token into tok (empty on entry): tok->text allocated to the
 * size the token needs (a secret: the caller wipes it over tok->cap),
 * tok->info saying when it stops working and which source signed it, and
 * for MSK tok->expires_ms. RDSIAM_OK, or the code and a message in err
 * with tok left empty.
 */
int cli_sign(const cli_signer *s, const cli_db *db, cli_token *tok,
             rdsiam_error *err);

#endif
