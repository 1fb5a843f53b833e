/*
 * notify.c - Type=notify for systemd: once the first file is written,
 * "READY=1" goes to the socket systemd names in NOTIFY_SOCKET, so a
 * pooler's unit ordered After= this one starts with the file in place.
 *
 * The protocol (sd_notify(3), "Notes"): one datagram of "KEY=VALUE"
 * lines to the AF_UNIX socket at NOTIFY_SOCKET, whose leading '@' means
 * the abstract namespace. Without the variable there is nothing to do.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

void cli_notify_ready(void)
{
    static const char ready[] = "READY=1";
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa;
    size_t n;
    int fd;

    if (!path || (path[0] != '/' && path[0] != '@'))
        return;
    n = strlen(path);
    if (n < 2 || n >= sizeof sa.sun_path)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, n);
    if (sa.sun_path[0] == '@')
        sa.sun_path[0] = '\0';
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    (void)sendto(fd, ready, sizeof ready - 1, MSG_NOSIGNAL,
                 (const struct sockaddr *)&sa,
                 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
    (void)close(fd);
}
