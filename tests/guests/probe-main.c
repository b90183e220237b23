// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-main.c: the probe kernel's main line: it copies what the boot loader
 * handed over, reports it on the serial port and acts on probe.* options. */

#include "probe.h"
#include "probe-virtio.h"

/* Both are filled in full before use (boot_copy, probe_tables_scan): no clearing. */
struct probe_boot probe_boot __attribute__((section(".noclear")));
struct probe_platform probe_platform __attribute__((section(".noclear")));

/*
 * True when [addr, addr+len) is memory the probe may read: inside the
 * identity map and inside one e820 entry (a usable one when ram_only),
 * or, unless ram_only, below 1 MiB, where firmware tables live.
 */
bool probe_mem_known(uint64_t addr, uint64_t len, bool ram_only)
{
	uint64_t end = addr + len;

	if (end < addr || end > PROBE_MAPPED_LIMIT)
		return false;
	if (!ram_only && end <= 0x100000)
		return true;
	for (unsigned i = 0; i < probe_boot.e820_n; i++) {
		const struct e820_entry *e = &probe_boot.e820[i];

		if (ram_only && e->type != 1)
			continue;
		if (addr >= e->addr && end <= e->addr + e->size)
			return true;
	}
	return false;
}

/* Bytes readable from addr on: to the end of its e820 entry, or up to
 * 1 MiB in the firmware area; 0 when addr is in neither. */
static uint64_t mem_avail(uint64_t addr)
{
	uint64_t best = addr && addr < 0x100000 ? 0x100000 - addr : 0;

	for (unsigned i = 0; addr && i < probe_boot.e820_n; i++) {
		const struct e820_entry *e = &probe_boot.e820[i];
		uint64_t end = e->addr + e->size;

		if (end > PROBE_MAPPED_LIMIT)
			end = PROBE_MAPPED_LIMIT;
		if (addr >= e->addr && addr < end && end - addr > best)
			best = end - addr;
	}
	return best;
}

/* The loader's zero page and command line may be reused by anything later,
 * so they are copied before anything else happens.  A command line outside
 * known memory is left empty (and reported once the UART is up). */
static void boot_copy(uint64_t bp_phys, unsigned entry)
{
	struct probe_boot *b = &probe_boot;
	const uint8_t *bp = phys_ptr(bp_phys);
	const char *src;
	uint64_t avail;

	b->bp_phys = bp_phys;
	b->entry = entry;
	memcpy(b->bp, bp, BP_SIZE);
	b->e820 = (const struct e820_entry *)(b->bp + BP_E820_TABLE);
	b->e820_n = b->bp[BP_E820_ENTRIES];
	if (b->e820_n > BP_E820_MAX)
		b->e820_n = BP_E820_MAX;

	b->cmdline_phys = get32(b->bp + BP_CMD_LINE_PTR) |
			  (uint64_t)get32(b->bp + BP_EXT_CMD_LINE_PTR) << 32;
	avail = mem_avail(b->cmdline_phys);
	if (avail > PROBE_CMDLINE_MAX - 1)
		avail = PROBE_CMDLINE_MAX - 1;
	src = phys_ptr(b->cmdline_phys);
	b->cmdline_len = 0;
	while (b->cmdline_len < avail && src[b->cmdline_len]) {
		b->cmdline[b->cmdline_len] = src[b->cmdline_len];
		b->cmdline_len++;
	}
	b->cmdline[b->cmdline_len] = 0;
}

static void e820_report(void)
{
	uint64_t ram = 0;

	for (unsigned i = 0; i < probe_boot.e820_n; i++) {
		const struct e820_entry *e = &probe_boot.e820[i];

		probe_printf("probe: e820 %lx %lx %u\n", (unsigned long)e->addr,
			     (unsigned long)e->size, e->type);
		if (e->type == 1)
			ram += e->size;
	}
	probe_printf("probe: e820 entries=%u ram=%lu\n", probe_boot.e820_n,
		     (unsigned long)ram);
}

