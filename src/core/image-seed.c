/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image-seed.c: cloud-init NoCloud seeds (their YAML, and the file that holds their "cidata" volume) and the SSH public keys that go in. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/image-seed.h"
#include "src/lib/util.h"

/* --- YAML ------------------------------------------------------------- */

/* Whether cp may stand as it is inside a YAML double-quoted scalar (printable, not a quote or a line break). */
static bool seed_yaml_plain(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 0x20 && cp != 0x7f && cp != '"' && cp != '\\';
	/* C1 controls, U+2028/2029 (YAML 1.1 line breaks), the BOM, the two non-characters. */
	return cp >= 0xa0 && cp != 0x2028 && cp != 0x2029 && cp != 0xfeff &&
	       cp != 0xfffe && cp != 0xffff;
}

static void seed_yaml_escape(struct strbuf *sb, uint32_t cp)
{
	switch (cp) {
	case '"':
		strbuf_adds(sb, "\\\"");
		return;
	case '\\':
		strbuf_adds(sb, "\\\\");
		return;
	case '\n':
		strbuf_adds(sb, "\\n");
		return;
	case '\t':
		strbuf_adds(sb, "\\t");
		return;
	case '\r':
		strbuf_adds(sb, "\\r");
		return;
	}
	if (cp < 0x100)
		strbuf_addf(sb, "\\x%02x", (unsigned)cp);
	else
		strbuf_addf(sb, "\\u%04x", (unsigned)cp);
}

/*
 * s as one YAML double-quoted scalar: whatever it holds, it stays one
 * string value. A byte that is not UTF-8 is taken as Latin-1 (\xNN), so
 * the result is always valid UTF-8.
 */
static void seed_yaml_quote(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s);

	strbuf_adds(sb, "\"");
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, &cp);

		if (n == 0) {
			cp = (unsigned char)*s;
			n = 1;
			seed_yaml_escape(sb, cp);
		} else if (seed_yaml_plain(cp)) {
			strbuf_add(sb, s, n);
		} else {
			seed_yaml_escape(sb, cp);
		}
		s += n;
		len -= n;
	}
	strbuf_adds(sb, "\"");
}

/* "PREFIX"VALUE"\n", VALUE quoted. */
static void seed_yaml_line(struct strbuf *sb, const char *prefix, const char *value)
{
	strbuf_adds(sb, prefix);
	seed_yaml_quote(sb, value);
	strbuf_adds(sb, "\n");
}

char *image_seed_user_data(const struct image_seed *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, "#cloud-config\n");
	if (s->hostname)
		seed_yaml_line(&sb, "hostname: ", s->hostname);
	strbuf_adds(&sb, "manage_etc_hosts: true\n");
	if (s->ssh_key) {
		strbuf_adds(&sb, "ssh_authorized_keys:\n");
		seed_yaml_line(&sb, "  - ", s->ssh_key);
	}
	strbuf_adds(&sb, "ssh_pwauth: false\n");
	/*
	 * Later boots go without the seed (it is dropped after the first):
	 * cloud-init would take such a boot for a new instance and make new
	 * SSH host keys, so it is turned off once its first boot is done, as
	 * virt-install's cloud-init does.
	 */
	strbuf_adds(&sb, "runcmd:\n  - [touch, /etc/cloud/cloud-init.disabled]\n");
	return strbuf_detach(&sb);
}

char *image_seed_meta_data(const struct image_seed *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (s->instance_id)
		seed_yaml_line(&sb, "instance-id: ", s->instance_id);
	if (s->hostname)
		seed_yaml_line(&sb, "local-hostname: ", s->hostname);
	if (s->ssh_key) {
		strbuf_adds(&sb, "public-keys:\n");
		seed_yaml_line(&sb, "  - ", s->ssh_key);
	}
	return strbuf_detach(&sb);
}

/* --- the file ------------------------------------------------------------ */

static int seed_file_error(struct vmt_error *err, int e, const char *what, const char *path)
{
	return vmt_error_set(err, e == ENOSPC ? -ENOSPC : vmt_errno(e),
			     "cannot write the cloud-init seed %s: %s%s", path, what,
			     strerror(e));
}

/* Give tmp the name path unless something has that name already; tmp is gone after. */
static int seed_file_publish(const char *tmp, const char *path, struct vmt_error *err)
{
	int e;

	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	e = errno;
	/* A file system that cannot rename without replacing: a link cannot replace either. */
	if (e == EINVAL || e == ENOSYS) {
		if (link(tmp, path) == 0) {
			unlink(tmp);
			return 0;
		}
		e = errno;
	}
	if (e == EEXIST)
		return vmt_error_set(err, -EEXIST, "cannot write the cloud-init seed %s: "
				     "it already exists", path);
	return seed_file_error(err, e, "", path);
}

