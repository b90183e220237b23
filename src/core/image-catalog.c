// SPDX-License-Identifier: GPL-2.0-or-later
/* image-catalog.c: reading images.conf, the catalogue of cloud images by name; a bad line is named with its number. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/core/image-priv.h"
#include "src/lib/paths.h"
#include "src/lib/util.h"

/* A catalogue is a few dozen lines; this is far beyond any real one. */
#define IMAGE_CATALOG_MAX_BYTES (1 << 20)
#define IMAGE_NAME_MAX 64

static const char *const image_format_names[IMAGE_FORMAT_N] = {
	[IMAGE_FORMAT_QCOW2] = "qcow2",
	[IMAGE_FORMAT_RAW] = "raw",
};

static const char *const image_digest_names[IMAGE_DIGEST_N] = {
	[IMAGE_DIGEST_SHA256] = "sha256",
	[IMAGE_DIGEST_SHA512] = "sha512",
};

const char *image_format_name(enum image_format f)
{
	return f < IMAGE_FORMAT_N ? image_format_names[f] : "?";
}

const char *image_digest_name(enum image_digest d)
{
	return d < IMAGE_DIGEST_N ? image_digest_names[d] : "?";
}

void image_catalog_init(struct image_catalog *cat)
{
	memset(cat, 0, sizeof(*cat));
}

static void image_entry_done(struct image_entry *e)
{
	free(e->name);
	free(e->title);
	free(e->os);
	free(e->url);
	free(e->checksum_url);
	free(e->file);
	free(e->user);
	free(e->origin);
	memset(e, 0, sizeof(*e));
}

void image_catalog_done(struct image_catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++)
		image_entry_done(&cat->entries[i]);
	free(cat->entries);
	image_catalog_init(cat);
}

const struct image_entry *image_catalog_find(const struct image_catalog *cat,
					     const char *name)
{
	for (size_t i = 0; name && i < cat->n; i++)
		if (str_eq(cat->entries[i].name, name))
			return &cat->entries[i];
	return NULL;
}

/* The parse of one file: its entries so far, and where it is. */
struct image_parse {
	struct image_catalog cat;
	struct image_entry *cur;	/* the section being read, or NULL */
	unsigned seen;			/* bit per key of cur already given */
	const char *path;
	int line;
	struct vmt_error *err;
};

