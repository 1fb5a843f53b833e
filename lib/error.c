/*
 * error.c - error codes, their descriptions and the caller-owned detail.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *rdsiam_version(void)
{
    return RDSIAM_VERSION_STRING;
}

const char *rdsiam_strerror(int code)
{
    switch (code) {
    case RDSIAM_OK:
        return "success";
    case RDSIAM_ERR_NULL_ARGUMENT:
        return "a required argument is NULL";
    case RDSIAM_ERR_BUFFER_TOO_SMALL:
        return "output buffer too small";
    case RDSIAM_ERR_NO_MEMORY:
        return "out of memory";
    case RDSIAM_ERR_CRYPTO:
        return "cryptographic library failure";
    case RDSIAM_ERR_INTERNAL:
        return "internal error";
    case RDSIAM_ERR_INVALID_ARGUMENT:
        return "invalid argument";
    case RDSIAM_ERR_NOT_BUILT_IN:
        return "feature not built into this library";
    case RDSIAM_ERR_WOULD_BLOCK:
        return "no cached value available without blocking";
    case RDSIAM_ERR_HOSTNAME_EMPTY:
        return "hostname is empty";
    case RDSIAM_ERR_HOSTNAME_SCHEME:
        return "hostname must not include a scheme";
    case RDSIAM_ERR_HOSTNAME_PATH:
        return "hostname must not include a path, query or fragment";
    case RDSIAM_ERR_HOSTNAME_INVALID:
        return "hostname contains an invalid character";
    case RDSIAM_ERR_HOSTNAME_TOO_LONG:
        return "hostname is too long";
    case RDSIAM_ERR_PORT_RANGE:
        return "port must be between 1 and 65535";
    case RDSIAM_ERR_USERNAME_EMPTY:
        return "username is empty";
    case RDSIAM_ERR_USERNAME_UTF8:
        return "username is not valid UTF-8";
    case RDSIAM_ERR_USERNAME_TOO_LONG:
        return "username is too long";
    case RDSIAM_ERR_REGION_EMPTY:
        return "region is empty";
    case RDSIAM_ERR_REGION_INVALID:
        return "region must match [a-z0-9-]{1,64}";
    case RDSIAM_ERR_TIME_RANGE:
        return "signing time must be between 1970 and 9999";
    case RDSIAM_ERR_ACCESS_KEY_EMPTY:
        return "access key id is empty";
    case RDSIAM_ERR_ACCESS_KEY_INVALID:
        return "access key id is invalid";
    case RDSIAM_ERR_SECRET_KEY_EMPTY:
        return "secret access key is empty";
    case RDSIAM_ERR_SECRET_KEY_INVALID:
        return "secret access key is invalid";
    case RDSIAM_ERR_SESSION_TOKEN_INVALID:
        return "session token is invalid";
    case RDSIAM_ERR_EXPIRES_RANGE:
        return "expiry must be between 1 and 604800 seconds";
    case RDSIAM_ERR_DSQL_ACTION:
        return "unknown DSQL action";
    case RDSIAM_ERR_CREDENTIALS_NULL:
        return "credentials are NULL";
    case RDSIAM_ERR_RESOURCE_NAME:
        return "cache or cluster name is empty or invalid";
    case RDSIAM_ERR_USER_AGENT:
        return "user agent is empty or invalid";
    case RDSIAM_ERR_SIGV4_METHOD:
        return "HTTP method is empty or invalid";
    case RDSIAM_ERR_SIGV4_PATH:
        return "request path must start with '/'";
    case RDSIAM_ERR_SIGV4_HEADER:
        return "invalid header name or value";
    case RDSIAM_ERR_SIGV4_SERVICE:
        return "signing service is empty or invalid";
    case RDSIAM_ERR_SIGV4_QUERY:
        return "malformed query string";
    case RDSIAM_ERR_SIGV4_TOO_LARGE:
        return "request too large to sign";
    case RDSIAM_ERR_NO_CREDENTIALS:
        return "no credentials found";
    case RDSIAM_ERR_ENV_INCOMPLETE:
        return "incomplete credentials in the environment";
    case RDSIAM_ERR_PROFILE_NOT_FOUND:
        return "profile not found";
    case RDSIAM_ERR_PROFILE_INCOMPLETE:
        return "profile has incomplete credentials";
    case RDSIAM_ERR_CONFIG_PARSE:
        return "malformed configuration file";
    case RDSIAM_ERR_FILE_IO:
        return "file could not be read";
    case RDSIAM_ERR_PROCESS_FAILED:
        return "credential process failed";
    case RDSIAM_ERR_PROCESS_TIMEOUT:
        return "credential process timed out";
    case RDSIAM_ERR_PROCESS_OUTPUT:
        return "credential process gave unusable output";
    case RDSIAM_ERR_HTTP:
        return "HTTP request failed";
    case RDSIAM_ERR_HTTP_STATUS:
        return "HTTP server returned an error status";
    case RDSIAM_ERR_URI_INVALID:
        return "invalid URI";
    case RDSIAM_ERR_URI_NOT_ALLOWED:
        return "URI host not allowed over plain HTTP";
    case RDSIAM_ERR_AUTH_TOKEN_INVALID:
        return "authorization token is invalid";
    case RDSIAM_ERR_JSON:
        return "malformed or incomplete JSON";
    case RDSIAM_ERR_CREDENTIALS_EXPIRED:
        return "credentials have expired";
    case RDSIAM_ERR_NO_REGION:
        return "no region configured";
    case RDSIAM_ERR_ENV_INVALID:
        return "malformed environment variable";
    case RDSIAM_ERR_PROVIDER_DISABLED: /* reserved: the number stays taken */
        return "reserved error code (never returned)";
    case RDSIAM_ERR_STS:
        return "AWS STS refused the request";
    case RDSIAM_ERR_XML:
        return "malformed or incomplete XML";
    case RDSIAM_ERR_PROFILE_INVALID:
        return "profile settings that cannot be used";
    case RDSIAM_ERR_TOKEN_MALFORMED:
        return "token is malformed";
    case RDSIAM_ERR_TOKEN_UNKNOWN_KEY:
        return "token signed with an unknown access key";
    case RDSIAM_ERR_TOKEN_SIGNATURE:
        return "token signature does not match";
    case RDSIAM_ERR_TOKEN_SERVICE:
        return "token is for another service";
    case RDSIAM_ERR_TOKEN_ACTION:
        return "token is for another action";
    case RDSIAM_ERR_TOKEN_REGION:
        return "token is for another region";
    case RDSIAM_ERR_TOKEN_HOST:
        return "token is for another host, port or resource";
    case RDSIAM_ERR_TOKEN_USER:
        return "token is for another user";
    case RDSIAM_ERR_TOKEN_EXPIRED:
        return "token has expired";
    case RDSIAM_ERR_TOKEN_FUTURE:
        return "token is dated in the future";
    case RDSIAM_ERR_TOKEN_SESSION:
        return "token session token does not match";
    case RDSIAM_ERR_KEYFILE:
        return "malformed key file";
    default:
        return "unknown error";
    }
}

