// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-backend-ctl.c: runtime files, the control-socket client and the runner spawner. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/kvm/kvm-backend-ctl.h"
#include "src/lib/log.h"
#include "src/lib/paths.h"

/* How long a request to a runner may take before vmtui gives up on it. */
#define KVM_CTL_TIMEOUT_S 5
/* How long vmtui-vmm may take to set up a VM and report ready. */
#define KVM_SPAWN_TIMEOUT_MS 30000
#define KVM_REPLY_MAX (256 * 1024)

char *kvm_rt_path(const char *rtdir, const char *uuid, const char *ext)
{
	return xasprintf("%s/%s.%s", rtdir, uuid, ext);
}

/*
 * Field 22 of /proc/PID/stat: when the process started, in clock ticks.
 * A zombie (state Z or X) counts as gone: it runs no VM any more.
 */
static int kvm_proc_starttime(pid_t pid, unsigned long long *out)
{
	char path[64], *buf = NULL, *p;
	int r = -ESRCH;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (file_read_all(path, 4096, &buf, NULL, NULL) < 0)
		return r;
	/* The command name (field 2) ends at the last ')'; field 3 follows it. */
	p = strrchr(buf, ')');
	if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		p = NULL;
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p && sscanf(p + 1, "%llu", out) == 1)
		r = 0;
	free(buf);
	return r;
}

bool kvm_pid_alive(pid_t pid)
{
	unsigned long long start;

	return kvm_proc_starttime(pid, &start) == 0;
}

bool kvm_pid_file_alive(const char *pidpath, pid_t *pid)
{
	char *buf = NULL;
	unsigned long long start = 0, now;
	int p = 0;
	bool alive = false;

	if (file_read_all(pidpath, 256, &buf, NULL, NULL) < 0)
		return false;
	if (sscanf(buf, "%d %llu", &p, &start) == 2 && p > 0 &&
	    kvm_proc_starttime(p, &now) == 0 && now == start) {
		*pid = p;
		alive = true;
	}
	free(buf);
	return alive;
}

char *kvm_log_tail(const char *logpath, int n)
{
	char *buf = NULL, *start;
	struct strbuf sb;
	size_t len;
	int lines = 0;

	if (!logpath || file_read_all(logpath, 64 << 20, &buf, &len, NULL) < 0)
		return NULL;
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	start = buf + len;
	while (start > buf && lines < n)
		if (*--start == '\n')
			lines++;
	if (*start == '\n')
		start++;
	strbuf_init(&sb);
	for (char *line = strtok(start, "\n"); line; line = strtok(NULL, "\n")) {
		if (sb.len)
			strbuf_adds(&sb, " | ");
		strbuf_adds(&sb, line);
	}
	free(buf);
	return sb.len ? strbuf_detach(&sb) : NULL;
}

static bool kvm_socket_answers(const char *sock)
{
	int fd = kvm_ctl_connect(sock, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* A runner died without cleaning up: keep why, remove what it left. */
static void kvm_runtime_bury(const char *rtdir, const char *logpath,
			     const char *uuid, struct kvm_runtime *rt)
{
	char *exitp = kvm_rt_path(rtdir, uuid, "exit");
	char *tail = kvm_log_tail(logpath, 3);
	char *why = xasprintf("runner died unexpectedly%s%s", tail ? ": " : "",
			      tail ? tail : "");
	int fd = open(exitp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd >= 0) {
		fd_write_all(fd, why, strlen(why));
		close(fd);
	}
	LOG_WARN("kvm: VM %s: %s", uuid, why);
	rt->state = VM_STATE_CRASHED;
	rt->reason = why;
	free(tail);
	free(exitp);
}

char **kvm_running_uuids(const char *rtdir, size_t *n)
{
	DIR *d = opendir(rtdir);
	char **uuids = NULL;
	size_t cap = 0;
	struct dirent *e;

	*n = 0;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char *pidp;
		pid_t pid;

		if (len != 36 + 4 || strcmp(e->d_name + 36, ".pid") != 0)
			continue;
		pidp = xasprintf("%s/%s", rtdir, e->d_name);
		if (kvm_pid_file_alive(pidp, &pid)) {
			uuids = xgrow(uuids, &cap, *n, sizeof(*uuids));
			uuids[(*n)++] = xstrndup(e->d_name, 36);
		}
		free(pidp);
	}
	if (d)
		closedir(d);
	return uuids;
}

unsigned kvm_rt_files_one(const char *rtdir, const char *uuid)
{
	static const char *const exts[] = { "pid", "sock", "exit" };
	unsigned has = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(exts); i++) {
		char *p = kvm_rt_path(rtdir, uuid, exts[i]);

		if (access(p, F_OK) == 0)
			has |= 1u << i;
		free(p);
	}
	return has;
}

