/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image-http.h: HTTP(S) transfers (libcurl, in the image tools module): a checksum file into memory, an image into its .part. */
#ifndef VMTUI_IMAGE_HTTP_H
#define VMTUI_IMAGE_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "src/core/image-priv.h"

/* The body of url (a checksum file: at most a few MiB), NUL-terminated. */
int image_http_get_text(const char *url, struct image_report *report, char **out,
			struct vmt_error *err);

/* An image's .part file, open and locked, and what a transfer did to it. */
struct image_part {
	const char *url;
	const char *name;	/* the image, for messages */
	const char *path;	/* the .part */
	const char *dir;	/* the cache, for messages */
	int fd;
	uint64_t offset;	/* its bytes: asked for from here, and so many after */
	bool restarted;		/* the server ignored Range: the file began again */
	bool stale;		/* the server said the file is shorter than the .part */
	bool keep;		/* a failure left a .part worth resuming (cut, stopped) */
};

/*
 * Fetch the rest of part->url into part (Range from part->offset, or all
 * of it again when the server answers 200). -EIO with "was cut" when the
 * transfer ended early (the .part keeps what came), -ENOSPC when the disk
 * is full, -ECANCELED when report's callback stopped it.
 */
int image_http_get_part(struct image_part *part, struct image_report *report,
			struct vmt_error *err);

/*
 * The two above, as the image tools module exports them (image-http.c);
 * the functions above load the module on first use (image-tools.c).
 */
struct image_http_ops {
	int (*get_text)(const char *url, struct image_report *report, char **out,
			struct vmt_error *err);
	int (*get_part)(struct image_part *part, struct image_report *report,
			struct vmt_error *err);
};
extern const struct image_http_ops image_http_ops;

#endif
