// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-count.c: probe.count[=D]: count and report for ever, checking memory, so that a snapshot's revert can be seen to go on. */
#include "probe.h"

/* RAM the probe fills once and checks at every turn. */
#define COUNT_WORDS 4096
#define COUNT_PERIOD_US 20000

static volatile uint32_t count_region[COUNT_WORDS];

static uint32_t count_pattern(uint64_t i)
{
	return (uint32_t)(i * 2654435761u) ^ 0x5a5aa5a5u;
}

static bool count_region_ok(void)
{
	for (uint64_t i = 0; i < COUNT_WORDS; i++)
		if (count_region[i] != count_pattern(i))
			return false;
	return true;
}

/* The count lives in guest memory like any program's: a restore must bring it back. */
static volatile uint64_t count_n;

void probe_count_word(const char *w, size_t n)
{
	int disk = -1;

	if (n > 12 && w[12] >= '0' && w[12] <= '3')
		disk = w[12] - '0';
	for (uint64_t i = 0; i < COUNT_WORDS; i++)
		count_region[i] = count_pattern(i);
	probe_printf("probe: count start disk=%d\n", disk);
	for (;;) {
		int st = disk >= 0 ? probe_blk_fill((unsigned)disk, 0, count_n) : 0;

		probe_printf("probe: count n=%lu ap=%u mem=%s disk=%d\n", (unsigned long)count_n,
			     probe_ap_spins_count ? *probe_ap_spins_count : 0u,
			     count_region_ok() ? "ok" : "bad", st);
		count_n++;
		probe_delay_us(COUNT_PERIOD_US);
	}
}
