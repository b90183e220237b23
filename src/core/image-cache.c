// SPDX-License-Identifier: GPL-2.0-or-later
/* image-cache.c: the cache of downloaded images: each image's record, the list, removal. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/image-priv.h"
#include "src/lib/paths.h"
#include "src/lib/util.h"

/* A record is a few lines; anything larger is not one of ours. */
#define IMAGE_META_MAX_BYTES 8192
#define IMAGE_META_HEAD "# vmtui image cache record\n"

int image_cache_dir(char **out, struct vmt_error *err)
{
	return paths_image_cache(out, err);
}

void image_meta_done(struct image_meta *m)
{
	free(m->key);
	free(m->url);
	memset(m, 0, sizeof(*m));
}

static int image_meta_set(struct image_meta *m, const char *name, const char *value)
{
	if (str_eq(name, "key") && !m->key) {
		m->key = xstrdup(value);
	} else if (str_eq(name, "url") && !m->url) {
		m->url = xstrdup(value);
	} else if (str_eq(name, "format")) {
		if (str_eq(value, "qcow2"))
			m->format = IMAGE_FORMAT_QCOW2;
		else if (str_eq(value, "raw"))
			m->format = IMAGE_FORMAT_RAW;
		else
			return -EINVAL;
	} else if (str_eq(name, "digest")) {
		m->verified = !str_eq(value, "none");
		if (m->verified && image_checksum_parse(value, &m->digest, m->hex, NULL) < 0)
			return -EINVAL;
	} else if (str_eq(name, "size")) {
		return parse_u64(value, &m->size);
	} else {
		return -EINVAL;
	}
	return 0;
}

int image_meta_read(const char *path, struct image_meta *m, struct vmt_error *err)
{
	char *text, *next;
	int r = file_read_all(path, IMAGE_META_MAX_BYTES, &text, NULL, err);

	memset(m, 0, sizeof(*m));
	if (r < 0)
		return r == -ENOENT ? -EINVAL : r;
	r = str_starts_with(text, IMAGE_META_HEAD) ? 0 : -EINVAL;
	for (char *line = text + strlen(IMAGE_META_HEAD); r == 0 && line && *line; line = next) {
		char *nl = strchr(line, '\n'), *sep;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		sep = strstr(line, " = ");
		if (!sep) {
			r = -EINVAL;
			break;
		}
		*sep = '\0';
		r = image_meta_set(m, line, sep + 3);
	}
	free(text);
	if (r == 0 && (!m->key || !m->url))
		r = -EINVAL;
	if (r < 0) {
		image_meta_done(m);
		return vmt_error_set(err, -EINVAL, "%s is not a vmtui image record", path);
	}
	return 0;
}

int image_meta_write(const char *path, const struct image_meta *m, struct vmt_error *err)
{
	char *tmp = xasprintf("%s.tmp", path);
	struct strbuf sb;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), r = 0;

	if (fd < 0) {
		r = vmt_error_set(err, errno == ENOSPC ? -ENOSPC : -EIO, "cannot write %s: %s",
				  tmp, strerror(errno));
		free(tmp);
		return r;
	}
	strbuf_init(&sb);
	strbuf_addf(&sb, "%skey = %s\nurl = %s\nformat = %s\n", IMAGE_META_HEAD, m->key,
		    m->url, image_format_name(m->format));
	if (m->verified)
		strbuf_addf(&sb, "digest = %s:%s\n", image_digest_name(m->digest), m->hex);
	else
		strbuf_adds(&sb, "digest = none\n");
	strbuf_addf(&sb, "size = %llu\n", (unsigned long long)m->size);
	if (fd_write_all(fd, sb.buf, sb.len) < 0 || fsync(fd) < 0)
		r = vmt_error_set(err, errno == ENOSPC ? -ENOSPC : -EIO, "cannot write %s: %s",
				  tmp, strerror(errno));
	close(fd);
	if (r == 0 && rename(tmp, path) < 0)
		r = vmt_error_set(err, -EIO, "cannot rename %s: %s", tmp, strerror(errno));
	if (r < 0)
		unlink(tmp);
	strbuf_done(&sb);
	free(tmp);
	return r;
}

static uint64_t image_file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

static void image_cached_done(struct image_cached *c)
{
	free(c->key);
	free(c->path);
	free(c->url);
	memset(c, 0, sizeof(*c));
}

void image_cache_list_free(struct image_cached *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		image_cached_done(&v[i]);
	free(v);
}

const struct image_cached *image_cache_find(const struct image_cached *v, size_t n,
					    const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (str_eq(v[i].key, key))
			return &v[i];
	return NULL;
}

/* The entry of one record dir/leaf ("FILE.meta"); false when it is not one. */
static bool image_cache_entry(const char *dir, const char *leaf, struct image_cached *c)
{
	char *meta = xasprintf("%s/%s", dir, leaf);
	char *part;
	struct image_meta m;
	int r = image_meta_read(meta, &m, NULL);

	free(meta);
	if (r < 0)
		return false;
	c->key = m.key;
	c->url = m.url;
	c->format = m.format;
	c->verified = m.verified;
	c->path = xasprintf("%s/%.*s", dir, (int)(strlen(leaf) - 5), leaf);
	c->size = image_file_size(c->path);
	part = xasprintf("%s.part", c->path);
	c->part_size = image_file_size(part);
	free(part);
	return c->size > 0 || c->part_size > 0;
}

