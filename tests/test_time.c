/*
 * test_time.c - UTC calendar arithmetic (lib/time.c): rdsiam__amz_date,
 * rdsiam__parse_time, rdsiam__days_from_civil.
 *
 * Expected epoch seconds were computed with Python's
 * calendar.timegm(datetime.fromisoformat(...).timetuple()); the leap-year
 * rules are those of the Gregorian calendar.
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

static const struct {
    int64_t t;
    const char *amz;
} KNOWN[] = {
    {0, "19700101T000000Z"},
    {86399, "19700101T235959Z"},           /* last second of day 0 */
    {86400, "19700102T000000Z"},           /* day boundary */
    {946684799, "19991231T235959Z"},       /* year boundary */
    {946684800, "20000101T000000Z"},
    {951825600, "20000229T120000Z"},       /* 2000 is a leap year */
    {951868800, "20000301T000000Z"},
    {1478540373, "20161107T173933Z"},      /* the botocore test's time */
    {1735689599, "20241231T235959Z"},
    {1735689600, "20250101T000000Z"},
    {2147483647, "20380119T031407Z"},      /* INT32_MAX */
    {2147483648, "20380119T031408Z"},      /* one past: no 2038 problem */
    {4107542399, "21000228T235959Z"},      /* 2100 is not a leap year */
    {4107542400, "21000301T000000Z"},
    {13574563200, "24000229T000000Z"},     /* 2400 is */
    {253402300799, "99991231T235959Z"},    /* RDSIAM__TIME_MAX */
};

static void test_amz_date_known(void **state)
{
    char out[17];

    (void)state;
    for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++) {
        memset(out, 'x', sizeof out);
        rdsiam__amz_date(out, KNOWN[i].t);
        assert_string_equal(out, KNOWN[i].amz);
    }
    assert_int_equal(RDSIAM__TIME_MAX, INT64_C(253402300799));
}

static void test_parse_basic_form(void **state)
{
    int64_t t;

    (void)state;
    for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++) {
        t = -1;
        assert_int_equal(rdsiam__parse_time(KNOWN[i].amz, &t), 0);
        assert_int_equal(t, KNOWN[i].t);
    }
}

static void test_parse_extended_form(void **state)
{
    static const struct {
        const char *s;
        int64_t t;
    } good[] = {
        {"2016-11-07T17:39:33Z", 1478540373},
        {"2016-11-07t17:39:33z", 1478540373},
        {"2016-11-07 17:39:33Z", 1478540373},
        {"2016-11-07T17:39:33.123Z", 1478540373}, /* fraction dropped */
        {"2016-11-07T17:39:33.1234567890Z", 1478540373},
        {"2016-11-07T18:39:33+01:00", 1478540373},
        {"2016-11-07T12:09:33-05:30", 1478540373},
        {"2016-11-07T17:39:33+00:00", 1478540373},
        {"2038-01-19T03:14:08Z", 2147483648},
        {"9999-12-31T23:59:59Z", 253402300799},
        {"1970-01-01T00:00:00Z", 0},
        {"2016-12-31T23:59:60Z", 1483228799}, /* leap second -> :59 */
        {"2000-02-29T12:00:00Z", 951825600},
    };
    int64_t t;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        t = -1;
        if (rdsiam__parse_time(good[i].s, &t) != 0)
            fail_msg("'%s' refused", good[i].s);
        assert_int_equal(t, good[i].t);
    }
}

static void test_parse_bad(void **state)
{
    static const char *const bad[] = {
        "",
        "2016",
        "20161107T173933",        /* no Z */
        "20161107 173933Z",
        "2016110XT173933Z",
        "20161307T173933Z",       /* month 13 */
        "20161100T173933Z",       /* day 0 */
        "20161107T243933Z",       /* hour 24 */
        "20161107T176033Z",       /* minute 60 */
        "20161107T173961Z",       /* second 61 */
        "2016-11-07T17:39:33",    /* no zone */
        "2016-11-07T17:39:33Q",
        "2016-11-07T17:39:33Zjunk",
        "2016-11-07T17:39:33.Z",  /* empty fraction */
        "2016-11-07T17:39:33+1:00",
        "2016-11-07T17:39:33+24:00",
        "2016-11-07T17:39:33+01:60",
        "2016-11-07T17:39:33+01:00:00",
        "2016-04-31T00:00:00Z",   /* April has 30 days */
        "2023-02-29T00:00:00Z",   /* 2023 is not a leap year */
        "2100-02-29T00:00:00Z",   /* nor is 2100 */
        "1969-12-31T23:59:59Z",   /* before 1970 */
        "1970-01-01T00:00:00+00:01", /* before the epoch after the offset */
        "9999-12-31T23:59:59-00:01", /* past 9999 after the offset */
        "2016/11/07T17:39:33Z",
        "2016-11-07T17-39-33Z",
        "+016-11-07T17:39:33Z",
        " 2016-11-07T17:39:33Z",
    };
    int64_t t;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t = 42;
        if (rdsiam__parse_time(bad[i], &t) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(t, 42); /* untouched */
    }
    assert_int_equal(rdsiam__parse_time(NULL, &t), -1);
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(rdsiam__days_from_civil(1970, 1, 1), 0);
    assert_int_equal(rdsiam__days_from_civil(1970, 1, 2), 1);
    assert_int_equal(rdsiam__days_from_civil(2000, 3, 1), 951868800 / 86400);
    assert_int_equal(rdsiam__days_from_civil(2038, 1, 19), 2147483647 / 86400);
    assert_int_equal(rdsiam__days_from_civil(9999, 12, 31),
                     253402300799 / 86400);
    assert_int_equal(rdsiam__days_from_civil(1969, 12, 31), -1);
}

/* Every day from 1970 to 9999 (and a varying second within it) formats
 * and parses back to itself, and consecutive days never repeat or skip a
 * date: the two directions agree over the whole range. */
static void test_round_trip_every_day(void **state)
{
    char out[17], prev[17] = "";
    int64_t t, back;

    (void)state;
    for (int64_t day = 0; day <= RDSIAM__TIME_MAX / 86400; day++) {
        t = day * 86400 + (day * 7919) % 86400;
        rdsiam__amz_date(out, t);
        assert_int_equal(rdsiam__parse_time(out, &back), 0);
        assert_int_equal(back, t);
        assert_true(strncmp(prev, out, 8) < 0);
        memcpy(prev, out, sizeof out);
    }
    assert_true(strncmp(prev, "99991231T", 9) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amz_date_known),
        cmocka_unit_test(test_parse_basic_form),
        cmocka_unit_test(test_parse_extended_form),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_days_from_civil),
        cmocka_unit_test(test_round_trip_every_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
