/*
 * source.c - what every credential source shares: the owned credentials
 * type, the checks on credentials read from outside, and the resolution
 * context (profile selection and the shared files, parsed once per
 * resolution), and the constructor of sources bound to a profile.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"

/* ------------------------------------------------------------------------ */
/* Owned credentials                                                         */
/* ------------------------------------------------------------------------ */

void rdsiam__creds_clear(rdsiam__creds *c)
{
    if (!c)
        return;
    rdsiam__free_secret_str(c->access_key_id);
    rdsiam__free_secret_str(c->secret_access_key);
    rdsiam__free_secret_str(c->session_token);
    memset(c, 0, sizeof *c);
}

/* "Access key IDs ... 16 to 128 characters, A-Z and 0-9" (IAM API
 * reference, AccessKey.AccessKeyId: Pattern [\w]+, and the documented
 * AKIA/ASIA upper-case form). */
bool rdsiam__akid_form_ok(const char *s, size_t n)
{
    if (n < 16 || n > RDSIAM_ACCESS_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

int rdsiam__creds_set(rdsiam__creds *out, const char *akid, const char *secret,
                      const char *token, const char *what, rdsiam_error *err)
{
    rdsiam_credentials view;
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, akid && *akid, RDSIAM_ERR_ACCESS_KEY_EMPTY,
                  "%s: the access key id is empty", what);
    RDSIAM_ENSURE(err, rdsiam__akid_form_ok(akid, strlen(akid)),
                  RDSIAM_ERR_ACCESS_KEY_INVALID,
                  "%s: the access key id is not 16 to 128 characters A-Z "
                  "and 0-9",
                  what);
    view.access_key_id = akid;
    view.secret_access_key = secret;
    view.session_token = token;
    view.expiration = 0;
    rc = rdsiam__check_credentials(&view, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "%s", what);
        goto done;
    }
    out->access_key_id = rdsiam__strdup(akid);
    out->secret_access_key = rdsiam__strdup(secret);
    out->session_token = token && *token ? rdsiam__strdup(token) : NULL;
    RDSIAM_ENSURE(err,
                  out->access_key_id && out->secret_access_key &&
                      (!token || !*token || out->session_token),
                  RDSIAM_ERR_NO_MEMORY, "%s: out of memory copying credentials",
                  what);
done:
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

int rdsiam__creds_copy(rdsiam__creds *dst, const rdsiam__creds *src)
{
    memset(dst, 0, sizeof *dst);
    dst->access_key_id = rdsiam__strdup(src->access_key_id);
    dst->secret_access_key = rdsiam__strdup(src->secret_access_key);
    dst->session_token = rdsiam__strdup(src->session_token);
    dst->expires = src->expires;
    dst->expiration = src->expiration;
    if ((src->access_key_id && !dst->access_key_id) ||
        (src->secret_access_key && !dst->secret_access_key) ||
        (src->session_token && !dst->session_token)) {
        rdsiam__creds_clear(dst);
        return RDSIAM_ERR_NO_MEMORY;
    }
    return RDSIAM_OK;
}

rdsiam_credentials rdsiam__creds_view(const rdsiam__creds *c)
{
    rdsiam_credentials v;

    v.access_key_id = c->access_key_id;
    v.secret_access_key = c->secret_access_key;
    v.session_token = c->session_token;
    v.expiration = c->expires ? c->expiration : 0;
    return v;
}

/* ------------------------------------------------------------------------ */
/* The resolution context                                                    */
/* ------------------------------------------------------------------------ */

int rdsiam__resolution_open(rdsiam__resolution *r,
                            const rdsiam_provider_options *opts,
                            rdsiam_error *err)
{
    const char *explicit_name =
        opts && opts->profile && *opts->profile ? opts->profile : NULL;
    bool from_env = false;
    const char *name;

    memset(r, 0, sizeof *r);
    r->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms : 0;
    r->region = opts && opts->region && *opts->region ? opts->region : NULL;
    name = rdsiam__profile_selected(explicit_name, &from_env);
    /* A copy: the environment may change while the resolution runs. */
    r->profile_copy = rdsiam__strdup(name);
    if (!r->profile_copy)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "out of memory resolving credentials");
    r->profile = r->profile_copy;
    r->profile_explicit = explicit_name != NULL;
    r->profile_chosen = explicit_name != NULL || from_env;
    rdsiam__ok(err);
    return RDSIAM_OK;
}

void rdsiam__resolution_close(rdsiam__resolution *r)
{
    if (!r)
        return;
    rdsiam__profile_set_free(&r->files);
    free(r->paths);
    free(r->profile_copy);
    rdsiam__wipe(&r->load_err, sizeof r->load_err);
    memset(r, 0, sizeof *r);
}

