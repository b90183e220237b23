// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-apic.c: the probe kernel's interrupt plumbing (IDT, local APIC,
 * IOAPIC, 8259 masking) and the INIT-SIPI-SIPI start of the APs. */

#include "probe.h"
#include "probe-virtio.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_EXTD		(1u << 10)
#define APIC_BASE_EN		(1u << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull

#define LAPIC_ID		0x020
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ICR_LO		0x300
#define LAPIC_ICR_HI		0x310
#define ICR_BUSY		(1u << 12)
#define ICR_INIT		0x00004500	/* INIT, level assert */
#define ICR_SIPI		0x00004600	/* start-up, vector = page number */
#define ICR_NMI			0x00004400	/* NMI, level assert */

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_VER		0x01
#define IOAPIC_REDIR(pin)	(0x10 + 2 * (pin))
#define REDIR_MASKED		(1u << 16)
#define REDIR_LEVEL		(1u << 15)
#define REDIR_ACTIVE_LOW	(1u << 13)

struct idt_gate {
	uint16_t off0;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off1;
	uint32_t off2;
	uint32_t zero;
} __attribute__((packed));

extern const char probe_isr_stubs[];
extern const char probe_ap_tramp[], probe_ap_counter[], probe_ap_spins[], probe_ap_spin[],
	probe_ap_tramp_end[];

volatile uint32_t *probe_ap_spins_count;

static struct idt_gate idt[256] __attribute__((aligned(16), section(".noclear")));
static uint64_t lapic_base;

/* Every vector gets a gate so that a stray exception is reported rather
 * than escalating into a silent triple fault. */
void probe_idt_init(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } desc;

	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)(uintptr_t)probe_isr_stubs + 16 * v;

		idt[v].off0 = (uint16_t)a;
		idt[v].sel = PROBE_CS64;
		idt[v].ist = 0;
		idt[v].type = 0x8e;	/* present, DPL 0, interrupt gate */
		idt[v].off1 = (uint16_t)(a >> 16);
		idt[v].off2 = (uint32_t)(a >> 32);
		idt[v].zero = 0;
	}
	desc.limit = sizeof(idt) - 1;
	desc.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" : : "m"(desc));
}

volatile unsigned probe_nmi_count;
void (*volatile probe_nmi_hold)(void);

void probe_trap(struct probe_frame *f)
{
	if (probe_msr_fixup(f))
		return;
	switch (f->vector) {
	case 2:
		probe_nmi_count++;
		if (probe_nmi_hold)
			probe_nmi_hold();	/* never returns: NMIs stay blocked */
		return;			/* NMIs take no EOI */
	case PROBE_VEC_KBD:
		probe_kbd_irq();
		break;
	case PROBE_VEC_SERIAL:
		probe_serial_irq();
		break;
	case PROBE_VEC_SCI:
		probe_acpi_sci();
		break;
	case PROBE_VEC_SPURIOUS:
		return;		/* spurious interrupts take no EOI */
	case PV_VEC_BASE ... PV_VEC_BASE + 15:
		pv_irq((unsigned)f->vector);
		break;
	default:
		if (f->vector < 32) {
			probe_printf("probe: exception vector=%lu error=%lx rip=%lx\n",
				     (unsigned long)f->vector, (unsigned long)f->error,
				     (unsigned long)f->rip);
			cpu_halt_forever();
		}
		break;
	}
	probe_lapic_eoi();
}

static uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(lapic_base + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(lapic_base + reg, v);
}

uint32_t probe_lapic_read(uint32_t reg)
{
	return lapic_base ? lapic_read(reg) : 0;
}

void probe_lapic_write(uint32_t reg, uint32_t v)
{
	if (lapic_base)
		lapic_write(reg, v);
}

/* xAPIC mode at the base the MSR names; x2APIC mode, if firmware left it
 * on, can only be left through the disabled state. */
