/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-vm.h: one virtual machine: its KVM handles, memory, devices, vCPU threads and life cycle. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/vmm/kvm-proto.h"
#include "backend/vmm/x86/vmm-boot.h"
#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-console.h"
#include "backend/vmm/hw/vmm-acpi.h"
#include "backend/vmm/hw/vmm-debugport.h"
#include "backend/vmm/hw/vmm-i8042.h"
#include "backend/vmm/x86/vmm-mem.h"
#include "backend/vmm/virtio/vmm-blk.h"
#include "backend/vmm/virtio/vmm-net.h"
#include "backend/vmm/vmm-dev.h"
#include "backend/vmm/pci/vmm-pci.h"
#include "backend/vmm/pci/vmm-pvpanic.h"
#include "backend/vmm/hw/vmm-rtc.h"
#include "backend/vmm/hw/vmm-serial.h"

#define VMM_MAX_VCPUS 64
#define VMM_MAX_DISKS 16
#define VMM_MAX_NICS KVM_PROTO_MAX_NICS

/* How a run ended; the names are what the log and STATE say. */
enum vmm_end {
	VMM_END_NONE = 0,
	VMM_END_POWEROFF,
	VMM_END_RESET,
	VMM_END_TRIPLE_FAULT,
	VMM_END_INTERNAL_ERROR,
	VMM_END_FAIL_ENTRY,
	VMM_END_KILLED,
	VMM_END_GUEST_PANIC,
	VMM_END_ERROR,
};

const char *vmm_end_name(enum vmm_end e);
bool vmm_end_is_crash(enum vmm_end e);

/* The command line, already validated. */
struct vmm_config {
	const char *kernel, *initrd, *cmdline, *name, *uuid, *socket;
	const char *restore;	/* --restore: a snapshot to start from, or NULL */
	bool start_paused;	/* --paused: the vCPUs park before their first instruction */
	uint64_t mem_mib;
	unsigned vcpus;
	int ready_fd;		/* -1: none */
	bool restart_on_reboot;
	bool restart_on_panic;	/* --on-panic restart: a guest panic reboots it */
	bool console_stdio;
	int boot_entry;		/* 0 (auto), 32 or 64 */
	struct vmm_blk_config disks[VMM_MAX_DISKS];
	unsigned ndisks;
	struct vmm_net_config nics[VMM_MAX_NICS];
	unsigned nnics;
	bool rng;
	bool pvpanic;
	bool sandbox;		/* enter the seccomp filter once set up (default) */
	bool test_mode;		/* VMTUI_VMM_TEST=1: debug requests for the test suite */
};

/* Counters a vCPU thread alone writes; readers load them relaxed. */
struct vmm_vcpu_stats {
	unsigned long long exits, io, mmio, hlt, other, unclaimed_io;
};

struct vmm_vm;

/* One vCPU and its thread; owned by the VM. */
struct vmm_vcpu {
	struct vmm_vm *vm;
	unsigned id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool started;
	bool cpuid_set;
	bool exit_unfinished;	/* an I/O or MMIO exit KVM completes at the next KVM_RUN */
	pid_t tid;
	struct vmm_vcpu_stats stats;
	struct kvm_lapic_state lapic0;	/* as KVM created it, for resets */
	struct kvm_sregs sregs0;
	struct kvm_regs regs0;
	struct kvm_msrs *msrs0;		/* vm->msr_index as KVM set them before the first run */
};

/* Bits in vm->events: work the main loop must do. */
#define VMM_EV_END 0x01
#define VMM_EV_RESET 0x02
#define VMM_EV_CONSOLE 0x04
#define VMM_EV_RX 0x08

enum vmm_run_state {
	VMM_STATE_RUNNING,
	VMM_STATE_PAUSED,
	VMM_STATE_SHUTTING_DOWN,
};

/* The whole VM; one per process, owned by main(). */
struct vmm_vm {
	struct vmm_config cfg;
	int kvm_fd, vm_fd, stats_fd;
	size_t run_size;
	struct vmm_mem mem;
	struct vmm_bus bus;
	struct vmm_console console;
	struct vmm_serial serial;
	struct vmm_i8042 kbd;
	struct vmm_acpi acpi;
	struct vmm_rtc rtc;
	struct vmm_debugport dbg;
	struct vmm_pci pci;
	struct vmm_devs devs;		/* every device above and on the PCI bus, in creation order */
	struct vmm_vcpu vcpus[VMM_MAX_VCPUS];
	struct kvm_cpuid2 *cpuid;	/* filtered supported CPUID, shared by all vCPUs */
	struct kvm_irqchip chips0[3];	/* irqchip and PIT state at creation, for resets */
	struct kvm_pit_state2 pit0;
	struct vmm_boot_entry entry;
	uint32_t *msr_index;		/* the MSRs a vCPU reset restores */
	unsigned nmsr_index;
	uint8_t *xsave0;		/* a power-on XSAVE image (NULL: no XSAVE) */
	size_t xsave_size;
	bool has_events, has_debugregs;
	int nested_size;		/* KVM_CAP_NESTED_STATE: the most KVM_GET_NESTED_STATE takes */
	struct kvm_nested_state *nested_buf;	/* nested_size bytes for it; NULL: none */

