/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-vcpu-state.c: a vCPU's power-on state beyond its registers: every MSR, XSAVE, pending events, debug and nested state. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define MSR_IA32_TSC 0x10
#define MSR_IA32_APICBASE 0x1b
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MISC_ENABLE_FAST_STRING 0x1ull
#define MSR_PAT 0x277
#define PAT_POWER_ON 0x0007040600070406ull
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MTRR_DEF_TYPE_WB_ON 0x806		/* MTRRs on, write-back outside every range */

/* XSAVE's legacy area and header, as KVM_SET_XSAVE takes them (not compacted). */
#define XSAVE_FCW 0
#define XSAVE_MXCSR 24
#define XSAVE_XSTATE_BV 512
#define XSTATE_X87_SSE 0x3ull
#define XSTATE_PKRU_BIT 9

/*
 * MSRs a reset restores besides what KVM lists: PAT and the MTRRs, which
 * a BIOS would set, the SYSCALL and SYSENTER set, and KVM's paravirtual
 * ones (kvmclock, steal time, async PF, PV EOI, poll control), which KVM
 * would otherwise go on serving at the old kernel's addresses.  Any that
 * this host cannot read are dropped at the first snapshot.
 */
static const uint32_t vmm_state_extra_msrs[] = {
	0x174, 0x175, 0x176, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102,
	MSR_PAT, MSR_MTRR_DEF_TYPE, 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c,
	0x26d, 0x26e, 0x26f, 0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207, 0x208,
	0x209, 0x20a, 0x20b, 0x20c, 0x20d, 0x20e, 0x20f, MSR_IA32_MISC_ENABLE,
	0x11, 0x12, 0x4b564d00, 0x4b564d01, 0x4b564d02, 0x4b564d03, 0x4b564d04, 0x4b564d05,
	0x4b564d06,
};

/* One of KVM's MSR lists (KVM_GET_MSR_INDEX_LIST and the like); NULL with err set. */
static struct kvm_msr_list *vmm_state_list(int kvm_fd, unsigned long req, const char *what,
					   struct vmt_error *err)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *l;

	if (ioctl(kvm_fd, req, &probe) == 0)
		probe.nmsrs = 0;	/* an empty list */
	else if (errno != E2BIG) {
		vmt_error_set(err, -errno, "%s: %s", what, strerror(errno));
		return NULL;
	}
	l = calloc(1, sizeof(*l) + (probe.nmsrs + 1) * sizeof(l->indices[0]));
	if (!l) {
		vmt_error_set(err, -ENOMEM, "out of memory for KVM's MSR list");
		return NULL;
	}
	l->nmsrs = probe.nmsrs;
	if (probe.nmsrs && ioctl(kvm_fd, req, l) < 0) {
		vmt_error_set(err, -errno, "%s: %s", what, strerror(errno));
		free(l);
		return NULL;
	}
	return l;
}

static bool vmm_state_has(const uint32_t *list, unsigned n, uint32_t index)
{
	for (unsigned i = 0; i < n; i++)
		if (list[i] == index)
			return true;
	return false;
}

/*
 * What a reset restores: KVM's list and the extras, less the feature MSRs
 * (they describe the CPU, they hold no state), the TSC (set to 0 on its
 * own) and APIC_BASE (the sregs carry it, before the LAPIC is reloaded).
 */
