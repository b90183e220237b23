/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-load.c: map the kernel and initrd files and boot them into guest memory (again on each reboot). */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct vmm_load_file {
	const uint8_t *data;
	size_t len;
};

/*
 * Files are mapped, not read, and unmapped once copied: the runner keeps
 * no copy of its own, so a big initrd does not add to its overhead.
 */
static int vmm_load_map(const char *what, const char *path, struct vmm_load_file *f,
			struct vmt_error *err)
{
	struct stat st;
	void *p;
	int fd;

	f->data = NULL;
	f->len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vmt_error_set(err, -errno, "%s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vmt_error_set(err, -EINVAL, "%s %s: not a regular file", what, path);
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return vmt_error_set(err, -errno, "%s %s: %s", what, path, strerror(errno));
	f->data = p;
	f->len = (size_t)st.st_size;
	return 0;
}

static void vmm_load_unmap(struct vmm_load_file *f)
{
	if (f->data)
		munmap((void *)f->data, f->len);
	f->data = NULL;
}

int vmm_load_guest(struct vmm_vm *vm, struct vmt_error *err)
{
	struct vmm_load_file k, i = { NULL, 0 };
	struct vmm_boot_input in;
	struct vmm_boot_plan plan;
	struct vmm_tables_pci pci;
	struct vmt_error e2 = { 0, "" };
	int rc;

	rc = vmm_load_map("kernel", vm->cfg.kernel, &k, err);
	if (rc)
		return rc;
	if (vm->cfg.initrd)
		rc = vmm_load_map("initrd", vm->cfg.initrd, &i, err);
	if (rc) {
		vmm_load_unmap(&k);
		return rc;
	}
	memset(&in, 0, sizeof(in));
	in.image = k.data;
	in.image_len = k.len;
	in.initrd = i.data;
	in.initrd_len = i.len;
	in.cmdline = vm->cfg.cmdline ? vm->cfg.cmdline : "";
	in.vcpus = vm->cfg.vcpus;
	vmm_plug_intx(vm, &pci);
	in.pci = &pci;
	in.want_entry = vm->cfg.boot_entry;
	rc = vmm_boot_load(&vm->mem, &in, &vm->entry, &plan, &e2);
	vmm_load_unmap(&k);
	vmm_load_unmap(&i);
	if (rc && strncmp(e2.msg, "initrd", 6) == 0)
		return vmt_error_set(err, rc, "initrd %s: %s", vm->cfg.initrd, e2.msg);
	if (rc)
		return vmt_error_set(err, rc, "kernel %s: %s", vm->cfg.kernel, e2.msg);
	vmm_info("boot: %d-bit entry at %#llx, kernel at %#llx-%#llx, initrd %llu bytes at %#llx",
		 vm->entry.mode, (unsigned long long)vm->entry.rip,
		 (unsigned long long)plan.kernel_addr, (unsigned long long)plan.kernel_end,
		 (unsigned long long)plan.initrd_size, (unsigned long long)plan.initrd_addr);
	return 0;
}
