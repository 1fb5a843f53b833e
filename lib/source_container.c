/*
 * source_container.c - credentials from a container endpoint: the ECS
 * agent (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), EKS Pod Identity,
 * Greengrass and Lambda SnapStart (AWS_CONTAINER_CREDENTIALS_FULL_URI with
 * an Authorization token).
 *
 * Behaviour follows botocore's ContainerProvider and ContainerMetadataFetcher
 * (botocore 1.43, credentials.py / utils.py) and the conformance data in
 * aws-config/ecs-tests.json:
 *   - the relative URI wins over the full URI when both are set;
 *   - over plain http only loopback, 169.254.170.2, 169.254.170.23 and
 *     fd00:ec2::23 may be contacted; https may name any host;
 *   - the token file wins over the token variable and is re-read on every
 *     fetch; the value is sent as is and refused if it holds CR or LF;
 *   - AccessKeyId, SecretAccessKey, Token and Expiration are all required.
 * Unlike botocore, the allow-list is checked on the parsed host before any
 * connection and again, for plain http, on every address libcurl is about
 * to connect to (so "localhost" cannot resolve somewhere else), and a
 * plain-http request never goes through a proxy.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "endpoint.h"
#include "file.h"
#include "http.h"
#include "json_creds.h"
#include "source_container.h"
#include "withhold.h"

/* What plain http may reach (endpoint.h): loopback and the container
 * endpoints. */
#define CONTAINER (RDSIAM__ALLOW_LOOPBACK | RDSIAM__ALLOW_CONTAINER)

/* ------------------------------------------------------------------------ */
/* URI checks and resolution                                                 */
/* ------------------------------------------------------------------------ */

/* What policy the container URIs are read with (endpoint.h): plain http
 * to loopback and the container endpoints; a query may follow. */
#define POLICY (CONTAINER | RDSIAM__URL_WITH_QUERY)

/* A refused URI (RDSIAM_OK for none), worded after "container: VAR". */
static int uri_fail(rdsiam_error *err, rdsiam__url_fault f, const char *var,
                    const rdsiam__url *u)
{
    return rdsiam__url_fail(err, f, u, POLICY, RDSIAM__CONTAINER_URI_MAX,
                            "container: %s", var);
}

int rdsiam__container_check_uri(const char *url, const char *var,
                                rdsiam_error *err)
{
    rdsiam__url u;
    rdsiam__url_fault f;

    if (!url || !var)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: URI or variable name is NULL");
    f = rdsiam__url_parse(url, RDSIAM__CONTAINER_URI_MAX, POLICY, &u);
    return uri_fail(err, f, var, &u);
}

int rdsiam__container_resolve_uri(char **url, rdsiam__url *parts,
                                  rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *rel, *full, *var;
    rdsiam__buf b;
    rdsiam__url local;
    rdsiam__url_fault f;

    if (!url)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: url is NULL");
    *url = NULL;
    if (!parts)
        parts = &local;
    rdsiam__buf_init(&b, RDSIAM__CONTAINER_URI_MAX + 64);
    rel = rdsiam__getenv(RDSIAM__CONTAINER_RELATIVE_ENV);
    full = rdsiam__getenv(RDSIAM__CONTAINER_FULL_ENV);
    /* botocore: "if self._provided_relative_uri()" - a set relative URI is
     * used even when the full URI is set too. */
    if (rel) {
        var = RDSIAM__CONTAINER_RELATIVE_ENV;
        RDSIAM_ENSURE(err, rel[0] == '/', RDSIAM_ERR_URI_INVALID,
                      "container: %s must start with '/'", var);
        if (strlen(rel) > RDSIAM__CONTAINER_URI_MAX)
            RDSIAM_GUARD(uri_fail(err, RDSIAM__URL_TOO_LONG, var, NULL));
        rc = rdsiam__buf_printf(&b, "%s%s", RDSIAM__CONTAINER_ECS_BASE, rel);
        RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "container: out of memory");
        *url = rdsiam__buf_take(&b);
    } else if (full) {
        var = RDSIAM__CONTAINER_FULL_ENV;
        *url = rdsiam__strdup(full);
    } else {
        /* botocore's wording, which the conformance data checks */
        RDSIAM_BAIL(err, RDSIAM_ERR_NO_CREDENTIALS,
                    "no environment variables were set to configure ECS "
                    "provider (%s, %s)",
                    RDSIAM__CONTAINER_RELATIVE_ENV, RDSIAM__CONTAINER_FULL_ENV);
    }
    RDSIAM_ENSURE(err, *url != NULL, RDSIAM_ERR_NO_MEMORY,
                  "container: out of memory");
    /* Parsed once, here: the caller connects with these parts. */
    f = rdsiam__url_parse(*url, RDSIAM__CONTAINER_URI_MAX, POLICY, parts);
    RDSIAM_GUARD(uri_fail(err, f, var, parts));
