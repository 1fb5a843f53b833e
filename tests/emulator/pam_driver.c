/*
 * tests/emulator/pam_driver.c - logs in once through PAM, the way
 * PostgreSQL does, so check-emulator-postgres.sh can try the PAM module's
 * arguments and answers without a database server.
 *
 *     RDSIAM_PAM_PASSWORD=TOKEN pam_driver CONFDIR SERVICE USER
 *
 * CONFDIR holds the service file SERVICE (pam_start_confdir, Linux-PAM
 * 1.4 and later); the password is answered to the module's prompt. Prints
 * pam_authenticate's result as "PAM_SUCCESS" or "error N: TEXT" and exits
 * 0 on success, 1 on refusal, 2 when PAM itself could not start.
 *
 * With RDSIAM_PAM_REPEAT=N it logs in N times in one process, each time
 * on a thread of its own that exits only after pam_end() has unloaded the
 * module (libpam dlcloses it there), as a server's worker thread may; with
 * RDSIAM_PAM_MODULE=PATH as well it checks after every pam_end() that the
 * module really left the process. Prints the first failure, or
 * PAM_SUCCESS once when all N succeeded.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

static int answer(int n, const struct pam_message **msg,
                  struct pam_response **resp, void *ctx)
{
    const char *password = ctx;
    struct pam_response *r;

    if (n != 1 || msg[0]->msg_style != PAM_PROMPT_ECHO_OFF)
        return PAM_CONV_ERR;
    r = calloc(1, sizeof *r);
    if (!r)
        return PAM_BUF_ERR;
    r->resp = strdup(password);
    if (!r->resp) {
        free(r);
        return PAM_BUF_ERR;
    }
    *resp = r;
    return PAM_SUCCESS;
}

/* One login: 0, 1 (refused, printed) or 2 (PAM did not start). */
static int login(char **argv, const char *password, int quiet)
{
    struct pam_conv conv = {answer, NULL};
    pam_handle_t *pamh = NULL;
    int rc;

    conv.appdata_ptr = (void *)password;
    rc = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &pamh);
    if (rc != PAM_SUCCESS) {
        fprintf(stderr, "pam_start_confdir: %d\n", rc);
        return 2;
    }
    rc = pam_authenticate(pamh, 0);
    if (rc == PAM_SUCCESS && !quiet)
        printf("PAM_SUCCESS\n");
    else if (rc != PAM_SUCCESS)
        printf("error %d: %s\n", rc, pam_strerror(pamh, rc));
    pam_end(pamh, rc);
    return rc == PAM_SUCCESS ? 0 : 1;
}

struct turn {
    char **argv;
    const char *password;
    int rc;
};

static void *login_thread(void *arg)
{
    struct turn *t = arg;

    t->rc = login(t->argv, t->password, 1);
    return NULL; /* exits after pam_end unloaded the module */
}

static int repeat(char **argv, const char *password, long n)
{
    const char *module = getenv("RDSIAM_PAM_MODULE");
    struct turn t = {argv, password, 0};
    pthread_t th;
    void *still;

    for (long i = 0; i < n; i++) {
        if (pthread_create(&th, NULL, login_thread, &t) != 0 ||
            pthread_join(th, NULL) != 0) {
            fprintf(stderr, "pam_driver: cannot run login %ld\n", i + 1);
            return 2;
        }
        if (t.rc != 0)
            return t.rc;
        still = module ? dlopen(module, RTLD_NOW | RTLD_NOLOAD) : NULL;
        if (still) {
            dlclose(still);
            printf("error: login %ld: the module is still loaded\n", i + 1);
            return 1;
        }
    }
    printf("PAM_SUCCESS\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *password = getenv("RDSIAM_PAM_PASSWORD");
    const char *times = getenv("RDSIAM_PAM_REPEAT");

    if (argc != 4) {
        fprintf(stderr, "usage: pam_driver CONFDIR SERVICE USER\n");
        return 2;
    }
    if (!password)
        password = "";
    if (times)
        return repeat(argv, password, strtol(times, NULL, 10));
    return login(argv, password, 0);
}
