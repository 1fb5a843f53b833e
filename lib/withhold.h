/*
 * withhold.h - keeping the secrets a request sent out of the messages made
 * from what the server answered (withhold.c). Internal.
 *
 * A server that quotes a request back (a misbehaving STS, SSO portal,
 * container or metadata endpoint, or one that is not what it claims) could
 * otherwise put a web identity token, a session token or a bearer token
 * into err->message, and from there into the caller's logs.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_WITHHOLD_H
#define RDSIAM_WITHHOLD_H

#include "internal.h"

/* The longest run of a secret a message may hold: 15 characters. */
#define RDSIAM__SECRET_RUN 16

/* One secret a request sent (borrowed; NULL or empty: none). */
typedef struct rdsiam__sent {
    const char *text;
    size_t len;
} rdsiam__sent;

/*
 * Whether text (n bytes) holds RDSIAM__SECRET_RUN consecutive bytes of
 * secret (len bytes) anywhere; for a secret shorter than that, the whole
 * secret. Secrets under 4 bytes are never looked for: they would match
 * ordinary words.
 */
bool rdsiam__quotes_secret(const char *text, size_t n, const char *secret,
                           size_t len);

/*
 * When err holds a failure whose message quotes any of the n secrets
 * (rdsiam__quotes_secret), as written or after decoding the escapes a
 * message may carry (\xNN as rdsiam__fail writes control bytes, %XX,
 * \uXXXX, &#xH; and &#D;), replace the message with
 * "<who>: the error message is withheld: it quotes a credential that was
 * sent". The code stays. err may be NULL. Call it last, once the message
 * is what the caller will see.
 */
void rdsiam__withhold_sent(rdsiam_error *err, const char *who,
                           const rdsiam__sent *sent, size_t n);

#endif /* RDSIAM_WITHHOLD_H */
