/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend.h: the one interface through which vmtui drives any hypervisor. */
#ifndef VMTUI_BACKEND_H
#define VMTUI_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "src/lib/error.h"
#include "src/lib/util.h"
#include "src/store/store.h"
#include "src/model/stats.h"
#include "src/model/vmdef.h"

/* The URI of the built-in runner, vmtui's embedded default. */
#define BACKEND_KVM_URI "kvm:///"

enum vm_state {
	VM_STATE_UNKNOWN,
	VM_STATE_RUNNING,
	VM_STATE_BLOCKED,
	VM_STATE_PAUSED,
	VM_STATE_SHUTTING_DOWN,
	VM_STATE_SHUTOFF,
	VM_STATE_CRASHED,
	VM_STATE_SUSPENDED,
	VM_STATE_MISSING,	/* vmtui has its definition, the hypervisor does not */
};

const char *vm_state_name(enum vm_state s);
/* Running, blocked, paused, shutting down or suspended: it exists as a process. */
bool vm_state_is_active(enum vm_state s);

/* One VM as a backend sees it now. Owns its strings. */
struct vm_info {
	char uuid[37];
	char *name;
	enum vm_state state;
	char *reason;		/* why it is in this state, when known */
	int id;			/* domain id or runner pid; -1 when not running */
	unsigned vcpus;
	uint64_t memory_kib;
	uint64_t max_memory_kib;
	bool persistent;
	bool autostart;
	bool managed;		/* vmtui's store has its definition */
	/* It runs another definition than the one it starts with next (vcpus and memory are what runs). */
	bool pending;
	/* Its group in vmtui's store, from a backend whose definitions live there (defs_in_store); else NULL. */
	char *group;
};

void vm_info_done(struct vm_info *info);
void vm_info_list_free(struct vm_info *infos, size_t n);

struct vm_snapshot {
	char *name;
	char *description;
	int64_t created;	/* unix seconds */
	enum vm_state state;	/* the VM's state when it was taken */
	char *parent;
	bool current;
};

void vm_snapshot_list_free(struct vm_snapshot *snaps, size_t n);

/* One address of a guest's network interface. Owns its strings. */
struct vm_address {
	char *ifname;		/* the guest's name for the interface, if known */
	char mac[18];		/* empty when unknown */
	char *addr;		/* "192.0.2.7", "2001:db8::7" */
	unsigned prefix;
	int family;		/* 4 or 6 */
	const char *source;	/* "lease", "agent" or "arp"; static */
};

void vm_address_list_free(struct vm_address *addrs, size_t n);

/*
 * A graphical console of a VM (VNC or SPICE), and how a viewer reaches
 * it. Owns its strings.
 */
struct vm_display {
	const char *type;	/* "vnc" or "spice"; static */
	char *listen;		/* the address it listens on; NULL for a socket or none */
	char *socket;		/* the Unix socket it listens on instead, if so */
	int port;		/* its TCP port; -1 until chosen (autoport, not running) */
	int tls_port;		/* SPICE over TLS; -1 when none */
	int websocket;		/* VNC over WebSocket; -1 when none */
	bool autoport;		/* the hypervisor chooses the port when the VM starts */
	/* Where a viewer reaches it directly: listen, or for a wildcard the connection's host. */
	char *host;
	char *ssh;		/* "[user@]host" of a connection over SSH, else NULL */
	unsigned ssh_port;	/* that connection's SSH port; 0: ssh's default */
};

void vm_display_list_free(struct vm_display *displays, size_t n);

/* A virtual network of a connection (libvirt). Owns its strings. */
struct backend_net {
	char *name;
	bool active;
	bool persistent;
	bool autostart;
};

void backend_net_list_free(struct backend_net *nets, size_t n);

/* A storage pool of a connection (libvirt). Owns its strings. */
struct backend_pool {
	char *name;
	char *path;		/* its target directory or device, if it has one */
	const char *state;	/* "running", "inactive", ...; static */
	bool active;
	bool persistent;
	bool autostart;
	uint64_t capacity, allocation, available;	/* bytes */
};

void backend_pool_list_free(struct backend_pool *pools, size_t n);

