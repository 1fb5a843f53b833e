/*
 * sts_answer.c - what STS answers: the XML of AssumeRole and
 * AssumeRoleWithWebIdentity (credentials, or an error document), parsed
 * strictly with expat, and which error codes are worth another try. The
 * calls themselves are in sts.c.
 *
 * Secrets here: the returned secret key and session token (in the answer
 * and the parser's buffers). expat allocates through a memory suite that
 * wipes each block it frees, so its copies of the answer are wiped too;
 * the credentials are handed over in rdsiam__creds, wiped when cleared.
 *
 * References: STS API reference (AssumeRole, AssumeRoleWithWebIdentity,
 * Common Errors); botocore 1.43 (retry rules in data/_retry.json and
 * retries/standard.py).
 *
 * SPDX-License-Identifier: MIT
 */
#include "sts_answer.h"

#if RDSIAM_HTTP

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

/* ------------------------------------------------------------------------ */
/* expat allocations, wiped when freed                                       */
/* ------------------------------------------------------------------------ */

/* Each block carries its size in front, aligned for any object. */
typedef union block_head {
    size_t size;
    max_align_t align;
} block_head;

static void *xml_malloc(size_t n)
{
    block_head *h;

    if (n > SIZE_MAX - sizeof *h)
        return NULL;
    h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->size = n;
    return h + 1;
}

static void xml_free(void *p)
{
    block_head *h;

    if (!p)
        return;
    h = (block_head *)p - 1;
    rdsiam__free_secret(h, sizeof *h + h->size);
}

/* Move to a new block, so the old contents are wiped, never left behind
 * by realloc. */
static void *xml_realloc(void *p, size_t n)
{
    void *q;
    size_t old;

    if (!p)
        return xml_malloc(n);
    q = xml_malloc(n);
    if (!q)
        return NULL;
    old = ((block_head *)p - 1)->size;
    memcpy(q, p, old < n ? old : n);
    xml_free(p);
    return q;
}

static const XML_Memory_Handling_Suite wiping_suite = {xml_malloc, xml_realloc,
                                                       xml_free};

/* ------------------------------------------------------------------------ */
/* The answer                                                                */
/* ------------------------------------------------------------------------ */

/* What an element is, given its parent. */
enum element {
    E_OTHER,
    E_RESPONSE,    /* <ActionResponse> (root) */
    E_RESULT,      /* <ActionResult> */
    E_CREDENTIALS, /* <Credentials> */
    E_AKID,        /* the fields F_* in the same order */
    E_SECRET,
    E_TOKEN,
    E_EXPIRATION,
    E_CODE,
    E_MESSAGE,
    E_ERROR_RESPONSE, /* <ErrorResponse> (root) */
    E_ERROR           /* <Error> (root, or in ErrorResponse) */
};

enum field {
    F_AKID,
    F_SECRET,
    F_TOKEN,
    F_EXPIRATION,
    F_CODE,
    F_MESSAGE,
    N_FIELDS
};

static const char *const field_name[N_FIELDS] = {
    "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
    "Code",        "Message"};
static const size_t field_max[N_FIELDS] = {RDSIAM_ACCESS_KEY_MAX,
                                           RDSIAM_SECRET_KEY_MAX,
                                           RDSIAM_SESSION_TOKEN_MAX,
                                           64,
                                           256,
                                           2048};

#define XML_MAX_DEPTH 32

typedef struct sts_xml {
    XML_Parser parser;
    const char *action;
    size_t action_len;
    unsigned char stack[XML_MAX_DEPTH];
    unsigned int depth;
    unsigned char root;
    bool seen_credentials, seen_error;
    bool seen[N_FIELDS];
    rdsiam__buf field[N_FIELDS];
    /* Why the parse was stopped: a static message and the element it
     * names (NULL when expat itself failed). */
    const char *why;
    const char *why_name;
} sts_xml;

static void stop(sts_xml *x, const char *why, const char *name)
{
    if (!x->why) {
        x->why = why;
        x->why_name = name;
    }
    XML_StopParser(x->parser, XML_FALSE);
}

