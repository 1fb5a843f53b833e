/*
 * test_partition.c - the DNS suffix of a region's partition
 * (lib/partition.c), which the endpoints the library builds itself (STS,
 * the IAM Identity Center portal, SSO-OIDC, sign-in) end with.
 *
 * Known answers: botocore 1.43.11's data/partitions.json, where each
 * partition has a regionRegex and a dnsSuffix; one region of every
 * partition, and regions no regex matches, for which botocore takes the
 * aws partition. test_sts.c, test_sso.c and test_login.c check the whole
 * endpoint URLs botocore builds with these suffixes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void test_each_partition(void **state)
{
    static const struct {
        const char *region, *suffix;
    } cases[] = {
        /* aws: ^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$ */
        {"us-east-1", "amazonaws.com"},
        {"eu-west-1", "amazonaws.com"},
        {"il-central-1", "amazonaws.com"},
        {"mx-central-1", "amazonaws.com"},
        /* aws-us-gov: ^us-gov-\w+-\d+$ */
        {"us-gov-west-1", "amazonaws.com"},
        /* aws-cn: ^cn-\w+-\d+$ */
        {"cn-north-1", "amazonaws.com.cn"},
        {"cn-northwest-1", "amazonaws.com.cn"},
        /* aws-iso: ^us-iso-\w+-\d+$ */
        {"us-iso-east-1", "c2s.ic.gov"},
        {"us-iso-west-1", "c2s.ic.gov"},
        /* aws-iso-b: ^us-isob-\w+-\d+$ */
        {"us-isob-east-1", "sc2s.sgov.gov"},
        /* aws-iso-e: ^eu-isoe-\w+-\d+$ */
        {"eu-isoe-west-1", "cloud.adc-e.uk"},
        /* aws-iso-f: ^us-isof-\w+-\d+$ */
        {"us-isof-south-1", "csp.hci.ic.gov"},
        /* aws-eusc: ^eusc-(de)-\w+-\d+$ */
        {"eusc-de-east-1", "amazonaws.eu"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = rdsiam__partition_dns_suffix(cases[i].region);

        if (strcmp(got, cases[i].suffix) != 0)
            print_message("region %s: %s\n", cases[i].region, got);
        assert_string_equal(got, cases[i].suffix);
    }
}

/* A partition's prefix must begin the region: elsewhere in it, or
 * without its dash, it names no partition, and the aws partition's
 * suffix applies. */
static void test_prefix_only(void **state)
{
    static const char *const regions[] = {
        "",           "cn", "xcn-north-1", "eu-central-cn-1", "us-isox-east-1",
        "eus-east-1",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof regions / sizeof *regions; i++)
        assert_string_equal(rdsiam__partition_dns_suffix(regions[i]),
                            "amazonaws.com");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_partition),
        cmocka_unit_test(test_prefix_only),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
