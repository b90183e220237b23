/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-request.c: answer one control-socket request (STATE, INFO, PAUSE, ... CONSOLE). */
#include "config.h"

#include "backend/vmm/vmm-ctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/vmm/vmm-sandbox.h"
#include "backend/vmm/vmm-stats.h"

static void vmm_request_reply(struct vmm_ctl_conn *conn, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void vmm_request_reply(struct vmm_ctl_conn *conn, const char *fmt, ...)
{
	char line[KVM_PROTO_MAX_LINE * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	vmm_buf_printf(&conn->out, "%s\n", line);
	conn->done = true;
}

static void vmm_request_result(struct vmm_ctl_conn *conn, int rc, const struct vmt_error *err)
{
	if (rc)
		vmm_request_reply(conn, KVM_PROTO_ERR " %s", err->msg);
	else
		vmm_request_reply(conn, KVM_PROTO_OK);
}

static void vmm_request_state(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn)
{
	enum vmm_end reason;
	enum vmm_run_state s = vmm_vm_state(ctl->vm, &reason);

	if (s == VMM_STATE_SHUTTING_DOWN)
		vmm_request_reply(conn, KVM_PROTO_OK " " KVM_PROTO_STATE_SHUTTING_DOWN " %s",
				  vmm_end_name(reason));
	else
		vmm_request_reply(conn, KVM_PROTO_OK " %s", s == VMM_STATE_PAUSED ?
				  KVM_PROTO_STATE_PAUSED : KVM_PROTO_STATE_RUNNING);
}

static void vmm_request_table(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn, bool stats)
{
	vmm_buf_printf(&conn->out, KVM_PROTO_OK "\n");
	if (stats)
		vmm_stats_write(ctl->vm, &conn->out);
	else
		vmm_stats_info(ctl->vm, &conn->out);
	vmm_buf_printf(&conn->out, "\n");
	conn->done = true;
}

/* The connection turns into a console stream: OK first, then the scrollback. */
static void vmm_request_console(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn)
{
	static const char ok[] = KVM_PROTO_OK "\n";

	/* A fresh socket's send buffer is empty: three bytes always fit. */
	if (send(conn->fd, ok, sizeof(ok) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)sizeof(ok) - 1) {
		conn->done = true;
		return;
	}
	conn->sink = vmm_console_attach(&ctl->vm->console, conn->fd, false);
	if (!conn->sink) {
		conn->done = true;
		return;
	}
	vmm_info("console client attached (fd %d)", conn->fd);
}

static void vmm_request_kill(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn)
{
	static const char ok[] = KVM_PROTO_OK "\n";

	/* Answer before ending: the socket is gone a moment later. */
	if (send(conn->fd, ok, sizeof(ok) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		vmm_info("KILL: could not answer: %s", strerror(errno));
	conn->done = true;
	vmm_vm_end(ctl->vm, VMM_END_KILLED, "by control request");
}

/* SNAPSHOT PATH: the VM must be paused; an absolute path, since the runner's directory is nobody's. */
static void vmm_request_snapshot(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn, const char *path)
{
	struct vmt_error err = { 0, "" };

	if (path[0] != '/') {
		vmm_request_reply(conn, KVM_PROTO_ERR " SNAPSHOT needs an absolute path");
		return;
	}
	vmm_request_result(conn, vmm_vm_snapshot(ctl->vm, path, &err), &err);
}

/* Test mode only: answer, then die the way a sandbox violation kills the runner. */
static void vmm_request_test_seccomp(struct vmm_ctl_conn *conn)
{
	static const char ok[] = KVM_PROTO_OK "\n";

	if (send(conn->fd, ok, sizeof(ok) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		vmm_info("TEST-SECCOMP: could not answer: %s", strerror(errno));
	conn->done = true;
	vmm_sandbox_test_violation();
}

static void vmm_request_power(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn, bool reset)
{
	struct vmt_error err = { 0, "" };
	int rc = 0;

	if (vmm_vm_state(ctl->vm, NULL) == VMM_STATE_SHUTTING_DOWN) {
		vmm_request_reply(conn, KVM_PROTO_ERR " VM is shutting down");
		return;
	}
	if (!reset) {
		vmm_vm_powerdown(ctl->vm);
	} else {
		vmm_info("hard reset by control request");
		rc = vmm_vm_restart(ctl->vm, &err);
		if (rc)
			vmm_vm_end(ctl->vm, VMM_END_ERROR, "restart failed: %s", err.msg);
	}
	vmm_request_result(conn, rc, &err);
}

void vmm_request_handle(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn, char *line)
{
	struct vmt_error err = { 0, "" };
	size_t n = strcspn(line, " \t\r\n");
	char *arg = line + n + (line[n] == ' ' || line[n] == '\t');

	arg[strcspn(arg, "\r\n")] = '\0';
	line[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (line[i] < 0x21 || line[i] > 0x7e)
			line[i] = '?';	/* the word is echoed back and logged */
	vmm_debug("request %s", line);
	if (n == 0) {
		vmm_request_reply(conn, KVM_PROTO_ERR " empty request");
		return;
	}
	if (strcmp(line, KVM_PROTO_STATE) == 0)
		vmm_request_state(ctl, conn);
	else if (strcmp(line, KVM_PROTO_INFO) == 0)
		vmm_request_table(ctl, conn, false);
	else if (strcmp(line, KVM_PROTO_STATS) == 0)
		vmm_request_table(ctl, conn, true);
	else if (strcmp(line, KVM_PROTO_PAUSE) == 0)
		vmm_request_result(conn, vmm_vm_pause(ctl->vm, &err), &err);
	else if (strcmp(line, KVM_PROTO_RESUME) == 0)
		vmm_request_result(conn, vmm_vm_resume(ctl->vm, &err), &err);
	else if (strcmp(line, KVM_PROTO_POWERDOWN) == 0)
		vmm_request_power(ctl, conn, false);
	else if (strcmp(line, KVM_PROTO_RESET) == 0)
		vmm_request_power(ctl, conn, true);
	else if (strcmp(line, KVM_PROTO_KILL) == 0)
		vmm_request_kill(ctl, conn);
	else if (strcmp(line, KVM_PROTO_SNAPSHOT) == 0)
		vmm_request_snapshot(ctl, conn, arg);
	else if (strcmp(line, KVM_PROTO_CONSOLE) == 0)
		vmm_request_console(ctl, conn);
	else if (strcmp(line, KVM_PROTO_TEST_SECCOMP) == 0 && ctl->vm->cfg.test_mode)
		vmm_request_test_seccomp(conn);
	else
		vmm_request_reply(conn, KVM_PROTO_ERR " unknown request %.64s", line);
}
