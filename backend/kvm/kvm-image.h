/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image.h: creating new, empty disk images (sparse raw and qcow2). */
#ifndef VMTUI_IMAGE_H
#define VMTUI_IMAGE_H

#include <stdint.h>

#include "src/lib/error.h"
#include "src/model/vmdef.h"

/*
 * Create path (which must not exist) as an empty image of size bytes:
 * a sparse raw file, or a qcow2 version 3 image with 64 KiB clusters.
 * Nothing is left behind on failure.
 */
int image_create(const char *path, enum vm_disk_format format, uint64_t size,
		 struct vmt_error *err);

#endif