static void initrd_range(uint64_t *addr, uint64_t *size)
{
	const uint8_t *bp = probe_boot.bp;

	*addr = get32(bp + BP_RAMDISK_IMAGE) |
		(uint64_t)get32(bp + BP_EXT_RAMDISK_IMAGE) << 32;
	*size = get32(bp + BP_RAMDISK_SIZE) |
		(uint64_t)get32(bp + BP_EXT_RAMDISK_SIZE) << 32;
}

/* The CRC is only computed over memory e820 calls usable, so a bogus
 * ramdisk_image cannot make the probe read a hole. */
static void initrd_report(void)
{
	uint64_t addr, size;

	initrd_range(&addr, &size);
	if (!size) {
		probe_printf("probe: initrd size=0\n");
		return;
	}
	if (!probe_mem_known(addr, size, true)) {
		probe_printf("probe: warning initrd %lx+%lx is not in usable RAM\n",
			     (unsigned long)addr, (unsigned long)size);
		probe_printf("probe: initrd size=%lu crc32=-\n", (unsigned long)size);
		return;
	}
	probe_printf("probe: initrd size=%lu crc32=%08x\n", (unsigned long)size,
		     probe_crc32(phys_ptr(addr), size));
}

/* Calls fn(word, len, arg) for each blank-separated word of the command line. */
void probe_cmdline_each(void (*fn)(const char *, size_t, void *), void *arg)
{
	const char *p = probe_boot.cmdline;

	while (*p) {
		size_t n = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (p[n] && p[n] != ' ' && p[n] != '\t')
			n++;
		if (n)
			fn(p, n, arg);
		p += n;
	}
}

static bool word_is(const char *w, size_t n, const char *name)
{
	return n == strlen(name) && !memcmp(w, name, n);
}

static void find_word(const char *w, size_t n, void *arg)
{
	const char **name = arg;

	if (*name && word_is(w, n, *name))
		*name = NULL;
}

static bool cmdline_has(const char *name)
{
	const char *want = name;

	probe_cmdline_each(find_word, &want);
	return want == NULL;
}

static void find_prefix(const char *w, size_t n, void *arg)
{
	const char **prefix = arg;

	if (*prefix && n >= strlen(*prefix) && !memcmp(w, *prefix, strlen(*prefix)))
		*prefix = NULL;
}

bool probe_cmdline_has_prefix(const char *prefix)
{
	const char *want = prefix;

	probe_cmdline_each(find_prefix, &want);
	return want == NULL;
}

/* Parses the decimal after "probe.exits="; false when it is not one. */
static bool parse_count(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (!n || n > 12)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Times N port-I/O exits for the benchmark: 32-bit writes to 0x512. */
static void do_exits(uint64_t n)
{
	uint64_t t0 = rdtsc();

	for (uint64_t i = 0; i < n; i++)
		outl(PROBE_PORT_BENCH, (uint32_t)i);
	probe_printf("probe: exits n=%lu tsc=%lu\n", (unsigned long)n,
		     (unsigned long)(rdtsc() - t0));
}

static void do_reset(void)
{
	probe_printf("probe: reset\n");
	probe_reset();
}

/*
 * With an empty IDT no exception can be delivered, so the first one
 * escalates through #GP and #DF to a triple fault (shutdown).  ud2 rather
 * than int3: PVM-based KVM (as on the project's hosts) cannot emulate
 * int3 there and stops with an internal error instead of a shutdown.
 */
static void do_triplefault(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } none = { 0, 0 };

	probe_printf("probe: triplefault\n");
	__asm__ volatile("cli; lidt %0; ud2" : : "m"(none) : "memory");
	probe_printf("probe: warning triple fault did not happen\n");
}

static void report_unknown(const char *w, size_t n)
{
	char word[256];

	if (n >= sizeof(word))
		n = sizeof(word) - 1;
	memcpy(word, w, n);
	word[n] = 0;
	probe_printf("probe: unknown option %s\n", word);
}

static bool word_starts(const char *w, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);

	return n > l && !memcmp(w, prefix, l);
}

