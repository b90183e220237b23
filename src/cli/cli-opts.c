// SPDX-License-Identifier: GPL-2.0-or-later
/* cli-opts.c: parsing the VM options of create and edit and applying them to a definition. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/cli/cli-opts.h"
#include "src/lib/util.h"

enum {
	OPT_VCPUS = 256, OPT_MEMORY, OPT_KERNEL, OPT_INITRD, OPT_CMDLINE,
	OPT_DISK, OPT_REMOVE_DISK, OPT_CDROM, OPT_NET, OPT_BOOT, OPT_FIRMWARE,
	OPT_GRAPHICS, OPT_NOTES, OPT_GROUP, OPT_NAME, OPT_IMAGE, OPT_CHECKSUM,
	OPT_SSH_KEY, OPT_USER_DATA, OPT_VIRT_TYPE, OPT_LOGIN,
};

const struct option cli_vm_longopts[] = {
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "remove-disk", required_argument, NULL, OPT_REMOVE_DISK },
	{ "cdrom", required_argument, NULL, OPT_CDROM },
	{ "net", required_argument, NULL, OPT_NET },
	{ "boot", required_argument, NULL, OPT_BOOT },
	{ "firmware", required_argument, NULL, OPT_FIRMWARE },
	{ "graphics", required_argument, NULL, OPT_GRAPHICS },
	{ "notes", required_argument, NULL, OPT_NOTES },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "checksum", required_argument, NULL, OPT_CHECKSUM },
	{ "ssh-key", required_argument, NULL, OPT_SSH_KEY },
	{ "user-data", required_argument, NULL, OPT_USER_DATA },
	{ "virt-type", required_argument, NULL, OPT_VIRT_TYPE },
	{ "login", required_argument, NULL, OPT_LOGIN },
	{ NULL, 0, NULL, 0 },
};

/* The options create and edit share, then each one's own. */
#define VM_OPTIONS_HELP \
	"      --vcpus N          virtual CPUs (1 to the host's count)\n" \
	"      --memory SIZE      memory in MiB, or with a unit: 512M, 2G\n" \
	"      --kernel FILE      boot this kernel (bzImage) directly\n" \
	"      --initrd FILE      initial ramdisk for --kernel\n" \
	"      --cmdline TEXT     kernel command line for --kernel\n" \
	"      --disk SPEC        add a disk: [PATH][,size=N[M|G|T]][,format=raw|qcow2][,readonly]\n" \
	"                         a size makes a new sparse image (GiB without a unit);\n" \
	"                         without a path it goes to the connection's default place\n" \
	"      --cdrom ISO        attach an ISO image (libvirt)\n" \
	"      --net SPEC         none, user, tap:IF, network:NAME or bridge:BR[,mac=MAC];\n" \
	"                         on kvm:///, user also takes ,fwd=[tcp:|udp:][ADDR:]H:G\n" \
	"                         (host port H to the guest's G); may be repeated;\n" \
	"                         without it, the connection's default card (create)\n" \
	"      --boot ORDER       boot devices in order: hd,cdrom,network (libvirt)\n" \
	"      --firmware FW      bios or uefi (libvirt)\n" \
	"      --graphics KIND    none, vnc or spice (libvirt; listens on 127.0.0.1)\n" \
	"      --notes TEXT       free text kept with the VM\n" \
	"      --group NAME       group the VM is listed under\n"

const char cli_create_options_help[] = VM_OPTIONS_HELP
	"      --virt-type TYPE   kvm or qemu (libvirt; qemu: emulated, no KVM);\n"
	"                         default: kvm where the host has it\n"
	"      --image IMAGE      make the VM from a cloud image: a name from\n"
	"                         vmtui image list, an http(s) URL or a FILE; its first\n"
	"                         disk is an overlay on it (a first --disk size=N grows\n"
	"                         it), cloud-init gets the SSH key and the VM's name\n"
	"      --ssh-key FILE     (--image) the public key to log in with\n"
	"                         (default ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub)\n"
	"      --user-data FILE   (--image) cloud-init user-data instead of vmtui's\n"
	"      --login USER       (--image) the image's user, for vmtui ssh (a\n"
	"                         catalogue image knows its own; a URL or FILE does not)\n"
	"      --checksum ALG:HEX (--image URL|FILE) sha256: or sha512: to verify\n";

