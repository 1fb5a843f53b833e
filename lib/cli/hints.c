/*
 * hints.c - regions read from names, for the warning "the host name says
 * one region, the token is signed for another" (RDS refuses such a
 * token: the region is part of the signature's scope). A warning, not an
 * error: the name may be a CNAME onto another region's endpoint.
 *
 * Endpoint forms (RDS user guide, "Connecting to a DB instance"; Aurora
 * DSQL user guide, "Cluster endpoints"):
 *   mydb.123456789012.us-east-1.rds.amazonaws.com
 *   mydb.cluster-ro-abc.cn-north-1.rds.amazonaws.com.cn
 *   abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include <strings.h>

#include "hints.h"

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* The label of s[0..end) that ends at end: its start into *start. */
static int label_before(const char *s, size_t end, size_t *start)
{
    size_t i = end;

    while (i > 0 && s[i - 1] != '.')
        i--;
    if (i == end || i == 0)
        return -1; /* empty, or the name's first label (no prefix) */
    *start = i;
    return 0;
}

static int copy_lower(const char *s, size_t n, char *buf, size_t size)
{
    if (n == 0 || n >= size)
        return -1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    buf[n] = '\0';
    return 0;
}

int cli_host_region(const char *host, char *buf, size_t size)
{
    size_t n = strlen(host), start, end;

    if (n > 0 && host[n - 1] == '.')
        n--; /* a fully qualified name's root */
    if (ends_with(host, n, ".rds.amazonaws.com"))
        end = n - strlen(".rds.amazonaws.com");
    else if (ends_with(host, n, ".rds.amazonaws.com.cn"))
        end = n - strlen(".rds.amazonaws.com.cn");
    else if (ends_with(host, n, ".on.aws")) {
        end = n - strlen(".on.aws");
        if (label_before(host, end, &start) != 0 || start < 6 ||
            strncasecmp(host + start - 6, ".dsql.", 6) != 0)
            return -1;
    } else
        return -1;
    if (label_before(host, end, &start) != 0)
        return -1;
    return copy_lower(host + start, end - start, buf, size);
}

int cli_token_region(const char *token, char *buf, size_t size)
{
    /* X-Amz-Credential=AKID%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request */
    const char *c = strstr(token, "X-Amz-Credential="), *r, *e;

    if (!c || !(r = strstr(c, "%2F")) || !(r = strstr(r + 3, "%2F")))
        return -1;
    r += 3;
    e = strstr(r, "%2F");
    if (!e)
        return -1;
    return copy_lower(r, (size_t)(e - r), buf, size);
}
