/* SPDX-License-Identifier: GPL-2.0-or-later */
/* module.h: vmtui's parts that are loaded on first use, so that a session that never needs their libraries never maps them. */
#ifndef VMTUI_MODULE_H
#define VMTUI_MODULE_H

#include <pthread.h>
#include <stdbool.h>

#include "src/lib/error.h"

/*
 * A module is a shared object beside the program (a build tree), or in
 * pkglibdir, or where its environment variable says. It takes the rest of
 * vmtui's symbols from the program that loads it, and exports one const
 * table of functions per part. It is loaded once per process, by the
 * first thread that asks, and never unloaded.
 */
struct vmt_module {
	const char *env;	/* "VMTUI_IMAGE_MODULE" */
	const char *file;	/* "vmtui-image.so" */
	const char *what;	/* "the image tools", for the one-line error */
	pthread_mutex_t lock;
	bool tried;
	void *handle;		/* NULL when it could not be loaded */
	char why[256];		/* dlerror()'s reason then */
};

#define VMT_MODULE_INIT(env, file, what) \
	{ (env), (file), (what), PTHREAD_MUTEX_INITIALIZER, false, NULL, "" }

/* The libvirt backend (backend/libvirt/): libvirt and libxml2. */
extern struct vmt_module vmt_module_libvirt;
/*
 * The image tools: HTTP(S) transfers (libcurl), digests (libcrypto), the
 * cloud-init seed's ISO 9660 writer (libisofs), and reading an image's
 * /boot (libblkid, libext2fs). Only making or checking a cloud-image VM
 * needs them.
 */
extern struct vmt_module vmt_module_image;

/*
 * The table symbol of m, loading m first if no thread has yet. NULL with
 * -ENOTSUP and one line ("the image tools cannot be loaded: REASON") when
 * the module or the symbol is missing.
 */
const void *vmt_module_get(struct vmt_module *m, const char *symbol, struct vmt_error *err);

#endif
