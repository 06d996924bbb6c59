/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spawn.c - one restart in a fresh process (collection.h,
 * ea_restart_exec). SP 800-90B §3.1.4 wants every restart to start the
 * noise source afresh; a new process is the closest a user-space
 * collector gets to a power cycle.
 *
 * The process is started without a shell (posix_spawn). Its standard
 * output is the data (little-endian u64), read to its end: fewer or more
 * deltas than asked is an error. Its standard error is kept (the first
 * 512 bytes) so that a failure can say why. Both pipes are polled with a
 * 50 ms timeout, so the caller's stop test runs even when the process is
 * silent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collection.h"

extern char **environ;

#define POLL_MS 50
#define ERR_KEEP 512

typedef struct {
    int out, errfd;            /* read ends; -1 once at EOF */
    uint64_t *row;
    size_t cols, k;            /* deltas wanted, deltas read */
    uint8_t part[8];           /* a delta split across reads */
    size_t have;
    unsigned long long extra;  /* bytes past the last delta wanted */
    char msg[ERR_KEEP + 1];    /* the start of its standard error */
    size_t msglen;
} child_io;

static ea_status spawn(char *const argv[], pid_t *pid, child_io *io, char *err, size_t errlen)
{
    int po[2], pe[2], rc;
    posix_spawn_file_actions_t fa;

    if (pipe2(po, O_CLOEXEC) != 0)
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot create a pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]);
        close(po[1]);
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot create a pipe: %s", strerror(errno));
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    rc = posix_spawn(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(po[1]);
    close(pe[1]);
    io->out = po[0];
    io->errfd = pe[0];
    if (rc != 0) {
        close(po[0]);
        close(pe[0]);
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot start '%s': %s", argv[0],
                           strerror(rc));
    }
    return EA_OK;
}

/* Take n bytes of standard output. */
static void take_out(child_io *io, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (io->k == io->cols) {
            io->extra += n - i;
            return;
        }
        io->part[io->have++] = b[i];
        if (io->have == 8) {
            uint64_t v = 0;
            for (int j = 7; j >= 0; j--)
                v = (v << 8) | io->part[j];
            io->row[io->k++] = v;
            io->have = 0;
        }
    }
}

/* One read from a ready pipe; its descriptor is closed at EOF. */
static void drain(child_io *io, int *fd, int is_out)
{
    uint8_t buf[8192];
    ssize_t r = read(*fd, buf, sizeof buf);

    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r <= 0) {
        close(*fd);
        *fd = -1;
        return;
    }
    if (is_out) {
        take_out(io, buf, (size_t)r);
    } else if (io->msglen < ERR_KEEP) {
        size_t k = (size_t)r < ERR_KEEP - io->msglen ? (size_t)r : ERR_KEEP - io->msglen;
        memcpy(io->msg + io->msglen, buf, k);
        io->msglen += k;
    }
}

/* Read both pipes to their ends; 1 when stop() asked to stop first. */
static int pump(child_io *io, int (*stop)(void *), void *ctx)
{
    while (io->out >= 0 || io->errfd >= 0) {
        struct pollfd p[2] = {{.fd = io->out, .events = POLLIN}, {.fd = io->errfd, .events = POLLIN}};
        int n = poll(p, 2, POLL_MS);

        if (stop != NULL && stop(ctx))
            return 1;
        if (n <= 0)
            continue;
        if (io->out >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            drain(io, &io->out, 1);
        if (io->errfd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            drain(io, &io->errfd, 0);
    }
    return 0;
}

static int reap(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

/* ": first line of its standard error", or "". */
static const char *why(child_io *io, char *buf, size_t n)
{
    size_t len;

    io->msg[io->msglen] = '\0';
    len = strcspn(io->msg, "\n");
    if (len == 0)
        return "";
    snprintf(buf, n, ": %.*s", (int)len, io->msg);
    return buf;
}

static ea_status verdict(child_io *io, int status, char *err, size_t errlen)
{
    char b[ERR_KEEP + 8];

    if (WIFSIGNALED(status))
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "restart process killed by signal %d%s",
                           WTERMSIG(status), why(io, b, sizeof b));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen,
                           "restart process failed (exit %d) after delivering %s%s",
                           WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                           io->k == io->cols ? "all its samples" : "too few samples",
                           why(io, b, sizeof b));
    if (io->k < io->cols || io->have != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "restart process delivered %zu of the %zu "
                           "samples asked for%s", io->k, io->cols, why(io, b, sizeof b));
    if (io->extra > 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "restart process delivered more than the "
                           "%zu samples asked for (%llu bytes more)", io->cols, io->extra);
    return EA_OK;
}

ea_status ea_restart_exec(char *const argv[], uint64_t *row, size_t cols,
                          int (*stop)(void *ctx), void *ctx, char *err, size_t errlen)
{
    child_io io;
    pid_t pid;
    int status = 0, stopped;
    ea_status st;

    memset(&io, 0, sizeof io);
    io.row = row;
    io.cols = cols;
    if ((st = spawn(argv, &pid, &io, err, errlen)) != EA_OK)
        return st;
    stopped = pump(&io, stop, ctx);
    if (stopped)
        kill(pid, SIGKILL);
    if (io.out >= 0)
        close(io.out);
    if (io.errfd >= 0)
        close(io.errfd);
    if (reap(pid, &status) != 0)
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot wait for the restart process: %s",
                           strerror(errno));
    if (stopped)
        return ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    return verdict(&io, status, err, errlen);
}
