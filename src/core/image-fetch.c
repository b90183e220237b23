// SPDX-License-Identifier: GPL-2.0-or-later
/* image-fetch.c: a catalogue name, URL or FILE to a verified image file: the cache, the download, the check, then the rename. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/image-http.h"
#include "src/core/image-priv.h"
#include "src/lib/util.h"

/* A file name from a URL is cut to this in the cache. */
#define IMAGE_LEAF_MAX 96

/* What one fetch needs to know, whatever ref named. */
struct image_plan {
	char *key;		/* the cache's name for it */
	char *leaf;		/* its file in the cache */
	const char *url;
	const char *sums_url;	/* the checksum file, or NULL */
	const char *sums_name;	/* the image's name in it */
	bool have_digest;	/* given, or read from sums_url */
	enum image_digest digest;
	char hex[IMAGE_DIGEST_HEX_MAX + 1];
	bool format_known;	/* the catalogue says */
	enum image_format format;
	const char *user, *os;
	/* where, in the cache */
	char *dir, *path, *part, *meta;
};

static void image_plan_done(struct image_plan *p)
{
	free(p->key);
	free(p->leaf);
	free(p->dir);
	free(p->path);
	free(p->part);
	free(p->meta);
}

void image_file_done(struct image_file *f)
{
	free(f->path);
	free(f->key);
	free(f->user);
	free(f->os);
	memset(f, 0, sizeof(*f));
}

static void image_file_fill(struct image_file *out, const struct image_plan *p,
			    const struct image_meta *m, bool downloaded)
{
	memset(out, 0, sizeof(*out));
	out->path = xstrdup(p->path);
	out->key = xstrdup(p->key);
	out->format = m->format;
	out->user = xstrdup_or_null(p->user);
	out->os = xstrdup_or_null(p->os);
	out->size = m->size;
	out->downloaded = downloaded;
	out->verified = m->verified;
	out->digest = m->digest;
	memcpy(out->hex, m->hex, sizeof(out->hex));
}

/* A cached copy of the same URL (and digest, when one was given) is used as it is. */
static bool image_cache_hit(const struct image_plan *p, struct image_file *out)
{
	struct image_meta m;
	struct stat st;
	bool hit;

	if (image_meta_read(p->meta, &m, NULL) < 0)
		return false;
	hit = str_eq(m.url, p->url) && str_eq(m.key, p->key) &&
	      stat(p->path, &st) == 0 && S_ISREG(st.st_mode) &&
	      (uint64_t)st.st_size == m.size &&
	      (!p->have_digest || p->sums_url ||
	       (m.verified && m.digest == p->digest && str_eq(m.hex, p->hex)));
	if (hit)
		image_file_fill(out, p, &m, false);
	image_meta_done(&m);
	return hit;
}

/* The cache's name for a URL: its file name, after a hash of the whole URL. */
static int image_url_key(const char *url, char **key, struct vmt_error *err)
{
	unsigned char md[32];
	const char *end = url + strcspn(url, "?#"), *leaf = end;
	struct strbuf sb;
	int r = image_sha256(url, strlen(url), md, err);

	if (r < 0)
		return r;
	while (leaf > url && leaf[-1] != '/')
		leaf--;
	while (leaf < end && *leaf == '.')
		leaf++;
	strbuf_init(&sb);
	strbuf_addf(&sb, "url-%02x%02x%02x%02x-", md[0], md[1], md[2], md[3]);
	for (const char *c = leaf; c < end && c - leaf < IMAGE_LEAF_MAX; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';

		strbuf_add(&sb, ok ? c : "_", 1);
	}
	if (leaf == end)
		strbuf_adds(&sb, "image");
	*key = strbuf_detach(&sb);
	return 0;
}

static int image_plan_where(struct image_plan *p, struct vmt_error *err)
{
	int r = image_cache_dir(&p->dir, err);

	if (r == 0)
		r = mkdir_p(p->dir, 0700, err);
	if (r < 0)
		return image_error_wrap(err, r == -ENOSPC ? -ENOSPC : -EIO, "image cache");
	p->path = xasprintf("%s/%s", p->dir, p->leaf);
	p->part = xasprintf("%s.part", p->path);
	p->meta = xasprintf("%s.meta", p->path);
	return 0;
}

static int image_plan_sums(struct image_plan *p, struct image_report *rep,
			   struct vmt_error *err)
{
	char *text;
	int r;

	image_report_begin(rep, IMAGE_PHASE_CHECKSUMS, 0, 0);
	r = image_http_get_text(p->sums_url, rep, &text, err);
	if (r < 0)
		return r == -ECANCELED ? r : vmt_error_prefix(err, "checksums of %s", p->key);
	r = image_sums_find(text, p->sums_name, p->digest, p->hex, err);
	free(text);
	if (r < 0)
		return image_error_wrap(err, -EIO, p->sums_url);
	p->have_digest = true;
	if (image_report_end(rep))
		return vmt_error_set(err, -ECANCELED, "download of %s stopped", p->key);
	return 0;
}

