/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-sandbox.h: the seccomp filter and privilege drop the runner enters once it is set up. */
#ifndef VMM_SANDBOX_H
#define VMM_SANDBOX_H

#include <stdbool.h>

#include "backend/vmm/vmm-log.h"

struct vmm_sandbox_opts {
	/*
	 * The runtime files the SIGSYS handler writes or removes when a
	 * forbidden system call kills the runner (copied; NULL when there is
	 * no socket).
	 */
	const char *exit_path, *pid_path, *sock_path;
	/* A user network: slirp makes and uses Internet sockets of its own. */
	bool net_sockets;
};

/*
 * From here on only the system calls the running VM needs work: anything
 * else logs "killed by seccomp: syscall N (name)", writes the .exit file
 * and kills the process with SIGSYS.  Also sets no_new_privs and, when run
 * with capabilities (as root), drops them all.  Call before any thread but
 * the main one exists.
 */
int vmm_sandbox_enter(const struct vmm_sandbox_opts *opts, struct vmt_error *err);

/* Test mode only (VMTUI_VMM_TEST=1): make one system call the filter refuses. */
void vmm_sandbox_test_violation(void);

#endif
