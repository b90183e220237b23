/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-exits.c: how vCPU exits and the pvpanic device end or restart a VM, driven without /dev/kvm. */
#include "config.h"

#include <string.h>

#include "backend/vmm/vmm-vm.h"
#include "tests/kvm/check-vmm.h"

static struct vmm_vm vm;	/* large: not on the stack */
static struct kvm_run run;

/* A VM with one vCPU that KVM never saw: its fd is -1, so any ioctl on it fails. */
static struct vmm_vcpu *exits_setup(void)
{
	struct vmm_vcpu *c = &vm.vcpus[0];

	memset(&vm, 0, sizeof(vm));
	memset(&run, 0, sizeof(run));
	pthread_mutex_init(&vm.lock, NULL);
	pthread_cond_init(&vm.cond, NULL);
	vm.kvm_fd = vm.vm_fd = vm.stats_fd = vm.event_fd = -1;
	vm.run_size = sizeof(run);
	vm.cfg.vcpus = 1;
	c->vm = &vm;
	c->id = 0;
	c->fd = -1;
	c->run = &run;
	return c;
}

/* A triple fault names its vCPU and no address: on AMD KVM has INITed the vCPU by then. */
START_TEST(test_exit_triple_fault)
{
	struct vmm_vcpu *c = exits_setup();

	run.exit_reason = KVM_EXIT_SHUTDOWN;
	vmm_run_exit(c);
	ck_assert_int_eq(vm.end_reason, VMM_END_TRIPLE_FAULT);
	ck_assert_str_eq(vm.end_detail, "vcpu=0");
	ck_assert(vmm_end_is_crash(vm.end_reason));
}
END_TEST

/* KVM's crash event follows --on-panic as pvpanic does. */
START_TEST(test_exit_crash_event)
{
	struct vmm_vcpu *c = exits_setup();

	run.exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run.system_event.type = KVM_SYSTEM_EVENT_CRASH;
	vmm_run_exit(c);
	ck_assert_int_eq(vm.end_reason, VMM_END_GUEST_PANIC);
	ck_assert_str_eq(vm.end_detail, "vcpu=0 system event crash");
	c = exits_setup();
	vm.cfg.restart_on_panic = true;
	run.exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run.system_event.type = KVM_SYSTEM_EVENT_CRASH;
	vmm_run_exit(c);
	ck_assert_int_eq(vm.end_reason, VMM_END_NONE);
	ck_assert(vm.panic_req);
	ck_assert_str_eq(vm.panic_how, "vcpu=0 system event crash");
}
END_TEST

static uint8_t pv_events[8];
static unsigned pv_nevents;

static void pv_record(void *opaque, uint8_t event)
{
	(void)opaque;
	if (pv_nevents < sizeof(pv_events))
		pv_events[pv_nevents++] = event;
}

static void pv_write(struct vmm_pvpanic *p, uint64_t off, uint8_t v)
{
	p->pci.ops->bar_access(&p->pci, 0, off, &v, 1, true);
}

/* The register reads the events offered; a write reports one, unknown bits and offsets ignored. */
START_TEST(test_pvpanic)
{
	struct vmt_error err;
	struct vmm_pci pci;
	struct vmm_pvpanic *p = vmm_pvpanic_new(pv_record, NULL, &err);
	uint8_t d[4] = { 0xaa, 0xaa, 0xaa, 0xaa };

	ck_assert_ptr_nonnull(p);
	vmm_pci_init(&pci, 64u << 20);
	ck_assert_int_eq(vmm_pvpanic_plug(p, &pci, &err), 0);
	ck_assert_int_eq(p->slot, 1);
	ck_assert_uint_eq(vmm_get32(p->pci.cfg), 0x00111b36u);
	ck_assert_uint_eq(vmm_get32(p->pci.cfg + 0x08) >> 8, 0x088000);
	ck_assert_uint_eq(p->pci.cfg[VMM_PCI_INTERRUPT_PIN], 0);
	ck_assert_uint_eq(vmm_get32(p->pci.cfg + VMM_PCI_BAR0), vmm_pci_bar_addr(1));
	p->pci.ops->bar_access(&p->pci, 0, 0, d, 4, false);
	ck_assert_uint_eq(vmm_get32(d), VMM_PVPANIC_PANICKED | VMM_PVPANIC_CRASH_LOADED);
	pv_nevents = 0;
	pv_write(p, 0, 0x04);	/* a bit the device does not offer */
	pv_write(p, 1, 0x01);	/* not the register */
	ck_assert_uint_eq(pv_nevents, 0);
	pv_write(p, 0, 0x02);
	pv_write(p, 0, 0x03);	/* both: the panic wins */
	pv_write(p, 0, 0xff);
	ck_assert_uint_eq(pv_nevents, 3);
	ck_assert_uint_eq(pv_events[0], VMM_PVPANIC_CRASH_LOADED);
	ck_assert_uint_eq(pv_events[1], VMM_PVPANIC_PANICKED);
	ck_assert_uint_eq(pv_events[2], VMM_PVPANIC_PANICKED);
	ck_assert_uint_eq(p->panics, 2);
	ck_assert_uint_eq(p->crash_loaded, 1);
	vmm_pvpanic_free(p);
}
END_TEST

Suite *check_exits_suite(void)
{
	Suite *s = suite_create("exits");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_exit_triple_fault);
	tcase_add_test(tc, test_exit_crash_event);
	tcase_add_test(tc, test_pvpanic);
	suite_add_tcase(s, tc);
	return s;
}
