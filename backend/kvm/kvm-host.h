/* SPDX-License-Identifier: GPL-2.0-or-later */
/* host.h: facts about the machine vmtui runs on. */
#ifndef VMTUI_HOST_H
#define VMTUI_HOST_H

#include <stdint.h>

/* Online CPUs (at least 1). */
unsigned host_cpu_count(void);
/* Physical memory in MiB. */
uint64_t host_memory_mib(void);

#endif
