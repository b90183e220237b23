/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-snapshot.c: a paused VM into a snapshot file, and a new VM back out of one. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"
#include "backend/vmm/vmm-snap.h"
#include "backend/vmm/x86/vmm-state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a restore must match: a snapshot only fits a VM made by the same command line. */
static void vmm_snapshot_machine(struct vmm_vm *vm, char *buf, size_t len)
{
	char devs[VMM_SNAP_MACHINE - 64];

	vmm_devs_names(&vm->devs, devs, sizeof(devs));
	snprintf(buf, len, "vcpus=%u memory_mib=%llu devices=%s", vm->cfg.vcpus,
		 (unsigned long long)vm->cfg.mem_mib, devs);
}

static int vmm_snapshot_fill(struct vmm_vm *vm, struct vmm_snap_out *o, int fd, struct vmt_error *err)
{
	char machine[VMM_SNAP_MACHINE];
	int rc = vmm_state_save(vm, o, err);

	if (rc == 0)
		rc = vmm_devs_save(&vm->devs, o, err);
	vmm_snapshot_machine(vm, machine, sizeof(machine));
	if (rc == 0)
		rc = vmm_snap_write(fd, machine, o, vm->mem.host, vm->mem.size, err);
	return rc;
}

int vmm_vm_snapshot(struct vmm_vm *vm, const char *path, struct vmt_error *err)
{
	unsigned long long t0 = vmm_time_mono_ns();
	struct vmm_snap_out o;
	struct vmt_error again;
	int fd, rc;

	if (vmm_vm_state(vm, NULL) != VMM_STATE_PAUSED)
		return vmt_error_set(err, -EBUSY, "pause the VM before taking a snapshot");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return vmt_error_set(err, -errno, "cannot create %s: %s", path, strerror(errno));
	/* The devices' threads stop first, so that every request they took is finished. */
	vmm_devs_stop(&vm->devs);
	vmm_snap_out_init(&o);
	rc = vmm_snapshot_fill(vm, &o, fd, err);
	vmm_snap_out_done(&o);
	close(fd);
	if (rc)
		unlink(path);
	if (vmm_devs_start(&vm->devs, &again) < 0) {
		vmm_vm_end(vm, VMM_END_ERROR, "after a snapshot: %s", again.msg);
		return rc ? rc : vmt_error_set(err, again.code, "%s", again.msg);
	}
	if (rc == 0)
		vmm_info("snapshot written to %s in %.3f ms", path, (double)(vmm_time_mono_ns() - t0) / 1e6);
	return rc;
}

static int vmm_snapshot_load(struct vmm_vm *vm, int fd, const char *path, struct vmt_error *err)
{
	char machine[VMM_SNAP_MACHINE];
	struct vmm_snap_in in;
	struct stat st;
	int rc;

	if (fstat(fd, &st) < 0)
		return vmt_error_set(err, -errno, "%s: %s", path, strerror(errno));
	rc = vmm_snap_parse(fd, (uint64_t)st.st_size, &in, err);
	if (rc)
		return rc;
	vmm_snapshot_machine(vm, machine, sizeof(machine));
	if (strcmp(machine, in.machine) != 0)
		rc = vmt_error_set(err, -EINVAL, "the snapshot is of another machine (%s); this one is %s",
				   in.machine, machine);
	else if (in.mem_len != vm->mem.size)
		rc = vmt_error_set(err, -EINVAL, "the snapshot holds %llu bytes of memory; this VM has %llu",
				   (unsigned long long)in.mem_len, (unsigned long long)vm->mem.size);
	/* Memory first: the devices' queues point into it; the devices last, see vmm_virtio_restore. */
	if (rc == 0)
		rc = vmm_mem_map_file(&vm->mem, fd, in.mem_off, err);
	if (rc == 0)
		rc = vmm_state_restore(vm, &in, err);
	if (rc == 0)
		rc = vmm_devs_restore(&vm->devs, &in, err);
	vmm_snap_in_done(&in);
	return rc;
}

int vmm_vm_restore(struct vmm_vm *vm, const char *path, struct vmt_error *err)
{
	unsigned long long t0 = vmm_time_mono_ns();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return vmt_error_set(err, -errno, "cannot open the snapshot %s: %s", path, strerror(errno));
	rc = vmm_snapshot_load(vm, fd, path, err);
	close(fd);	/* the mapping keeps the file */
	if (rc == 0)
		vmm_info("restored from %s in %.3f ms", path, (double)(vmm_time_mono_ns() - t0) / 1e6);
	return rc;
}
