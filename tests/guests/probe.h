/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe.h: declarations shared by the probe kernel's freestanding C files. */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe-defs.h"

/* I/O ports the probe writes besides the standard PC devices. */
#define PROBE_PORT_READY	0x510	/* one byte 0x00 once "probe: ready" is out */
#define PROBE_PORT_EXIT		0x511	/* one byte: exit status */
#define PROBE_PORT_BENCH	0x512	/* 32-bit writes timed by probe.exits */

#define PROBE_MAX_CPUS		256
#define PROBE_MAX_IOAPICS	8
#define PROBE_MAPPED_LIMIT	0x100000000ull	/* what the identity map covers */

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

/* What the loader handed over, copied into the probe's own memory. */
struct probe_boot {
	uint64_t bp_phys;		/* where the loader's boot_params was */
	unsigned entry;			/* 16, 32 or 64 */
	uint8_t bp[BP_SIZE];
	char cmdline[PROBE_CMDLINE_MAX];
	uint64_t cmdline_phys;
	uint64_t cmdline_len;
	const struct e820_entry *e820;
	unsigned e820_n;
};

/* One ISA IRQ's route: GSI and MPS INTI flags (polarity bits 0-1, trigger 2-3). */
struct probe_irq_route {
	uint32_t gsi;
	uint16_t flags;
};

struct probe_ioapic {
	uint64_t addr;
	uint32_t gsi_base;
};

/* What the firmware tables (MADT or MP table) announce. */
struct probe_platform {
	const char *source;		/* "madt", "mptable" or "none" */
	unsigned ncpus;
	uint32_t apic_ids[PROBE_MAX_CPUS];
	unsigned nioapics;
	struct probe_ioapic ioapics[PROBE_MAX_IOAPICS];
	struct probe_irq_route isa[16];
	uint64_t tables[4];		/* physical addresses of the structures found */
	unsigned ntables;
	uint64_t rsdp;			/* 0 without ACPI */
};

/* The trap frame isr_common builds on the stack. */
struct probe_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

extern struct probe_boot probe_boot;
extern struct probe_platform probe_platform;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}

/*
 * A physical address as a pointer.  The empty asm hides the constant from
 * GCC, which otherwise treats small fixed addresses (the BIOS data area)
 * as null-pointer arithmetic and warns or miscompiles.
 */
static inline void *phys_ptr(uint64_t addr)
{
	void *p;

	__asm__("" : "=r"(p) : "0"(addr));
	return p;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)phys_ptr(addr);
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)phys_ptr(addr) = v;
}

static inline uint8_t mmio_read8(uint64_t addr)
{
	return *(volatile uint8_t *)phys_ptr(addr);
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	*(volatile uint8_t *)phys_ptr(addr) = v;
}

static inline uint16_t mmio_read16(uint64_t addr)
{
	return *(volatile uint16_t *)phys_ptr(addr);
}

static inline void mmio_write16(uint64_t addr, uint16_t v)
{
	*(volatile uint16_t *)phys_ptr(addr) = v;
}

/* Keeps the compiler from moving ring accesses across it (x86 orders the rest). */
static inline void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static inline uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* probe-lib.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
void probe_serial_init(void);
void probe_serial_putc(char c);
void probe_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint32_t probe_crc32(const uint8_t *p, uint64_t n);
void probe_tsc_calibrate(void);
uint64_t probe_tsc_khz(void);
void probe_delay_us(uint64_t us);

/* probe-main.c */
bool probe_mem_known(uint64_t addr, uint64_t len, bool ram_only);
void probe_cmdline_each(void (*fn)(const char *, size_t, void *), void *arg);
/* Some word of the command line starts with prefix. */
bool probe_cmdline_has_prefix(const char *prefix);
/* probe.count[=D] (probe-count.c): count for ever; the APs' turns come from the trampoline. */
void probe_count_word(const char *w, size_t n);
extern volatile uint32_t *probe_ap_spins_count;
/* Write one sector of disk D filled with value (little-endian, repeated); the virtio status, or -1. */
int probe_blk_fill(unsigned d, uint64_t sector, uint64_t value);
void probe_main(uint64_t bp_phys, unsigned entry);

/* probe-tables.c */
void probe_tables_scan(struct probe_platform *pf);
const uint8_t *probe_acpi_table(const char *sig, uint32_t *len);
const uint8_t *probe_acpi_dsdt(const uint8_t *fadt, uint32_t fadt_len, uint32_t *len);
void probe_mp_report(void);

/* probe-apic.c */
void probe_idt_init(void);
void probe_lapic_init(void);
void probe_lapic_eoi(void);
uint32_t probe_lapic_id(void);
void probe_ioapic_init(const struct probe_platform *pf);
int probe_ioapic_route_isa(const struct probe_platform *pf, unsigned irq,
			   uint8_t vector);
unsigned probe_smp_start(const struct probe_platform *pf);
void probe_trap(struct probe_frame *f);
uint32_t probe_lapic_read(uint32_t reg);
void probe_lapic_write(uint32_t reg, uint32_t v);
void probe_lapic_self_nmi(void);
extern volatile unsigned probe_nmi_count;
/* Called from the NMI handler when set; it must not return. */
extern void (*volatile probe_nmi_hold)(void);

/* probe-cpu.c */
extern bool probe_cpu_fpu;
bool probe_msr_fixup(struct probe_frame *f);
void probe_cpu_show(void);
void probe_cpu_dirty(bool reset);

/* probe-input.c */
void probe_kbd_irq(void);
void probe_kbd_enable(void);
void probe_serial_irq(void);
void probe_echo_enable(void);

/* probe-power.c */
void probe_poweroff(uint8_t status);
void probe_reset(void);
bool probe_acpi_s5(void);

/* probe-acpi.c */
int probe_acpi_s5_typ(const uint8_t *dsdt, uint32_t len);
void probe_acpi_report(void);
void probe_acpi_poweroff(void);
void probe_acpi_button(void);
void probe_acpi_sci(void);
void probe_panic_word(const char *w, size_t n);

#endif
