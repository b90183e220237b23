/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-vm.c: build the VM from its parts and drive its life cycle: start, pause, reboot, end. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static const char *const vmm_end_names[] = {
	[VMM_END_NONE] = "",
	[VMM_END_POWEROFF] = "poweroff",
	[VMM_END_RESET] = "reset",
	[VMM_END_TRIPLE_FAULT] = "triple-fault",
	[VMM_END_INTERNAL_ERROR] = "internal-error",
	[VMM_END_FAIL_ENTRY] = "fail-entry",
	[VMM_END_KILLED] = "killed",
	[VMM_END_GUEST_PANIC] = "guest-panic",
	[VMM_END_ERROR] = "error",
};

const char *vmm_end_name(enum vmm_end e)
{
	return (unsigned)e < sizeof(vmm_end_names) / sizeof(vmm_end_names[0]) ? vmm_end_names[e] : "error";
}

bool vmm_end_is_crash(enum vmm_end e)
{
	return e == VMM_END_TRIPLE_FAULT || e == VMM_END_INTERNAL_ERROR ||
	       e == VMM_END_FAIL_ENTRY || e == VMM_END_GUEST_PANIC;
}

void vmm_vm_notify(struct vmm_vm *vm, unsigned events)
{
	uint64_t one = 1;

	__atomic_fetch_or(&vm->events, events, __ATOMIC_SEQ_CST);
	if (write(vm->event_fd, &one, sizeof(one)) < 0)
		return;	/* the counter is saturated: the main loop is awake anyway */
}

unsigned vmm_vm_take_events(struct vmm_vm *vm)
{
	uint64_t v;

	if (read(vm->event_fd, &v, sizeof(v)) < 0)
		v = 0;	/* nothing pending; events below may still be set */
	return __atomic_exchange_n(&vm->events, 0, __ATOMIC_SEQ_CST);
}

void vmm_vm_end(struct vmm_vm *vm, enum vmm_end reason, const char *fmt, ...)
{
	va_list ap;
	bool first;

	pthread_mutex_lock(&vm->lock);
	first = vm->end_reason == VMM_END_NONE;
	if (first) {
		vm->end_reason = reason;
		va_start(ap, fmt);
		vsnprintf(vm->end_detail, sizeof(vm->end_detail), fmt, ap);
		va_end(ap);
		vm->state = VMM_STATE_SHUTTING_DOWN;
		__atomic_store_n(&vm->ending, 1, __ATOMIC_SEQ_CST);
		pthread_cond_broadcast(&vm->cond);
	}
	pthread_mutex_unlock(&vm->lock);
	if (first)
		vmm_vm_notify(vm, VMM_EV_END);
}

void vmm_vm_request_reset(struct vmm_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	vm->reset_req = true;
	pthread_mutex_unlock(&vm->lock);
	vmm_vm_notify(vm, VMM_EV_RESET);
}

void vmm_vm_guest_panic(struct vmm_vm *vm, const char *how)
{
	if (!vm->cfg.restart_on_panic) {
		vmm_vm_end(vm, VMM_END_GUEST_PANIC, "%s", how);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	vm->panic_req = true;
	snprintf(vm->panic_how, sizeof(vm->panic_how), "%s", how);
	pthread_mutex_unlock(&vm->lock);
	vmm_vm_notify(vm, VMM_EV_RESET);
}

static void vmm_vm_reset_cb(void *opaque)
{
	vmm_vm_request_reset(opaque);
}

static void vmm_vm_ready_cb(void *opaque)
{
	struct vmm_vm *vm = opaque;
	unsigned long long now = vmm_time_mono_ns();
	unsigned n;

	pthread_mutex_lock(&vm->lock);
	n = ++vm->ready_count;
	if (n == 1)
		vm->ready_ns = now;
	pthread_mutex_unlock(&vm->lock);
	vmm_info("guest ready (#%u) %.3f ms after start", n, (double)(now - vm->start_mono_ns) / 1e6);
}

static void vmm_vm_exit_cb(void *opaque, uint8_t status)
{
	vmm_vm_end(opaque, VMM_END_POWEROFF, "status=%u", status);
}

/* The guest wrote SLP_EN: S5 is the clean power-off, like the exit port. */
static void vmm_vm_sleep_cb(void *opaque, unsigned slp_typ)
{
	static int warned;

	if (slp_typ == VMM_ACPI_SLP_TYP_S5)
		vmm_vm_end(opaque, VMM_END_POWEROFF, "ACPI S5");
	else if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		vmm_warn("guest asked for ACPI sleep type %u, which the DSDT does not offer: ignored",
			 slp_typ);
}

static void vmm_vm_console_cb(void *opaque)
{
	vmm_vm_notify(opaque, VMM_EV_CONSOLE);
}

static void vmm_vm_rx_cb(void *opaque)
{
	vmm_vm_notify(opaque, VMM_EV_RX);
}

static int vmm_vm_devices(struct vmm_vm *vm, struct vmt_error *err)
{
	int rc;

	vmm_bus_init(&vm->bus);
	vmm_devs_init(&vm->devs);
	vmm_console_init(&vm->console, vmm_vm_console_cb, vm);
	vmm_serial_init(&vm->serial, &vm->console, vmm_kvm_irq_line, vmm_vm_rx_cb, vm);
	vmm_i8042_init(&vm->kbd, vmm_kvm_irq_line, vmm_vm_reset_cb, vm);
	vmm_acpi_init(&vm->acpi, vmm_kvm_irq_line, vmm_vm_sleep_cb, vm);
	vmm_rtc_init(&vm->rtc, vm->mem.low_size, vm->mem.high_size);
	vmm_debugport_init(&vm->dbg, vmm_vm_ready_cb, vmm_vm_exit_cb, vm);
	vmm_devs_add(&vm->devs, &vm->serial.dev, &vmm_serial_dev_ops, "serial");
	vmm_devs_add(&vm->devs, &vm->kbd.dev, &vmm_i8042_dev_ops, "i8042");
	vmm_devs_add(&vm->devs, &vm->acpi.dev, &vmm_acpi_dev_ops, "acpi");
	vmm_devs_add(&vm->devs, &vm->rtc.dev, &vmm_rtc_dev_ops, "rtc");
	vmm_devs_add(&vm->devs, &vm->dbg.dev, &vmm_debugport_dev_ops, "debugport");
	rc = vmm_serial_register(&vm->serial, &vm->bus, err);
	if (rc == 0)
		rc = vmm_i8042_register(&vm->kbd, &vm->bus, err);
	if (rc == 0)
		rc = vmm_acpi_register(&vm->acpi, &vm->bus, err);
	if (rc == 0)
		rc = vmm_rtc_register(&vm->rtc, &vm->bus, err);
	if (rc == 0)
		rc = vmm_debugport_register(&vm->dbg, &vm->bus, err);
	if (rc == 0)
		rc = vmm_plug_create(vm, err);
	return rc;
}

/*
 * vm arrives zeroed (it is static in main): clearing it again would touch
 * every page of the per-vCPU arrays and the console ring, a quarter MiB
 * of resident memory for nothing.
 */
static void vmm_vm_zero(struct vmm_vm *vm, const struct vmm_config *cfg)
{
	vm->cfg = *cfg;
	vm->kvm_fd = vm->vm_fd = vm->stats_fd = vm->event_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->cond, NULL);
	vm->state = VMM_STATE_RUNNING;
	vm->start_mono_ns = vmm_time_mono_ns();
	vm->start_real_ns = vmm_time_real_ns();
}