/* A storage volume of a pool (libvirt). Owns its strings. */
struct backend_vol {
	char *name;
	char *pool;
	char *path;
	char *format;		/* "raw", "qcow2", ...; NULL when the pool does not say */
	char *backing;		/* the file it reads through (a qcow2 overlay's), or NULL */
	/* The VMs whose definitions have it as a disk, ", "-separated; NULL if none. */
	char *used_by;
	bool used_running;	/* one of them runs */
	uint64_t capacity, allocation;	/* bytes */
};

void backend_vol_list_free(struct backend_vol *vols, size_t n);

/*
 * Asks the user for one credential a connection needs. prompt is a whole
 * question ("Password for root@host: "); echo is false for secrets. Fills
 * answer with a NUL-terminated string of at most len - 1 bytes. Returns 0,
 * or a negative errno with nothing filled (-ENOTTY: nobody to ask,
 * -ECANCELED: the user declined). It is called on the thread that opens
 * the connection, and on a background thread when a lost connection is
 * opened again; backend_close() waits for such a call to return.
 */
typedef int (*backend_auth_fn)(void *opaque, const char *prompt, bool echo,
			       char *answer, size_t len);

enum backend_event_type {
	BACKEND_EVENT_STATE,		/* a VM changed state */
	BACKEND_EVENT_DEFINED,		/* a VM appeared or its definition changed */
	BACKEND_EVENT_UNDEFINED,	/* a VM is gone */
	BACKEND_EVENT_DISCONNECTED,	/* the connection dropped; reason says why */
	BACKEND_EVENT_RECONNECTED,
};

struct backend_event {
	enum backend_event_type type;
	char uuid[37];
	char *name;
	enum vm_state state;
	char *reason;
};

struct backend;
struct backend_console;

/* A serial console stream, usable from a poll loop. */
struct backend_console_ops {
	/* > 0 bytes, 0 at end of stream, -EAGAIN when nothing is ready. */
	ssize_t (*read)(struct backend_console *con, void *buf, size_t len);
	/* Bytes taken (maybe fewer than len), or -EAGAIN, or another error. */
	ssize_t (*write)(struct backend_console *con, const void *buf, size_t len);
	/*
	 * Whether every byte written has reached the hypervisor (a console
	 * that queues input sends it later); NULL: write hands it over at once.
	 */
	bool (*sent)(struct backend_console *con);
	void (*close)(struct backend_console *con);
};

struct backend_console {
	const struct backend_console_ops *ops;
	int fd;			/* readable when read() has something to say */
	void *priv;
};

enum {
	BACKEND_CONSOLE_FORCE = 1 << 0,	/* take the console from another client */
};

/* How a backend made one disk of a clone from the original's. */
enum backend_clone_disk {
	BACKEND_CLONE_SHARED,	/* the same image: read-only disks, CD-ROMs */
	BACKEND_CLONE_COPIED,	/* a copy of its own */
	/* A copy that, as the original's image did, reads through a backing file. */
	BACKEND_CLONE_CHAINED,
	BACKEND_CLONE_LINKED,	/* a qcow2 overlay reading through the original's image */
	/* A qcow2 overlay reading through the snapshot's copy of the original's disk. */
	BACKEND_CLONE_SNAPSHOT,
};

/* What a backend's clone is asked to make, and what it says it made. */
struct backend_clone {
	const char *name;		/* the VM to copy; shut off unless snapshot is set */
	const struct vm_def *orig;	/* its definition */
	/*
	 * The new VM: orig with its new name, UUID and MACs. The backend
	 * sets path, format, pool and created of each disk it makes.
	 */
	struct vm_def *def;
	bool linked;			/* overlays on the original's disks, not copies */
	/*
	 * Not NULL: clone from this snapshot of the VM instead (which may
	 * run meanwhile): each writable disk an overlay on the snapshot's
	 * copy, which the snapshot keeps unchanged. Backends with
	 * clone_snapshots only.
	 */
	const char *snapshot;
	/* Filled in: the snapshot holds a running machine, for the clone's first start. */
	bool warm;
	enum backend_clone_disk *how;	/* def->n_disks entries, filled in */
};

/* A connection's host as it tells of itself (a remote one's own, over qemu+ssh://). */
struct backend_host {
	char name[256];			/* its host name */
	char hypervisor[64];		/* "QEMU 7.2.0", "vmtui-vmm 0.1" */
	unsigned cpus;
	uint64_t mem_total, mem_used;	/* bytes; 0 when it does not say */
	/* CPU time since its boot, busy and in all (ns; 0: unknown): two samples give the load. */
	uint64_t cpu_busy_ns, cpu_total_ns;
};

