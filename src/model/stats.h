/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.h: rates (CPU %, bytes and operations per second) from two samples of counters. */
#ifndef VMTUI_STATS_H
#define VMTUI_STATS_H

#include <stdint.h>

/* Raw counters of one VM at one moment; rates come from two samples. */
enum {
	VM_STATS_CPU = 1 << 0,
	VM_STATS_MEM = 1 << 1,
	VM_STATS_BLOCK = 1 << 2,
	VM_STATS_NET = 1 << 3,
};

struct vm_stats {
	char uuid[37];
	unsigned have;		/* VM_STATS_* bits: which groups are filled */
	uint64_t time_ns;	/* CLOCK_MONOTONIC when sampled */
	unsigned vcpus;
	uint64_t cpu_ns;	/* guest CPU time, all vCPUs */
	uint64_t mem_current_kib;
	uint64_t mem_rss_kib;
	uint64_t mem_available_kib;	/* 0: the guest does not say */
	uint64_t mem_unused_kib;
	uint64_t blk_rd_bytes, blk_wr_bytes, blk_rd_reqs, blk_wr_reqs;
	uint64_t net_rx_bytes, net_tx_bytes, net_rx_pkts, net_tx_pkts;
};

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
