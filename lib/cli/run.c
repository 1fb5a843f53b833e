/*
 * run.c - sign a job's tokens with one provider and write them: once, or
 * with --every for as long as the process lives.
 *
 * One provider for the process's life: credentials are cached and
 * refreshed by it, not fetched per write.
 *
 * When the next write is due. Every --every seconds, and sooner when the
 * token in the file would stop working first: a token dies after 15
 * minutes, or with the credentials that signed it
 * (rdsiam_token_info.expires), and the next one is written at the latest
 * min(60 s, half its life) before that, so 14 minutes after the previous
 * one when the credentials live long. At least a second apart.
 *
 * Failures while running are logged, the file keeps the last good tokens,
 * and the next try waits 1, 2, 4 ... 60 s; once the tokens in the file
 * have expired the log says so at error level. The first write failing
 * ends the process with status 1, so a service manager sees it.
 *
 * Signals. SIGHUP writes now: it stays blocked and the wait between
 * writes is sigtimedwait() on it, so one that arrives mid-write is not
 * lost. SIGTERM and SIGINT end the process at once with status 0, in a
 * handler that only removes a half-written temporary file and stops a
 * running --then (both async-signal-safe), so even a credential fetch in
 * flight does not delay the exit; the file itself is left in place.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "format.h"
#include "hints.h"
#include "log.h"
#include "notify.h"
#include "output.h"
#include "run.h"
#include "sign.h"
#include "then.h"

#define BACKOFF_MAX 60  /* seconds between failed tries, at most */
#define RENEW_MARGIN 60 /* write this long before the token stops working */

typedef struct run {
    const cli_args *a;
    cli_job *job;
    rdsiam_provider *p;
    cli_token *tokens;      /* one per database */
    cli_signer signer;      /* the kind of token, the provider, the region */
    bool looping;           /* --every: log lines with times */
    bool warned;            /* the region warning is given once */
    long long file_signed;  /* the last good file: earliest signing */
    long long file_expires; /*   and earliest expiry; 0 before one */
} run;

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */
/* ------------------------------------------------------------------------ */

/* Each line of text (lines end in '\n') through cli_say, after prefix. */
static void say_lines(const char *prefix, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        int n = nl ? (int)(nl - text) : (int)strlen(text);
        cli_say("%s%.*s", prefix, n, text);
        text += n + (nl != NULL);
    }
}

/* Why the chain passed over the sources before the one it chose. */
static char *explanation(rdsiam_provider *p)
{
    size_t needed = 0;
    char *text;

    (void)rdsiam_provider_explain(p, NULL, 0, &needed, NULL);
    text = needed ? malloc(needed) : NULL;
    if (text &&
        rdsiam_provider_explain(p, text, needed, NULL, NULL) != RDSIAM_OK)
        text[0] = '\0';
    return text;
}

/* The profile the run names, for the [dev] hint. */
static const char *profile_named(const run *r)
{
    const char *v = r->job->popts.profile;

    if (!v || !*v)
        v = getenv("AWS_PROFILE");
    if (!v || !*v)
        v = getenv("AWS_DEFAULT_PROFILE");
    return v && *v ? v : NULL;
}

/* A failure of a single run, or of the first write of a loop. */
static void report(const run *r, int rc, const char *message)
{
    char *why = NULL;
    const char *profile = profile_named(r);

    if (rc == RDSIAM_ERR_NO_CREDENTIALS || r->a->explain)
        why = explanation(r->p);
    if (rc == RDSIAM_ERR_NO_CREDENTIALS && why && *why) {
        /* One source per line, in the chain's order. */
        cli_say("no credentials found; looked in:");
        say_lines("  ", why);
    } else {
        if (why && *why)
            say_lines("explain: ", why);
        cli_say("%s", message);
    }
    if (rc == RDSIAM_ERR_PROFILE_NOT_FOUND && profile &&
        cli_bare_profile_section(profile))
        cli_say("hint: the config file has a section [%s]; in the config "
                "file a profile is written [profile %s] (only the "
                "credentials file uses [%s])",
                profile, profile, profile);
    free(why);
}

/* ------------------------------------------------------------------------ */
/* Signing                                                                  */
/* ------------------------------------------------------------------------ */

static void tokens_clear(run *r)
{
    for (size_t i = 0; i < r->job->n; i++) {
        char *t = r->tokens[i].text;
        if (t) {
            OPENSSL_cleanse(t, r->tokens[i].cap);
            free(t);
        }
        memset(&r->tokens[i], 0, sizeof r->tokens[i]);
    }
}

static int sign_all(run *r, rdsiam_error *err)
{
    for (size_t i = 0; i < r->job->n; i++) {
        int rc = cli_sign(&r->signer, &r->job->dbs[i], &r->tokens[i], err);
        if (rc != RDSIAM_OK) {
            tokens_clear(r);
            if (r->job->n > 1 && r->job->dbs[i].name) {
                char m[RDSIAM_ERROR_MESSAGE_SIZE + 64];
                size_t k = (size_t)snprintf(m, sizeof m, "database %s: %s",
                                            r->job->dbs[i].name, err->message);
                if (k >= sizeof err->message)
                    k = sizeof err->message - 1; /* cut: a message only */
                memcpy(err->message, m, k);
                err->message[k] = '\0';
            }
            return rc;
        }
    }
    return RDSIAM_OK;
}