int vmm_vm_create(struct vmm_vm *vm, const struct vmm_config *cfg, struct vmt_error *err)
{
	unsigned i;
	int rc;

	vmm_vm_zero(vm, cfg);
	vm->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vm->unclaimed_ports = calloc(65536, sizeof(*vm->unclaimed_ports));
	if (vm->event_fd < 0 || !vm->unclaimed_ports)
		return vmt_error_set(err, -ENOMEM, "cannot allocate the runner's own state");
	rc = vmm_kvm_open(vm, err);
	if (rc == 0)
		rc = vmm_kvm_create_vm(vm, err);
	if (rc == 0)
		rc = vmm_vm_devices(vm, err);
	if (rc == 0)
		rc = vmm_vcpu_cpuid_init(vm, err);
	if (rc == 0)
		rc = vmm_vcpu_state_init(vm, err);
	for (i = 0; rc == 0 && i < cfg->vcpus; i++)
		rc = vmm_vcpu_create(vm, i, err);
	/* A restore brings memory with it: the kernel is loaded again only at a reboot. */
	if (rc == 0 && !cfg->restore)
		rc = vmm_load_guest(vm, err);
	for (i = 0; rc == 0 && i < cfg->vcpus; i++)
		rc = vmm_vcpu_reset(&vm->vcpus[i], err);
	if (rc == 0 && cfg->restore)
		rc = vmm_vm_restore(vm, cfg->restore, err);
	return rc;
}

int vmm_vm_start(struct vmm_vm *vm, struct vmt_error *err)
{
	unsigned i;
	int rc;

	/* Device threads first: a vCPU may notify a queue at once. */
	rc = vmm_devs_start(&vm->devs, err);
	if (rc)
		return rc;
	if (vm->cfg.start_paused) {
		vm->state = VMM_STATE_PAUSED;
		vm->pause_req = 1;
		vmm_info("paused before the first instruction");
	}
	for (i = 0; i < vm->cfg.vcpus; i++) {
		rc = pthread_create(&vm->vcpus[i].thread, NULL, vmm_run_thread, &vm->vcpus[i]);
		if (rc)
			return vmt_error_set(err, -rc, "cannot start vCPU %u's thread: %s", i, strerror(rc));
		vm->vcpus[i].started = true;
	}
	return 0;
}

void vmm_vm_stop(struct vmm_vm *vm)
{
	unsigned i;

	pthread_mutex_lock(&vm->lock);
	__atomic_store_n(&vm->ending, 1, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	for (i = 0; i < vm->cfg.vcpus; i++)
		vmm_vcpu_kick(&vm->vcpus[i]);
	for (i = 0; i < vm->cfg.vcpus; i++) {
		if (vm->vcpus[i].started)
			pthread_join(vm->vcpus[i].thread, NULL);
		vm->vcpus[i].started = false;
	}
	vmm_devs_stop(&vm->devs);
}
