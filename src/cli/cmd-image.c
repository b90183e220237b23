// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-image.c: vmtui image list|pull|rm: the catalogue of cloud images and the cache of downloaded ones. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

#define IMAGE_ROW "%-14s %-6s %-8s %-12s %s\n"

/* Ctrl-C stops a download at its next progress call (its .part stays to resume). */
static volatile sig_atomic_t image_interrupted;

static void image_on_signal(int sig)
{
	image_interrupted = 1;
}

void cmd_image_bar_init(struct cmd_image_bar *b)
{
	struct sigaction sa = { .sa_handler = image_on_signal };

	memset(b, 0, sizeof(*b));
	b->tty = isatty(STDOUT_FILENO);
	b->phase = -1;
	image_interrupted = 0;
	sigaction(SIGINT, &sa, &b->old_int);
	sigaction(SIGTERM, &sa, &b->old_term);
}

void cmd_image_bar_done(struct cmd_image_bar *b)
{
	if (b->open)
		fputc('\n', stdout);
	b->open = false;
	fflush(stdout);
	sigaction(SIGINT, &b->old_int, NULL);
	sigaction(SIGTERM, &b->old_term, NULL);
}

static int image_term_cols(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

/* One redraw of the bar: "NAME  42% [=====>     ] 12.0 MiB / 30.0 MiB  4.1 MiB/s  0:04". */
static void image_bar_draw(const struct image_progress *p, const char *label)
{
	char done[24], total[24], rate[24] = "", eta[16] = "";
	int cols = image_term_cols(), width, fill, pct;

	cli_format_bytes(done, sizeof(done), p->done);
	cli_format_bytes(total, sizeof(total), p->total);
	if (p->rate > 0) {
		cli_format_bytes(rate, sizeof(rate), (unsigned long long)p->rate);
		strcat(rate, "/s");
	}
	if (p->rate > 0 && p->total > p->done && !p->last) {
		unsigned long s = (unsigned long)((double)(p->total - p->done) / p->rate);

		snprintf(eta, sizeof(eta), "%lu:%02lu", s / 60, s % 60);
	}
	if (!p->total) {
		printf("\r%-12.12s %s  %s\033[K", label, done, rate);
		return;
	}
	pct = (int)(p->done * 100 / p->total);
	width = cols - 58;
	if (width < 10)
		width = 10;
	fill = (int)((uint64_t)width * p->done / p->total);
	printf("\r%-12.12s %3d%% [", label, pct > 100 ? 100 : pct);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '=' : i == fill ? '>' : ' ', stdout);
	printf("] %s / %s  %s  %s\033[K", done, total, rate, eta);
}

/* Without a terminal: one plain line as each phase ends. */
static void image_bar_plain(const struct image_progress *p)
{
	char done[24], resumed[24];

	if (!p->last)
		return;
	cli_format_bytes(done, sizeof(done), p->done);
	cli_format_bytes(resumed, sizeof(resumed), p->resumed);
	if (p->phase == IMAGE_PHASE_CHECKSUMS)
		printf("%s: checksum file read\n", p->name);
	else if (p->phase == IMAGE_PHASE_DOWNLOAD && p->resumed)
		printf("%s: downloaded %s (resumed after %s)\n", p->name, done, resumed);
	else if (p->phase == IMAGE_PHASE_DOWNLOAD)
		printf("%s: downloaded %s\n", p->name, done);
	else
		printf("%s: checksum verified\n", p->name);
}

int cmd_image_bar_progress(const struct image_progress *p, void *ctx)
{
	struct cmd_image_bar *b = ctx;

	if (!b->tty) {
		image_bar_plain(p);
	} else if (p->phase == IMAGE_PHASE_CHECKSUMS) {
		if (!b->open)
			printf("%s: reading the checksum file...", p->name);
		b->open = true;
		if (p->last) {
			printf("\r%s: checksum file read\033[K\n", p->name);
			b->open = false;
		}
	} else {
		image_bar_draw(p, p->phase == IMAGE_PHASE_VERIFY ? "verifying" : p->name);
		b->open = !p->last;
		if (p->last)
			fputc('\n', stdout);
	}
	fflush(stdout);
	return image_interrupted ? IMAGE_PROGRESS_STOP : 0;
}

/* The cache's column for an image: its size, what a cut download left, or "-". */
static void image_cached_text(const struct image_cached *c, char *buf, size_t len)
{
	char size[24];

	if (c && c->size) {
		cli_format_bytes(buf, len, c->size);
	} else if (c && c->part_size) {
		cli_format_bytes(size, sizeof(size), c->part_size);
		snprintf(buf, len, "part %s", size);
	} else {
		snprintf(buf, len, "-");
	}
}

static void image_json_one(struct json_writer *w, const struct image_entry *e,
			   const struct image_cached *c)
{
	json_object_begin(w);
	json_kv_string(w, "name", e ? e->name : c->key);
	json_kv_bool(w, "in_catalogue", e != NULL);
	json_kv_string(w, "title", e ? e->title : NULL);
	json_kv_string(w, "os", e ? e->os : NULL);
	json_kv_string(w, "url", e ? e->url : c->url);
	json_kv_string(w, "format", image_format_name(e ? e->format : c->format));
	json_kv_string(w, "checksum", e ? image_digest_name(e->digest) : NULL);
	json_kv_string(w, "checksum_url", e ? e->checksum_url : NULL);
	json_kv_string(w, "user", e ? e->user : NULL);
	json_kv_bool(w, "cached", c && c->size);
	json_kv_string(w, "path", c && c->size ? c->path : NULL);
	json_kv_uint(w, "size", c ? c->size : 0);
	json_kv_uint(w, "partial", c ? c->part_size : 0);
	json_object_end(w);
}

