// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-stats.c: vmtui stats: a VM's rates, sampled at an interval, as lines or JSON. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/model/stats.h"
#include "src/lib/util.h"

struct stats_opts {
	bool json;
	unsigned count;		/* 0: until interrupted */
	double interval;
};

static volatile sig_atomic_t stats_stop;

static void stats_on_signal(int sig)
{
	stats_stop = 1;
}

static int stats_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct stats_opts *o = ctx;
	char *end;

	switch (opt) {
	case 'n':
		if (parse_uint(arg, &o->count) < 0 || o->count == 0)
			return vmt_error_set(err, -EINVAL, "count: '%s' is not a positive number", arg);
		return 0;
	case 'i':
		o->interval = strtod(arg, &end);
		if (*end || !(o->interval >= 0.1 && o->interval <= 3600))
			return vmt_error_set(err, -EINVAL,
					     "interval: '%s' is not a number of seconds from 0.1 to 3600", arg);
		return 0;
	default:
		o->json = true;
		return 0;
	}
}

/* One sample of the VM with uuid; -ESRCH when it is not running. */
static int stats_sample(struct backend *be, const char *uuid, const char *name,
			struct vm_stats *out, struct vmt_error *err)
{
	struct vm_stats *all;
	size_t n;
	int r = backend_stats(be, &all, &n, err);

	if (r < 0)
		return r;
	r = vmt_error_set(err, -ESRCH, "VM %s is not running", name);
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i].uuid, uuid) == 0) {
			*out = all[i];
			r = 0;
		}
	free(all);
	return r;
}

/* A rate as the other sizes are printed ("1.5 MiB/s"), or "-" when the backend has none. */
static void stats_format_rate(char *buf, size_t len, const struct vm_rates *rt, unsigned group,
			      double bytes_per_s)
{
	size_t n;

	if (!(rt->have & group)) {
		snprintf(buf, len, "-");
		return;
	}
	cli_format_bytes(buf, len, (unsigned long long)(bytes_per_s + 0.5));
	n = strlen(buf);
	snprintf(buf + n, len - n, "/s");
}

static void stats_print_line(const struct vm_rates *rt, bool first)
{
	char mem[32], rates[4][32], when[16];
	time_t now = time(NULL);

	if (first)
		printf("%8s %7s %10s %12s %12s %12s %12s\n", "TIME", "CPU%", "MEMORY",
		       "DISK RD/s", "DISK WR/s", "NET RX/s", "NET TX/s");
	strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
	cli_format_bytes(mem, sizeof(mem), rt->mem_current_kib * 1024);
	stats_format_rate(rates[0], sizeof(rates[0]), rt, VM_STATS_BLOCK, rt->blk_rd_bps);
	stats_format_rate(rates[1], sizeof(rates[1]), rt, VM_STATS_BLOCK, rt->blk_wr_bps);
	stats_format_rate(rates[2], sizeof(rates[2]), rt, VM_STATS_NET, rt->net_rx_bps);
	stats_format_rate(rates[3], sizeof(rates[3]), rt, VM_STATS_NET, rt->net_tx_bps);
	printf("%8s %6.1f%% %10s %12s %12s %12s %12s\n", when, rt->cpu_pct, mem,
	       rates[0], rates[1], rates[2], rates[3]);
	fflush(stdout);
}

static void stats_print_json(struct json_writer *w, const struct vm_rates *rt)
{
	json_object_begin(w);
	json_kv_int(w, "time", (int64_t)time(NULL));
	json_kv_double(w, "interval_s", rt->interval_s);
	json_kv_double(w, "cpu_percent", rt->cpu_pct);
	json_kv_uint(w, "memory_kib", rt->mem_current_kib);
	json_kv_uint(w, "memory_rss_kib", rt->mem_rss_kib);
	json_kv_uint(w, "memory_available_kib", rt->mem_available_kib);
	json_kv_double(w, "disk_read_bytes_per_s", rt->blk_rd_bps);
	json_kv_double(w, "disk_write_bytes_per_s", rt->blk_wr_bps);
	json_kv_double(w, "disk_read_ops_per_s", rt->blk_rd_iops);
	json_kv_double(w, "disk_write_ops_per_s", rt->blk_wr_iops);
	json_kv_double(w, "net_rx_bytes_per_s", rt->net_rx_bps);
	json_kv_double(w, "net_tx_bytes_per_s", rt->net_tx_bps);
	json_kv_double(w, "net_rx_packets_per_s", rt->net_rx_pps);
	json_kv_double(w, "net_tx_packets_per_s", rt->net_tx_pps);
	json_object_end(w);
	fputc('\n', w->out);
	fflush(w->out);
}

static void stats_sleep(double seconds)
{
	struct timespec ts = { (time_t)seconds,
			       (long)((seconds - (double)(time_t)seconds) * 1e9) };

	nanosleep(&ts, NULL);
}

static int stats_loop(struct backend *be, const struct vm_info *info,
		      const struct stats_opts *o, struct vmt_error *err)
{
	struct vm_stats prev, cur;
	struct json_writer w;
	int r = stats_sample(be, info->uuid, info->name, &prev, err);

	json_init(&w, stdout);
	if (o->json && r == 0)
		json_array_begin(&w);
	for (unsigned i = 0; r == 0 && !stats_stop && (!o->count || i < o->count); i++) {
		struct vm_rates rt;

		stats_sleep(o->interval);
		if (stats_stop || (r = stats_sample(be, info->uuid, info->name, &cur, err)) < 0)
			break;
		vm_rates_compute(&prev, &cur, &rt);
		if (o->json)
			stats_print_json(&w, &rt);
		else
			stats_print_line(&rt, i == 0);
		prev = cur;
	}
	if (o->json && w.depth) {
		json_array_end(&w);
		json_done(&w);
	}
	return r;
}

int cmd_stats(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	struct stats_opts o = { .interval = 1 };
	struct vmt_error err;
	struct vm_info info;
	struct backend *be;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, stats_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (backend_lookup(be, argv[argi], &info, &err) < 0)
		return cli_fail(&err);
	signal(SIGINT, stats_on_signal);
	signal(SIGTERM, stats_on_signal);
	r = stats_loop(be, &info, &o, &err);
	vm_info_done(&info);
	return r < 0 ? cli_fail(&err) : CLI_EXIT_OK;
}
