// SPDX-License-Identifier: GPL-2.0-or-later
/* core-ssh.c: where vmtui ssh connects (a forward, the guest's address, through an SSH host), the wait for it, the ssh command. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "src/core/core-priv.h"
#include "src/core/core-ssh.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

#define CORE_SSH_PORT 22
#define CORE_SSH_NS 1000000000ull
/* A connect() that takes longer than this is tried again next round. */
#define CORE_SSH_CONNECT_MS 1000
/*
 * Through a forward the runner accepts at once and only then offers the
 * connection to the guest: a guest that is not up yet stays silent, and a
 * new connection after this long sends it a new SYN sooner than the old
 * one's retransmissions would.
 */
#define CORE_SSH_BANNER_MS 5000

void core_ssh_done(struct core_ssh *s)
{
	free(s->name);
	free(s->user);
	free(s->identity);
	free(s->known_hosts);
	free(s->jump);
	free(s->addr);
	free(s->skip_macs);
	free(s->tried);
	memset(s, 0, sizeof(*s));
}

/* Only a VM that runs has an SSH server to answer; waited: one that ran before. */
static int core_ssh_running(struct backend *be, const char *name, bool waited,
			    struct vmt_error *err)
{
	struct vm_info info;
	int r = backend_lookup(be, name, &info, err);

	if (r < 0)
		return r;
	if (info.state == VM_STATE_RUNNING || info.state == VM_STATE_BLOCKED)
		r = 0;
	else if (info.state == VM_STATE_PAUSED)
		r = vmt_error_set(err, -ESRCH, "VM %s is paused: vmtui resume %s first", name, name);
	else if (waited)
		r = vmt_error_set(err, -ESRCH, "VM %s stopped while vmtui waited for it (it is %s now)",
				  name, vm_state_name(info.state));
	else
		r = vmt_error_set(err, -ESRCH, "VM %s is %s: vmtui start %s first", name,
				  vm_state_name(info.state), name);
	vm_info_done(&info);
	return r;
}

/*
 * The image record is vmtui's own: a libvirt domain's XML does not carry
 * it, so a definition read from libvirt takes it from the store.
 */
static void core_ssh_stored_image(struct core *c, struct backend *be, struct vm_def *def)
{
	struct vm_def *stored;

	if (def->image.login || def->image.ssh_key || !def->uuid[0] ||
	    store_vm_get_uuid(c->store, be->host, def->uuid, &stored, NULL) < 0)
		return;
	vm_def_set_str(&def->image.login, stored->image.login);
	vm_def_set_str(&def->image.ssh_key, stored->image.ssh_key);
	vm_def_free(stored);
}

static int core_ssh_pick_user(struct core_ssh *s, const char *user, const struct vm_def *def,
			      struct vmt_error *err)
{
	struct passwd *pw;

	if (!str_empty(user))
		s->user = xstrdup(user);
	else if (!str_empty(def->image.login))
		s->user = xstrdup(def->image.login);
	else if ((pw = getpwuid(getuid())) && !str_empty(pw->pw_name))
		s->user = xstrdup(pw->pw_name);
	else if (!str_empty(getenv("USER")))
		s->user = xstrdup(getenv("USER"));
	else
		return vmt_error_set(err, -EINVAL, "cannot tell whom to log in as: give --user");
	/* It goes before "@ADDR" in one argument, which ssh would take for an option. */
	if (s->user[0] == '-')
		return vmt_error_set(err, -EINVAL, "user: '%s' is not a user name", s->user);
	return 0;
}

static int core_ssh_pick_key(struct core_ssh *s, const char *identity, const struct vm_def *def,
			     struct vmt_error *err)
{
	const char *pub = def->image.ssh_key;
	size_t len = pub ? strlen(pub) : 0;

