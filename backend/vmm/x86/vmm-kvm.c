/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-kvm.c: open /dev/kvm, check what it offers, create the VM with its memory, irqchip and PIT. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* In the 3-4 GiB hole, clear of the LAPIC and IOAPIC windows (kvmtool's choice too). */
#define VMM_KVM_IDENTITY_MAP 0xfffbc000ull
#define VMM_KVM_TSS 0xfffbd000ull

struct vmm_kvm_cap {
	int cap;
	const char *name;
	const char *why;
};

static const struct vmm_kvm_cap vmm_kvm_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY", "guest memory" },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP", "the in-kernel PIC, IOAPIC and LAPIC" },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2", "the in-kernel PIT" },
	{ KVM_CAP_PIT_STATE2, "KVM_CAP_PIT_STATE2", "resetting the PIT on reboot" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR", "the real-mode TSS" },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR", "the identity-map page" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID", "guest CPUID" },
	{ KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE", "resetting application processors" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT", "pausing vCPUs" },
	{ KVM_CAP_SIGNAL_MSI, "KVM_CAP_SIGNAL_MSI", "MSI-X interrupts of PCI devices" },
	{ KVM_CAP_IOEVENTFD, "KVM_CAP_IOEVENTFD", "virtio notifications" },
};

static const char *vmm_kvm_path(void)
{
	const char *p = getenv("VMTUI_KVM_DEV");

	return p && *p ? p : "/dev/kvm";
}

static int vmm_kvm_check_caps(struct vmm_vm *vm, const char *path, struct vmt_error *err)
{
	size_t i;
	int r;

	for (i = 0; i < sizeof(vmm_kvm_caps) / sizeof(vmm_kvm_caps[0]); i++) {
		r = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, vmm_kvm_caps[i].cap);
		if (r <= 0)
			return vmt_error_set(err, -ENOTSUP, "%s lacks %s, needed for %s", path,
					     vmm_kvm_caps[i].name, vmm_kvm_caps[i].why);
	}
	r = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (r <= 0)
		r = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	if (r > 0 && vm->cfg.vcpus > (unsigned)r)
		return vmt_error_set(err, -EINVAL, "%s allows at most %d vCPUs, %u asked for",
				     path, r, vm->cfg.vcpus);
	return 0;
}

int vmm_kvm_open(struct vmm_vm *vm, struct vmt_error *err)
{
	const char *path = vmm_kvm_path();
	int r;

	vm->kvm_fd = open(path, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return vmt_error_set(err, -errno, "cannot open %s: %s%s", path, strerror(errno),
				     errno == ENOENT ? " (is the kvm module loaded?)" :
				     errno == EACCES ? " (are you in group kvm?)" : "");
	r = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (r < 0)
		return vmt_error_set(err, -ENOTSUP, "%s is not a KVM device (KVM_GET_API_VERSION: %s)",
				     path, strerror(errno));
	if (r != KVM_API_VERSION)
		return vmt_error_set(err, -ENOTSUP, "%s speaks KVM API version %d, not %d",
				     path, r, KVM_API_VERSION);
	vm->run_size = (size_t)ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if ((long)vm->run_size < (long)sizeof(struct kvm_run))
		return vmt_error_set(err, -ENOTSUP, "%s: KVM_GET_VCPU_MMAP_SIZE failed", path);
	return vmm_kvm_check_caps(vm, path, err);
}

static int vmm_kvm_slot(struct vmm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
			void *host, struct vmt_error *err)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return vmt_error_set(err, -errno, "KVM_SET_USER_MEMORY_REGION slot %u: %s",
				     slot, strerror(errno));
	return 0;
}

/* Keep the irqchip and PIT as created, so a reboot can put them back. */
static int vmm_kvm_irqchip_save(struct vmm_vm *vm, struct vmt_error *err)
{
	int i;

	for (i = 0; i < 3; i++) {
		memset(&vm->chips0[i], 0, sizeof(vm->chips0[i]));
		vm->chips0[i].chip_id = (uint32_t)i;	/* PIC master, PIC slave, IOAPIC */
		if (ioctl(vm->vm_fd, KVM_GET_IRQCHIP, &vm->chips0[i]) < 0)
			return vmt_error_set(err, -errno, "KVM_GET_IRQCHIP %d: %s", i, strerror(errno));
	}
	if (ioctl(vm->vm_fd, KVM_GET_PIT2, &vm->pit0) < 0)
		return vmt_error_set(err, -errno, "KVM_GET_PIT2: %s", strerror(errno));
	return 0;
}