void probe_lapic_init(void)
{
	uint64_t v = rdmsr(MSR_APIC_BASE);

	if (v & APIC_BASE_EXTD) {
		v &= ~(uint64_t)(APIC_BASE_EXTD | APIC_BASE_EN);
		wrmsr(MSR_APIC_BASE, v);
	}
	if (!(v & APIC_BASE_EN))
		wrmsr(MSR_APIC_BASE, v | APIC_BASE_EN);
	lapic_base = v & APIC_BASE_ADDR_MASK;
	if (lapic_base >= PROBE_MAPPED_LIMIT) {
		probe_printf("probe: warning local APIC at %lx is not mapped\n",
			     (unsigned long)lapic_base);
		lapic_base = 0;
		return;
	}
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | PROBE_VEC_SPURIOUS);
}

void probe_lapic_eoi(void)
{
	if (lapic_base)
		lapic_write(LAPIC_EOI, 0);
}

uint32_t probe_lapic_id(void)
{
	return lapic_base ? lapic_read(LAPIC_ID) >> 24 : 0;
}

static uint32_t ioapic_read(uint64_t base, uint32_t reg)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	return mmio_read32(base + IOAPIC_WIN);
}

static void ioapic_write(uint64_t base, uint32_t reg, uint32_t v)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	mmio_write32(base + IOAPIC_WIN, v);
}

static unsigned ioapic_pins(uint64_t base)
{
	return ((ioapic_read(base, IOAPIC_VER) >> 16) & 0xff) + 1;
}

/* Everything masked: the 8259s (the IOAPIC does the routing) and every
 * IOAPIC pin until a handler asks for one. */
void probe_ioapic_init(const struct probe_platform *pf)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	for (unsigned i = 0; i < pf->nioapics; i++) {
		uint64_t base = pf->ioapics[i].addr;

		if (base >= PROBE_MAPPED_LIMIT)
			continue;
		for (unsigned pin = 0, n = ioapic_pins(base); pin < n; pin++) {
			ioapic_write(base, IOAPIC_REDIR(pin), REDIR_MASKED);
			ioapic_write(base, IOAPIC_REDIR(pin) + 1, 0);
		}
	}
}

/* Routes ISA IRQ irq to vector on this CPU, honouring source overrides
 * (MPS INTI flags: polarity 3 = active low, trigger 3 = level). */
int probe_ioapic_route_isa(const struct probe_platform *pf, unsigned irq,
			   uint8_t vector)
{
	const struct probe_irq_route *r = &pf->isa[irq];
	const struct probe_ioapic *io = NULL;
	uint32_t low = vector;
	unsigned pin;

	for (unsigned i = 0; i < pf->nioapics; i++)
		if (pf->ioapics[i].gsi_base <= r->gsi &&
		    (!io || pf->ioapics[i].gsi_base > io->gsi_base))
			io = &pf->ioapics[i];
	if (!io || io->addr >= PROBE_MAPPED_LIMIT)
		return -1;
	pin = r->gsi - io->gsi_base;
	if (pin >= ioapic_pins(io->addr))
		return -1;
	if ((r->flags & 3) == 3)
		low |= REDIR_ACTIVE_LOW;
	if (((r->flags >> 2) & 3) == 3)
		low |= REDIR_LEVEL;
	ioapic_write(io->addr, IOAPIC_REDIR(pin) + 1, probe_lapic_id() << 24);
	ioapic_write(io->addr, IOAPIC_REDIR(pin), low);
	return 0;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Is this low page free of everything the boot left that the probe knows
 * of: the loader's zero page (and in a 16-bit boot the whole setup), the
 * command line, the EBDA, the firmware tables and the initrd? */
static bool tramp_page_free(uint64_t page)
{
	const struct probe_boot *b = &probe_boot;
	const struct probe_platform *pf = &probe_platform;
	uint64_t bp_len = b->entry == 16 ? 0x10000 : BP_SIZE;
	uint64_t ebda = (uint64_t)*(volatile uint16_t *)phys_ptr(0x40e) << 4;

	if (ebda < 0x80000 || ebda >= 0xa0000)
		ebda = 0;
	if (!probe_mem_known(page, 0x1000, true) ||
	    overlaps(page, 0x1000, b->bp_phys, bp_len) ||
	    overlaps(page, 0x1000, b->cmdline_phys, b->cmdline_len + 1) ||
	    (ebda && overlaps(page, 0x1000, ebda, 0xa0000 - ebda)))
		return false;
	for (unsigned i = 0; i < pf->ntables; i++)
		if (overlaps(page, 0x1000, pf->tables[i], 64))
			return false;
	return !overlaps(page, 0x1000,
			 get32(b->bp + BP_RAMDISK_IMAGE), get32(b->bp + BP_RAMDISK_SIZE));
}

/* The highest such page below the 640 KiB line, page 0 (IVT, BDA) never. */
static uint64_t tramp_page_pick(void)
{
	for (uint64_t page = 0x9f000; page >= 0x1000; page -= 0x1000)
		if (tramp_page_free(page))
			return page;
	return 0;
}

static bool lapic_ipi(uint32_t apic_id, uint32_t icr)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr);
	for (int i = 0; i < 100000; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_BUSY))
			return true;
		cpu_relax();
	}
	return false;
}

