/*
 * profile.c - the AWS shared config and credentials file parser, file
 * locations and profile selection.
 *
 * The line rules follow the AWS configuration-file format as the shared
 * conformance data (profile-parser-tests.json) defines it:
 *   - a line that is empty or only spaces/tabs is ignored;
 *   - a line whose first character is '#' or ';' is a comment;
 *   - '[' starts a section: "anything from the first '#' or ';' is a
 *     comment", the name is trimmed, it must end with ']';
 *   - a line starting with a space or tab continues the last property
 *     when it is indented more than that property's line (botocore's
 *     configparser rule); if that property was defined with an empty
 *     value, each continuation is a sub-property ("name = value") kept as
 *     raw text. An indented "name = value" line that continues nothing is
 *     a property, as in botocore (the AWS CLI reads keys indented under
 *     their section);
 *   - anything else is "key = value"; in property lines a comment starts
 *     at '#' or ';' only when preceded by a space or tab.
 * Config files name profiles [profile NAME] or [default] ("[profile
 * default]" wins over "[default]" wherever it appears), and hold
 * [sso-session NAME] and [services NAME] sections; credentials files use
 * [NAME]. Sections and properties with invalid names are ignored.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "profile.h"

/* ------------------------------------------------------------------------ */
/* The set                                                                   */
/* ------------------------------------------------------------------------ */

void rdsiam__profile_set_init(rdsiam__profile_set *set)
{
    memset(set, 0, sizeof(*set));
}

static void profile_free(rdsiam__profile *p)
{
    size_t i;

    for (i = 0; i < p->nprops; i++) {
        free(p->props[i].key);
        rdsiam__buf_free(&p->props[i].value);
    }
    free(p->props);
    free(p->name);
    memset(p, 0, sizeof(*p));
}

static void list_free(rdsiam__profile_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        profile_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

void rdsiam__profile_set_free(rdsiam__profile_set *set)
{
    if (!set)
        return;
    list_free(&set->profiles);
    list_free(&set->sso_sessions);
    list_free(&set->services);
}

static rdsiam__profile *list_find(const rdsiam__profile_list *l,
                                  const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

const rdsiam__profile *rdsiam__profile_find(const rdsiam__profile_set *set,
                                            const char *name)
{
    return (set && name) ? list_find(&set->profiles, name) : NULL;
}

const rdsiam__profile *rdsiam__profile_find_sso(const rdsiam__profile_set *set,
                                                const char *name)
{
    return (set && name) ? list_find(&set->sso_sessions, name) : NULL;
}

const rdsiam__profile *
rdsiam__profile_find_services(const rdsiam__profile_set *set, const char *name)
{
    return (set && name) ? list_find(&set->services, name) : NULL;
}

static const char *trim(const char *s, size_t *n);

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool key_equal(const char *stored, const char *key)
{
    for (; *stored && *key; stored++, key++)
        if (*stored != ascii_lower((unsigned char)*key))
            return false;
    return *stored == *key;
}

const rdsiam__profile_prop *rdsiam__profile_prop_get(const rdsiam__profile *p,
                                                     const char *key)
{
    size_t i;

    if (!p || !key)
        return NULL;
    for (i = 0; i < p->nprops; i++)
        if (key_equal(p->props[i].key, key))
            return &p->props[i];
    return NULL;
}

const char *rdsiam__profile_get(const rdsiam__profile *p, const char *key)
{
    const rdsiam__profile_prop *prop = rdsiam__profile_prop_get(p, key);

    if (!prop)
        return NULL;
    return prop->value.data ? prop->value.data : "";
}

bool rdsiam__profile_sub_get(const rdsiam__profile_prop *prop, const char *key,
                             const char **value, size_t *n)
{
    const char *line, *end, *nl, *eq, *name, *v;
    size_t kl = strlen(key), nn, vn;
    bool found = false;

    if (!prop || !prop->sub || !prop->value.data)
        return false;
    /* The value is "" then "\n" + each continuation line, trimmed; the
     * parser has checked that each holds '=' after a name. */
    end = prop->value.data + prop->value.len;
    for (line = prop->value.data; line < end; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl)
            nl = end;
        eq = memchr(line, '=', (size_t)(nl - line));
        if (!eq)
            continue;
        nn = (size_t)(eq - line);
        name = trim(line, &nn);
        if (nn != kl || memcmp(name, key, kl) != 0)
            continue;
        vn = (size_t)(nl - eq) - 1;
        v = trim(eq + 1, &vn);
        *value = v; /* "key, value = line.split('=', 1)": the last wins */
        *n = vn;
        found = true;
    }
    return found;
}

/* Find or add a profile named name[0..n). */
static int list_get(rdsiam__profile_list *l, const char *name, size_t n,
                    rdsiam__profile **out)
{
    rdsiam__profile *p;
    size_t i;

    for (i = 0; i < l->n; i++) {
        p = &l->items[i];
        if (strlen(p->name) == n && memcmp(p->name, name, n) == 0) {
            *out = p;
            return RDSIAM_OK;
        }
    }
    if (l->n >= RDSIAM__PROFILE_PROFILES_MAX)
        return RDSIAM_ERR_CONFIG_PARSE;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        rdsiam__profile *items = realloc(l->items, cap * sizeof(*items));
        if (!items)
            return RDSIAM_ERR_NO_MEMORY;
        l->items = items;
        l->cap = cap;
    }
    p = &l->items[l->n];
    memset(p, 0, sizeof(*p));
    p->name = rdsiam__strndup(name, n);
    if (!p->name)
        return RDSIAM_ERR_NO_MEMORY;
    l->n++;
    *out = p;
    return RDSIAM_OK;
}

