// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-host.c: a libvirt host's virtual networks and storage pools. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* The names of the networks one virConnectListAllNetworks filter selects. */
static char **lv_net_names(struct lv_conn *lv, unsigned flags, int *n)
{
	virNetworkPtr *nets = NULL;
	char **names;

	*n = LV_CALL(lv, virConnectListAllNetworks(lv->cur.conn, &nets, flags));
	if (*n < 0)
		return NULL;
	names = xcalloc((size_t)*n + 1, sizeof(*names));
	for (int i = 0; i < *n; i++) {
		names[i] = xstrdup(virNetworkGetName(nets[i]));
		virNetworkFree(nets[i]);
	}
	free(nets);
	return names;
}

/* Four calls however many networks there are: all, then one per property. */
int lv_net_list(struct backend *be, struct backend_net **out, size_t *n,
		struct vmt_error *err)
{
	static const unsigned props[] = {
		VIR_CONNECT_LIST_NETWORKS_ACTIVE, VIR_CONNECT_LIST_NETWORKS_PERSISTENT,
		VIR_CONNECT_LIST_NETWORKS_AUTOSTART,
	};
	struct lv_conn *lv = lv_conn(be);
	char **all, **with[3];
	int n_all, n_with[3];

	LV_ENTER(be, err);
	all = lv_net_names(lv, 0, &n_all);
	if (!all)
		return lv_fail(err, "cannot list the networks of %s", be->uri);
	for (int k = 0; k < 3; k++)
		with[k] = lv_net_names(lv, props[k], &n_with[k]);
	*out = xcalloc((size_t)n_all + 1, sizeof(**out));
	for (int i = 0; i < n_all; i++) {
		(*out)[i].name = all[i];
		(*out)[i].active = lv_strs_has(with[0], n_with[0], all[i]);
		(*out)[i].persistent = lv_strs_has(with[1], n_with[1], all[i]);
		(*out)[i].autostart = lv_strs_has(with[2], n_with[2], all[i]);
	}
	*n = (size_t)n_all;
	free(all);
	for (int k = 0; k < 3; k++)
		lv_strs_free(with[k], n_with[k]);
	return 0;
}

/* "default" if the host has it, else its first active network, else its first one. */
static const char *lv_net_pick(char **all, int n_all, char **active, int n_active)
{
	if (lv_strs_has(all, n_all, "default"))
		return "default";
	if (n_active > 0)
		return active[0];
	return n_all > 0 ? all[0] : NULL;
}

void lv_net_default(struct backend *be, struct vm_limits *lim)
{
	struct lv_conn *lv = lv_conn(be);
	int n_all, n_active = 0;
	char **all = lv_net_names(lv, 0, &n_all), **active = NULL;
	const char *pick;

	if (!all) {
		/* A driver without networks (or one that will not say) gives none. */
		n_all = 0;
	} else {
		active = lv_net_names(lv, VIR_CONNECT_LIST_NETWORKS_ACTIVE, &n_active);
		if (!active)
			n_active = 0;
	}
	pick = lv_net_pick(all, n_all, active, n_active);
	if (pick) {
		snprintf(lim->default_net, sizeof(lim->default_net), "network:%s", pick);
	} else {
		snprintf(lim->default_net, sizeof(lim->default_net), "none");
		snprintf(lim->default_net_note, sizeof(lim->default_net_note),
			 "%s has no virtual network (--net gives one)", be->uri);
	}
	lv_strs_free(all, n_all);
	lv_strs_free(active, n_active);
}

/* Names joined with ", " (at most len bytes), or "none" for no name. */
static void lv_names_join(char **names, int n, char *buf, size_t len)
{
	size_t used = 0;

	snprintf(buf, len, "%s", n > 0 ? "" : "none");
	for (int i = 0; i < n && used + 1 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

/* Whether old has a NIC on network name: an edit does not refuse what the VM had. */
static bool lv_net_kept(const struct vm_def *old, const char *name)
{
	for (size_t i = 0; old && i < old->n_nics; i++)
		if (old->nics[i].kind == VM_NIC_NETWORK && str_eq(old->nics[i].source, name))
			return true;
	return false;
}

int lv_net_check(struct backend *be, const struct vm_def *def, const struct vm_def *old,
		 struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	char **all = NULL, have[256];
	int n_all = 0, r = 0;

	for (size_t i = 0; i < def->n_nics && r == 0; i++) {
		const struct vm_nic *nic = &def->nics[i];

		if (nic->kind != VM_NIC_NETWORK || lv_net_kept(old, nic->source))
			continue;
		if (!all && !(all = lv_net_names(lv, 0, &n_all)))
			return lv_fail(err, "nic %zu: cannot list the networks of %s", i + 1, be->uri);
		if (lv_strs_has(all, n_all, nic->source))
			continue;
		lv_names_join(all, n_all, have, sizeof(have));
		r = vmt_error_set(err, -EINVAL, "nic %zu: network '%s' does not exist on %s (it has: %s)",
				  i + 1, nic->source, be->uri, have);
	}
	lv_strs_free(all, n_all);
	return r;
}

static int lv_net_act(struct backend *be, const char *net, bool start,
		      struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virNetworkPtr nw;
	int r = 0;

	LV_ENTER(be, err);
	nw = LV_CALL(lv, virNetworkLookupByName(lv->cur.conn, net));
	if (!nw) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_NETWORK)
			return vmt_error_set(err, -EIO, "no network named %s on %s", net, be->uri);
		return lv_fail(err, "cannot look up network %s", net);
	}
	if (LV_CALL(lv, start ? virNetworkCreate(nw) : virNetworkDestroy(nw)) < 0)
		r = lv_fail(err, "cannot %s network %s", start ? "start" : "stop", net);
	virNetworkFree(nw);
	return r;
}

