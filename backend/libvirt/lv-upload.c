// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-upload.c: new volumes made from local files (a cloud image's base, a cloud-init seed), sent to the daemon's pool as virt-install does, so a remote host gets them too. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

static int lv_upload_read(virStreamPtr st, char *buf, size_t n, void *opaque)
{
	int fd = *(int *)opaque;
	ssize_t got;

	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return (int)got;
}

/* Send the file at path into the (new, empty) volume vol. */
static int lv_upload_file(struct lv_conn *lv, virStorageVolPtr vol, const char *path,
			  uint64_t size, struct vmt_error *err)
{
	virStreamPtr st = LV_CALL(lv, virStreamNew(lv->cur.conn, 0));
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		r = vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
	else if (!st)
		r = lv_fail(err, "cannot open a stream to upload %s", path);
	else if (LV_CALL(lv, virStorageVolUpload(vol, st, 0, size, 0)) < 0)
		r = lv_fail(err, "cannot upload %s", path);
	else if (LV_CALL(lv, virStreamSendAll(st, lv_upload_read, &fd)) < 0) {
		r = lv_fail(err, "uploading %s failed", path);
		virStreamAbort(st);
	} else if (LV_CALL(lv, virStreamFinish(st)) < 0)
		r = lv_fail(err, "uploading %s failed", path);
	if (st)
		virStreamFree(st);
	if (fd >= 0)
		close(fd);
	return r;
}

/* Create the volume name of xml in pool and fill it from path; nothing stays on failure. */
static int lv_upload_volume(struct lv_conn *lv, virStoragePoolPtr pool, const char *xml,
			    const char *path, uint64_t size, virStorageVolPtr *out,
			    struct vmt_error *err)
{
	virStorageVolPtr vol = LV_CALL(lv, virStorageVolCreateXML(pool, xml, 0));
	int r;

	if (!vol)
		return lv_fail(err, "cannot create a volume for %s", path);
	r = lv_upload_file(lv, vol, path, size, err);
	if (r < 0) {
		LV_CALL(lv, virStorageVolDelete(vol, 0));
		virStorageVolFree(vol);
		return r;
	}
	*out = vol;
	return 0;
}

static int lv_upload_stat(const char *path, struct stat *st, struct vmt_error *err)
{
	if (stat(path, st) < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
	return 0;
}

/*
 * The pool's copy of a base image: "vmtui-base-STAMP-FILE", made once for
 * every VM from that file; STAMP (FNV-1a of the file's device, inode,
 * size and time to the nanosecond) changes when the file does, so a
 * cached image pulled again does not reuse an older copy.
 */
static char *lv_base_name(const char *path, const struct stat *st)
{
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	uint64_t v[] = { (uint64_t)st->st_dev, (uint64_t)st->st_ino, (uint64_t)st->st_size,
			 (uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec };
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (int b = 0; b < 8; b++) {
			h ^= (v[i] >> (8 * b)) & 0xff;
			h *= 0x100000001b3ull;
		}
	return xasprintf("vmtui-base-%016llx-%s", (unsigned long long)h, file);
}

/*
 * A base is whole once its marker volume NAME.done exists, made after
 * the upload finished: a cut upload leaves a base without one, which the
 * next create removes and sends again.
 */
static bool lv_base_done(struct lv_conn *lv, virStoragePoolPtr pool, const char *name)
{
	char *mark = xasprintf("%s.done", name);
	virStorageVolPtr vol = LV_CALL(lv, virStorageVolLookupByName(pool, mark));

	free(mark);
	if (vol)
		virStorageVolFree(vol);
	return vol != NULL;
}

static int lv_base_mark(struct lv_conn *lv, virStoragePoolPtr pool, const char *name,
			struct vmt_error *err)
{
	char *mark = xasprintf("%s.done", name), *xml = NULL;
	virStorageVolPtr vol = NULL;
	int r = lv_xml_volume(mark, 0, VM_DISK_FORMAT_RAW, &xml, err);

	if (r == 0 && !(vol = LV_CALL(lv, virStorageVolCreateXML(pool, xml, 0))))
		r = lv_fail(err, "cannot mark the upload of %s as whole", name);
	if (vol)
		virStorageVolFree(vol);
	free(xml);
	free(mark);
	return r;
}

/* The base volume called name, uploaded from path unless a whole one is there. */
static int lv_base_volume(struct lv_conn *lv, virStoragePoolPtr pool, const char *name,
			  const char *path, const struct stat *st, virStorageVolPtr *out,
			  struct vmt_error *err)
{
	virStorageVolPtr vol = LV_CALL(lv, virStorageVolLookupByName(pool, name));
	char *xml = NULL;
	int r = 0;

	if (vol && lv_base_done(lv, pool, name)) {
		*out = vol;
		return 0;
	}
	if (vol) {
		LOG_WARN("libvirt: base volume %s was not uploaded whole: sending it again", name);
		LV_CALL(lv, virStorageVolDelete(vol, 0));
		virStorageVolFree(vol);
	}
	LOG_INFO("libvirt: uploading base image %s as volume %s", path, name);
	/* Its bytes are the file's: the volume is a plain file of that size. */
	r = lv_xml_volume(name, (uint64_t)st->st_size, VM_DISK_FORMAT_RAW, &xml, err);
	if (r == 0)
		r = lv_upload_volume(lv, pool, xml, path, (uint64_t)st->st_size, out, err);
	if (r == 0 && (r = lv_base_mark(lv, pool, name, err)) < 0) {
		LV_CALL(lv, virStorageVolDelete(*out, 0));
		virStorageVolFree(*out);
	}
	free(xml);
	return r;
}

int lv_upload_base(struct lv_conn *lv, virStoragePoolPtr pool, const char *path,
		   char **pool_path, struct vmt_error *err)
{
	virStorageVolPtr vol = NULL;
	struct stat st;
	char *name;
	int r = lv_upload_stat(path, &st, err);

	if (r < 0)
		return r;
	name = lv_base_name(path, &st);
	r = lv_base_volume(lv, pool, name, path, &st, &vol, err);
	if (r == 0) {
		*pool_path = LV_CALL(lv, virStorageVolGetPath(vol));
		if (!*pool_path)
			r = lv_fail(err, "cannot find the path of volume %s", name);
		virStorageVolFree(vol);
	}
	free(name);
	return r;
}

int lv_upload_copy(struct lv_conn *lv, virStoragePoolPtr pool, const char *name,
		   const char *path, virStorageVolPtr *out, struct vmt_error *err)
{
	struct stat st;
	char *xml = NULL;
	int r = lv_upload_stat(path, &st, err);

	if (r == 0)
		r = lv_xml_volume(name, (uint64_t)st.st_size, VM_DISK_FORMAT_RAW, &xml, err);
	if (r == 0)
		r = lv_upload_volume(lv, pool, xml, path, (uint64_t)st.st_size, out, err);
	free(xml);
	return r;
}