static void image_text_one(const struct image_entry *e, const struct image_cached *c)
{
	char cached[40];

	image_cached_text(c, cached, sizeof(cached));
	printf(IMAGE_ROW, e ? e->name : c->key,
	       image_format_name(e ? e->format : c->format), e ? e->user : "-", cached,
	       e ? e->title : c->url ? c->url : "(a cut download)");
}

static void image_list_print(const struct image_catalog *cat, const struct image_cached *v,
			     size_t n, struct json_writer *w)
{
	for (size_t i = 0; i < cat->n; i++) {
		const struct image_entry *e = &cat->entries[i];
		const struct image_cached *c = image_cache_find(v, n, e->name);

		if (w)
			image_json_one(w, e, c);
		else
			image_text_one(e, c);
	}
	/* Then what came from a URL, or from an entry since dropped. */
	for (size_t i = 0; i < n; i++) {
		if (image_catalog_find(cat, v[i].key))
			continue;
		if (w)
			image_json_one(w, NULL, &v[i]);
		else
			image_text_one(NULL, &v[i]);
	}
}

static int image_list(bool json)
{
	struct image_catalog cat;
	struct image_cached *v = NULL;
	struct json_writer w;
	struct vmt_error err;
	size_t n = 0;
	int r;

	image_catalog_init(&cat);
	r = image_catalog_load(&cat, &err);
	if (r == 0)
		r = image_cache_list(&v, &n, &err);
	if (r < 0) {
		image_catalog_done(&cat);
		return cli_fail(&err);
	}
	if (json) {
		json_init(&w, stdout);
		json_array_begin(&w);
	} else {
		printf(IMAGE_ROW, "NAME", "FORMAT", "USER", "CACHED", "WHAT");
	}
	image_list_print(&cat, v, n, json ? &w : NULL);
	if (json) {
		json_array_end(&w);
		json_done(&w);
	}
	image_cache_list_free(v, n);
	image_catalog_done(&cat);
	return CLI_EXIT_OK;
}

static void image_pull_report(const char *spec, const struct image_file *f)
{
	char size[24];
	const char *how = f->downloaded ? "downloaded to" : f->key ? "in the cache at" : "the file";

	cli_format_bytes(size, sizeof(size), f->size);
	printf("%s: %s %s (%s, %s", spec, how, f->path, size, image_format_name(f->format));
	if (f->verified)
		printf(", %s verified", image_digest_name(f->digest));
	else if (f->key)
		printf(", not verified: no checksum given (--checksum sha256:HEX checks it)");
	printf(")\n");
}

static int image_pull(const char *spec, const char *checksum)
{
	struct image_ref ref = { .spec = spec, .checksum = checksum };
	struct cmd_image_bar bar;
	struct image_file f;
	struct vmt_error err;
	int r;

	cmd_image_bar_init(&bar);
	r = image_fetch(&ref, cmd_image_bar_progress, &bar, &f, &err);
	cmd_image_bar_done(&bar);
	if (r < 0)
		return cli_fail(&err);
	image_pull_report(spec, &f);
	image_file_done(&f);
	return CLI_EXIT_OK;
}

static int image_rm(struct cli *cli, const char *name)
{
	struct core *core = NULL;
	struct image_catalog cat;
	struct vmt_error err;
	uint64_t freed = 0;
	char size[24];
	bool known;
	int r;

	image_catalog_init(&cat);
	r = image_catalog_load(&cat, &err);
	known = r == 0 && image_catalog_find(&cat, name);
	image_catalog_done(&cat);
	if (r < 0)
		return cli_fail(&err);
	if ((r = cli_core(cli, &core)))
		return r;
	r = core_image_remove(core, name, &freed, &err);
	if (r == -EINVAL && !known)
		vmt_error_set(&err, -EINVAL, "no image named '%s' in the catalogue or the cache",
			      name);
	else if (r == -EINVAL)
		vmt_error_set(&err, -EIO, "%s is not in the image cache", name);
	if (r < 0)
		return cli_fail(&err);
	cli_format_bytes(size, sizeof(size), freed);
	printf("%s: removed from the image cache (%s freed)\n", name, size);
	return CLI_EXIT_OK;
}

struct image_opts {
	bool json;
	const char *checksum;
};

static int image_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct image_opts *o = ctx;

	if (opt == 'j')
		o->json = true;
	else
		o->checksum = arg;
	return 0;
}

int cmd_image(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "checksum", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct image_opts o = { 0 };
	const char *verb;
	bool done;
	int argi, nargs, r = cli_parse(cmd, argc, argv, opts, image_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 2)))
		return r;
	verb = argv[argi];
	nargs = argc - argi - 1;
	if (!str_eq(verb, "list") && !str_eq(verb, "pull") && !str_eq(verb, "rm"))
		return cli_usage(cmd, "'%s' is not list, pull or rm", verb);
	if (str_eq(verb, "list") && nargs != 0)
		return cli_usage(cmd, "list takes no image name");
	if (!str_eq(verb, "list") && nargs != 1)
		return cli_usage(cmd, "%s needs one image name", verb);
	if (o.json && !str_eq(verb, "list"))
		return cli_usage(cmd, "--json is for list");
	if (o.checksum && !str_eq(verb, "pull"))
		return cli_usage(cmd, "--checksum is for pull");
	if (str_eq(verb, "list"))
		return image_list(o.json);
	if (str_eq(verb, "pull"))
		return image_pull(argv[argi + 1], o.checksum);
	return image_rm(cli, argv[argi + 1]);
}