static int kvm_rt_file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kvm_rt_file *)a)->uuid, ((const struct kvm_rt_file *)b)->uuid);
}

/* KVM_RT_* of a runtime file's extension, or 0 for another file. */
static unsigned kvm_rt_kind(const char *ext)
{
	return str_eq(ext, ".pid") ? KVM_RT_PID : str_eq(ext, ".sock") ? KVM_RT_SOCK
		: str_eq(ext, ".exit") ? KVM_RT_EXIT : 0;
}

void kvm_rt_files_scan(const char *rtdir, struct kvm_rt_files *f)
{
	DIR *d = opendir(rtdir);
	size_t cap = 0, w = 0;
	struct dirent *e;

	f->v = NULL;
	f->n = 0;
	while (d && (e = readdir(d))) {
		unsigned kind = strlen(e->d_name) > 36 ? kvm_rt_kind(e->d_name + 36) : 0;

		if (!kind)
			continue;
		f->v = xgrow(f->v, &cap, f->n, sizeof(*f->v));
		memcpy(f->v[f->n].uuid, e->d_name, 36);
		f->v[f->n].uuid[36] = '\0';
		f->v[f->n++].has = kind;
	}
	if (d)
		closedir(d);
	/* One entry per VM, its files' kinds together. */
	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), kvm_rt_file_cmp);
	for (size_t i = 0; i < f->n; i++) {
		if (w && str_eq(f->v[w - 1].uuid, f->v[i].uuid))
			f->v[w - 1].has |= f->v[i].has;
		else
			f->v[w++] = f->v[i];
	}
	f->n = w;
}

/* bsearch() order of a UUID (the key) against an entry. */
static int kvm_rt_file_cmp_key(const void *key, const void *entry)
{
	return strcmp(key, ((const struct kvm_rt_file *)entry)->uuid);
}

unsigned kvm_rt_files_of(const struct kvm_rt_files *f, const char *uuid)
{
	struct kvm_rt_file *hit = f->n ? bsearch(uuid, f->v, f->n, sizeof(*f->v),
						 kvm_rt_file_cmp_key) : NULL;

	return hit ? hit->has : 0;
}

void kvm_rt_files_done(struct kvm_rt_files *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

void kvm_runtime_probe(const char *rtdir, const char *logpath, const char *uuid,
		       unsigned has, struct kvm_runtime *rt)
{
	char *pidp, *sockp, *buf = NULL;

	memset(rt, 0, sizeof(*rt));
	rt->state = VM_STATE_SHUTOFF;
	if (!has)
		return;
	pidp = kvm_rt_path(rtdir, uuid, "pid");
	sockp = kvm_rt_path(rtdir, uuid, "sock");
	if ((has & KVM_RT_PID) && kvm_pid_file_alive(pidp, &rt->pid)) {
		rt->state = VM_STATE_RUNNING;
	} else if ((has & KVM_RT_SOCK) && kvm_socket_answers(sockp)) {
		/* Setting up (the pid file comes once it is ready), or its pid
		 * file is damaged: either way a runner answers, so it lives. */
		rt->state = VM_STATE_RUNNING;
	} else if ((has & (KVM_RT_PID | KVM_RT_SOCK)) &&
		   /* A runner that ended since has was read took its files with it, and left its reason. */
		   (kvm_rt_files_one(rtdir, uuid) & (KVM_RT_PID | KVM_RT_SOCK))) {
		unlink(sockp);
		unlink(pidp);
		kvm_runtime_bury(rtdir, logpath, uuid, rt);
	} else {
		char *exitp = kvm_rt_path(rtdir, uuid, "exit");

		if (file_read_all(exitp, 4096, &buf, NULL, NULL) == 0) {
			buf[strcspn(buf, "\n")] = '\0';
			rt->state = VM_STATE_CRASHED;
			rt->reason = buf;
		}
		free(exitp);
	}
	free(pidp);
	free(sockp);
}

int kvm_ctl_connect(const char *sock, struct vmt_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = KVM_CTL_TIMEOUT_S };
	int fd;

	if (strlen(sock) >= sizeof(sa.sun_path))
		return vmt_error_set(err, -ENAMETOOLONG,
				     "control socket path %s is too long", sock);
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vmt_error_set(err, -errno, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		if (e == ENOENT || e == ECONNREFUSED)
			return vmt_error_set(err, -ESRCH, "the VM is not running");
		return vmt_error_set(err, -e, "cannot reach the VM's runner at %s: %s",
				     sock, strerror(e));
	}
	return fd;
}