/* Set key (already lower-case) to value[0..vn), replacing any earlier
 * definition. *out: the property, for continuation lines. */
static int profile_put(rdsiam__profile *p, const char *key, size_t kn,
                       const char *value, size_t vn, unsigned char origin,
                       rdsiam__profile_prop **out)
{
    rdsiam__profile_prop *prop = NULL;
    size_t i;
    int rc;

    for (i = 0; i < p->nprops; i++) {
        if (strlen(p->props[i].key) == kn &&
            memcmp(p->props[i].key, key, kn) == 0) {
            prop = &p->props[i];
            break;
        }
    }
    if (!prop) {
        if (p->nprops >= RDSIAM__PROFILE_PROPS_MAX)
            return RDSIAM_ERR_CONFIG_PARSE;
        if (p->nprops == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 8;
            rdsiam__profile_prop *props =
                realloc(p->props, cap * sizeof(*props));
            if (!props)
                return RDSIAM_ERR_NO_MEMORY;
            p->props = props;
            p->cap = cap;
        }
        prop = &p->props[p->nprops];
        memset(prop, 0, sizeof(*prop));
        prop->key = rdsiam__strndup(key, kn);
        if (!prop->key)
            return RDSIAM_ERR_NO_MEMORY;
        rdsiam__buf_init(&prop->value, RDSIAM__PROFILE_FILE_MAX);
        p->nprops++;
    }
    rdsiam__buf_free(&prop->value);
    rdsiam__buf_init(&prop->value, RDSIAM__PROFILE_FILE_MAX);
    rc = rdsiam__buf_append(&prop->value, value, vn);
    if (rc != RDSIAM_OK)
        return rc == RDSIAM_ERR_NO_MEMORY ? rc : RDSIAM_ERR_CONFIG_PARSE;
    prop->origin = origin;
    prop->sub = vn == 0;
    if (out)
        *out = prop;
    return RDSIAM_OK;
}