/* What a running VM's hot-plug did with an edit. */
struct backend_hotplug {
	struct strbuf done;	/* one clause per device handled, "; "-separated */
	unsigned pending;	/* VM_CHANGE_DISKS, VM_CHANGE_NICS: left for the next boot */
};

/*
 * The operations of one backend. Any may be NULL: the wrappers below then
 * report "not supported by this backend". VMs are named by name within
 * the connection. Every call is synchronous and may block for as long as
 * the hypervisor takes: the UI calls them off its own thread.
 */
struct backend_ops {
	const char *name;		/* "kvm", "libvirt" */
	/* What the backend is built on, for vmtui --version ("libvirt 9.0.0"). */
	const char *(*version)(void);
	enum vm_disk_format default_disk_format;
	/*
	 * Its definitions live in vmtui's store alone (kvm:///): nothing to
	 * undefine on the hypervisor's side, and a VM cannot go missing there.
	 */
	bool defs_in_store;
	/*
	 * Its clone takes a snapshot (struct backend_clone's), and the
	 * first start of a clone made from a running machine's snapshot
	 * continues that machine (kvm:///).
	 */
	bool clone_snapshots;

	int (*open)(struct backend *be, struct vmt_error *err);
	void (*close)(struct backend *be);
	int (*limits)(struct backend *be, struct vm_limits *lim,
		      struct vmt_error *err);
	/* The host's name, hypervisor, size and load now. */
	int (*host_info)(struct backend *be, struct backend_host *out, struct vmt_error *err);

	int (*list)(struct backend *be, struct vm_info **out, size_t *n,
		    struct vmt_error *err);
	int (*lookup)(struct backend *be, const char *name, struct vm_info *out,
		      struct vmt_error *err);
	/* The same, by UUID: -ENOENT when the connection has no such VM. */
	int (*lookup_uuid)(struct backend *be, const char *uuid, struct vm_info *out,
			   struct vmt_error *err);
	/* The definition as the hypervisor has it (for libvirt: parsed XML). */
	int (*get_def)(struct backend *be, const char *name, struct vm_def **out,
		       struct vmt_error *err);

	/*
	 * Checks of a definition beyond the model's own, before anything is
	 * done; old is the VM's definition before an edit (NULL for a new VM),
	 * so that what it already had is not refused again.
	 */
	int (*validate)(struct backend *be, const struct vm_def *def,
			const struct vm_def *old, struct vmt_error *err);
	/* Create missing images, then define. Fills what it chose (disk paths). */
	int (*define)(struct backend *be, struct vm_def *def,
		      struct vmt_error *err);
	/* Replace the persistent definition of a defined VM (creating new images). */
	int (*redefine)(struct backend *be, struct vm_def *def,
			struct vmt_error *err);
	int (*undefine)(struct backend *be, const char *name,
			struct vmt_error *err);
	/* Give a VM that is shut off another name (refused while it runs, as libvirt does). */
	int (*rename)(struct backend *be, const char *name, const char *new_name,
		      struct vmt_error *err);
	/*
	 * Grow disk index (0-based, in the definition's order) of a VM to
	 * bytes: never smaller than it is. Offline or live as the backend
	 * can; what it cannot do is refused with the reason.
	 */
	int (*disk_resize)(struct backend *be, const char *name, size_t index,
			   uint64_t bytes, struct vmt_error *err);
	/*
	 * Bring a running VM in step with an edit already defined (old is
	 * the definition before it): attach at once the disks and cards def
	 * has and old had not, detach those old had and def has not. What it
	 * cannot do now is said in out->done and marked pending; it fails only
	 * when it cannot reach the VM at all.
	 */
	int (*hotplug)(struct backend *be, const char *name, const struct vm_def *old,
		       const struct vm_def *def, struct backend_hotplug *out,
		       struct vmt_error *err);
	/* Delete the images vmtui or the pool holds for these disks. */
	int (*remove_storage)(struct backend *be, const struct vm_def *def,
			      struct vmt_error *err);
	/*
	 * Make the disks of a clone (copies, or overlays when linked; the
	 * read-only ones shared) and define it where the hypervisor keeps
	 * definitions (kvm:/// keeps them in the store, which is the core's
	 * to write). All or nothing: on failure nothing it made is left.
	 */
	int (*clone)(struct backend *be, struct backend_clone *req,
		     struct vmt_error *err);