	if (!str_empty(identity)) {
		if (access(identity, R_OK) < 0)
			return vmt_error_set(err, -EINVAL, "identity: cannot read %s: %s", identity,
					     strerror(errno));
		s->identity = xstrdup(identity);
		return 0;
	}
	if (len > 4 && strcmp(pub + len - 4, ".pub") == 0) {
		s->identity = xstrndup(pub, len - 4);
		if (access(s->identity, R_OK) < 0) {
			free(s->identity);
			s->identity = NULL;
		}
	}
	return 0;
}

/* vmtui's own known_hosts beside its database, as its images and logs are. */
static char *core_ssh_known_hosts(struct core *c)
{
	const char *db = store_path(c->store);
	char *dir, *path;

	if (!db || !strchr(db, '/'))
		return NULL;
	dir = path_dirname(db);
	path = xasprintf("%s/known_hosts", dir);
	free(dir);
	return path;
}

/* A user network's TCP forward to port 22; its wildcard is reached on the loopback. */
static bool core_ssh_take_forward(struct core_ssh *s, const struct vm_nic *nic)
{
	struct vm_fwd fwd[VM_FWD_MAX];
	int n = vm_nic_fwds(nic, fwd);

	for (int i = 0; i < n; i++) {
		if (fwd[i].udp || fwd[i].guest_port != CORE_SSH_PORT)
			continue;
		s->addr = xstrdup(str_eq(fwd[i].addr, "0.0.0.0") ? "127.0.0.1" : fwd[i].addr);
		s->port = fwd[i].host_port;
		s->forwarded = true;
		return true;
	}
	return false;
}

/* Through a forward if a user network has one, else the guest's own addresses. */
static int core_ssh_route(struct core_ssh *s, const struct vm_def *def, struct vmt_error *err)
{
	size_t users = 0;

	s->port = CORE_SSH_PORT;
	for (size_t i = 0; i < def->n_nics; i++)
		if (def->nics[i].kind == VM_NIC_USER && core_ssh_take_forward(s, &def->nics[i]))
			return 0;
	if (def->n_nics == 0)
		return vmt_error_set(err, -ENETUNREACH, "VM %s has no network card to reach it by",
				     def->name);
	s->skip_macs = xcalloc(def->n_nics, sizeof(*s->skip_macs));
	for (size_t i = 0; i < def->n_nics; i++) {
		if (def->nics[i].kind != VM_NIC_USER)
			continue;
		users++;
		if (def->nics[i].mac[0])
			memcpy(s->skip_macs[s->n_skip_macs++], def->nics[i].mac, 18);
	}
	if (users == def->n_nics)
		return vmt_error_set(err, -ENETUNREACH,
				     "VM %s is on a user network only, which forwards no host port to "
				     "its port 22 (give it one: --net user,fwd=2222:22)", def->name);
	return 0;
}

int core_ssh_prepare(struct core *c, struct backend *be, const char *name,
		     const char *user, const char *identity, struct core_ssh *out,
		     struct vmt_error *err)
{
	struct vm_def *def = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	out->be = be;
	out->name = xstrdup(name);
	r = core_get_def(c, be, name, &def, err);
	if (r == 0)
		r = core_handle_missing(c, be, false, name, err);
	if (r == 0)
		r = core_ssh_running(be, name, false, err);
	if (r < 0) {
		vm_def_free(def);
		return r;
	}
	core_ssh_stored_image(c, be, def);
	memcpy(out->uuid, def->uuid, sizeof(out->uuid));
	r = core_ssh_pick_user(out, user, def, err);
	if (r == 0)
		r = core_ssh_pick_key(out, identity, def, err);
	if (r == 0)
		r = core_ssh_jump(be->uri, &out->jump, err);
	if (r == 0)
		r = core_ssh_route(out, def, err);
	out->known_hosts = core_ssh_known_hosts(c);
	vm_def_free(def);
	return r;
}

