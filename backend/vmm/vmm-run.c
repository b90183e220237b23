/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-run.c: the vCPU thread: KVM_RUN, then each exit dispatched or turned into a recorded end. */
#include "config.h"

#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One writer per counter (its vCPU thread); STATS reads them from elsewhere. */
#define VMM_STAT_INC(field) __atomic_store_n(&(field), (field) + 1, __ATOMIC_RELAXED)

static void vmm_run_unclaimed(struct vmm_vcpu *c, uint16_t port, bool is_write)
{
	unsigned n;

	VMM_STAT_INC(c->stats.unclaimed_io);
	if (!c->vm->unclaimed_ports)
		return;
	n = __atomic_add_fetch(&c->vm->unclaimed_ports[port], 1, __ATOMIC_RELAXED);
	if (n == 1)
		vmm_debug("unclaimed port %#x %s (reads as all ones)", port, is_write ? "write" : "read");
}

static void vmm_run_io(struct vmm_vcpu *c)
{
	struct kvm_run *r = c->run;
	uint32_t size = r->io.size, count = r->io.count, i;
	bool wr = r->io.direction == KVM_EXIT_IO_OUT;
	uint8_t *data;

	VMM_STAT_INC(c->stats.io);
	if ((size != 1 && size != 2 && size != 4) || r->io.data_offset > c->vm->run_size ||
	    (uint64_t)size * count > c->vm->run_size - r->io.data_offset) {
		vmm_vm_end(c->vm, VMM_END_ERROR, "vcpu=%u bad I/O exit (size %u count %u)",
			   c->id, size, count);
		return;
	}
	data = (uint8_t *)r + r->io.data_offset;
	/* String I/O (rep ins/outs) arrives as count items back to back. */
	for (i = 0; i < count; i++)
		if (!vmm_bus_access(&c->vm->bus, VMM_BUS_PIO, r->io.port, data + i * size, size, wr))
			vmm_run_unclaimed(c, r->io.port, wr);
}

static void vmm_run_mmio(struct vmm_vcpu *c)
{
	struct kvm_run *r = c->run;
	uint32_t len = r->mmio.len > 8 ? 8 : r->mmio.len;

	VMM_STAT_INC(c->stats.mmio);
	if (!vmm_bus_access(&c->vm->bus, VMM_BUS_MMIO, r->mmio.phys_addr, r->mmio.data, len,
			    r->mmio.is_write != 0))
		vmm_debug("unclaimed MMIO %s at %#llx", r->mmio.is_write ? "write" : "read",
			  (unsigned long long)r->mmio.phys_addr);
}

static void vmm_run_system_event(struct vmm_vcpu *c)
{
	char how[48];

	switch (c->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vmm_vm_end(c->vm, VMM_END_POWEROFF, "vcpu=%u system event shutdown", c->id);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vmm_vm_request_reset(c->vm);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		snprintf(how, sizeof(how), "vcpu=%u system event crash", c->id);
		vmm_vm_guest_panic(c->vm, how);
		break;
	default:
		vmm_info("vCPU %u: system event %u ignored", c->id, c->run->system_event.type);
		break;
	}
}

static void vmm_run_internal_error(struct vmm_vcpu *c)
{
	struct kvm_run *r = c->run;
	char data[128] = "";
	size_t used = 0;
	uint32_t i, n = r->internal.ndata;

	if (n > sizeof(r->internal.data) / sizeof(r->internal.data[0]))
		n = sizeof(r->internal.data) / sizeof(r->internal.data[0]);
	for (i = 0; i < n && used < sizeof(data) - 20; i++)
		used += (size_t)snprintf(data + used, sizeof(data) - used, " %#llx",
					 (unsigned long long)r->internal.data[i]);
	vmm_err("vCPU %u: KVM internal error, suberror %u%s%s", c->id, r->internal.suberror,
		n ? ", data" : "", data);
	vmm_vm_end(c->vm, VMM_END_INTERNAL_ERROR, "vcpu=%u suberror=%u", c->id, r->internal.suberror);
}

/*
 * KVM_EXIT_SHUTDOWN says only which vCPU shut down.  Its registers are no
 * record of where: on AMD, KVM has put the vCPU through INIT by then (RIP
 * reads 0xfff0 whatever the guest ran), so none is reported.
 */