static int image_parse_fail(struct image_parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int image_parse_fail(struct image_parse *p, const char *fmt, ...)
{
	char msg[VMT_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vmt_error_set(p->err, -EINVAL, "%s line %d: %s", p->path, p->line, msg);
}

static char *image_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool image_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > IMAGE_NAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/* A URL for libcurl: http(s), then printable ASCII without spaces or quotes. */
static bool image_url_valid(const char *s)
{
	const char *host;

	if (!str_starts_with(s, "http://") && !str_starts_with(s, "https://"))
		return false;
	host = strstr(s, "://") + 3;
	if (!*host || *host == '/')
		return false;
	for (const char *c = s; *c; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '"' || *c == '\'' || *c == '\\')
			return false;
	return true;
}

static void image_str_set(char **dst, const char *value)
{
	free(*dst);
	*dst = xstrdup(value);
}

static char *image_url_leaf(const char *url)
{
	const char *q = url + strcspn(url, "?#");
	const char *s = q;

	while (s > url && s[-1] != '/')
		s--;
	return xstrndup(s, (size_t)(q - s));
}

/* The keys of a section; the bit of each in image_parse.seen. */
enum image_key {
	IMAGE_KEY_TITLE, IMAGE_KEY_OS, IMAGE_KEY_URL, IMAGE_KEY_FORMAT,
	IMAGE_KEY_CHECKSUM, IMAGE_KEY_CHECKSUM_URL, IMAGE_KEY_FILE,
	IMAGE_KEY_USER, IMAGE_KEY_N,
};

static const char *const image_key_names[IMAGE_KEY_N] = {
	"title", "os", "url", "format", "checksum", "checksum-url", "file", "user",
};

/* Every entry needs these; title, os and file have defaults. */
#define IMAGE_KEYS_NEEDED ((1u << IMAGE_KEY_URL) | (1u << IMAGE_KEY_FORMAT) | \
	(1u << IMAGE_KEY_CHECKSUM) | (1u << IMAGE_KEY_CHECKSUM_URL) | (1u << IMAGE_KEY_USER))

static bool image_text_valid(const char *s)
{
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			return false;
	return true;
}

static int image_set_choice(struct image_parse *p, const char *key, const char *value,
			    const char *const *names, size_t n, int *out)
{
	int i = str_table_index(names, n, value);

	if (i < 0)
		return image_parse_fail(p, "%s '%s' is not %s or %s", key, value,
					names[0], names[1]);
	*out = i;
	return 0;
}

static int image_set_url(struct image_parse *p, const char *key, const char *value,
			 char **out)
{
	if (!image_url_valid(value))
		return image_parse_fail(p, "%s '%s' is not an http:// or https:// URL",
					key, value);
	image_str_set(out, value);
	return 0;
}

static int image_set_key(struct image_parse *p, enum image_key k, const char *value)
{
	struct image_entry *e = p->cur;
	int v = 0;

	switch (k) {
	case IMAGE_KEY_URL:
		return image_set_url(p, "url", value, &e->url);
	case IMAGE_KEY_CHECKSUM_URL:
		return image_set_url(p, "checksum-url", value, &e->checksum_url);
	case IMAGE_KEY_FORMAT:
		if (image_set_choice(p, "format", value, image_format_names,
				     IMAGE_FORMAT_N, &v) < 0)
			return -EINVAL;
		e->format = (enum image_format)v;
		return 0;
	case IMAGE_KEY_CHECKSUM:
		if (image_set_choice(p, "checksum", value, image_digest_names,
				     IMAGE_DIGEST_N, &v) < 0)
			return -EINVAL;
		e->digest = (enum image_digest)v;
		return 0;
	case IMAGE_KEY_FILE:
		if (strchr(value, '/') || strchr(value, ' '))
			return image_parse_fail(p, "file '%s' is not a file name", value);
		image_str_set(&e->file, value);
		return 0;
	case IMAGE_KEY_USER:
		if (!image_name_valid(value))
			return image_parse_fail(p, "user '%s' is not a user name", value);
		image_str_set(&e->user, value);
		return 0;
	case IMAGE_KEY_OS:
		image_str_set(&e->os, value);
		return 0;
	default:
		image_str_set(&e->title, value);
		return 0;
	}
}

static int image_parse_setting(struct image_parse *p, char *line)
{
	char *eq = strchr(line, '=');
	char *name, *value;
	int k;

	if (!eq)
		return image_parse_fail(p, "'%s' is neither [NAME] nor key = value", line);
	*eq = '\0';
	name = image_trim(line);
	value = image_trim(eq + 1);
	if (!p->cur)
		return image_parse_fail(p, "'%s' comes before any [NAME]", name);
	k = str_table_index(image_key_names, IMAGE_KEY_N, name);
	if (k < 0)
		return image_parse_fail(p, "unknown key '%s'", name);
	if (!*value)
		return image_parse_fail(p, "%s has no value", name);
	if (!image_text_valid(value))
		return image_parse_fail(p, "%s has a control character", name);
	if (p->seen & (1u << k))
		return image_parse_fail(p, "%s is given twice for [%s]", name, p->cur->name);
	p->seen |= 1u << k;
	return image_set_key(p, (enum image_key)k, value);
}

/* The section that just ended must have every key it needs. */
static int image_parse_close(struct image_parse *p)
{
	struct image_entry *e = p->cur;
	unsigned missing = IMAGE_KEYS_NEEDED & ~p->seen;

	if (!e)
		return 0;
	for (int k = 0; k < IMAGE_KEY_N; k++)
		if (missing & (1u << k))
			return vmt_error_set(p->err, -EINVAL, "%s line %d: [%s] has no %s",
					     p->path, e->line, e->name, image_key_names[k]);
	if (!e->title)
		e->title = xstrdup(e->name);
	if (!e->file)
		e->file = image_url_leaf(e->url);
	if (!*e->file)
		return vmt_error_set(p->err, -EINVAL,
				     "%s line %d: [%s]'s url names no file: give file = NAME",
				     p->path, e->line, e->name);
	p->cur = NULL;
	return 0;
}

static int image_parse_section(struct image_parse *p, char *line)
{
	size_t n = strlen(line);
	char *name;
	int r = image_parse_close(p);

	if (r < 0)
		return r;
	if (line[n - 1] != ']')
		return image_parse_fail(p, "'%s' has no closing ]", line);
	line[n - 1] = '\0';
	name = image_trim(line + 1);
	if (!image_name_valid(name))
		return image_parse_fail(p, "'%s' is not an image name (letters, digits, . _ -)",
					name);
	if (image_catalog_find(&p->cat, name))
		return image_parse_fail(p, "[%s] is given twice", name);
	p->cat.entries = xrealloc(p->cat.entries, (p->cat.n + 1) * sizeof(*p->cat.entries));
	p->cur = &p->cat.entries[p->cat.n++];
	memset(p->cur, 0, sizeof(*p->cur));
	p->cur->name = xstrdup(name);
	p->cur->origin = xstrdup(p->path);
	p->cur->line = p->line;
	p->seen = 0;
	return 0;
}

static int image_parse_line(struct image_parse *p, char *line)
{
	line = image_trim(line);
	if (!*line || *line == '#')
		return 0;
	if (*line == '[')
		return image_parse_section(p, line);
	return image_parse_setting(p, line);
}

/* Move the file's entries into cat, each replacing its namesake. */
static void image_catalog_merge(struct image_catalog *cat, struct image_catalog *add)
{
	for (size_t i = 0; i < add->n; i++) {
		struct image_entry *old =
			(struct image_entry *)image_catalog_find(cat, add->entries[i].name);

		if (old) {
			image_entry_done(old);
			*old = add->entries[i];
			continue;
		}
		cat->entries = xrealloc(cat->entries, (cat->n + 1) * sizeof(*cat->entries));
		cat->entries[cat->n++] = add->entries[i];
	}
	free(add->entries);
	image_catalog_init(add);
}

int image_catalog_parse(struct image_catalog *cat, const char *path,
			const char *text, struct vmt_error *err)
{
	struct image_parse p = { .path = path, .err = err };
	char *copy = xstrdup(text), *next;
	int r = 0;

	image_catalog_init(&p.cat);
	/* Split by hand: strtok would skip empty lines and shift the numbers. */
	for (char *line = copy; line && r == 0; line = next) {
		char *nl = strchr(line, '\n');

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		p.line++;
		r = image_parse_line(&p, line);
	}
	if (r == 0)
		r = image_parse_close(&p);
	free(copy);
	if (r < 0) {
		image_catalog_done(&p.cat);
		return r;
	}
	image_catalog_merge(cat, &p.cat);
	return 0;
}

static int image_catalog_load_file(struct image_catalog *cat, const char *path,
				   bool optional, struct vmt_error *err)
{
	char *text;
	int r = file_read_all(path, IMAGE_CATALOG_MAX_BYTES, &text, NULL, err);

	if (r == -ENOENT && optional)
		return 0;
	if (r < 0)
		return image_error_wrap(err, -EIO, "image catalogue");
	r = image_catalog_parse(cat, path, text, err);
	free(text);
	return r;
}

int image_catalog_load(struct image_catalog *cat, struct vmt_error *err)
{
	/* A build tree's data/images.conf beside the program, else the installed one. */
	char *shipped = paths_companion("VMTUI_IMAGES_CONF", "data/images.conf",
					VMTUI_PKGDATADIR);
	char *user = NULL;
	int r;

	if (!getenv("VMTUI_IMAGES_CONF") && access(shipped, F_OK) != 0) {
		free(shipped);
		shipped = xstrdup(VMTUI_PKGDATADIR "/images.conf");
	}
	r = image_catalog_load_file(cat, shipped, false, err);

	if (r == 0)
		r = paths_user_images_conf(&user, err);
	if (r == 0)
		r = image_catalog_load_file(cat, user, true, err);
	free(shipped);
	free(user);
	return r;
}
