/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-state.c: the x86 machine's own state for snapshots: each vCPU, the in-kernel irqchip and PIT, and kvmclock. */
#include "config.h"

#include "backend/vmm/x86/vmm-state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define STATE_MAX_MSRS 512

/* A vCPU ioctl that fills or takes a struct whose size the kernel header gives. */
#define STATE_IOCTL(fd, req, p, what, id, err)                                              \
	(ioctl((fd), (req), (p)) < 0                                                          \
		 ? vmt_error_set((err), -errno, "vCPU %u: " what ": %s", (id), strerror(errno)) \
		 : 0)

/* Every MSR KVM lists that it can also read now; the indices are kept for the next call. */
static int vmm_state_msr_list(struct vmm_vm *vm, struct kvm_msr_list **out, struct vmt_error *err)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *l;

	if (ioctl(vm->kvm_fd, KVM_GET_MSR_INDEX_LIST, &probe) < 0 && errno != E2BIG)
		return vmt_error_set(err, -errno, "KVM_GET_MSR_INDEX_LIST: %s", strerror(errno));
	if (probe.nmsrs > STATE_MAX_MSRS)
		probe.nmsrs = STATE_MAX_MSRS;
	l = calloc(1, sizeof(*l) + probe.nmsrs * sizeof(l->indices[0]));
	if (!l)
		return vmt_error_set(err, -ENOMEM, "out of memory for the MSR list");
	l->nmsrs = probe.nmsrs;
	if (ioctl(vm->kvm_fd, KVM_GET_MSR_INDEX_LIST, l) < 0) {
		free(l);
		return vmt_error_set(err, -errno, "KVM_GET_MSR_INDEX_LIST: %s", strerror(errno));
	}
	*out = l;
	return 0;
}

/* KVM_GET_MSRS stops at the first MSR it cannot read: skip that one and go on. */
static struct kvm_msrs *vmm_state_msrs_get(struct vmm_vcpu *c, const struct kvm_msr_list *l)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) + l->nmsrs * sizeof(m->entries[0]));
	uint32_t got = 0;

	if (!m)
		return NULL;
	for (uint32_t i = 0; i < l->nmsrs;) {
		struct {
			struct kvm_msrs h;
			struct kvm_msr_entry e[64];
		} b = { .h.nmsrs = 0 };
		int r;

		while (b.h.nmsrs < 64 && i + b.h.nmsrs < l->nmsrs) {
			b.e[b.h.nmsrs].index = l->indices[i + b.h.nmsrs];
			b.h.nmsrs++;
		}
		r = ioctl(c->fd, KVM_GET_MSRS, &b);
		if (r < 0)
			r = 0;
		memcpy(&m->entries[got], b.e, (size_t)r * sizeof(b.e[0]));
		got += (uint32_t)r;
		i += (uint32_t)r + ((uint32_t)r < b.h.nmsrs);	/* past the one it refused */
	}
	m->nmsrs = got;
	return m;
}

