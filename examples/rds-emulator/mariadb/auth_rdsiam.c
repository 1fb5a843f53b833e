/*
 * auth_rdsiam.c - a MariaDB server authentication plugin that accepts RDS
 * IAM authentication tokens, as Amazon RDS for MariaDB and MySQL do.
 *
 * It registers as AWSAuthenticationPlugin, so the statement RDS documents
 * works verbatim:
 *
 *   CREATE USER jane_doe IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'
 *     REQUIRE SSL;
 *
 * Like RDS it asks the client for the password in clear text (client
 * plugin mysql_clear_password; hence REQUIRE SSL) and checks it with
 * rdsiam_verify_token() against the server's own endpoint and region and
 * the keys in a key file. Settings (read-only, from the server options):
 *
 *   awsauthenticationplugin_key_file   ACCESS_KEY_ID SECRET [SESSION_TOKEN]
 *   awsauthenticationplugin_hostname   host name clients sign for
 *   awsauthenticationplugin_port       port clients sign for
 *   awsauthenticationplugin_region     e.g. us-east-1
 *
 * A refused login is the server's ordinary access-denied error; the error
 * log says why, never with the token or a key.
 *
 * SPDX-License-Identifier: MIT
 */
#define MYSQL_DYNAMIC_PLUGIN
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mysql/plugin_auth.h>
#include <mysql/service_my_print_error.h>

#include <rdsiam.h>

#include "../common/log_escape.h"

#define PLUGIN_NAME "AWSAuthenticationPlugin"

static char *opt_key_file;
static char *opt_hostname;
static char *opt_region;
static unsigned int opt_port;

/* Loaded once at plugin init; immutable afterwards, so shared by all
 * connection threads without a lock. */
static rdsiam_keystore *keys;

/* One line in the server error log, never holding the token or a key;
 * the user name in it is the client's choice, hence the escaping. */
