/*
 * pam_rdsiam - a PAM module that accepts an RDS IAM authentication token as
 * the password, the way an RDS for PostgreSQL instance does for members of
 * the rds_iam role.
 *
 * PostgreSQL's `pam` authentication method hands the user name to PAM as
 * PAM_USER and relays the client's clear-text password through the PAM
 * conversation; this module reads both and checks the token with
 * rdsiam_verify_token() against the keys in a key file and the server's own
 * endpoint and region, all given as module arguments:
 *
 *   auth    required /path/pam_rdsiam.so keyfile=/path/keys host=localhost \
 *                    port=5432 region=us-east-1 [stderr]
 *   account required /path/pam_rdsiam.so
 *
 * A refusal is PAM_AUTH_ERR, which the client sees as the server's ordinary
 * "password authentication failed". The reason goes to syslog and, with the
 * `stderr` argument, to standard error, which is the server's log file when
 * PostgreSQL runs without a logging collector. Neither carries the token: it
 * is a bearer credential for 15 minutes.
 *
 * The module is linked with the static librdsiam so the server needs no
 * shared librdsiam at run time.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#define PAM_SM_PASSWORD
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "rdsiam.h"

#include "../common/log_escape.h"

/* PostgreSQL accepts passwords of up to 65535 bytes; a token, even with a
 * long session token, is far shorter. Anything longer is not a token. */
#define TOKEN_MAX 32768

struct config {
    const char *keyfile;
    const char *host;
    const char *region;
    unsigned int port;
    bool to_stderr;
};

/* A printable copy of an untrusted string for a log line: control and
 * non-ASCII bytes become '?', so a user name cannot forge log lines. */
static void printable(char *dst, size_t size, const char *src)
{
    size_t i;

    for (i = 0; src && src[i] && i + 1 < size; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    dst[i] = '\0';
}

static void logf_(pam_handle_t *pamh, const struct config *cfg, int prio,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void logf_(pam_handle_t *pamh, const struct config *cfg, int prio,
                  const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    emu_format_line(line, sizeof line, fmt, ap);
    va_end(ap);
    pam_syslog(pamh, prio, "%s", line);
    if (cfg && cfg->to_stderr) {
        fprintf(stderr, "pam_rdsiam: %s\n", line);
        fflush(stderr);
    }
}

/* Decimal digits only, 1-65535: strtol alone would also take " 5", "+5"
 * and "-0". */
static int parse_port(const char *s, unsigned int *port)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
        if (v <= 65535) /* stays above the limit once past it */
            v = v * 10 + (unsigned long)(s[i] - '0');
    if (i == 0 || s[i] != '\0' || v < 1 || v > 65535)
        return -1;
    *port = (unsigned int)v;
    return 0;
}

/* keyfile=, host=, port=, region= are required; `stderr` is optional. */
static int parse_args(pam_handle_t *pamh, struct config *cfg, int argc,
                      const char **argv)
{
    const char *port = NULL;
    int i;

    memset(cfg, 0, sizeof *cfg);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "keyfile=", 8) == 0)
            cfg->keyfile = a + 8;
        else if (strncmp(a, "host=", 5) == 0)
            cfg->host = a + 5;
        else if (strncmp(a, "port=", 5) == 0)
            port = a + 5;
        else if (strncmp(a, "region=", 7) == 0)
            cfg->region = a + 7;
        else if (strcmp(a, "stderr") == 0)
            cfg->to_stderr = true;
        else {
            logf_(pamh, cfg, LOG_ERR, "unknown module argument '%.64s'", a);
            return -1;
        }
    }
    if (!cfg->keyfile || !*cfg->keyfile || !cfg->host || !*cfg->host ||
        !cfg->region || !*cfg->region || !port) {
        logf_(pamh, cfg, LOG_ERR, "module arguments keyfile=, host=, port= "
                                  "and region= are all required");
        return -1;
    }
    if (parse_port(port, &cfg->port) != 0) {
        logf_(pamh, cfg, LOG_ERR, "module argument port= must be a number "
                                  "from 1 to 65535");
        return -1;
    }
    return 0;
}

/*
 * Ask for the password through the application's conversation function
 * directly rather than through pam_get_authtok(): tokens that carry a
 * session token are well over PAM_MAX_RESP_SIZE (512), and the password
 * must reach us byte for byte. On success *out is malloc'd and secret.
 */
