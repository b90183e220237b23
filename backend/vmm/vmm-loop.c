/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-loop.c: the main thread's poll loop: signals, VM events, control connections and console streams. */
#include "config.h"

#include "backend/vmm/vmm-ctl.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define VMM_LOOP_MAX_CONNS 64
#define VMM_LOOP_REQUEST_TIMEOUT_NS (10ull * 1000000000ull)
#define VMM_LOOP_TICK_MS 1000

static void vmm_loop_accept(struct vmm_ctl *ctl)
{
	struct vmm_ctl_conn *c;
	int fd;

	while ((fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		if (ctl->nconns >= VMM_LOOP_MAX_CONNS || !(c = calloc(1, sizeof(*c)))) {
			vmm_warn("control socket: too many connections, refusing one");
			close(fd);
			continue;
		}
		c->fd = fd;
		c->born_ns = vmm_time_mono_ns();
		vmm_buf_init(&c->out);
		c->next = ctl->conns;
		ctl->conns = c;
		ctl->nconns++;
	}
}

static void vmm_loop_close(struct vmm_ctl *ctl, struct vmm_ctl_conn *conn)
{
	struct vmm_ctl_conn **pp;

	for (pp = &ctl->conns; *pp; pp = &(*pp)->next)
		if (*pp == conn) {
			*pp = conn->next;
			break;
		}
	if (conn->sink)
		vmm_console_detach(&ctl->vm->console, conn->sink);
	else
		close(conn->fd);
	vmm_buf_done(&conn->out);
	free(conn);
	ctl->nconns--;
}

/* Read request bytes; a whole line is handed to the request code. */
static void vmm_loop_request_in(struct vmm_ctl *ctl, struct vmm_ctl_conn *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, KVM_PROTO_MAX_LINE - c->in_len);
	char *nl;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			c->done = true;	/* gone before asking: nothing to answer */
		return;
	}
	c->in_len += (size_t)n;
	c->in[c->in_len] = '\0';
	nl = memchr(c->in, '\n', c->in_len);
	if (nl) {
		size_t used = (size_t)(nl - c->in) + 1;

		*nl = '\0';
		vmm_request_handle(ctl, c, c->in);
		/* A console client may send its first keys right behind CONSOLE. */
		c->in_len -= used;
		memmove(c->in, c->in + used, c->in_len);
		if (!c->sink)
			c->in_len = 0;
	} else if (c->in_len >= KVM_PROTO_MAX_LINE) {
		vmm_buf_printf(&c->out, KVM_PROTO_ERR " request longer than %d bytes\n",
			       KVM_PROTO_MAX_LINE);
		c->done = true;
	}
}

static void vmm_loop_reply_out(struct vmm_ctl_conn *c)
{
	ssize_t n;

	while (c->out_off < c->out.len) {
		n = send(c->fd, c->out.p + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			c->out_off = c->out.len;	/* peer gone: drop the rest */
			return;
		}
		c->out_off += (size_t)n;
	}
}

/* Host bytes into the guest's UART, only as many as its FIFO has room for. */
static bool vmm_loop_console_in(struct vmm_ctl *ctl, int fd)
{
	uint8_t buf[VMM_UART_FIFO_SIZE];
	size_t room = vmm_serial_input_space(&ctl->vm->serial);
	ssize_t n;

	if (room == 0)
		return true;
	n = read(fd, buf, room < sizeof(buf) ? room : sizeof(buf));
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return false;
	if (n > 0)
		vmm_serial_input(&ctl->vm->serial, buf, (size_t)n);
	return true;
}

/* Keys that arrived with the CONSOLE request go in before anything read later. */
static void vmm_loop_feed_early(struct vmm_ctl *ctl)
{
	struct vmm_ctl_conn *c;
	size_t n;

	for (c = ctl->conns; c; c = c->next) {
		if (!c->sink || c->in_len == 0)
			continue;
		n = vmm_serial_input(&ctl->vm->serial, (const uint8_t *)c->in, c->in_len);
		c->in_len -= n;
		memmove(c->in, c->in + n, c->in_len);
	}
}

