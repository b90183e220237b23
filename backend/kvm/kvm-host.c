// SPDX-License-Identifier: GPL-2.0-or-later
/* host.c: CPU and memory figures of the local machine. */
#include "config.h"

#include <unistd.h>

#include "backend/kvm/kvm-host.h"

unsigned host_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

uint64_t host_memory_mib(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || size <= 0)
		return 0;
	return (uint64_t)pages * (uint64_t)size / (1024 * 1024);
}
