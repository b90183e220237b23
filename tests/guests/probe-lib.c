// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-lib.c: the probe kernel's small runtime: memory and string helpers,
 * 16550 output and printf, CRC-32 and a PIT-calibrated TSC delay. */

#include <stdarg.h>

#include "probe.h"

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_THRE	0x20

/*
 * GCC may emit calls to these even in freestanding code; string
 * instructions keep it from turning their loops back into calls.  PVM
 * emulates rep movs/stos one iteration at a time, so the bulk goes eight
 * bytes per iteration.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n >> 3, r = n & 7;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(r) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t q = n >> 3, r = n & 7;
	uint64_t v = 0x0101010101010101ull * (uint8_t)c;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(r) : "a"(v) : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* 115200 8N1, FIFOs on with a 1-byte receive trigger so every byte
 * interrupts; OUT2 gates the IRQ line on PC-compatible UARTs. */
void probe_serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);
	outb(COM1 + UART_DLL, 0x01);
	outb(COM1 + UART_DLM, 0x00);
	outb(COM1 + UART_LCR, 0x03);
	outb(COM1 + UART_FCR, 0x07);
	outb(COM1 + UART_MCR, 0x0b);
}

/*
 * THRE means the whole 16-byte transmit FIFO is empty, so after seeing it
 * 16 bytes go out without asking again: one port exit per byte instead of
 * two.  The wait is bounded: a UART that never reports THRE must not hang us.
 */
void probe_serial_putc(char c)
{
	static unsigned room;

	for (int i = 0; !room && i < 100000; i++) {
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			room = 16;
		else
			cpu_relax();
	}
	if (room)
		room--;
	outb(COM1 + UART_THR, (uint8_t)c);
}

/*
 * printf output is gathered and sent 16 bytes per rep outsb after one
 * THRE check: a line costs a few port exits instead of two per byte.
 */
static char out_buf[16];
static unsigned out_len;

static void out_flush(void)
{
	const char *p = out_buf;
	unsigned long n = out_len;

	if (!n)
		return;
	for (int i = 0; i < 100000; i++) {
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
		cpu_relax();
	}
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"(COM1 + UART_THR) : "memory");
	out_len = 0;
}

static void out_byte(char c)
{
	out_buf[out_len++] = c;
	if (out_len == sizeof(out_buf))
		out_flush();
}

/* Text goes out with CR LF line ends, as a Linux serial console does. */
static void put_char(char c)
{
	if (c == '\n')
		out_byte('\r');
	out_byte(c);
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_num(uint64_t v, unsigned base, unsigned width, char pad)
{
	char buf[24];
	unsigned n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width && n < sizeof(buf))
		buf[n++] = pad;
	while (n)
		put_char(buf[--n]);
}

static uint64_t arg_unsigned(va_list *ap, int longs)
{
	if (longs)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

/* A printf for %s %c %d %u %x %ld %lu %lx, with an optional 0 flag and width. */
void probe_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		unsigned width = 0;
		char pad = ' ';
		int longs = 0;

		if (*fmt != '%') {
			put_char(*fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l')
			longs = 1, fmt++;
		switch (*fmt) {
		case 's': put_str(va_arg(ap, const char *)); break;
		case 'c': put_char((char)va_arg(ap, int)); break;
		case 'u': put_num(arg_unsigned(&ap, longs), 10, width, pad); break;
		case 'd': {
			long v = longs ? va_arg(ap, long) : va_arg(ap, int);

			if (v < 0)
				put_char('-');
			put_num(v < 0 ? (uint64_t)-v : (uint64_t)v, 10, width, pad);
			break;
		}
		case 'x': put_num(arg_unsigned(&ap, longs), 16, width, pad); break;
		case '%': put_char('%'); break;
		default: goto done;
		}
	}
done:
	va_end(ap);
	out_flush();
}

/*
 * IEEE 802.3 CRC-32, reflected, as zlib's crc32() computes it; eight bytes
 * per step ("slicing by 8") because instructions are dear under emulating
 * hypervisors such as PVM, where this loop dominates the probe's run time.
 */
static uint32_t crc_tab[8][256] __attribute__((section(".noclear")));
static bool crc_ready;

static void crc_tab_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			crc_tab[k][i] = (crc_tab[k - 1][i] >> 8) ^
					crc_tab[0][crc_tab[k - 1][i] & 0xff];
}

uint32_t probe_crc32(const uint8_t *p, uint64_t n)
{
	uint32_t crc = 0xffffffff, lo, hi;

	if (!crc_ready) {
		crc_tab_init();
		crc_ready = true;
	}
	for (; n >= 8; n -= 8, p += 8) {
		__builtin_memcpy(&lo, p, 4);	/* one unaligned load */
		__builtin_memcpy(&hi, p + 4, 4);
		lo ^= crc;
		crc = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^
		      crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
		      crc_tab[3][hi & 0xff] ^ crc_tab[2][(hi >> 8) & 0xff] ^
		      crc_tab[1][(hi >> 16) & 0xff] ^ crc_tab[0][hi >> 24];
	}
	while (n--)
		crc = crc_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#define PIT_HZ		1193182
#define PIT_TICKS_10MS	11932
#define TSC_KHZ_GUESS	4000000	/* high on purpose: delays only get longer */

static uint64_t tsc_khz = TSC_KHZ_GUESS;

/* Latch and read PIT channel 0's current count. */
static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(0x43, 0x00);
	lo = inb(0x40);
	hi = inb(0x40);
	return (uint16_t)(lo | hi << 8);
}

/* Measures the TSC against 10 ms of PIT channel 0 (mode 0, one shot, so it
 * does not keep interrupting).  Returns 0 when there is no working PIT. */
static uint64_t tsc_khz_from_pit(void)
{
	uint16_t start, prev, now;
	uint64_t t0;
	unsigned stuck = 0;

	outb(0x43, 0x30);
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	start = prev = pit_count();
	t0 = rdtsc();
	for (unsigned i = 0; i < 100000 && stuck < 1000; i++) {
		now = pit_count();
		stuck = now == prev ? stuck + 1 : 0;
		prev = now;
		if ((uint16_t)(start - now) >= PIT_TICKS_10MS) {
			uint64_t cycles = rdtsc() - t0;

			return cycles * PIT_HZ / (uint16_t)(start - now) / 1000;
		}
	}
	return 0;
}

static uint64_t tsc_khz_from_cpuid(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0));
	if (a < 0x15)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x15), "c"(0));
	if (a && b && c)
		return (uint64_t)c / 1000 * b / a;
	return 0;
}

/* The timing leaf some VMMs offer (vmtui-vmm does): no 10 ms PIT wait. */
static uint64_t tsc_khz_from_hypervisor(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 31)))
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
	if (a < 0x40000010)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000010), "c"(0));
	return a;
}

void probe_tsc_calibrate(void)
{
	const char *source = "hypervisor";
	uint64_t khz = tsc_khz_from_hypervisor();

	if (!khz) {
		source = "pit";
		khz = tsc_khz_from_pit();
	}

	if (!khz) {
		source = "cpuid";
		khz = tsc_khz_from_cpuid();
	}
	if (!khz) {
		source = "assumed";
		khz = TSC_KHZ_GUESS;
	}
	tsc_khz = khz;
	probe_printf("probe: tsc khz=%lu source=%s\n", (unsigned long)khz, source);
}

uint64_t probe_tsc_khz(void)
{
	return tsc_khz;
}

void probe_delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * tsc_khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}
