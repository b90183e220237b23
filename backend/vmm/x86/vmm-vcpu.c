/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-vcpu.c: create and reset vCPUs (CPUID, registers, FPU, LAPIC, the entry); the rest of their state in vmm-vcpu-state.c. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define CPUID_HYPERVISOR (1u << 31)
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_MODE_EXTINT 0x7
#define LAPIC_MODE_NMI 0x4

int vmm_vcpu_create(struct vmm_vm *vm, unsigned id, struct vmt_error *err)
{
	struct vmm_vcpu *c = &vm->vcpus[id];
	void *run;

	c->vm = vm;
	c->id = id;
	c->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (c->fd < 0)
		return vmt_error_set(err, -errno, "KVM_CREATE_VCPU %u: %s", id, strerror(errno));
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (run == MAP_FAILED)
		return vmt_error_set(err, -errno, "mmap of vCPU %u's run area: %s", id, strerror(errno));
	c->run = run;
	if (ioctl(c->fd, KVM_GET_LAPIC, &c->lapic0) < 0 ||
	    ioctl(c->fd, KVM_GET_SREGS, &c->sregs0) < 0 ||
	    ioctl(c->fd, KVM_GET_REGS, &c->regs0) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: reading its initial state: %s", id,
				     strerror(errno));
	return 0;
}

/* Leaves beyond what the host reports as its maximum cannot be backed: drop them. */
static void vmm_vcpu_cpuid_filter(struct kvm_cpuid2 *cp)
{
	uint32_t max_basic = 0, max_ext = 0x80000000u, i, n = 0;

	for (i = 0; i < cp->nent; i++) {
		if (cp->entries[i].function == 0)
			max_basic = cp->entries[i].eax;
		if (cp->entries[i].function == 0x80000000u)
			max_ext = cp->entries[i].eax;
	}
	for (i = 0; i < cp->nent; i++) {
		uint32_t f = cp->entries[i].function;

		if (f < 0x40000000u && f > max_basic)
			continue;
		if (f >= 0x80000000u && f > max_ext)
			continue;
		cp->entries[n++] = cp->entries[i];
	}
	cp->nent = n;
}

int vmm_vcpu_cpuid_init(struct vmm_vm *vm, struct vmt_error *err)
{
	struct kvm_cpuid2 *cp = NULL;
	unsigned nent = 128;

	for (;;) {
		free(cp);
		cp = calloc(1, sizeof(*cp) + nent * sizeof(cp->entries[0]));
		if (!cp)
			return vmt_error_set(err, -ENOMEM, "out of memory for CPUID");
		cp->nent = nent;
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cp) == 0)
			break;
		if (errno != E2BIG || nent >= 4096) {
			int e = errno;

			free(cp);
			return vmt_error_set(err, -e, "KVM_GET_SUPPORTED_CPUID: %s", strerror(e));
		}
		nent *= 2;
	}
	vmm_vcpu_cpuid_filter(cp);
	vm->cpuid = cp;
	return 0;
}

/*
 * The timing leaf at 0x40000010 (TSC and LAPIC bus kHz, as VMware
 * defined it and cloud-hypervisor and QEMU offer it): a guest that reads it
 * needs no 10 ms PIT calibration at boot.
 */
static void vmm_vcpu_cpuid_timing(struct vmm_vcpu *c, struct kvm_cpuid2 *cp)
{
	int khz = ioctl(c->fd, KVM_GET_TSC_KHZ, 0);
	struct kvm_cpuid_entry2 *e;
	uint32_t i;

	if (khz <= 0)
		return;
	for (i = 0; i < cp->nent; i++)
		if (cp->entries[i].function == 0x40000000u && cp->entries[i].eax < 0x40000010u)
			cp->entries[i].eax = 0x40000010u;
	e = &cp->entries[cp->nent++];
	memset(e, 0, sizeof(*e));
	e->function = 0x40000010u;
	e->eax = (uint32_t)khz;
	e->ebx = 1000000;	/* KVM's LAPIC timer runs at 1 GHz */
}

/* The shared CPUID with this vCPU's APIC id, the hypervisor bit and the timing leaf. */
static int vmm_vcpu_cpuid_set(struct vmm_vcpu *c, struct vmt_error *err)
{
	const struct kvm_cpuid2 *src = c->vm->cpuid;
	size_t sz = sizeof(*src) + src->nent * sizeof(src->entries[0]);
	struct kvm_cpuid2 *cp = malloc(sz + sizeof(src->entries[0]));
	uint32_t i;
	int rc = 0;

	if (!cp)
		return vmt_error_set(err, -ENOMEM, "out of memory for CPUID");
	memcpy(cp, src, sz);
	vmm_vcpu_cpuid_timing(c, cp);
	for (i = 0; i < cp->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cp->entries[i];

		if (e->function == 1) {
			e->ecx |= CPUID_HYPERVISOR;
			e->ebx = (e->ebx & 0x0000ffffu) | (c->id << 24) |
				 ((c->vm->cfg.vcpus & 0xffu) << 16);
			if (c->vm->cfg.vcpus > 1)
				e->edx |= 1u << 28;	/* HTT: the count in EBX[23:16] is valid */
		} else if (e->function == 0xb || e->function == 0x1f) {
			e->edx = c->id;		/* x2APIC id */
		}
	}
	if (ioctl(c->fd, KVM_SET_CPUID2, cp) < 0)
		rc = vmt_error_set(err, -errno, "vCPU %u: KVM_SET_CPUID2: %s", c->id, strerror(errno));
	free(cp);
	return rc;
}