static void vmm_run_triple_fault(struct vmm_vcpu *c)
{
	vmm_err("vCPU %u: triple fault (shutdown); KVM does not say where the guest was", c->id);
	vmm_vm_end(c->vm, VMM_END_TRIPLE_FAULT, "vcpu=%u", c->id);
}

void vmm_run_exit(struct vmm_vcpu *c)
{
	struct kvm_run *r = c->run;

	VMM_STAT_INC(c->stats.exits);
	switch (r->exit_reason) {
	case KVM_EXIT_IO:
		vmm_run_io(c);
		c->exit_unfinished = true;
		break;
	case KVM_EXIT_MMIO:
		vmm_run_mmio(c);
		c->exit_unfinished = true;
		break;
	case KVM_EXIT_HLT:
		/* Only without an in-kernel LAPIC; count it and go on. */
		VMM_STAT_INC(c->stats.hlt);
		break;
	case KVM_EXIT_INTR:
		VMM_STAT_INC(c->stats.other);
		break;
	case KVM_EXIT_SHUTDOWN:
		VMM_STAT_INC(c->stats.other);
		vmm_run_triple_fault(c);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		VMM_STAT_INC(c->stats.other);
		vmm_run_system_event(c);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		VMM_STAT_INC(c->stats.other);
		vmm_run_internal_error(c);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		VMM_STAT_INC(c->stats.other);
		vmm_vm_end(c->vm, VMM_END_FAIL_ENTRY, "vcpu=%u hardware_entry_failure_reason=%#llx cpu=%u",
			   c->id, (unsigned long long)r->fail_entry.hardware_entry_failure_reason,
			   r->fail_entry.cpu);
		break;
	default:
		VMM_STAT_INC(c->stats.other);
		vmm_vm_end(c->vm, VMM_END_ERROR, "vcpu=%u unhandled exit reason %u", c->id,
			   r->exit_reason);
		break;
	}
}

/*
 * KVM finishes an I/O or MMIO instruction (the data read lands in its
 * register) only at the next KVM_RUN: one with immediate_exit does that
 * and comes straight back, so a parked vCPU's registers are whole, as a
 * snapshot needs them.
 */
static void vmm_run_finish_exit(struct vmm_vcpu *c)
{
	if (!c->exit_unfinished)
		return;
	__atomic_store_n(&c->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (ioctl(c->fd, KVM_RUN, 0) == 0)
		vmm_run_exit(c);	/* it ran after all: serve that exit too */
	__atomic_store_n(&c->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	c->exit_unfinished = false;
}

/* Park while a pause is asked for; false once the VM is ending. */
static bool vmm_run_gate(struct vmm_vcpu *c)
{
	struct vmm_vm *vm = c->vm;
	bool go;

	if (!__atomic_load_n(&vm->pause_req, __ATOMIC_SEQ_CST) &&
	    !__atomic_load_n(&vm->ending, __ATOMIC_SEQ_CST))
		return true;
	vmm_run_finish_exit(c);
	pthread_mutex_lock(&vm->lock);
	while (vm->pause_req && !vm->ending) {
		vm->parked++;
		pthread_cond_broadcast(&vm->cond);
		pthread_cond_wait(&vm->cond, &vm->lock);
		vm->parked--;
	}
	go = !vm->ending;
	pthread_mutex_unlock(&vm->lock);
	return go;
}

static void vmm_run_thread_exit(struct vmm_vcpu *c)
{
	pthread_mutex_lock(&c->vm->lock);
	c->vm->exited++;
	pthread_cond_broadcast(&c->vm->cond);
	pthread_mutex_unlock(&c->vm->lock);
}

void *vmm_run_thread(void *arg)
{
	struct vmm_vcpu *c = arg;
	sigset_t set;
	int r;

	__atomic_store_n(&c->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	while (vmm_run_gate(c)) {
		r = ioctl(c->fd, KVM_RUN, 0);
		c->exit_unfinished = false;
		__atomic_store_n(&c->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			vmm_vm_end(c->vm, VMM_END_ERROR, "vcpu=%u KVM_RUN: %s", c->id, strerror(errno));
			break;
		}
		vmm_run_exit(c);
	}
	vmm_run_thread_exit(c);
	return NULL;
}
