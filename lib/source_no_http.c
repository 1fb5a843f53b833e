/*
 * source_no_http.c - the credential sources that need HTTP, as a library
 * built with HTTP=no (no libcurl) has them: every constructor leaves an
 * empty source named as the real one and returns RDSIAM_ERR_NOT_BUILT_IN
 * with a message that says why. A chain notes such a link as "not built
 * in" and goes on; the public constructor of a one-source provider
 * (rdsiam_provider_new_container) says so at once. With HTTP=yes this file
 * is empty.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "source.h"
#include "source_assume_role.h"
#include "source_imds.h"
#include "source_sso.h"
#include "source_web_identity.h"

#if !RDSIAM_HTTP

/* *out (may be NULL) zeroed with out->name = name, and one message for
 * every source. */
static int not_built_in(rdsiam__source *out, const char *name, const char *what,
                        rdsiam_error *err)
{
    if (out) {
        memset(out, 0, sizeof *out);
        out->name = name;
    }
    return rdsiam__fail(err, RDSIAM_ERR_NOT_BUILT_IN,
                        "%s credentials: this library was built with HTTP=no "
                        "(no libcurl)",
                        what);
}

int rdsiam__assume_role_new(rdsiam__source *out, rdsiam__source *inner,
                            const rdsiam__assume_role_config *cfg,
                            rdsiam_error *err)
{
    (void)cfg;
    if (inner && inner->destroy) {
        inner->destroy(inner->self);
        memset(inner, 0, sizeof *inner);
    }
    return not_built_in(out, "assume role", "assume role", err);
}

int rdsiam__source_assume_role(rdsiam__source *out, rdsiam__resolution *res,
                               const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return not_built_in(out, "assume role", "assume role", err);
}

int rdsiam__web_identity_new(rdsiam__source *out,
                             const rdsiam__web_identity_config *cfg,
                             rdsiam_error *err)
{
    (void)cfg;
    return not_built_in(out, "web identity", "web identity", err);
}

int rdsiam__source_web_identity(rdsiam__source *out, rdsiam__resolution *res,
                                const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return not_built_in(out, "web identity", "web identity", err);
}

int rdsiam__source_container(rdsiam__source *out, rdsiam__resolution *res,
                             const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return not_built_in(out, "container", "container", err);
}

int rdsiam__source_login(rdsiam__source *out, rdsiam__resolution *res,
                         const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return not_built_in(out, "login", "login session", err);
}

int rdsiam__sso_new(rdsiam__source *out, const rdsiam__sso_config *cfg,
                    rdsiam_error *err)
{
    (void)cfg;
    return not_built_in(out, "sso", "IAM Identity Center", err);
}

int rdsiam__source_sso(rdsiam__source *out, rdsiam__resolution *res,
                       const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return not_built_in(out, "sso", "IAM Identity Center", err);
}

int rdsiam__imds_new(rdsiam__source *out, const rdsiam__imds_config *cfg,
                     rdsiam_error *err)
{
    (void)cfg;
    return not_built_in(out, "instance metadata", "instance metadata", err);
}

int rdsiam__source_imds(rdsiam__source *out, rdsiam__resolution *res,
                        const char *profile, rdsiam_error *err)
{
    (void)res;
    (void)profile;
    return not_built_in(out, "instance metadata", "instance metadata", err);
}

#else

/* ISO C wants a translation unit to declare something. */
typedef int rdsiam__source_no_http_unused;

#endif /* !RDSIAM_HTTP */
