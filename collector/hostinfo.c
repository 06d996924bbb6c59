/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostinfo.c - host facts for manifest.json and `ea90b probe`.
 *
 * SP 800-90B §3.2.1 (requirement 4) and §3.2.4 ask the submitter to
 * document the conditions under which raw noise was collected; a lab can
 * only trust data whose platform is recorded. Each fact is read from the
 * machine (CPUID, /proc, /sys, uname, sched_getaffinity, getrlimit); a
 * fact that cannot be read is JSON null, never a guess.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define EA_HAVE_CPUID 1
#endif

#include "hostinfo.h"

#define SYSCPU "/sys/devices/system/cpu"

/* First line of a small file, trailing whitespace removed; 0 or -1. */
static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n;

    if (f == NULL)
        return -1;
    if (fgets(buf, (int)len, f) == NULL) {
        fclose(f);
        return -1;
    }
    fclose(f);
    n = strlen(buf);
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    return 0;
}

static json_t *str_or_null(const char *s)
{
    return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static json_t *file_string(const char *path)
{
    char buf[512];

    return read_line(path, buf, sizeof buf) == 0 ? str_or_null(buf) : json_null();
}

/* Value of the first "key : value" line of /proc/cpuinfo, or "" when absent. */
static void cpuinfo_field(const char *key, char *out, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[1024];
    size_t kl = strlen(key);

    out[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':'), *v;
        size_t n;

        if (strncmp(line, key, kl) != 0 || colon == NULL)
            continue;
        for (n = kl; line + n < colon && isspace((unsigned char)line[n]); n++)
            ;
        if (line + n != colon)
            continue;
        for (v = colon + 1; isspace((unsigned char)*v); v++)
            ;
        snprintf(out, len, "%s", v);
        n = strlen(out);
        while (n > 0 && isspace((unsigned char)out[n - 1]))
            out[--n] = '\0';
        break;
    }
    fclose(f);
}

static json_t *cpuinfo_string(const char *key)
{
    char v[256];

    cpuinfo_field(key, v, sizeof v);
    return str_or_null(v);
}

static json_t *cpuinfo_int(const char *key)
{
    char v[64], *end;
    long x;

    cpuinfo_field(key, v, sizeof v);
    if (v[0] == '\0')
        return json_null();
    x = strtol(v, &end, 0);
    return *end == '\0' ? json_integer(x) : json_null();
}

/* ------------------------------------------------------------ CPUID */
#ifdef EA_HAVE_CPUID
typedef struct {
    char vendor[13];
    char brand[49];
    int family, model, stepping;
    int hypervisor;
    char hv_vendor[13];
} cpuid_facts;

static void regs_to_chars(unsigned a, unsigned b, unsigned c, char *out)
{
    memcpy(out, &a, 4);
    memcpy(out + 4, &b, 4);
    memcpy(out + 8, &c, 4);
    out[12] = '\0';
}