	int (*start)(struct backend *be, const char *name, struct vmt_error *err);
	int (*shutdown)(struct backend *be, const char *name, struct vmt_error *err);
	int (*destroy)(struct backend *be, const char *name, struct vmt_error *err);
	int (*reboot)(struct backend *be, const char *name, struct vmt_error *err);
	int (*pause)(struct backend *be, const char *name, struct vmt_error *err);
	int (*resume)(struct backend *be, const char *name, struct vmt_error *err);

	/* One sample for every running VM of the connection, in one sweep. */
	int (*stats)(struct backend *be, struct vm_stats **out, size_t *n,
		     struct vmt_error *err);
	int (*console_open)(struct backend *be, const char *name, unsigned flags,
			    struct backend_console **out, struct vmt_error *err);

	int (*snapshot_list)(struct backend *be, const char *name,
			     struct vm_snapshot **out, size_t *n,
			     struct vmt_error *err);
	int (*snapshot_create)(struct backend *be, const char *name,
			       const char *snap, const char *description,
			       struct vmt_error *err);
	int (*snapshot_revert)(struct backend *be, const char *name,
			       const char *snap, struct vmt_error *err);
	int (*snapshot_delete)(struct backend *be, const char *name,
			       const char *snap, struct vmt_error *err);

	/* The hypervisor's own description (libvirt domain XML). */
	int (*export_def)(struct backend *be, const char *name, char **out,
			  struct vmt_error *err);
	/* Define from such a description; *out is what vmtui stores. */
	int (*import_def)(struct backend *be, const char *text,
			  struct vm_def **out, struct vmt_error *err);

	/* The log file vmtui keeps for this VM, if any (newly allocated). */
	char *(*log_path)(struct backend *be, const char *uuid);

	/* Begin posting struct backend_event through backend_event_post(). */
	int (*events_start)(struct backend *be, struct vmt_error *err);

	/* Start the VM when the host (or the hypervisor) starts. */
	int (*autostart)(struct backend *be, const char *name, bool on,
			 struct vmt_error *err);
	/* The VM's graphical consoles, as the running VM has them. */
	int (*displays)(struct backend *be, const char *name,
			struct vm_display **out, size_t *n,
			struct vmt_error *err);
	/* The guest's addresses; answers within a few seconds at most. */
	int (*addresses)(struct backend *be, const char *name,
			 struct vm_address **out, size_t *n,
			 struct vmt_error *err);
	int (*net_list)(struct backend *be, struct backend_net **out, size_t *n,
			struct vmt_error *err);
	int (*net_start)(struct backend *be, const char *net,
			 struct vmt_error *err);
	int (*net_stop)(struct backend *be, const char *net,
			struct vmt_error *err);
	int (*pool_list)(struct backend *be, struct backend_pool **out,
			 size_t *n, struct vmt_error *err);
	/* Create the pool "default" where new images go (a directory pool). */
	int (*pool_create_default)(struct backend *be, struct vmt_error *err);
	/* The volumes of one pool, or of every active pool when pool is NULL. */
	int (*vol_list)(struct backend *be, const char *pool, struct backend_vol **out,
			size_t *n, struct vmt_error *err);
	/* A new empty (sparse) volume of bytes; format AUTO: qcow2 if the name says so, else raw. */
	int (*vol_create)(struct backend *be, const char *pool, const char *name,
			  uint64_t bytes, enum vm_disk_format format,
			  struct vmt_error *err);
	/* Refused while a VM's definition or another volume uses it. */
	int (*vol_delete)(struct backend *be, const char *pool, const char *name,
			  struct vmt_error *err);
	/* Grow, never shrink; refused while a running VM uses it. */
	int (*vol_resize)(struct backend *be, const char *pool, const char *name,
			  uint64_t bytes, struct vmt_error *err);
};

