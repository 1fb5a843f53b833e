/*
 * dpop.c - DPoP proofs for the sign-in service (see dpop.h), with
 * libcrypto's PEM reader, ECDSA and base64.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "dpop.h"
#include "json_reader.h"

#define COORD 32   /* bytes of a P-256 coordinate and of r and s */
#define B64_MAX 96 /* base64 of 64 bytes, with room */
#define PART_MAX 4096

/* An encrypted key would make OpenSSL ask for a password on the terminal;
 * a library has none to ask. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

/* The key in pem, which must be an EC key on P-256. */
static int load_key(const char *pem, const char *what, EVP_PKEY **key,
                    rdsiam_error *err)
{
    BIO *bio = NULL;
    char group[32] = "";
    int rc = RDSIAM_OK;
    size_t n = strlen(pem);

    *key = NULL;
    RDSIAM_ENSURE(err, n > 0 && n < 16384, RDSIAM_ERR_JSON,
                  "%s: dpopKey is empty or too long", what);
    bio = BIO_new_mem_buf(pem, (int)n);
    RDSIAM_ENSURE(err, bio, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    *key = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
    RDSIAM_ENSURE(err, *key, RDSIAM_ERR_JSON,
                  "%s: dpopKey is not a PEM private key", what);
    RDSIAM_ENSURE(
        err,
        EVP_PKEY_is_a(*key, "EC") &&
            EVP_PKEY_get_utf8_string_param(*key, OSSL_PKEY_PARAM_GROUP_NAME,
                                           group, sizeof group, NULL) == 1 &&
            strcmp(group, "prime256v1") == 0,
        RDSIAM_ERR_JSON, "%s: dpopKey is not a P-256 (ES256) key", what);
done:
    if (rc != RDSIAM_OK) {
        EVP_PKEY_free(*key);
        *key = NULL;
    }
    BIO_free(bio);
    ERR_clear_error();
    return rc;
}

/* base64url of n bytes without padding (RFC 7515 2) onto b. */
static int append_b64url(rdsiam__buf *b, const unsigned char *p, size_t n)
{
    unsigned char chunk[B64_MAX + 1];
    size_t k, len;
    int rc = RDSIAM_OK;

    /* 48 input bytes make 64 characters: whole groups, no padding inside */
    for (; n > 0 && rc == RDSIAM_OK; p += k, n -= k) {
        k = n > 48 ? 48 : n;
        len = (size_t)EVP_EncodeBlock(chunk, p, (int)k);
        while (len > 0 && chunk[len - 1] == '=')
            len--;
        for (size_t i = 0; i < len; i++)
            chunk[i] = chunk[i] == '+' ? '-' : chunk[i] == '/' ? '_' : chunk[i];
        rc = rdsiam__buf_append(b, chunk, len);
    }
    return rc;
}

/* A random (version 4) UUID, as Python's str(uuid.uuid4()). */
static bool uuid4(char out[37])
{
    unsigned char r[16];
    char hex[33];

    if (RAND_bytes(r, sizeof r) != 1)
        return false;
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    rdsiam__hex(hex, r, sizeof r);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
             hex + 16, hex + 20);
    return true;
}

/* The JWT header with the public key of key, base64url-encoded onto b. */
static int header(EVP_PKEY *key, const char *what, rdsiam__buf *b,
                  rdsiam_error *err)
{
    BIGNUM *bx = NULL, *by = NULL;
    unsigned char xy[2 * COORD];
    char x[B64_MAX], y[B64_MAX];
    rdsiam__buf enc;
    int rc = RDSIAM_OK;
    const rdsiam__json_member jwk[] = {
        {.name = "kty", .string = "EC"},
        {.name = "x", .string = x},
        {.name = "y", .string = y},
        {.name = "crv", .string = "P-256"},
    };
    const rdsiam__json_member hdr[] = {
        {.name = "typ", .string = "dpop+jwt"},
        {.name = "alg", .string = "ES256"},
        {.name = "jwk", .members = jwk, .n = 4},
    };
    rdsiam__buf text;

    rdsiam__buf_init(&enc, B64_MAX - 1);
    rdsiam__buf_init(&text, PART_MAX);
    RDSIAM_ENSURE(
        err,
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &bx) == 1 &&
            EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &by) == 1 &&
            BN_bn2binpad(bx, xy, COORD) == COORD &&
            BN_bn2binpad(by, xy + COORD, COORD) == COORD,
        RDSIAM_ERR_CRYPTO, "%s: cannot read dpopKey's public key", what);
    rc = append_b64url(&enc, xy, COORD);
    snprintf(x, sizeof x, "%s", rc == RDSIAM_OK ? enc.data : "");
    rdsiam__buf_free(&enc);
    if (rc == RDSIAM_OK)
        rc = append_b64url(&enc, xy + COORD, COORD);
    snprintf(y, sizeof y, "%s", rc == RDSIAM_OK ? enc.data : "");
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s: out of memory", what);
    RDSIAM_GUARD(rdsiam__json_write(NULL, hdr, 3, what, &text, err));
    rc = append_b64url(b, (const unsigned char *)text.data, text.len);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s: the DPoP proof is too large",
                  what);