static bool is_field(unsigned char e)
{
    return e >= E_AKID && e <= E_MESSAGE;
}

/* name == action + suffix */
static bool action_name(const sts_xml *x, const char *name, const char *suffix)
{
    return strncmp(name, x->action, x->action_len) == 0 &&
           strcmp(name + x->action_len, suffix) == 0;
}

static unsigned char field_element(const char *name, unsigned first,
                                   unsigned last)
{
    unsigned i;

    for (i = first; i <= last; i++)
        if (strcmp(name, field_name[i]) == 0)
            return (unsigned char)(E_AKID + i);
    return E_OTHER;
}

static unsigned char classify_element(sts_xml *x, const char *name)
{
    unsigned char parent;

    if (x->depth == 0) {
        if (action_name(x, name, "Response"))
            return E_RESPONSE;
        if (strcmp(name, "ErrorResponse") == 0)
            return E_ERROR_RESPONSE;
        return strcmp(name, "Error") == 0 ? E_ERROR : E_OTHER;
    }
    parent = x->stack[x->depth - 1];
    switch (parent) {
    case E_RESPONSE:
        return action_name(x, name, "Result") ? E_RESULT : E_OTHER;
    case E_RESULT:
        return strcmp(name, "Credentials") == 0 ? E_CREDENTIALS : E_OTHER;
    case E_CREDENTIALS:
        return field_element(name, F_AKID, F_EXPIRATION);
    case E_ERROR_RESPONSE:
        return strcmp(name, "Error") == 0 ? E_ERROR : E_OTHER;
    case E_ERROR:
        return field_element(name, F_CODE, F_MESSAGE);
    default:
        return E_OTHER;
    }
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **attrs)
{
    sts_xml *x = ud;
    unsigned char e;

    (void)attrs;
    if (x->depth >= XML_MAX_DEPTH) {
        stop(x, "elements nested too deeply", NULL);
        return;
    }
    if (x->depth > 0 && is_field(x->stack[x->depth - 1])) {
        stop(x, "an element inside",
             field_name[x->stack[x->depth - 1] - E_AKID]);
        return;
    }
    e = classify_element(x, name);
    if (x->depth == 0)
        x->root = e;
    if (e == E_CREDENTIALS) {
        if (x->seen_credentials) {
            stop(x, "a second", "Credentials");
            return;
        }
        x->seen_credentials = true;
    } else if (e == E_ERROR) {
        if (x->seen_error) {
            stop(x, "a second", "Error");
            return;
        }
        x->seen_error = true;
    } else if (is_field(e)) {
        if (x->seen[e - E_AKID]) {
            stop(x, "a second", field_name[e - E_AKID]);
            return;
        }
        x->seen[e - E_AKID] = true;
    }
    x->stack[x->depth++] = e;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    sts_xml *x = ud;

    (void)name;
    if (x->depth > 0)
        x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    sts_xml *x = ud;
    unsigned char e;
    rdsiam__buf *b;

    if (x->depth == 0 || len <= 0)
        return;
    e = x->stack[x->depth - 1];
    if (!is_field(e))
        return;
    b = &x->field[e - E_AKID];
    /* expat refuses a raw NUL and &#0;; check anyway, as a NUL would cut
     * the string short where it is used. */
    if (memchr(s, '\0', (size_t)len)) {
        stop(x, "a NUL character in", field_name[e - E_AKID]);
        return;
    }
    if (rdsiam__buf_append(b, s, (size_t)len) != RDSIAM_OK) {
        stop(x, "an over-long or unstorable", field_name[e - E_AKID]);
        return;
    }
}