/*
 * Messages reach terminals and log files, and some carry values a file, a
 * server or an environment variable chose (a profile name, a file name).
 * So that such a value can neither move the cursor, retitle a window nor
 * start a second log line, every message is escaped here, the one place
 * messages are built: C0 controls, DEL, the C1 controls U+0080..U+009F
 * (which 8-bit terminals take as CSI and friends) and bytes that are not
 * well-formed UTF-8 become "\xNN". Valid UTF-8 text is kept as it is.
 * A backslash is kept too: the point is harmless output, not a reversible
 * encoding.
 */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;

    if (s[0] < 0xC2 || s[0] > 0xF4 || len > avail ||
        !rdsiam__utf8_valid((const char *)s, len))
        return 0;
    /* U+0080..U+009F, the C1 controls, encode as C2 80..C2 9F. */
    if (s[0] == 0xC2 && s[1] <= 0x9F)
        return 0;
    return len;
}

void rdsiam__escape_controls(char *dst, size_t size, const char *src)
{
    static const char HEX[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)src;
    size_t n = strlen(src), i = 0, o = 0;

    if (size == 0)
        return;
    while (i < n) {
        size_t len = 1;
        if (s[i] >= 0x80)
            len = utf8_seq_len(s + i, n - i);
        if (s[i] >= 0x20 && s[i] < 0x7f) {
            if (o + 1 >= size)
                break;
            dst[o++] = (char)s[i];
        } else if (len > 1) {
            if (o + len >= size) /* never split a character */
                break;
            memcpy(dst + o, s + i, len);
            o += len;
        } else {
            if (o + 4 >= size) /* never split an escape */
                break;
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = HEX[s[i] >> 4];
            dst[o++] = HEX[s[i] & 15];
            len = 1;
        }
        i += len;
    }
    dst[o] = '\0';
}

void rdsiam__errno_text(int e, char *buf, size_t size)
{
    /* The XSI strerror_r (this file is built without _GNU_SOURCE). */
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
}

void rdsiam__ok(rdsiam_error *err)
{
    if (err) {
        err->code = RDSIAM_OK;
        err->message[0] = '\0';
    }
}

/*
 * A message longer than the struct holds is cut at the last space that
 * leaves room for "...", never in the middle of a word (or of a UTF-8
 * sequence, which a space never is part of).
 */
static void cut_at_word(char *msg, size_t size, int full_len)
{
    static const char ellipsis[] = "...";
    size_t keep;

    if (full_len < 0 || (size_t)full_len < size)
        return;
    keep = size - sizeof ellipsis; /* room for "..." and the NUL */
    while (keep > 0 && msg[keep] != ' ')
        keep--;
    while (keep > 0 && (msg[keep - 1] == ' ' || msg[keep - 1] == ',' ||
                        msg[keep - 1] == ';' || msg[keep - 1] == ':'))
        keep--;
    memcpy(msg + keep, ellipsis, sizeof ellipsis);
}

/* Parenthesised names: see the analyzer note in internal.h. */
int(rdsiam__fail)(rdsiam_error *err, int code, const char *fmt, ...)
{
    char raw[RDSIAM_ERROR_MESSAGE_SIZE];

    if (err) {
        va_list ap;
        int n;

        va_start(ap, fmt);
        err->code = code;
        n = vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        if (n < 0)
            raw[0] = '\0';
        cut_at_word(raw, sizeof raw, n);
        rdsiam__escape_controls(err->message, sizeof err->message, raw);
    }
    return code;
}

int(rdsiam__fail_code)(rdsiam_error *err, int code)
{
    return rdsiam__fail(err, code, "%s", rdsiam_strerror(code));
}

void rdsiam__error_prefix(rdsiam_error *err, const char *fmt, ...)
{
    char prefix[RDSIAM_ERROR_MESSAGE_SIZE];
    char old[RDSIAM_ERROR_MESSAGE_SIZE];
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    if (vsnprintf(prefix, sizeof prefix, fmt, ap) < 0)
        prefix[0] = '\0';
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    old[sizeof old - 1] = '\0';
    /* rdsiam__fail escapes the whole message again: harmless, as an
     * escaped message has no control character left. */
    (void)rdsiam__fail(err, err->code, "%s: %s", prefix, old);
}
