/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-sandbox.c: a seccomp allow-list (libseccomp) for the running VM, a SIGSYS handler that records why it died, and the privilege drop. */
#include "config.h"

#include "backend/vmm/vmm-sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kvm.h>
#include <malloc.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "backend/vmm/kvm-proto.h"

/*
 * Sanitizer runtimes need far more (LeakSanitizer stops the world with a
 * ptrace-ing clone that walks /proc): such test builds get a deny-list of
 * the calls nothing may make, the one the test makes included.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VMM_SANDBOX_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define VMM_SANDBOX_SANITIZER 1
#endif
#endif

#define VMM_SANDBOX_NAMES 512

/* What the SIGSYS handler needs, prepared while it is still safe to allocate. */
static struct {
	char exit_path[4096], exit_tmp[4104], pid_path[4096], sock_path[4096];
	uint16_t name_at[VMM_SANDBOX_NAMES];	/* offset into names; 0: unknown */
	char names[8192];			/* "\0read\0write\0..." */
} vmm_sandbox;

/* Everything the running VM calls with any arguments. */
static const int vmm_sandbox_plain[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(preadv), SCMP_SYS(pwritev),
	SCMP_SYS(preadv2), SCMP_SYS(pwritev2), SCMP_SYS(close), SCMP_SYS(fstat),
	SCMP_SYS(newfstatat), SCMP_SYS(lseek), SCMP_SYS(openat), SCMP_SYS(munmap),
	SCMP_SYS(madvise), SCMP_SYS(mincore), SCMP_SYS(brk), SCMP_SYS(mremap),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(poll), SCMP_SYS(ppoll),
	SCMP_SYS(accept4), SCMP_SYS(sendto), SCMP_SYS(recvfrom), SCMP_SYS(sendmsg),
	SCMP_SYS(recvmsg), SCMP_SYS(shutdown), SCMP_SYS(fcntl), SCMP_SYS(futex),
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(getrusage), SCMP_SYS(sched_yield), SCMP_SYS(fdatasync), SCMP_SYS(fsync),
	SCMP_SYS(fallocate), SCMP_SYS(ftruncate), SCMP_SYS(getrandom), SCMP_SYS(rename),
	SCMP_SYS(renameat), SCMP_SYS(renameat2), SCMP_SYS(unlink), SCMP_SYS(unlinkat),
	SCMP_SYS(restart_syscall), SCMP_SYS(sigaltstack),
};

#ifdef VMM_SANDBOX_SANITIZER
static const int vmm_sandbox_denied[] = {
	SCMP_SYS(uname), SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(socket),
};
#endif

/*
 * What libslirp calls for a user network besides: its own sockets to the
 * outside (Internet families only, see below), connected, never bound (a
 * forwarded port listens from before the sandbox; its connections are
 * accepted), their options and addresses, FIONREAD on a datagram socket
 * before it reads, and SIOCGIFINDEX for a nameserver with a scope.
 */
static const int vmm_sandbox_net[] = {
	SCMP_SYS(connect), SCMP_SYS(accept), SCMP_SYS(getsockname), SCMP_SYS(getpeername),
	SCMP_SYS(setsockopt), SCMP_SYS(getsockopt),
};

/* ioctl requests: running vCPUs, interrupts and notifications, resets, the terminal. */
static const unsigned long vmm_sandbox_ioctls[] = {
	KVM_RUN, KVM_IRQ_LINE, KVM_SIGNAL_MSI, KVM_IOEVENTFD, KVM_CHECK_EXTENSION,
	KVM_GET_REGS, KVM_SET_REGS, KVM_GET_SREGS, KVM_SET_SREGS, KVM_SET_FPU, KVM_SET_MSRS,
	KVM_SET_LAPIC, KVM_SET_MP_STATE, KVM_SET_XCRS, KVM_SET_IRQCHIP, KVM_SET_PIT2,
	/* SNAPSHOT reads the whole machine */
	KVM_GET_XSAVE, KVM_GET_XCRS, KVM_GET_LAPIC, KVM_GET_VCPU_EVENTS, KVM_GET_DEBUGREGS,
	KVM_GET_MP_STATE, KVM_GET_MSR_INDEX_LIST, KVM_GET_MSRS, KVM_GET_IRQCHIP, KVM_GET_PIT2,
	KVM_GET_CLOCK,
	KVM_SET_XSAVE, KVM_SET_DEBUGREGS, KVM_SET_VCPU_EVENTS, KVM_GET_NESTED_STATE,
	KVM_SET_NESTED_STATE,
	TCGETS, TCSETS,
};

/* Decimal digits of v at the end of buf[len]; returns where they start. */
static char *vmm_sandbox_utoa(char *buf, size_t len, unsigned long v)
{
	char *p = buf + len;

	*--p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v && p > buf);
	return p;
}

static size_t vmm_sandbox_cat(char *dst, size_t at, size_t cap, const char *s)
{
	while (*s && at + 1 < cap)
		dst[at++] = *s++;
	dst[at] = '\0';
	return at;
}