static int vmm_state_msr_index(struct vmm_vm *vm, struct vmt_error *err)
{
	struct kvm_msr_list *all = vmm_state_list(vm->kvm_fd, KVM_GET_MSR_INDEX_LIST,
						  "KVM_GET_MSR_INDEX_LIST", err);
	struct kvm_msr_list *feat = NULL;
	size_t nextra = sizeof(vmm_state_extra_msrs) / sizeof(vmm_state_extra_msrs[0]);
	unsigned n = 0;

	if (!all)
		return err->code;
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES) > 0 &&
	    !(feat = vmm_state_list(vm->kvm_fd, KVM_GET_MSR_FEATURE_INDEX_LIST,
				    "KVM_GET_MSR_FEATURE_INDEX_LIST", err))) {
		free(all);
		return err->code;
	}
	vm->msr_index = calloc(all->nmsrs + nextra, sizeof(*vm->msr_index));
	for (unsigned i = 0; vm->msr_index && i < all->nmsrs + nextra; i++) {
		uint32_t idx = i < all->nmsrs ? all->indices[i] : vmm_state_extra_msrs[i - all->nmsrs];

		if (idx == MSR_IA32_TSC || idx == MSR_IA32_APICBASE ||
		    (feat && vmm_state_has(feat->indices, feat->nmsrs, idx)) ||
		    vmm_state_has(vm->msr_index, n, idx))
			continue;
		vm->msr_index[n++] = idx;
	}
	vm->nmsr_index = n;
	vmm_info("vCPU resets restore %u MSRs (KVM lists %u, %u of them CPU features)", n,
		 all->nmsrs, feat ? feat->nmsrs : 0);
	free(all);
	free(feat);
	return vm->msr_index ? 0 : vmt_error_set(err, -ENOMEM, "out of memory for the MSR list");
}

/* Where PKRU sits in a standard-format XSAVE area, from the supported CPUID; 0: no PKRU. */
static uint32_t vmm_state_pkru_offset(const struct kvm_cpuid2 *cp)
{
	bool supported = false;
	uint32_t off = 0;

	for (uint32_t i = 0; i < cp->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cp->entries[i];

		if (e->function == 0xd && e->index == 0)
			supported = e->eax & (1u << XSTATE_PKRU_BIT);
		if (e->function == 0xd && e->index == XSTATE_PKRU_BIT)
			off = e->ebx;
	}
	return supported ? off : 0;
}

/* The XSAVE image of a CPU at power-on: x87 and SSE at their reset values, all else in its init state. */
static int vmm_state_xsave_image(struct vmm_vm *vm, struct vmt_error *err)
{
	int size = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
	uint32_t pkru;
	uint64_t bv = XSTATE_X87_SSE;

	if (size < (int)sizeof(struct kvm_xsave))
		size = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE) > 0 ?
		       (int)sizeof(struct kvm_xsave) : 0;
	if (size == 0)
		return 0;	/* no XSAVE here: KVM_SET_FPU covers the FPU */
	vm->xsave0 = calloc(1, (size_t)size);
	if (!vm->xsave0)
		return vmt_error_set(err, -ENOMEM, "out of memory for the XSAVE image");
	vm->xsave_size = (size_t)size;
	vmm_put16(vm->xsave0 + XSAVE_FCW, 0x37f);
	vmm_put32(vm->xsave0 + XSAVE_MXCSR, 0x1f80);
	/* KVM keeps PKRU unless its bit is set: set it, with the value 0 there. */
	pkru = vmm_state_pkru_offset(vm->cpuid);
	if (pkru >= XSAVE_XSTATE_BV + 64 && pkru <= vm->xsave_size - 4)
		bv |= 1ull << XSTATE_PKRU_BIT;
	vmm_put64(vm->xsave0 + XSAVE_XSTATE_BV, bv);
	return 0;
}

int vmm_vcpu_state_init(struct vmm_vm *vm, struct vmt_error *err)
{
	int rc = vmm_state_msr_index(vm, err);

	if (rc == 0)
		rc = vmm_state_xsave_image(vm, err);
	vm->has_events = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_EVENTS) > 0;
	vm->has_debugregs = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_DEBUGREGS) > 0;
	vm->nested_size = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NESTED_STATE);
	if (rc == 0 && vm->nested_size >= (int)sizeof(struct kvm_nested_state) &&
	    !(vm->nested_buf = calloc(1, (size_t)vm->nested_size)))
		rc = vmt_error_set(err, -ENOMEM, "out of memory for nested state");
	vmm_debug("vCPU resets: XSAVE image of %zu bytes, events %s, debug registers %s, nested "
		  "state up to %d bytes", vm->xsave_size, vm->has_events ? "yes" : "no",
		  vm->has_debugregs ? "yes" : "no", vm->nested_size > 0 ? vm->nested_size : 0);
	return rc;
}

/*
 * KVM_GET_MSRS and KVM_SET_MSRS stop at the first MSR they refuse: go on
 * past it.  in holds n entries; what went through lands in out (when
 * given) and the count is returned; refused indices go to bad.
 */
