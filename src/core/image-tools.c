// SPDX-License-Identifier: GPL-2.0-or-later
/* image-tools.c: the core's calls into the image tools module (HTTP, digests, the seed's volume), which is loaded on the first of them. */
#include "config.h"

#include "src/core/image-http.h"
#include "src/core/image-priv.h"
#include "src/core/image-seed.h"
#include "src/lib/module.h"

/*
 * libcurl, libcrypto and libisofs (and the dozens of libraries libcurl
 * pulls in) are mapped only by a session that fetches, checks or seeds a
 * cloud image: a list or a console never pays for them at start.
 */
static const void *image_tools(const char *table, struct vmt_error *err)
{
	return vmt_module_get(&vmt_module_image, table, err);
}

int image_http_get_text(const char *url, struct image_report *report, char **out,
			struct vmt_error *err)
{
	const struct image_http_ops *h = image_tools("image_http_ops", err);

	return h ? h->get_text(url, report, out, err) : -ENOTSUP;
}

int image_http_get_part(struct image_part *part, struct image_report *report,
			struct vmt_error *err)
{
	const struct image_http_ops *h = image_tools("image_http_ops", err);

	return h ? h->get_part(part, report, err) : -ENOTSUP;
}

int image_hash_file(const char *path, enum image_digest kind, struct image_report *r,
		    char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err)
{
	const struct image_digest_ops *d = image_tools("image_digest_ops", err);

	return d ? d->file(path, kind, r, hex, err) : -ENOTSUP;
}

int image_sha256(const void *data, size_t len, unsigned char md[32], struct vmt_error *err)
{
	const struct image_digest_ops *d = image_tools("image_digest_ops", err);

	if (!d)
		return -ENOTSUP;
	d->sha256(data, len, md);
	return 0;
}

int image_seed_volume(int fd, const char *path, const struct image_seed *s,
		      struct vmt_error *err)
{
	const struct image_iso_ops *iso = image_tools("image_iso_ops", err);

	return iso ? iso->write(fd, path, s, err) : -ENOTSUP;
}
