/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image.h: cloud images by name: the catalogue, the verified download and the cache that create --image, the CLI and the TUI share. */
#ifndef VMTUI_IMAGE_H
#define VMTUI_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/lib/error.h"

/*
 * The interface, in four calls (everything else here serves them):
 *
 *   image_catalog_load()  the catalogue: data/images.conf as installed
 *                         (VMTUI_IMAGES_CONF overrides its path), then the
 *                         user's $XDG_CONFIG_HOME/vmtui/images.conf, whose
 *                         entries add to the shipped ones or replace them
 *                         whole by name;
 *   image_catalog_find()  name -> URL, format, checksum URL and kind,
 *                         default user, OS;
 *   image_fetch()         a catalogue name, an http(s):// URL or a local
 *                         FILE -> a verified file ready to back a disk;
 *   image_cache_list() / image_cache_remove()   what the cache holds.
 *
 * image_fetch() blocks (network, then hashing): the TUI calls it off the
 * UI thread; it reports through a progress callback that may stop it. It
 * is safe to call from several threads and processes at once: one
 * download of an image runs at a time (a lock on its .part file), and a
 * second asks gets -EBUSY.
 *
 * The cache is $XDG_CACHE_HOME/vmtui/images (~/.cache/vmtui/images),
 * mode 0700. For each image KEY (its catalogue name, or "url-HASH-FILE"
 * for a URL) it holds KEY.FORMAT (a catalogue image) or the URL's file
 * name, with its record FILE.meta; while a download runs or after one
 * was cut, FILE.part. The image file appears (by rename) only after its
 * digest matched; a mismatch removes the .part, a cut keeps it for the
 * next fetch to resume with an HTTP Range request.
 *
 * Errors: -EINVAL for bad input (an unknown name, a FILE that is not
 * there, a malformed catalogue line: exit status 2), -ECANCELED when the
 * callback stopped it, -EBUSY for a download already running, -ENOSPC
 * for a full cache disk, -EIO for everything else (network, HTTP status,
 * digest mismatch). Never -ENOENT, which the CLI reserves for "no such VM".
 */

enum image_format {
	IMAGE_FORMAT_QCOW2,
	IMAGE_FORMAT_RAW,
	IMAGE_FORMAT_N,
};

enum image_digest {
	IMAGE_DIGEST_SHA256,
	IMAGE_DIGEST_SHA512,
	IMAGE_DIGEST_N,
};

/* Hex digits of the longest digest (SHA-512), without the NUL. */
#define IMAGE_DIGEST_HEX_MAX 128

/* "qcow2", "raw"; "sha256", "sha512". */
const char *image_format_name(enum image_format f);
const char *image_digest_name(enum image_digest d);

/* One image of the catalogue. Owns its strings. */
struct image_entry {
	char *name;		/* "debian-12": letters, digits, '.', '_', '-' */
	char *title;		/* "Debian 12 (bookworm)"; the name when not given */
	char *os;		/* libosinfo short ID ("debian12"), or NULL */
	char *url;		/* http:// or https:// */
	enum image_format format;
	char *checksum_url;	/* the distribution's checksum file */
	enum image_digest digest;	/* the kind of digest it holds */
	char *file;		/* the image's name in it (default: url's last part) */
	char *user;		/* the image's default login user */
	char *origin;		/* the catalogue file and ... */
	int line;		/* ... line it came from */
};

struct image_catalog {
	struct image_entry *entries;	/* in the order of the files */
	size_t n;
};

void image_catalog_init(struct image_catalog *cat);
void image_catalog_done(struct image_catalog *cat);
/*
 * Add the entries of text (the contents of path, named in messages) to
 * cat; an entry named like one already there replaces it. A bad line
 * fails the whole file with "PATH line N: what is wrong" (-EINVAL) and
 * leaves cat as it was.
 */
int image_catalog_parse(struct image_catalog *cat, const char *path,
			const char *text, struct vmt_error *err);
/* The shipped catalogue, then the user's (a missing user file is fine). */
int image_catalog_load(struct image_catalog *cat, struct vmt_error *err);
/* The entry called name, or NULL. */
const struct image_entry *image_catalog_find(const struct image_catalog *cat,
					     const char *name);

/* What image_fetch() is doing when it calls the progress callback. */
enum image_phase {
	IMAGE_PHASE_CHECKSUMS,	/* getting the checksum file (small) */
	IMAGE_PHASE_DOWNLOAD,	/* getting the image */
	IMAGE_PHASE_VERIFY,	/* hashing it */
};

