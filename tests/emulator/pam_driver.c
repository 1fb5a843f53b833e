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
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
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

int main(int argc, char **argv)
{
    const char *password = getenv("RDSIAM_PAM_PASSWORD");
    struct pam_conv conv = {answer, NULL};
    pam_handle_t *pamh = NULL;
    int rc;

    if (argc != 4) {
        fprintf(stderr, "usage: pam_driver CONFDIR SERVICE USER\n");
        return 2;
    }
    conv.appdata_ptr = (void *)(password ? password : "");
    rc = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &pamh);
    if (rc != PAM_SUCCESS) {
        fprintf(stderr, "pam_start_confdir: %d\n", rc);
        return 2;
    }
    rc = pam_authenticate(pamh, 0);
    if (rc == PAM_SUCCESS)
        printf("PAM_SUCCESS\n");
    else
        printf("error %d: %s\n", rc, pam_strerror(pamh, rc));
    pam_end(pamh, rc);
    return rc == PAM_SUCCESS ? 0 : 1;
}