static int ask_password(pam_handle_t *pamh, char **out)
{
    const struct pam_conv *conv = NULL;
    struct pam_message msg = {PAM_PROMPT_ECHO_OFF, "Password: "};
    const struct pam_message *msgs[1] = {&msg};
    struct pam_response *resp = NULL;
    int rc;

    *out = NULL;
    rc = pam_get_item(pamh, PAM_CONV, (const void **)&conv);
    if (rc != PAM_SUCCESS || !conv || !conv->conv)
        return PAM_CONV_ERR;
    rc = conv->conv(1, msgs, &resp, conv->appdata_ptr);
    if (rc != PAM_SUCCESS) {
        /* A conversation that failed may still have left a reply. */
        if (resp) {
            if (resp[0].resp) {
                explicit_bzero(resp[0].resp, strlen(resp[0].resp));
                free(resp[0].resp);
            }
            free(resp);
        }
        return rc;
    }
    if (!resp)
        return PAM_CONV_ERR;
    *out = resp[0].resp;
    free(resp);
    return *out ? PAM_SUCCESS : PAM_CONV_ERR;
}

static void free_secret(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static int check_token(pam_handle_t *pamh, const struct config *cfg,
                       const char *user, const char *token)
{
    rdsiam_keystore *ks = NULL;
    rdsiam_verify_params vp = {0};
    rdsiam_error err;
    char who[RDSIAM_USERNAME_MAX + 1];
    size_t len = strnlen(token, TOKEN_MAX + 1);
    int rc;

    printable(who, sizeof who, user);
    if (len == 0 || len > TOKEN_MAX) {
        logf_(pamh, cfg, LOG_NOTICE, "refused '%s': the password is %s", who,
              len ? "too long to be a token" : "empty");
        return PAM_AUTH_ERR;
    }
    /* Read the keys on each login so a rotated key file takes effect
     * without restarting the server. */
    rc = rdsiam_keystore_load(cfg->keyfile, &ks, &err);
    if (rc != RDSIAM_OK) {
        logf_(pamh, cfg, LOG_ERR, "cannot load keys: %s", err.message);
        return PAM_AUTHINFO_UNAVAIL;
    }
    vp.hostname = cfg->host;
    vp.port = cfg->port;
    vp.region = cfg->region;
    vp.username = user;
    rc = rdsiam_verify_token(token, len, &vp, ks, &err);
    rdsiam_keystore_free(ks);
    if (rc != RDSIAM_OK) {
        logf_(pamh, cfg, LOG_NOTICE, "refused '%s': %s (error %d)", who,
              err.message, rc);
        return PAM_AUTH_ERR;
    }
    logf_(pamh, cfg, LOG_INFO, "accepted '%s'", who);
    return PAM_SUCCESS;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
                                   const char **argv)
{
    struct config cfg;
    const char *user = NULL;
    char *token = NULL;
    int rc;

    (void)flags;
    if (parse_args(pamh, &cfg, argc, argv) != 0)
        return PAM_SERVICE_ERR;
    rc = pam_get_item(pamh, PAM_USER, (const void **)&user);
    if (rc != PAM_SUCCESS || !user || !*user) {
        logf_(pamh, &cfg, LOG_ERR, "no user name (PAM_USER) was given");
        return PAM_USER_UNKNOWN;
    }
    rc = ask_password(pamh, &token);
    if (rc != PAM_SUCCESS) {
        logf_(pamh, &cfg, LOG_NOTICE, "no password from the client: %s",
              pam_strerror(pamh, rc));
        return PAM_AUTH_ERR;
    }
    rc = check_token(pamh, &cfg, user, token);
    free_secret(token);
    return rc;
}

/* Tokens create no credentials to set. */
PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
                              const char **argv)
{
    (void)pamh, (void)flags, (void)argc, (void)argv;
    return PAM_SUCCESS;
}

/* The database user is not a system account: whether it may log in is the
 * database's business (the role and its LOGIN attribute), so the account
 * check passes once the token did. */
PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc,
                                const char **argv)
{
    (void)pamh, (void)flags, (void)argc, (void)argv;
    return PAM_SUCCESS;
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
                                   const char **argv)
{
    (void)pamh, (void)flags, (void)argc, (void)argv;
    return PAM_IGNORE;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
                                    const char **argv)
{
    (void)pamh, (void)flags, (void)argc, (void)argv;
    return PAM_IGNORE;
}

/* A token is issued by IAM; there is nothing here to change. */
PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc,
                                const char **argv)
{
    (void)flags, (void)argc, (void)argv;
    pam_syslog(pamh, LOG_NOTICE, "IAM tokens cannot be changed through PAM");
    return PAM_AUTHTOK_ERR;
}