/* "YYYY-MM-DDThh:mm:ss.uuuuuuZ" without locale or time zone code (days-to-civil). */
static size_t vmm_sandbox_stamp(char *out, size_t cap)
{
	struct timespec ts;
	long days, z, era, doe, yoe, doy, mp, y, m, d, s;
	char num[24];
	size_t at = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	days = ts.tv_sec / 86400;
	s = ts.tv_sec % 86400;
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	long parts[] = { y, m, d, s / 3600, s / 60 % 60, s % 60, ts.tv_nsec / 1000 };
	const char *sep[] = { "-", "-", "T", ":", ":", ".", "Z" };
	int width[] = { 4, 2, 2, 2, 2, 2, 6 };

	for (int i = 0; i < 7; i++) {
		char *p = vmm_sandbox_utoa(num, sizeof(num), (unsigned long)parts[i]);
		int pad = width[i] - (int)strlen(p);

		for (int k = 0; k < pad; k++)
			at = vmm_sandbox_cat(out, at, cap, "0");
		at = vmm_sandbox_cat(out, at, cap, p);
		at = vmm_sandbox_cat(out, at, cap, sep[i]);
	}
	return at;
}

static void vmm_sandbox_write_exit(const char *detail)
{
	int fd;

	if (!vmm_sandbox.exit_path[0])
		return;
	fd = open(vmm_sandbox.exit_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, KVM_PROTO_REASON_SECCOMP " ", strlen(KVM_PROTO_REASON_SECCOMP) + 1) > 0 &&
		    write(fd, detail, strlen(detail)) > 0)
			rename(vmm_sandbox.exit_tmp, vmm_sandbox.exit_path);
		close(fd);
	}
	/* Gone files tell the client at once that the runner is dead. */
	unlink(vmm_sandbox.pid_path);
	unlink(vmm_sandbox.sock_path);
}

/*
 * Only async-signal-safe calls, all of them on the allow-list.  Should any
 * of them be refused, SIGSYS is blocked here and the kernel kills the
 * process anyway: the record is best effort, the death is not.
 */
static void vmm_sandbox_sigsys(int sig, siginfo_t *si, void *uc)
{
	char line[512], detail[128], num[24];
	int nr = si->si_syscall;
	const char *name = nr >= 0 && nr < VMM_SANDBOX_NAMES && vmm_sandbox.name_at[nr] ?
			   vmm_sandbox.names + vmm_sandbox.name_at[nr] : "?";
	struct sigaction dfl;
	size_t at;

	(void)uc;
	at = vmm_sandbox_cat(detail, 0, sizeof(detail), "syscall ");
	at = vmm_sandbox_cat(detail, at, sizeof(detail), vmm_sandbox_utoa(num, sizeof(num), (unsigned long)nr));
	at = vmm_sandbox_cat(detail, at, sizeof(detail), " (");
	at = vmm_sandbox_cat(detail, at, sizeof(detail), name);
	vmm_sandbox_cat(detail, at, sizeof(detail), ") is outside the sandbox\n");
	at = vmm_sandbox_stamp(line, sizeof(line));
	at = vmm_sandbox_cat(line, at, sizeof(line), " error vmm: killed by seccomp: ");
	at = vmm_sandbox_cat(line, at, sizeof(line), detail);
	if (write(STDERR_FILENO, line, at) < 0)
		at = 0;
	vmm_sandbox_write_exit(detail);
	at = vmm_sandbox_stamp(line, sizeof(line));
	at = vmm_sandbox_cat(line, at, sizeof(line), " error vmm: exit reason=" KVM_PROTO_REASON_SECCOMP " ");
	at = vmm_sandbox_cat(line, at, sizeof(line), detail);
	if (write(STDERR_FILENO, line, at) < 0)
		at = 0;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	/* Blocked here: the kernel forces the default action, death by SIGSYS. */
	raise(sig);
	syscall(SYS_exit_group, 128 + sig);
}

static int vmm_sandbox_net_rules(scmp_filter_ctx ctx)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(vmm_sandbox_net) / sizeof(vmm_sandbox_net[0]); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, vmm_sandbox_net[i], 0);
	/*
	 * Other families fail rather than kill: glibc's if_nametoindex, which
	 * libslirp calls for a scoped nameserver in resolv.conf, tries AF_UNIX
	 * before AF_INET.
	 */
	for (int af = 0; rc == 0 && af < AF_MAX; af++)
		rc = seccomp_rule_add(ctx, af == AF_INET || af == AF_INET6 ? SCMP_ACT_ALLOW :
				      SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)af));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, FIONREAD));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, SIOCGIFINDEX));
	return rc;
}