static void vmm_loop_conn_io(struct vmm_ctl *ctl, struct vmm_ctl_conn *c, short rev)
{
	if (c->sink) {
		/* A client that stopped sending may still be reading: keep its output going. */
		if ((rev & POLLIN) && !vmm_loop_console_in(ctl, c->fd))
			c->in_eof = true;
		if ((rev & POLLOUT) && vmm_console_flush(&ctl->vm->console, c->sink) < 0)
			c->done = true;
		if (rev & (POLLHUP | POLLERR))
			c->done = true;	/* gone both ways */
		if (c->sink->overflow) {
			vmm_warn("console client fd %d fell %u bytes behind: disconnected", c->fd,
				 VMM_CONSOLE_CLIENT_LIMIT);
			c->done = true;
		}
		return;
	}
	if ((rev & POLLIN) && !c->done)
		vmm_loop_request_in(ctl, c);
	if (c->done)
		vmm_loop_reply_out(c);
	if (rev & (POLLHUP | POLLERR))
		c->out_off = c->out.len;
}

/* Close connections that finished, and ones that never sent a request. */
static void vmm_loop_reap(struct vmm_ctl *ctl)
{
	unsigned long long now = vmm_time_mono_ns();
	struct vmm_ctl_conn *c, *next;

	for (c = ctl->conns; c; c = next) {
		next = c->next;
		if (c->sink) {
			if (c->done || c->sink->overflow || c->sink->dead) {
				vmm_info("console client fd %d detached", c->fd);
				vmm_loop_close(ctl, c);
			}
		} else if ((c->done && c->out_off >= c->out.len) ||
			   (!c->done && now - c->born_ns > VMM_LOOP_REQUEST_TIMEOUT_NS)) {
			vmm_loop_close(ctl, c);
		}
	}
}