int vmm_kvm_irqchip_reset(struct vmm_vm *vm, struct vmt_error *err)
{
	int i;

	for (i = 0; i < 3; i++)
		if (ioctl(vm->vm_fd, KVM_SET_IRQCHIP, &vm->chips0[i]) < 0)
			return vmt_error_set(err, -errno, "KVM_SET_IRQCHIP %d: %s", i, strerror(errno));
	if (ioctl(vm->vm_fd, KVM_SET_PIT2, &vm->pit0) < 0)
		return vmt_error_set(err, -errno, "KVM_SET_PIT2: %s", strerror(errno));
	return 0;
}

static int vmm_kvm_platform(struct vmm_vm *vm, struct vmt_error *err)
{
	uint64_t idmap = VMM_KVM_IDENTITY_MAP;
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	if (ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap) < 0)
		return vmt_error_set(err, -errno, "KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(errno));
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)VMM_KVM_TSS) < 0)
		return vmt_error_set(err, -errno, "KVM_SET_TSS_ADDR: %s", strerror(errno));
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return vmt_error_set(err, -errno, "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	/* The dummy speaker keeps port 0x61 in the kernel too. */
	if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0)
		return vmt_error_set(err, -errno, "KVM_CREATE_PIT2: %s", strerror(errno));
	return vmm_kvm_irqchip_save(vm, err);
}

int vmm_kvm_create_vm(struct vmm_vm *vm, struct vmt_error *err)
{
	int rc;

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return vmt_error_set(err, -errno, "KVM_CREATE_VM: %s", strerror(errno));
	rc = vmm_kvm_platform(vm, err);
	if (rc)
		return rc;
	rc = vmm_mem_alloc(&vm->mem, vm->cfg.mem_mib << 20, err);
	if (rc)
		return rc;
	rc = vmm_kvm_slot(vm, 0, 0, vm->mem.low_size, vm->mem.host, err);
	if (rc == 0 && vm->mem.high_size)
		rc = vmm_kvm_slot(vm, 1, VMM_MEM_HIGH_START, vm->mem.high_size,
				  vm->mem.host + vm->mem.low_size, err);
	if (rc)
		return rc;
	vm->stats_fd = -1;
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) > 0)
		vm->stats_fd = ioctl(vm->vm_fd, KVM_GET_STATS_FD, 0);
	return 0;
}

void vmm_kvm_irq_line(void *opaque, unsigned irq, int level)
{
	struct vmm_vm *vm = opaque;
	struct kvm_irq_level l = { .irq = irq, .level = (uint32_t)level };

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &l) < 0)
		vmm_warn("KVM_IRQ_LINE irq %u level %d: %s", irq, level, strerror(errno));
}

int vmm_kvm_msi(void *opaque, uint64_t addr, uint32_t data)
{
	struct vmm_vm *vm = opaque;
	struct kvm_msi m = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
	};

	/* 0 means the guest's LAPIC ignored it (masked): not our error. */
	if (ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &m) < 0) {
		vmm_warn("KVM_SIGNAL_MSI %#llx/%#x: %s", (unsigned long long)addr, data, strerror(errno));
		return -errno;
	}
	return 0;
}

int vmm_kvm_ioeventfd(void *opaque, uint64_t addr, int fd, bool assign)
{
	struct vmm_vm *vm = opaque;
	struct kvm_ioeventfd e = {
		.addr = addr,
		.len = 2,	/* drivers write the 16-bit queue index */
		.fd = fd,
		.flags = assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
	};

	if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &e) < 0) {
		vmm_warn("KVM_IOEVENTFD %s at %#llx: %s", assign ? "assign" : "deassign",
			 (unsigned long long)addr, strerror(errno));
		return -errno;
	}
	return 0;
}