/* Merge every property of src into dst (src wins). */
static int profile_merge(rdsiam__profile *dst, const rdsiam__profile *src)
{
    size_t i;
    int rc;

    for (i = 0; i < src->nprops; i++) {
        const rdsiam__profile_prop *s = &src->props[i];
        rc = profile_put(dst, s->key, strlen(s->key),
                         s->value.data ? s->value.data : "", s->value.len,
                         s->origin, NULL);
        if (rc != RDSIAM_OK)
            return rc;
    }
    return RDSIAM_OK;
}

/* ------------------------------------------------------------------------ */
/* Lines                                                                     */
/* ------------------------------------------------------------------------ */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* "Valid profile/property name characters: A-Za-z0-9 _ - / . % @ : +" */
static bool is_identifier(const char *s, size_t n)
{
    size_t i;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/' ||
              c == '.' || c == '%' || c == '@' || c == ':' || c == '+'))
            return false;
    }
    return true;
}

/* Trim spaces and tabs on both sides of s[0..*n); returns the new start. */
static const char *trim(const char *s, size_t *n)
{
    while (*n && is_ws(s[0])) {
        s++;
        (*n)--;
    }
    while (*n && is_ws(s[*n - 1]))
        (*n)--;
    return s;
}

/* s[0..n) starts with word followed by at least one space or tab. */
static bool has_prefix_word(const char *s, size_t n, const char *word)
{
    size_t wl = strlen(word);

    return n > wl && memcmp(s, word, wl) == 0 && is_ws(s[wl]);
}

typedef enum section_kind {
    SEC_NONE,    /* before the first section */
    SEC_IGNORED, /* properties are checked, then dropped */
    SEC_PROFILE,
    SEC_BARE_DEFAULT, /* [default] in a config file */
    SEC_SSO,
    SEC_SERVICES
} section_kind;

typedef struct parser {
    rdsiam__profile_set *set;
    rdsiam__profile_file kind;
    const char *filename;
    rdsiam_error *err;
    unsigned long lineno;
    unsigned sections;
    section_kind sec;
    rdsiam__profile *cur;         /* target of properties, NULL if ignored */
    rdsiam__profile bare_default; /* [default] of a config file */
    bool saw_profile_default;     /* [profile default] seen in this file */
    bool saw_bare_default;        /* [default] seen in this config file */
    bool have_prop;               /* a property may be continued */
    size_t prop_indent;           /* its line's leading spaces and tabs */
    rdsiam__profile_prop *prop;   /* it, or NULL when it is being dropped */
    bool prop_sub;                /* it takes sub-properties */
} parser;

static int parse_error(parser *ps, const char *what)
{
    return rdsiam__fail(ps->err, RDSIAM_ERR_CONFIG_PARSE, "%s (%s, line %lu)",
                        what, ps->filename, ps->lineno);
}

/* Map an internal failure (limit or memory) to a message. */
static int limit_error(parser *ps, int rc, const char *what)
{
    if (rc == RDSIAM_ERR_NO_MEMORY)
        return rdsiam__fail(ps->err, rc, "out of memory reading %s",
                            ps->filename);
    return parse_error(ps, what);
}

/* "[WORD NAME]" of a config file (sso-session, services): the section NAME
 * of l, properties going to it; a NAME that is not an identifier is
 * ignored. */
static int named_section(parser *ps, const char *name, size_t nn,
                         const char *word, rdsiam__profile_list *l,
                         section_kind sec)
{
    size_t wl = strlen(word);
    char what[48];
    int rc;

    nn -= wl;
    name = trim(name + wl, &nn);
    if (!is_identifier(name, nn))
        return RDSIAM_OK;
    rc = list_get(l, name, nn, &ps->cur);
    if (rc != RDSIAM_OK) {
        snprintf(what, sizeof what, "too many %s sections", word);
        return limit_error(ps, rc, what);
    }
    ps->sec = sec;
    return RDSIAM_OK;
}