/* No document type declarations: no entities to expand, nothing fetched. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    stop(ud, "a document type declaration", NULL);
}

static void xml_init(sts_xml *x, const char *action)
{
    size_t i;

    memset(x, 0, sizeof *x);
    x->action = action;
    x->action_len = strlen(action);
    for (i = 0; i < N_FIELDS; i++)
        rdsiam__buf_init(&x->field[i], field_max[i]);
}

static void xml_release(sts_xml *x)
{
    size_t i;

    for (i = 0; i < N_FIELDS; i++)
        rdsiam__buf_free(&x->field[i]);
    if (x->parser)
        XML_ParserFree(x->parser);
    x->parser = NULL;
}

/* Run expat over body. RDSIAM_OK when the document is well-formed and no
 * rule above stopped it. */
static int xml_run(sts_xml *x, const char *body, size_t len, rdsiam_error *err)
{
    enum XML_Status st;

    if (len > (size_t)INT_MAX)
        return rdsiam__fail(err, RDSIAM_ERR_XML, "answer too large");
    x->parser = XML_ParserCreate_MM(NULL, &wiping_suite, NULL);
    if (!x->parser)
        return rdsiam__fail(err, RDSIAM_ERR_NO_MEMORY,
                            "cannot create the XML parser");
    XML_SetUserData(x->parser, x);
    XML_SetElementHandler(x->parser, on_start, on_end);
    XML_SetCharacterDataHandler(x->parser, on_text);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
    st = XML_Parse(x->parser, body ? body : "", (int)len, XML_TRUE);
    if (x->why && x->why_name)
        return rdsiam__fail(err, RDSIAM_ERR_XML, "XML answer has %s %s", x->why,
                            x->why_name);
    if (x->why)
        return rdsiam__fail(err, RDSIAM_ERR_XML, "XML answer has %s", x->why);
    if (st != XML_STATUS_OK)
        return rdsiam__fail(err, RDSIAM_ERR_XML,
                            "malformed XML answer: line %lu: %s",
                            (unsigned long)XML_GetCurrentLineNumber(x->parser),
                            XML_ErrorString(XML_GetErrorCode(x->parser)));
    return RDSIAM_OK;
}

static bool plain_char(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && c != '\\';
}

/* Copy n bytes of s for a message: printable ASCII as is, anything else
 * (and the backslash) as \xNN; cut with "..." when it does not fit size
 * (which MUST be at least 4). */
