// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-events.c: libvirt domain events (life cycle, reboot) turned into backend events. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "backend/libvirt/lv-priv.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* What a life cycle event means for vmtui: its kind, the state, the words. */
struct lv_event_kind {
	int event;
	enum backend_event_type type;
	enum vm_state state;
	const char *const *details;	/* by detail number */
	size_t n_details;
};

static const char *const lv_defined[] = { "added", "updated", "renamed", "from snapshot" };
static const char *const lv_undefined[] = { "removed", "renamed" };
static const char *const lv_started[] = {
	"booted", "migrated", "restored", "from snapshot", "woken up", "recreated",
};
static const char *const lv_suspended[] = {
	"paused", "migrated", "I/O error", "watchdog", "restored", "from snapshot",
	"API error", "post-copy", "post-copy failed",
};
static const char *const lv_resumed[] = { "unpaused", "migrated", "from snapshot", "post-copy" };
static const char *const lv_stopped[] = {
	"shut down", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot",
};
static const char *const lv_shutdown[] = { "finished", "by the guest", "by the host" };
static const char *const lv_pmsuspended[] = { "to memory", "to disk" };
static const char *const lv_crashed[] = { "panicked", "crash loaded" };

#define LV_KIND(ev, type, state, names) { ev, type, state, names, ARRAY_SIZE(names) }

static const struct lv_event_kind lv_event_kinds[] = {
	LV_KIND(VIR_DOMAIN_EVENT_DEFINED, BACKEND_EVENT_DEFINED, VM_STATE_UNKNOWN, lv_defined),
	LV_KIND(VIR_DOMAIN_EVENT_UNDEFINED, BACKEND_EVENT_UNDEFINED, VM_STATE_UNKNOWN,
		lv_undefined),
	LV_KIND(VIR_DOMAIN_EVENT_STARTED, BACKEND_EVENT_STATE, VM_STATE_RUNNING, lv_started),
	LV_KIND(VIR_DOMAIN_EVENT_SUSPENDED, BACKEND_EVENT_STATE, VM_STATE_PAUSED, lv_suspended),
	LV_KIND(VIR_DOMAIN_EVENT_RESUMED, BACKEND_EVENT_STATE, VM_STATE_RUNNING, lv_resumed),
	LV_KIND(VIR_DOMAIN_EVENT_STOPPED, BACKEND_EVENT_STATE, VM_STATE_SHUTOFF, lv_stopped),
	LV_KIND(VIR_DOMAIN_EVENT_SHUTDOWN, BACKEND_EVENT_STATE, VM_STATE_SHUTTING_DOWN,
		lv_shutdown),
	LV_KIND(VIR_DOMAIN_EVENT_PMSUSPENDED, BACKEND_EVENT_STATE, VM_STATE_SUSPENDED,
		lv_pmsuspended),
	LV_KIND(VIR_DOMAIN_EVENT_CRASHED, BACKEND_EVENT_STATE, VM_STATE_CRASHED, lv_crashed),
};

/* Post ev for dom; a definition change also drops what the cache knew. */
static void lv_event_post(struct lv_conn *lv, virDomainPtr dom,
			  struct backend_event *ev)
{
	virDomainGetUUIDString(dom, ev->uuid);
	ev->name = (char *)virDomainGetName(dom);
	pthread_mutex_lock(&lv->lock);
	if (ev->type == BACKEND_EVENT_DEFINED || ev->type == BACKEND_EVENT_UNDEFINED)
		lv_cache_forget_locked(lv, ev->uuid);
	lv_post_locked(lv, ev);
	pthread_mutex_unlock(&lv->lock);
	LOG_DEBUG("libvirt: %s: event on %s: %s (%s)", lv->uri, ev->name,
		  vm_state_name(ev->state), ev->reason);
}

static int lv_on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event,
			   int detail, void *opaque)
{
	struct backend_event ev = { .type = BACKEND_EVENT_STATE, .state = VM_STATE_UNKNOWN };
	char other[48];

	snprintf(other, sizeof(other), "event %d, detail %d", event, detail);
	ev.reason = other;
	for (size_t i = 0; i < ARRAY_SIZE(lv_event_kinds); i++) {
		const struct lv_event_kind *k = &lv_event_kinds[i];

		if (k->event != event)
			continue;
		ev.type = k->type;
		ev.state = k->state;
		if (detail >= 0 && (size_t)detail < k->n_details)
			ev.reason = (char *)k->details[detail];
	}
	lv_event_post(opaque, dom, &ev);
	return 0;
}

static void lv_on_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
	struct backend_event ev = {
		.type = BACKEND_EVENT_STATE,
		.state = VM_STATE_RUNNING,
		.reason = (char *)"rebooted",
	};

	lv_event_post(opaque, dom, &ev);
}

void lv_events_deregister(struct lv_link *link)
{
	for (int i = 0; i < LV_EV_N; i++) {
		if (link->ev[i] >= 0)
			virConnectDomainEventDeregisterAny(link->conn, link->ev[i]);
		link->ev[i] = -1;
	}
}

int lv_events_register(struct lv_conn *lv, struct lv_link *link,
		       struct vmt_error *err)
{
	static const struct {
		int id;
		virConnectDomainEventGenericCallback cb;
	} evs[LV_EV_N] = {
		[LV_EV_LIFECYCLE] = { VIR_DOMAIN_EVENT_ID_LIFECYCLE,
				      VIR_DOMAIN_EVENT_CALLBACK(lv_on_lifecycle) },
		[LV_EV_REBOOT] = { VIR_DOMAIN_EVENT_ID_REBOOT,
				   VIR_DOMAIN_EVENT_CALLBACK(lv_on_reboot) },
	};

	for (int i = 0; i < LV_EV_N; i++) {
		/* Each callback holds a reference; libvirt drops it through lv_unref_cb. */
		lv_ref(lv);
		link->ev[i] = LV_CALL(lv, virConnectDomainEventRegisterAny(link->conn, NULL,
									  evs[i].id, evs[i].cb,
									  lv, lv_unref_cb));
		if (link->ev[i] < 0) {
			int r = lv_fail(err, "cannot watch the domain events of %s", lv->uri);

			lv_unref(lv);
			lv_events_deregister(link);
			return r;
		}
	}
	return 0;
}

int lv_events_start(struct backend *be, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	int r;

	LV_ENTER(be, err);
	if (!lv_event_loop_ok())
		return vmt_error_set(err, -ENOTSUP,
				     "watching events on %s: libvirt's event loop did not start",
				     be->uri);
	pthread_mutex_lock(&lv->lock);
	if (lv->events_wanted) {
		pthread_mutex_unlock(&lv->lock);
		return 0;
	}
	lv->events_wanted = true;
	pthread_mutex_unlock(&lv->lock);
	r = lv_events_register(lv, &lv->cur, err);
	if (r < 0) {
		pthread_mutex_lock(&lv->lock);
		lv->events_wanted = false;
		pthread_mutex_unlock(&lv->lock);
	}
	return r;
}
