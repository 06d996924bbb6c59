/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spawn.c - one run of a program in a fresh process (collection.h): the
 * restart process of exec restarts (SP 800-90B §3.1.4: every restart
 * starts the noise source afresh; a new process is the closest a
 * user-space collector gets to a power cycle) and every run of an
 * external recorder (exec_source.c).
 *
 * The program is started without a shell (posix_spawn), in a process
 * group of its own, so that a stop or a timeout ends it and whatever it
 * started. Its standard output is read to its end (at most max_out bytes
 * are kept; more is flagged), its standard error's first 512 bytes are
 * kept so that a failure can say why. Both pipes are polled with a 50 ms
 * timeout, so the caller's stop test and the deadline are honoured even
 * when the program is silent.
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
#include <time.h>
#include <unistd.h>

#include "collection.h"

extern char **environ;

#define POLL_MS 50
#define ERR_KEEP 512

typedef struct {
    int out, errfd;     /* read ends; -1 once at EOF */
    char *buf;          /* standard output kept */
    size_t len, cap, max;
    int too_much;
    char msg[ERR_KEEP + 1];
    size_t msglen;
} child_io;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static ea_status pipes(int po[2], int pe[2], char *err, size_t errlen)
{
    if (pipe2(po, O_CLOEXEC) != 0)
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot create a pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]);
        close(po[1]);
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot create a pipe: %s", strerror(errno));
    }
    return EA_OK;
}

static ea_status spawn(const ea_run_req *req, pid_t *pid, child_io *io, char *err, size_t errlen)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int po[2], pe[2], rc;
    ea_status st = pipes(po, pe, err, errlen);

    if (st != EA_OK)
        return st;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    rc = posix_spawn(pid, req->argv[0], &fa, &at, req->argv, req->envp ? req->envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(po[1]);
    close(pe[1]);
    io->out = po[0];
    io->errfd = pe[0];
    if (rc != 0) {
        close(po[0]);
        close(pe[0]);
        io->out = io->errfd = -1;
        return ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot start '%s': %s", req->argv[0],
                           strerror(rc));
    }
    return EA_OK;
}

/* Keep n bytes of standard output (up to max; beyond it only the fact). */
static int keep(child_io *io, const char *b, size_t n)
{
    size_t room = io->max - io->len;

    if (n > room) {
        io->too_much = 1;
        n = room;
    }
    if (io->len + n + 1 > io->cap) {
        size_t cap = io->cap ? io->cap : 65536;
        char *p;
        while (cap < io->len + n + 1)
            cap *= 2;
        if ((p = realloc(io->buf, cap)) == NULL)
            return -1;
        io->buf = p;
        io->cap = cap;
    }
    memcpy(io->buf + io->len, b, n);
    io->len += n;
    io->buf[io->len] = '\0';
    return 0;
}

/* One read from a ready pipe; its descriptor is closed at EOF. -1: out of memory. */
static int drain(child_io *io, int *fd, int is_out)
{
    char buf[65536];
    ssize_t r = read(*fd, buf, sizeof buf);

    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (r <= 0) {
        close(*fd);
        *fd = -1;
        return 0;
    }
    if (is_out)
        return keep(io, buf, (size_t)r);
    if (io->msglen < ERR_KEEP) {
        size_t k = (size_t)r < ERR_KEEP - io->msglen ? (size_t)r : ERR_KEEP - io->msglen;
        memcpy(io->msg + io->msglen, buf, k);
        io->msglen += k;
    }
    return 0;
}

enum { PUMP_EOF = 0, PUMP_STOP, PUMP_TIMEOUT, PUMP_NOMEM };