/* Read one line (without its newline) into sb; 0, or -EPIPE at end of stream. */
static int kvm_ctl_read_line(int fd, struct strbuf *sb)
{
	char c;

	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		if (c == '\n')
			return 0;
		if (sb->len >= KVM_REPLY_MAX)
			return -EMSGSIZE;
		strbuf_add(sb, &c, 1);
	}
}

static int kvm_ctl_read_body(int fd, struct strbuf *reply)
{
	for (;;) {
		struct strbuf line;
		int r;

		strbuf_init(&line);
		r = kvm_ctl_read_line(fd, &line);
		if (r == 0 && line.len == 0) {
			strbuf_done(&line);
			return 0;
		}
		if (r == 0) {
			strbuf_add(reply, line.buf, line.len);
			strbuf_add(reply, "\n", 1);
		}
		strbuf_done(&line);
		if (r < 0)
			return r;
	}
}

int kvm_ctl_request(const char *sock, const char *req, bool body, unsigned wait_s,
		    struct strbuf *reply, struct vmt_error *err)
{
	struct strbuf line;
	char *msg = xasprintf("%s\n", req);
	int fd = kvm_ctl_connect(sock, err), r;

	if (fd < 0) {
		free(msg);
		return fd;
	}
	if (wait_s) {
		struct timeval tv = { .tv_sec = wait_s };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	strbuf_init(&line);
	r = fd_write_all(fd, msg, strlen(msg));
	if (r == 0)
		r = kvm_ctl_read_line(fd, &line);
	if (r < 0) {
		vmt_error_set(err, r, "the VM's runner did not answer %s: %s", req,
			      strerror(-r));
	} else if (str_starts_with(line.buf ? line.buf : "", "ERR")) {
		r = vmt_error_set(err, -EIO, "%s", line.len > 4 ? line.buf + 4 : "the runner refused");
	} else if (line.len < 2 || strncmp(line.buf, "OK", 2) != 0) {
		r = vmt_error_set(err, -EPROTO, "the VM's runner answered %s with garbage", req);
	} else {
		strbuf_adds(reply, line.len > 3 ? line.buf + 3 : "");
		if (body && (r = kvm_ctl_read_body(fd, reply)) < 0)
			vmt_error_set(err, r, "the VM's runner broke off its answer to %s", req);
	}
	strbuf_done(&line);
	free(msg);
	close(fd);
	return r;
}

/* Whether a runner's value (empty for none) is the definition's (NULL for none). */
static bool kvm_live_same(const char *value, const char *want)
{
	return strcmp(value, want ? want : "") == 0;
}

/* Whether the runner gets disk or NIC k of def (kvm_argv passes these, in order). */
static bool kvm_live_usable(const struct vm_def *def, bool disk, size_t k)
{
	if (disk)
		return def->disks[k].path != NULL;
	return def->nics[k].kind == VM_NIC_USER || def->nics[k].kind == VM_NIC_TAP;
}

/* The INFO value of the runner's disk or NIC i when started from def; NULL: it has none. */
static char *kvm_live_device(const struct vm_def *def, bool disk, unsigned i)
{
	size_t n = disk ? def->n_disks : def->n_nics;

	for (size_t k = 0; k < n; k++) {
		if (!kvm_live_usable(def, disk, k) || i-- > 0)
			continue;
		if (disk)
			return xasprintf("%s,format=%s%s", def->disks[k].path,
					 vm_disk_format_name(def->disks[k].format),
					 def->disks[k].readonly ||
					 def->disks[k].device == VM_DISK_DEVICE_CDROM ? ",readonly" : "");
		return xasprintf("%s%s,mac=%s", def->nics[k].kind == VM_NIC_USER ? "user" : "tap:",
				 def->nics[k].kind == VM_NIC_USER ? "" : def->nics[k].source,
				 def->nics[k].mac);
	}
	return NULL;
}

/* One "key value" line of INFO into out; counts[0] and [1] count disks and NICs. */
static void kvm_live_line(const char *key, const char *value, const struct vm_def *def,
			  struct kvm_live *out, unsigned counts[2])
{
	unsigned i, n;
	int end = 0;

	if (strcmp(key, "vcpus") == 0 && parse_uint(value, &n) == 0)
		out->vcpus = n;
	else if (strcmp(key, "memory_mib") == 0)
		parse_u64(value, &out->memory_mib);
	else if (strcmp(key, "kernel") == 0 || strcmp(key, "initrd") == 0 ||
		 strcmp(key, "cmdline") == 0)
		out->differs |= !kvm_live_same(value, key[0] == 'k' ? def->kernel :
					       key[0] == 'i' ? def->initrd : def->cmdline);
	for (int d = 0; d < 2; d++) {
		char *want;

		if (sscanf(key, d == 0 ? "disk%u%n" : "nic%u%n", &i, &end) != 1 || key[end])
			continue;
		counts[d]++;
		want = kvm_live_device(def, d == 0, i);
		out->differs |= !want || strcmp(value, want) != 0;
		free(want);
	}
}

int kvm_ctl_live(const char *sock, const struct vm_def *def, struct kvm_live *out,
		 struct vmt_error *err)
{
	struct strbuf reply;
	unsigned counts[2] = { 0, 0 }, usable[2] = { 0, 0 };
	int r;

