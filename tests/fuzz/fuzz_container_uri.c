/*
 * fuzz_container_uri.c - rdsiam__container_check_uri() (the URL parser
 * of endpoint.c under the container policy) on arbitrary strings, checked
 * against libcurl's URL parser called afresh.
 *
 * Properties: it never crashes; and whenever it accepts a plain-http URL
 * that libcurl can parse, the host libcurl would connect to is itself on
 * the allow-list. A difference between the two parsers is exactly what
 * would let a URL pass the check yet reach another host.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "internal.h"
#include "source_container.h"

#if RDSIAM_HTTP
#include <curl/curl.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    int rc;

    if (!s)
        return 0;
    rc = rdsiam__container_check_uri(s, "X", NULL);
#if RDSIAM_HTTP
    FUZZ_CHECK(rc == RDSIAM_OK || rc == RDSIAM_ERR_URI_INVALID ||
               rc == RDSIAM_ERR_URI_NOT_ALLOWED);
    if (rc == RDSIAM_OK && strncasecmp(s, "http:", 5) == 0) {
        CURLU *u = curl_url();
        char *host = NULL;

        if (u && curl_url_set(u, CURLUPART_URL, s, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
            char again[512];

            snprintf(again, sizeof again, "http://%s/", host);
            FUZZ_CHECK(rdsiam__container_check_uri(again, "X", NULL) ==
                       RDSIAM_OK);
        }
        curl_free(host);
        curl_url_cleanup(u);
    }
#else
    /* no URL parser without libcurl */
    FUZZ_CHECK(rc == RDSIAM_ERR_NOT_BUILT_IN);
#endif
    free(s);
    return 0;
}
