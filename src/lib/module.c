// SPDX-License-Identifier: GPL-2.0-or-later
/* module.c: loading vmtui's modules on first use (dlopen), each once per process. */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/lib/log.h"
#include "src/lib/module.h"
#include "src/lib/paths.h"

struct vmt_module vmt_module_libvirt =
	VMT_MODULE_INIT("VMTUI_LIBVIRT_MODULE", "vmtui-libvirt.so", "the libvirt backend");
struct vmt_module vmt_module_image =
	VMT_MODULE_INIT("VMTUI_IMAGE_MODULE", "vmtui-image.so", "the image tools");

/* RTLD_LOCAL: the module's own libraries stay out of the program's namespace. */
static void vmt_module_load(struct vmt_module *m)
{
	char *path = paths_companion(m->env, m->file, VMTUI_PKGLIBDIR);

	m->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!m->handle)
		snprintf(m->why, sizeof(m->why), "%s", dlerror());
	else
		LOG_DEBUG("loaded %s from %s", m->what, path);
	free(path);
}

const void *vmt_module_get(struct vmt_module *m, const char *symbol, struct vmt_error *err)
{
	const void *table = NULL;

	pthread_mutex_lock(&m->lock);
	if (!m->tried) {
		vmt_module_load(m);
		m->tried = true;
	}
	if (m->handle) {
		table = dlsym(m->handle, symbol);
		if (!table)
			vmt_error_set(err, -ENOTSUP, "%s cannot be loaded: %s has no %s",
				      m->what, m->file, symbol);
	} else {
		vmt_error_set(err, -ENOTSUP, "%s cannot be loaded: %s", m->what, m->why);
	}
	pthread_mutex_unlock(&m->lock);
	return table;
}
