/*
 * time.c - UTC calendar arithmetic without gmtime(): the proleptic
 * Gregorian calendar computed from day counts, exact for years 1970..9999,
 * thread-safe and free of locale or TZ influence.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "internal.h"

/* Days since 1970-01-01 of y-m-d. Shifting the year to start in March puts
 * the leap day last, so each 400-year era has a closed form. */
int64_t rdsiam__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

void rdsiam__amz_date(char out[17], int64_t t)
{
    int64_t days = t / 86400, y;
    unsigned secs = (unsigned)(t % 86400), m, d;

    civil_from_days(days, &y, &m, &d);
    put2(out, (unsigned)(y / 100));
    put2(out + 2, (unsigned)(y % 100));
    put2(out + 4, m);
    put2(out + 6, d);
    out[8] = 'T';
    put2(out + 9, secs / 3600);
    put2(out + 11, secs / 60 % 60);
    put2(out + 13, secs % 60);
    out[15] = 'Z';
    out[16] = '\0';
}

void rdsiam__iso8601(char out[21], int64_t t)
{
    char a[17];

    rdsiam__amz_date(a, t);
    /* YYYYMMDDTHHMMSSZ -> YYYY-MM-DDTHH:MM:SSZ */
    memcpy(out, a, 4);
    out[4] = '-';
    memcpy(out + 5, a + 4, 2);
    out[7] = '-';
    memcpy(out + 8, a + 6, 5);
    out[13] = ':';
    memcpy(out + 14, a + 11, 2);
    out[16] = ':';
    memcpy(out + 17, a + 13, 3);
    out[20] = '\0';
}

static int digits(const char *s, size_t n, unsigned *v)
{
    unsigned r = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        r = r * 10 + (unsigned)(s[i] - '0');
    }
    *v = r;
    return 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return (m == 2 && leap) ? 29 : dim[m - 1];
}

/*
 * Accepts the basic form "YYYYMMDDTHHMMSSZ" and the ISO-8601 / RFC 3339
 * extended form "YYYY-MM-DDTHH:MM:SS[.frac](Z|z|+hh:mm|-hh:mm)", which is
 * what credential endpoints and credential_process return for Expiration.
 * A space is accepted in place of 'T' (RFC 3339 section 5.6 note).
 */
int rdsiam__parse_time(const char *s, int64_t *t)
{
    unsigned y, mo, d, h, mi, se;
    size_t n;
    const char *p;
    int64_t off = 0, v;

    if (!s)
        return -1;
    n = strlen(s);
    if (n == 16 && s[8] == 'T' && s[15] == 'Z') {
        if (digits(s, 4, &y) || digits(s + 4, 2, &mo) || digits(s + 6, 2, &d) ||
            digits(s + 9, 2, &h) || digits(s + 11, 2, &mi) ||
            digits(s + 13, 2, &se))
            return -1;
        p = s + 16;
    } else {
        if (n < 20 || s[4] != '-' || s[7] != '-' ||
            (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
            s[16] != ':')
            return -1;
        if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
            digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
            digits(s + 17, 2, &se))
            return -1;
        p = s + 19;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                return -1;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            unsigned oh, om;
            if (strlen(p) != 6 || p[3] != ':' || digits(p + 1, 2, &oh) ||
                digits(p + 4, 2, &om) || oh > 23 || om > 59)
                return -1;
            off = (int64_t)(oh * 3600 + om * 60);
            if (*p == '-')
                off = -off;
            p += 6;
        } else {
            return -1;
        }
    }
    if (*p != '\0')
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
        h > 23 || mi > 59 || se > 60)
        return -1;
    if (se == 60) /* leap second: the instant just after :59 */
        se = 59;
    v = rdsiam__days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
        off;
    if (v < 0 || v > RDSIAM__TIME_MAX)
        return -1;
    *t = v;
    return 0;
}
