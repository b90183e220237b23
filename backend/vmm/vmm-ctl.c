/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-ctl.c: the control socket's set-up and the runtime files beside it (.pid, .exit). */
#include "config.h"

#include "backend/vmm/vmm-ctl.h"
#include "backend/vmm/vmm-stats.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

void vmm_ctl_init(struct vmm_ctl *ctl, struct vmm_vm *vm)
{
	memset(ctl, 0, sizeof(*ctl));
	ctl->vm = vm;
	ctl->listen_fd = -1;
	ctl->sig_fd = -1;
}

static char *vmm_ctl_sibling(const char *sock, const char *ext)
{
	size_t n = strlen(sock), sl = strlen(KVM_PROTO_SOCK_SUFFIX);
	char *p;

	if (n > sl && strcmp(sock + n - sl, KVM_PROTO_SOCK_SUFFIX) == 0)
		n -= sl;
	p = malloc(n + strlen(ext) + 1);
	if (p) {
		memcpy(p, sock, n);
		strcpy(p + n, ext);
	}
	return p;
}

/* An existing path: refuse if a runner answers there, else clear the stale socket. */
static int vmm_ctl_stale(const char *path, const struct sockaddr_un *sa, struct vmt_error *err)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : vmt_error_set(err, -errno, "socket %s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return vmt_error_set(err, -EEXIST, "socket %s: exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vmt_error_set(err, -errno, "socket: %s", strerror(errno));
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (r == 0)
		return vmt_error_set(err, -EADDRINUSE, "socket %s: a live runner answers there", path);
	vmm_info("removing stale socket %s", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return vmt_error_set(err, -errno, "socket %s: cannot remove: %s", path, strerror(errno));
	return 0;
}

static int vmm_ctl_bind(struct vmm_ctl *ctl, const struct sockaddr_un *sa, struct vmt_error *err)
{
	mode_t old;
	int r;

	ctl->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ctl->listen_fd < 0)
		return vmt_error_set(err, -errno, "socket: %s", strerror(errno));
	/* The umask makes the socket 0600 from birth: no window where others can connect. */
	old = umask(0177);
	r = bind(ctl->listen_fd, (const struct sockaddr *)sa, sizeof(*sa));
	umask(old);
	if (r < 0)
		return vmt_error_set(err, -errno, "socket %s: bind: %s", sa->sun_path, strerror(errno));
	if (listen(ctl->listen_fd, 16) < 0)
		return vmt_error_set(err, -errno, "socket %s: listen: %s", sa->sun_path, strerror(errno));
	return 0;
}

int vmm_ctl_listen(struct vmm_ctl *ctl, const char *path, struct vmt_error *err)
{
	struct sockaddr_un sa;
	int rc;

	if (!path)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return vmt_error_set(err, -ENAMETOOLONG, "socket %s: path longer than %zu bytes",
				     path, sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, path);
	ctl->sock_path = strdup(path);
	ctl->pid_path = vmm_ctl_sibling(path, KVM_PROTO_PID_SUFFIX);
	ctl->exit_path = vmm_ctl_sibling(path, KVM_PROTO_EXIT_SUFFIX);
	if (!ctl->sock_path || !ctl->pid_path || !ctl->exit_path)
		return vmt_error_set(err, -ENOMEM, "out of memory");
	rc = vmm_ctl_stale(path, &sa, err);
	if (rc == 0)
		rc = vmm_ctl_bind(ctl, &sa, err);
	if (rc) {
		free(ctl->sock_path);	/* not ours: never unlink it on the way out */
		ctl->sock_path = NULL;
		return rc;
	}
	vmm_info("control socket %s", path);
	return 0;
}

static int vmm_ctl_write_file(const char *path, const char *text)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	int fd, rc = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rc = -errno;
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = -errno;
	/* Renamed into place, so a reader never sees half a file. */
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

int vmm_ctl_files(struct vmm_ctl *ctl, struct vmt_error *err)
{
	char text[64];
	int rc;

	if (!ctl->sock_path)
		return 0;
	unlink(ctl->exit_path);
	/* The pid and its start time (ticks since boot): a recycled pid is told apart. */
	snprintf(text, sizeof(text), "%d %llu\n", (int)getpid(),
		 vmm_stats_proc_field("/proc/self/stat", 22));
	rc = vmm_ctl_write_file(ctl->pid_path, text);
	if (rc)
		return vmt_error_set(err, rc, "pid file %s: %s", ctl->pid_path, strerror(-rc));
	return 0;
}

int vmm_ctl_signals(struct vmm_ctl *ctl, struct vmt_error *err)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	/* the VM outlives the terminal that started it */
	vmm_vcpu_signals_init();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);	/* only vCPU threads take kicks */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return vmt_error_set(err, -EINVAL, "cannot block signals");
	sigdelset(&set, SIGUSR1);
	ctl->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (ctl->sig_fd < 0)
		return vmt_error_set(err, -errno, "signalfd: %s", strerror(errno));
	return 0;
}

int vmm_ctl_stdio(struct vmm_ctl *ctl, struct vmt_error *err)
{
	struct termios t;

	ctl->out_sink = vmm_console_attach(&ctl->vm->console, STDOUT_FILENO, true);
	if (!ctl->out_sink)
		return vmt_error_set(err, -ENOMEM, "out of memory");
	ctl->stdin_open = true;
	ctl->stdin_tty = isatty(STDIN_FILENO);
	if (ctl->stdin_tty && tcgetattr(STDIN_FILENO, &ctl->termios0) == 0) {
		ctl->termios_saved = true;
		t = ctl->termios0;
		cfmakeraw(&t);
		t.c_lflag |= ISIG;	/* Ctrl-C still stops the runner when run by hand */
		t.c_oflag |= OPOST | ONLCR;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	return 0;
}

void vmm_ctl_done(struct vmm_ctl *ctl, enum vmm_end reason, const char *detail)
{
	char text[256];

	while (ctl->conns) {
		struct vmm_ctl_conn *c = ctl->conns;

		ctl->conns = c->next;
		if (c->sink)
			vmm_console_detach(&ctl->vm->console, c->sink);
		else
			close(c->fd);
		vmm_buf_done(&c->out);
		free(c);
	}
	if (ctl->termios_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &ctl->termios0);
	if (ctl->listen_fd >= 0)
		close(ctl->listen_fd);
	if (ctl->sig_fd >= 0)
		close(ctl->sig_fd);
	if (ctl->sock_path) {
		unlink(ctl->sock_path);
		unlink(ctl->pid_path);
		if (vmm_end_is_crash(reason)) {
			snprintf(text, sizeof(text), "%s %s\n", vmm_end_name(reason), detail);
			vmm_ctl_write_file(ctl->exit_path, text);
		} else {
			unlink(ctl->exit_path);
		}
	}
	free(ctl->sock_path);
	free(ctl->pid_path);
	free(ctl->exit_path);
	ctl->sock_path = ctl->pid_path = ctl->exit_path = NULL;
}