static void log_line(unsigned long flags, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void log_line(unsigned long flags, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    emu_format_line(msg, sizeof msg, fmt, ap);
    va_end(ap);
    my_printf_error(0, PLUGIN_NAME ": %s", ME_ERROR_LOG_ONLY | flags, msg);
}

static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static int authenticate(MYSQL_PLUGIN_VIO *vio, MYSQL_SERVER_AUTH_INFO *info)
{
    char user[RDSIAM_USERNAME_MAX + 1];
    unsigned char *pkt;
    size_t n;
    int len, rc;
    rdsiam_error err;
    rdsiam_verify_params vp;

    /* The user name and the account's authentication string are known
     * once the client's first answer is read. With no packet written
     * first, the server sends the client an
     * authentication-switch request naming mysql_clear_password. */
    len = vio->read_packet(vio, &pkt);
    if (len < 0) {
        log_line(ME_NOTE,
                 "access denied for '%s': the client sent no token (is its "
                 "clear-text plugin enabled?)",
                 info->user_name ? info->user_name : "");
        return CR_ERROR;
    }
    /* RDS creates IAM users with AS 'RDS'; an empty string is the same. */
    if (info->auth_string_length != 0 &&
        (info->auth_string_length != 3 ||
         memcmp(info->auth_string, "RDS", 3) != 0)) {
        log_line(ME_NOTE,
                 "access denied for '%s': the account's authentication "
                 "string is not 'RDS'",
                 info->user_name);
        wipe(pkt, (size_t)len);
        return CR_ERROR;
    }
    if (info->user_name_length > RDSIAM_USERNAME_MAX) {
        wipe(pkt, (size_t)len);
        return CR_ERROR;
    }
    memcpy(user, info->user_name, info->user_name_length);
    user[info->user_name_length] = '\0';

    info->password_used = PASSWORD_USED_YES;
    n = (size_t)len;
    if (n > 0 && pkt[n - 1] == '\0') /* mysql_clear_password sends the NUL */
        n--;

    memset(&vp, 0, sizeof vp);
    vp.hostname = opt_hostname;
    vp.port = opt_port;
    vp.region = opt_region;
    vp.username = user;
    rc = rdsiam_verify_token((const char *)pkt, n, &vp, keys, &err);
    wipe(pkt, (size_t)len);
    if (rc != RDSIAM_OK) {
        log_line(ME_NOTE, "access denied for '%s'@'%s': %s", user,
                 info->host_or_ip ? info->host_or_ip : "?", err.message);
        return CR_ERROR;
    }
    return CR_OK;
}

static int plugin_init(void *p)
{
    rdsiam_token_params tp;
    rdsiam_error err;

    (void)p;
    if (!opt_key_file || !opt_hostname || !opt_region || opt_port == 0) {
        log_line(0, "set awsauthenticationplugin_key_file, _hostname, _port "
                    "and _region in the server options");
        return 1;
    }
    /* Check the endpoint settings once, as a client signing for them. */
    memset(&tp, 0, sizeof tp);
    tp.hostname = opt_hostname;
    tp.port = opt_port;
    tp.username = "x";
    tp.region = opt_region;
    if (rdsiam_token_params_check(&tp, &err) != RDSIAM_OK) {
        log_line(0, "%s", err.message);
        return 1;
    }
    if (rdsiam_keystore_load(opt_key_file, &keys, &err) != RDSIAM_OK) {
        log_line(0, "%s", err.message);
        return 1;
    }
    log_line(ME_NOTE, "verifying tokens for %s:%u in %s", opt_hostname,
             opt_port, opt_region);
    return 0;
}

static int plugin_deinit(void *p)
{
    (void)p;
    rdsiam_keystore_free(keys);
    keys = NULL;
    return 0;
}

static struct st_mysql_auth rdsiam_auth = {
    MYSQL_AUTHENTICATION_INTERFACE_VERSION,
    "mysql_clear_password", /* as RDS: the token travels as the password */
    authenticate,
    NULL, /* no SET PASSWORD: the token is the password */
    NULL,
};

static MYSQL_SYSVAR_STR(key_file, opt_key_file,
                        PLUGIN_VAR_RQCMDARG | PLUGIN_VAR_READONLY,
                        "File of accepted access keys: ACCESS_KEY_ID "
                        "SECRET_ACCESS_KEY [SESSION_TOKEN] per line",
                        NULL, NULL, NULL);
static MYSQL_SYSVAR_STR(hostname, opt_hostname,
                        PLUGIN_VAR_RQCMDARG | PLUGIN_VAR_READONLY,
                        "Host name tokens must be signed for", NULL, NULL,
                        NULL);
static MYSQL_SYSVAR_UINT(port, opt_port,
                         PLUGIN_VAR_RQCMDARG | PLUGIN_VAR_READONLY,
                         "Port tokens must be signed for", NULL, NULL, 0, 0,
                         65535, 0);
static MYSQL_SYSVAR_STR(region, opt_region,
                        PLUGIN_VAR_RQCMDARG | PLUGIN_VAR_READONLY,
                        "AWS region tokens must be signed for", NULL, NULL,
                        NULL);

static struct st_mysql_sys_var *sysvars[] = {
    MYSQL_SYSVAR(key_file), MYSQL_SYSVAR(hostname), MYSQL_SYSVAR(port),
    MYSQL_SYSVAR(region), NULL};

maria_declare_plugin(auth_rdsiam){
    MYSQL_AUTHENTICATION_PLUGIN,
    &rdsiam_auth,
    PLUGIN_NAME,
    "librdsiam",
    "RDS IAM authentication tokens (local RDS emulator)",
    PLUGIN_LICENSE_BSD,
    plugin_init,
    plugin_deinit,
    0x0001,
    NULL,
    sysvars,
    "0.1",
    MariaDB_PLUGIN_MATURITY_BETA} maria_declare_plugin_end;
