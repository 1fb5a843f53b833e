/*
 * test_http_residue.c - what the secrets of an HTTP request leave behind
 * in freed memory, over http and https (lib/http.c; docs/SECURITY.md says
 * the same in prose).
 *
 * free() and realloc() are replaced in this program (realloc always moves,
 * as a real one may), and every block handed back is searched for the
 * secrets of the request: the body's (a web identity token), a secret
 * header's, the Authorization value's, and the answer's. Each find is
 * put down to the library that freed the block (dladdr of the caller).
 *
 * What must hold, and why it can:
 *   - no block freed by librdsiam, expat, OpenSSL or the C library holds
 *     any of them (we wipe what we free; OpenSSL keeps only ciphertext of
 *     what it sent, and wipes what it received: lib/http.c sets
 *     SSL_OP_CLEANSE_PLAINTEXT on libcurl's OpenSSL context);
 *   - no block at all holds 8 bytes of the body's secret: the body goes
 *     to libcurl 15 bytes at a time through a read callback, secret first,
 *     so its upload buffer ends up holding a piece of a field that is not
 *     secret;
 *   - headers and the answer: libcurl copies them into buffers of its own
 *     that it frees without wiping (its request buffer, on https also its
 *     upload buffer; its receive buffer), and nothing in its API lets a
 *     caller wipe those. They are counted and printed, and must be found
 *     in libcurl's blocks only.
 *
 * Not run under ASan or valgrind (their allocators must see every block).
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers/skip_program.h"
#include "helpers/standin.h"
#include "http.h"
#include "sts.h"

#if RDSIAM_HTTP

/* ------------------------------------------------------------------------ */
/* The scanning allocator                                                   */
/* ------------------------------------------------------------------------ */

extern void *__libc_calloc(size_t, size_t);
extern void __libc_free(void *);

#define BODY_SECRET "eyJBODYq7Xk2Lm9Pz4Rt.Wv8Ns3Hd6Jf1Gc5Yb0Qe.Ua7Io2Kx9Mn4"
#define HEADER_SECRET "HDRsecret+Zp4Vq8Wr1Ts5Ux9Ny2Mb6Lc3Kd7Jf0He"
#define AUTH_SECRET "AUTHtoken-gT3hU7iV1jW5kX9lY2mZ6nA0oB4pC8q"

/* (No two of the secrets share 8 bytes.) */
enum { M_BODY, M_HEADER, M_AUTH, M_ANSWER, N_MARKERS };
static const char *markers[N_MARKERS] = {BODY_SECRET, HEADER_SECRET,
                                         AUTH_SECRET, NULL};
/* The answer's secret: what the stand-in sends back (ROLE_SECRET below). */
#define ROLE_SECRET "ROLEsecret/rD5sE9tF3uG7vH1wI4xJ8yK2zL6aM0b"

static atomic_bool scanning;
static atomic_int found_curl[N_MARKERS]; /* in blocks libcurl freed */
static atomic_int found_other[N_MARKERS];

static bool from_curl(const void *caller)
{
    Dl_info info;

    return dladdr(caller, &info) && info.dli_fname &&
           strstr(info.dli_fname, "libcurl");
}

/* Whether the block holds 8 bytes of m at any offset that is a multiple
 * of 8 in m: every run of 16 bytes of m holds one. */
static bool holds(const void *p, size_t n, const char *m)
{
    size_t len = strlen(m);

    for (size_t i = 0; i + 8 <= len; i += 8)
        if (memmem(p, n, m + i, 8))
            return true;
    return false;
}

static void scan(const void *p, size_t n, const void *caller)
{
    if (!atomic_load_explicit(&scanning, memory_order_relaxed))
        return;
    for (int i = 0; i < N_MARKERS; i++)
        if (holds(p, n, markers[i]))
            atomic_fetch_add(
                from_curl(caller) ? &found_curl[i] : &found_other[i], 1);
}

/* Every block starts zeroed: what a block holds when it is freed was
 * written by whoever allocated it, not left over from an earlier owner
 * of the same memory (which would be blamed on the wrong library). The
 * libraries here use malloc, calloc and realloc (not the aligned ones,
 * nor reallocarray). */
void *malloc(size_t n)
{
    return __libc_calloc(1, n);
}

/* Search the block for the secrets, as freed by caller, and free it. */
static void release(void *p, const void *caller)
{
    if (!p)
        return;
    scan(p, malloc_usable_size(p), caller);
    __libc_free(p);
}

void free(void *p)
{
    release(p, __builtin_return_address(0));
}

/* Always moves the block, as a real realloc may: the old block is freed
 * (and searched) with what it held. */
void *realloc(void *old, size_t n)
{
    void *p = n ? malloc(n) : NULL;
    size_t have = old ? malloc_usable_size(old) : 0;

    if (p && old)
        memcpy(p, old, have < n ? have : n);
    if (p || n == 0)
        release(old, __builtin_return_address(0));
    return p;
}

/* ------------------------------------------------------------------------ */
/* The requests                                                             */
/* ------------------------------------------------------------------------ */

static standin plain, tls;
static char dir[64], cert[128], key[128];
static bool have_tls;

