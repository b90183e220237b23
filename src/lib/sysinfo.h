/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysinfo.h: the load of the machine vmtui runs on, from /proc: CPU time and memory in use. */
#ifndef VMTUI_SYSINFO_H
#define VMTUI_SYSINFO_H

#include <stdint.h>

/* CPU time of every CPU since boot, busy and in all, in ns: two samples give the load. */
int sys_cpu_times(uint64_t *busy_ns, uint64_t *total_ns);
/* Physical memory and what is in use (total less what is available), in bytes. */
int sys_memory(uint64_t *total, uint64_t *used);

#endif