int rdsiam__resolution_files(rdsiam__resolution *r,
                             const rdsiam__profile_set **set,
                             const char **paths, rdsiam_error *err)
{
    bool found = false;

    if (!r->loaded) {
        rdsiam__profile_set_init(&r->files);
        r->load_rc =
            rdsiam__profile_load(&r->files, &found, &r->paths, &r->load_err);
        r->loaded = true;
    }
    *set = &r->files;
    if (paths)
        *paths = r->paths ? r->paths : "the shared files";
    if (r->load_rc != RDSIAM_OK) {
        if (err)
            *err = r->load_err;
        return r->load_rc;
    }
    rdsiam__ok(err);
    return RDSIAM_OK;
}

int rdsiam__resolution_profile(rdsiam__resolution *r, const char *name,
                               const rdsiam__profile **p, rdsiam_error *err)
{
    const rdsiam__profile_set *set;
    const char *paths;
    bool chosen = name != NULL || r->profile_chosen;
    int rc = RDSIAM_OK;

    *p = NULL;
    if (!name)
        name = r->profile;
    RDSIAM_GUARD(rdsiam__resolution_files(r, &set, &paths, err));
    *p = rdsiam__profile_find(set, name);
    /* botocore raises ProfileNotFound for a profile asked for by name
     * (also through AWS_PROFILE); a missing "default" is simply nothing. */
    RDSIAM_ENSURE(err, *p,
                  chosen ? RDSIAM_ERR_PROFILE_NOT_FOUND
                         : RDSIAM_ERR_NO_CREDENTIALS,
                  "profile %s not found in %s", name, paths);
    rdsiam__ok(err);
done:
    return rc;
}

int rdsiam__resolution_setting(rdsiam__resolution *r, const char *name,
                               const char *key, const char **value,
                               rdsiam_error *err)
{
    const rdsiam__profile_set *set;
    const rdsiam__profile *p;
    int rc = RDSIAM_OK;

    *value = NULL;
    RDSIAM_GUARD(rdsiam__resolution_files(r, &set, NULL, err));
    p = rdsiam__profile_find(set, name ? name : r->profile);
    *value = p ? rdsiam__profile_get(p, key) : NULL;
done:
    return rc;
}

int rdsiam__resolution_env_setting(rdsiam__resolution *r, const char *env,
                                   const char *key, const char **value,
                                   rdsiam_error *err)
{
    *value = rdsiam__getenv_nonempty(env);
    if (*value) {
        rdsiam__ok(err);
        return RDSIAM_OK;
    }
    return rdsiam__resolution_setting(r, NULL, key, value, err);
}

int rdsiam__resolution_region(rdsiam__resolution *r, char *buf, size_t size,
                              rdsiam_error *err)
{
    const char *v = r->region, *what = "region option";
    size_t n;
    int rc = RDSIAM_OK;

    buf[0] = '\0';
    if (!v && (v = rdsiam__getenv_nonempty("AWS_REGION")))
        what = "AWS_REGION";
    if (!v && (v = rdsiam__getenv_nonempty("AWS_DEFAULT_REGION")))
        what = "AWS_DEFAULT_REGION";
    if (!v) {
        RDSIAM_GUARD(rdsiam__resolution_setting(r, NULL, "region", &v, err));
        what = "profile setting region";
    }
    if (!v || !*v)
        goto done;
    rc = rdsiam__check_region(v, NULL, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "%s", what);
        goto done;
    }
    n = strlen(v);
    RDSIAM_ENSURE(err, n < size, RDSIAM_ERR_REGION_INVALID, "%s is too long",
                  what);
    memcpy(buf, v, n + 1);
done:
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Sources bound to a profile                                                */
/* ------------------------------------------------------------------------ */

static void bound_destroy(void *self)
{
    rdsiam__bound *b = self;

    if (!b)
        return;
    free(b->profile);
    free(b);
}

int rdsiam__bound_new(rdsiam__source *out, const char *name,
                      int (*fetch)(void *self, rdsiam__creds *out,
                                   rdsiam_error *err),
                      rdsiam__resolution *res, const char *profile,
                      rdsiam_error *err)
{
    rdsiam__bound *b = calloc(1, sizeof *b);
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    out->name = name;
    RDSIAM_ENSURE(err, b, RDSIAM_ERR_NO_MEMORY,
                  "out of memory creating the %s source", name);
    b->res = res;
    if (profile) {
        b->profile = rdsiam__strdup(profile);
        RDSIAM_ENSURE(err, b->profile, RDSIAM_ERR_NO_MEMORY,
                      "out of memory creating the %s source", name);
    }
    out->fetch = fetch;
    out->destroy = bound_destroy;
    out->self = b;
    b = NULL;
    rdsiam__ok(err);
done:
    bound_destroy(b);
    return rc;
}

const char *rdsiam__bound_profile(const rdsiam__bound *b)
{
    return b->profile ? b->profile : b->res->profile;
}
