/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-image.h: creating new disk images (sparse raw and qcow2, qcow2 overlays) and reading their headers. */
#ifndef VMTUI_IMAGE_H
#define VMTUI_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
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

/* A free path in dir for disk i of the VM name: NAME-diskI.img (or .qcow2), then with a number. */
char *image_free_path(const char *dir, const char *name, size_t i,
		      enum vm_disk_format format);

/*
 * Create path (which must not exist) as a qcow2 overlay of backing, an
 * absolute path to an image in backing_format: it has size bytes (0:
 * backing's size; never fewer), and reads what the guest has not written
 * from backing. No external tool is
 * run (qemu-img lays out the same header: the backing format in a header
 * extension, the name after it in cluster 0).
 */
int image_create_overlay(const char *path, const char *backing,
			 enum vm_disk_format backing_format, uint64_t size,
			 struct vmt_error *err);
/* What the guest sees of an image: a raw file's length, a qcow2 header's size. */
int image_virtual_size(const char *path, enum vm_disk_format format, uint64_t *size,
		       struct vmt_error *err);
/*
 * Grow the image at path to size bytes of guest disk (its current size
 * or more): a raw file is extended sparsely; a qcow2 image gets the new
 * size in its header and, when it needs more L1 entries than it has, the
 * zeroed entries that its L1 table's clusters have room for (64 KiB
 * clusters: up to 4 TiB for a table made for a smaller disk). The file
 * is locked for the while, as the runner locks a disk it writes: a disk
 * in use is refused, and so is what cannot be grown in place.
 */
int image_grow(const char *path, enum vm_disk_format format, uint64_t size,
	       struct vmt_error *err);
/* The backing file a qcow2 image names, as it names it (newly allocated), or NULL. */
char *image_backing_name(const char *path, enum vm_disk_format format);

#endif
