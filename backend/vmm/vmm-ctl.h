/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-ctl.h: the control socket, its runtime files and the main thread's poll loop. */
#ifndef VMM_CTL_H
#define VMM_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "backend/vmm/kvm-proto.h"
#include "backend/vmm/vmm-buf.h"
#include "backend/vmm/vmm-vm.h"

/* One accepted connection: a request, then either a reply or a console stream. */
struct vmm_ctl_conn {
	int fd;
	char in[KVM_PROTO_MAX_LINE + 1];
	size_t in_len;
	struct vmm_buf out;
	size_t out_off;
	unsigned long long born_ns;
	struct vmm_console_sink *sink;	/* set once it is a console; owns fd then */
	bool done;			/* reply queued: close once it is written */
	bool in_eof;			/* console client shut its sending side */
	struct vmm_ctl_conn *next;
};

/* Embedded in main(); owns the listening socket, the runtime files and the connections. */
struct vmm_ctl {
	struct vmm_vm *vm;
	int listen_fd;
	int sig_fd;
	char *sock_path, *pid_path, *exit_path;
	struct vmm_ctl_conn *conns;
	unsigned nconns;
	struct vmm_console_sink *out_sink;	/* --console-stdio */
	bool stdin_open, stdin_tty, termios_saved;
	struct termios termios0;
};

void vmm_ctl_init(struct vmm_ctl *ctl, struct vmm_vm *vm);

/* Listen on path (NULL: no socket); refuses a path a live runner answers on. */
int vmm_ctl_listen(struct vmm_ctl *ctl, const char *path, struct vmt_error *err);

/* Write the .pid file and drop a stale .exit file. */
int vmm_ctl_files(struct vmm_ctl *ctl, struct vmt_error *err);

/* Block the signals the loop takes through a signalfd; SIGPIPE ignored. */
int vmm_ctl_signals(struct vmm_ctl *ctl, struct vmt_error *err);

/* Wire the serial console to stdin/stdout. */
int vmm_ctl_stdio(struct vmm_ctl *ctl, struct vmt_error *err);

/* Serve until the VM ends; returns with the end recorded in the VM. */
void vmm_ctl_run(struct vmm_ctl *ctl);

/* After the vCPUs stopped: flush what console readers have pending. */
void vmm_ctl_drain(struct vmm_ctl *ctl);

/* Close everything; remove socket and pid file; .exit on a crash-type end. */
void vmm_ctl_done(struct vmm_ctl *ctl, enum vmm_end reason, const char *detail);

/* In vmm-request.c: answer one request line on conn. */
void vmm_request_handle(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn, char *line);

#endif