static void cpuid_brand(cpuid_facts *c)
{
    unsigned a, b, d, e, r[12];

    if (__get_cpuid(0x80000000u, &a, &b, &d, &e) == 0 || a < 0x80000004u)
        return;
    for (unsigned i = 0; i < 3; i++)
        __get_cpuid(0x80000002u + i, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
    memcpy(c->brand, r, 48);
    c->brand[48] = '\0';
}

static int cpuid_read(cpuid_facts *c)
{
    unsigned a, b, cx, d, base_fam, ext_fam, base_model, ext_model;

    memset(c, 0, sizeof(*c));
    if (__get_cpuid(0, &a, &b, &cx, &d) == 0)
        return -1;
    regs_to_chars(b, d, cx, c->vendor);
    if (__get_cpuid(1, &a, &b, &cx, &d) == 0)
        return -1;
    base_fam = (a >> 8) & 0xF;
    ext_fam = (a >> 20) & 0xFF;
    base_model = (a >> 4) & 0xF;
    ext_model = (a >> 16) & 0xF;
    c->family = (int)(base_fam == 0xF ? base_fam + ext_fam : base_fam);
    c->model = (int)(base_fam == 0x6 || base_fam == 0xF ? (ext_model << 4) | base_model : base_model);
    c->stepping = (int)(a & 0xF);
    c->hypervisor = (int)((cx >> 31) & 1u);
    if (c->hypervisor) {
        __cpuid(0x40000000u, a, b, cx, d);
        regs_to_chars(b, cx, d, c->hv_vendor);
    }
    cpuid_brand(c);
    return 0;
}
#endif

/* ------------------------------------------------------------ topology */

static int count_cpus_list(const char *list)
{
    int count = 0;
    const char *p = list;

    while (*p) {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;

        if (end == p)
            return -1;
        if (*end == '-') {
            p = end + 1;
            hi = strtol(p, &end, 10);
            if (end == p || hi < lo)
                return -1;
        }
        count += (int)(hi - lo + 1);
        p = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0')
            return -1;
    }
    return count;
}

static json_t *logical_cores(void)
{
    char buf[1024];
    int n;

    if (read_line(SYSCPU "/online", buf, sizeof buf) == 0 && (n = count_cpus_list(buf)) > 0)
        return json_integer(n);
    return json_null();
}

/* Distinct (package, core) pairs over the online CPUs. */
static json_t *physical_cores(void)
{
    enum { MAXCPU = 4096 };
    static const char *fmt = SYSCPU "/cpu%d/topology/%s";
    long *keys = malloc(MAXCPU * sizeof(long));
    int nk = 0, misses = 0;
    char path[256], buf[64];

    if (keys == NULL)
        return json_null();
    for (int cpu = 0; cpu < MAXCPU && misses < 64; cpu++) {
        long pkg, core, key;
        int seen = 0;

        snprintf(path, sizeof path, fmt, cpu, "core_id");
        if (read_line(path, buf, sizeof buf) != 0) {
            misses++;
            continue;
        }
        core = strtol(buf, NULL, 10);
        snprintf(path, sizeof path, fmt, cpu, "physical_package_id");
        pkg = read_line(path, buf, sizeof buf) == 0 ? strtol(buf, NULL, 10) : 0;
        key = pkg * 1000000L + core;
        for (int i = 0; i < nk && !seen; i++)
            seen = keys[i] == key;
        if (!seen)
            keys[nk++] = key;
    }
    free(keys);
    return nk > 0 ? json_integer(nk) : json_null();
}

static json_t *smt_active(json_t *logical, json_t *physical)
{
    char buf[16];

    if (read_line(SYSCPU "/smt/active", buf, sizeof buf) == 0 && (buf[0] == '0' || buf[0] == '1'))
        return json_boolean(buf[0] == '1');
    if (json_is_integer(logical) && json_is_integer(physical))
        return json_boolean(json_integer_value(logical) > json_integer_value(physical));
    return json_null();
}

/* "32K", "1024K", "8M" -> bytes. */
static long long parse_size(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    if (end == s || v < 0)
        return -1;
    if (*end == 'K')
        v *= 1024;
    else if (*end == 'M')
        v *= 1024 * 1024;
    else if (*end == 'G')
        v *= 1024LL * 1024 * 1024;
    return v;
}

static json_t *cache_sizes(void)
{
    json_t *c = json_pack("{s:n,s:n,s:n,s:n}", "l1d", "l1i", "l2", "l3");
    char path[256], level[16], type[32], size[32];

    for (int i = 0; c != NULL && i < 16; i++) {
        const char *key = NULL;
        long long bytes;

#define CACHE_FILE(name, buf)                                                           \
    (snprintf(path, sizeof path, SYSCPU "/cpu0/cache/index%d/" name, i),               \
     read_line(path, buf, sizeof buf))
        if (CACHE_FILE("level", level) != 0 || CACHE_FILE("type", type) != 0 ||
            CACHE_FILE("size", size) != 0)
            continue;
#undef CACHE_FILE
        if (strcmp(level, "1") == 0)
            key = strcmp(type, "Data") == 0 ? "l1d" : strcmp(type, "Instruction") == 0 ? "l1i" : NULL;
        else if (strcmp(level, "2") == 0)
            key = "l2";
        else if (strcmp(level, "3") == 0)
            key = "l3";
        if (key != NULL && (bytes = parse_size(size)) > 0)
            json_object_set_new(c, key, json_integer(bytes));
    }
    return c;
}

/* ------------------------------------------------------------ parts */

static json_t *cpu_facts(void)
{
    json_t *logical = logical_cores(), *physical = physical_cores();
    json_t *cpu = json_object();

    json_object_set_new(cpu, "vendor", cpuinfo_string("vendor_id"));
    json_object_set_new(cpu, "model_name", cpuinfo_string("model name"));
    json_object_set_new(cpu, "family", cpuinfo_int("cpu family"));
    json_object_set_new(cpu, "model", cpuinfo_int("model"));
    json_object_set_new(cpu, "stepping", cpuinfo_int("stepping"));
    json_object_set_new(cpu, "microcode", cpuinfo_string("microcode"));
    json_object_set_new(cpu, "hypervisor_bit", json_null());
#ifdef EA_HAVE_CPUID
    {
        cpuid_facts c;

        if (cpuid_read(&c) == 0) {
            const char *b = c.brand;

            while (*b == ' ')
                b++;
            json_object_set_new(cpu, "vendor", str_or_null(c.vendor));
            if (*b)
                json_object_set_new(cpu, "model_name", json_string(b));
            json_object_set_new(cpu, "family", json_integer(c.family));
            json_object_set_new(cpu, "model", json_integer(c.model));
            json_object_set_new(cpu, "stepping", json_integer(c.stepping));
            json_object_set_new(cpu, "hypervisor_bit", json_boolean(c.hypervisor));
        }
    }
#else
    if (json_is_null(json_object_get(cpu, "vendor")))
        json_object_set_new(cpu, "vendor", cpuinfo_string("CPU implementer"));
    if (json_is_null(json_object_get(cpu, "model")))
        json_object_set_new(cpu, "model", cpuinfo_int("CPU part"));
    if (json_is_null(json_object_get(cpu, "stepping")))
        json_object_set_new(cpu, "stepping", cpuinfo_int("CPU revision"));
#endif
    json_object_set_new(cpu, "smt", smt_active(logical, physical));
    json_object_set_new(cpu, "logical_cores", logical);
    json_object_set_new(cpu, "physical_cores", physical);
    return cpu;
}

#ifdef EA_HAVE_CPUID
static const char *hv_name(const char *id)
{
    static const struct { const char *id, *name; } known[] = {
        {"KVMKVMKVM", "kvm"},       {"Microsoft Hv", "hyperv"}, {"VMwareVMware", "vmware"},
        {"XenVMMXenVMM", "xen"},    {"TCGTCGTCGTCG", "qemu"},   {" lrpepyh  vr", "parallels"},
        {"ACRNACRNACRN", "acrn"},   {"bhyve bhyve ", "bhyve"},  {"QNXQVMBSQG", "qnx"},
        {"VBoxVBoxVBox", "virtualbox"}, {"Linux KVM Hv", "kvm"},
    };

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strncmp(id, known[i].id, strlen(known[i].id)) == 0)
            return known[i].name;
    return "other";
}
#endif