/* "the host name is in REGION, the token is signed for OTHER" once. */
static void region_warning(run *r)
{
    char host[RDSIAM_REGION_MAX + 1], signed_for[RDSIAM_REGION_MAX + 1];

    for (size_t i = 0; i < r->job->n && !r->warned; i++)
        if (r->job->dbs[i].params.hostname && /* none for a service */
            cli_host_region(r->job->dbs[i].params.hostname, host,
                            sizeof host) == 0 &&
            cli_token_region(r->tokens[i].text, signed_for,
                             sizeof signed_for) == 0 &&
            strcmp(host, signed_for) != 0) {
            r->warned = true;
            if (r->looping)
                cli_log(CLI_WARNING,
                        "the host name %s is in %s, but the token is signed "
                        "for %s: the database will refuse it",
                        r->job->dbs[i].params.hostname, host, signed_for);
            else
                cli_say("warning: the host name %s is in %s, but the token "
                        "is signed for %s: the database will refuse it",
                        r->job->dbs[i].params.hostname, host, signed_for);
        }
}

/* ------------------------------------------------------------------------ */
/* One write                                                                */
/* ------------------------------------------------------------------------ */

/* Sign and write; on success remember what the file now holds. */
static int write_once(run *r, rdsiam_error *err)
{
    cli_text text = {0};
    int rc = sign_all(r, err);

    if (rc != RDSIAM_OK)
        return rc;
    region_warning(r);
    if (cli_format_render(r->job, r->tokens, &text, err->message,
                          sizeof err->message) != 0 ||
        (r->job->output ? cli_write_file(r->job->output, text.data, text.len,
                                         err->message, sizeof err->message)
                        : cli_write_stdout(text.data, text.len, err->message,
                                           sizeof err->message)) != 0)
        rc = err->code = RDSIAM_ERR_FILE_IO;
    cli_text_free(&text);
    if (rc == RDSIAM_OK) {
        r->file_signed = r->tokens[0].info.signing_time;
        r->file_expires = r->tokens[0].info.expires;
        for (size_t i = 1; i < r->job->n; i++) {
            if (r->tokens[i].info.expires < r->file_expires)
                r->file_expires = r->tokens[i].info.expires;
            if (r->tokens[i].info.signing_time < r->file_signed)
                r->file_signed = r->tokens[i].info.signing_time;
        }
    }
    return rc;
}

/* A token's full life: 15 minutes, or DSQL's --expires-in. */
static long long lifetime(const run *r)
{
    return r->a->expires_in ? (long long)r->a->expires_in
                            : RDSIAM_TOKEN_LIFETIME;
}

static void explain_success(run *r)
{
    char *why = explanation(r->p), when[21];
    const rdsiam_token_info *info = &r->tokens[0].info;

    if (why)
        say_lines("explain: ", why);
    free(why);
    cli_utc(info->expires, when);
    cli_say("explain: %s: credentials found; the token expires at %s (%s)",
            info->source, when,
            info->expires - info->signing_time < lifetime(r)
                ? "when the credentials do"
                : "its full lifetime");
}

static void log_written(const run *r)
{
    char when[21];
    const char *early = r->file_expires - r->file_signed < lifetime(r)
                            ? " (when the credentials do)"
                            : "";

    cli_utc(r->file_expires, when);
    if (r->job->n == 1)
        cli_log(CLI_INFO,
                "wrote %s: the token expires at %s%s; credentials: %s",
                r->job->output, when, early, r->tokens[0].info.source);
    else
        cli_log(CLI_INFO,
                "wrote %s (%zu databases): the tokens expire at %s%s; "
                "credentials: %s",
                r->job->output, r->job->n, when, early,
                r->tokens[0].info.source);
}

/* ------------------------------------------------------------------------ */
/* The loop                                                                 */
/* ------------------------------------------------------------------------ */

static void on_stop(int sig)
{
    static const char line[] = "rdsiam-token: stopping on a signal\n";

    (void)sig;
    cli_output_abandon();
    cli_then_abandon();
    if (write(2, line, sizeof line - 1) < 0) {
        /* nothing to do: we are leaving */
    }
    _exit(0);
}

/* SIGHUP and SIGCHLD blocked (waited for with sigtimedwait), SIGTERM and
 * SIGINT handled, SIGPIPE ignored (a closed log is an error, not death). */
