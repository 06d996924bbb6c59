/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_outfile.c - the one output helper (collector/outfile.h): atomic
 * for regular files, in place for devices and FIFOs, never replacing
 * anything that is not a regular file; path joins never truncate.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"
#include "test_fs.h"

static ea_status write_string(const char *path, const char *s, char *err, size_t errlen)
{
    ea_ofile o;
    ea_status st = ea_ofile_begin(&o, path, 0, err, errlen);

    if (st != EA_OK)
        return st;
    if ((st = ea_ofile_write(&o, s, strlen(s), err, errlen)) != EA_OK) {
        ea_ofile_abort(&o);
        return st;
    }
    return ea_ofile_commit(&o, err, errlen);
}

static void slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t k;

    cr_assert_not_null(f, "%s", path);
    k = fread(buf, 1, n - 1, f);
    buf[k] = '\0';
    fclose(f);
}

Test(outfile, path_join_never_truncates)
{
    char buf[16], err[256];

    cr_assert_eq(ea_path_join(buf, sizeof buf, "dir", "name", err, sizeof err), EA_OK);
    cr_assert_str_eq(buf, "dir/name");
    cr_assert_eq(ea_path_join(buf, sizeof buf, "directory", "name.json", err, sizeof err),
                 EA_ERR_ARG);
    cr_assert_not_null(strstr(err, "path too long"), "%s", err);
    cr_assert_eq(ea_path_join(buf, 16, "directory", "12345", err, sizeof err), EA_OK);
    cr_assert_str_eq(buf, "directory/12345");
    cr_assert_eq(ea_path_join(buf, 16, "directory", "123456", err, sizeof err), EA_ERR_ARG);
}

Test(outfile, a_regular_file_is_replaced_atomically_with_the_usual_mode)
{
    char *d = tu_tmpdir("outfile"), path[256], buf[64], err[256];
    struct stat st;
    mode_t um = umask(022);

    snprintf(path, sizeof path, "%s/out.json", d);
    cr_assert_eq(write_string(path, "old\n", err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(write_string(path, "new\n", err, sizeof err), EA_OK, "%s", err);
    slurp(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "new\n");
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644);
    umask(um);
    tu_rmtree(d);
    free(d);
}

Test(outfile, an_abandoned_write_keeps_the_old_file)
{
    char *d = tu_tmpdir("outfile"), path[256], buf[64], err[256], cmd[300];
    ea_ofile o;

    snprintf(path, sizeof path, "%s/out.json", d);
    cr_assert_eq(write_string(path, "old\n", err, sizeof err), EA_OK);
    cr_assert_eq(ea_ofile_begin(&o, path, 0, err, sizeof err), EA_OK);
    cr_assert_eq(ea_ofile_write(&o, "half", 4, err, sizeof err), EA_OK);
    ea_ofile_abort(&o);
    slurp(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "old\n");
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = out.json", d);
    cr_assert_eq(system(cmd), 0, "no temporary left");
    tu_rmtree(d);
    free(d);
}

Test(outfile, a_character_device_is_written_in_place_never_replaced)
{
    char err[256];
    struct stat st;

    cr_assert_eq(write_string("/dev/null", "nothing\n", err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/null is still a character device");
}

Test(outfile, a_full_device_reports_the_write_error)
{
    char err[256];
    struct stat st;

    if (stat("/dev/full", &st) != 0)
        cr_skip_test("no /dev/full here");
    cr_assert_eq(write_string("/dev/full", "x", err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, strerror(ENOSPC)), "%s", err);
    cr_assert_eq(stat("/dev/full", &st), 0);
    cr_assert(S_ISCHR(st.st_mode));
}

Test(outfile, a_fifo_is_written_in_place)
{
    char *d = tu_tmpdir("outfile"), path[256], buf[64] = "", err[256];
    struct stat st;
    int fds[2];
    pid_t pid;

    snprintf(path, sizeof path, "%s/pipe", d);
    cr_assert_eq(mkfifo(path, 0600), 0);
    cr_assert_eq(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {   /* the reader */
        int fd = open(path, O_RDONLY);
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n > 0 && write(fds[1], buf, (size_t)n) != n)
            _exit(2);
        _exit(n == 6 ? 0 : 1);
    }
    close(fds[1]);
    cr_assert_eq(write_string(path, "hello\n", err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(read(fds[0], buf, sizeof buf - 1), 6);
    cr_assert_str_eq(buf, "hello\n");
    waitpid(pid, NULL, 0);
    close(fds[0]);
    cr_assert_eq(lstat(path, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "still a FIFO");
    tu_rmtree(d);
    free(d);
}

Test(outfile, a_directory_and_a_dangling_link_are_refused)
{
    char *d = tu_tmpdir("outfile"), link[256], err[256];

    cr_assert_eq(write_string(d, "x", err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "is a directory"), "%s", err);
    snprintf(link, sizeof link, "%s/dangling", d);
    cr_assert_eq(symlink("/nonexistent/target", link), 0);
    cr_assert_eq(write_string(link, "x", err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "symbolic link to nothing"), "%s", err);
    tu_rmtree(d);
    free(d);
}

Test(outfile, a_link_to_a_regular_file_replaces_the_target_and_keeps_the_link)
{
    char *d = tu_tmpdir("outfile"), target[256], link[256], buf[64], err[256];
    struct stat st;

    snprintf(target, sizeof target, "%s/target", d);
    snprintf(link, sizeof link, "%s/link", d);
    cr_assert_eq(write_string(target, "old\n", err, sizeof err), EA_OK);
    cr_assert_eq(symlink(target, link), 0);
    cr_assert_eq(write_string(link, "new\n", err, sizeof err), EA_OK, "%s", err);
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link stays a link");
    slurp(target, buf, sizeof buf);
    cr_assert_str_eq(buf, "new\n");
    tu_rmtree(d);
    free(d);
}

Test(outfile, collection_files_refuse_devices)
{
    ea_ofile o;
    char err[256];

    cr_assert_eq(ea_ofile_begin(&o, "/dev/null", EA_OFILE_REGULAR, err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "not a regular file"), "%s", err);
}

Test(outfile, a_missing_parent_says_cannot_create)
{
    char err[256];

    cr_assert_eq(write_string("/nonexistent/dir/out.json", "x", err, sizeof err), EA_ERR_IO);
    cr_assert_not_null(strstr(err, "cannot create '/nonexistent/dir/out.json'"), "%s", err);
}