int lv_net_start(struct backend *be, const char *net, struct vmt_error *err)
{
	return lv_net_act(be, net, true, err);
}

int lv_net_stop(struct backend *be, const char *net, struct vmt_error *err)
{
	return lv_net_act(be, net, false, err);
}

/* A field's value in what virNodeGetMemoryStats or virNodeGetCPUStats filled, or 0. */
static unsigned long long lv_mem_param(const virNodeMemoryStats *p, int n, const char *field)
{
	for (int i = 0; i < n; i++)
		if (strcmp(p[i].field, field) == 0)
			return p[i].value;
	return 0;
}

static unsigned long long lv_cpu_param(const virNodeCPUStats *p, int n, const char *field)
{
	for (int i = 0; i < n; i++)
		if (strcmp(p[i].field, field) == 0)
			return p[i].value;
	return 0;
}

/* Memory in use: total less free, buffers and page cache, as free(1) counts it. */
static void lv_host_memory(struct lv_conn *lv, struct backend_host *out)
{
	virNodeMemoryStatsPtr p = NULL;
	int n = 0;

	if (LV_CALL(lv, virNodeGetMemoryStats(lv->cur.conn, VIR_NODE_MEMORY_STATS_ALL_CELLS,
					      NULL, &n, 0)) == 0 && n > 0) {
		p = xcalloc((size_t)n, sizeof(*p));
		if (LV_CALL(lv, virNodeGetMemoryStats(lv->cur.conn,
						      VIR_NODE_MEMORY_STATS_ALL_CELLS, p, &n, 0)) == 0) {
			unsigned long long total = lv_mem_param(p, n, VIR_NODE_MEMORY_STATS_TOTAL);
			unsigned long long idle = lv_mem_param(p, n, VIR_NODE_MEMORY_STATS_FREE) +
				lv_mem_param(p, n, VIR_NODE_MEMORY_STATS_BUFFERS) +
				lv_mem_param(p, n, VIR_NODE_MEMORY_STATS_CACHED);

			out->mem_total = total << 10;
			out->mem_used = (total > idle ? total - idle : 0) << 10;
		}
		free(p);
	}
}

static void lv_host_cpu(struct lv_conn *lv, struct backend_host *out)
{
	virNodeCPUStatsPtr p = NULL;
	int n = 0;

	if (LV_CALL(lv, virNodeGetCPUStats(lv->cur.conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n,
					   0)) == 0 && n > 0) {
		p = xcalloc((size_t)n, sizeof(*p));
		if (LV_CALL(lv, virNodeGetCPUStats(lv->cur.conn, VIR_NODE_CPU_STATS_ALL_CPUS, p, &n,
						   0)) == 0) {
			out->cpu_busy_ns = lv_cpu_param(p, n, VIR_NODE_CPU_STATS_KERNEL) +
					   lv_cpu_param(p, n, VIR_NODE_CPU_STATS_USER);
			out->cpu_total_ns = out->cpu_busy_ns +
					    lv_cpu_param(p, n, VIR_NODE_CPU_STATS_IDLE) +
					    lv_cpu_param(p, n, VIR_NODE_CPU_STATS_IOWAIT);
		}
		free(p);
	}
}

int lv_host_info(struct backend *be, struct backend_host *out, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	const char *type;
	unsigned long hv = 0;
	virNodeInfo info;
	char *name;

	LV_ENTER(be, err);
	if (LV_CALL(lv, virNodeGetInfo(lv->cur.conn, &info)) < 0)
		return lv_fail(err, "cannot read the host of %s", be->uri);
	out->cpus = info.cpus;
	out->mem_total = (uint64_t)info.memory << 10;
	name = LV_CALL(lv, virConnectGetHostname(lv->cur.conn));
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "?");
	free(name);
	type = LV_CALL(lv, virConnectGetType(lv->cur.conn));
	if (LV_CALL(lv, virConnectGetVersion(lv->cur.conn, &hv)) == 0 && hv)
		snprintf(out->hypervisor, sizeof(out->hypervisor), "%s %lu.%lu.%lu",
			 type ? type : "hypervisor", hv / 1000000, hv / 1000 % 1000, hv % 1000);
	else
		snprintf(out->hypervisor, sizeof(out->hypervisor), "%s", type ? type : "");
	/* The test driver has neither: the sizes of virNodeGetInfo stay. */
	lv_host_memory(lv, out);
	lv_host_cpu(lv, out);
	return 0;
}