static int parse_section(parser *ps, const char *line, size_t n)
{
    const char *name, *close;
    size_t i, nn;
    int rc;

    /* "anything from the first '#' or ';' is a comment" in section lines */
    for (i = 0; i < n; i++)
        if (line[i] == '#' || line[i] == ';')
            break;
    n = i;
    close = memchr(line, ']', n);
    if (!close)
        return parse_error(ps, "Profile definition must end with ']'");
    if (++ps->sections > RDSIAM__PROFILE_SECTIONS_MAX)
        return parse_error(ps, "too many section lines");
    /* Text after ']' is ignored, as aws-c-sdkutils does. */
    nn = (size_t)(close - line) - 1;
    name = trim(line + 1, &nn);

    ps->have_prop = false;
    ps->prop = NULL;
    ps->cur = NULL;
    ps->sec = SEC_IGNORED;
    if (ps->kind == RDSIAM__PROFILE_CONFIG) {
        if (has_prefix_word(name, nn, "profile")) {
            nn -= 7;
            name = trim(name + 7, &nn);
            if (!is_identifier(name, nn))
                return RDSIAM_OK;
            if (nn == 7 && memcmp(name, "default", 7) == 0)
                ps->saw_profile_default = true;
            ps->sec = SEC_PROFILE;
        } else if (nn == 7 && memcmp(name, "default", 7) == 0) {
            /* "profile default" always supersedes "default" (config). */
            ps->sec = SEC_BARE_DEFAULT;
            ps->saw_bare_default = true;
            ps->cur = &ps->bare_default;
            return RDSIAM_OK;
        } else if (has_prefix_word(name, nn, "sso-session")) {
            return named_section(ps, name, nn, "sso-session",
                                 &ps->set->sso_sessions, SEC_SSO);
        } else if (has_prefix_word(name, nn, "services")) {
            /* "[services NAME]": per-service settings a profile names
             * with "services = NAME" (botocore build_profile_map). */
            return named_section(ps, name, nn, "services", &ps->set->services,
                                 SEC_SERVICES);
        } else {
            /* "[NAME]" without a prefix is not a profile in a config
             * file. */
            return RDSIAM_OK;
        }
    } else if (!is_identifier(name, nn)) {
        return RDSIAM_OK;
    }
    rc = list_get(&ps->set->profiles, name, nn, &ps->cur);
    if (rc != RDSIAM_OK)
        return limit_error(ps, rc, "too many profiles");
    ps->sec = SEC_PROFILE;
    return RDSIAM_OK;
}

static int parse_property(parser *ps, const char *line, size_t n)
{
    const char *eq, *key, *value;
    char keybuf[256];
    size_t i, kn, vn;
    int rc;

    if (ps->sec == SEC_NONE)
        return parse_error(ps, "Expected a profile definition, found property");
    /* "a comment must be preceded by a space or tab" in property lines */
    for (i = 1; i < n; i++)
        if ((line[i] == '#' || line[i] == ';') && is_ws(line[i - 1]))
            break;
    n = i < n ? i : n;
    eq = memchr(line, '=', n);
    if (!eq)
        return parse_error(ps, "Expected an '=' sign defining a property");
    kn = (size_t)(eq - line);
    key = trim(line, &kn);
    if (kn == 0)
        return parse_error(ps, "Property did not have a name");
    vn = n - (size_t)(eq - line) - 1;
    value = trim(eq + 1, &vn);

    ps->have_prop = true;
    ps->prop_indent = 0;
    ps->prop = NULL;
    ps->prop_sub = vn == 0;
    if (!ps->cur || !is_identifier(key, kn))
        return RDSIAM_OK; /* "Invalid property names are ignored." */
    if (kn >= sizeof(keybuf))
        return parse_error(ps, "property name too long");
    /* Property names are case-insensitive (stored lower-case). */
    for (i = 0; i < kn; i++)
        keybuf[i] = (char)ascii_lower((unsigned char)key[i]);
    rc = profile_put(ps->cur, keybuf, kn, value, vn, (unsigned char)ps->kind,
                     &ps->prop);
    if (rc != RDSIAM_OK)
        return limit_error(ps, rc, "too many properties in one profile");
    return RDSIAM_OK;
}

