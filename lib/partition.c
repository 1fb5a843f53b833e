/*
 * partition.c - the DNS suffix of a region's partition, for the endpoints
 * the library builds itself (STS, the IAM Identity Center portal).
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "internal.h"

/* botocore 1.43's partitions (endpoints.json / partitions.json), matched
 * by region prefix; checked against its resolved STS and portal
 * endpoint_url for one region of each partition. */
const char *rdsiam__partition_dns_suffix(const char *region)
{
    static const struct {
        const char *prefix, *suffix;
    } parts[] = {
        {"cn-", "amazonaws.com.cn"},    {"us-isob-", "sc2s.sgov.gov"},
        {"us-isof-", "csp.hci.ic.gov"}, {"eu-isoe-", "cloud.adc-e.uk"},
        {"us-iso-", "c2s.ic.gov"},      {"eusc-", "amazonaws.eu"},
    };
    size_t i;

    for (i = 0; i < sizeof parts / sizeof *parts; i++)
        if (strncmp(region, parts[i].prefix, strlen(parts[i].prefix)) == 0)
            return parts[i].suffix;
    return "amazonaws.com";
}
