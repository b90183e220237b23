/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-backend-ctl.h: finding, spawning and talking to vmtui-vmm runners. */
#ifndef VMTUI_KVM_BACKEND_CTL_H
#define VMTUI_KVM_BACKEND_CTL_H

#include <stdbool.h>
#include <sys/types.h>

#include "backend/backend.h"
#include "src/lib/util.h"

/* What the runtime directory says about one VM. */
struct kvm_runtime {
	enum vm_state state;	/* RUNNING (refined by STATE), CRASHED or SHUTOFF */
	char *reason;		/* owned; why it crashed */
	pid_t pid;		/* the live runner, or 0 */
};

/* Paths of one VM's runtime files: <dir>/<uuid>.sock, .pid, .exit. */
char *kvm_rt_path(const char *rtdir, const char *uuid, const char *ext);

/* Which of its runtime files a VM has. */
enum { KVM_RT_PID = 1, KVM_RT_SOCK = 2, KVM_RT_EXIT = 4 };

/* The runtime files of uuid, each looked for. */
unsigned kvm_rt_files_one(const char *rtdir, const char *uuid);

/*
 * The runtime files of every VM that has any, from one pass over the
 * folder: a list of a thousand VMs, most of them off, then costs one
 * readdir rather than three lookups each.
 */
struct kvm_rt_files {
	struct kvm_rt_file {
		char uuid[37];
		unsigned has;
	} *v;			/* sorted by uuid */
	size_t n;
};
void kvm_rt_files_scan(const char *rtdir, struct kvm_rt_files *f);
unsigned kvm_rt_files_of(const struct kvm_rt_files *f, const char *uuid);
void kvm_rt_files_done(struct kvm_rt_files *f);

/*
 * Look at the runtime files of uuid (has: which exist): a live runner is
 * RUNNING; a dead one (stale pid file or socket) is CRASHED with the last
 * lines of its log at logpath (which only a VM with files needs), its
 * files are cleaned up and the reason kept in the .exit file; a recorded
 * crash is CRASHED; otherwise SHUTOFF.
 */
void kvm_runtime_probe(const char *rtdir, const char *logpath, const char *uuid,
		       unsigned has, struct kvm_runtime *rt);

/* Whether pid runs (is neither gone nor a zombie waiting to be reaped). */
bool kvm_pid_alive(pid_t pid);
/* Whether the pid file names a live process (same pid and start time). */
bool kvm_pid_file_alive(const char *pidpath, pid_t *pid);
/* The UUIDs of the VMs whose runners live now (from their pid files). */
char **kvm_running_uuids(const char *rtdir, size_t *n);

/* Connect to a runner's control socket (blocking, with time-outs). */
int kvm_ctl_connect(const char *sock, struct vmt_error *err);
/*
 * Send one request line; read the "OK ..." line into *reply (the text
 * after OK), and with body, the "key value" lines up to the empty line.
 * An "ERR msg" answer becomes an error with msg. The answer may take
 * wait_s seconds (0: the few seconds any quick request gets).
 */
int kvm_ctl_request(const char *sock, const char *req, bool body, unsigned wait_s,
		    struct strbuf *reply, struct vmt_error *err);

/* What a runner runs, as its INFO tells, next to the definition it was started from. */
struct kvm_live {
	unsigned vcpus;
	uint64_t memory_mib;
	bool differs;		/* it does not run def as it is stored now */
};

/* Ask the runner at sock what it runs and compare that with def. */
int kvm_ctl_live(const char *sock, const struct vm_def *def, struct kvm_live *out,
		 struct vmt_error *err);

/* The vmtui-vmm to run: $VMTUI_VMM, beside this program, or pkglibexecdir. */
char *kvm_vmm_path(void);

/*
 * Start argv[0] as a daemon (own session, stdio to logpath) and wait for
 * its ready line on fd 3: "OK" or "ERR message".
 */
int kvm_spawn(char *const argv[], const char *logpath, struct vmt_error *err);

/* The last n lines of a log file, joined with " | ", or NULL. */
char *kvm_log_tail(const char *logpath, int n);

#endif