static const char *dmi_vm_name(const char *vendor, const char *product)
{
    static const struct { const char *needle, *name; } known[] = {
        {"Amazon EC2", "amazon"}, {"QEMU", "qemu"},     {"KVM", "kvm"},
        {"VMware", "vmware"},     {"Xen", "xen"},       {"innotek", "virtualbox"},
        {"Google", "google"},     {"Microsoft Corporation", "hyperv"},
        {"Parallels", "parallels"}, {"OpenStack", "openstack"}, {"Bochs", "bochs"},
    };

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strstr(vendor, known[i].needle) != NULL || strstr(product, known[i].needle) != NULL)
            return known[i].name;
    return NULL;
}

static json_t *virt_facts(void)
{
    json_t *v = json_object();
    char vendor[256] = "", product[256] = "";
    const char *detected = NULL;
    int dmi = read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof vendor) == 0;

    dmi |= read_line("/sys/class/dmi/id/product_name", product, sizeof product) == 0;
    json_object_set_new(v, "cpuid_vendor", json_null());
#ifdef EA_HAVE_CPUID
    {
        cpuid_facts c;

        if (cpuid_read(&c) == 0) {
            if (c.hypervisor) {
                json_object_set_new(v, "cpuid_vendor", json_string(c.hv_vendor));
                detected = hv_name(c.hv_vendor);
            } else {
                detected = "none";
            }
        }
    }
