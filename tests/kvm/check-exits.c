/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-exits.c: how vCPU exits end or go on with a VM, driven through vmm_run_exit without /dev/kvm. */
#include "config.h"

#include <string.h>

#include "backend/kvm/vmm-vm.h"
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

Suite *check_exits_suite(void)
{
	Suite *s = suite_create("exits");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_exit_triple_fault);
	suite_add_tcase(s, tc);
	return s;
}
