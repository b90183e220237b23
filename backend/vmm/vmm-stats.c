/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-stats.c: gather the runner's counters, /proc figures and KVM's binary stats for STATS and INFO. */
#include "config.h"

#include "backend/vmm/vmm-stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

unsigned long long vmm_stats_proc_field(const char *path, int field)
{
	char buf[1024], *p, *save = NULL;
	unsigned long long v = 0;
	int at = 3;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* The command name may hold spaces and parentheses: count from the last ')'. */
	if (!p || !(p = strrchr(buf, ')')))
		return 0;
	for (p = strtok_r(p + 1, " ", &save); p; p = strtok_r(NULL, " ", &save), at++)
		if (at == field) {
			v = strtoull(p, NULL, 10);
			break;
		}
	return v;
}

/* guest_time (field 43 of /proc/<pid>/task/<tid>/stat) in nanoseconds. */
static unsigned long long vmm_stats_guest_ns(pid_t tid)
{
	char path[64];
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long v;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	v = vmm_stats_proc_field(path, 43);
	return hz > 0 ? v * (1000000000ull / (unsigned long long)hz) : 0;
}

static unsigned long long vmm_stats_rss(void)
{
	unsigned long long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * (unsigned long long)sysconf(_SC_PAGESIZE);
}

static void vmm_stats_vcpus(struct vmm_vm *vm, struct vmm_buf *b)
{
	struct vmm_vcpu_stats sum;
	unsigned i;

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < vm->cfg.vcpus; i++) {
		struct vmm_vcpu_stats *s = &vm->vcpus[i].stats;
		pid_t tid = __atomic_load_n(&vm->vcpus[i].tid, __ATOMIC_ACQUIRE);

		vmm_buf_printf(b, "vcpu%u.guest_ns %llu\nvcpu%u.exits %llu\n", i,
			       vmm_stats_guest_ns(tid), i, LOAD(s->exits));
		sum.io += LOAD(s->io);
		sum.mmio += LOAD(s->mmio);
		sum.hlt += LOAD(s->hlt);
		sum.other += LOAD(s->other);
		sum.unclaimed_io += LOAD(s->unclaimed_io);
	}
	vmm_buf_printf(b, "exits.io %llu\nexits.mmio %llu\nexits.hlt %llu\nexits.other %llu\n"
		       "exits.unclaimed_io %llu\n", sum.io, sum.mmio, sum.hlt, sum.other,
		       sum.unclaimed_io);
}

/* Every single-valued counter the VM's binary stats file offers, as kvm.<name>. */
static void vmm_stats_kvm(struct vmm_vm *vm, struct vmm_buf *b)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsz;
	uint32_t i;
	uint64_t v;
	char *descs;

	if (vm->stats_fd < 0 || pread(vm->stats_fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return;
	if (h.num_desc > 4096 || h.name_size > 1024)
		return;
	dsz = sizeof(*d) + h.name_size;
	descs = malloc(dsz * h.num_desc);
	if (!descs)
		return;
	if (pread(vm->stats_fd, descs, dsz * h.num_desc, h.desc_offset) == (ssize_t)(dsz * h.num_desc)) {
		for (i = 0; i < h.num_desc; i++) {
			d = (struct kvm_stats_desc *)(descs + i * dsz);
			d->name[h.name_size - 1] = '\0';
			if (d->size != 1 || pread(vm->stats_fd, &v, sizeof(v),
						  h.data_offset + d->offset) != (ssize_t)sizeof(v))
				continue;
			vmm_buf_printf(b, "kvm.%s %llu\n", d->name, (unsigned long long)v);
		}
	}
	free(descs);
}

void vmm_stats_write(struct vmm_vm *vm, struct vmm_buf *b)
{
	unsigned long long guest_rss = vmm_mem_resident(&vm->mem), rss = vmm_stats_rss();
	unsigned long long cpu_ns;
	struct rusage ru;

	vmm_buf_printf(b, "uptime_ns %llu\nvcpus %u\n", vmm_time_mono_ns() - vm->start_mono_ns,
		       vm->cfg.vcpus);
	vmm_stats_vcpus(vm, b);
	getrusage(RUSAGE_SELF, &ru);
	cpu_ns = ((unsigned long long)ru.ru_utime.tv_sec + (unsigned long long)ru.ru_stime.tv_sec) *
		 1000000000ull +
		 ((unsigned long long)ru.ru_utime.tv_usec + (unsigned long long)ru.ru_stime.tv_usec) * 1000ull;
	vmm_buf_printf(b, "mem.guest_bytes %llu\nmem.guest_rss_bytes %llu\nmem.vmm_rss_bytes %llu\n"
		       "cpu.vmm_ns %llu\n",
		       (unsigned long long)vm->mem.size, guest_rss,
		       rss > guest_rss ? rss - guest_rss : 0, cpu_ns);
	vmm_devs_stats(&vm->devs, b);
	vmm_stats_kvm(vm, b);
}

void vmm_stats_info(struct vmm_vm *vm, struct vmm_buf *b)
{
	unsigned ready;

	pthread_mutex_lock(&vm->lock);
	ready = vm->ready_count;
	pthread_mutex_unlock(&vm->lock);
	vmm_buf_kv(b, "name", vm->cfg.name);
	vmm_buf_kv(b, "uuid", vm->cfg.uuid);
	vmm_buf_printf(b, "pid %d\nvcpus %u\nmemory_mib %llu\n", (int)getpid(), vm->cfg.vcpus,
		       (unsigned long long)vm->cfg.mem_mib);
	vmm_buf_kv(b, "kernel", vm->cfg.kernel);
	vmm_buf_kv(b, "initrd", vm->cfg.initrd);
	vmm_buf_kv(b, "cmdline", vm->cfg.cmdline);
	vmm_buf_printf(b, "started %llu\nready %d\n", vm->start_real_ns / 1000000000ull, ready ? 1 : 0);
	vmm_devs_info(&vm->devs, b);
}