static void escape_text(const char *s, size_t n, char *out, size_t size)
{
    size_t i, o = 0, total = 0, room = size - 1;

    for (i = 0; i < n; i++)
        total += plain_char((unsigned char)s[i]) ? 1 : 4;
    if (total > room)
        room -= 3; /* keep space for "..." */
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (o + (plain_char(c) ? 1 : 4) > room)
            break;
        if (plain_char(c))
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    }
    if (i < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static bool sts_error_document(const sts_xml *x)
{
    return (x->root == E_ERROR_RESPONSE || x->root == E_ERROR) &&
           x->seen[F_CODE];
}

/* "STS <action>: <Code> (HTTP <status>): <Message>", the Message cut to
 * what the error struct holds. */
static int report_sts_error(const sts_xml *x, long status, rdsiam_error *err)
{
    char text[RDSIAM_ERROR_MESSAGE_SIZE], code[96];
    const rdsiam__buf *c = &x->field[F_CODE], *m = &x->field[F_MESSAGE];
    int n;

    escape_text(c->data ? c->data : "", c->len, code, sizeof code);
    n = snprintf(text, sizeof text, "STS %s: %s (HTTP %ld): ", x->action, code,
                 status);
    if (n < 0 || (size_t)n + 4 > sizeof text)
        n = 0;
    if (m->len)
        escape_text(m->data, m->len, text + n, sizeof text - (size_t)n);
    else
        snprintf(text + n, sizeof text - (size_t)n, "(no message)");
    return rdsiam__fail(err, RDSIAM_ERR_STS, "%s", text);
}

static int take_credentials(sts_xml *x, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK;
    int64_t t = 0;
    char shown[80], what[64];
    size_t i;

    for (i = F_AKID; i <= F_EXPIRATION; i++)
        RDSIAM_ENSURE(err, x->seen[i], RDSIAM_ERR_XML, "answer has no %s",
                      field_name[i]);
    if (rdsiam__parse_time(
            x->field[F_EXPIRATION].data ? x->field[F_EXPIRATION].data : "",
            &t) != 0) {
        escape_text(x->field[F_EXPIRATION].data ? x->field[F_EXPIRATION].data
                                                : "",
                    x->field[F_EXPIRATION].len, shown, sizeof shown);
        RDSIAM_BAIL(err, RDSIAM_ERR_XML,
                    "answer's Expiration \"%s\" is not an ISO-8601 time",
                    shown);
    }
    RDSIAM_ENSURE(err, t > rdsiam__now(), RDSIAM_ERR_CREDENTIALS_EXPIRED,
                  "answer's credentials expired at %s",
                  x->field[F_EXPIRATION].data);
    RDSIAM_ENSURE(err, x->field[F_TOKEN].len, RDSIAM_ERR_XML,
                  "answer has an empty SessionToken");
    /* The shared checks: key id form, lengths, no control characters. */
    snprintf(what, sizeof what, "STS %s answer", x->action);
    RDSIAM_GUARD(rdsiam__creds_set(
        out, x->field[F_AKID].data ? x->field[F_AKID].data : "",
        x->field[F_SECRET].data ? x->field[F_SECRET].data : "",
        x->field[F_TOKEN].data, what, err));
    out->expires = true;
    out->expiration = t;
done:
    if (rc != RDSIAM_OK)
        rdsiam__creds_clear(out);
    return rc;
}

int rdsiam__sts_parse(const char *action, long status, const char *body,
                      size_t len, rdsiam__creds *out, rdsiam_error *err)
{
    int rc = RDSIAM_OK, xrc;
    sts_xml x;
    bool ok_status = status >= 200 && status <= 299;

    if (out)
        memset(out, 0, sizeof *out);
    if (!action || !out || (!body && len))
        return rdsiam__fail(err, RDSIAM_ERR_NULL_ARGUMENT,
                            "STS answer, action or output is NULL");
    xml_init(&x, action);
    xrc = xml_run(&x, body, len, err);
    if (xrc == RDSIAM_OK && sts_error_document(&x)) {
        rc = report_sts_error(&x, status, err);
        goto done;
    }
    RDSIAM_ENSURE(err, ok_status, RDSIAM_ERR_HTTP_STATUS,
                  "HTTP status %ld with no STS error document", status);
    RDSIAM_GUARD(xrc);
    RDSIAM_ENSURE(err, x.root == E_RESPONSE, RDSIAM_ERR_XML,
                  "answer is not an %sResponse document", action);
    RDSIAM_ENSURE(err, x.seen_credentials, RDSIAM_ERR_XML,
                  "answer has no Credentials");
    rc = take_credentials(&x, out, err);
done:
    xml_release(&x);
    return rc;
}

/* Error codes the SDKs retry: botocore's data/_retry.json (Throttling,
 * ThrottlingException, ThrottledException, RequestThrottledException,
 * ProvisionedThroughputExceededException; for STS, IDPCommunicationError)
 * and retries/standard.py's transient and throttling codes. */
static const char *const retry_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "RequestTimeout",
    "RequestTimeoutException",
    "IDPCommunicationError",
};

bool rdsiam__sts_retryable_code(const char *body, size_t len)
{
    sts_xml x;
    bool again = false;
    size_t i;

    xml_init(&x, "-");
    if (xml_run(&x, body, len, NULL) == RDSIAM_OK && sts_error_document(&x))
        for (i = 0; i < sizeof retry_codes / sizeof *retry_codes; i++)
            if (x.field[F_CODE].data &&
                strcmp(x.field[F_CODE].data, retry_codes[i]) == 0)
                again = true;
    xml_release(&x);
    return again;
}

#else

/* ISO C wants a translation unit to declare something. */
typedef int rdsiam__sts_answer_unused;

#endif /* RDSIAM_HTTP */
