/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image-priv.h: what the image module's files share: progress reports, hashing, the cache's records. */
#ifndef VMTUI_IMAGE_PRIV_H
#define VMTUI_IMAGE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/image.h"

/* The progress callback of one phase, called at most every 100 ms, with its rate. */
struct image_report {
	image_progress_fn fn;	/* may be NULL */
	void *ctx;
	struct image_progress p;
	uint64_t last_ns;	/* the last call */
	uint64_t window_ns;	/* where the rate's window began ... */
	uint64_t window_done;	/* ... and how far it had come */
	bool stopped;		/* the callback said stop */
};

void image_report_begin(struct image_report *r, enum image_phase phase,
			uint64_t done, uint64_t total);
/* Note progress; true when the callback asked to stop. */
bool image_report(struct image_report *r, uint64_t done, uint64_t total);
/* The phase's final call; true when the callback asked to stop. */
bool image_report_end(struct image_report *r);

/* Put "prefix: " before err's message and make its code code; returns code. */
int image_error_wrap(struct vmt_error *err, int code, const char *prefix);

/* The digest of the file at path, in lower-case hex; -ECANCELED when r stopped it. */
int image_hash_file(const char *path, enum image_digest kind, struct image_report *r,
		    char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err);
/* The SHA-256 of len bytes at data. */
int image_sha256(const void *data, size_t len, unsigned char md[32], struct vmt_error *err);

/*
 * The two above, as the image tools module exports them (image-digest.c,
 * OpenSSL); the functions above load the module on first use
 * (image-tools.c).
 */
struct image_digest_ops {
	int (*file)(const char *path, enum image_digest kind, struct image_report *r,
		    char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err);
	void (*sha256)(const void *data, size_t len, unsigned char md[32]);
};
extern const struct image_digest_ops image_digest_ops;

/* Hex digits of a digest of that kind. */
size_t image_digest_hex_len(enum image_digest kind);

/* The record FILE.meta beside a cached image. */
struct image_meta {
	char *key;
	char *url;
	enum image_format format;
	bool verified;
	enum image_digest digest;
	char hex[IMAGE_DIGEST_HEX_MAX + 1];
	uint64_t size;
};

void image_meta_done(struct image_meta *m);
/* Read path; -EINVAL when it is not a record vmtui wrote. */
int image_meta_read(const char *path, struct image_meta *m, struct vmt_error *err);
/* Write it to path through a temporary file and a rename, synced. */
int image_meta_write(const char *path, const struct image_meta *m, struct vmt_error *err);

#endif