static int vmm_vcpu_fpu_lapic(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct kvm_fpu fpu;
	struct kvm_lapic_state l = c->lapic0;
	uint32_t v;

	memset(&fpu, 0, sizeof(fpu));
	fpu.fcw = 0x37f;
	fpu.mxcsr = 0x1f80;
	if (ioctl(c->fd, KVM_SET_FPU, &fpu) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_FPU: %s", c->id, strerror(errno));
	/* Virtual-wire mode: the 8259 on LINT0, NMI on LINT1, as the MP table says. */
	memcpy(&v, l.regs + LAPIC_LVT_LINT0, 4);
	v = (v & ~0x700u) | (LAPIC_MODE_EXTINT << 8);
	memcpy(l.regs + LAPIC_LVT_LINT0, &v, 4);
	memcpy(&v, l.regs + LAPIC_LVT_LINT1, 4);
	v = (v & ~0x700u) | (LAPIC_MODE_NMI << 8);
	memcpy(l.regs + LAPIC_LVT_LINT1, &v, 4);
	if (ioctl(c->fd, KVM_SET_LAPIC, &l) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_LAPIC: %s", c->id, strerror(errno));
	return 0;
}

static void vmm_vcpu_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, bool code64)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffffu;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code64;
	s->db = !code64;
}

/* The BSP's registers at the kernel's entry: flat segments, paging as the mode needs. */
static void vmm_vcpu_entry_sregs(struct kvm_sregs *s, const struct vmm_boot_entry *e)
{
	bool m64 = e->mode == 64;

	vmm_vcpu_seg(&s->cs, VMM_BOOT_CS, 0xb, m64);
	vmm_vcpu_seg(&s->ds, VMM_BOOT_DS, 0x3, false);
	s->es = s->fs = s->gs = s->ss = s->ds;
	memset(&s->tr, 0, sizeof(s->tr));
	s->tr.selector = VMM_BOOT_TSS;
	s->tr.limit = 0x67;
	s->tr.type = 0xb;	/* busy 32-bit TSS: what VM entry insists on */
	s->tr.present = 1;
	s->gdt.base = VMM_BOOT_GDT;
	s->gdt.limit = 5 * 8 - 1;
	s->idt.base = 0;
	s->idt.limit = 0;
	s->cr0 = 0x11 | (m64 ? 0x80000000u : 0);	/* PE, ET, and PG in long mode */
	s->cr3 = m64 ? e->cr3 : 0;
	s->cr4 = m64 ? 0x20 : 0;			/* PAE */
	s->efer = m64 ? 0x500 : 0;			/* LME, LMA */
}

static int vmm_vcpu_entry(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct kvm_sregs s = c->sregs0;
	struct kvm_regs r;

	vmm_vcpu_entry_sregs(&s, &c->vm->entry);
	if (ioctl(c->fd, KVM_SET_SREGS, &s) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_SREGS: %s", c->id, strerror(errno));
	memset(&r, 0, sizeof(r));
	r.rflags = 2;
	r.rip = c->vm->entry.rip;
	r.rsi = c->vm->entry.rsi;
	r.rbx = c->vm->entry.rbx;
	r.rsp = c->vm->entry.rsp;
	if (ioctl(c->fd, KVM_SET_REGS, &r) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_REGS: %s", c->id, strerror(errno));
	return 0;
}

/* Back to the power-on state an AP waits for INIT-SIPI in. */
static int vmm_vcpu_power_on(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct kvm_xcrs xcrs;

	if (ioctl(c->fd, KVM_SET_SREGS, &c->sregs0) < 0 || ioctl(c->fd, KVM_SET_REGS, &c->regs0) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: restoring its initial state: %s", c->id,
				     strerror(errno));
	memset(&xcrs, 0, sizeof(xcrs));
	xcrs.nr_xcrs = 1;
	xcrs.xcrs[0].xcr = 0;
	xcrs.xcrs[0].value = 1;	/* x87 only, as at power-on */
	if (ioctl(c->vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) > 0)
		ioctl(c->fd, KVM_SET_XCRS, &xcrs);
	return 0;
}

int vmm_vcpu_reset(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct kvm_mp_state mp = {
		.mp_state = c->id == 0 ? KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_UNINITIALIZED,
	};
	int rc;

	/* KVM refuses to change CPUID once a vCPU has run: set it once, at creation. */
	if (!c->cpuid_set) {
		rc = vmm_vcpu_cpuid_set(c, err);
		if (rc == 0)
			rc = vmm_vcpu_state_save(c, err);
		if (rc)
			return rc;
		c->cpuid_set = true;
	}
	/* Events and nested state first: leaving VMX operation lets CR4.VMXE go. */
	rc = vmm_vcpu_state_leave(c, err);
	if (rc == 0)
		rc = vmm_vcpu_power_on(c, err);
	if (rc == 0)
		rc = vmm_vcpu_state_restore(c, err);
	if (rc == 0)
		rc = vmm_vcpu_fpu_lapic(c, err);
	if (rc == 0 && c->id == 0)
		rc = vmm_vcpu_entry(c, err);
	if (rc)
		return rc;
	if (ioctl(c->fd, KVM_SET_MP_STATE, &mp) < 0)
		return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_MP_STATE: %s", c->id, strerror(errno));
	return 0;
}

static void vmm_vcpu_sigkick(int sig)
{
	(void)sig;	/* only here to make KVM_RUN return EINTR */
}

void vmm_vcpu_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vmm_vcpu_sigkick;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: KVM_RUN must come back */
}

void vmm_vcpu_kick(struct vmm_vcpu *c)
{
	if (!c->started)
		return;
	/* immediate_exit covers a kick that lands while the thread is outside KVM_RUN. */
	__atomic_store_n(&c->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(c->thread, SIGUSR1);
}
