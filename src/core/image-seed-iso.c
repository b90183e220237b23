// SPDX-License-Identifier: GPL-2.0-or-later
/* image-seed-iso.c: the cloud-init seed's "cidata" ISO 9660 volume, made with libisofs, in the image tools module. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* libisofs then declares struct burn_source itself: vmtui reads the image from it without libburn. */
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <libisofs/libisofs.h>

#include "src/core/image-seed.h"
#include "src/lib/util.h"

/*
 * libisofs keeps global state (its message queue) that iso_init() sets up
 * and iso_finish() tears down, with no count of users. Only this file
 * uses libisofs, so each write sets it up and tears it down under this
 * lock: nothing is left over between seeds, and two threads never share it.
 */
static pthread_mutex_t seed_iso_lock = PTHREAD_MUTEX_INITIALIZER;

/* The volume label cloud-init's NoCloud source looks for. */
#define SEED_VOLUME_ID "cidata"

static int seed_iso_error(struct vmt_error *err, const char *path, int ret)
{
	return vmt_error_set(err, ret == (int)ISO_OUT_OF_MEM ? -ENOMEM : -EIO,
			     "cannot make the cloud-init seed %s: %s", path,
			     iso_error_to_msg(ret));
}

/* Add file name holding len bytes of text (a malloc'd buffer the image then owns). */
static int seed_iso_add(IsoImage *img, const char *name, char *text, size_t len)
{
	IsoStream *stream;
	int ret;

	ret = iso_memory_stream_new((unsigned char *)text, len, &stream);
	if (ret < 0) {
		free(text);
		return ret;
	}
	ret = iso_image_add_new_file(img, iso_image_get_root(img), name, stream, NULL);
	if (ret < 0)
		iso_stream_unref(stream);
	return ret < 0 ? ret : 0;
}

static int seed_iso_add_copy(IsoImage *img, const char *name, const char *text)
{
	return seed_iso_add(img, name, xstrdup(text), strlen(text));
}

/* The image's tree: meta-data, user-data, network-config. */
static int seed_iso_build(IsoImage **out, const struct image_seed *s)
{
	IsoImage *img;
	char *text;
	int ret;

	ret = iso_image_new(SEED_VOLUME_ID, &img);
	if (ret < 0)
		return ret;
	text = image_seed_meta_data(s);
	ret = seed_iso_add(img, "meta-data", text, strlen(text));
	if (ret == 0 && s->user_data) {
		ret = seed_iso_add_copy(img, "user-data", s->user_data);
	} else if (ret == 0) {
		text = image_seed_user_data(s);
		ret = seed_iso_add(img, "user-data", text, strlen(text));
	}
	if (ret == 0 && s->network_config)
		ret = seed_iso_add_copy(img, "network-config", s->network_config);
	if (ret < 0) {
		iso_image_unref(img);
		return ret;
	}
	*out = img;
	return 0;
}

/* Start libisofs' writer thread on img: Rock Ridge and Joliet, files 0444 owned by root. */
static int seed_iso_start(IsoImage *img, struct burn_source **bs)
{
	IsoWriteOpts *opts;
	int ret;

	/* Profile 2 ("distribution"): Rock Ridge and Joliet with neutral owners and modes. */
	ret = iso_write_opts_new(&opts, 2);
	if (ret < 0)
		return ret;
	iso_write_opts_set_rockridge(opts, 1);
	iso_write_opts_set_joliet(opts, 1);
	/*
	 * The label in lower case in the primary descriptor too, as
	 * genisoimage -V cidata writes it and as cloud-init's docs expect;
	 * ISO 9660 proper would upper-case it.
	 */
	iso_write_opts_set_relaxed_vol_atts(opts, 1);
	ret = iso_image_create_burn_source(img, opts, bs);
	iso_write_opts_free(opts);
	return ret < 0 ? ret : 0;
}

/* Copy the image's bytes from bs to fd. */
static int seed_iso_copy(struct burn_source *bs, int fd, const char *path,
			 struct vmt_error *err)
{
	unsigned char block[2048];
	int n, st, ret;

	while ((n = bs->read_xt(bs, block, sizeof(block))) > 0) {
		ret = fd_write_all(fd, block, (size_t)n);
		if (ret < 0)
			return vmt_error_set(err, vmt_errno(-ret),
					     "cannot write the cloud-init seed %s: %s",
					     path, strerror(-ret));
	}
	/* 3 and 7: the writer thread failed ("failing", "aborted"). */
	st = iso_ring_buffer_get_status(bs, NULL, NULL);
	if (n < 0 || st == 3 || st == 7)
		return vmt_error_set(err, -EIO, "cannot make the cloud-init seed %s: "
				     "libisofs failed to produce the image", path);
	return 0;
}

/* The whole volume into fd; call with seed_iso_lock held. */
static int seed_iso_write_locked(int fd, const char *path, const struct image_seed *s,
			  struct vmt_error *err)
{
	static char never[] = "NEVER", no_prefix[] = "";
	struct burn_source *bs = NULL;
	IsoImage *img = NULL;
	int ret;

	/* Flag bit 0: leave the process's locale alone (the names are ASCII). */
	ret = iso_init_with_flag(1);
	if (ret < 0)
		return seed_iso_error(err, path, ret);
	/* libisofs would print its fatal messages on stderr, where the TUI draws. */
	iso_set_msgs_severities(never, never, no_prefix);
	ret = seed_iso_build(&img, s);
	if (ret == 0)
		ret = seed_iso_start(img, &bs);
	if (ret < 0)
		ret = seed_iso_error(err, path, ret);
	else
		ret = seed_iso_copy(bs, fd, path, err);
	if (bs) {
		/* Stops the writer thread if the copy stopped early, and joins it. */
		bs->free_data(bs);
		free(bs);
	}
	if (img)
		iso_image_unref(img);
	iso_finish();
	return ret;
}

static int seed_iso_write(int fd, const char *path, const struct image_seed *s,
			  struct vmt_error *err)
{
	int ret;

	pthread_mutex_lock(&seed_iso_lock);
	ret = seed_iso_write_locked(fd, path, s, err);
	pthread_mutex_unlock(&seed_iso_lock);
	return ret;
}

const struct image_iso_ops image_iso_ops = {
	.write = seed_iso_write,
};
