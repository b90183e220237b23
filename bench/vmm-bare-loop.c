/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-bare-loop.c: the floor for a port-I/O exit: KVM_RUN and a 32-bit OUT, nothing else, timed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE 0x10000
#define CODE_AT 0x1000

static int die(const char *what)
{
	fprintf(stderr, "vmm-bare-loop: %s: %s\n", what, strerror(errno));
	return 1;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Real-mode code: mov dx,0x512; mov ecx,N; 1: out dx,eax; dec ecx; jnz 1b; hlt. */
static void write_code(uint8_t *mem, uint32_t n)
{
	uint8_t code[] = { 0xba, 0x12, 0x05, 0x66, 0xb9, 0, 0, 0, 0,
			   0x66, 0xef, 0x66, 0x49, 0x75, 0xfa, 0xf4 };

	memcpy(code + 5, &n, 4);
	memcpy(mem + CODE_AT, code, sizeof(code));
}

static int setup(int kvm, int vm, uint8_t *mem, int *vcpu_out, struct kvm_run **run_out)
{
	struct kvm_userspace_memory_region r = { .slot = 0, .guest_phys_addr = 0,
		.memory_size = MEM_SIZE, .userspace_addr = (uint64_t)(uintptr_t)mem };
	struct kvm_sregs s;
	struct kvm_regs regs;
	int vcpu;
	long sz;

	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return die("KVM_SET_USER_MEMORY_REGION");
	if ((vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0)
		return die("KVM_CREATE_VCPU");
	sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	*run_out = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (*run_out == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
		return die("vCPU set-up");
	s.cs.base = 0;
	s.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0)
		return die("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_AT;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return die("KVM_SET_REGS");
	*vcpu_out = vcpu;
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
	struct kvm_run *run;
	unsigned long long outs = 0;
	double t0 = 0, t1 = 0;
	uint8_t *mem;
	int kvm, vm, vcpu;

	if ((kvm = open(getenv("VMTUI_KVM_DEV") ? getenv("VMTUI_KVM_DEV") : "/dev/kvm", O_RDWR)) < 0)
		return die("open /dev/kvm");
	if ((vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0)
		return die("KVM_CREATE_VM");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return die("mmap");
	write_code(mem, n ? n : 1);
	if (setup(kvm, vm, mem, &vcpu, &run))
		return 1;
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			return die("KVM_RUN");
		if (run->exit_reason != KVM_EXIT_IO)
			break;
		/* Time from the first exit to the last: N-1 full round trips. */
		if (outs++ == 0)
			t0 = now_ns();
		t1 = now_ns();
	}
	if (run->exit_reason != KVM_EXIT_HLT || outs != n) {
		fprintf(stderr, "vmm-bare-loop: stopped on exit %u after %llu outs\n", run->exit_reason, outs);
		return 1;
	}
	printf("bare: exits=%llu ns_per_exit=%.1f\n", outs, outs > 1 ? (t1 - t0) / (double)(outs - 1) : 0.0);
	return 0;
}
