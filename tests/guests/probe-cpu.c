// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-cpu.c: the probe kernel's vCPU state words: print what a reset must
 * put back (MSRs, debug registers, the local APIC, NMI blocking, and with
 * probe.cpu.fpu the FPU, XCR0 and PKRU), or change all of it, ending inside
 * an NMI handler. */

#include "probe.h"
#include "probe-virtio.h"

#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_PKE (1ull << 22)

#define LAPIC_TPR 0x080
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TMICT 0x380
#define LAPIC_TDCR 0x3e0

/* The MSRs shown and changed: to dirty, or (pv) to the probe's page plus dirty. */
static const struct probe_msr {
	const char *name;
	uint32_t index;
	uint64_t dirty;
	bool pv;
} msrs[] = {
	{ "pat", 0x277, 0x0007010600070106ull, false },
	{ "sysenter_cs", 0x174, 0x8, false },
	{ "sysenter_esp", 0x175, 0x12345000, false },
	{ "sysenter_eip", 0x176, 0x23456000, false },
	{ "star", 0xc0000081, 0x0023001000000000ull, false },
	{ "lstar", 0xc0000082, 0xffffffff81000000ull, false },
	{ "cstar", 0xc0000083, 0xffffffff81000100ull, false },
	{ "sfmask", 0xc0000084, 0x47700, false },
	{ "kernel_gs_base", 0xc0000102, 0xffff888000000000ull, false },
	{ "tsc_aux", 0xc0000103, 0x5, false },
	{ "misc_enable", 0x1a0, 0, false },		/* fast strings cleared (below) */
	{ "mtrr_def_type", 0x2ff, 0, false },		/* MTRRs off */
	{ "tsc_adjust", 0x3b, 0x100000000ull, false },
	{ "kvm_poll_control", 0x4b564d05, 0, false },
	{ "kvm_async_pf_int", 0x4b564d06, 0xec, false },	/* before async PF itself */
	{ "kvm_wall_clock", 0x4b564d00, 0x100, true },	/* written once */
	{ "kvm_system_time", 0x4b564d01, 0x000 | 1, true },	/* kvmclock on */
	{ "kvm_async_pf_en", 0x4b564d02, 0x040 | 1 | 8, true },	/* on, as an interrupt */
	{ "kvm_steal_time", 0x4b564d03, 0x080 | 1, true },
	{ "kvm_pv_eoi", 0x4b564d04, 0x0c0 | 1, true },
	{ "kvm_wall_clock_old", 0x11, 0x100, true },
	{ "kvm_system_time_old", 0x12, 0x000 | 1, true },
};

/* Set by probe_trap when one of the two instructions below raised #GP. */
volatile bool probe_msr_fault;
extern const char probe_rdmsr_at[], probe_wrmsr_at[];

/* rdmsr that reports a #GP instead of halting; noinline keeps the label unique. */
static __attribute__((noinline)) bool rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;

	probe_msr_fault = false;
	__asm__ volatile(".globl probe_rdmsr_at\nprobe_rdmsr_at: rdmsr"
			 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*v = (uint64_t)hi << 32 | lo;
	return !probe_msr_fault;
}

