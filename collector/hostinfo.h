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
 *   "memlock": {"soft", "hard"}                      bytes or "unlimited"
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

#endif
