/*
 * dpop.h - DPoP proofs (RFC 9449) as the AWS sign-in service takes them
 * with a refresh of an `aws login` session: an ES256 JSON Web Token over
 * one request, signed with the session's P-256 key (botocore 1.43
 * credentials.py, _build_dpop_header). Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_DPOP_H
#define RDSIAM_DPOP_H

#include "internal.h"

/*
 * The proof for one request: base64url(header) "." base64url(payload) "."
 * base64url(signature), unpadded, where
 *   header  = {"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":X,
 *             "y":Y,"crv":"P-256"}}  (the public key, as botocore orders it)
 *   payload = {"htm":method,"htu":url,"iat":iat,"jti":a fresh UUID v4}
 *   signature = ECDSA P-256 over SHA-256 of "header.payload", as r || s
 *             (32 bytes each: RFC 7518 3.4).
 * pem is the cache file's dpopKey: a PEM private key, SEC1 ("EC PRIVATE
 * KEY", what `aws login` writes) or PKCS#8, on P-256 (anything else is
 * RDSIAM_ERR_JSON, naming what, never quoting the key). url is the
 * request's URL without query or fragment (botocore: the request's url).
 * *out is allocated (free()); it is not secret (it proves possession of
 * the key for this request only). Every copy of the key is wiped.
 */
int rdsiam__dpop_proof(const char *pem, const char *what, const char *method,
                       const char *url, int64_t iat, char **out,
                       rdsiam_error *err);

#endif /* RDSIAM_DPOP_H */
