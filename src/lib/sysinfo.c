// SPDX-License-Identifier: GPL-2.0-or-later
/* sysinfo.c: the machine's CPU time and memory in use, from /proc/stat and /proc/meminfo. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "src/lib/sysinfo.h"
#include "src/lib/util.h"

int sys_cpu_times(uint64_t *busy_ns, uint64_t *total_ns)
{
	unsigned long long v[8] = { 0 }, total = 0;
	long hz = sysconf(_SC_CLK_TCK);
	char *text = NULL;
	int r = -EIO;

	if (file_read_all("/proc/stat", 1 << 20, &text, NULL, NULL) == 0 &&
	    sscanf(text, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (int i = 0; i < 8; i++)
			total += v[i];
		/* Clock ticks; idle and iowait are the CPU waiting. */
		hz = hz > 0 ? hz : 100;
		*total_ns = total * (1000000000ull / (unsigned long long)hz);
		*busy_ns = (total - v[3] - v[4]) * (1000000000ull / (unsigned long long)hz);
		r = 0;
	}
	free(text);
	return r;
}

int sys_memory(uint64_t *total, uint64_t *used)
{
	unsigned long long kib, total_kib = 0, avail_kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			total_kib = kib;
		else if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			avail_kib = kib;
	}
	fclose(f);
	if (!total_kib)
		return -EIO;
	*total = total_kib << 10;
	*used = (total_kib - (avail_kib < total_kib ? avail_kib : total_kib)) << 10;
	return 0;
}
