// SPDX-License-Identifier: GPL-2.0-or-later
/* image-http.c: HTTP(S) transfers through libcurl, in the image tools module: a checksum file into memory, an image into its .part file, resumed with Range. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <curl/curl.h>

#include "src/core/image-http.h"
#include "src/lib/util.h"

/* A checksum file is a few KiB; a server sending more is not sending one. */
#define IMAGE_SUMS_MAX_BYTES (4u << 20)
/* A transfer that moves nothing for this long is cut (and resumable). */
#define IMAGE_STALL_SECONDS 60L

static pthread_once_t image_curl_once = PTHREAD_ONCE_INIT;
static CURLcode image_curl_status;

static void image_curl_global(void)
{
	image_curl_status = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* One transfer and what its callbacks learnt. */
struct image_xfer {
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	const char *url;
	struct image_report *report;
	struct vmt_error *err;
	int fail;		/* an error a callback set (err is filled), or 0 */
	bool checked;		/* the response's status was looked at */
	long status;
	int64_t range_start;	/* Content-Range of the last response, or -1 */
	int64_t range_total;
	/* into memory */
	struct strbuf *mem;
	/* into a file */
	struct image_part *part;
	uint64_t written;	/* by this response */
	bool discard;		/* a 416's body: not part of the image */
};

static void image_human(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= (1ull << 30))
		snprintf(buf, len, "%.1f GiB", (double)bytes / (double)(1ull << 30));
	else
		snprintf(buf, len, "%.1f MiB", (double)bytes / (double)(1ull << 20));
}

/* "Content-Range: bytes A-B/T" or "bytes * /T" (a 416's). */
static void image_xfer_content_range(struct image_xfer *x, const char *v)
{
	unsigned long long a, b, t;

	while (*v == ' ')
		v++;
	if (sscanf(v, "bytes %llu-%llu/%llu", &a, &b, &t) == 3) {
		x->range_start = (int64_t)a;
		x->range_total = (int64_t)t;
	} else if (sscanf(v, "bytes */%llu", &t) == 1) {
		x->range_total = (int64_t)t;
	}
}

static size_t image_xfer_header(char *data, size_t size, size_t n, void *opaque)
{
	struct image_xfer *x = opaque;
	size_t len = size * n;
	char line[256];

	if (len >= sizeof(line))
		return len;
	memcpy(line, data, len);
	line[len] = '\0';
	/* Each response of a redirect chain starts again. */
	if (str_starts_with(line, "HTTP/")) {
		x->range_start = -1;
		x->range_total = -1;
	} else if (strncasecmp(line, "Content-Range:", 14) == 0) {
		image_xfer_content_range(x, line + 14);
	}
	return len;
}

static int image_xfer_progress(void *opaque, curl_off_t dltotal, curl_off_t dlnow,
			       curl_off_t ultotal, curl_off_t ulnow)
{
	struct image_xfer *x = opaque;
	uint64_t base = x->part ? x->part->offset : 0;

	if (!x->report)
		return 0;
	return image_report(x->report, base + (uint64_t)dlnow,
			    dltotal > 0 ? base + (uint64_t)dltotal : 0) ? 1 : 0;
}

static int image_xfer_http_fail(struct image_xfer *x)
{
	x->fail = vmt_error_set(x->err, -EIO, "cannot download %s: the server answered HTTP %ld",
				x->url, x->status);
	return x->fail;
}

static size_t image_xfer_mem(char *data, size_t size, size_t n, void *opaque)
{
	struct image_xfer *x = opaque;
	size_t len = size * n;

	if (!x->checked) {
		x->checked = true;
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &x->status);
		if (x->status >= 300)
			return image_xfer_http_fail(x), 0;
	}
	if (x->mem->len + len > IMAGE_SUMS_MAX_BYTES) {
		x->fail = vmt_error_set(x->err, -EIO, "%s is over %u MiB: not a checksum file",
					x->url, IMAGE_SUMS_MAX_BYTES >> 20);
		return 0;
	}
	strbuf_add(x->mem, data, len);
	return len;
}

