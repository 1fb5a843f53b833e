/*
 * run.h - signing and writing a job (see run.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_RUN_H
#define RDSIAM_CLI_RUN_H

#include "config.h"

/*
 * Sign job's tokens and write them (once, or with job->every forever);
 * messages on standard error. Returns the exit status: 0 written (and
 * --then succeeded), 1 an error.
 */
int cli_run(const cli_args *a, cli_job *job);

#endif
