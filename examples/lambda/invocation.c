/*
 * invocation.c - what GET .../runtime/invocation/next announces, read from
 * the headers of its answer (see runtime.h): the request id and the
 * deadline. No I/O here, so tests and a fuzz target
 * (tests/fuzz/fuzz_lambda_headers.c) can drive it alone.
 *
 * SPDX-License-Identifier: MIT
 */
#include "runtime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A request id is a UUID in its text form (RFC 9562, section 4: 8-4-4-4-12
 * hexadecimal digits, "8476a536-e9f4-11e8-9739-2dfe598c3fcd" in the AWS
 * Lambda Developer Guide's examples). Lambda writes lower case; RFC 9562
 * reads either. The id goes into the path of the answer's URL, so anything
 * else (a dot segment, a slash, a percent sign) is refused. */
int runtime_request_id_valid(const char *id)
{
    int i;

    for (i = 0; i < 36; i++) {
        char c = id[i]; /* a NUL fails both tests: nothing read past it */

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                     (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return id[36] == '\0';
}

/* Whether line is the header "NAME: VALUE\r\n" (names are
 * case-insensitive); its value, without the spaces and tabs around it,
 * in *value and *vlen. */
static int header_value(const char *line, size_t len, const char *name,
                        const char **value, size_t *vlen)
{
    size_t nlen = strlen(name);

    if (len <= nlen || line[nlen] != ':' || strncasecmp(line, name, nlen) != 0)
        return 0;
    line += nlen + 1;
    len -= nlen + 1;
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n' ||
                       line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    *value = line;
    *vlen = len;
    return 1;
}

void runtime_header(struct invocation *inv, const char *line, size_t len)
{
    const char *v;
    char deadline[32];
    size_t n;
    char *end;
    long long ms;

    if (header_value(line, len, "Lambda-Runtime-Aws-Request-Id", &v, &n)) {
        inv->id_headers++; /* two are one too many: which would it be? */
        if (n >= sizeof inv->id)
            n = 0; /* too long to be one: left empty, so refused */
        memcpy(inv->id, v, n);
        inv->id[n] = '\0';
        return;
    }
    if (!header_value(line, len, "Lambda-Runtime-Deadline-Ms", &v, &n) ||
        n == 0 || n >= sizeof deadline || v[0] < '0' || v[0] > '9')
        return;
    memcpy(deadline, v, n);
    deadline[n] = '\0';
    errno = 0;
    ms = strtoll(deadline, &end, 10);
    if (errno == 0 && *end == '\0' && ms > 0)
        inv->deadline_ms = ms;
}

int runtime_invocation_ok(const struct invocation *inv)
{
    return inv->id_headers == 1 && runtime_request_id_valid(inv->id) &&
           inv->deadline_ms > 0;
}