static const char *lv_pool_state(int state)
{
	switch (state) {
	case VIR_STORAGE_POOL_INACTIVE: return "inactive";
	case VIR_STORAGE_POOL_BUILDING: return "building";
	case VIR_STORAGE_POOL_RUNNING: return "running";
	case VIR_STORAGE_POOL_DEGRADED: return "degraded";
	case VIR_STORAGE_POOL_INACCESSIBLE: return "inaccessible";
	default: return "unknown";
	}
}

/* Pools are few and need a call each for their sizes and directory. */
static void lv_pool_fill(struct lv_conn *lv, virStoragePoolPtr pool,
			 struct backend_pool *p)
{
	virStoragePoolInfo info;
	char *xml;
	int autostart = 0;

	p->name = xstrdup(virStoragePoolGetName(pool));
	p->state = "unknown";
	if (LV_CALL(lv, virStoragePoolGetInfo(pool, &info)) == 0) {
		p->state = lv_pool_state(info.state);
		p->active = info.state == VIR_STORAGE_POOL_RUNNING ||
			    info.state == VIR_STORAGE_POOL_DEGRADED;
		p->capacity = info.capacity;
		p->allocation = info.allocation;
		p->available = info.available;
	}
	p->persistent = LV_CALL(lv, virStoragePoolIsPersistent(pool)) == 1;
	p->autostart = LV_CALL(lv, virStoragePoolGetAutostart(pool, &autostart)) == 0 &&
		       autostart;
	xml = LV_CALL(lv, virStoragePoolGetXMLDesc(pool, 0));
	p->path = xml ? lv_xml_pool_target(xml) : NULL;
	free(xml);
}

int lv_pool_list(struct backend *be, struct backend_pool **out, size_t *n,
		 struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virStoragePoolPtr *pools = NULL;
	int count;

	LV_ENTER(be, err);
	count = LV_CALL(lv, virConnectListAllStoragePools(lv->cur.conn, &pools, 0));
	if (count < 0)
		return lv_fail(err, "cannot list the storage pools of %s", be->uri);
	*out = xcalloc((size_t)count + 1, sizeof(**out));
	for (int i = 0; i < count; i++) {
		lv_pool_fill(lv, pools[i], &(*out)[i]);
		virStoragePoolFree(pools[i]);
	}
	free(pools);
	*n = (size_t)count;
	return 0;
}

/* Build, start and mark for autostart a newly defined pool. */
static int lv_pool_bring_up(struct lv_conn *lv, virStoragePoolPtr pool,
			    struct vmt_error *err)
{
	if (LV_CALL(lv, virStoragePoolBuild(pool, 0)) < 0)
		return lv_fail(err, "cannot build storage pool %s", LV_DEFAULT_POOL);
	if (LV_CALL(lv, virStoragePoolCreate(pool, 0)) < 0)
		return lv_fail(err, "cannot start storage pool %s", LV_DEFAULT_POOL);
	if (LV_CALL(lv, virStoragePoolSetAutostart(pool, 1)) < 0) {
		int r = lv_fail(err, "cannot mark storage pool %s for autostart",
				LV_DEFAULT_POOL);

		LV_CALL(lv, virStoragePoolDestroy(pool));
		return r;
	}
	return 0;
}

/* As virt-install does: a directory pool "default", all or nothing. */
int lv_pool_create_default(struct backend *be, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virStoragePoolPtr pool;
	char *xml = NULL;
	int r;

	LV_ENTER(be, err);
	pool = LV_CALL(lv, virStoragePoolLookupByName(lv->cur.conn, LV_DEFAULT_POOL));
	if (pool) {
		virStoragePoolFree(pool);
		return vmt_error_set(err, -EEXIST, "storage pool %s already exists on %s",
				     LV_DEFAULT_POOL, be->uri);
	}
	r = lv_xml_pool_dir(LV_DEFAULT_POOL, LV_DEFAULT_POOL_DIR, &xml, err);
	if (r < 0)
		return r;
	pool = LV_CALL(lv, virStoragePoolDefineXML(lv->cur.conn, xml, 0));
	free(xml);
	if (!pool)
		return lv_fail(err, "cannot define storage pool %s", LV_DEFAULT_POOL);
	r = lv_pool_bring_up(lv, pool, err);
	if (r < 0)
		LV_CALL(lv, virStoragePoolUndefine(pool));
	else
		LOG_INFO("libvirt: %s: created storage pool %s in %s", be->uri,
			 LV_DEFAULT_POOL, LV_DEFAULT_POOL_DIR);
	virStoragePoolFree(pool);
	return r;
}
