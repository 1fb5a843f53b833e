/*
 * vectors.c - see vectors.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "helpers/vectors.h"
#include "internal.h"

json_object *vectors_load(const char *rel)
{
    char path[1024];
    json_object *o;

    snprintf(path, sizeof path, "tests/vectors/%s", rel);
    o = json_object_from_file(path);
    if (!o)
        fail_msg("cannot read %s (run from the repository root)", path);
    return o;
}

const char *vectors_str(json_object *o, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v) ||
        json_object_is_type(v, json_type_null))
        return NULL;
    return json_object_get_string(v);
}

int64_t vectors_int(json_object *o, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v))
        return 0;
    return json_object_get_int64(v);
}

int64_t vectors_time(json_object *o, const char *key)
{
    const char *s = vectors_str(o, key);
    int64_t t = 0;

    if (!s || rdsiam__parse_time(s, &t) != 0)
        fail_msg("vector field %s is not a time", key);
    return t;
}
