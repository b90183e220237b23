// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-stats.c: the list and the statistics of all domains, each from one bulk libvirt call. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "backend/libvirt/lv-priv.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

static struct lv_def_cache *lv_cache_find(struct lv_conn *lv, const char *uuid)
{
	for (size_t i = 0; i < lv->n_cache; i++)
		if (strcmp(lv->cache[i].uuid, uuid) == 0)
			return &lv->cache[i];
	return NULL;
}

void lv_cache_forget(struct lv_conn *lv, const char *uuid)
{
	pthread_mutex_lock(&lv->lock);
	lv_cache_forget_locked(lv, uuid);
	pthread_mutex_unlock(&lv->lock);
}

void lv_cache_forget_locked(struct lv_conn *lv, const char *uuid)
{
	struct lv_def_cache *c;

	lv->cache_gen++;
	if (!*uuid) {
		lv->n_cache = 0;
		return;
	}
	c = lv_cache_find(lv, uuid);
	if (c)
		*c = lv->cache[--lv->n_cache];
}

static uint64_t lv_param_u64(virDomainStatsRecordPtr rec, const char *name,
			     bool *found)
{
	unsigned long long v = 0;
	int r = virTypedParamsGetULLong(rec->params, rec->nparams, name, &v);

	if (r != 1) {
		unsigned int u = 0;

		r = virTypedParamsGetUInt(rec->params, rec->nparams, name, &u);
		v = u;
	}
	if (found)
		*found = r == 1;
	return r == 1 ? v : 0;
}

static int lv_param_int(virDomainStatsRecordPtr rec, const char *name)
{
	int v = 0;

	virTypedParamsGetInt(rec->params, rec->nparams, name, &v);
	return v;
}

/*
 * One bulk call for every domain of the connection. Drivers that do not
 * know the NOWAIT flag (which skips domains whose monitor is busy) get
 * the call again without it, once per connection.
 */
static int lv_all_stats(struct lv_conn *lv, unsigned groups, unsigned flags,
			virDomainStatsRecordPtr **recs, struct vmt_error *err)
{
	static const unsigned nowait = VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;
	int n;

	if (!lv->no_nowait) {
		n = LV_CALL(lv, virConnectGetAllDomainStats(lv->cur.conn, groups, recs,
							    flags | nowait));
		if (n >= 0)
			return n;
		virErrorPtr e = virGetLastError();

		if (!e || e->code != VIR_ERR_INVALID_ARG)
			return lv_fail(err, "cannot read the domains");
		lv->no_nowait = true;
	}
	n = LV_CALL(lv, virConnectGetAllDomainStats(lv->cur.conn, groups, recs, flags));
	return n < 0 ? lv_fail(err, "cannot read the domains") : n;
}

/* The UUIDs of the domains one virConnectListAllDomains filter selects. */
static char **lv_uuids_with(struct lv_conn *lv, unsigned flags, int *n)
{
	virDomainPtr *doms = NULL;
	char **uuids;

	*n = LV_CALL(lv, virConnectListAllDomains(lv->cur.conn, &doms, flags));
	if (*n < 0) {
		*n = 0;
		return NULL;
	}
	uuids = xcalloc((size_t)*n, sizeof(*uuids));
	for (int i = 0; i < *n; i++) {
		uuids[i] = xmalloc(VIR_UUID_STRING_BUFLEN);
		virDomainGetUUIDString(doms[i], uuids[i]);
		virDomainFree(doms[i]);
	}
	free(doms);
	return uuids;
}

/*
 * vCPUs and memory the stats did not carry (drivers such as test:/// give
 * only the state): from the cache, else asked once per domain and kept
 * until a DEFINED or UNDEFINED event or a reconnect says it changed.
 * Returns the number of libvirt calls it made.
 */
static unsigned lv_info_definition(struct lv_conn *lv, virDomainPtr dom,
				   struct vm_info *info)
{
	struct lv_def_cache c = { .vcpus = 0 }, *found;
	bool have, asked = false;
	virDomainInfo di;
	unsigned gen;

	pthread_mutex_lock(&lv->lock);
	found = lv_cache_find(lv, info->uuid);
	have = found != NULL;
	if (have)
		c = *found;
	gen = lv->cache_gen;
	pthread_mutex_unlock(&lv->lock);
	if (!have && LV_CALL(lv, virDomainGetInfo(dom, &di)) == 0) {
		memcpy(c.uuid, info->uuid, sizeof(c.uuid));
		c.vcpus = di.nrVirtCpu;
		c.max_memory_kib = di.maxMem;
		have = asked = true;
		/* Kept unless an event meanwhile said the definition changed, or another list kept it. */
		pthread_mutex_lock(&lv->lock);
		if (lv->cache_gen == gen && !lv_cache_find(lv, info->uuid)) {
			lv->cache = xgrow(lv->cache, &lv->cap_cache, lv->n_cache,
					  sizeof(*lv->cache));
			lv->cache[lv->n_cache++] = c;
		}
		pthread_mutex_unlock(&lv->lock);
	}
	if (have && !info->vcpus)
		info->vcpus = c.vcpus;
	if (have && !info->max_memory_kib)
		info->max_memory_kib = c.max_memory_kib;
	if (!info->memory_kib)
		info->memory_kib = info->max_memory_kib;
	return have ? asked : 1;
}

/* Fill info from one stats record; returns the libvirt calls it needed. */
static unsigned lv_info_from_record(struct lv_conn *lv, virDomainStatsRecordPtr rec,
				    struct vm_info *info)
{
	bool have_vcpu, have_mem;