struct image_progress {
	enum image_phase phase;
	const char *name;	/* the image's key (catalogue name) or FILE */
	uint64_t done;		/* bytes of the image so far (resumed ones included) */
	uint64_t total;		/* bytes in all; 0 while unknown */
	uint64_t resumed;	/* bytes a cut download had left, not fetched again */
	double rate;		/* bytes per second of late; 0 until measured */
	bool last;		/* the phase's final call */
};

/* Return 0 to go on, IMAGE_PROGRESS_STOP to stop (image_fetch() then fails with -ECANCELED). */
#define IMAGE_PROGRESS_STOP 1
/* Called at most ten times a second per phase, and once with last set. */
typedef int (*image_progress_fn)(const struct image_progress *p, void *ctx);

/* What to fetch. */
struct image_ref {
	const char *spec;	/* a catalogue name, an http(s):// or file:// URL, or a path */
	/*
	 * For a URL or a path only (a catalogue image has its checksum file):
	 * "sha256:HEX" or "sha512:HEX" to verify it against, or NULL, when a
	 * URL is kept unverified and a path is used as it is.
	 */
	const char *checksum;
};

/* The file to use. Owns its strings. */
struct image_file {
	char *path;		/* in the cache, or the user's FILE (absolute) */
	char *key;		/* the cache key, or NULL for a FILE */
	enum image_format format;	/* the catalogue's, else read from the file's header */
	char *user;		/* the default login user, or NULL (URL, FILE) */
	char *os;		/* the libosinfo ID, or NULL */
	uint64_t size;
	bool downloaded;	/* fetched by this call (not already cached, not a FILE) */
	bool verified;		/* its digest matched a published or given one */
	enum image_digest digest;	/* when verified: which, and ... */
	char hex[IMAGE_DIGEST_HEX_MAX + 1];	/* ... its value, lower-case */
};

void image_file_done(struct image_file *f);

/*
 * Resolve ref to a file: a catalogue image or URL already in the cache is
 * used as it is (no network); else it is downloaded into the cache and
 * verified first. fn (may be NULL) is called from the calling thread.
 * On success fills out (image_file_done() frees it).
 */
int image_fetch(const struct image_ref *ref, image_progress_fn fn, void *ctx,
		struct image_file *out, struct vmt_error *err);

/* One image in the cache. */
struct image_cached {
	char *key;		/* catalogue name or "url-HASH-FILE" */
	char *path;		/* the image file (it may not exist yet: see size) */
	char *url;		/* where it came from; NULL for a cut download's .part alone */
	enum image_format format;
	uint64_t size;		/* 0 when only a .part is there */
	uint64_t part_size;	/* bytes of a cut download, else 0 */
	bool verified;
};

/* The cache directory (newly allocated; it may not exist yet). */
int image_cache_dir(char **out, struct vmt_error *err);
/* Everything in the cache, complete or cut, sorted by key. */
int image_cache_list(struct image_cached **out, size_t *n, struct vmt_error *err);
void image_cache_list_free(struct image_cached *v, size_t n);
/* The cache's record of key in v, or NULL. */
const struct image_cached *image_cache_find(const struct image_cached *v, size_t n,
					    const char *key);
/*
 * Remove key's image, record and .part from the cache; *freed (may be
 * NULL) is the bytes that gave back. -EINVAL when nothing of key is there,
 * -EBUSY while it is being downloaded.
 */
int image_cache_remove(const char *key, uint64_t *freed, struct vmt_error *err);

/*
 * The digest of file name in the text of a checksum file, as
 * distributions publish them: GNU lines ("HEX  NAME", "HEX *NAME"), BSD
 * lines ("SHA256 (NAME) = HEX", Fedora's CHECKSUM, PGP-signed), or a file
 * of one digest alone (a per-image .sha512). hex gets it in lower case.
 * -EINVAL when the file has none, or two that differ.
 */
int image_sums_find(const char *text, const char *name, enum image_digest kind,
		    char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err);
/* "sha256:HEX" or "sha512:HEX" into its parts (hex lower-cased). */
int image_checksum_parse(const char *s, enum image_digest *kind,
			 char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err);
/* The format an image file's header says: qcow2 by its magic, else raw. */
int image_format_probe(const char *path, enum image_format *out,
		       struct vmt_error *err);

/* What a disk made from the image at path sees: a qcow2 header's size, a raw file's length. */
int image_disk_size(const char *path, enum image_format format, uint64_t *size,
		    struct vmt_error *err);
/*
 * f as a raw image (*out newly allocated): f itself when raw, else
 * FILE.raw beside it, converted once with qemu-img (sparse) and kept;
 * image_cache_remove() removes it with the image.
 */
int image_base_raw(const struct image_file *f, char **out, struct vmt_error *err);

#endif
