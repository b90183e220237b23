/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image-seed.h: the cloud-init NoCloud seed of a cloud-image VM and the SSH public key it carries. */
#ifndef VMTUI_IMAGE_SEED_H
#define VMTUI_IMAGE_SEED_H

#include "src/lib/error.h"

/*
 * A cloud image configures itself at first boot with cloud-init, which
 * looks for a volume labelled "cidata" holding meta-data, user-data and
 * optionally network-config (its NoCloud source). vmtui writes that
 * volume as a small ISO 9660 file attached to the VM as a CD-ROM.
 *
 * Every string vmtui puts into the YAML it writes is a double-quoted
 * scalar with escapes, so no hostname or key comment can add keys of its
 * own. The user's own user-data and network-config go in as they are.
 */

/* What goes into a NoCloud seed. Borrowed strings. */
struct image_seed {
	const char *instance_id;	/* the VM's UUID: cloud-init runs its first-boot work once per id */
	const char *hostname;		/* the VM's name */
	const char *ssh_key;		/* one public key line (authorized_keys format), or NULL */
	const char *user_data;		/* the user's own user-data (file contents), or NULL: vmtui writes one */
	const char *network_config;	/* network-config (v2 YAML) text, or NULL: none, cloud-init's DHCP fallback */
};

/*
 * The #cloud-config user-data vmtui writes when the user gives none
 * (newly allocated): the hostname (no fqdn), manage_etc_hosts: true,
 * ssh_authorized_keys with the key (they go to the image's default user)
 * when there is one, and ssh_pwauth: false. A NULL hostname is left out.
 */
char *image_seed_user_data(const struct image_seed *s);

/*
 * The meta-data (newly allocated): instance-id, local-hostname, and
 * public-keys when there is a key, so that the key reaches the default
 * user even with the user's own user-data. NULL fields are left out.
 */
char *image_seed_meta_data(const struct image_seed *s);

/*
 * Write path (which must not exist) as an ISO 9660 volume labelled
 * "cidata" (Joliet and Rock Ridge) holding meta-data, user-data (s's own,
 * or image_seed_user_data()'s) and, when given, network-config. It is written to a temporary name in the same folder, synced
 * and renamed without replacing anything, so a failure (full disk, bad
 * folder) leaves nothing behind. Mode 0600: user-data may hold secrets.
 * -EINVAL for a seed without instance_id or hostname, -EEXIST when path
 * exists (it is left as it was), -ENOSPC for a full disk, -EIO otherwise.
 * Safe to call from several threads (calls are serialised).
 */
int image_seed_write(const char *path, const struct image_seed *s, struct vmt_error *err);

/*
 * The volume's bytes written to fd, with libisofs: the image tools
 * module's part (image-seed-iso.c), which image_seed_volume() loads on
 * first use (image-tools.c). -ENOMEM, -EIO or a write's error, naming
 * path. Calls are serialised: libisofs has global state.
 */
struct image_iso_ops {
	int (*write)(int fd, const char *path, const struct image_seed *s,
		     struct vmt_error *err);
};
extern const struct image_iso_ops image_iso_ops;
int image_seed_volume(int fd, const char *path, const struct image_seed *s,
		      struct vmt_error *err);

/* The largest SSH public key file image_ssh_key_read() takes. */
#define IMAGE_SSH_KEY_MAX (16u * 1024)

/*
 * Read and check an SSH public key file: one line "TYPE BASE64 [COMMENT]"
 * whose TYPE is a known key type (ssh-ed25519, ssh-rsa,
 * ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com,
 * sk-ecdsa-sha2-nistp256@openssh.com) and whose base64 decodes to a blob
 * that starts with that same type string (SSH wire format: uint32 length
 * + name). *line gets the line without its newline or surrounding blanks
 * (newly allocated). -EINVAL with one sentence naming the file and what
 * is wrong: missing, unreadable, empty, a private key ("PATH is a private
 * key: give its .pub file"), not a public key, unknown type, bad base64,
 * too big (over IMAGE_SSH_KEY_MAX).
 */
int image_ssh_key_read(const char *path, char **line, struct vmt_error *err);

/*
 * The user's default public key (newly allocated): the first of
 * ~/.ssh/id_ed25519.pub, id_ecdsa.pub and id_rsa.pub that exists, with ~
 * from $HOME (the password database when it is unset); NULL when none.
 */
char *image_ssh_key_default(void);

/* The private key of a .pub file (the same path without .pub) when that file exists, else NULL (newly allocated). */
char *image_ssh_key_private(const char *pub_path);

#endif
