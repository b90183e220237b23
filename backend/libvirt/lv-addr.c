// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-addr.c: a guest's IP addresses from DHCP leases, the guest agent or ARP (libvirt's, or this host's table), within a bounded time. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* A guest agent that does not answer must not hold up whoever asked. */
#define LV_ADDR_TIMEOUT_MS 3000

/* One query, run on its own thread; whoever lets go last frees it. */
struct lv_addr_job {
	atomic_int refs;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	struct lv_conn *lv;	/* a reference */
	virDomainPtr dom;	/* owned */
	char *name;
	int r;
	struct vmt_error err;
	struct vm_address *addrs;
	size_t n, cap;
	bool local;		/* the daemon runs on this host: its ARP table is ours */
};

static const struct {
	unsigned source;
	const char *name;
} lv_addr_sources[] = {
	{ VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, "lease" },
	{ VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, "agent" },
	{ VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP, "arp" },
};

static void lv_addr_job_unref(struct lv_addr_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) != 1)
		return;
	vm_address_list_free(j->addrs, j->n);
	virDomainFree(j->dom);
	lv_unref(j->lv);
	pthread_cond_destroy(&j->cond);
	pthread_mutex_destroy(&j->lock);
	free(j->name);
	free(j);
}

static void lv_addr_take(struct lv_addr_job *j, virDomainInterfacePtr iface,
			 const char *source)
{
	for (unsigned k = 0; k < iface->naddrs; k++) {
		virDomainIPAddressPtr a = &iface->addrs[k];
		struct vm_address *out;

		j->addrs = xgrow(j->addrs, &j->cap, j->n, sizeof(*j->addrs));
		out = &j->addrs[j->n++];
		memset(out, 0, sizeof(*out));
		out->ifname = xstrdup_or_null(iface->name);
		if (iface->hwaddr && strlen(iface->hwaddr) < sizeof(out->mac))
			strcpy(out->mac, iface->hwaddr);
		out->addr = xstrdup_or_null(a->addr);
		out->prefix = a->prefix;
		out->family = a->type == VIR_IP_ADDR_TYPE_IPV6 ? 6 : 4;
		out->source = source;
	}
}

/*
 * The guest's MACs in this host's ARP table (/proc/net/arp, complete
 * entries): what libvirt's own ARP source reads, for hosts where its
 * netlink query comes back empty, and for guests on a bridge of the
 * host's own, where there is no lease.
 */
static void lv_addr_host_arp(struct lv_addr_job *j)
{
	char *xml = LV_CALL(j->lv, virDomainGetXMLDesc(j->dom, 0)), line[256];
	struct vm_def *def = NULL;
	FILE *fp = xml && lv_xml_to_def(xml, &def, NULL) == 0 ? fopen("/proc/net/arp", "re") : NULL;

	while (fp && fgets(line, sizeof(line), fp)) {
		char ip[64], mac[32], dev[32];
		unsigned flags;

		if (sscanf(line, "%63s %*s %x %31s %*s %31s", ip, &flags, mac, dev) != 4 ||
		    !(flags & 0x2))
			continue;
		for (size_t i = 0; i < def->n_nics; i++) {
			struct vm_address *out;

			if (strcasecmp(def->nics[i].mac, mac) != 0)
				continue;
			j->addrs = xgrow(j->addrs, &j->cap, j->n, sizeof(*j->addrs));
			out = &j->addrs[j->n++];
			memset(out, 0, sizeof(*out));
			out->ifname = xstrdup(dev);
			snprintf(out->mac, sizeof(out->mac), "%s", def->nics[i].mac);
			out->addr = xstrdup(ip);
			out->family = 4;
			out->source = "host arp";
		}
	}
	if (fp)
		fclose(fp);
	vm_def_free(def);
	free(xml);
}

/* The first source with something to say wins; no guest agent is no error. */
static void lv_addr_query(struct lv_addr_job *j)
{
	bool answered = false;

	for (size_t i = 0; i < ARRAY_SIZE(lv_addr_sources) && !j->n; i++) {
		virDomainInterfacePtr *ifs = NULL;
		int n = LV_CALL(j->lv, virDomainInterfaceAddresses(j->dom, &ifs,
								    lv_addr_sources[i].source, 0));

		if (n < 0) {
			if (!answered && j->r == 0)
				j->r = lv_fail(&j->err, "cannot read the addresses of %s", j->name);
			continue;
		}
		answered = true;
		for (int k = 0; k < n; k++) {
			lv_addr_take(j, ifs[k], lv_addr_sources[i].name);
			virDomainInterfaceFree(ifs[k]);
		}
		free(ifs);
	}
	if (!j->n && j->local) {
		lv_addr_host_arp(j);
		answered = answered || j->n;
	}
	if (answered)
		j->r = 0;
}

static void *lv_addr_thread(void *arg)
{
	struct lv_addr_job *j = arg;

	lv_addr_query(j);
	pthread_mutex_lock(&j->lock);
	j->done = true;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
	lv_addr_job_unref(j);
	return NULL;
}

static struct lv_addr_job *lv_addr_job_new(struct lv_conn *lv, virDomainPtr dom,
					   const char *name)
{
	struct lv_addr_job *j = xcalloc(1, sizeof(*j));

	atomic_init(&j->refs, 2);
	pthread_mutex_init(&j->lock, NULL);
	cond_init_mono(&j->cond);
	lv_ref(lv);
	j->lv = lv;
	j->dom = dom;
	j->name = xstrdup(name);
	return j;
}

/* Wait for the job at most LV_ADDR_TIMEOUT_MS; then it finishes on its own. */
static int lv_addr_wait(struct lv_addr_job *j, struct vm_address **out, size_t *n,
			struct vmt_error *err)
{
	struct timespec ts = time_mono_deadline(time_mono_ns() + LV_ADDR_TIMEOUT_MS * 1000000ull);
	int r;

	pthread_mutex_lock(&j->lock);
	while (!j->done && pthread_cond_timedwait(&j->cond, &j->lock, &ts) == 0)
		;
	if (!j->done) {
		r = vmt_error_set(err, -ETIMEDOUT,
				  "the addresses of %s did not come within %d s (guest agent busy?)",
				  j->name, LV_ADDR_TIMEOUT_MS / 1000);
	} else if ((r = j->r) < 0) {
		if (err)
			*err = j->err;
	} else {
		*out = j->addrs;
		*n = j->n;
		j->addrs = NULL;
		j->n = 0;
	}
	pthread_mutex_unlock(&j->lock);
	return r;
}

int lv_addresses(struct backend *be, const char *name,
		 struct vm_address **out, size_t *n, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct lv_addr_job *j;
	virDomainPtr dom;
	pthread_t t;
	int r, state, reason;

	r = lv_enter_domain(be, name, &dom, err);
	if (r < 0)
		return r;
	if (LV_CALL(lv, virDomainGetState(dom, &state, &reason, 0)) == 0 &&
	    !vm_state_is_active(lv_state(state))) {
		virDomainFree(dom);
		*out = NULL;
		*n = 0;
		return 0;
	}
	j = lv_addr_job_new(lv, dom, name);
	j->local = !lv_uri_is_remote(be->uri);
	if (pthread_create(&t, NULL, lv_addr_thread, j) != 0) {
		atomic_fetch_sub(&j->refs, 1);
		lv_addr_job_unref(j);
		return vmt_error_set(err, -EAGAIN, "cannot start a thread to read addresses");
	}
	pthread_detach(t);
	r = lv_addr_wait(j, out, n, err);
	lv_addr_job_unref(j);
	return r;
}
