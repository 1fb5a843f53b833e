/*
 * file.h - the one reader of files that may hold secrets: the shared
 * config and credentials files, the container authorization token file,
 * the verifier's key file (and the web identity token file to come).
 * Internal.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_FILE_H
#define RDSIAM_FILE_H

#include "internal.h"

/* A file that does not exist is not an error: *found becomes false. */
#define RDSIAM__FILE_MISSING_OK 0x1u
/* Anything but a regular file (a FIFO, /dev/null, a directory) counts
 * as absent (botocore does so for the shared files); without this flag
 * it is an error. */
#define RDSIAM__FILE_SPECIAL_ABSENT 0x2u

/*
 * Read the whole of path into out (a buffer initialised by the caller;
 * wiped and freed by it with rdsiam__buf_free). The file is opened with
 * O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, so a FIFO cannot block
 * the open and a descriptor never leaks into a child; fstat() must show a
 * regular file, which a read then cannot block on. More than max bytes is
 * too_large_code. Every chunk read is wiped. what names the file in
 * messages (e.g. its path, or "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
 * /run/token"): "cannot open WHAT: reason", "WHAT is not a regular
 * file", "WHAT is larger than MAX bytes". found may be NULL.
 */
int rdsiam__file_read(const char *path, const char *what, size_t max,
                      int too_large_code, unsigned flags, rdsiam__buf *out,
                      bool *found, rdsiam_error *err);

#endif /* RDSIAM_FILE_H */
