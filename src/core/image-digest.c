// SPDX-License-Identifier: GPL-2.0-or-later
/* image-digest.c: SHA-256 and SHA-512 with OpenSSL's EVP, in the image tools module: of an image file, with progress, and of a short text. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "src/core/image-priv.h"
#include "src/lib/util.h"

/* Hashing reads this much at a time. */
#define IMAGE_HASH_CHUNK (1u << 20)

static void image_hex_encode(const unsigned char *md, unsigned len, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < len; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * len] = '\0';
}

static int image_hash_fd(int fd, EVP_MD_CTX *md, struct image_report *r,
			 const char *path, struct vmt_error *err)
{
	unsigned char *buf = xmalloc(IMAGE_HASH_CHUNK);
	uint64_t done = 0;
	ssize_t n;
	int ret = 0;

	while ((n = read(fd, buf, IMAGE_HASH_CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
			break;
		}
		if (EVP_DigestUpdate(md, buf, (size_t)n) != 1) {
			ret = vmt_error_set(err, -EIO, "cannot hash %s", path);
			break;
		}
		done += (uint64_t)n;
		if (r && image_report(r, done, r->p.total)) {
			ret = vmt_error_set(err, -ECANCELED, "verifying %s was stopped", path);
			break;
		}
	}
	free(buf);
	return ret;
}

static int digest_file(const char *path, enum image_digest kind, struct image_report *r,
		       char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err)
{
	const EVP_MD *type = kind == IMAGE_DIGEST_SHA512 ? EVP_sha512() : EVP_sha256();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return vmt_error_set(err, -EIO, "cannot open %s: %s", path, strerror(errno));
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		abort();
	ret = EVP_DigestInit_ex(ctx, type, NULL) == 1 ? 0
		: vmt_error_set(err, -EIO, "OpenSSL has no %s", image_digest_name(kind));
	if (ret == 0)
		ret = image_hash_fd(fd, ctx, r, path, err);
	if (ret == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		ret = vmt_error_set(err, -EIO, "cannot hash %s", path);
	if (ret == 0)
		image_hex_encode(md, mdlen, hex);
	EVP_MD_CTX_free(ctx);
	close(fd);
	if (ret == 0 && r && image_report_end(r))
		ret = vmt_error_set(err, -ECANCELED, "verifying %s was stopped", path);
	return ret;
}

static void digest_sha256(const void *data, size_t len, unsigned char md[32])
{
	unsigned mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		abort();
}

const struct image_digest_ops image_digest_ops = {
	.file = digest_file,
	.sha256 = digest_sha256,
};