/* ms until deadline, at most cap (deadline 0: none). */
static int core_ssh_ms(uint64_t deadline, int cap)
{
	uint64_t now = time_mono_ns();

	if (!deadline)
		return cap;
	if (now >= deadline)
		return 0;
	return (deadline - now) / 1000000 < (uint64_t)cap ? (int)((deadline - now) / 1000000) : cap;
}

/* poll one fd; 0 when it is ready, -ETIMEDOUT, or -errno. */
static int core_ssh_poll(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}

/* After connect(): the outcome of a non-blocking connect, then, if wanted, a first byte. */
static int core_ssh_answer(int fd, bool want_data, uint64_t deadline)
{
	int soerr = 0, r = core_ssh_poll(fd, POLLOUT, core_ssh_ms(deadline, CORE_SSH_CONNECT_MS));
	socklen_t len = sizeof(soerr);
	char byte;
	ssize_t n;

	if (r == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		r = -errno;
	if (r == 0 && soerr)
		r = -soerr;
	if (r < 0 || !want_data)
		return r;
	r = core_ssh_poll(fd, POLLIN, core_ssh_ms(deadline, CORE_SSH_BANNER_MS));
	if (r < 0)
		return r;
	n = recv(fd, &byte, 1, 0);
	/* The runner closes the host's side when the guest refuses the connection. */
	return n > 0 ? 0 : n == 0 ? -ECONNRESET : -errno;
}

/*
 * Whether addr:port accepts a TCP connection (with want_data: and sends
 * something, as an SSH server does first); 0 or a negative errno.
 */
static int core_ssh_knock(const char *addr, unsigned port, bool want_data, uint64_t deadline)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	char service[8];
	int fd, r;

	snprintf(service, sizeof(service), "%u", port);
	if (getaddrinfo(addr, service, &hints, &ai) != 0 || !ai)
		return -EINVAL;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	r = fd < 0 ? -errno : connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : -errno;
	if (r == 0 || r == -EINPROGRESS)
		r = core_ssh_answer(fd, want_data, deadline);
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return r;
}

/* Loopback and link-local addresses (fe80::, which needs its interface) lead nowhere. */
static bool core_ssh_usable(const struct core_ssh *s, const struct vm_address *a)
{
	for (size_t i = 0; i < s->n_skip_macs; i++)
		if (a->mac[0] && strcasecmp(a->mac, s->skip_macs[i]) == 0)
			return false;
	if (!a->addr || (a->family != 4 && a->family != 6))
		return false;
	if (a->family == 4)
		return !str_starts_with(a->addr, "127.");
	return strcmp(a->addr, "::1") != 0 && strncasecmp(a->addr, "fe8", 3) != 0 &&
	       strncasecmp(a->addr, "fe9", 3) != 0 && strncasecmp(a->addr, "fea", 3) != 0 &&
	       strncasecmp(a->addr, "feb", 3) != 0;
}

/* The guest's addresses to try, IPv4 first, each once, into *out (*n of them, the caller's). */
static int core_ssh_candidates(const struct core_ssh *s, char ***out, size_t *n,
			       struct vmt_error *err)
{
	struct vm_address *a = NULL;
	size_t na = 0;
	int r = backend_addresses(s->be, s->name, &a, &na, err);

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	*out = xcalloc(na + 1, sizeof(**out));
	for (int family = 4; family <= 6; family += 2)
		for (size_t i = 0; i < na; i++) {
			bool seen = false;

			if (a[i].family != family || !core_ssh_usable(s, &a[i]))
				continue;
			for (size_t k = 0; k < *n; k++)
				seen = seen || strcmp((*out)[k], a[i].addr) == 0;
			if (!seen)
				(*out)[(*n)++] = xstrdup(a[i].addr);
		}
	vm_address_list_free(a, na);
	return 0;
}

static void core_ssh_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* What did not answer this round, for the message when time runs out. */
static void core_ssh_note_tried(struct core_ssh *s, char **addrs, size_t n)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s%s%s:%u", i ? ", " : "", strchr(addrs[i], ':') ? "[" : "",
			    addrs[i], strchr(addrs[i], ':') ? "]" : "", s->port);
	free(s->tried);
	s->tried = strbuf_detach(&sb);
}

