/*
 * hints.h - what rdsiam-token can tell from names alone (see hints.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_HINTS_H
#define RDSIAM_CLI_HINTS_H

#include <stddef.h>

/*
 * The region an AWS database host name carries: "...<region>.rds.
 * amazonaws.com[.cn]" (RDS, Aurora, RDS Proxy) or "...dsql.<region>.
 * on.aws" (Aurora DSQL). 0 and the region in buf, or -1 for any other
 * name (a CNAME, an IP address, a tunnel).
 */
int cli_host_region(const char *host, char *buf, size_t size);

/* The region a token is signed for, from its X-Amz-Credential scope. 0,
 * or -1 when the token has none. */
int cli_token_region(const char *token, char *buf, size_t size);

#endif