static unsigned vmm_state_msrs_io(int fd, unsigned long req, const struct kvm_msr_entry *in,
				  unsigned n, struct kvm_msrs *scratch, struct kvm_msr_entry *out,
				  uint32_t *bad, unsigned *nbad)
{
	unsigned done = 0, i = 0;

	while (i < n) {
		int r;

		scratch->nmsrs = n - i;
		memcpy(scratch->entries, in + i, (n - i) * sizeof(in[0]));
		r = ioctl(fd, req, scratch);
		if (r < 0)
			r = 0;	/* the whole call failed: count the first as refused and go on */
		if (out)
			memcpy(out + done, scratch->entries, (size_t)r * sizeof(in[0]));
		done += (unsigned)r;
		i += (unsigned)r;
		if (i < n)
			bad[(*nbad)++] = in[i++].index;
	}
	return done;
}

static struct kvm_msrs *vmm_state_msrs_alloc(unsigned n)
{
	return calloc(1, sizeof(struct kvm_msrs) + (n + 1) * sizeof(struct kvm_msr_entry));
}

/* Once, before the vCPU first runs (CPUID set): the MSRs as KVM made them are its power-on values. */
int vmm_vcpu_state_save(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct vmm_vm *vm = c->vm;
	unsigned n = vm->nmsr_index, nbad = 0;
	struct kvm_msrs *scratch = vmm_state_msrs_alloc(n);
	struct kvm_msr_entry *in = calloc(n + 1, sizeof(*in));
	uint32_t *bad = calloc(n + 1, sizeof(*bad));

	c->msrs0 = vmm_state_msrs_alloc(n);
	if (!scratch || !in || !bad || !c->msrs0) {
		free(scratch), free(in), free(bad);
		return vmt_error_set(err, -ENOMEM, "vCPU %u: out of memory for its MSRs", c->id);
	}
	for (unsigned i = 0; i < n; i++)
		in[i].index = vm->msr_index[i];
	c->msrs0->nmsrs = vmm_state_msrs_io(c->fd, KVM_GET_MSRS, in, n, scratch, c->msrs0->entries,
					    bad, &nbad);
	for (unsigned i = 0; i < nbad && c->id == 0; i++)
		vmm_debug("vCPU 0: MSR %#x cannot be read here: not reset", bad[i]);
	free(scratch), free(in), free(bad);
	return 0;
}

/* No exception, interrupt, NMI or SMI pending or in progress, NMIs unblocked, out of SMM. */
static int vmm_state_events(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct kvm_vcpu_events ev;

	if (!c->vm->has_events)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SIPI_VECTOR |
		   KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM;
	if (ioctl(c->fd, KVM_SET_VCPU_EVENTS, &ev) == 0)
		return 0;
	return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_VCPU_EVENTS: %s", c->id, strerror(errno));
}

/*
 * Out of a nested guest, if the old kernel ran one: VMX operation left,
 * or SVM guest mode left with GIF set.  Only then: outside guest mode,
 * clearing EFER.SVME with the sregs does it on AMD, and some emulated SVM
 * (QEMU's) was seen to fall over on a needless KVM_SET_NESTED_STATE.  A
 * host that refuses is warned about; KVM_SET_SREGS then says what is wrong.
 */
static void vmm_state_nested(struct vmm_vcpu *c)
{
	struct kvm_nested_state *cur = c->vm->nested_buf, ns;
	bool vmx;

	if (!cur)
		return;
	memset(cur, 0, sizeof(*cur));
	cur->size = (uint32_t)c->vm->nested_size;
	if (ioctl(c->fd, KVM_GET_NESTED_STATE, cur) < 0)
		return;	/* nothing KVM can tell, nothing to leave */
	vmx = cur->format == KVM_STATE_NESTED_FORMAT_VMX;
	if (vmx ? cur->hdr.vmx.vmxon_pa == ~0ull : !(cur->flags & KVM_STATE_NESTED_GUEST_MODE))
		return;
	memset(&ns, 0, sizeof(ns));
	ns.format = cur->format;
	ns.size = sizeof(ns);
	if (vmx) {
		ns.hdr.vmx.vmxon_pa = ~0ull;
		ns.hdr.vmx.vmcs12_pa = ~0ull;
	} else {
		ns.flags = KVM_STATE_NESTED_GIF_SET;
	}
	if (ioctl(c->fd, KVM_SET_NESTED_STATE, &ns) < 0)
		vmm_warn("vCPU %u: KVM_SET_NESTED_STATE: %s; nested state left as is", c->id,
			 strerror(errno));
}