done:
    rdsiam__buf_free(&b);
    if (rc != RDSIAM_OK) {
        rdsiam__free_secret_str(*url); /* a query may carry a secret */
        *url = NULL;
        memset(parts, 0, sizeof *parts);
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The Authorization token                                                   */
/* ------------------------------------------------------------------------ */

static int read_token_file(const char *path, rdsiam__buf *b, rdsiam_error *err)
{
    char what[160];
    int rc;

    snprintf(what, sizeof what, "%s %.100s", RDSIAM__CONTAINER_TOKEN_FILE_ENV,
             path);
    /* A FIFO or device must not hang the fetch: regular files only. */
    rc = rdsiam__file_read(path, what, b->max, RDSIAM_ERR_AUTH_TOKEN_INVALID, 0,
                           b, NULL, err);
    if (rc != RDSIAM_OK)
        rdsiam__error_prefix(err, "container");
    return rc;
}

int rdsiam__container_auth_token(char **token, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const char *file, *value, *source;
    rdsiam__buf b;

    if (!token)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: token is NULL");
    *token = NULL;
    rdsiam__buf_init(&b, RDSIAM__CONTAINER_TOKEN_MAX);
    file = rdsiam__getenv(RDSIAM__CONTAINER_TOKEN_FILE_ENV);
    value = rdsiam__getenv(RDSIAM__CONTAINER_TOKEN_ENV);
    /* botocore: the file when its variable is present, else the value. */
    if (file) {
        source = RDSIAM__CONTAINER_TOKEN_FILE_ENV;
        RDSIAM_ENSURE(err, *file, RDSIAM_ERR_FILE_IO,
                      "container: %s is set but empty", source);
        RDSIAM_GUARD(read_token_file(file, &b, err));
    } else if (value) {
        source = RDSIAM__CONTAINER_TOKEN_ENV;
        RDSIAM_ENSURE(err, strlen(value) <= b.max,
                      RDSIAM_ERR_AUTH_TOKEN_INVALID,
                      "container: %s is longer than %zu bytes", source, b.max);
        rc = rdsiam__buf_append(&b, value, strlen(value));
        RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "container: out of memory");
        if (!b.data)
            RDSIAM_GUARD(rdsiam__buf_append(&b, "", 0));
    } else {
        goto done; /* no token: no header */
    }
    /* botocore: "Auth token value is not a legal header value" when it
     * holds \r or \n; a NUL cannot be sent either. */
    RDSIAM_ENSURE(err,
                  b.data && strlen(b.data) == b.len &&
                      !b.data[strcspn(b.data, "\r\n")],
                  RDSIAM_ERR_AUTH_TOKEN_INVALID,
                  "container: the authorization token from %s contains CR, LF "
                  "or NUL, which an HTTP header cannot carry",
                  source);
    *token = rdsiam__buf_take(&b);
done:
    rdsiam__buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The JSON answer                                                           */
/* ------------------------------------------------------------------------ */

int rdsiam__container_parse(const char *body, size_t len, rdsiam__creds *out,
                            rdsiam_error *err)
{
    /* botocore's ContainerProvider reads all four. */
    static const rdsiam__json_creds_fields fields = {
        "AccessKeyId", "SecretAccessKey", "Token", true, "Expiration", true};
    rdsiam__json *j = NULL;
    const char *code = NULL;
    char shown[48];
    int rc = RDSIAM_OK;

    memset(out, 0, sizeof *out);
    RDSIAM_GUARD(rdsiam__json_parse(body, len, "container", "the answer",
                                    RDSIAM_ERR_JSON, &j, err));
    /* ECS documents {"Code":"Success",...}; anything else is a failure
     * the endpoint reports in a 200 answer. */
    if (rdsiam__json_string(j, "Code", false, &code, NULL) == RDSIAM_OK &&
        code && strcmp(code, "Success") != 0) {
        rdsiam__printable(shown, sizeof shown, code);
        RDSIAM_BAIL(err, RDSIAM_ERR_JSON,
                    "container: the endpoint answered Code \"%s\"", shown);
    }
    RDSIAM_GUARD(rdsiam__json_creds(j, &fields, out, err));
    /* Not secret, and a valid time by now: shown as the endpoint wrote it. */
    (void)rdsiam__json_string(j, "Expiration", true, &code, NULL);
    rdsiam__printable(shown, sizeof shown, code);
    RDSIAM_ENSURE(err, out->expiration > rdsiam__now(),
                  RDSIAM_ERR_CREDENTIALS_EXPIRED,
                  "container: the endpoint returned credentials that expired "
                  "at %s",
                  shown);
done:
    rdsiam__json_free(j);
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The source                                                                */
/* ------------------------------------------------------------------------ */

#if RDSIAM_HTTP

typedef struct container_source {
    long timeout_ms;
    rdsiam__resolution *res; /* NULL: settings from the environment only */
} container_source;

static int container_fetch(void *self, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    const container_source *src = self;
    const char *ca_file = NULL;
    char *url = NULL, *token = NULL;
    rdsiam__http_request req;
    rdsiam__buf body;
    rdsiam__url parts;
    long status = 0;

    rdsiam__buf_init(&body, RDSIAM__HTTP_MAX_BODY);
    if (out)
        memset(out, 0, sizeof *out);
    RDSIAM_ENSURE(err, out != NULL, RDSIAM_ERR_NULL_ARGUMENT,
                  "container: credentials pointer is NULL");
    RDSIAM_GUARD(rdsiam__container_resolve_uri(&url, &parts, err));
    RDSIAM_GUARD(rdsiam__container_auth_token(&token, err));
    /* botocore's ca_bundle: AWS_CA_BUNDLE, then the profile's ca_bundle. */
    if (src->res)
        RDSIAM_GUARD(rdsiam__resolution_env_setting(
            src->res, "AWS_CA_BUNDLE", "ca_bundle", &ca_file, err));
    else
        ca_file = rdsiam__getenv_nonempty("AWS_CA_BUNDLE");
    memset(&req, 0, sizeof req);
    req.ca_file = ca_file;
    req.url = url;
    req.authorization = token;
    req.timeout_ms = src->timeout_ms;
    req.retries = RDSIAM__HTTP_RETRIES;
    /* Loopback and link-local hosts are reached directly, never through a
     * proxy (which could not reach them and would see the token). Over
     * plain http every address is checked again at connect time. */
    if (parts.allowed)
        req.no_proxy = true;
    if (!parts.https) {
        req.no_proxy = true;
        req.allow_addr = rdsiam__endpoint_addr_container;
    }
    rc = rdsiam__http_get(&req, &body, &status, err);
    if (rc != RDSIAM_OK) {
        rdsiam__error_prefix(err, "container");
        goto done;
    }
    RDSIAM_GUARD(rdsiam__container_parse(body.data, body.len, out, err));
done:
    if (rc != RDSIAM_OK && token) {
        /* The answer's Code or member names are shown: never an echo
         * of the authorization token. */
        rdsiam__sent sent = {token, strlen(token)};
        rdsiam__withhold_sent(err, "container", &sent, 1);
    }
    rdsiam__buf_free(&body);
    rdsiam__free_secret_str(token);
    rdsiam__free_secret_str(url); /* a query string may carry a secret */
    if (rc == RDSIAM_OK)
        rdsiam__ok(err);
    return rc;
}

static void container_destroy(void *self)
{
    free(self);
}

int rdsiam__source_container(rdsiam__source *out, rdsiam__resolution *res,
                             const char *profile, rdsiam_error *err)
{
    container_source *src;

    if (!out)
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "container: source pointer is NULL");
    memset(out, 0, sizeof *out);
    src = calloc(1, sizeof *src);
    if (!src)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "container: out of memory");
    (void)profile;
    src->res = res;
    src->timeout_ms =
        res && res->timeout_ms > 0 ? res->timeout_ms : RDSIAM__HTTP_TIMEOUT_MS;
    out->name = "container";
    out->fetch = container_fetch;
    out->destroy = container_destroy;
    out->self = src;
    rdsiam__ok(err);
    return RDSIAM_OK;
}

#endif /* RDSIAM_HTTP */
