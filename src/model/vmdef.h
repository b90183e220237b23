/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmdef.h: the VM definition model and its validation. */
#ifndef VMTUI_VMDEF_H
#define VMTUI_VMDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "src/lib/error.h"

#define VM_NAME_MAX 64
#define VM_MEMORY_MIN_MIB 16
/* Linux x86 COMMAND_LINE_SIZE, including the terminating NUL. */
#define VM_CMDLINE_MAX 2048
#define VM_NOTES_MAX 4096
#define VM_GROUP_MAX 64
#define VM_DISKS_MAX 16
#define VM_NICS_MAX 8
#define VM_IFNAME_MAX 15

enum vm_disk_format {
	VM_DISK_FORMAT_AUTO,	/* not chosen yet: vm_def_resolve() decides */
	VM_DISK_FORMAT_RAW,
	VM_DISK_FORMAT_QCOW2,
};

enum vm_disk_device {
	VM_DISK_DEVICE_DISK,
	VM_DISK_DEVICE_CDROM,
};

/* What a new image holds when vmtui creates it. */
enum vm_disk_from {
	VM_DISK_FROM_EMPTY,	/* zeros */
	VM_DISK_FROM_OVERLAY,	/* a qcow2 overlay reading through the file from */
	VM_DISK_FROM_COPY,	/* a copy of the file from (a cloud-init seed) */
};

struct vm_disk {
	char *path;		/* owned; NULL: a new image in the default place */
	uint64_t size_bytes;	/* > 0: vmtui creates the image with this size */
	/*
	 * A new image's contents: a local file (owned) and its format; the
	 * backend puts it where the VM can reach it (libvirt: a volume in
	 * the pool). Only until the image is created: never stored.
	 */
	enum vm_disk_from from_kind;
	char *from;
	enum vm_disk_format from_format;
	enum vm_disk_format format;
	enum vm_disk_device device;
	bool readonly;
	bool created;		/* vmtui created the image: --remove-disks may delete it */
	char *pool;		/* owned; the libvirt storage pool holding it, if any */
};

enum vm_nic_kind {
	VM_NIC_USER,		/* user-mode networking */
	VM_NIC_TAP,		/* source: the host tap interface */
	VM_NIC_NETWORK,		/* source: a libvirt network name */
	VM_NIC_BRIDGE,		/* source: a host bridge */
};

/* Host ports a user network forwards to the guest; at most this many a card. */
#define VM_FWD_MAX 16

struct vm_nic {
	enum vm_nic_kind kind;
	char *source;		/* owned; NULL for user */
	char mac[18];		/* xx:xx:xx:xx:xx:xx; empty: generate one */
	/*
	 * Owned; user networks only: "PROTO:ADDR:HOSTPORT:GUESTPORT" entries
	 * separated by spaces ("tcp:127.0.0.1:2222:22"); NULL for none.
	 */
	char *forwards;
};

/* One forward of a user network. */
struct vm_fwd {
	bool udp;
	char addr[16];		/* the host address it listens on, IPv4 */
	unsigned host_port, guest_port;
};

/* Free what nic owns. */
void vm_nic_done(struct vm_nic *nic);
/* Free what a disk owns (one not in a definition). */
void vm_disk_done(struct vm_disk *disk);
/*
 * nic's forwards parsed into out (room for VM_FWD_MAX); their number,
 * -EINVAL for one that is not a forward, -E2BIG for more than VM_FWD_MAX.
 */
int vm_nic_fwds(const struct vm_nic *nic, struct vm_fwd *out);
/* nic as vm_nic_parse reads it: "user,mac=M,fwd=tcp:127.0.0.1:2222:22", say; the caller frees it. */
char *vm_nic_format(const struct vm_nic *nic);

enum vm_graphics {
	VM_GRAPHICS_NONE,
	VM_GRAPHICS_VNC,
	VM_GRAPHICS_SPICE,
};

enum vm_firmware {
	VM_FIRMWARE_BIOS,
	VM_FIRMWARE_UEFI,
};

/*
 * Where a VM made from a cloud image (create --image) came from and what
 * vmtui set up in it; every member NULL/0 for any other VM. Owned strings.
 */
struct vm_image {
	char *source;		/* the catalogue name, URL or file it was made from */
	char *base;		/* the base image its first disk is an overlay of */
	char *login;		/* the image's default user, whom vmtui ssh logs in as */
	char *ssh_key;		/* the public key file given to cloud-init */
	/*
	 * kvm:///: where def->kernel and def->initrd were taken from, as
	 * "PARTITION:PATH" in the image ("1:/boot/vmlinuz-6.1.0-28-cloud-amd64"),
	 * and what the image's /boot held then, to notice a kernel update.
	 */
	char *kernel_from;
	char *initrd_from;
	char *boot_stamp;
	char *seed;		/* the cloud-init seed's disk path; NULL once dropped */
	bool booted;		/* started once: the next start drops the seed */
};