#define ROLE "arn:aws:iam::123456789012:role/residue"
#define CONFIG                                                                 \
    "{\"roles\": {\"" ROLE "\": {\"AccessKeyId\": \"ASIARESIDUEEXAMPLE01\", "  \
    "\"SecretAccessKey\": \"" ROLE_SECRET "\", \"SessionToken\": "             \
    "\"residueRoleSessionToken/abc==\", \"WebIdentityToken\": \"" BODY_SECRET  \
    "\"}}}"

static int setup(void **state)
{
    (void)state;
    markers[M_ANSWER] = ROLE_SECRET;
    snprintf(dir, sizeof dir, "/tmp/rdsiam-residue.XXXXXX");
    if (!mkdtemp(dir) || standin_start(&plain, CONFIG) != 0)
        return -1;
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    have_tls = standin_make_cert(cert, key) == 0 &&
               standin_start_tls(&tls, CONFIG, cert, key) == 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    standin_stop(&plain);
    if (have_tls)
        standin_stop(&tls);
    unlink(cert);
    unlink(key);
    rmdir(dir);
    return 0;
}

static void reset_counts(void)
{
    for (int i = 0; i < N_MARKERS; i++) {
        atomic_store(&found_curl[i], 0);
        atomic_store(&found_other[i], 0);
    }
}

static void report(const char *what)
{
    print_message("%s: libcurl freed unwiped: body %d, header %d, "
                  "authorization %d, answer %d block(s)\n",
                  what, atomic_load(&found_curl[M_BODY]),
                  atomic_load(&found_curl[M_HEADER]),
                  atomic_load(&found_curl[M_AUTH]),
                  atomic_load(&found_curl[M_ANSWER]));
    for (int i = 0; i < N_MARKERS; i++)
        assert_int_equal(atomic_load(&found_other[i]), 0);
    assert_int_equal(atomic_load(&found_curl[M_BODY]), 0);
}

/* POST a form whose first field is the secret, with a secret header and
 * an Authorization value: the stand-in answers as STS does (its error
 * document for an action it does not know). */
static void post(const standin *s, const char *scheme)
{
    static const rdsiam__http_header hs[] = {
        {"Content-Type", "application/x-www-form-urlencoded", false},
        {"X-Residue-Secret", HEADER_SECRET, true},
    };
    static const char body[] = "Token=" BODY_SECRET "&Action=Residue"
                               "&Version=2011-06-15";
    rdsiam__http_request req;
    rdsiam__buf answer;
    rdsiam_error e;
    char url[128];
    long status = 0;

    snprintf(url, sizeof url, "%s://127.0.0.1:%d/residue", scheme, s->port);
    memset(&req, 0, sizeof req);
    req.method = "POST";
    req.url = url;
    req.headers = hs;
    req.n_headers = 2;
    req.authorization = AUTH_SECRET;
    req.body = body;
    req.body_len = sizeof body - 1;
    req.ca_file = cert;
    req.any_status = true;
    req.no_proxy = true;
    reset_counts();
    atomic_store(&scanning, true);
    assert_int_equal(rdsiam__http_perform(&req, &answer, &status, &e),
                     RDSIAM_OK);
    assert_int_equal(status, 400); /* InvalidAction */
    rdsiam__buf_free(&answer);
    atomic_store(&scanning, false);
}

/* The whole web identity call: the token in the form, the role's secret
 * key in the answer (parsed by expat). */
static void web_identity(const standin *s, const char *scheme)
{
    rdsiam__sts_config cfg;
    rdsiam__creds c;
    rdsiam_error e;
    char url[128];

    snprintf(url, sizeof url, "%s://127.0.0.1:%d/", scheme, s->port);
    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint_url = url;
    cfg.ca_file = cert;
    reset_counts();
    atomic_store(&scanning, true);
    assert_int_equal(
        rdsiam__sts_assume_role_with_web_identity(
            &cfg, ROLE, "residue", BODY_SECRET, strlen(BODY_SECRET), &c, &e),
        RDSIAM_OK);
    assert_string_equal(c.secret_access_key, ROLE_SECRET);
    rdsiam__creds_clear(&c);
    atomic_store(&scanning, false);
}

static void test_post_http(void **state)
{
    (void)state;
    post(&plain, "http");
    report("POST over http");
}

static void test_post_https(void **state)
{
    (void)state;
    if (!have_tls)
        skip(); /* no openssl tool to make the certificate */
    post(&tls, "https");
    report("POST over https");
}

static void test_web_identity_http(void **state)
{
    (void)state;
    web_identity(&plain, "http");
    report("AssumeRoleWithWebIdentity over http");
}

static void test_web_identity_https(void **state)
{
    (void)state;
    if (!have_tls)
        skip();
    web_identity(&tls, "https");
    report("AssumeRoleWithWebIdentity over https");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_http),
        cmocka_unit_test(test_post_https),
        cmocka_unit_test(test_web_identity_http),
        cmocka_unit_test(test_web_identity_https),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

#else /* !RDSIAM_HTTP */

int main(void)
{
    return skip_program("test_http_residue",
                        "built with HTTP=no: no HTTP client");
}

#endif
