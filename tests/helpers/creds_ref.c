/*
 * creds_ref.c - see creds_ref.h.
 */
#include <pthread.h>
#include <string.h>

#include "creds_ref.h"

#define SLOTS 256

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    rdsiam_credentials *view;
    rdsiam_credentials_ref *ref;
} slots[SLOTS];

static void keep(rdsiam_credentials *c, rdsiam_credentials_ref *ref)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < SLOTS; i++) {
        if (!slots[i].view) {
            slots[i].view = c;
            slots[i].ref = ref;
            break;
        }
    }
    pthread_mutex_unlock(&mu);
}

void creds_ref_put(rdsiam_credentials *c)
{
    rdsiam_credentials_ref *ref = NULL;

    pthread_mutex_lock(&mu);
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].view == c) {
            ref = slots[i].ref;
            slots[i].view = NULL;
            slots[i].ref = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&mu);
    rdsiam_credentials_ref_free(ref);
    memset(c, 0, sizeof *c);
}

static int read_ref(int rc, rdsiam_credentials_ref *ref, rdsiam_credentials *c)
{
    memset(c, 0, sizeof *c);
    if (rc == RDSIAM_OK) {
        *c = *rdsiam_credentials_ref_get(ref);
        keep(c, ref);
    }
    return rc;
}

int creds_ref_get(rdsiam_provider *p, rdsiam_credentials *c,
                  rdsiam_error *err)
{
    rdsiam_credentials_ref *ref = NULL;
    int rc;

    creds_ref_put(c);
    rc = rdsiam_provider_get_credentials(p, &ref, err);
    return read_ref(rc, ref, c);
}

int creds_ref_cached(rdsiam_provider *p, rdsiam_credentials *c,
                     rdsiam_error *err)
{
    rdsiam_credentials_ref *ref = NULL;
    int rc;

    creds_ref_put(c);
    rc = rdsiam_provider_get_cached(p, &ref, err);
    return read_ref(rc, ref, c);
}
