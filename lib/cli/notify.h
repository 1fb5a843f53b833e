/*
 * notify.h - telling systemd the service is ready (see notify.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef RDSIAM_CLI_NOTIFY_H
#define RDSIAM_CLI_NOTIFY_H

/* "READY=1" to $NOTIFY_SOCKET, when it is set; nothing otherwise. */
void cli_notify_ready(void);

#endif