/*
 * One look: 0 when s->addr is the address to use, -EAGAIN when nothing
 * answered yet (s->tried says what was tried, NULL when no address was
 * known), else an error.
 */
static int core_ssh_round(struct core_ssh *s, bool probe, uint64_t deadline, struct vmt_error *err)
{
	char **addrs = NULL;
	size_t n = 0;
	int r = -EAGAIN;

	if (s->forwarded) {
		addrs = xcalloc(1, sizeof(*addrs));
		addrs[n++] = xstrdup(s->addr);
	} else if ((r = core_ssh_candidates(s, &addrs, &n, err)) < 0) {
		return r;
	}
	r = -EAGAIN;
	for (size_t i = 0; i < n && r == -EAGAIN; i++) {
		int k = probe ? core_ssh_knock(addrs[i], s->port, s->forwarded, deadline) : 0;

		LOG_DEBUG("ssh %s: %s port %u: %s", s->name, addrs[i], s->port,
			  k ? strerror(-k) : "answers");
		if (k == 0) {
			free(s->addr);
			s->addr = xstrdup(addrs[i]);
			r = 0;
		}
	}
	free(s->tried);
	s->tried = NULL;
	if (r == -EAGAIN && n)
		core_ssh_note_tried(s, addrs, n);
	core_ssh_strv_free(addrs, n);
	return r;
}