static void vmm_loop_signals(struct vmm_ctl *ctl)
{
	struct signalfd_siginfo si;

	while (read(ctl->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		vmm_vm_end(ctl->vm, VMM_END_KILLED, "signal=%s", strsignal((int)si.ssi_signo));
}

/*
 * A guest reset: reboot, or end the VM (reset, or poweroff after the power
 * button); or a guest panic under --on-panic restart, which reboots first.
 */
static void vmm_loop_reset(struct vmm_ctl *ctl)
{
	struct vmm_vm *vm = ctl->vm;
	struct vmt_error err = { 0, "" };
	char how[sizeof(vm->panic_how)];
	bool req, power, panic;

	pthread_mutex_lock(&vm->lock);
	req = vm->reset_req;
	power = vm->powerdown_req;
	panic = vm->panic_req;
	memcpy(how, vm->panic_how, sizeof(how));
	pthread_mutex_unlock(&vm->lock);
	if (panic) {
		vmm_warn("guest panic (%s): restarting (--on-panic restart)", how);
		if (vmm_vm_restart(vm, &err))
			vmm_vm_end(vm, VMM_END_ERROR, "restart failed: %s", err.msg);
	} else if (!req) {
		return;
	} else if (power) {
		vmm_vm_end(vm, VMM_END_POWEROFF, "reset after power button");
	} else if (vm->cfg.restart_on_reboot) {
		vmm_info("guest reset: restarting (--on-reboot restart)");
		if (vmm_vm_restart(vm, &err))
			vmm_vm_end(vm, VMM_END_ERROR, "restart failed: %s", err.msg);
	} else {
		vmm_vm_end(vm, VMM_END_RESET, "by guest");
	}
}

static void vmm_loop_stdin(struct vmm_ctl *ctl)
{
	if (!vmm_loop_console_in(ctl, STDIN_FILENO)) {
		vmm_info("stdin closed: console input ends");
		ctl->stdin_open = false;
	}
}

struct vmm_loop_set {
	struct pollfd pfd[VMM_LOOP_MAX_CONNS + 8];
	struct vmm_ctl_conn *conn[VMM_LOOP_MAX_CONNS + 8];
	unsigned n;
};

static void vmm_loop_add(struct vmm_loop_set *s, int fd, short events, struct vmm_ctl_conn *c)
{
	s->pfd[s->n].fd = fd;
	s->pfd[s->n].events = events;
	s->pfd[s->n].revents = 0;
	s->conn[s->n++] = c;
}

static void vmm_loop_build(struct vmm_ctl *ctl, struct vmm_loop_set *s)
{
	size_t room = vmm_serial_input_space(&ctl->vm->serial);
	struct vmm_ctl_conn *c;
	short ev;

	s->n = 0;
	vmm_loop_add(s, ctl->sig_fd, POLLIN, NULL);
	vmm_loop_add(s, ctl->vm->event_fd, POLLIN, NULL);
	if (ctl->listen_fd >= 0)
		vmm_loop_add(s, ctl->listen_fd, POLLIN, NULL);
	/* A full receive FIFO leaves input waiting in its source: back-pressure, not loss. */
	if (ctl->stdin_open && room > 0)
		vmm_loop_add(s, STDIN_FILENO, POLLIN, NULL);
	if (ctl->out_sink && vmm_console_pending(&ctl->vm->console, ctl->out_sink))
		vmm_loop_add(s, STDOUT_FILENO, POLLOUT, NULL);
	for (c = ctl->conns; c && s->n < VMM_LOOP_MAX_CONNS + 8; c = c->next) {
		if (c->sink)
			ev = (short)((room > 0 && c->in_len == 0 && !c->in_eof ? POLLIN : 0) |
				     (vmm_console_pending(&ctl->vm->console, c->sink) ? POLLOUT : 0));
		else
			ev = c->done ? POLLOUT : POLLIN;
		vmm_loop_add(s, c->fd, ev, c);
	}
}

static void vmm_loop_dispatch(struct vmm_ctl *ctl, struct vmm_loop_set *s)
{
	unsigned i;

	for (i = 0; i < s->n; i++) {
		short rev = s->pfd[i].revents;

		if (!rev)
			continue;
		if (s->conn[i])
			vmm_loop_conn_io(ctl, s->conn[i], rev);
		else if (s->pfd[i].fd == ctl->sig_fd)
			vmm_loop_signals(ctl);
		else if (s->pfd[i].fd == ctl->vm->event_fd && (vmm_vm_take_events(ctl->vm) & VMM_EV_RESET))
			vmm_loop_reset(ctl);
		else if (s->pfd[i].fd == ctl->listen_fd)
			vmm_loop_accept(ctl);
		else if (s->pfd[i].fd == STDIN_FILENO)
			vmm_loop_stdin(ctl);
		else if (s->pfd[i].fd == STDOUT_FILENO)
			vmm_console_flush(&ctl->vm->console, ctl->out_sink);
	}
}

void vmm_ctl_run(struct vmm_ctl *ctl)
{
	struct vmm_loop_set *s = calloc(1, sizeof(*s));

	if (!s) {
		vmm_vm_end(ctl->vm, VMM_END_ERROR, "out of memory");
		return;
	}
	while (!__atomic_load_n(&ctl->vm->ending, __ATOMIC_SEQ_CST)) {
		vmm_loop_feed_early(ctl);
		vmm_loop_build(ctl, s);
		if (poll(s->pfd, s->n, VMM_LOOP_TICK_MS) < 0 && errno != EINTR) {
			vmm_vm_end(ctl->vm, VMM_END_ERROR, "poll: %s", strerror(errno));
			break;
		}
		vmm_loop_dispatch(ctl, s);
		vmm_loop_reap(ctl);
	}
	free(s);
}

/* After the vCPUs stopped: give every reader what the guest said last. */
void vmm_ctl_drain(struct vmm_ctl *ctl)
{
	struct vmm_ctl_conn *c;
	int tries;

	for (c = ctl->conns; c; c = c->next)
		if (c->sink)
			vmm_console_flush(&ctl->vm->console, c->sink);
	for (tries = 0; ctl->out_sink && tries < 256 &&
	     vmm_console_pending(&ctl->vm->console, ctl->out_sink); tries++)
		if (vmm_console_flush(&ctl->vm->console, ctl->out_sink) < 0)
			break;
}