static void set_signals(void)
{
    struct sigaction sa;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

/* Wait until `at` (seconds since the epoch) or a SIGHUP: true on SIGHUP. */
static bool wait_until(long long at)
{
    sigset_t hup;
    long long now = (long long)time(NULL);
    struct timespec ts;

    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    while (now < at) {
        ts.tv_sec = (time_t)(at - now);
        ts.tv_nsec = 0;
        if (sigtimedwait(&hup, NULL, &ts) == SIGHUP)
            return true;
        now = (long long)time(NULL);
    }
    return false;
}

static long long next_write(const run *r, long long now)
{
    long long life = r->file_expires - r->file_signed;
    long long margin = life / 2 < RENEW_MARGIN ? life / 2 : RENEW_MARGIN;
    long long at = now + r->job->every, due = r->file_expires - margin;

    if (due < at)
        at = due;
    return at < now + 1 ? now + 1 : at;
}

static void then(const run *r, bool *failed)
{
    char msg[512];

    if (r->job->then && cli_then(r->job->then, msg, sizeof msg) != 0) {
        *failed = true;
        if (r->looping)
            cli_log(CLI_WARNING, "%s", msg);
        else
            cli_say("%s", msg);
    }
}

/* After the first good write: forever, until a signal ends the process. */
static void loop(run *r)
{
    unsigned failures = 0;
    long long at = next_write(r, (long long)time(NULL));
    rdsiam_error err;
    char when[21];
    bool then_failed = false;

    for (;;) {
        long long now;
        int rc;

        if (wait_until(at))
            cli_log(CLI_INFO, "SIGHUP: writing now");
        memset(&err, 0, sizeof err);
        rc = write_once(r, &err);
        now = (long long)time(NULL);
        if (rc == RDSIAM_OK) {
            failures = 0;
            log_written(r);
            tokens_clear(r);
            then(r, &then_failed);
            at = next_write(r, now);
        } else {
            long long delay = 1;
            if (failures < 16)
                failures++;
            for (unsigned i = 1; i < failures && delay < BACKOFF_MAX; i++)
                delay *= 2;
            if (delay > BACKOFF_MAX)
                delay = BACKOFF_MAX;
            at = now + delay;
            cli_utc(r->file_expires, when);
            cli_log(now >= r->file_expires ? CLI_ERROR : CLI_WARNING,
                    "cannot refresh %s: %s; the token there %s at %s; next "
                    "try in %lld s",
                    r->job->output, err.message,
                    now >= r->file_expires ? "expired" : "expires", when,
                    delay);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Entry                                                                    */
/* ------------------------------------------------------------------------ */

int cli_run(const cli_args *a, cli_job *job)
{
    run r;
    rdsiam_error err;
    int status = 1, rc;
    bool then_failed = false;

    memset(&r, 0, sizeof r);
    r.a = a;
    r.job = job;
    r.looping = job->every > 0;
    if (cli_format_check(job, err.message, sizeof err.message) != 0) {
        cli_say("%s", err.message);
        return 1;
    }
    r.signer.a = a;
    if (cli_signs_here(a) &&
        cli_signer_region(&r.signer, &job->popts, err.message,
                          sizeof err.message) != 0) {
        cli_say("%s", err.message);
        return 1;
    }
    /* Inputs first: a typo must not cost a credential fetch. */
    for (size_t i = 0; i < job->n; i++) {
        rc = cli_sign_check(&r.signer, &job->dbs[i], &err);
        if (rc != RDSIAM_OK) {
            if (job->dbs[i].name && job->n > 1)
                cli_say("database %s: %s", job->dbs[i].name, err.message);
            else
                cli_say("%s", err.message);
            return 1;
        }
    }
    r.tokens = calloc(job->n, sizeof *r.tokens);
    if (!r.tokens ||
        rdsiam_provider_new_default(&r.p, &job->popts, &err) != RDSIAM_OK) {
        cli_say("%s", r.tokens ? err.message : "out of memory");
        free(r.tokens);
        return 1;
    }
    r.signer.p = r.p;
    if (job->output)
        set_signals();
    if (r.looping)
        cli_log(CLI_INFO, "writing %s every %ld s (%zu database%s, format %s)",
                job->output, job->every, job->n, job->n > 1 ? "s" : "",
                cli_format_name(job->format));
    memset(&err, 0, sizeof err);
    rc = write_once(&r, &err);
    if (rc == RDSIAM_ERR_NO_REGION)
        cli_say("no region: use --region or set AWS_REGION, "
                "AWS_DEFAULT_REGION or the profile's region");
    else if (rc != RDSIAM_OK)
        report(&r, rc, err.message[0] ? err.message : rdsiam_strerror(rc));
    else {
        if (a->explain)
            explain_success(&r);
        if (r.looping) {
            log_written(&r);
            cli_notify_ready();
            tokens_clear(&r);
            then(&r, &then_failed);
            loop(&r); /* never returns: a signal's handler ends the run */
        }
        tokens_clear(&r);
        then(&r, &then_failed);
        status = then_failed ? 1 : 0;
    }
    tokens_clear(&r);
    free(r.tokens);
    rdsiam_provider_free(r.p);
    /* The signing key cache of this (main) thread: wiped now, not left to
     * the library's exit handler. */
    rdsiam_cache_wipe();
    return status;
}