/* An open connection. */
struct backend {
	const struct backend_ops *ops;
	char *uri;
	/*
	 * The identity of the host (and daemon) behind the connection, set by
	 * open: the store keys VMs by it, so that two URIs of one libvirtd
	 * (qemu:///system, qemu+ssh://root@thishost/system) share them.
	 */
	char *host;
	struct store *store;	/* not owned; the kvm backend keeps its VMs there */
	void *priv;		/* the backend's own state */
	struct backend_event_queue *events;
	backend_auth_fn auth;	/* how to ask for credentials; may be NULL */
	void *auth_opaque;
};

/*
 * Open the connection named by uri: kvm:/// is the built-in runner,
 * anything else goes to libvirt. auth (may be NULL: then a connection
 * that needs credentials fails at once) asks the user for them.
 */
int backend_open(const char *uri, struct store *store, backend_auth_fn auth,
		 void *auth_opaque, struct backend **out,
		 struct vmt_error *err);
void backend_close(struct backend *be);
/* Whether uri names the built-in runner. */
bool backend_uri_is_kvm(const char *uri);

/* How long opening a connection may wait for its host, in seconds (0: for ever). */
#define BACKEND_CONNECT_TIMEOUT_DEFAULT 15
/* For every connection this process opens from now on (--connect-timeout, connect_timeout). */
void backend_set_connect_timeout(unsigned seconds);
unsigned backend_connect_timeout(void);
/* The libvirt backend's operations, loading its module on first use. */
const struct backend_ops *backend_libvirt_ops(struct vmt_error *err);

int backend_limits(struct backend *be, struct vm_limits *lim,
		   struct vmt_error *err);
int backend_list(struct backend *be, struct vm_info **out, size_t *n,
		 struct vmt_error *err);
int backend_lookup(struct backend *be, const char *name, struct vm_info *out,
		   struct vmt_error *err);
int backend_lookup_uuid(struct backend *be, const char *uuid, struct vm_info *out,
			struct vmt_error *err);
int backend_get_def(struct backend *be, const char *name, struct vm_def **out,
		    struct vmt_error *err);
/* The backend's own checks of def, old as before an edit or NULL (0 when it has none). */
int backend_validate(struct backend *be, const struct vm_def *def,
		     const struct vm_def *old, struct vmt_error *err);
int backend_define(struct backend *be, struct vm_def *def,
		   struct vmt_error *err);
int backend_redefine(struct backend *be, struct vm_def *def,
		     struct vmt_error *err);
int backend_undefine(struct backend *be, const char *name,
		     struct vmt_error *err);
int backend_rename(struct backend *be, const char *name, const char *new_name,
		   struct vmt_error *err);
int backend_disk_resize(struct backend *be, const char *name, size_t index,
			uint64_t bytes, struct vmt_error *err);
/* A backend without hot-plug leaves every device change for the next boot. */
int backend_hotplug(struct backend *be, const char *name, const struct vm_def *old,
		    const struct vm_def *def, struct backend_hotplug *out,
		    struct vmt_error *err);
int backend_remove_storage(struct backend *be, const struct vm_def *def,
			   struct vmt_error *err);
int backend_clone(struct backend *be, struct backend_clone *req,
		  struct vmt_error *err);

/*
 * The power verbs: the one table the CLI's commands, the UI's keys, both
 * of its views and both helps read.  X(ACTION, name (the CLI command and
 * the config's key action), what a finished one says, the CLI's summary,
 * the UI's help and footer word, its default key (0: none, key.NAME in
 * the config file may bind one), the function key beside it (0: none),
 * the struct backend_ops member it calls).
 * A new power verb is one line here and that member in each backend.
 */
#define BACKEND_VERBS(X)                                                                   \
	X(START, "start", "started", "start a VM", "start", "start", 's', 0, start)          \
	X(SHUTDOWN, "shutdown", "is shutting down",                                          \
	  "ask a VM to shut down (ACPI or Ctrl-Alt-Del)", "shut down gracefully", "stop", 'S', \
	  0, shutdown)                                                                        \
	X(REBOOT, "reboot", "is rebooting", "restart a VM", "reboot", "reboot", 'R', 0, reboot) \
	X(DESTROY, "destroy", "destroyed", "force a VM off at once", "force off (asks first)", \
	  "destroy", 'D', 9, destroy)                                                         \
	X(PAUSE, "pause", "paused", "pause a VM's vCPUs", "pause or resume", "pause", 'p', 0,  \
	  pause)                                                                              \
	X(RESUME, "resume", "resumed", "resume a paused VM", "resume (no key: p does both)", \
	  "resume", 0, 0, resume)

