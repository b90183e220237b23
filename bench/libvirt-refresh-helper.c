// SPDX-License-Identifier: GPL-2.0-or-later
/* libvirt-refresh-helper.c: times vmtui's full refresh (list + states + stats) on one libvirt connection and counts its libvirt calls. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/*
 * usage: libvirt-refresh-helper URI REFRESHES LOGFILE
 * Prints one line per refresh: "refresh I domains N running R ms T calls C".
 * The calls are what the backend's own counter logs at debug level, read
 * back from LOGFILE: the same figures `vmtui -v` writes.
 */

/* Sum the "took N libvirt calls" lines the log gained since *pos. */
static unsigned long helper_calls_since(const char *path, long *pos)
{
	FILE *f = fopen(path, "r");
	unsigned long sum = 0;
	char line[1024];

	if (!f)
		return 0;
	fseek(f, *pos, SEEK_SET);
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, " took ");
		unsigned long n;

		if (p && sscanf(p, " took %lu libvirt calls", &n) == 1)
			sum += n;
	}
	*pos = ftell(f);
	fclose(f);
	return sum;
}

static int helper_refresh(struct backend *be, size_t *n, size_t *running,
			  struct vmt_error *err)
{
	struct vm_info *infos;
	struct vm_stats *stats;
	int r = backend_list(be, &infos, n, err);

	if (r < 0)
		return r;
	vm_info_list_free(infos, *n);
	r = backend_stats(be, &stats, running, err);
	free(stats);
	return r;
}

int main(int argc, char **argv)
{
	struct vmt_error err;
	struct backend *be;
	unsigned refreshes;
	long pos = 0;

	if (argc != 4 || parse_uint(argv[2], &refreshes) < 0) {
		fprintf(stderr, "usage: %s URI REFRESHES LOGFILE\n", argv[0]);
		return 2;
	}
	if (log_open(argv[3], LOG_LEVEL_DEBUG, &err) < 0 ||
	    backend_open(argv[1], NULL, NULL, NULL, &be, &err) < 0) {
		fprintf(stderr, "libvirt-refresh-helper: %s\n", err.msg);
		return 1;
	}
	helper_calls_since(argv[3], &pos);
	for (unsigned i = 1; i <= refreshes; i++) {
		size_t n = 0, running = 0;
		uint64_t t0 = time_mono_ns();

		if (helper_refresh(be, &n, &running, &err) < 0) {
			fprintf(stderr, "libvirt-refresh-helper: %s\n", err.msg);
			backend_close(be);
			return 1;
		}
		printf("refresh %u domains %zu running %zu ms %.3f calls %lu\n", i, n, running,
		       (double)(time_mono_ns() - t0) / 1e6, helper_calls_since(argv[3], &pos));
		fflush(stdout);
	}
	backend_close(be);
	log_close();
	return 0;
}