/* A VM as vmtui defines it; every pointer member is owned by the struct. */
struct vm_def {
	char uuid[37];		/* empty until assigned */
	char *name;
	char *uri;		/* the connection it was last used through */
	char *host;		/* the identity of the host it lives on (what the store keys it by) */
	char *backend;		/* "kvm" or "libvirt" */
	unsigned vcpus;
	uint64_t memory_mib;
	char *kernel;		/* direct kernel boot; NULL: boot from disk/cdrom */
	char *initrd;
	char *cmdline;
	enum vm_firmware firmware;
	char *boot_order;	/* comma list of hd, cdrom, network */
	enum vm_graphics graphics;
	/*
	 * libvirt's domain type, "kvm" or "qemu" (emulated: TCG); NULL: the
	 * best the host offers (kvm where it can).
	 */
	char *virt_type;
	char *notes;
	char *group;
	bool autostart;		/* kvm:///: started by vmtui autostart --boot */
	int64_t created;	/* unix seconds */
	int64_t updated;
	struct vm_disk *disks;
	size_t n_disks;
	struct vm_nic *nics;
	size_t n_nics;
	struct vm_image image;
};

/* What the connection a VM is defined on allows, and what it gives a new VM. */
struct vm_limits {
	unsigned max_vcpus;
	uint64_t max_memory_mib;
	bool local_files;	/* paths name files on this machine: check them */
	bool needs_kernel;	/* no firmware: a kernel is the only way to boot */
	bool has_cdrom;		/* the backend can attach an ISO */
	bool default_place;	/* a new disk without a path has somewhere to go */
	/*
	 * A disk made from a cloud image reads through a raw base: the
	 * image is converted once (its compressed qcow2 clusters are not
	 * read on this connection).
	 */
	bool image_raw_base;
	bool port_forwards;	/* a user network can forward host ports to the guest */
	/*
	 * The NIC a new VM gets when none is asked for, as --net spells it
	 * ("user", "network:default", "none"), for the CLI and the TUI's form
	 * alike; with "none", default_net_note says why.
	 */
	char default_net[80];
	char default_net_note[160];
	/* Set when new VMs run emulated, not on hardware virtualisation: what to tell. */
	char emulated_note[160];
};

struct vm_def *vm_def_new(void);
void vm_def_free(struct vm_def *def);
/* Sort n defs by UUID, for vm_defs_find_uuid(). */
void vm_defs_sort_uuid(struct vm_def **defs, size_t n);
/* The index of the def with uuid among n defs sorted by UUID, or n. */
size_t vm_defs_find_uuid(struct vm_def *const *defs, size_t n, const char *uuid);
void vm_def_init(struct vm_def *def);
void vm_def_done(struct vm_def *def);
/* Free what im owns and clear it. */
void vm_image_done(struct vm_image *im);
/* dst (owning nothing) becomes a deep copy of src. */
void vm_image_copy(struct vm_image *dst, const struct vm_image *src);
/* A deep copy. */
struct vm_def *vm_def_copy(const struct vm_def *def);

void vm_def_set_str(char **field, const char *value);
struct vm_disk *vm_def_add_disk(struct vm_def *def);
struct vm_nic *vm_def_add_nic(struct vm_def *def);
void vm_def_remove_disk(struct vm_def *def, size_t index);
void vm_def_remove_nic(struct vm_def *def, size_t index);

/*
 * Parse "[PATH][,size=N[M|G|T]][,format=raw|qcow2][,readonly]" (size in
 * GiB when no unit is given; ",," is a comma inside PATH; a spec that starts
 * with size= or format= has no PATH) into disk.
 */
int vm_disk_parse(const char *spec, struct vm_disk *disk, struct vmt_error *err);
/*
 * Parse "none", or "user", "tap:IF", "network:NAME" or "bridge:BR" followed
 * by an optional ",mac=xx:xx:xx:xx:xx:xx" and, for user, up to VM_FWD_MAX
 * ",fwd=[tcp:|udp:][ADDR:]HOSTPORT:GUESTPORT" (ADDR 127.0.0.1 unless
 * given). *none is set for "none", and nic is then left untouched; on an
 * error nic owns nothing.
 */
int vm_nic_parse(const char *spec, struct vm_nic *nic, bool *none,
		 struct vmt_error *err);

/*
 * One forward, "[tcp:|udp:][ADDR:]HOSTPORT:GUESTPORT" as the user gives it
 * or "PROTO:ADDR:HOSTPORT:GUESTPORT" as it is kept; -EINVAL when bad.
 */