#define BACKEND_VERB_ENUM(A, ...) BACKEND_##A,
enum backend_action { BACKEND_VERBS(BACKEND_VERB_ENUM) BACKEND_N_ACTIONS };
#undef BACKEND_VERB_ENUM

struct backend_verb {
	const char *name, *done, *summary, *help, *footer;
	int key, fkey;
	size_t op;		/* offsetof the call in struct backend_ops */
};

/* The table's row for a; NULL past its end. */
const struct backend_verb *backend_verb(enum backend_action a);
/* "start", "shutdown", ... as the CLI spells them. */
const char *backend_action_name(enum backend_action a);
int backend_action_parse(const char *s, enum backend_action *out);
int backend_action(struct backend *be, enum backend_action a, const char *name,
		   struct vmt_error *err);

int backend_stats(struct backend *be, struct vm_stats **out, size_t *n,
		  struct vmt_error *err);
int backend_console_open(struct backend *be, const char *name, unsigned flags,
			 struct backend_console **out, struct vmt_error *err);
void backend_console_close(struct backend_console *con);

int backend_snapshot_list(struct backend *be, const char *name,
			  struct vm_snapshot **out, size_t *n,
			  struct vmt_error *err);
int backend_snapshot_create(struct backend *be, const char *name,
			    const char *snap, const char *description,
			    struct vmt_error *err);
int backend_snapshot_revert(struct backend *be, const char *name,
			    const char *snap, struct vmt_error *err);
int backend_snapshot_delete(struct backend *be, const char *name,
			    const char *snap, struct vmt_error *err);
/*
 * Whether the backend has all four snapshot verbs: a face offers only
 * what a connection can do, and asks this instead of testing its URI.
 */
bool backend_has_snapshots(const struct backend *be);
/* Whether it attaches and detaches a running VM's disks and cards (else they wait for its next boot). */
bool backend_has_hotplug(const struct backend *be);
/* Whether it exports and imports the hypervisor's own description (libvirt domain XML). */
bool backend_has_xml(const struct backend *be);
int backend_export_def(struct backend *be, const char *name, char **out,
		       struct vmt_error *err);
int backend_import_def(struct backend *be, const char *text,
		       struct vm_def **out, struct vmt_error *err);

int backend_autostart(struct backend *be, const char *name, bool on,
		      struct vmt_error *err);
int backend_addresses(struct backend *be, const char *name,
		      struct vm_address **out, size_t *n,
		      struct vmt_error *err);
/* The VM's graphical consoles: none (0, *n = 0) on a backend that has none. */
int backend_displays(struct backend *be, const char *name,
		     struct vm_display **out, size_t *n, struct vmt_error *err);
int backend_net_list(struct backend *be, struct backend_net **out, size_t *n,
		     struct vmt_error *err);
int backend_net_start(struct backend *be, const char *net,
		      struct vmt_error *err);
int backend_net_stop(struct backend *be, const char *net,
		     struct vmt_error *err);
int backend_host_info(struct backend *be, struct backend_host *out, struct vmt_error *err);
int backend_pool_list(struct backend *be, struct backend_pool **out,
		      size_t *n, struct vmt_error *err);
int backend_pool_create_default(struct backend *be, struct vmt_error *err);
int backend_vol_list(struct backend *be, const char *pool, struct backend_vol **out,
		     size_t *n, struct vmt_error *err);
int backend_vol_create(struct backend *be, const char *pool, const char *name,
		       uint64_t bytes, enum vm_disk_format format, struct vmt_error *err);
int backend_vol_delete(struct backend *be, const char *pool, const char *name,
		       struct vmt_error *err);
int backend_vol_resize(struct backend *be, const char *pool, const char *name,
		       uint64_t bytes, struct vmt_error *err);

/*
 * Events: a backend posts them from any thread; the owner of the
 * connection polls backend_event_fd() and takes them on its own thread.
 */
int backend_events_start(struct backend *be, struct vmt_error *err);
int backend_event_fd(struct backend *be);
void backend_event_post(struct backend *be, const struct backend_event *ev);
/* Take all pending events; the caller frees them with backend_events_free. */
size_t backend_events_take(struct backend *be, struct backend_event **out);
void backend_events_free(struct backend_event *evs, size_t n);

#endif