	memset(info, 0, sizeof(*info));
	virDomainGetUUIDString(rec->dom, info->uuid);
	info->name = xstrdup(virDomainGetName(rec->dom));
	info->id = (int)virDomainGetID(rec->dom);
	info->state = lv_state(lv_param_int(rec, "state.state"));
	info->vcpus = (unsigned)lv_param_u64(rec, "vcpu.current", &have_vcpu);
	info->memory_kib = lv_param_u64(rec, "balloon.current", &have_mem);
	info->max_memory_kib = lv_param_u64(rec, "balloon.maximum", NULL);
	if (!have_vcpu || !have_mem || !info->max_memory_kib)
		return lv_info_definition(lv, rec->dom, info);
	return 0;
}

int lv_list(struct backend *be, struct vm_info **out, size_t *n,
	    struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	unsigned long calls, fill = 0;
	virDomainStatsRecordPtr *recs = NULL;
	int count, n_persist, n_auto;
	char **persist, **autostart;

	LV_ENTER(be, err);
	calls = lv->calls;
	count = lv_all_stats(lv, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU |
			     VIR_DOMAIN_STATS_BALLOON, 0, &recs, err);
	if (count < 0)
		return count;
	persist = lv_uuids_with(lv, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, &n_persist);
	autostart = lv_uuids_with(lv, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, &n_auto);
	*out = xcalloc((size_t)count, sizeof(**out));
	for (int i = 0; i < count; i++) {
		struct vm_info *info = &(*out)[i];

		fill += lv_info_from_record(lv, recs[i], info);
		info->persistent = lv_strs_has(persist, n_persist, info->uuid);
		info->autostart = lv_strs_has(autostart, n_auto, info->uuid);
	}
	*n = (size_t)count;
	virDomainStatsRecordListFree(recs);
	lv_strs_free(persist, n_persist);
	lv_strs_free(autostart, n_auto);
	LOG_DEBUG("libvirt: %s: list of %d domains took %lu libvirt calls "
		  "(%lu of them for definitions the stats lack, asked once per domain)",
		  be->uri, count, (unsigned long)(lv->calls - calls), fill);
	return 0;
}

/* Sum the per-device counters "<prefix>.<i>.<field>" over <prefix>.count devices. */
static uint64_t lv_param_sum(virDomainStatsRecordPtr rec, const char *prefix,
			     const char *field)
{
	char key[96];
	uint64_t sum = 0, count;

	snprintf(key, sizeof(key), "%s.count", prefix);
	count = lv_param_u64(rec, key, NULL);
	for (uint64_t i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "%s.%llu.%s", prefix, (unsigned long long)i, field);
		sum += lv_param_u64(rec, key, NULL);
	}
	return sum;
}

static void lv_stats_from_record(virDomainStatsRecordPtr rec, uint64_t now,
				 struct vm_stats *s)
{
	bool have;

	memset(s, 0, sizeof(*s));
	virDomainGetUUIDString(rec->dom, s->uuid);
	s->time_ns = now;
	s->cpu_ns = lv_param_u64(rec, "cpu.time", &have);
	s->have |= have ? VM_STATS_CPU : 0;
	s->vcpus = (unsigned)lv_param_u64(rec, "vcpu.current", NULL);
	s->mem_current_kib = lv_param_u64(rec, "balloon.current", &have);
	s->have |= have ? VM_STATS_MEM : 0;
	s->mem_rss_kib = lv_param_u64(rec, "balloon.rss", NULL);
	s->mem_available_kib = lv_param_u64(rec, "balloon.available", NULL);
	s->mem_unused_kib = lv_param_u64(rec, "balloon.unused", NULL);
	if (lv_param_u64(rec, "block.count", NULL)) {
		s->have |= VM_STATS_BLOCK;
		s->blk_rd_bytes = lv_param_sum(rec, "block", "rd.bytes");
		s->blk_wr_bytes = lv_param_sum(rec, "block", "wr.bytes");
		s->blk_rd_reqs = lv_param_sum(rec, "block", "rd.reqs");
		s->blk_wr_reqs = lv_param_sum(rec, "block", "wr.reqs");
	}
	if (lv_param_u64(rec, "net.count", NULL)) {
		s->have |= VM_STATS_NET;
		s->net_rx_bytes = lv_param_sum(rec, "net", "rx.bytes");
		s->net_tx_bytes = lv_param_sum(rec, "net", "tx.bytes");
		s->net_rx_pkts = lv_param_sum(rec, "net", "rx.pkts");
		s->net_tx_pkts = lv_param_sum(rec, "net", "tx.pkts");
	}
}

int lv_stats(struct backend *be, struct vm_stats **out, size_t *n,
	     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	unsigned long calls;
	virDomainStatsRecordPtr *recs = NULL;
	unsigned groups = VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
			  VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE |
			  VIR_DOMAIN_STATS_BLOCK;
	uint64_t now;
	int count;

	LV_ENTER(be, err);
	calls = lv->calls;
	count = lv_all_stats(lv, groups, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE,
			     &recs, err);
	now = time_mono_ns();
	if (count < 0)
		return count;
	*out = xcalloc((size_t)count, sizeof(**out));
	for (int i = 0; i < count; i++)
		lv_stats_from_record(recs[i], now, &(*out)[i]);
	*n = (size_t)count;
	virDomainStatsRecordListFree(recs);
	LOG_DEBUG("libvirt: %s: stats of %d domains took %lu libvirt calls", be->uri,
		  count, (unsigned long)(lv->calls - calls));
	return 0;
}