static int vmm_state_vcpu_save(struct vmm_vcpu *c, const struct kvm_msr_list *l,
			       struct vmm_snap_out *o, struct vmt_error *err)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xsave xsave;
	struct kvm_xcrs xcrs = { 0 };
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events ev;
	struct kvm_debugregs dr;
	struct kvm_mp_state mp;
	struct kvm_msrs *msrs;
	char name[VMM_SNAP_NAME];
	int rc = STATE_IOCTL(c->fd, KVM_GET_REGS, &regs, "KVM_GET_REGS", c->id, err);

	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_XSAVE, &xsave, "KVM_GET_XSAVE", c->id, err);
	if (rc == 0 && ioctl(c->vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) > 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_XCRS, &xcrs, "KVM_GET_XCRS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_LAPIC, &lapic, "KVM_GET_LAPIC", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_VCPU_EVENTS, &ev, "KVM_GET_VCPU_EVENTS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_DEBUGREGS, &dr, "KVM_GET_DEBUGREGS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_GET_MP_STATE, &mp, "KVM_GET_MP_STATE", c->id, err);
	if (rc)
		return rc;
	msrs = vmm_state_msrs_get(c, l);
	if (!msrs)
		return vmt_error_set(err, -ENOMEM, "vCPU %u: out of memory for its MSRs", c->id);
	snprintf(name, sizeof(name), "vcpu%u", c->id);
	vmm_snap_section(o, name);
	vmm_snap_put(o, &regs, sizeof(regs));
	vmm_snap_put(o, &sregs, sizeof(sregs));
	vmm_snap_put(o, &xsave, sizeof(xsave));
	vmm_snap_put(o, &xcrs, sizeof(xcrs));
	vmm_snap_put(o, &lapic, sizeof(lapic));
	vmm_snap_put(o, &ev, sizeof(ev));
	vmm_snap_put(o, &dr, sizeof(dr));
	vmm_snap_put(o, &mp, sizeof(mp));
	vmm_snap_put32(o, msrs->nmsrs);
	vmm_snap_put(o, msrs->entries, msrs->nmsrs * sizeof(msrs->entries[0]));
	vmm_snap_section_end(o);
	free(msrs);
	return 0;
}

/* In the order KVM wants them: registers and FPU state first, MSRs after the special registers, events last. */
static int vmm_state_vcpu_restore(struct vmm_vcpu *c, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xsave xsave;
	struct kvm_xcrs xcrs;
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events ev;
	struct kvm_debugregs dr;
	struct kvm_mp_state mp;
	struct kvm_msrs *msrs;
	char name[VMM_SNAP_NAME];
	uint32_t n;
	int rc;

	snprintf(name, sizeof(name), "vcpu%u", c->id);
	if ((rc = vmm_snap_open(in, name, err)) || (rc = vmm_snap_get(in, &regs, sizeof(regs), err)) ||
	    (rc = vmm_snap_get(in, &sregs, sizeof(sregs), err)) ||
	    (rc = vmm_snap_get(in, &xsave, sizeof(xsave), err)) ||
	    (rc = vmm_snap_get(in, &xcrs, sizeof(xcrs), err)) ||
	    (rc = vmm_snap_get(in, &lapic, sizeof(lapic), err)) ||
	    (rc = vmm_snap_get(in, &ev, sizeof(ev), err)) || (rc = vmm_snap_get(in, &dr, sizeof(dr), err)) ||
	    (rc = vmm_snap_get(in, &mp, sizeof(mp), err)) || (rc = vmm_snap_get32(in, &n, err)))
		return rc;
	if (n > STATE_MAX_MSRS || vmm_snap_left(in) != n * sizeof(msrs->entries[0]))
		return vmt_error_set(err, -EINVAL, "vCPU %u: the snapshot's MSR list is damaged", c->id);
	msrs = calloc(1, sizeof(*msrs) + n * sizeof(msrs->entries[0]));
	if (!msrs)
		return vmt_error_set(err, -ENOMEM, "vCPU %u: out of memory for its MSRs", c->id);
	msrs->nmsrs = n;
	rc = vmm_snap_get(in, msrs->entries, n * sizeof(msrs->entries[0]), err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_REGS, &regs, "KVM_SET_REGS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_XSAVE, &xsave, "KVM_SET_XSAVE", c->id, err);
	if (rc == 0 && xcrs.nr_xcrs)
		rc = STATE_IOCTL(c->fd, KVM_SET_XCRS, &xcrs, "KVM_SET_XCRS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS", c->id, err);
	if (rc == 0 && ioctl(c->fd, KVM_SET_MSRS, msrs) != (int)n)
		rc = vmt_error_set(err, -EINVAL, "vCPU %u: KVM_SET_MSRS took fewer MSRs than the snapshot has",
				   c->id);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_MP_STATE, &mp, "KVM_SET_MP_STATE", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_LAPIC, &lapic, "KVM_SET_LAPIC", c->id, err);
	ev.flags &= KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SIPI_VECTOR |
		    KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM;
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_VCPU_EVENTS, &ev, "KVM_SET_VCPU_EVENTS", c->id, err);
	if (rc == 0)
		rc = STATE_IOCTL(c->fd, KVM_SET_DEBUGREGS, &dr, "KVM_SET_DEBUGREGS", c->id, err);
	free(msrs);
	return rc;
}

