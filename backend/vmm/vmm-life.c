/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-life.c: pause, resume, reboot in place and tear-down, all run from the main thread. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define VMM_PARK_TIMEOUT_S 5

/* Ask every vCPU thread to park and wait until all have (or have exited). */
static int vmm_vm_park_all(struct vmm_vm *vm, struct vmt_error *err)
{
	struct timespec until;
	unsigned i;
	int rc = 0;

	pthread_mutex_lock(&vm->lock);
	__atomic_store_n(&vm->pause_req, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&vm->lock);
	for (i = 0; i < vm->cfg.vcpus; i++)
		vmm_vcpu_kick(&vm->vcpus[i]);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += VMM_PARK_TIMEOUT_S;
	pthread_mutex_lock(&vm->lock);
	while (vm->parked + vm->exited < vm->cfg.vcpus && rc == 0)
		rc = pthread_cond_timedwait(&vm->cond, &vm->lock, &until);
	pthread_mutex_unlock(&vm->lock);
	if (rc)
		return vmt_error_set(err, -ETIMEDOUT, "vCPUs did not stop within %d s",
				     VMM_PARK_TIMEOUT_S);
	return 0;
}

static void vmm_vm_unpark_all(struct vmm_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	__atomic_store_n(&vm->pause_req, 0, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

enum vmm_run_state vmm_vm_state(struct vmm_vm *vm, enum vmm_end *reason)
{
	enum vmm_run_state s;

	pthread_mutex_lock(&vm->lock);
	s = vm->state;
	if (reason)
		*reason = vm->end_reason;
	pthread_mutex_unlock(&vm->lock);
	return s;
}

int vmm_vm_pause(struct vmm_vm *vm, struct vmt_error *err)
{
	enum vmm_run_state s = vmm_vm_state(vm, NULL);
	int rc;

	if (s == VMM_STATE_PAUSED)
		return vmt_error_set(err, -EALREADY, "VM is already paused");
	if (s == VMM_STATE_SHUTTING_DOWN)
		return vmt_error_set(err, -ESHUTDOWN, "VM is shutting down");
	rc = vmm_vm_park_all(vm, err);
	if (rc) {
		vmm_vm_unpark_all(vm);
		return rc;
	}
	pthread_mutex_lock(&vm->lock);
	if (vm->state == VMM_STATE_RUNNING)
		vm->state = VMM_STATE_PAUSED;
	pthread_mutex_unlock(&vm->lock);
	vmm_info("paused");
	return 0;
}

int vmm_vm_resume(struct vmm_vm *vm, struct vmt_error *err)
{
	enum vmm_run_state s = vmm_vm_state(vm, NULL);

	if (s == VMM_STATE_RUNNING)
		return vmt_error_set(err, -EALREADY, "VM is not paused");
	if (s == VMM_STATE_SHUTTING_DOWN)
		return vmt_error_set(err, -ESHUTDOWN, "VM is shutting down");
	pthread_mutex_lock(&vm->lock);
	vm->state = VMM_STATE_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	vmm_vm_unpark_all(vm);
	vmm_info("resumed");
	return 0;
}

/* With every vCPU parked: fresh RAM, a freshly loaded kernel, devices at power-on. */
static int vmm_vm_reboot_parked(struct vmm_vm *vm, struct vmt_error *err)
{
	unsigned i;
	int rc;

	/* Devices first: a request in flight must land before RAM is wiped. */
	vmm_devs_reset(&vm->devs);
	vmm_mem_clear(&vm->mem);
	rc = vmm_kvm_irqchip_reset(vm, err);
	if (rc)
		return rc;
	rc = vmm_load_guest(vm, err);
	for (i = 0; rc == 0 && i < vm->cfg.vcpus; i++)
		rc = vmm_vcpu_reset(&vm->vcpus[i], err);
	return rc;
}

int vmm_vm_restart(struct vmm_vm *vm, struct vmt_error *err)
{
	bool paused = vmm_vm_state(vm, NULL) == VMM_STATE_PAUSED;
	int rc = 0;

	if (!paused)
		rc = vmm_vm_park_all(vm, err);
	if (rc == 0)
		rc = vmm_vm_reboot_parked(vm, err);
	pthread_mutex_lock(&vm->lock);
	vm->reset_req = false;
	vm->powerdown_req = false;
	vm->panic_req = false;
	pthread_mutex_unlock(&vm->lock);
	if (rc == 0)
		vmm_info("guest restarted%s", paused ? " (still paused)" : "");
	if (!paused)
		vmm_vm_unpark_all(vm);
	return rc;
}

/*
 * An ACPI guest gets the power-button event and decides (a distribution
 * shuts down, then writes S5).  A guest that has not enabled the event
 * (no ACPI, or its button driver not loaded yet) gets Ctrl-Alt-Del, and
 * the reset it answers with ends the VM as a power-off.
 */
void vmm_vm_powerdown(struct vmm_vm *vm)
{
	if (vmm_acpi_power_button(&vm->acpi)) {
		vmm_info("power button: ACPI power-button event (SCI on IRQ %d)", VMM_ACPI_SCI_IRQ);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	vm->powerdown_req = true;
	pthread_mutex_unlock(&vm->lock);
	vmm_info("power button: the guest has not enabled ACPI's, sending Ctrl-Alt-Del");
	vmm_i8042_ctrl_alt_del(&vm->kbd);
}

void vmm_vm_destroy(struct vmm_vm *vm)
{
	unsigned i;

	vmm_devs_free(&vm->devs);
	for (i = 0; i < VMM_MAX_VCPUS; i++) {
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, vm->run_size);
		if (vm->vcpus[i].fd > 0)
			close(vm->vcpus[i].fd);
		free(vm->vcpus[i].msrs0);
		vm->vcpus[i].msrs0 = NULL;
	}
	vmm_console_done(&vm->console);
	vmm_mem_free(&vm->mem);
	if (vm->stats_fd >= 0)
		close(vm->stats_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	if (vm->event_fd >= 0)
		close(vm->event_fd);
	free(vm->cpuid);
	free(vm->unclaimed_ports);
	free(vm->msr_index);
	free(vm->xsave0);
	free(vm->nested_buf);
	vm->nested_buf = NULL;
	vm->msr_index = NULL;
	vm->xsave0 = NULL;
	vm->cpuid = NULL;
	vm->unclaimed_ports = NULL;
}