	memset(out, 0, sizeof(*out));
	strbuf_init(&reply);
	r = kvm_ctl_request(sock, "INFO", true, 0, &reply, err);
	for (char *line = r == 0 ? reply.buf : NULL; line && *line;) {
		char *nl = strchr(line, '\n'), *sp;

		if (nl)
			*nl = '\0';
		sp = strchr(line, ' ');
		if (sp)
			*sp = '\0';
		kvm_live_line(line, sp ? sp + 1 : "", def, out, counts);
		line = nl ? nl + 1 : NULL;
	}
	strbuf_done(&reply);
	for (size_t k = 0; k < def->n_disks; k++)
		usable[0] += kvm_live_usable(def, true, k);
	for (size_t k = 0; k < def->n_nics; k++)
		usable[1] += kvm_live_usable(def, false, k);
	out->differs |= counts[0] != usable[0] || counts[1] != usable[1] ||
			out->vcpus != def->vcpus || out->memory_mib != def->memory_mib;
	return r;
}

char *kvm_vmm_path(void)
{
	return paths_companion("VMTUI_VMM", "vmtui-vmm", VMTUI_PKGLIBEXECDIR);
}

/* In the forked child: only async-signal-safe calls from here on. */
static void kvm_spawn_child(char *const argv[], const char *logpath, int ready)
{
	static const char fail[] = "ERR cannot run vmtui-vmm (see its log)\n";
	int logfd, nullfd;
	sigset_t all;

	setsid();
	if (fork() != 0)
		_exit(0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	/*
	 * With a standard descriptor closed the pipe may sit on 0-3: the
	 * dup2s below would overwrite it, or dup2(3, 3) would keep its
	 * close-on-exec. A copy above them all avoids both.
	 */
	ready = fcntl(ready, F_DUPFD, 10);
	logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
	nullfd = open("/dev/null", O_RDWR);
	if (ready < 0 || logfd < 0 || nullfd < 0 || dup2(nullfd, 0) < 0 ||
	    dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0 || dup2(ready, 3) < 0)
		_exit(127);
	for (int fd = 4; fd < 1024; fd++)
		close(fd);
	execv(argv[0], argv);
	if (write(3, fail, sizeof(fail) - 1) < 0)
		_exit(127);
	_exit(127);
}

/* Read the runner's one ready line, waiting at most KVM_SPAWN_TIMEOUT_MS. */
static int kvm_spawn_wait(int fd, struct strbuf *line)
{
	uint64_t deadline = time_mono_ns() + KVM_SPAWN_TIMEOUT_MS * 1000000ull;
	char buf[512];

	for (;;) {
		uint64_t now = time_mono_ns();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)((deadline - now) / 1000000) + 1) < 0 && errno != EINTR)
			return -errno;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		strbuf_add(line, buf, (size_t)n);
		if (memchr(buf, '\n', (size_t)n))
			return 0;
	}
}

int kvm_spawn(char *const argv[], const char *logpath, struct vmt_error *err)
{
	struct strbuf line;
	int p[2], status, r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return vmt_error_set(err, -errno, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return vmt_error_set(err, -errno, "fork: %s", strerror(errno));
	}
	if (pid == 0)
		kvm_spawn_child(argv, logpath, p[1]);
	close(p[1]);
	waitpid(pid, &status, 0);
	strbuf_init(&line);
	r = kvm_spawn_wait(p[0], &line);
	close(p[0]);
	if (r == 0 && line.len >= 2 && strncmp(line.buf, "OK", 2) == 0) {
		strbuf_done(&line);
		return 0;
	}
	if (r == -ETIMEDOUT)
		vmt_error_set(err, r, "vmtui-vmm did not report ready within %d s (see %s)",
			      KVM_SPAWN_TIMEOUT_MS / 1000, logpath);
	else if (line.len > 4 && strncmp(line.buf, "ERR ", 4) == 0)
		vmt_error_set(err, -EIO, "%.*s", (int)strcspn(line.buf + 4, "\n"),
			      line.buf + 4);
	else {
		char *tail = kvm_log_tail(logpath, 3);

		vmt_error_set(err, -EIO, "vmtui-vmm exited before it was ready%s%s",
			      tail ? ": " : " (see its log)", tail ? tail : "");
		free(tail);
	}
	strbuf_done(&line);
	return r < 0 ? r : err ? err->code : -EIO;
}