/* The folder's entry for the new name reaches the disk too; failing to is not fatal. */
static void seed_file_sync_dir(const char *path)
{
	char *dir = path_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Write the volume into the open temporary file fd (closed here). */
static int seed_file_fill(int fd, const char *path, const struct image_seed *s,
			  struct vmt_error *err)
{
	int ret;

	ret = image_seed_volume(fd, path, s, err);
	if (ret == 0 && fsync(fd) < 0)
		ret = seed_file_error(err, errno, "", path);
	if (close(fd) < 0 && ret == 0)
		ret = seed_file_error(err, errno, "", path);
	return ret;
}

int image_seed_write(const char *path, const struct image_seed *s, struct vmt_error *err)
{
	struct stat st;
	char *tmp;
	int fd, ret;

	if (str_empty(s->instance_id) || str_empty(s->hostname))
		return vmt_error_set(err, -EINVAL, "cannot write the cloud-init seed %s: "
				     "it needs the VM's UUID and name", path);
	if (lstat(path, &st) == 0)
		return vmt_error_set(err, -EEXIST, "cannot write the cloud-init seed %s: "
				     "it already exists", path);
	if (errno != ENOENT)
		return seed_file_error(err, errno, "", path);
	tmp = xasprintf("%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		char *dir = path_dirname(path), *what = xasprintf("cannot create a file in %s: ", dir);

		ret = seed_file_error(err, errno, what, path);
		free(what);
		free(dir);
		free(tmp);
		return ret;
	}
	ret = seed_file_fill(fd, path, s, err);
	if (ret == 0)
		ret = seed_file_publish(tmp, path, err);
	if (ret < 0)
		unlink(tmp);
	else
		seed_file_sync_dir(path);
	free(tmp);
	return ret;
}

/* --- SSH public keys ----------------------------------------------------- */

static const char *const seed_key_types[] = {
	"ssh-ed25519",
	"ssh-rsa",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
};

#define SEED_KEY_TYPES_TEXT "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, " \
	"sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com"

/* Open path for reading if it is a regular file of at most IMAGE_SSH_KEY_MAX bytes: the descriptor, or -EINVAL. */
static int seed_key_open(const char *path, struct vmt_error *err)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO given by mistake must not hang the open. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return vmt_error_set(err, -EINVAL, "the SSH key %s does not exist", path);
	if (fd < 0)
		return vmt_error_set(err, -EINVAL, "cannot read the SSH key %s: %s", path,
				     strerror(errno));
	if (fstat(fd, &st) < 0) {
		vmt_error_set(err, -EINVAL, "cannot read the SSH key %s: %s", path,
			      strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		vmt_error_set(err, -EINVAL, "the SSH key %s is a folder, not a file", path);
	} else if (!S_ISREG(st.st_mode)) {
		vmt_error_set(err, -EINVAL, "the SSH key %s is not a regular file", path);
	} else if (st.st_size > (off_t)IMAGE_SSH_KEY_MAX) {
		vmt_error_set(err, -EINVAL, "the SSH key %s is too big for a public key "
			      "(over %u KiB)", path, IMAGE_SSH_KEY_MAX / 1024);
	} else {
		return fd;
	}
	close(fd);
	return -EINVAL;
}

/* The file's bytes, NUL-terminated, read through the descriptor that was checked (the file may still grow). */
static int seed_key_load(const char *path, char **out, size_t *len, struct vmt_error *err)
{
	int fd = seed_key_open(path, err), e;
	size_t n = 0;
	char *buf;
	ssize_t r;

	if (fd < 0)
		return fd;
	buf = xmalloc(IMAGE_SSH_KEY_MAX + 2);
	do {
		r = read(fd, buf + n, IMAGE_SSH_KEY_MAX + 1 - n);
		if (r > 0)
			n += (size_t)r;
	} while ((r > 0 || (r < 0 && errno == EINTR)) && n <= IMAGE_SSH_KEY_MAX);
	e = errno;
	close(fd);
	if (r < 0 || n > IMAGE_SSH_KEY_MAX) {
		free(buf);
		if (r < 0)
			return vmt_error_set(err, -EINVAL, "cannot read the SSH key %s: %s",
					     path, strerror(e));
		return vmt_error_set(err, -EINVAL, "the SSH key %s is too big for a public key "
				     "(over %u KiB)", path, IMAGE_SSH_KEY_MAX / 1024);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int seed_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Standard base64 (RFC 4648), padded or not, into *out (freed by the caller); false when damaged. */
static bool seed_b64_decode(const char *s, size_t len, unsigned char **out, size_t *outlen)
{
	size_t pad = 0, n = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	unsigned char *buf;

	while (len && s[len - 1] == '=') {
		len--;
		pad++;
	}
	if (len == 0 || len % 4 == 1 || pad > 2 || (pad && (len + pad) % 4))
		return false;
	buf = xmalloc(len / 4 * 3 + 3);
	for (size_t i = 0; i < len; i++) {
		int v = seed_b64_value((unsigned char)s[i]);

		if (v < 0) {
			free(buf);
			return false;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[n++] = (unsigned char)(acc >> bits);
		}
	}
	*out = buf;
	*outlen = n;
	return true;
}

/* Whether blob is an SSH wire-format key of that type: uint32 length, the name, then its data. */
static bool seed_key_blob_is(const unsigned char *blob, size_t len, const char *type)
{
	size_t tlen = strlen(type);
	uint32_t n;

	if (len < 4)
		return false;
	n = (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 | blob[3];
	return n == tlen && len > 4 + tlen && memcmp(blob + 4, type, tlen) == 0;
}

/* Whether word could name an SSH key type ("ssh-dss", "x@y.com"), known or not. */
static bool seed_key_type_like(const char *word, size_t len)
{
	if (len == 0 || len > 64 || !memchr(word, '-', len))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = word[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '@' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

static int seed_key_not_public(const char *path, struct vmt_error *err)
{
	return vmt_error_set(err, -EINVAL, "%s is not an SSH public key "
			     "(one line \"TYPE BASE64 [COMMENT]\", as in a .pub file)", path);
}

/* Check the one line (trimmed) of a key file: its type and its base64. */
static int seed_key_check_line(const char *path, const char *line, struct vmt_error *err)
{
	size_t tlen = strcspn(line, " \t"), blen;
	const char *b64 = line + tlen;
	unsigned char *blob;
	size_t bloblen;
	char *type;
	bool ok;
	int i;

	b64 += strspn(b64, " \t");
	blen = strcspn(b64, " \t");
	if (!seed_key_type_like(line, tlen) || blen == 0)
		return seed_key_not_public(path, err);
	type = xstrndup(line, tlen);
	i = str_table_index(seed_key_types, ARRAY_SIZE(seed_key_types), type);
	if (i < 0) {
		vmt_error_set(err, -EINVAL, "%s is an SSH key of a type vmtui does not know, "
			      "'%s' (it knows " SEED_KEY_TYPES_TEXT ")", path, type);
		free(type);
		return -EINVAL;
	}
	free(type);
	ok = seed_b64_decode(b64, blen, &blob, &bloblen);
	if (ok) {
		ok = seed_key_blob_is(blob, bloblen, seed_key_types[i]);
		free(blob);
	}
	if (!ok)
		return vmt_error_set(err, -EINVAL, "the SSH key in %s is damaged: its base64 "
				     "does not decode to a %s key", path, seed_key_types[i]);
	return 0;
}

static bool seed_key_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The whole file's text: one line of a public key, maybe with blank lines around it. */
static int seed_key_parse(const char *path, const char *text, size_t len, char **line,
			  struct vmt_error *err)
{
	const char *start = text, *end;

	if (memchr(text, '\0', len))
		return seed_key_not_public(path, err);
	if (strstr(text, "PRIVATE KEY-----") || str_starts_with(text, "PuTTY-User-Key-File-"))
		return vmt_error_set(err, -EINVAL, "%s is a private key: give its .pub file", path);
	if (strstr(text, "---- BEGIN SSH2 PUBLIC KEY ----"))
		return vmt_error_set(err, -EINVAL, "%s is a public key in RFC 4716 form: "
				     "convert it with ssh-keygen -i -f %s", path, path);
	while (seed_key_blank(*start))
		start++;
	if (*start == '\0')
		return vmt_error_set(err, -EINVAL, "the SSH key %s is empty", path);
	end = start + strcspn(start, "\n");
	for (const char *p = end; *p; p++)
		if (!seed_key_blank(*p))
			return vmt_error_set(err, -EINVAL, "%s has more than one line: "
					     "give a file that holds one public key", path);
	while (end > start && seed_key_blank(end[-1]))
		end--;
	for (const char *p = start; p < end; p++)
		if ((unsigned char)*p < 0x20 ? *p != '\t' : *p == 0x7f)
			return seed_key_not_public(path, err);
	*line = xstrndup(start, (size_t)(end - start));
	if (seed_key_check_line(path, *line, err) < 0) {
		free(*line);
		*line = NULL;
		return -EINVAL;
	}
	return 0;
}

int image_ssh_key_read(const char *path, char **line, struct vmt_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	*line = NULL;
	ret = seed_key_load(path, &text, &len, err);
	if (ret < 0)
		return ret;
	ret = seed_key_parse(path, text, len, line, err);
	free(text);
	return ret;
}

char *image_ssh_key_default(void)
{
	static const char *const names[] = { "id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub" };
	const char *home = getenv("HOME");
	struct stat st;

	if (str_empty(home)) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (str_empty(home))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *p = xasprintf("%s/.ssh/%s", home, names[i]);

		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

char *image_ssh_key_private(const char *pub_path)
{
	size_t len = strlen(pub_path);
	struct stat st;
	char *p;

	if (len <= 4 || strcmp(pub_path + len - 4, ".pub") != 0 || pub_path[len - 5] == '/')
		return NULL;
	p = xstrndup(pub_path, len - 4);
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
		return p;
	free(p);
	return NULL;
}