static __attribute__((noinline)) bool wrmsr_safe(uint32_t msr, uint64_t v)
{
	probe_msr_fault = false;
	__asm__ volatile(".globl probe_wrmsr_at\nprobe_wrmsr_at: wrmsr"
			 : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
	return !probe_msr_fault;
}

/* A #GP from rdmsr_safe or wrmsr_safe: skip the instruction; true if it was one. */
bool probe_msr_fixup(struct probe_frame *f)
{
	if (f->vector != 13 || (f->rip != (uint64_t)(uintptr_t)probe_rdmsr_at &&
				f->rip != (uint64_t)(uintptr_t)probe_wrmsr_at))
		return false;
	f->rip += 2;	/* both are two bytes long */
	probe_msr_fault = true;
	return true;
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static uint64_t cr4_read(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/*
 * probe.cpu.fpu: the FPU, SSE, XSAVE and PKRU items too.  Off by default:
 * PVM traps the probe's FPU and SSE instructions and KVM cannot emulate
 * them (an internal error ends the VM), so only hosts with hardware
 * virtualisation get them.
 */
bool probe_cpu_fpu;

/* What the CPU offers that the words below touch. */
static struct { bool xsave, pku; uint64_t xcr0_max; } cpu;

/* SSE, XSAVE and PKRU on in CR4 where the CPU has them, so their state can be read. */
static void cpu_enable(void)
{
	uint32_t r[4];
	uint64_t cr4 = cr4_read() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	cpuid(1, 0, r);
	cpu.xsave = r[2] & (1u << 26);
	cpuid(7, 0, r);
	cpu.pku = r[2] & (1u << 3);
	if (cpu.xsave) {
		cpuid(0xd, 0, r);
		cpu.xcr0_max = (uint64_t)r[3] << 32 | r[0];
		cr4 |= CR4_OSXSAVE;
	}
	if (cpu.pku)
		cr4 |= CR4_PKE;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static uint32_t rdpkru(void)
{
	uint32_t v;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(v) : "c"(0) : "rdx");
	return v;
}

static void wrpkru(uint32_t v)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}

/*
 * Memory the FPU stores into, a page to itself: a store that shares a page
 * with the page tables is trapped and emulated on shadow paging (PVM), and
 * KVM's emulator knows no stmxcsr.
 */
static volatile uint32_t fpu_scratch[1024] __attribute__((aligned(4096), section(".noclear")));

/* The FPU items; what is "" or "dirty ", as the lines of the two words go. */
static void fpu_show(const char *what)
{
	uint16_t fcw;
	uint32_t mxcsr;
	uint64_t xmm0;

	fpu_scratch[0] = fpu_scratch[1] = 0;
	__asm__ volatile("fnstcw %0" : "=m"(fpu_scratch[0]));
	__asm__ volatile("stmxcsr %0" : "=m"(fpu_scratch[1]));
	fcw = (uint16_t)fpu_scratch[0];
	mxcsr = fpu_scratch[1];
	__asm__ volatile("movq %%xmm0, %0" : "=r"(xmm0));
	probe_printf("probe: cpu %sfcw=%x\n", what, fcw);
	probe_printf("probe: cpu %smxcsr=%x\n", what, mxcsr);
	probe_printf("probe: cpu %sxmm0=%lx\n", what, (unsigned long)xmm0);
	if (cpu.xsave)
		probe_printf("probe: cpu %sxcr0=%lx\n", what, (unsigned long)xgetbv0());
	if (cpu.pku)
		probe_printf("probe: cpu %spkru=%x\n", what, rdpkru());
}

static void debug_show(const char *what)
{
	uint64_t dr0, dr7;

	__asm__ volatile("mov %%dr0, %0" : "=r"(dr0));
	__asm__ volatile("mov %%dr7, %0" : "=r"(dr7));
	probe_printf("probe: cpu %sdr0=%lx\n", what, (unsigned long)dr0);
	probe_printf("probe: cpu %sdr7=%lx\n", what, (unsigned long)dr7);
}

static void lapic_show(void)
{
	probe_printf("probe: cpu lapic_tpr=%x\n", probe_lapic_read(LAPIC_TPR));
	probe_printf("probe: cpu lapic_lvt_timer=%x\n", probe_lapic_read(LAPIC_LVT_TIMER));
	probe_printf("probe: cpu lapic_tmict=%x\n", probe_lapic_read(LAPIC_TMICT));
}

/* Send ourselves an NMI and wait (bounded) for it: 1 if it came, 0 while NMIs stay blocked. */
static unsigned nmi_check(void)
{
	unsigned before = probe_nmi_count;

	probe_lapic_self_nmi();
	for (int ms = 0; ms < 1000 && probe_nmi_count == before; ms++)
		probe_delay_us(1000);
	return probe_nmi_count != before;
}

/* probe.cpu.show: one "probe: cpu NAME=VALUE" line per item (hex; "fault" for an MSR it lacks). */
void probe_cpu_show(void)
{
	uint64_t v;

	cpu_enable();
	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		if (rdmsr_safe(msrs[i].index, &v))
			probe_printf("probe: cpu %s=%lx\n", msrs[i].name, (unsigned long)v);
		else
			probe_printf("probe: cpu %s=fault\n", msrs[i].name);
	}
	if (probe_cpu_fpu)
		fpu_show("");
	debug_show("");
	lapic_show();
	probe_printf("probe: cpu nmi=%u\n", nmi_check());
	probe_printf("probe: cpu shown\n");
}

static void msrs_dirty(uint64_t page)
{
	uint64_t v, want;

	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		if (!rdmsr_safe(msrs[i].index, &v))
			continue;
		want = msrs[i].pv ? page + msrs[i].dirty : msrs[i].dirty;
		if (msrs[i].index == 0x1a0)
			want = v & ~1ull;
		wrmsr_safe(msrs[i].index, want);
		probe_printf("probe: cpu dirty %s=%lx%s\n", msrs[i].name,
			     rdmsr_safe(msrs[i].index, &v) ? (unsigned long)v : 0ul,
			     probe_msr_fault ? " fault" : "");
	}
}