/* Before the first byte: enough room on the cache's disk for what is coming? */
static int image_part_room(struct image_xfer *x)
{
	struct statvfs vfs;
	curl_off_t left = -1;
	uint64_t avail;
	char need[32], have[32];

	curl_easy_getinfo(x->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &left);
	if (left <= 0 || fstatvfs(x->part->fd, &vfs) < 0)
		return 0;
	avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if ((uint64_t)left <= avail)
		return 0;
	image_human(need, sizeof(need), (uint64_t)left);
	image_human(have, sizeof(have), avail);
	x->fail = vmt_error_set(x->err, -ENOSPC,
				"no space for %s in %s: it needs %s more, the disk has %s free",
				x->part->name, x->part->dir, need, have);
	return x->fail;
}

/* The response to a Range request: the bytes asked for, or (a 200) all of them again. */
static int image_part_start(struct image_xfer *x)
{
	struct image_part *p = x->part;

	curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->status == 416 && p->offset > 0) {
		x->discard = true;
		return 0;
	}
	if (x->status >= 300)
		return image_xfer_http_fail(x);
	if (x->status == 206 && x->range_start < 0) {
		x->fail = vmt_error_set(x->err, -EIO,
					"cannot resume %s: the server's partial answer has no Content-Range",
					x->url);
		return x->fail;
	}
	if (x->status == 206 && x->range_start != (int64_t)p->offset) {
		x->fail = vmt_error_set(x->err, -EIO,
					"cannot resume %s: the server sent bytes from %lld, not %llu",
					x->url, (long long)x->range_start,
					(unsigned long long)p->offset);
		return x->fail;
	}
	if (x->status != 206 && p->offset > 0) {
		/* The server ignored Range: start the file again from its first byte. */
		if (ftruncate(p->fd, 0) < 0) {
			x->fail = vmt_error_set(x->err, -EIO, "cannot truncate %s: %s",
						p->path, strerror(errno));
			return x->fail;
		}
		p->offset = 0;
		p->restarted = true;
		if (x->report)
			x->report->p.resumed = 0;
	}
	return image_part_room(x);
}

static int image_part_write_fail(struct image_xfer *x, int e)
{
	char done[32];
	struct image_part *p = x->part;

	image_human(done, sizeof(done), p->offset + x->written);
	if (e == ENOSPC || e == EDQUOT)
		x->fail = vmt_error_set(x->err, -ENOSPC,
					"no space left for %s in %s (after %s)", p->name,
					p->dir, done);
	else
		x->fail = vmt_error_set(x->err, -EIO, "cannot write %s: %s", p->path,
					strerror(e));
	return x->fail;
}

static size_t image_xfer_file(char *data, size_t size, size_t n, void *opaque)
{
	struct image_xfer *x = opaque;
	size_t len = size * n, off = 0;

	if (!x->checked) {
		x->checked = true;
		if (image_part_start(x) < 0)
			return 0;
	}
	if (x->discard)
		return len;
	while (off < len) {
		ssize_t w = pwrite(x->part->fd, data + off, len - off,
				   (off_t)(x->part->offset + x->written));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return image_part_write_fail(x, w < 0 ? errno : ENOSPC), 0;
		off += (size_t)w;
		x->written += (uint64_t)w;
	}
	return len;
}

static int image_xfer_init(struct image_xfer *x, const char *url, struct vmt_error *err)
{
	CURL *c;

	pthread_once(&image_curl_once, image_curl_global);
	if (image_curl_status != CURLE_OK)
		return vmt_error_set(err, -EIO, "libcurl: %s", curl_easy_strerror(image_curl_status));
	c = curl_easy_init();
	if (!c)
		return vmt_error_set(err, -EIO, "libcurl cannot start a transfer");
	x->curl = c;
	x->url = url;
	x->err = err;
	x->range_start = x->range_total = -1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Mirrors redirect; never from https down to plain http. */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
			 str_starts_with(url, "https:") ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, IMAGE_STALL_SECONDS);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vmtui/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, image_xfer_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, image_xfer_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	return 0;
}

