/*
 * sts_answer.h - what STS answers (sts_answer.c): the XML of AssumeRole
 * and AssumeRoleWithWebIdentity read into credentials or an STS error, and
 * the error codes worth another try. Internal; compiled only when
 * RDSIAM_HTTP is 1.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_STS_ANSWER_H
#define RDSIAM_STS_ANSWER_H

#include "source.h"

#if RDSIAM_HTTP

/*
 * Parse an STS answer: status is the HTTP status, action the STS action
 * ("AssumeRole") whose <ActionResponse><ActionResult><Credentials> holds
 * AccessKeyId, SecretAccessKey, SessionToken and Expiration (each exactly
 * once). A 2xx answer gives the credentials; any answer that is an error
 * document (<ErrorResponse><Error> or <Error>) gives RDSIAM_ERR_STS; a
 * non-2xx answer that is not one gives RDSIAM_ERR_HTTP_STATUS. Exposed for
 * the tests and the fuzz target.
 */
int rdsiam__sts_parse(const char *action, long status, const char *body,
                      size_t len, rdsiam__creds *out, rdsiam_error *err);

/* true when body is an STS error document whose Code is one the SDKs
 * retry (Throttling, ThrottlingException, IDPCommunicationError, ...). */
bool rdsiam__sts_retryable_code(const char *body, size_t len);

#endif /* RDSIAM_HTTP */

#endif /* RDSIAM_STS_ANSWER_H */