int vm_fwd_parse(const char *spec, struct vm_fwd *out);

/* Each check names the field and the reason; 0 when the value is good. */
int vm_check_name(const char *name, struct vmt_error *err);
int vm_check_vcpus(unsigned vcpus, const struct vm_limits *lim,
		   struct vmt_error *err);
int vm_check_memory(uint64_t mib, const struct vm_limits *lim,
		    struct vmt_error *err);
int vm_check_boot_file(const char *field, const char *path,
		       const struct vm_limits *lim, struct vmt_error *err);
int vm_check_cmdline(const char *cmdline, struct vmt_error *err);
int vm_check_mac(const char *mac, struct vmt_error *err);
int vm_check_disk(const struct vm_disk *disk, size_t index,
		  const struct vm_limits *lim, struct vmt_error *err);
int vm_check_nic(const struct vm_nic *nic, size_t index, struct vmt_error *err);
/*
 * The forwards of nics[0..n), numbered from first + 1 in messages: user
 * NICs only, well formed, no host port taken twice (0.0.0.0 takes it on
 * every address), within a NIC or across them.
 */
int vm_check_forwards(const struct vm_nic *nics, size_t n, size_t first, struct vmt_error *err);
int vm_check_boot_order(const char *order, struct vmt_error *err);
int vm_check_text(const char *field, const char *text, size_t max,
		  struct vmt_error *err);

/*
 * Fill what the user left open: a UUID, MAC addresses, disk formats (from
 * an existing image's header, else the file name, else default_format).
 */
void vm_def_resolve(struct vm_def *def, enum vm_disk_format default_format);
/* Check every field; the first problem found is reported. */
int vm_def_validate(const struct vm_def *def, const struct vm_limits *lim,
		    struct vmt_error *err);
/*
 * Every field but the name: a VM vmtui did not name (virsh allows "my vm")
 * keeps its name through an edit; only a name vmtui is asked to give is
 * checked.
 */
int vm_def_validate_body(const struct vm_def *def, const struct vm_limits *lim,
			 struct vmt_error *err);

/* Names for the enums, as the store, the CLI and the JSON output spell them. */
const char *vm_disk_format_name(enum vm_disk_format f);
int vm_disk_format_parse(const char *s, enum vm_disk_format *out);
const char *vm_disk_device_name(enum vm_disk_device d);
int vm_disk_device_parse(const char *s, enum vm_disk_device *out);
const char *vm_nic_kind_name(enum vm_nic_kind k);
int vm_nic_kind_parse(const char *s, enum vm_nic_kind *out);
const char *vm_graphics_name(enum vm_graphics g);
int vm_graphics_parse(const char *s, enum vm_graphics *out);
const char *vm_firmware_name(enum vm_firmware f);
int vm_firmware_parse(const char *s, enum vm_firmware *out);

/* In vmdef-diff.c. The same disk in two definitions: the same image (and pool, where both say) and device. */
bool vm_disk_same(const struct vm_disk *a, const struct vm_disk *b);
/* The same network card: the same MAC address. */
bool vm_nic_same(const struct vm_nic *a, const struct vm_nic *b);
/* The index in def of the disk (card) that is the same as d (n), or -1. */
ssize_t vm_def_find_disk(const struct vm_def *def, const struct vm_disk *d);
ssize_t vm_def_find_nic(const struct vm_def *def, const struct vm_nic *n);

/* The parts of a VM's machine an edit can change, as a mask. */
enum {
	VM_CHANGE_VCPUS = 1u << 0,
	VM_CHANGE_MEMORY = 1u << 1,
	VM_CHANGE_KERNEL = 1u << 2,	/* kernel, initrd, command line */
	VM_CHANGE_BOOT = 1u << 3,	/* firmware, boot order */
	VM_CHANGE_GRAPHICS = 1u << 4,
	VM_CHANGE_DISKS = 1u << 5,	/* one added, removed, or made read-only or not */
	VM_CHANGE_NICS = 1u << 6,	/* one added, removed or connected elsewhere */
};

/* What differs between old and def in the machine (not notes or group, which are vmtui's). */
unsigned vm_def_changes(const struct vm_def *old, const struct vm_def *def);
/* The parts of a mask in words, ", "-separated ("vCPUs, memory"); NULL for none. */
char *vm_changes_format(unsigned changes);

/* Parse a size with an optional M, G or T suffix; default_unit applies otherwise. */
int vm_size_parse(const char *s, uint64_t default_unit, uint64_t *bytes);
/* The format a file name's extension says (.qcow2, .img...), or AUTO when it says none. */
enum vm_disk_format vm_disk_format_from_name(const char *path);
/* The format an existing image file's header says, or AUTO when unknown. */
enum vm_disk_format vm_disk_sniff(const char *path);

#endif