static void core_ssh_sleep_until(uint64_t when)
{
	uint64_t now = time_mono_ns();
	struct timespec ts;

	if (now >= when)
		return;
	ts.tv_sec = (time_t)((when - now) / CORE_SSH_NS);
	ts.tv_nsec = (long)((when - now) % CORE_SSH_NS);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The sentence for what never came. */
static int core_ssh_gave_up(const struct core_ssh *s, unsigned timeout_s, struct vmt_error *err)
{
	char after[32] = "yet";

	if (timeout_s)
		snprintf(after, sizeof(after), "after %u s", timeout_s);
	if (!s->tried)
		return vmt_error_set(err, -ETIMEDOUT, "VM %s has no IP address %s (vmtui ip %s shows "
				     "what is known)", s->name, after, s->name);
	return vmt_error_set(err, -ETIMEDOUT, "VM %s: port 22 not answering at %s%s %s", s->name,
			     s->tried, s->forwarded ? " (its forward to port 22)" : "", after);
}

static void core_ssh_tell_waiting(const struct core_ssh *s, core_ssh_wait_fn waiting, void *ctx)
{
	char *what;

	if (!waiting)
		return;
	if (s->tried)
		what = xasprintf("waiting for %s's SSH server at %s...", s->name, s->tried);
	else
		what = xasprintf("waiting for %s's address...", s->name);
	waiting(ctx, what);
	free(what);
}

int core_ssh_wait(struct core_ssh *s, unsigned timeout_s, unsigned flags,
		  core_ssh_wait_fn waiting, void *ctx, struct vmt_error *err)
{
	uint64_t deadline = timeout_s ? time_mono_ns() + timeout_s * CORE_SSH_NS : 0;
	/* A connection through SSH: the address is on that host's network, not ours. */
	bool probe = !s->jump && !(flags & CORE_SSH_NO_WAIT);
	bool told = false;

	for (;;) {
		uint64_t next = time_mono_ns() + CORE_SSH_NS;
		int r = core_ssh_round(s, probe, deadline, err);

		if (r != -EAGAIN)
			return r;
		if ((flags & CORE_SSH_NO_WAIT) || (deadline && time_mono_ns() >= deadline))
			return core_ssh_gave_up(s, flags & CORE_SSH_NO_WAIT ? 0 : timeout_s, err);
		if (!told)
			core_ssh_tell_waiting(s, waiting, ctx);
		told = true;
		core_ssh_sleep_until(deadline && deadline < next ? deadline : next);
		/* A VM that stopped meanwhile will never answer. */
		r = core_ssh_running(s->be, s->name, true, err);
		if (r < 0)
			return r;
	}
}

/*
 * ssh expands %-tokens (and, in -o values, splits at blanks) in the files
 * it is given: a path is passed as the file it names.
 */
static char *core_ssh_file_arg(const char *path, bool quote)
{
	bool blank = quote && strpbrk(path, " \t\"\\") != NULL;
	struct strbuf sb;

	strbuf_init(&sb);
	if (blank)
		strbuf_adds(&sb, "\"");
	for (const char *p = path; *p; p++) {
		if (*p == '%')
			strbuf_adds(&sb, "%");
		else if (blank && (*p == '"' || *p == '\\'))
			strbuf_adds(&sb, "\\");
		strbuf_add(&sb, p, 1);
	}
	if (blank)
		strbuf_adds(&sb, "\"");
	return strbuf_detach(&sb);
}

static void core_ssh_push(char ***v, size_t *n, size_t *cap, char *arg)
{
	*v = xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = arg;
	(*v)[*n] = NULL;
}

char **core_ssh_argv(const struct core_ssh *s, const char *program,
		     char *const *command, size_t n_command)
{
	char **v = NULL, *file;
	size_t n = 0, cap = 0;

	core_ssh_push(&v, &n, &cap, xstrdup(program));
	if (s->jump) {
		core_ssh_push(&v, &n, &cap, xstrdup("-J"));
		core_ssh_push(&v, &n, &cap, xstrdup(s->jump));
	}
	core_ssh_push(&v, &n, &cap, xstrdup("-p"));
	core_ssh_push(&v, &n, &cap, xasprintf("%u", s->port));
	if (s->identity) {
		core_ssh_push(&v, &n, &cap, xstrdup("-i"));
		core_ssh_push(&v, &n, &cap, core_ssh_file_arg(s->identity, false));
		core_ssh_push(&v, &n, &cap, xstrdup("-o"));
		core_ssh_push(&v, &n, &cap, xstrdup("IdentitiesOnly=yes"));
	}
	core_ssh_push(&v, &n, &cap, xstrdup("-o"));
	core_ssh_push(&v, &n, &cap, xstrdup("StrictHostKeyChecking=accept-new"));
	if (s->known_hosts) {
		file = core_ssh_file_arg(s->known_hosts, true);
		core_ssh_push(&v, &n, &cap, xstrdup("-o"));
		core_ssh_push(&v, &n, &cap, xasprintf("UserKnownHostsFile=%s", file));
		free(file);
	}
	/* 127.0.0.1:2222 is every forwarded VM's: their keys are told apart by UUID. */
	core_ssh_push(&v, &n, &cap, xstrdup("-o"));
	core_ssh_push(&v, &n, &cap, xasprintf("HostKeyAlias=vmtui-%s", s->uuid));
	core_ssh_push(&v, &n, &cap, xasprintf("%s@%s", s->user, s->addr ? s->addr : ""));
	if (n_command)
		core_ssh_push(&v, &n, &cap, xstrdup("--"));
	for (size_t i = 0; i < n_command; i++)
		core_ssh_push(&v, &n, &cap, xstrdup(command[i]));
	return v;
}

void core_ssh_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char *core_ssh_summary(const struct core_ssh *s)
{
	return xasprintf("%s@%s port %u%s%s", s->user, s->addr ? s->addr : "?", s->port,
			 s->jump ? ", through " : "", s->jump ? s->jump : "");
}

static int core_ssh_hex(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ?
	       tolower((unsigned char)c) - 'a' + 10 : -1;
}

/* s[0..len) with its %XX escapes decoded; NULL for a bad escape or a blank or control byte. */
static char *core_ssh_unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int hi = i + 2 < len ? core_ssh_hex(s[i + 1]) : -1;
			int lo = hi >= 0 ? core_ssh_hex(s[i + 2]) : -1;

			c = lo >= 0 ? hi << 4 | lo : -1;
			i += 2;
		}
		if (c <= ' ' || c == 0x7f) {
			free(out);
			return NULL;
		}
		*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