static void act_on_word(const char *w, size_t n, void *arg)
{
	static const char exits[] = "probe.exits=";
	const size_t elen = sizeof(exits) - 1;
	uint64_t count;

	(void)arg;
	if (n < 6 || memcmp(w, "probe.", 6) != 0)
		return;
	if (word_is(w, n, "probe.echo") || word_is(w, n, "probe.poweroff") ||
	    word_is(w, n, "probe.eventidx") || word_is(w, n, "probe.cpu.fpu"))
		return;	/* handled before and after the others */
	if (n > elen && !memcmp(w, exits, elen) && parse_count(w + elen, n - elen, &count))
		do_exits(count);
	else if (word_is(w, n, "probe.pci"))
		pv_scan();
	else if (word_starts(w, n, "probe.blk."))
		probe_blk_word(w, n);
	else if (word_starts(w, n, "probe.net."))
		probe_net_word(w, n);
	else if (word_starts(w, n, "probe.rng="))
		probe_rng_word(w, n);
	else if (word_starts(w, n, "probe.evil="))
		probe_evil_word(w, n);
	else if (word_is(w, n, "probe.count") || word_starts(w, n, "probe.count="))
		probe_count_word(w, n);
	else if (word_is(w, n, "probe.acpi"))
		probe_acpi_report();
	else if (word_is(w, n, "probe.acpi.poweroff"))
		probe_acpi_poweroff();
	else if (word_is(w, n, "probe.acpi.button"))
		probe_acpi_button();
	else if (word_is(w, n, "probe.mptable"))
		probe_mp_report();
	else if (word_starts(w, n, "probe.panic="))
		probe_panic_word(w, n);
	else if (word_is(w, n, "probe.cpu.show"))
		probe_cpu_show();
	else if (word_is(w, n, "probe.cpu.dirty") || word_is(w, n, "probe.cpu.dirty=reset"))
		probe_cpu_dirty(n > strlen("probe.cpu.dirty"));
	else if (word_is(w, n, "probe.reset"))
		do_reset();
	else if (word_is(w, n, "probe.triplefault"))
		do_triplefault();
	else
		report_unknown(w, n);
}

static void report_boot(void)
{
	probe_printf("probe: boot entry=%u\n", probe_boot.entry);
	probe_printf("probe: protocol loader=%x\n", probe_boot.bp[BP_TYPE_OF_LOADER]);
	if (probe_boot.cmdline_phys && !mem_avail(probe_boot.cmdline_phys))
		probe_printf("probe: warning command line at %lx is not in memory\n",
			     (unsigned long)probe_boot.cmdline_phys);
	probe_printf("probe: cmdline=%s\n", probe_boot.cmdline);
	e820_report();
	initrd_report();
}

static void report_cpus(void)
{
	struct probe_platform *pf = &probe_platform;

	probe_tables_scan(pf);
	probe_printf("probe: cpus-listed=%u source=%s\n", pf->ncpus, pf->source);
	probe_printf("probe: cpus=%u\n", probe_smp_start(pf));
}

void probe_main(uint64_t bp_phys, unsigned entry)
{
	boot_copy(bp_phys, entry);
	probe_serial_init();
	probe_idt_init();
	report_boot();
	probe_tsc_calibrate();
	probe_lapic_init();
	report_cpus();
	probe_ioapic_init(&probe_platform);
	probe_kbd_enable();
	if (cmdline_has("probe.echo"))
		probe_echo_enable();
	pv_event_idx = cmdline_has("probe.eventidx");
	probe_cpu_fpu = cmdline_has("probe.cpu.fpu");
	probe_printf("probe: ready\n");
	outb(PROBE_PORT_READY, 0x00);
	__asm__ volatile("sti" : : : "memory");

	probe_cmdline_each(act_on_word, NULL);
	if (cmdline_has("probe.poweroff")) {
		probe_printf("probe: poweroff\n");
		probe_poweroff(0);
	}
	for (;;)
		__asm__ volatile("sti; hlt" : : : "memory");
}
