/*
 * hash.c - SHA-256 and HMAC-SHA256 on top of OpenSSL's libcrypto.
 *
 * Why the low-level SHA256_* interface: OpenSSL 3's EVP layer fetches the
 * algorithm and allocates a context on every digest, which costs more than
 * the hashing itself for the few blocks a token needs. SHA256_CTX lives on
 * the stack, copies by assignment (so HMAC pad states can be precomputed
 * and reused) and calls the same assembly block function. The interface
 * is deprecated in OpenSSL 3 but still shipped by every 3.x build that has
 * not been configured with no-deprecated; we silence the warning here only.
 *
 * HMAC is RFC 2104: H((K ^ opad) || H((K ^ ipad) || m)), with K hashed
 * first when longer than the 64-byte block.
 *
 * SPDX-License-Identifier: MIT
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "internal.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((rdsiam__sha256 *)0)->opaque),
               "rdsiam__sha256 too small for SHA256_CTX");

#define CTX(c) ((SHA256_CTX *)(void *)(c)->opaque)

void rdsiam__sha256_init(rdsiam__sha256 *c)
{
    SHA256_Init(CTX(c));
}

void rdsiam__sha256_update(rdsiam__sha256 *c, const void *data, size_t n)
{
    if (n)
        SHA256_Update(CTX(c), data, n);
}

void rdsiam__sha256_final(rdsiam__sha256 *c, unsigned char out[32])
{
    SHA256_Final(out, CTX(c));
}

/*
 * SHA-256 padding, FIPS 180-4 5.1.1: "append the bit 1 to the end of the
 * message, followed by k zero bits ... then append the 64-bit block that
 * is equal to the number l expressed using a binary representation".
 * Done here in the caller's buffer, so the whole tail goes through one
 * SHA256_Update call, which hands all its blocks to the block function at
 * once: each separate call costs about as much as a third of a block.
 */
size_t rdsiam__sha256_pad(unsigned char *buf, size_t n, uint64_t total)
{
    size_t padded = (n + 9 + 63) / 64 * 64;
    uint64_t bits = total * 8;
    unsigned char *len = buf + padded - 8;

    buf[n] = 0x80;
    memset(buf + n + 1, 0, padded - n - 9);
    len[0] = (unsigned char)(bits >> 56);
    len[1] = (unsigned char)(bits >> 48);
    len[2] = (unsigned char)(bits >> 40);
    len[3] = (unsigned char)(bits >> 32);
    len[4] = (unsigned char)(bits >> 24);
    len[5] = (unsigned char)(bits >> 16);
    len[6] = (unsigned char)(bits >> 8);
    len[7] = (unsigned char)bits;
    return padded;
}

/* The digest is the state words, big-endian (FIPS 180-4 6.2.2 step 4):
 * a byte swap per word where the compiler has one (gcc otherwise turns the
 * shifts into a long vector shuffle). */
static void put_digest(const SHA256_CTX *x, unsigned char out[32])
{
    for (int i = 0; i < 8; i++) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint32_t be = __builtin_bswap32((uint32_t)x->h[i]);
        memcpy(out + 4 * i, &be, 4);
#else
        SHA_LONG h = x->h[i];
        unsigned char *o = out + 4 * i;
        o[0] = (unsigned char)(h >> 24);
        o[1] = (unsigned char)(h >> 16);
        o[2] = (unsigned char)(h >> 8);
        o[3] = (unsigned char)h;
#endif
    }
}

void rdsiam__sha256_final_padded(rdsiam__sha256 *c, unsigned char *buf,
                                 size_t n, uint64_t total,
                                 unsigned char out[32])
{
    SHA256_Update(CTX(c), buf, rdsiam__sha256_pad(buf, n, total));
    put_digest(CTX(c), out);
}

/*
 * Whole blocks at a block boundary go straight from the caller's buffer to
 * the block function, never through the context's own buffer: of the
 * copy, only the state words and the bit count change.
 */
void rdsiam__sha256_finish_blocks(const rdsiam__sha256 *c,
                                  const unsigned char *blocks, size_t n,
                                  unsigned char out[32])
{
    SHA256_CTX x = *CTX(c);

    SHA256_Update(&x, blocks, n);
    put_digest(&x, out);
}

void rdsiam__hmac_blocks(const rdsiam__hmac_key *k, const unsigned char *blocks,
                         size_t n, unsigned char out[32])
{
    /* The inner hash, then the outer state, whose words end as the MAC:
     * together, so that one wipe covers what they held. The outer message
     * is the inner hash; with the cached key block before it, 96 bytes,
     * one block once padded. */
    struct hmac_work {
        unsigned char ob[64];
        SHA256_CTX x;
    } w = {.ob = {[32] = 0x80, [62] = 0x03}};

    _Static_assert(offsetof(SHA256_CTX, h) == 0, "SHA256_CTX starts with h");
    w.x = *CTX(&k->inner);
    SHA256_Update(&w.x, blocks, n);
    put_digest(&w.x, w.ob);
    w.x = *CTX(&k->outer); /* the inner state words overwritten */
    SHA256_Update(&w.x, w.ob, sizeof w.ob);
    put_digest(&w.x, out);
    rdsiam__wipe(&w, offsetof(struct hmac_work, x) + sizeof w.x.h);
}