const char cli_edit_options_help[] = VM_OPTIONS_HELP
	"      --name NEW         rename the VM (once it is shut off, as libvirt does)\n"
	"      --remove-disk N|PATH  detach disk N (as show numbers them) or PATH\n"
	"  (--kernel, --initrd, --cmdline, --cdrom '' remove the setting)\n";

void cli_vm_opts_init(struct cli_vm_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static void cli_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cli_vm_opts_done(struct cli_vm_opts *o)
{
	free(o->kernel);
	free(o->initrd);
	free(o->cmdline);
	free(o->cdrom);
	free(o->name);
	free(o->boot);
	free(o->notes);
	free(o->group);
	free(o->firmware);
	free(o->graphics);
	free(o->virt_type);
	free(o->image);
	free(o->checksum);
	free(o->ssh_key);
	free(o->user_data);
	free(o->login);
	cli_strv_free(o->disks, o->n_disks);
	cli_strv_free(o->remove_disks, o->n_remove_disks);
	cli_strv_free(o->nets, o->n_nets);
	cli_vm_opts_init(o);
}

static void cli_strv_add(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

int cli_vm_opts_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct cli_vm_opts *o = ctx;
	uint64_t bytes;

	switch (opt) {
	case OPT_VCPUS:
		o->has_vcpus = true;
		if (parse_uint(arg, &o->vcpus) < 0)
			return vmt_error_set(err, -EINVAL, "vcpus: '%s' is not a number", arg);
		return 0;
	case OPT_MEMORY:
		o->has_memory = true;
		if (vm_size_parse(arg, 1ull << 20, &bytes) < 0)
			return vmt_error_set(err, -EINVAL,
					     "memory: '%s' is not a size (MiB, or with M, G or T)", arg);
		o->memory_mib = bytes >> 20;
		return 0;
	case OPT_KERNEL: vm_def_set_str(&o->kernel, arg); return 0;
	case OPT_INITRD: vm_def_set_str(&o->initrd, arg); return 0;
	case OPT_CMDLINE: vm_def_set_str(&o->cmdline, arg); return 0;
	case OPT_CDROM: vm_def_set_str(&o->cdrom, arg); return 0;
	case OPT_BOOT: vm_def_set_str(&o->boot, arg); return 0;
	case OPT_NOTES: vm_def_set_str(&o->notes, arg); return 0;
	case OPT_GROUP: vm_def_set_str(&o->group, arg); return 0;
	case OPT_NAME: vm_def_set_str(&o->name, arg); return 0;
	case OPT_FIRMWARE: vm_def_set_str(&o->firmware, arg); return 0;
	case OPT_GRAPHICS: vm_def_set_str(&o->graphics, arg); return 0;
	case OPT_IMAGE: vm_def_set_str(&o->image, arg); return 0;
	case OPT_CHECKSUM: vm_def_set_str(&o->checksum, arg); return 0;
	case OPT_SSH_KEY: vm_def_set_str(&o->ssh_key, arg); return 0;
	case OPT_USER_DATA: vm_def_set_str(&o->user_data, arg); return 0;
	case OPT_LOGIN: vm_def_set_str(&o->login, arg); return 0;
	case OPT_VIRT_TYPE: vm_def_set_str(&o->virt_type, arg); return 0;
	case OPT_DISK: cli_strv_add(&o->disks, &o->n_disks, arg); return 0;
	case OPT_REMOVE_DISK:
		cli_strv_add(&o->remove_disks, &o->n_remove_disks, arg);
		return 0;
	case OPT_NET: cli_strv_add(&o->nets, &o->n_nets, arg); return 0;
	default:
		return vmt_error_set(err, -EINVAL, "unknown option");
	}
}

/* Set *field from a value where "" means "none". */
static void cli_set_path(char **field, const char *value)
{
	char *abs = *value ? path_absolute(value) : NULL;

	free(*field);
	*field = abs;
}

static void cli_set_text(char **field, const char *value)
{
	vm_def_set_str(field, *value ? value : NULL);
}

static int cli_apply_scalars(const struct cli_vm_opts *o, struct vm_def *def,
			     struct vmt_error *err)
{
	if (o->name)
		vm_def_set_str(&def->name, o->name);
	if (o->has_vcpus)
		def->vcpus = o->vcpus;
	if (o->has_memory)
		def->memory_mib = o->memory_mib;
	if (o->kernel)
		cli_set_path(&def->kernel, o->kernel);
	if (o->initrd)
		cli_set_path(&def->initrd, o->initrd);
	if (o->cmdline)
		cli_set_text(&def->cmdline, o->cmdline);
	if (o->boot)
		cli_set_text(&def->boot_order, o->boot);
	if (o->notes)
		cli_set_text(&def->notes, o->notes);
	if (o->group)
		cli_set_text(&def->group, o->group);
	if (o->firmware && vm_firmware_parse(o->firmware, &def->firmware) < 0)
		return vmt_error_set(err, -EINVAL, "firmware: '%s' is not bios or uefi",
				     o->firmware);
	if (o->graphics && vm_graphics_parse(o->graphics, &def->graphics) < 0)
		return vmt_error_set(err, -EINVAL,
				     "graphics: '%s' is not none, vnc or spice", o->graphics);
	if (o->virt_type)
		cli_set_text(&def->virt_type, o->virt_type);
	return 0;
}

/* --remove-disk takes a disk's number (from vmtui show) or its path. */
static int cli_remove_disk(struct vm_def *def, const char *which,
			   struct vmt_error *err)
{
	unsigned n;
	char *abs = path_absolute(which);

	for (size_t i = 0; i < def->n_disks; i++) {
		bool match = parse_uint(which, &n) == 0 ? n == i + 1
							: str_eq(def->disks[i].path, abs);

		if (match && def->disks[i].device == VM_DISK_DEVICE_DISK) {
			vm_def_remove_disk(def, i);
			free(abs);
			return 0;
		}
	}
	free(abs);
	return vmt_error_set(err, -EINVAL, "remove-disk: the VM has no disk %s", which);
}

static int cli_apply_cdrom(const char *iso, struct vm_def *def)
{
	struct vm_disk *d;

	for (size_t i = def->n_disks; i-- > 0;)
		if (def->disks[i].device == VM_DISK_DEVICE_CDROM)
			vm_def_remove_disk(def, i);
	if (!*iso)
		return 0;
	d = vm_def_add_disk(def);
	d->path = path_absolute(iso);
	d->device = VM_DISK_DEVICE_CDROM;
	d->format = VM_DISK_FORMAT_RAW;
	d->readonly = true;
	return 0;
}

static int cli_apply_devices(const struct cli_vm_opts *o, struct vm_def *def,
			     struct vmt_error *err)
{
	int r = 0;

	for (size_t i = 0; i < o->n_remove_disks && r == 0; i++)
		r = cli_remove_disk(def, o->remove_disks[i], err);
	for (size_t i = 0; i < o->n_disks && r == 0; i++) {
		struct vm_disk d;

		r = vm_disk_parse(o->disks[i], &d, err);
		if (r < 0)
			break;
		if (d.path) {
			char *abs = path_absolute(d.path);

			free(d.path);
			d.path = abs;
		}
		*vm_def_add_disk(def) = d;
	}
	if (r == 0 && o->cdrom)
		r = cli_apply_cdrom(o->cdrom, def);
	if (r == 0 && o->n_nets) {
		while (def->n_nics)
			vm_def_remove_nic(def, def->n_nics - 1);
	}
	for (size_t i = 0; i < o->n_nets && r == 0; i++) {
		struct vm_nic nic;
		bool none;

		r = vm_nic_parse(o->nets[i], &nic, &none, err);
		if (r == 0 && !none)
			*vm_def_add_nic(def) = nic;
	}
	return r;
}

int cli_vm_opts_apply(const struct cli_vm_opts *o, struct vm_def *def,
		      struct vmt_error *err)
{
	int r = cli_apply_scalars(o, def, err);

	return r < 0 ? r : cli_apply_devices(o, def, err);
}