/* After a transfer that did not end in a 2xx: say why, in one line. */
static int image_xfer_error(struct image_xfer *x, CURLcode rc)
{
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);

	if (x->fail)
		return x->fail;
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return vmt_error_set(x->err, -ECANCELED, "download of %s stopped%s",
				     x->part ? x->part->name : x->url,
				     x->part ? ": pulling it again resumes it" : "");
	if (rc == CURLE_OK)
		return image_xfer_http_fail(x);
	return vmt_error_set(x->err, -EIO, "cannot download %s: %s", x->url, why);
}

static int http_get_text(const char *url, struct image_report *report, char **out,
			 struct vmt_error *err)
{
	struct image_xfer x = { 0 };
	struct strbuf sb;
	CURLcode rc;
	int r = image_xfer_init(&x, url, err);

	if (r < 0)
		return r;
	strbuf_init(&sb);
	x.mem = &sb;
	x.report = report;
	curl_easy_setopt(x.curl, CURLOPT_WRITEFUNCTION, image_xfer_mem);
	curl_easy_setopt(x.curl, CURLOPT_WRITEDATA, &x);
	rc = curl_easy_perform(x.curl);
	curl_easy_getinfo(x.curl, CURLINFO_RESPONSE_CODE, &x.status);
	if (rc != CURLE_OK || x.status < 200 || x.status >= 300)
		r = image_xfer_error(&x, rc);
	curl_easy_cleanup(x.curl);
	if (r < 0) {
		strbuf_done(&sb);
		return r;
	}
	strbuf_add(&sb, "", 0);
	*out = strbuf_detach(&sb);
	return 0;
}

/* Errors a server's or a network's end of a transfer gives: the .part is worth resuming. */
static bool image_xfer_cut(CURLcode rc)
{
	return rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR ||
	       rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING ||
	       rc == CURLE_SEND_ERROR || rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM;
}

static int image_part_result(struct image_xfer *x, CURLcode rc)
{
	struct image_part *p = x->part;
	char done[32];

	if (rc == CURLE_OK && x->status >= 200 && x->status < 300) {
		p->offset += x->written;
		return 0;
	}
	p->offset += x->written;
	/* A 416 to a Range from the end of the file: it was all there already. */
	if (rc == CURLE_OK && x->status == 416 && p->offset > 0) {
		if (x->range_total >= 0 && (uint64_t)x->range_total == p->offset)
			return 0;
		p->stale = true;
	}
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		p->keep = true;
	if (x->fail || rc == CURLE_ABORTED_BY_CALLBACK || !image_xfer_cut(rc))
		return image_xfer_error(x, rc);
	p->keep = true;
	image_human(done, sizeof(done), p->offset);
	return vmt_error_set(x->err, -EIO,
			     "download of %s was cut after %s (%s): pulling it again resumes it",
			     p->name, done, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
}

static int http_get_part(struct image_part *part, struct image_report *report,
			 struct vmt_error *err)
{
	struct image_xfer x = { 0 };
	char range[32];
	CURLcode rc;
	int r = image_xfer_init(&x, part->url, err);

	if (r < 0)
		return r;
	x.part = part;
	x.report = report;
	curl_easy_setopt(x.curl, CURLOPT_WRITEFUNCTION, image_xfer_file);
	curl_easy_setopt(x.curl, CURLOPT_WRITEDATA, &x);
	/*
	 * CURLOPT_RANGE rather than CURLOPT_RESUME_FROM: with the latter
	 * libcurl fails on a server that ignores Range; this way a 200 starts
	 * the file over.
	 */
	if (part->offset > 0) {
		snprintf(range, sizeof(range), "%llu-", (unsigned long long)part->offset);
		curl_easy_setopt(x.curl, CURLOPT_RANGE, range);
	}
	rc = curl_easy_perform(x.curl);
	curl_easy_getinfo(x.curl, CURLINFO_RESPONSE_CODE, &x.status);
	r = image_part_result(&x, rc);
	curl_easy_cleanup(x.curl);
	return r;
}

const struct image_http_ops image_http_ops = {
	.get_text = http_get_text,
	.get_part = http_get_part,
};