/* Open and lock the .part; -EBUSY when another download of it holds the lock. */
static int image_part_open(const struct image_plan *p, struct image_part *part,
			   struct vmt_error *err)
{
	struct stat st;
	int fd = open(p->part, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return vmt_error_set(err, errno == ENOSPC ? -ENOSPC : -EIO, "cannot create %s: %s",
				     p->part, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return vmt_error_set(err, -EBUSY, "%s is being downloaded already (%s)", p->key,
				     p->part);
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return vmt_error_set(err, -EIO, "cannot stat %s: %s", p->part, strerror(errno));
	}
	*part = (struct image_part){
		.url = p->url, .name = p->key, .path = p->part, .dir = p->dir,
		.fd = fd, .offset = (uint64_t)st.st_size,
	};
	return 0;
}

/* The download, again from the start once if the server had a shorter file. */
static int image_part_download(struct image_part *part, struct image_report *rep,
			       struct vmt_error *err)
{
	int r;

	for (int tries = 0; ; tries++) {
		image_report_begin(rep, IMAGE_PHASE_DOWNLOAD, part->offset, 0);
		rep->p.total = 0;
		r = image_http_get_part(part, rep, err);
		if (r == 0 || !part->stale || tries > 0)
			break;
		if (ftruncate(part->fd, 0) < 0)
			return vmt_error_set(err, -EIO, "cannot truncate %s: %s", part->path,
					     strerror(errno));
		part->offset = 0;
		part->stale = false;
	}
	if (r == 0 && fsync(part->fd) < 0)
		r = vmt_error_set(err, errno == ENOSPC ? -ENOSPC : -EIO, "cannot write %s: %s",
				  part->path, strerror(errno));
	if (r == 0 && image_report_end(rep))
		r = vmt_error_set(err, -ECANCELED, "download of %s stopped", part->name);
	return r;
}

static int image_part_verify(const struct image_plan *p, struct image_part *part,
			     struct image_report *rep, struct vmt_error *err)
{
	char got[IMAGE_DIGEST_HEX_MAX + 1];
	int r;

	if (!p->have_digest)
		return 0;
	image_report_begin(rep, IMAGE_PHASE_VERIFY, 0, part->offset);
	r = image_hash_file(p->part, p->digest, rep, got, err);
	if (r < 0)
		return r;
	if (!str_eq(got, p->hex))
		return vmt_error_set(err, -EIO,
				     "checksum mismatch: %s's %s is %.16s..., %s says %.16s...: "
				     "the download was refused and removed",
				     p->key, image_digest_name(p->digest), got,
				     p->sums_url ? p->sums_url : "the given checksum", p->hex);
	return 0;
}

static int image_part_format(const struct image_plan *p, enum image_format *fmt,
			     struct vmt_error *err)
{
	int r = image_format_probe(p->part, fmt, err);

	if (r < 0 || !p->format_known || *fmt == p->format)
		return r;
	return vmt_error_set(err, -EIO, "%s: the catalogue says %s, but the file is %s: refused",
			     p->key, image_format_name(p->format), image_format_name(*fmt));
}

/* Verified: record it, then give it its name; a reader never sees a half-made image. */
static int image_part_finish(const struct image_plan *p, struct image_part *part,
			     struct image_file *out, struct vmt_error *err)
{
	struct image_meta m = {
		.key = p->key, .url = (char *)p->url, .verified = p->have_digest,
		.digest = p->digest, .size = part->offset,
	};
	int r;

	memcpy(m.hex, p->hex, sizeof(m.hex));
	r = image_part_format(p, &m.format, err);
	if (r == 0)
		r = image_meta_write(p->meta, &m, err);
	if (r == 0 && rename(p->part, p->path) < 0)
		r = vmt_error_set(err, -EIO, "cannot rename %s: %s", p->part, strerror(errno));
	if (r == 0)
		image_file_fill(out, p, &m, true);
	return r;
}

/* What a failure leaves: a cut or stopped download its .part to resume, anything else nothing. */
static void image_part_close(const struct image_plan *p, struct image_part *part, int r)
{
	if (r < 0 && !(part->keep && part->offset > 0))
		unlink(p->part);
	close(part->fd);
}

static int image_plan_download(struct image_plan *p, struct image_report *rep,
			       struct image_file *out, struct vmt_error *err)
{
	struct image_part part;
	int r = image_part_open(p, &part, err);

	if (r < 0)
		return r;
	/* Another process may have finished it while this one waited for the lock. */
	if (image_cache_hit(p, out)) {
		image_part_close(p, &part, -EEXIST);
		return 0;
	}
	r = image_part_download(&part, rep, err);
	if (r == 0) {
		r = image_part_verify(p, &part, rep, err);
		part.keep = r == -ECANCELED;
	}
	if (r == 0)
		r = image_part_finish(p, &part, out, err);
	image_part_close(p, &part, r);
	return r;
}

static int image_plan_run(struct image_plan *p, image_progress_fn fn, void *ctx,
			  struct image_file *out, struct vmt_error *err)
{
	struct image_report rep = { .fn = fn, .ctx = ctx };
	int r = image_plan_where(p, err);

