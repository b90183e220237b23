/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.h: rates (CPU %, bytes and operations per second) from two samples of counters. */
#ifndef VMTUI_STATS_H
#define VMTUI_STATS_H

#include "backend/backend.h"

struct vm_rates {
	unsigned have;		/* VM_STATS_* groups both samples carry */
	double interval_s;
	double cpu_pct;		/* of the VM's vCPUs: 100 is every vCPU busy */
	uint64_t mem_current_kib, mem_rss_kib, mem_available_kib;
	double blk_rd_bps, blk_wr_bps, blk_rd_iops, blk_wr_iops;
	double net_rx_bps, net_tx_bps, net_rx_pps, net_tx_pps;
};

/* Rates over the time between prev and cur (samples of the same VM). */
void vm_rates_compute(const struct vm_stats *prev, const struct vm_stats *cur,
		      struct vm_rates *out);

#endif