	pthread_mutex_t lock;		/* guards what follows */
	pthread_cond_t cond;
	enum vmm_run_state state;
	int pause_req;			/* read by vCPU threads without the lock */
	int ending;			/* likewise */
	unsigned parked, exited;
	enum vmm_end end_reason;
	char end_detail[160];
	bool reset_req, powerdown_req;
	bool panic_req;			/* a guest panic to restart from (--on-panic restart) */
	char panic_how[64];		/* what reported it */
	unsigned ready_count;
	unsigned long long ready_ns;	/* first ready write, monotonic */

	int event_fd;			/* wakes the main loop */
	unsigned events;		/* VMM_EV_* set by any thread, taken by main */
	unsigned long long start_mono_ns, start_real_ns;
	unsigned *unclaimed_ports;	/* per-port counts, 65536 of them */
};

/* Set up everything short of running in a zeroed vm; err says what failed. */
int vmm_vm_create(struct vmm_vm *vm, const struct vmm_config *cfg, struct vmt_error *err);
void vmm_vm_destroy(struct vmm_vm *vm);

/* Start the vCPU threads. */
int vmm_vm_start(struct vmm_vm *vm, struct vmt_error *err);

/* Record an end (the first reason wins) and wake the main loop. */
void vmm_vm_end(struct vmm_vm *vm, enum vmm_end reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A guest-initiated reset (i8042, system event): the main loop decides. */
void vmm_vm_request_reset(struct vmm_vm *vm);

/* The guest kernel panicked (how: what said so): end as crashed, or restart per --on-panic. */
void vmm_vm_guest_panic(struct vmm_vm *vm, const char *how);

/* Post events for the main loop. */
void vmm_vm_notify(struct vmm_vm *vm, unsigned events);
unsigned vmm_vm_take_events(struct vmm_vm *vm);

/* Main thread: park every vCPU / let them run again. */
int vmm_vm_pause(struct vmm_vm *vm, struct vmt_error *err);
int vmm_vm_resume(struct vmm_vm *vm, struct vmt_error *err);

/* Main thread: reboot the guest in place (vCPUs are parked around it). */
int vmm_vm_restart(struct vmm_vm *vm, struct vmt_error *err);

/* Main thread: stop and join all vCPU threads after an end. */
void vmm_vm_stop(struct vmm_vm *vm);

/* The power button. */
void vmm_vm_powerdown(struct vmm_vm *vm);

/* In vmm-snapshot.c: a paused VM into a snapshot file; a just-created VM out of one. */
int vmm_vm_snapshot(struct vmm_vm *vm, const char *path, struct vmt_error *err);
int vmm_vm_restore(struct vmm_vm *vm, const char *path, struct vmt_error *err);

/* Snapshot of the state under the lock. */
enum vmm_run_state vmm_vm_state(struct vmm_vm *vm, enum vmm_end *reason);

/* In vmm-kvm.c: /dev/kvm, VM, memory slots, irqchip. */
int vmm_kvm_open(struct vmm_vm *vm, struct vmt_error *err);
int vmm_kvm_create_vm(struct vmm_vm *vm, struct vmt_error *err);
int vmm_kvm_irqchip_reset(struct vmm_vm *vm, struct vmt_error *err);
void vmm_kvm_irq_line(void *opaque, unsigned irq, int level);
int vmm_kvm_msi(void *opaque, uint64_t addr, uint32_t data);
int vmm_kvm_ioeventfd(void *opaque, uint64_t addr, int fd, bool assign);

/* In vmm-plug.c: the PCI bus and the devices on it that the command line asked for. */
int vmm_plug_create(struct vmm_vm *vm, struct vmt_error *err);
/* Which slot's INTA# drives which ISA IRQ, for the firmware tables. */
void vmm_plug_intx(struct vmm_vm *vm, struct vmm_tables_pci *out);

/*
 * In vmm-vcpu-state.c, a vCPU's state beyond its registers: state_init
 * once for the VM (after CPUID), state_save once per vCPU before it first
 * runs; at each reset state_leave (events, nested state) before the
 * registers, state_restore (XSAVE, MSRs, debug registers) after them.
 */
int vmm_vcpu_state_init(struct vmm_vm *vm, struct vmt_error *err);
int vmm_vcpu_state_save(struct vmm_vcpu *c, struct vmt_error *err);
int vmm_vcpu_state_leave(struct vmm_vcpu *c, struct vmt_error *err);
int vmm_vcpu_state_restore(struct vmm_vcpu *c, struct vmt_error *err);

/* In vmm-vcpu.c: create and configure vCPUs, kicks. */
int vmm_vcpu_create(struct vmm_vm *vm, unsigned id, struct vmt_error *err);
int vmm_vcpu_cpuid_init(struct vmm_vm *vm, struct vmt_error *err);
int vmm_vcpu_reset(struct vmm_vcpu *c, struct vmt_error *err);
void vmm_vcpu_kick(struct vmm_vcpu *c);
void vmm_vcpu_signals_init(void);

/* In vmm-run.c: the vCPU thread's KVM_RUN loop and exit handling. */
void *vmm_run_thread(void *arg);
/* Handle the exit c->run describes (the thread's step after KVM_RUN; the unit tests call it too). */
void vmm_run_exit(struct vmm_vcpu *c);

/* In vmm-load.c: read the kernel and initrd files and boot them into memory. */
int vmm_load_guest(struct vmm_vm *vm, struct vmt_error *err);

#endif