	rep.p.name = p->key;
	if (r < 0 || image_cache_hit(p, out))
		return r;
	if (p->sums_url && (r = image_plan_sums(p, &rep, err)) < 0)
		return r;
	return image_plan_download(p, &rep, out, err);
}

static int image_fetch_name(const char *name, image_progress_fn fn, void *ctx,
			    struct image_file *out, struct vmt_error *err)
{
	struct image_catalog cat;
	const struct image_entry *e;
	struct image_plan p = { 0 };
	int r;

	image_catalog_init(&cat);
	r = image_catalog_load(&cat, err);
	e = r == 0 ? image_catalog_find(&cat, name) : NULL;
	if (r == 0 && !e)
		r = vmt_error_set(err, -EINVAL,
				  "no image named '%s' in the catalogue (vmtui image list shows them)",
				  name);
	if (r == 0) {
		p.key = xstrdup(e->name);
		p.leaf = xasprintf("%s.%s", e->name, image_format_name(e->format));
		p.url = e->url;
		p.sums_url = e->checksum_url;
		p.sums_name = e->file;
		p.digest = e->digest;
		p.format_known = true;
		p.format = e->format;
		p.user = e->user;
		p.os = e->os;
		r = image_plan_run(&p, fn, ctx, out, err);
	}
	image_plan_done(&p);
	image_catalog_done(&cat);
	return r;
}

static int image_fetch_url(const struct image_ref *ref, image_progress_fn fn, void *ctx,
			   struct image_file *out, struct vmt_error *err)
{
	struct image_plan p = { .url = ref->spec };
	int r = 0;

	if (ref->checksum) {
		r = image_checksum_parse(ref->checksum, &p.digest, p.hex, err);
		p.have_digest = r == 0;
	}
	if (r == 0)
		r = image_url_key(ref->spec, &p.key, err);
	if (r == 0) {
		p.leaf = xstrdup(p.key);
		r = image_plan_run(&p, fn, ctx, out, err);
	}
	image_plan_done(&p);
	return r;
}

/* The user's own file, used where it is; checked when a checksum was given. */
static int image_fetch_path(const struct image_ref *ref, image_progress_fn fn, void *ctx,
			    struct image_file *out, struct vmt_error *err)
{
	const char *path = str_starts_with(ref->spec, "file://") ? ref->spec + 7 : ref->spec;
	struct image_report rep = { .fn = fn, .ctx = ctx };
	char want[IMAGE_DIGEST_HEX_MAX + 1];
	enum image_digest kind = IMAGE_DIGEST_SHA256;
	struct stat st;
	int r = 0;

	if (stat(path, &st) < 0)
		return vmt_error_set(err, -EINVAL, "image %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return vmt_error_set(err, -EINVAL, "image %s is not a file", path);
	if (access(path, R_OK) < 0)
		return vmt_error_set(err, -EINVAL, "image %s: %s", path, strerror(errno));
	memset(out, 0, sizeof(*out));
	if (ref->checksum && (r = image_checksum_parse(ref->checksum, &kind, want, err)) < 0)
		return r;
	rep.p.name = path;
	if (ref->checksum) {
		image_report_begin(&rep, IMAGE_PHASE_VERIFY, 0, (uint64_t)st.st_size);
		r = image_hash_file(path, kind, &rep, out->hex, err);
		if (r == 0 && !str_eq(out->hex, want))
			r = vmt_error_set(err, -EIO, "checksum mismatch: %s's %s is %.16s..., not %.16s...",
					  path, image_digest_name(kind), out->hex, want);
	}
	if (r == 0)
		r = image_format_probe(path, &out->format, err);
	if (r < 0)
		return r;
	out->path = path_absolute(path);
	out->size = (uint64_t)st.st_size;
	out->verified = ref->checksum != NULL;
	out->digest = kind;
	return 0;
}

int image_fetch(const struct image_ref *ref, image_progress_fn fn, void *ctx,
		struct image_file *out, struct vmt_error *err)
{
	const char *s = ref ? ref->spec : NULL;

	memset(out, 0, sizeof(*out));
	if (str_empty(s))
		return vmt_error_set(err, -EINVAL, "no image given");
	if (str_starts_with(s, "http://") || str_starts_with(s, "https://"))
		return image_fetch_url(ref, fn, ctx, out, err);
	/* A name with a '/' is a path: "./debian-12" is a file, "debian-12" the image. */
	if (strchr(s, '/'))
		return image_fetch_path(ref, fn, ctx, out, err);
	if (ref->checksum)
		return vmt_error_set(err, -EINVAL,
				     "a catalogue image has its own checksum file: --checksum is for a URL or a file");
	return image_fetch_name(s, fn, ctx, out, err);
}
