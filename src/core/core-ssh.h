/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core-ssh.h: where and as whom vmtui ssh reaches a VM, and the ssh command line that does. */
#ifndef VMTUI_CORE_SSH_H
#define VMTUI_CORE_SSH_H

#include <stdbool.h>
#include <stddef.h>

#include "src/core/core.h"

/* How long vmtui ssh waits for a VM's address and SSH server when not told. */
#define CORE_SSH_TIMEOUT_DEFAULT 300

/* How vmtui ssh reaches one running VM. Owns its strings. */
struct core_ssh {
	char *name;		/* the VM's */
	char uuid[37];
	char *user;		/* whom to log in as */
	char *identity;		/* the private key to offer; NULL: ssh's own choice */
	char *known_hosts;	/* vmtui's own known_hosts file; NULL without one */
	char *jump;		/* "[user@]host[:port]" of a connection over SSH (ssh -J), else NULL */
	char *addr;		/* where ssh connects; NULL until core_ssh_wait finds it */
	unsigned port;
	bool forwarded;		/* addr:port is a user network's host port forwarded to port 22 */
	char (*skip_macs)[18];	/* cards of user networks: the host cannot reach their addresses */
	size_t n_skip_macs;
	char *tried;		/* "ADDR:PORT, ..." that did not answer in the last round */
	struct backend *be;	/* not owned */
};

/*
 * Work out how to reach the VM name of be: refuses one that is not running
 * (-ESRCH), or that has no network the host can reach. user and identity
 * are --user and -i (NULL: the image's login, else the local user; the
 * private key beside the public key given to cloud-init, if it exists).
 * Waits for nothing; *out is core_ssh_done's either way.
 */
int core_ssh_prepare(struct core *c, struct backend *be, const char *name,
		     const char *user, const char *identity, struct core_ssh *out,
		     struct vmt_error *err);

enum {
	/* Take the address known now and do not check that it answers. */
	CORE_SSH_NO_WAIT = 1 << 0,
};
/* Called once, when the first look found the VM not ready: what it waits for. */
typedef void (*core_ssh_wait_fn)(void *ctx, const char *what);
/*
 * Wait, up to timeout_s seconds (0: no limit), for the VM's address and,
 * on this machine, for its port 22 to answer (through a user network's
 * forward: for the guest's first bytes, as the runner accepts on the
 * guest's behalf). Over a connection through SSH the host's network holds
 * the address, so only the address is waited for. -ETIMEDOUT names what
 * never came.
 */
int core_ssh_wait(struct core_ssh *s, unsigned timeout_s, unsigned flags,
		  core_ssh_wait_fn waiting, void *ctx, struct vmt_error *err);

/*
 * The ssh command line for s, program first, then command[0..n_command)
 * as the remote command after "--"; NULL-terminated, core_ssh_argv_free's.
 */
char **core_ssh_argv(const struct core_ssh *s, const char *program,
		     char *const *command, size_t n_command);
void core_ssh_argv_free(char **argv);
/* "debian@127.0.0.1 port 2222" (", through root@hv1"): newly allocated. */
char *core_ssh_summary(const struct core_ssh *s);
void core_ssh_done(struct core_ssh *s);

/*
 * The "[user@]host[:port]" ssh -J takes for a libvirt URI whose transport
 * is SSH (qemu+ssh://, +libssh, +libssh2), in *out; NULL for any other
 * URI or one without a host; -EINVAL for an SSH URI whose host cannot be
 * read.
 */
int core_ssh_jump(const char *uri, char **out, struct vmt_error *err);

#endif
