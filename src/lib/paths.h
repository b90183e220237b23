/* SPDX-License-Identifier: GPL-2.0-or-later */
/* paths.h: where vmtui keeps its database, images, logs, sockets, config. */
#ifndef VMTUI_PATHS_H
#define VMTUI_PATHS_H

#include <stdbool.h>

#include "src/lib/error.h"

/*
 * Each returns a newly allocated path (the caller frees it) and creates
 * nothing; the callers that write there create the directories.
 */

/*
 * --db PATH wins (its folder must exist: -EINVAL otherwise), then
 * VMTUI_DB, then $XDG_DATA_HOME/vmtui/vmtui.db.
 */
int paths_db(const char *override, char **out, struct vmt_error *err);
/* Disk images of kvm:/// VMs: "images" beside the database. */
char *paths_images_dir(const char *db_path);
/* Snapshots of kvm:/// VMs: "snapshots" beside the database. */
char *paths_snapshots_dir(const char *db_path);
/* Logs of kvm:/// runners: "logs" beside the database. */
char *paths_logs_dir(const char *db_path);
/* VMTUI_RUNTIME_DIR, $XDG_RUNTIME_DIR/vmtui, /run/vmtui (root), /tmp/vmtui-UID. */
char *paths_runtime_dir(void);
/*
 * A file vmtui ships beside its program: $<env> when set, else <name> in
 * the directory of the running program (a build tree), else <name> in
 * installed_dir.
 */
char *paths_companion(const char *env, const char *name, const char *installed_dir);
/*
 * A guest that kvm:/// can boot at once, for the create form's defaults:
 * the Linux guest scripts/get-linux-guest fetched ($XDG_DATA_HOME/vmtui/
 * guests/linux/), else the project's probe kernel. Each out is NULL or
 * newly allocated; returns false when there is none.
 */
bool paths_default_guest(char **kernel, char **initrd, char **cmdline,
			 unsigned *memory_mib);
/* $XDG_CONFIG_HOME/vmtui/config, or ~/.config/vmtui/config. */
int paths_config(char **out, struct vmt_error *err);
/* The user's image catalogue: $XDG_CONFIG_HOME/vmtui/images.conf. */
int paths_user_images_conf(char **out, struct vmt_error *err);
/* Downloaded cloud images: $XDG_CACHE_HOME/vmtui/images, or ~/.cache/vmtui/images. */
int paths_image_cache(char **out, struct vmt_error *err);

#endif