static int vmm_sandbox_rules(scmp_filter_ctx ctx, bool net_sockets)
{
	int rc = 0;

#ifdef VMM_SANDBOX_SANITIZER
	for (size_t i = 0; rc == 0 && i < sizeof(vmm_sandbox_denied) / sizeof(vmm_sandbox_denied[0]); i++)
		if (!net_sockets || vmm_sandbox_denied[i] != SCMP_SYS(socket))
			rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, vmm_sandbox_denied[i], 0);
	return rc;
#endif

	for (size_t i = 0; rc == 0 && i < sizeof(vmm_sandbox_plain) / sizeof(vmm_sandbox_plain[0]); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, vmm_sandbox_plain[i], 0);
	for (size_t i = 0; rc == 0 && i < sizeof(vmm_sandbox_ioctls) / sizeof(vmm_sandbox_ioctls[0]); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, vmm_sandbox_ioctls[i]));
	/* Threads only (never a second process), and no new executable memory. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* clone3 hides its flags in memory: make glibc fall back to clone. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	if (rc == 0 && net_sockets)
		rc = vmm_sandbox_net_rules(ctx);
	return rc;
}

/* Every system call's name, packed into one static buffer (a few KiB, not 500 allocations). */
static void vmm_sandbox_names_init(void)
{
	size_t len = 1;

	for (int nr = 0; nr < VMM_SANDBOX_NAMES; nr++) {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		size_t l = n ? strlen(n) + 1 : 0;

		if (n && len + l <= sizeof(vmm_sandbox.names)) {
			memcpy(vmm_sandbox.names + len, n, l);
			vmm_sandbox.name_at[nr] = (uint16_t)len;
			len += l;
		}
		free(n);
	}
}

static void vmm_sandbox_paths_copy(const struct vmm_sandbox_opts *p)
{
	if (!p || !p->exit_path)
		return;
	snprintf(vmm_sandbox.exit_path, sizeof(vmm_sandbox.exit_path), "%s", p->exit_path);
	snprintf(vmm_sandbox.exit_tmp, sizeof(vmm_sandbox.exit_tmp), "%s.tmp", p->exit_path);
	snprintf(vmm_sandbox.pid_path, sizeof(vmm_sandbox.pid_path), "%s", p->pid_path);
	snprintf(vmm_sandbox.sock_path, sizeof(vmm_sandbox.sock_path), "%s", p->sock_path);
}

/* Root needs no capability once everything is open: give them all up, for good. */
static void vmm_sandbox_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	int last = 0;

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0 || !(d[0].permitted | d[1].permitted))
		return;
	for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++, last = cap)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) < 0)
		vmm_warn("sandbox: cannot drop capabilities: %s", strerror(errno));
	else
		vmm_info("sandbox: dropped all %d capabilities", last);
}

int vmm_sandbox_enter(const struct vmm_sandbox_opts *opts, struct vmt_error *err)
{
	bool net = opts && opts->net_sockets;
	struct sigaction sa;
	scmp_filter_ctx ctx;
	int rc;

	vmm_sandbox_paths_copy(opts);
	vmm_sandbox_names_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = vmm_sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return vmt_error_set(err, -errno, "sandbox: SIGSYS handler: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return vmt_error_set(err, -errno, "sandbox: no_new_privs: %s", strerror(errno));
	vmm_sandbox_caps();
	/* Trap what is not listed (handler, then SIGSYS); a foreign ABI is killed outright. */
#ifdef VMM_SANDBOX_SANITIZER
	ctx = seccomp_init(SCMP_ACT_ALLOW);
#else
	ctx = seccomp_init(SCMP_ACT_TRAP);
#endif
	if (!ctx)
		return vmt_error_set(err, -ENOMEM, "sandbox: seccomp_init failed");
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (rc == 0)
		rc = vmm_sandbox_rules(ctx, net);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	/* Building the filter took heap that the rest of the run never needs. */
	malloc_trim(0);
	if (rc < 0)
		return vmt_error_set(err, rc, "sandbox: cannot load the seccomp filter: %s", strerror(-rc));
#ifdef VMM_SANDBOX_SANITIZER
	vmm_info("sandbox: seccomp filter on (sanitizer build: %zu system calls denied)",
		 sizeof(vmm_sandbox_denied) / sizeof(vmm_sandbox_denied[0]));
#else
	vmm_info("sandbox: seccomp filter on (%zu system calls, %zu ioctls allowed%s)",
		 sizeof(vmm_sandbox_plain) / sizeof(vmm_sandbox_plain[0]) + 5 +
		 (net ? sizeof(vmm_sandbox_net) / sizeof(vmm_sandbox_net[0]) + 1 : 0),
		 sizeof(vmm_sandbox_ioctls) / sizeof(vmm_sandbox_ioctls[0]) + 2 * net,
		 net ? ", and the user network's sockets" : "");
#endif
	return 0;
}

void vmm_sandbox_test_violation(void)
{
	/* uname: harmless if it ever got through, and nothing here calls it. */
	vmm_warn("test mode: making a system call the sandbox forbids");
	syscall(SYS_uname, NULL);
}