static int parse_continuation(parser *ps, const char *line, size_t n)
{
    int rc;

    if (ps->sec == SEC_NONE)
        return parse_error(ps,
                           "Expected a profile definition, found continuation");
    if (!ps->have_prop)
        return parse_error(
            ps, "Expected a property definition, found continuation");
    line = trim(line, &n);
    if (ps->prop_sub) {
        const char *eq = memchr(line, '=', n);
        size_t kn;

        if (!eq)
            return parse_error(ps,
                               "Expected an '=' sign defining a sub-property");
        kn = (size_t)(eq - line);
        trim(line, &kn);
        if (kn == 0)
            return parse_error(ps, "Sub-property did not have a name");
    }
    if (!ps->prop)
        return RDSIAM_OK;
    /* "continuations are appended with a newline, trimmed, comments kept" */
    rc = rdsiam__buf_append_char(&ps->prop->value, '\n');
    if (rc == RDSIAM_OK)
        rc = rdsiam__buf_append(&ps->prop->value, line, n);
    if (rc != RDSIAM_OK)
        return limit_error(ps, rc, "property value too long");
    return RDSIAM_OK;
}

/*
 * An indented line, read as botocore's configparser reads it: it continues
 * the current property only when indented more than that property's line;
 * otherwise, holding an '=', it is a property of its own (keys indented
 * under their section, "[ops]" then "  aws_access_key_id = ..."). An
 * indented line without '=' and nothing to continue keeps the format's
 * error (the conformance cases' invalid continuations).
 */
static int parse_indented(parser *ps, const char *line, size_t n, size_t indent)
{
    int rc;

    if (ps->sec != SEC_NONE && (!ps->have_prop || indent <= ps->prop_indent) &&
        memchr(line, '=', n)) {
        rc = parse_property(ps, line + indent, n - indent);
        ps->prop_indent = indent;
        return rc;
    }
    return parse_continuation(ps, line, n);
}

static int parse_line(parser *ps, const char *line, size_t n)
{
    size_t i;

    if (n && line[n - 1] == '\r')
        n--; /* CRLF line endings */
    if (n > RDSIAM__PROFILE_LINE_MAX)
        return parse_error(ps, "line too long");
    /* A NUL byte would cut the value short wherever it is used as a C
     * string (region "us\0-west-2" signing for "us"): refuse the file. */
    if (memchr(line, '\0', n))
        return parse_error(ps, "NUL byte in the line");
    for (i = 0; i < n && is_ws(line[i]); i++)
        ;
    if (i == n)
        return RDSIAM_OK; /* blank */
    switch (line[0]) {
    case '#':
    case ';':
        return RDSIAM_OK;
    case '[':
        return parse_section(ps, line, n);
    case ' ':
    case '\t':
        return parse_indented(ps, line, n, i);
    default:
        return parse_property(ps, line, n);
    }
}

int rdsiam__profile_parse(rdsiam__profile_set *set, const char *text,
                          size_t len, rdsiam__profile_file kind,
                          const char *filename, rdsiam_error *err)
{
    parser ps;
    const char *p = text, *end = text + len, *nl;
    int rc = RDSIAM_OK;

    memset(&ps, 0, sizeof(ps));
    ps.set = set;
    ps.kind = kind;
    ps.filename = filename ? filename : "(buffer)";
    ps.err = err;
    ps.sec = SEC_NONE;
    RDSIAM_ENSURE(err, len <= RDSIAM__PROFILE_FILE_MAX, RDSIAM_ERR_CONFIG_PARSE,
                  "%s is larger than %zu bytes", ps.filename,
                  RDSIAM__PROFILE_FILE_MAX);
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        ps.lineno++;
        RDSIAM_GUARD(parse_line(&ps, p, (size_t)(nl - p)));
        p = nl + 1;
    }
    /* An empty [default] still declares the profile. */
    if (ps.saw_bare_default && !ps.saw_profile_default) {
        rdsiam__profile *def;
        rc = list_get(&set->profiles, "default", 7, &def);
        if (rc == RDSIAM_OK)
            rc = profile_merge(def, &ps.bare_default);
        if (rc != RDSIAM_OK)
            rc = limit_error(&ps, rc, "too many profiles");
    }
