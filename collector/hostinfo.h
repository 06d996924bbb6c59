/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostinfo.h - facts about the host a collection ran on, for manifest.json
 * and `ea90b probe`. Owned by collector/hostinfo.c.
 *
 * Everything comes from the machine itself (CPUID on x86-64, /proc, /sys,
 * uname, the scheduler and rlimits). A fact that cannot be read is null in
 * the object, never guessed. Nothing here prints or exits.
 *
 * The object (every key always present; values may be null):
 *   "hostname", "arch",
 *   "cpu": {"vendor", "model_name", "family", "model", "stepping",
 *           "microcode", "logical_cores", "physical_cores", "smt",
 *           "hypervisor_bit"},
 *   "cache": {"l1d", "l1i", "l2", "l3"}              bytes,
 *   "kernel": {"sysname", "release", "version"},
 *   "clocksource": {"current", "available"},
 *   "virtualization": {"detected", "cpuid_vendor", "dmi_sys_vendor",
 *                      "dmi_product_name"},
 *   "cgroup": {"version", "cpu_max", "quota_us", "period_us", "cpus_limit"},
 *   "affinity": {"count", "cpus"}                    cpus as a list "0-3,8",
 *   "memlock": {"soft", "hard"}                      bytes or "unlimited",
 *   "emulated"                     true: this program runs under an emulator
 *                                  (ea_host_emulated), false: natively, null: unknown
 * "kernel" also has "arch": the running kernel's machine (/proc/sys/kernel/arch),
 * which an emulator such as qemu-user does not rewrite as it does uname's.
 * docs/collector.md describes each field.
 */
#ifndef EA_COLLECTOR_HOSTINFO_H
#define EA_COLLECTOR_HOSTINFO_H

#include <jansson.h>

/* A new JSON object with the host facts above (caller owns the reference:
 * json_decref() it). NULL only when out of memory. */
json_t *ea_hostinfo(void);

/* Only the "affinity" part: {"count", "cpus"} of the calling thread now
 * (the collector records it before and after --cpu pins it). */
json_t *ea_hostinfo_affinity(void);

/* Does this program run under an emulator? 1 when the running kernel's
 * machine (/proc/sys/kernel/arch, which qemu-user passes through while it
 * rewrites uname's) is not the one this program was compiled for (an
 * aarch64 program on an x86_64 kernel), 0 when it is, -1 when unknown (no
 * /proc/sys/kernel/arch, or a build for another architecture). The kernel's
 * machine is copied to kernel_arch ("" when unknown). Timings measured
 * under an emulator are the emulator's, not a CPU's noise. */
int ea_host_emulated(char *kernel_arch, size_t len);

/* The machine this program was compiled for, as the kernel names it
 * ("x86_64", "aarch64"); NULL for an architecture not known here. */
const char *ea_host_built_arch(void);

#endif