int vmm_vcpu_state_leave(struct vmm_vcpu *c, struct vmt_error *err)
{
	int rc = vmm_state_events(c, err);

	if (rc == 0)
		vmm_state_nested(c);
	return rc;
}

/* The saved MSRs, with what power-on means where KVM's own value is not it. */
static int vmm_state_msrs(struct vmm_vcpu *c, struct vmt_error *err)
{
	const struct kvm_msrs *m0 = c->msrs0;
	unsigned n = m0->nmsrs + 1, nbad = 0, nbad2 = 0;
	struct kvm_msrs *scratch = vmm_state_msrs_alloc(n);
	struct kvm_msr_entry *in = calloc(n, sizeof(*in));
	uint32_t *bad = calloc(2 * n, sizeof(*bad));

	if (!scratch || !in || !bad) {
		free(scratch), free(in), free(bad);
		return vmt_error_set(err, -ENOMEM, "vCPU %u: out of memory for its MSRs", c->id);
	}
	memcpy(in, m0->entries, m0->nmsrs * sizeof(in[0]));
	for (unsigned i = 0; i < m0->nmsrs; i++) {
		if (in[i].index == MSR_IA32_MISC_ENABLE)
			in[i].data |= MISC_ENABLE_FAST_STRING;
		else if (in[i].index == MSR_PAT)
			in[i].data = PAT_POWER_ON;
		else if (in[i].index == MSR_MTRR_DEF_TYPE)
			in[i].data = MTRR_DEF_TYPE_WB_ON;
	}
	in[n - 1].index = MSR_IA32_TSC;		/* 0, as at power-on; KVM keeps the vCPUs in step */
	vmm_state_msrs_io(c->fd, KVM_SET_MSRS, in, n, scratch, NULL, bad, &nbad);
	/* One more go for those that depend on another restored after them. */
	for (unsigned i = 0, k = 0; i < nbad; i++) {
		while (in[k].index != bad[i])
			k++;
		vmm_state_msrs_io(c->fd, KVM_SET_MSRS, &in[k], 1, scratch, NULL, bad + n, &nbad2);
	}
	for (unsigned i = 0; i < nbad2 && c->id == 0; i++)
		vmm_warn("vCPU 0: this host refuses to reset MSR %#x; left as is", bad[n + i]);
	free(scratch), free(in), free(bad);
	return 0;
}

/* A zero XSAVE image but for the x87 control word and MXCSR: AVX, AVX-512, PKRU and the rest at init. */
static int vmm_state_xsave(struct vmm_vcpu *c, struct vmt_error *err)
{
	if (!c->vm->xsave0)
		return 0;
	if (ioctl(c->fd, KVM_SET_XSAVE, c->vm->xsave0) == 0)
		return 0;
	return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_XSAVE: %s", c->id, strerror(errno));
}

/* No breakpoints: DR0-3 0, DR6 and DR7 at their reset values. */
static int vmm_state_debugregs(struct vmm_vcpu *c, struct vmt_error *err)
{
	struct kvm_debugregs d;

	if (!c->vm->has_debugregs)
		return 0;
	memset(&d, 0, sizeof(d));
	d.dr6 = 0xffff0ff0;
	d.dr7 = 0x400;
	if (ioctl(c->fd, KVM_SET_DEBUGREGS, &d) == 0)
		return 0;
	return vmt_error_set(err, -errno, "vCPU %u: KVM_SET_DEBUGREGS: %s", c->id, strerror(errno));
}

int vmm_vcpu_state_restore(struct vmm_vcpu *c, struct vmt_error *err)
{
	int rc = vmm_state_xsave(c, err);

	if (rc == 0)
		rc = vmm_state_msrs(c, err);
	if (rc == 0)
		rc = vmm_state_debugregs(c, err);
	return rc;
}