done:
    profile_free(&ps.bare_default);
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                     */
/* ------------------------------------------------------------------------ */

int rdsiam__profile_load_file(rdsiam__profile_set *set, const char *path,
                              rdsiam__profile_file kind, bool *found,
                              rdsiam_error *err)
{
    rdsiam__buf text;
    int rc = RDSIAM_OK;

    rdsiam__buf_init(&text, RDSIAM__PROFILE_FILE_MAX);
    *found = false;
    if (!path)
        goto done;
    /* Both files are optional; like botocore, anything but a regular file
     * (e.g. /dev/null) is treated as absent. */
    RDSIAM_GUARD(rdsiam__file_read(
        path, path, RDSIAM__PROFILE_FILE_MAX, RDSIAM_ERR_CONFIG_PARSE,
        RDSIAM__FILE_MISSING_OK | RDSIAM__FILE_SPECIAL_ABSENT, &text, found,
        err));
    if (*found)
        RDSIAM_GUARD(
            rdsiam__profile_parse(set, text.data, text.len, kind, path, err));
    rdsiam__ok(err);
done:
    rdsiam__buf_free(&text);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Locations and selection                                                   */
/* ------------------------------------------------------------------------ */

static char *concat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s;

    if (la > SIZE_MAX / 4 || lb > SIZE_MAX / 4 || lc > SIZE_MAX / 4)
        return NULL;
    s = malloc(la + lb + lc + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc);
    s[la + lb + lc] = '\0';
    return s;
}

/* The home directory (allocated), or NULL with *rc OK when there is none. */
static char *home_dir(bool windows, int *rc)
{
    const char *v;
    char *home = NULL;

    *rc = RDSIAM_OK;
    /* "home = HOME on all platforms" (file-location-tests.json) */
    if ((v = rdsiam__getenv_nonempty("HOME")) != NULL) {
        home = rdsiam__strdup(v);
    } else if (windows) {
        const char *drive = rdsiam__getenv_nonempty("HOMEDRIVE");
        const char *hpath = rdsiam__getenv_nonempty("HOMEPATH");
        if ((v = rdsiam__getenv_nonempty("USERPROFILE")) != NULL)
            home = rdsiam__strdup(v);
        else if (drive && hpath)
            home = concat3(drive, hpath, "");
        else
            return NULL;
    } else {
        /* POSIX without HOME: the password database, as the shell and
         * Python's expanduser do. */
        struct passwd pw, *res = NULL;
        char buf[4096];
        if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) != 0 || !res ||
            !res->pw_dir || !*res->pw_dir)
            return NULL;
        home = rdsiam__strdup(res->pw_dir);
    }
    if (!home)
        *rc = RDSIAM_ERR_NO_MEMORY;
    return home;
}

/* One file's path: the variable's value with "~" expanded, else
 * home/.aws/<file>. NULL with *rc OK when the home is needed but unknown. */
static char *file_path(const char *var, const char *file, bool windows, int *rc)
{
    const char *v = rdsiam__getenv_nonempty(var);
    const char *sep = windows ? "\\" : "/";
    char *home, *out, *tail;

    *rc = RDSIAM_OK;
    /* "~" only as the whole first path segment: "~" or "~/..." */
    if (v && !(v[0] == '~' &&
               (v[1] == '\0' || v[1] == '/' || (windows && v[1] == '\\')))) {
        out = rdsiam__strdup(v);
        if (!out)
            *rc = RDSIAM_ERR_NO_MEMORY;
        return out;
    }
    home = home_dir(windows, rc);
    if (!home)
        return NULL;
    if (v) {
        out = concat3(home, v + 1, "");
    } else {
        tail = concat3(sep, ".aws", sep);
        out = tail ? concat3(home, tail, file) : NULL;
        free(tail);
    }
    free(home);
    if (!out)
        *rc = RDSIAM_ERR_NO_MEMORY;
    return out;
}