/* Whether a URI's scheme ("qemu+ssh") says libvirt reaches its host over SSH. */
static bool core_ssh_transport(const char *uri, const char *sep)
{
	const char *plus = memchr(uri, '+', (size_t)(sep - uri));
	size_t len = plus ? (size_t)(sep - plus - 1) : 0;

	return plus && ((len == 3 && strncmp(plus + 1, "ssh", 3) == 0) ||
			(len == 6 && strncmp(plus + 1, "libssh", 6) == 0) ||
			(len == 7 && strncmp(plus + 1, "libssh2", 7) == 0));
}

/* Split "host", "host:port", "[v6]" or "[v6]:port"; host keeps its brackets. */
static int core_ssh_split_host(const char *hp, size_t len, size_t *host_len, unsigned *port)
{
	const char *end = hp + len, *colon;
	char digits[8];

	if (len && hp[0] == '[') {
		const char *close = memchr(hp, ']', len);

		if (!close)
			return -EINVAL;
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon && *colon != ':')
			return -EINVAL;
	} else {
		colon = memchr(hp, ':', len);
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			return -EINVAL;
	}
	*host_len = colon ? (size_t)(colon - hp) : len;
	*port = 0;
	if (!colon)
		return 0;
	if ((size_t)(end - colon - 1) >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, colon + 1, (size_t)(end - colon - 1));
	digits[end - colon - 1] = '\0';
	return parse_uint(digits, port) < 0 || *port == 0 || *port > 65535 ? -EINVAL : 0;
}

/* The user of a URI's authority, before its '@' (a password after ':' is not ssh's). */
static char *core_ssh_uri_user(const char *auth, const char *at, bool *bad)
{
	const char *colon = memchr(auth, ':', (size_t)(at - auth));
	char *user = core_ssh_unescape(auth, (size_t)((colon ? colon : at) - auth));

	*bad = !user || !*user || user[0] == '-';
	if (*bad) {
		free(user);
		user = NULL;
	}
	return user;
}

/* "[user@]host[:port]" from a URI's authority (user@host:port) of len bytes; NULL when bad. */
static char *core_ssh_authority(const char *auth, size_t len)
{
	const char *at = NULL, *hp = auth;
	char *user = NULL, *host = NULL, *out = NULL;
	size_t host_len = 0;
	unsigned port = 0;
	bool bad = false;

	for (size_t i = 0; i < len; i++)
		if (auth[i] == '@')
			at = auth + i;
	if (at) {
		user = core_ssh_uri_user(auth, at, &bad);
		hp = at + 1;
	}
	if (!bad && core_ssh_split_host(hp, len - (size_t)(hp - auth), &host_len, &port) == 0)
		host = core_ssh_unescape(hp, host_len);
	if (host && *host && host[0] != '-')
		out = xasprintf("%s%s%s", user ? user : "", user ? "@" : "", host);
	if (out && port) {
		char *with_port = xasprintf("%s:%u", out, port);

		free(out);
		out = with_port;
	}
	free(user);
	free(host);
	return out;
}

int core_ssh_jump(const char *uri, char **out, struct vmt_error *err)
{
	const char *sep = uri ? strstr(uri, "://") : NULL;
	const char *auth;
	size_t len;

	*out = NULL;
	if (!sep || !core_ssh_transport(uri, sep))
		return 0;
	auth = sep + 3;
	len = strcspn(auth, "/?#");
	if (len == 0)
		return 0;
	*out = core_ssh_authority(auth, len);
	if (!*out)
		return vmt_error_set(err, -EINVAL, "cannot read the SSH host in the URI %s", uri);
	return 0;
}