void rdsiam__hmac_padded(const rdsiam__hmac_key *k, unsigned char *msg,
                         size_t n, unsigned char out[32])
{
    rdsiam__hmac_blocks(k, msg, rdsiam__sha256_pad(msg, n, 64 + (uint64_t)n),
                        out);
}

void rdsiam__sha256_once(const void *data, size_t n, unsigned char out[32])
{
    rdsiam__sha256 c;

    rdsiam__sha256_init(&c);
    rdsiam__sha256_update(&c, data, n);
    rdsiam__sha256_final(&c, out);
    rdsiam__wipe(&c, sizeof c);
}

void rdsiam__hmac_key_init(rdsiam__hmac_key *k, const void *key, size_t n)
{
    unsigned char block[64];
    unsigned char pad[64];

    memset(block, 0, sizeof block);
    if (n > sizeof block)
        rdsiam__sha256_once(key, n, block);
    else if (n)
        memcpy(block, key, n);

    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = (unsigned char)(block[i] ^ 0x36);
    rdsiam__sha256_init(&k->inner);
    rdsiam__sha256_update(&k->inner, pad, sizeof pad);

    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = (unsigned char)(block[i] ^ 0x5c);
    rdsiam__sha256_init(&k->outer);
    rdsiam__sha256_update(&k->outer, pad, sizeof pad);

    rdsiam__wipe(block, sizeof block);
    rdsiam__wipe(pad, sizeof pad);
}

static void hmac_start(const rdsiam__hmac_key *k, rdsiam__sha256 *c)
{
    *c = k->inner;
}

static void hmac_finish(const rdsiam__hmac_key *k, rdsiam__sha256 *c,
                        unsigned char out[32])
{
    unsigned char ih[32];

    rdsiam__sha256_final(c, ih);
    *c = k->outer;
    rdsiam__sha256_update(c, ih, sizeof ih);
    rdsiam__sha256_final(c, out);
    rdsiam__wipe(ih, sizeof ih);
    rdsiam__wipe(c, sizeof *c);
}

void rdsiam__hmac(const rdsiam__hmac_key *k, const void *msg, size_t n,
                  unsigned char out[32])
{
    rdsiam__sha256 c;

    hmac_start(k, &c);
    rdsiam__sha256_update(&c, msg, n);
    hmac_finish(k, &c, out);
}

void rdsiam__hmac_once(const void *key, size_t keylen, const void *msg,
                       size_t n, unsigned char out[32])
{
    rdsiam__hmac_key k;

    rdsiam__hmac_key_init(&k, key, keylen);
    rdsiam__hmac(&k, msg, n, out);
    rdsiam__wipe(&k, sizeof k);
}

/* Constant time: the loop never exits early and ORs every difference.
 The 32-byte blocks are a fixed-length loop the compiler turns into vector
 instructions (a session token of a kilobyte is compared on every token);
 the rest goes a word, then a byte, at a time (memcpy keeps the loads
 alignment-safe). */
bool rdsiam__ct_equal(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    unsigned char acc[32] = {0};
    uint64_t u, v, diff = 0;
    size_t i = 0;

    for (; n - i >= 32; i += 32)
        for (size_t k = 0; k < 32; k++)
            acc[k] |= (unsigned char)(x[i + k] ^ y[i + k]);
    for (size_t k = 0; k < 32; k += 8) {
        memcpy(&u, acc + k, 8);
        diff |= u;
    }
    for (; n - i >= 8; i += 8) {
        memcpy(&u, x + i, 8);
        memcpy(&v, y + i, 8);
        diff |= u ^ v;
    }
    for (; i < n; i++)
        diff |= (uint64_t)(x[i] ^ y[i]);
    return diff == 0;
}

/*
 * SigV4 key derivation:
 *   kSecret  = "AWS4" + secret
 *   kDate    = HMAC(kSecret, date8)
 *   kRegion  = HMAC(kDate, region)
 *   kService = HMAC(kRegion, service)
 *   kSigning = HMAC(kService, "aws4_request")
 */
void rdsiam__derive_signing_key(const char *secret, size_t secret_len,
                                const char date8[8], const char *region,
                                size_t region_len, const char *service,
                                size_t service_len, rdsiam__hmac_key *out)
{
    unsigned char ksecret[4 + RDSIAM_SECRET_KEY_MAX];
    unsigned char k[32];
    size_t klen = secret_len;

    /* Callers validate secret_len; clamp defensively all the same. */
    if (klen > RDSIAM_SECRET_KEY_MAX)
        klen = RDSIAM_SECRET_KEY_MAX;
    memcpy(ksecret, "AWS4", 4);
    memcpy(ksecret + 4, secret, klen);
    rdsiam__hmac_once(ksecret, 4 + klen, date8, 8, k);
    rdsiam__hmac_once(k, sizeof k, region, region_len, k);
    rdsiam__hmac_once(k, sizeof k, service, service_len, k);
    rdsiam__hmac_once(k, sizeof k, "aws4_request", 12, k);
    rdsiam__hmac_key_init(out, k, sizeof k);
    rdsiam__wipe(ksecret, sizeof ksecret);
    rdsiam__wipe(k, sizeof k);
}