int rdsiam__profile_paths(bool windows, char **config, char **credentials,
                          rdsiam_error *err)
{
    int rc = RDSIAM_OK;

    *config = NULL;
    *credentials = NULL;
    *config = file_path("AWS_CONFIG_FILE", "config", windows, &rc);
    if (rc == RDSIAM_OK)
        *credentials = file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials",
                                 windows, &rc);
    if (rc != RDSIAM_OK) {
        free(*config);
        free(*credentials);
        *config = *credentials = NULL;
        return rdsiam__fail_code(err, rc);
    }
    rdsiam__ok(err);
    return RDSIAM_OK;
}

const char *rdsiam__profile_selected(const char *explicit_name, bool *from_env)
{
    const char *v;

    if (from_env)
        *from_env = false;
    if (explicit_name && *explicit_name)
        return explicit_name;
    /* AWS_PROFILE first, as the AWS CLI v2 and the Go SDK do (botocore
     * alone reads AWS_DEFAULT_PROFILE first). */
    v = rdsiam__getenv_nonempty("AWS_PROFILE");
    if (!v)
        v = rdsiam__getenv_nonempty("AWS_DEFAULT_PROFILE");
    if (v) {
        if (from_env)
            *from_env = true;
        return v;
    }
    return "default";
}

int rdsiam__profile_load(rdsiam__profile_set *set, bool *any_found,
                         char **paths_out, rdsiam_error *err)
{
    char *config = NULL, *creds = NULL;
    bool found_config = false, found_creds = false;
    int rc = RDSIAM_OK;

    *any_found = false;
    if (paths_out)
        *paths_out = NULL;
    RDSIAM_GUARD(rdsiam__profile_paths(false, &config, &creds, err));
    /* Config first, then credentials merged over it: "on conflict the
     * credentials file wins". */
    RDSIAM_GUARD(rdsiam__profile_load_file(set, config, RDSIAM__PROFILE_CONFIG,
                                           &found_config, err));
    RDSIAM_GUARD(rdsiam__profile_load_file(
        set, creds, RDSIAM__PROFILE_CREDENTIALS, &found_creds, err));
    *any_found = found_config || found_creds;
    if (paths_out) {
        *paths_out = concat3(config ? config : "(no home directory)", ", ",
                             creds ? creds : "(no home directory)");
        RDSIAM_ENSURE(err, *paths_out != NULL, RDSIAM_ERR_NO_MEMORY,
                      "out of memory");
    }
done:
    free(config);
    free(creds);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Settings other than credentials                                           */
/* ------------------------------------------------------------------------ */

int rdsiam__profile_setting(const char *profile, const char *key, char **value,
                            bool *found, rdsiam_error *err)
{
    rdsiam__profile_set set;
    const rdsiam__profile *p;
    const char *name, *v;
    bool any;
    int rc = RDSIAM_OK;

    rdsiam__profile_set_init(&set);
    *value = NULL;
    if (found)
        *found = false;
    name = rdsiam__profile_selected(profile, NULL);
    RDSIAM_GUARD(rdsiam__profile_load(&set, &any, NULL, err));
    p = rdsiam__profile_find(&set, name);
    if (found)
        *found = p != NULL;
    v = rdsiam__profile_get(p, key);
    if (v) {
        *value = rdsiam__strdup(v);
        RDSIAM_ENSURE(err, *value, RDSIAM_ERR_NO_MEMORY,
                      "out of memory reading the profile");
    }
    rdsiam__ok(err);
done:
    rdsiam__profile_set_free(&set);
    return rc;
}
