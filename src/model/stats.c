// SPDX-License-Identifier: GPL-2.0-or-later
/* stats.c: turning counter samples into rates, with counter resets handled. */
#include "config.h"

#include <string.h>

#include "src/model/stats.h"

/* Per second over dt; a counter that went backwards (a restart) counts as 0. */
static double stats_rate(uint64_t before, uint64_t after, double dt)
{
	return after >= before && dt > 0 ? (double)(after - before) / dt : 0;
}

void vm_rates_compute(const struct vm_stats *prev, const struct vm_stats *cur,
		      struct vm_rates *out)
{
	double dt = cur->time_ns > prev->time_ns ? (double)(cur->time_ns - prev->time_ns) / 1e9 : 0;
	unsigned vcpus = cur->vcpus ? cur->vcpus : 1;

	memset(out, 0, sizeof(*out));
	out->have = prev->have & cur->have;
	out->interval_s = dt;
	out->cpu_pct = stats_rate(prev->cpu_ns, cur->cpu_ns, dt) / 1e9 / vcpus * 100;
	if (out->cpu_pct > 100)
		out->cpu_pct = 100;
	out->mem_current_kib = cur->mem_current_kib;
	out->mem_rss_kib = cur->mem_rss_kib;
	out->mem_available_kib = cur->mem_available_kib;
	out->blk_rd_bps = stats_rate(prev->blk_rd_bytes, cur->blk_rd_bytes, dt);
	out->blk_wr_bps = stats_rate(prev->blk_wr_bytes, cur->blk_wr_bytes, dt);
	out->blk_rd_iops = stats_rate(prev->blk_rd_reqs, cur->blk_rd_reqs, dt);
	out->blk_wr_iops = stats_rate(prev->blk_wr_reqs, cur->blk_wr_reqs, dt);
	out->net_rx_bps = stats_rate(prev->net_rx_bytes, cur->net_rx_bytes, dt);
	out->net_tx_bps = stats_rate(prev->net_tx_bytes, cur->net_tx_bytes, dt);
	out->net_rx_pps = stats_rate(prev->net_rx_pkts, cur->net_rx_pkts, dt);
	out->net_tx_pps = stats_rate(prev->net_tx_pkts, cur->net_tx_pkts, dt);
}