done:
    BN_free(bx);
    BN_free(by);
    rdsiam__buf_free(&enc);
    rdsiam__buf_free(&text);
    return rc;
}

/* ES256 over the n bytes at p: r || s onto b, base64url. */
static int sign(EVP_PKEY *key, const char *what, const char *p, size_t n,
                rdsiam__buf *b, rdsiam_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char der[128], rs[2 * COORD];
    const unsigned char *q = der;
    size_t der_len = sizeof der;
    ECDSA_SIG *sig = NULL;
    const BIGNUM *r = NULL, *s = NULL;
    int rc = RDSIAM_OK;

    RDSIAM_ENSURE(err, ctx, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    RDSIAM_ENSURE(err,
                  EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
                      EVP_DigestSign(ctx, der, &der_len,
                                     (const unsigned char *)p, n) == 1 &&
                      (sig = d2i_ECDSA_SIG(NULL, &q, (long)der_len)) != NULL,
                  RDSIAM_ERR_CRYPTO, "%s: ES256 signing failed", what);
    ECDSA_SIG_get0(sig, &r, &s);
    RDSIAM_ENSURE(err,
                  BN_bn2binpad(r, rs, COORD) == COORD &&
                      BN_bn2binpad(s, rs + COORD, COORD) == COORD,
                  RDSIAM_ERR_CRYPTO, "%s: ES256 signing failed", what);
    rc = append_b64url(b, rs, sizeof rs);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s: out of memory", what);
done:
    ECDSA_SIG_free(sig);
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}

int rdsiam__dpop_proof(const char *pem, const char *what, const char *method,
                       const char *url, int64_t iat, char **out,
                       rdsiam_error *err)
{
    char jti[37];
    const rdsiam__json_member claims[] = {
        {.name = "htm", .string = method},
        {.name = "htu", .string = url},
        {.name = "iat", .is_int = true, .integer = iat},
        {.name = "jti", .string = jti},
    };
    EVP_PKEY *key = NULL;
    rdsiam__buf b, sig, text;
    int rc = RDSIAM_OK;

    *out = NULL;
    rdsiam__buf_init(&b, 3 * PART_MAX);
    rdsiam__buf_init(&sig, B64_MAX);
    rdsiam__buf_init(&text, PART_MAX);
    RDSIAM_ENSURE(err, uuid4(jti), RDSIAM_ERR_CRYPTO,
                  "%s: no random bytes for the DPoP proof", what);
    RDSIAM_GUARD(load_key(pem, what, &key, err));
    RDSIAM_GUARD(header(key, what, &b, err));
    RDSIAM_GUARD(rdsiam__json_write(NULL, claims, 4, what, &text, err));
    rc = rdsiam__buf_append_char(&b, '.');
    if (rc == RDSIAM_OK)
        rc = append_b64url(&b, (const unsigned char *)text.data, text.len);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s: the DPoP proof is too large",
                  what);
    /* JWS: the signature is over "header.payload" as written */
    RDSIAM_GUARD(sign(key, what, b.data, b.len, &sig, err));
    rc = rdsiam__buf_append_char(&b, '.');
    if (rc == RDSIAM_OK)
        rc = rdsiam__buf_append(&b, sig.data, sig.len);
    RDSIAM_ENSURE(err, rc == RDSIAM_OK, rc, "%s: the DPoP proof is too large",
                  what);
    *out = rdsiam__buf_take(&b);
    RDSIAM_ENSURE(err, *out, RDSIAM_ERR_NO_MEMORY, "%s: out of memory", what);
    rdsiam__ok(err);
done:
    EVP_PKEY_free(key);
    rdsiam__buf_free(&b);
    rdsiam__buf_free(&sig);
    rdsiam__buf_free(&text);
    return rc;
}