/* Read both pipes to their ends, unless stopped, timed out or out of memory. */
static int pump(child_io *io, const ea_run_req *req, double deadline)
{
    while (io->out >= 0 || io->errfd >= 0) {
        struct pollfd p[2] = {{.fd = io->out, .events = POLLIN},
                              {.fd = io->errfd, .events = POLLIN}};
        int n = poll(p, 2, POLL_MS);

        if (req->stop != NULL && req->stop(req->ctx))
            return PUMP_STOP;
        if (deadline > 0 && now_s() >= deadline)
            return PUMP_TIMEOUT;
        if (n <= 0)
            continue;
        if (io->out >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
            drain(io, &io->out, 1) != 0)
            return PUMP_NOMEM;
        if (io->errfd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            drain(io, &io->errfd, 0);
    }
    return PUMP_EOF;
}

static int reap(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static void close_io(child_io *io)
{
    if (io->out >= 0)
        close(io->out);
    if (io->errfd >= 0)
        close(io->errfd);
    io->out = io->errfd = -1;
}

/* The first line of what it wrote to standard error. */
static void first_line(child_io *io, char *out, size_t n)
{
    size_t len;

    io->msg[io->msglen] = '\0';
    len = strcspn(io->msg, "\r\n");
    snprintf(out, n, "%.*s", (int)len, io->msg);
}

ea_status ea_run_program(const ea_run_req *req, ea_run_out *out, char *err, size_t errlen)
{
    child_io io = {.out = -1, .errfd = -1, .max = req->max_out};
    double t0 = now_s();
    int status = 0, how;
    pid_t pid;
    ea_status st;

    memset(out, 0, sizeof(*out));
    if ((st = spawn(req, &pid, &io, err, errlen)) != EA_OK)
        return st;
    how = pump(&io, req, req->timeout > 0 ? t0 + req->timeout : 0);
    if (how != PUMP_EOF)
        kill(-pid, SIGKILL);   /* the whole group: a script's children too */
    close_io(&io);
    if (reap(pid, &status) != 0)
        st = ea_col_fail(EA_ERR_SYSTEM, err, errlen, "cannot wait for '%s': %s", req->argv[0],
                         strerror(errno));
    out->seconds = now_s() - t0;
    out->out = io.buf;
    out->out_len = io.len;
    out->too_much = io.too_much;
    out->timed_out = how == PUMP_TIMEOUT;
    out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    first_line(&io, out->errline, sizeof out->errline);
    if (st == EA_OK && how == PUMP_STOP)
        st = ea_col_fail(EA_ERR_INTERRUPTED, err, errlen, "interrupted");
    if (st == EA_OK && how == PUMP_NOMEM)
        st = ea_col_fail(EA_ERR_NOMEM, err, errlen, "out of memory reading '%s'", req->argv[0]);
    return st;
}

void ea_run_out_free(ea_run_out *o)
{
    free(o->out);
    o->out = NULL;
}

/* ------------------------------------------------------------ exec restarts */

/* ": its first line of standard error", or "". */
static const char *why(const ea_run_out *o, char *buf, size_t n)
{
    if (o->errline[0] == '\0')
        return "";
    snprintf(buf, n, ": %s", o->errline);
    return buf;
}

static ea_status verdict(const ea_run_out *o, size_t cols, char *err, size_t errlen)
{
    size_t got = o->out_len / 8;
    char b[ERR_KEEP + 8];

    if (o->signal != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "restart process killed by signal %d%s",
                           o->signal, why(o, b, sizeof b));
    if (o->exit_code != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen,
                           "restart process failed (exit %d) after delivering %s%s",
                           o->exit_code, got >= cols ? "all its samples" : "too few samples",
                           why(o, b, sizeof b));
    if (o->too_much)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "restart process delivered more than the "
                           "%zu samples asked for", cols);
    if (got < cols || o->out_len % 8 != 0)
        return ea_col_fail(EA_ERR_RESTART, err, errlen, "restart process delivered %zu of the %zu "
                           "samples asked for%s", got, cols, why(o, b, sizeof b));
    return EA_OK;
}

ea_status ea_restart_exec(char *const argv[], uint64_t *row, size_t cols,
                          int (*stop)(void *ctx), void *ctx, char *err, size_t errlen)
{
    ea_run_req req = {.argv = argv, .max_out = cols * 8, .stop = stop, .ctx = ctx};
    ea_run_out o;
    ea_status st = ea_run_program(&req, &o, err, errlen);

    if (st == EA_OK && (st = verdict(&o, cols, err, errlen)) == EA_OK)
        for (size_t i = 0; i < cols; i++) {
            uint64_t v = 0;
            for (int b = 7; b >= 0; b--)
                v = (v << 8) | (uint8_t)o.out[8 * i + (size_t)b];
            row[i] = v;
        }
    ea_run_out_free(&o);
    return st;
}