#endif
    if (dmi && (detected == NULL || strcmp(detected, "none") == 0 || strcmp(detected, "other") == 0)) {
        const char *d = dmi_vm_name(vendor, product);
        if (d != NULL)
            detected = d;
        else if (detected == NULL)
            detected = "none";
    }
    json_object_set_new(v, "detected", str_or_null(detected));
    json_object_set_new(v, "dmi_sys_vendor", str_or_null(vendor));
    json_object_set_new(v, "dmi_product_name", str_or_null(product));
    return v;
}

/* The cgroup v2 path of this process ("0::/path"), or "" when unknown. */
static void cgroup_path(char *out, size_t len)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[1024];

    out[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "0::", 3) == 0) {
            size_t n;
            snprintf(out, len, "%s", line + 3);
            n = strlen(out);
            while (n > 0 && isspace((unsigned char)out[n - 1]))
                out[--n] = '\0';
            break;
        }
    fclose(f);
}

static int read_cpu_max(char *buf, size_t len)
{
    char path[1200], cg[1024];

    cgroup_path(cg, sizeof cg);
    if (cg[0] != '\0' && strcmp(cg, "/") != 0) {
        snprintf(path, sizeof path, "/sys/fs/cgroup%s/cpu.max", cg);
        if (read_line(path, buf, len) == 0)
            return 0;
    }
    return read_line("/sys/fs/cgroup/cpu.max", buf, len);
}

static json_t *cgroup_facts(void)
{
    json_t *g = json_pack("{s:n,s:n,s:n,s:n,s:n}", "version", "cpu_max", "quota_us", "period_us",
                          "cpus_limit");
    char buf[128], q[64];
    long long period;

    if (g == NULL)
        return NULL;
    if (read_cpu_max(buf, sizeof buf) == 0) {               /* v2: "max 100000" or "Q P" */
        json_object_set_new(g, "version", json_integer(2));
        json_object_set_new(g, "cpu_max", json_string(buf));
        if (sscanf(buf, "%63s %lld", q, &period) == 2 && period > 0) {
            json_object_set_new(g, "period_us", json_integer(period));
            if (strcmp(q, "max") == 0) {
                json_object_set_new(g, "quota_us", json_string("max"));
            } else {
                long long quota = strtoll(q, NULL, 10);
                json_object_set_new(g, "quota_us", json_integer(quota));
                json_object_set_new(g, "cpus_limit", json_real((double)quota / (double)period));
            }
        }
    } else if (read_line("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", q, sizeof q) == 0 &&
               read_line("/sys/fs/cgroup/cpu/cpu.cfs_period_us", buf, sizeof buf) == 0) {
        long long quota = strtoll(q, NULL, 10);                 /* v1: -1 = no limit */
        period = strtoll(buf, NULL, 10);
        json_object_set_new(g, "version", json_integer(1));
        json_object_set_new(g, "period_us", json_integer(period));
        json_object_set_new(g, "quota_us", quota < 0 ? json_string("max") : json_integer(quota));
        if (quota > 0 && period > 0)
            json_object_set_new(g, "cpus_limit", json_real((double)quota / (double)period));
    }
    return g;
}