int vmm_state_save(struct vmm_vm *vm, struct vmm_snap_out *o, struct vmt_error *err)
{
	struct kvm_irqchip chips[3];
	struct kvm_pit_state2 pit;
	struct kvm_clock_data clock = { 0 };
	struct kvm_msr_list *l = NULL;
	int rc = vmm_state_msr_list(vm, &l, err);

	for (unsigned i = 0; rc == 0 && i < vm->cfg.vcpus; i++)
		rc = vmm_state_vcpu_save(&vm->vcpus[i], l, o, err);
	free(l);
	for (unsigned i = 0; rc == 0 && i < 3; i++) {
		memset(&chips[i], 0, sizeof(chips[i]));
		chips[i].chip_id = i;	/* PIC master, PIC slave, IOAPIC */
		if (ioctl(vm->vm_fd, KVM_GET_IRQCHIP, &chips[i]) < 0)
			rc = vmt_error_set(err, -errno, "KVM_GET_IRQCHIP: %s", strerror(errno));
	}
	if (rc == 0 && ioctl(vm->vm_fd, KVM_GET_PIT2, &pit) < 0)
		rc = vmt_error_set(err, -errno, "KVM_GET_PIT2: %s", strerror(errno));
	if (rc == 0 && ioctl(vm->vm_fd, KVM_GET_CLOCK, &clock) < 0)
		rc = vmt_error_set(err, -errno, "KVM_GET_CLOCK: %s", strerror(errno));
	if (rc)
		return rc;
	vmm_snap_section(o, "machine");
	vmm_snap_put(o, chips, sizeof(chips));
	vmm_snap_put(o, &pit, sizeof(pit));
	vmm_snap_put64(o, clock.clock);
	vmm_snap_put64(o, vmm_time_real_ns());
	vmm_snap_section_end(o);
	return 0;
}

/*
 * kvmclock goes on from where it stood plus the time the snapshot lay on
 * disk, so the guest's clock steps forward as after a pause.
 */
int vmm_state_restore(struct vmm_vm *vm, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct kvm_irqchip chips[3];
	struct kvm_pit_state2 pit;
	struct kvm_clock_data clock = { 0 };
	uint64_t at_ns, then_ns, now_ns = vmm_time_real_ns();
	int rc = 0;

	for (unsigned i = 0; rc == 0 && i < vm->cfg.vcpus; i++)
		rc = vmm_state_vcpu_restore(&vm->vcpus[i], in, err);
	if (rc || (rc = vmm_snap_open(in, "machine", err)) ||
	    (rc = vmm_snap_get(in, chips, sizeof(chips), err)) ||
	    (rc = vmm_snap_get(in, &pit, sizeof(pit), err)) || (rc = vmm_snap_get64(in, &at_ns, err)) ||
	    (rc = vmm_snap_get64(in, &then_ns, err)))
		return rc;
	for (unsigned i = 0; i < 3; i++) {
		if (chips[i].chip_id != i)
			return vmt_error_set(err, -EINVAL, "the snapshot's interrupt controllers are damaged");
		if (ioctl(vm->vm_fd, KVM_SET_IRQCHIP, &chips[i]) < 0)
			return vmt_error_set(err, -errno, "KVM_SET_IRQCHIP: %s", strerror(errno));
	}
	if (ioctl(vm->vm_fd, KVM_SET_PIT2, &pit) < 0)
		return vmt_error_set(err, -errno, "KVM_SET_PIT2: %s", strerror(errno));
	clock.clock = at_ns + (now_ns > then_ns ? now_ns - then_ns : 0);
	if (ioctl(vm->vm_fd, KVM_SET_CLOCK, &clock) < 0)
		return vmt_error_set(err, -errno, "KVM_SET_CLOCK: %s", strerror(errno));
	return 0;
}