/* An NMI to this CPU by its own APIC ID (no shorthand: "self" takes fixed interrupts only). */
void probe_lapic_self_nmi(void)
{
	if (lapic_base)
		lapic_ipi(probe_lapic_id(), ICR_NMI);
}

/* Sends one IPI to every listed AP that xAPIC can address. */
static unsigned ipi_all_aps(const struct probe_platform *pf, uint32_t icr)
{
	uint32_t self = probe_lapic_id();
	unsigned n = 0;

	for (unsigned i = 0; i < pf->ncpus && i < PROBE_MAX_CPUS; i++) {
		if (pf->apic_ids[i] == self || pf->apic_ids[i] > 0xfe)
			continue;
		lapic_ipi(pf->apic_ids[i], icr);
		n++;
	}
	return n;
}

/* Waits up to a second for the APs to count themselves in. */
static uint32_t ap_wait(volatile uint32_t *counter, unsigned want)
{
	for (int ms = 0; ms < 1000 && *counter < want; ms++)
		probe_delay_us(1000);
	return *counter;
}

/* INIT, 10 ms, SIPI, 200 us, SIPI, as the MP specification's universal
 * start-up algorithm has it; returns the CPUs that ran, BSP included. */
unsigned probe_smp_start(const struct probe_platform *pf)
{
	uint64_t page;
	volatile uint32_t *counter;
	unsigned want;

	if (!lapic_base || pf->ncpus < 2)
		return 1;
	page = tramp_page_pick();
	if (!page) {
		probe_printf("probe: warning no free page below 640 KiB for the AP trampoline\n");
		return 1;
	}
	probe_printf("probe: ap trampoline=%lx\n", (unsigned long)page);
	memcpy(phys_ptr(page), probe_ap_tramp,
	       (size_t)(probe_ap_tramp_end - probe_ap_tramp));
	counter = phys_ptr(page + (uint64_t)(probe_ap_counter - probe_ap_tramp));
	*counter = 0;
	if (probe_cmdline_has_prefix("probe.count")) {
		*(volatile uint8_t *)phys_ptr(page + (uint64_t)(probe_ap_spin - probe_ap_tramp)) = 1;
		probe_ap_spins_count = phys_ptr(page + (uint64_t)(probe_ap_spins - probe_ap_tramp));
	}
	want = ipi_all_aps(pf, ICR_INIT);
	probe_delay_us(10000);
	ipi_all_aps(pf, ICR_SIPI | (uint32_t)(page >> 12));
	probe_delay_us(200);
	if (*counter < want)
		ipi_all_aps(pf, ICR_SIPI | (uint32_t)(page >> 12));
	return 1 + ap_wait(counter, want);
}