/*
 * A cut download has only its .part (the record comes with the verified
 * file): its key is its file name, less the format a catalogue image's has.
 */
static bool image_cache_part_entry(const char *dir, const char *leaf, struct image_cached *c)
{
	size_t len = strlen(leaf) - 5;
	char *path = xasprintf("%s/%.*s", dir, (int)len, leaf);
	char *meta = xasprintf("%s.meta", path), *part;
	bool orphan = access(meta, F_OK) != 0;

	free(meta);
	if (!orphan) {
		free(path);
		return false;
	}
	c->path = path;
	c->key = xstrndup(leaf, len);
	if (!str_starts_with(leaf, "url-")) {
		for (int f = 0; f < IMAGE_FORMAT_N; f++) {
			char *ext = xasprintf(".%s", image_format_name((enum image_format)f));
			size_t n = strlen(ext);

			if (len > n && strncmp(leaf + len - n, ext, n) == 0) {
				c->key[len - n] = '\0';
				c->format = (enum image_format)f;
			}
			free(ext);
		}
	}
	part = xasprintf("%s/%s", dir, leaf);
	c->part_size = image_file_size(part);
	free(part);
	return true;
}

static int image_cached_cmp(const void *a, const void *b)
{
	return strcmp(((const struct image_cached *)a)->key,
		      ((const struct image_cached *)b)->key);
}

int image_cache_list(struct image_cached **out, size_t *n, struct vmt_error *err)
{
	struct image_cached *v = NULL;
	size_t cap = 0, count = 0;
	struct dirent *de;
	char *dir;
	DIR *d;
	int r = image_cache_dir(&dir, err);

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	d = opendir(dir);
	if (!d) {
		r = errno == ENOENT ? 0
			: vmt_error_set(err, -EIO, "cannot read %s: %s", dir, strerror(errno));
		free(dir);
		return r;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		bool meta = len > 5 && strcmp(de->d_name + len - 5, ".meta") == 0;
		bool part = len > 5 && strcmp(de->d_name + len - 5, ".part") == 0;

		if (!meta && !part)
			continue;
		v = xgrow(v, &cap, count, sizeof(*v));
		memset(&v[count], 0, sizeof(v[count]));
		if (meta ? image_cache_entry(dir, de->d_name, &v[count])
			 : image_cache_part_entry(dir, de->d_name, &v[count]))
			count++;
		else
			image_cached_done(&v[count]);
	}
	closedir(d);
	free(dir);
	if (count)
		qsort(v, count, sizeof(*v), image_cached_cmp);
	*out = v;
	*n = count;
	return 0;
}

/* -EBUSY when a download holds path's lock (its .part); 0 when none does or there is none. */
static int image_cache_busy(const char *part, int *fd_out)
{
	int fd = open(part, O_RDWR | O_CLOEXEC);

	*fd_out = fd;
	if (fd < 0)
		return 0;
	return flock(fd, LOCK_EX | LOCK_NB) < 0 ? -EBUSY : 0;
}

static int image_cache_unlink(const char *path, uint64_t *freed, struct vmt_error *err)
{
	uint64_t size = image_file_size(path);

	if (unlink(path) < 0 && errno != ENOENT)
		return vmt_error_set(err, -EIO, "cannot remove %s: %s", path, strerror(errno));
	*freed += size;
	return 0;
}

int image_cache_remove(const char *key, uint64_t *freed, struct vmt_error *err)
{
	struct image_cached *v;
	const struct image_cached *c;
	uint64_t total = 0;
	char *part, *meta, *raw;
	size_t n;
	int fd, r = image_cache_list(&v, &n, err);

	if (r < 0)
		return r;
	c = image_cache_find(v, n, key);
	if (!c) {
		image_cache_list_free(v, n);
		return vmt_error_set(err, -EINVAL, "%s is not in the image cache", key);
	}
	part = xasprintf("%s.part", c->path);
	meta = xasprintf("%s.meta", c->path);
	raw = xasprintf("%s.raw", c->path);
	r = image_cache_busy(part, &fd);
	if (r < 0)
		vmt_error_set(err, r, "%s is being downloaded: stop that first", key);
	if (r == 0)
		r = image_cache_unlink(c->path, &total, err);
	if (r == 0)
		r = image_cache_unlink(part, &total, err);
	if (r == 0)
		r = image_cache_unlink(meta, &total, err);
	if (r == 0)
		r = image_cache_unlink(raw, &total, err);
	if (r == 0) {
		char *lock = xasprintf("%s.lock", raw);

		unlink(lock);
		free(lock);
	}
	if (fd >= 0)
		close(fd);
	if (freed)
		*freed = total;
	free(part);
	free(meta);
	free(raw);
	image_cache_list_free(v, n);
	return r;
}