static void fpu_dirty(void)
{
	uint16_t fcw = 0x27f;
	uint32_t mxcsr = 0x3f80;
	uint64_t pattern = 0x5a5a5a5a12345678ull;

	__asm__ volatile("fldcw %0" : : "m"(fcw));
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	__asm__ volatile("movq %0, %%xmm0" : : "r"(pattern));
	if (cpu.xsave) {
		uint64_t x = cpu.xcr0_max & 0x7;	/* x87, SSE and AVX where there is AVX */

		__asm__ volatile("xsetbv" : : "a"((uint32_t)x), "d"((uint32_t)(x >> 32)), "c"(0));
	}
	if (cpu.pku)
		wrpkru(0x55555554u);
}

/* A data breakpoint on a page nothing touches, and a TPR, a periodic LAPIC timer that fires. */
static void debug_lapic_dirty(void)
{
	uint64_t dr0 = 0x1000, dr7 = 0x400 | 0x1 | (1ull << 16);	/* L0, break on writes */

	__asm__ volatile("mov %0, %%dr0" : : "r"(dr0));
	__asm__ volatile("mov %0, %%dr7" : : "r"(dr7));
	probe_lapic_write(LAPIC_TPR, 0x10);
	probe_lapic_write(LAPIC_TDCR, 0xb);			/* divide by 1 */
	probe_lapic_write(LAPIC_LVT_TIMER, 0x20000 | 0x40);	/* periodic, vector 0x40 */
	probe_lapic_write(LAPIC_TMICT, 0x100000);
}

/* In the NMI handler, which never returns: NMIs stay blocked for whatever resets the vCPU. */
static bool dirty_then_reset;

static void dirty_hold(void)
{
	probe_printf("probe: cpu dirty done, in the NMI handler\n");
	if (dirty_then_reset)
		probe_reset();
	cpu_halt_forever();
}

/*
 * probe.cpu.dirty[=reset]: change everything probe.cpu.show prints, then
 * take an NMI and stay in its handler; with =reset, reset through the
 * i8042 from there, else wait for the host to reset the vCPU.
 */
void probe_cpu_dirty(bool reset)
{
	uint64_t page = (uint64_t)(uintptr_t)pv_alloc(4096);

	cpu_enable();
	if (!page) {
		probe_printf("probe: cpu dirty needs a page\n");
		return;
	}
	memset(phys_ptr(page), 0, 4096);
	msrs_dirty(page);
	if (probe_cpu_fpu) {
		fpu_dirty();
		fpu_show("dirty ");
	}
	debug_lapic_dirty();
	debug_show("dirty ");
	dirty_then_reset = reset;
	probe_nmi_hold = dirty_hold;
	probe_lapic_self_nmi();
	probe_delay_us(1000000);
	probe_nmi_hold = NULL;
	probe_printf("probe: warning the NMI did not come\n");
	dirty_hold();
}