static void append_range(char *out, size_t len, int lo, int hi)
{
    size_t n = strlen(out);

    if (n + 24 >= len)
        return;
    if (lo == hi)
        snprintf(out + n, len - n, "%s%d", n ? "," : "", lo);
    else
        snprintf(out + n, len - n, "%s%d-%d", n ? "," : "", lo, hi);
}

static json_t *affinity_facts(void)
{
    cpu_set_t set;
    char list[2048] = "";
    int lo = -1, prev = -1;

    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return json_pack("{s:n,s:n}", "count", "cpus");
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET((size_t)c, &set))
            continue;
        if (lo >= 0 && c != prev + 1) {
            append_range(list, sizeof list, lo, prev);
            lo = -1;
        }
        if (lo < 0)
            lo = c;
        prev = c;
    }
    if (lo >= 0)
        append_range(list, sizeof list, lo, prev);
    return json_pack("{s:i,s:s}", "count", CPU_COUNT(&set), "cpus", list);
}

json_t *ea_hostinfo_affinity(void)
{
    return affinity_facts();
}

const char *ea_host_built_arch(void)
{
#if defined(__x86_64__)
    return "x86_64";
#elif defined(__aarch64__) && defined(__AARCH64EB__)
    return "aarch64_be";
#elif defined(__aarch64__)
    return "aarch64";
#else
    return NULL;
#endif
}

int ea_host_emulated(char *kernel_arch, size_t len)
{
    char k[64];
    const char *b = ea_host_built_arch();

    if (len > 0)
        kernel_arch[0] = '\0';
    if (read_line("/proc/sys/kernel/arch", k, sizeof k) != 0 || k[0] == '\0')
        return -1;
    if (len > 0)
        snprintf(kernel_arch, len, "%s", k);
    return b == NULL ? -1 : strcmp(k, b) != 0;
}

static json_t *rlim_json(rlim_t v)
{
    return v == RLIM_INFINITY ? json_string("unlimited") : json_integer((json_int_t)v);
}

static json_t *memlock_facts(void)
{
    struct rlimit r;

    if (getrlimit(RLIMIT_MEMLOCK, &r) != 0)
        return json_pack("{s:n,s:n}", "soft", "hard");
    return json_pack("{s:o,s:o}", "soft", rlim_json(r.rlim_cur), "hard", rlim_json(r.rlim_max));
}

json_t *ea_hostinfo(void)
{
    json_t *h = json_object();
    struct utsname u;
    char name[256], karch[64];
    int have_uname = uname(&u) == 0, emulated = ea_host_emulated(karch, sizeof karch);

    if (h == NULL)
        return NULL;
    json_object_set_new(h, "hostname",
                        gethostname(name, sizeof name) == 0 ? (name[sizeof name - 1] = '\0', str_or_null(name))
                                                            : json_null());
    json_object_set_new(h, "arch", have_uname ? json_string(u.machine) : json_null());
    json_object_set_new(h, "cpu", cpu_facts());
    json_object_set_new(h, "cache", cache_sizes());
    json_object_set_new(h, "kernel",
                        have_uname ? json_pack("{s:s,s:s,s:s}", "sysname", u.sysname, "release",
                                               u.release, "version", u.version)
                                   : json_pack("{s:n,s:n,s:n}", "sysname", "release", "version"));
    json_object_set_new(json_object_get(h, "kernel"), "arch", str_or_null(karch));
    json_object_set_new(h, "clocksource",
                        json_pack("{s:o,s:o}", "current",
                                  file_string("/sys/devices/system/clocksource/clocksource0/current_clocksource"),
                                  "available",
                                  file_string("/sys/devices/system/clocksource/clocksource0/available_clocksource")));
    json_object_set_new(h, "virtualization", virt_facts());
    json_object_set_new(h, "cgroup", cgroup_facts());
    json_object_set_new(h, "affinity", affinity_facts());
    json_object_set_new(h, "memlock", memlock_facts());
    json_object_set_new(h, "emulated", emulated < 0 ? json_null() : json_boolean(emulated));
    return h;
}
