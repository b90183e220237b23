// SPDX-License-Identifier: GPL-2.0-or-later
/* image-verify.c: checksum files as distributions publish them, an image's format, progress reports. */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "src/core/image-priv.h"
#include "src/lib/util.h"

/* Progress reports: at most ten a second; the rate over half-second windows. */
#define IMAGE_REPORT_EVERY_NS 100000000ull
#define IMAGE_RATE_WINDOW_NS 500000000ull

void image_report_begin(struct image_report *r, enum image_phase phase,
			uint64_t done, uint64_t total)
{
	r->p.phase = phase;
	r->p.done = done;
	r->p.total = total;
	r->p.resumed = phase == IMAGE_PHASE_DOWNLOAD ? done : 0;
	r->p.rate = 0;
	r->p.last = false;
	r->last_ns = 0;
	r->window_ns = time_mono_ns();
	r->window_done = done;
}

static void image_report_rate(struct image_report *r, uint64_t now)
{
	double inst;

	if (now - r->window_ns < IMAGE_RATE_WINDOW_NS || r->p.done < r->window_done)
		return;
	inst = (double)(r->p.done - r->window_done) * 1e9 / (double)(now - r->window_ns);
	/* Smoothed, so that a bar's figure does not jump at every window. */
	r->p.rate = r->p.rate > 0 ? 0.6 * r->p.rate + 0.4 * inst : inst;
	r->window_ns = now;
	r->window_done = r->p.done;
}

static bool image_report_call(struct image_report *r)
{
	if (r->fn && !r->stopped && r->fn(&r->p, r->ctx) == IMAGE_PROGRESS_STOP)
		r->stopped = true;
	return r->stopped;
}

bool image_report(struct image_report *r, uint64_t done, uint64_t total)
{
	uint64_t now = time_mono_ns();

	r->p.done = done;
	r->p.total = total;
	image_report_rate(r, now);
	if (r->last_ns && now - r->last_ns < IMAGE_REPORT_EVERY_NS)
		return r->stopped;
	r->last_ns = now;
	return image_report_call(r);
}

bool image_report_end(struct image_report *r)
{
	image_report_rate(r, time_mono_ns());
	r->p.last = true;
	return image_report_call(r);
}

int image_error_wrap(struct vmt_error *err, int code, const char *prefix)
{
	if (!err)
		return code;
	vmt_error_prefix(err, "%s", prefix);
	err->code = code;
	return code;
}

size_t image_digest_hex_len(enum image_digest kind)
{
	return kind == IMAGE_DIGEST_SHA512 ? 128 : 64;
}

static bool image_hex_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static void image_hex_copy(char *dst, const char *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[len] = '\0';
}

int image_checksum_parse(const char *s, enum image_digest *kind,
			 char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	size_t len;

	if (colon && (size_t)(colon - s) == 6 && strncasecmp(s, "sha256", 6) == 0)
		*kind = IMAGE_DIGEST_SHA256;
	else if (colon && (size_t)(colon - s) == 6 && strncasecmp(s, "sha512", 6) == 0)
		*kind = IMAGE_DIGEST_SHA512;
	else
		return vmt_error_set(err, -EINVAL, "checksum '%s' is not sha256:HEX or sha512:HEX",
				     s ? s : "");
	len = image_digest_hex_len(*kind);
	if (strlen(colon + 1) != len || !image_hex_valid(colon + 1, len))
		return vmt_error_set(err, -EINVAL, "checksum: a %s digest is %zu hex digits",
				     image_digest_name(*kind), len);
	image_hex_copy(hex, colon + 1, len);
	return 0;
}

/* Whether a checksum file's name for a file is name: itself, or a path ending in it. */
static bool image_sums_name_is(const char *in_file, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (len < n || strncmp(in_file + len - n, name, n) != 0)
		return false;
	return len == n || in_file[len - n - 1] == '/';
}

/* "SHA256 (NAME) = HEX": the digest when the line is of that kind and names name. */
static const char *image_sums_bsd(const char *line, size_t len, const char *name,
				  enum image_digest kind)
{
	const char *algo = kind == IMAGE_DIGEST_SHA512 ? "SHA512 (" : "SHA256 (";
	const char *end = line + len, *close;
	size_t hexlen = image_digest_hex_len(kind);

	if (len < 8 + hexlen || strncasecmp(line, algo, 8) != 0)
		return NULL;
	close = end - hexlen - 4;	/* ") = " before the digest */
	if (close < line + 8 || strncmp(close, ") = ", 4) != 0)
		return NULL;
	if (!image_sums_name_is(line + 8, (size_t)(close - line - 8), name))
		return NULL;
	return close + 4;
}

/* "HEX  NAME", "HEX *NAME", or "HEX" alone (a file of one image's digest). */
static const char *image_sums_gnu(const char *line, size_t len, const char *name,
				  enum image_digest kind)
{
	size_t hexlen = image_digest_hex_len(kind);
	const char *rest = line + hexlen, *end = line + len;

	if (len < hexlen || !image_hex_valid(line, hexlen))
		return NULL;
	if (rest == end)
		return line;
	if (*rest != ' ' && *rest != '\t')
		return NULL;
	while (rest < end && (*rest == ' ' || *rest == '\t'))
		rest++;
	if (rest < end && *rest == '*')
		rest++;
	return image_sums_name_is(rest, (size_t)(end - rest), name) ? line : NULL;
}

static const char *image_sums_line(const char *line, size_t len, const char *name,
				   enum image_digest kind)
{
	const char *hex;
	size_t hexlen = image_digest_hex_len(kind);

	while (len && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	while (len && isspace((unsigned char)line[len - 1]))
		len--;
	hex = image_sums_bsd(line, len, name, kind);
	if (!hex)
		hex = image_sums_gnu(line, len, name, kind);
	return hex && image_hex_valid(hex, hexlen) ? hex : NULL;
}

int image_sums_find(const char *text, const char *name, enum image_digest kind,
		    char hex[IMAGE_DIGEST_HEX_MAX + 1], struct vmt_error *err)
{
	size_t hexlen = image_digest_hex_len(kind);
	char found[IMAGE_DIGEST_HEX_MAX + 1] = "";

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *h = image_sums_line(line, len, name, kind);

		line = nl ? nl + 1 : NULL;
		if (!h)
			continue;
		if (found[0] && strncasecmp(found, h, hexlen) != 0)
			return vmt_error_set(err, -EINVAL, "it gives two different %s digests of %s",
					     image_digest_name(kind), name);
		image_hex_copy(found, h, hexlen);
	}
	if (!found[0])
		return vmt_error_set(err, -EINVAL, "it has no %s digest of %s",
				     image_digest_name(kind), name);
	memcpy(hex, found, hexlen + 1);
	return 0;
}

int image_format_probe(const char *path, enum image_format *out,
		       struct vmt_error *err)
{
	static const unsigned char qcow2_magic[4] = { 'Q', 'F', 'I', 0xfb };
	unsigned char head[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return vmt_error_set(err, -EIO, "cannot open %s: %s", path, strerror(errno));
	n = pread(fd, head, sizeof(head), 0);
	close(fd);
	if (n < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
	*out = n == (ssize_t)sizeof(head) && memcmp(head, qcow2_magic, 4) == 0
		? IMAGE_FORMAT_QCOW2 : IMAGE_FORMAT_RAW;
	return 0;
}
