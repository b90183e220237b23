/* SPDX-License-Identifier: GPL-2.0-or-later */
/* contract.h: what the backend contract suite's helpers offer its tests. */
#ifndef VMTUI_CONTRACT_H
#define VMTUI_CONTRACT_H

#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "backend/backend.h"
#include "src/core/core.h"

/*
 * The suite runs against the connection in VMTUI_CONTRACT_URI. The
 * wrapper scripts also set:
 *   VMTUI_CONTRACT_DIR      a scratch directory (databases, an ISO file)
 *   VMTUI_CONTRACT_KERNEL   the probe kernel the guests boot
 *   VMTUI_CONTRACT_REAL     1 when guests really run (console bytes, CPU time)
 *   VMTUI_CONTRACT_DOMAIN_TYPE  the libvirt domain type new domains must get
 *   VMTUI_CONTRACT_RESTART  a script: "stop" and "start" the hypervisor's daemon
 * Limits on waiting only stop a hang; they never decide a result.
 */
#define CT_WAIT_S 90

/* One test's session: a database of its own and the connection. */
struct ct {
	struct core *core;
	struct backend *be;
	const char *uri;
	bool real;
	bool events;		/* the backend posts events */
	const char *test;
	uint64_t started_ns;
	struct backend_event *evs;	/* every event seen, in order */
	bool *used;
	size_t n_evs, cap_evs;
};

void ct_open(struct ct *t, const char *test);
void ct_close(struct ct *t);
/* A fresh name for a test VM (vt-... so the fixture removes leftovers). */
char *ct_name(const char *what);
bool ct_is_libvirt(const struct ct *t);

/*
 * The result of an optional feature: true when it worked; false when the
 * backend says it cannot, which must be -ENOTSUP with the words every
 * backend uses. Anything else fails the test.
 */
bool ct_optional(int r, const struct vmt_error *err);
#define ct_msg_has(err, s)                                                  \
	ck_assert_msg(strstr((err)->msg, (s)), "'%s' not in '%s'", (s), (err)->msg)
#define CT_OK(r, err) ck_assert_msg((r) == 0, "%s:%d: %d %s", __FILE__, __LINE__, \
				    (r), (err)->msg)

/* A definition that boots the probe; disk_mib > 0 adds a new disk. */
struct vm_def *ct_def(const char *name, unsigned disk_mib, const char *format);
/* core_create, which must work; the def is freed. Returns its UUID. */
void ct_create(struct ct *t, struct vm_def *def, char uuid[37]);
enum vm_state ct_state(struct ct *t, const char *name);

/* Wait for an event of type for uuid (state VM_STATE_UNKNOWN: any). */
bool ct_wait_event(struct ct *t, enum backend_event_type type, const char *uuid,
		   enum vm_state state);

/* Read con until text comes; false on a hang. */
bool ct_console_expect(struct backend_console *con, const char *text);
/* Send line over con until the guest echoes it back; false on a hang. */
bool ct_console_echo(struct backend_console *con, const char *line);
/* Read con until its end; false on a hang. */
bool ct_console_ends(struct backend_console *con);

/* Edit, pools and networks, reconnecting (check-contract-more.c). */
void contract_more_tests(TCase *tc);

#endif
