/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-seed.c: unit tests of the cloud-init seed (its YAML, the cidata volume read back with libisofs and blkid) and of SSH public key files. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIBISOFS_WITHOUT_LIBBURN 1
#include <libisofs/libisofs.h>

#include "src/core/image-seed.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

#define UUID "3f0c1a52-8d3e-4b7a-9a55-0c6f1e2d4b11"
/* A real ed25519 public key line, as ssh-keygen writes it. */
#define KEY_ED25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWgREG1nmLKLjzOpTfv2WC+pODepvMGX99p9nIhtvZa"
#define KEY_LINE KEY_ED25519 " alice@example"

/* --- reading a volume back with libisofs --------------------------------- */

#define VIEW_MAX 8

/* What one of the volume's trees shows: its label, its extensions, its root's files. */
struct view {
	char volume_id[64];
	bool rockridge, joliet;
	size_t n;
	char *names[VIEW_MAX];
	char *data[VIEW_MAX];
};

enum view_tree { VIEW_ROCKRIDGE, VIEW_JOLIET, VIEW_ISO9660 };

static char *view_file_read(IsoFile *file)
{
	IsoStream *stream = iso_file_get_stream(file);
	struct strbuf sb;
	char buf[4096];
	int n;

	strbuf_init(&sb);
	ck_assert_int_eq(iso_stream_open(stream), 1);
	while ((n = iso_stream_read(stream, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	ck_assert_int_eq(n, 0);
	iso_stream_close(stream);
	return strbuf_detach(&sb);
}

static void view_root_read(IsoImage *img, struct view *v)
{
	IsoDirIter *iter;
	IsoNode *node;

	ck_assert_int_eq(iso_dir_get_children(iso_image_get_root(img), &iter), 1);
	while (iso_dir_iter_next(iter, &node) == 1) {
		ck_assert_uint_lt(v->n, VIEW_MAX);
		ck_assert_int_eq(iso_node_get_type(node), LIBISO_FILE);
		v->names[v->n] = xstrdup(iso_node_get_name(node));
		v->data[v->n] = view_file_read((IsoFile *)node);
		v->n++;
	}
	iso_dir_iter_free(iter);
}

static void view_read(const char *path, enum view_tree tree, struct view *v)
{
	static char never[] = "NEVER", none[] = "";
	IsoReadImageFeatures *features;
	IsoDataSource *src;
	IsoReadOpts *opts;
	IsoImage *img;

	memset(v, 0, sizeof(*v));
	ck_assert_int_eq(iso_init_with_flag(1), 1);
	iso_set_msgs_severities(never, never, none);
	ck_assert_int_eq(iso_image_new("read", &img), 1);
	ck_assert_int_eq(iso_data_source_new_from_file(path, &src), 1);
	ck_assert_int_eq(iso_read_opts_new(&opts, 0), 1);
	iso_read_opts_set_no_rockridge(opts, tree != VIEW_ROCKRIDGE);
	iso_read_opts_set_no_joliet(opts, tree == VIEW_ISO9660);
	ck_assert_int_ge(iso_image_import(img, src, opts, &features), 0);
	snprintf(v->volume_id, sizeof(v->volume_id), "%s", iso_image_get_volume_id(img));
	v->rockridge = iso_read_image_features_has_rockridge(features);
	v->joliet = iso_read_image_features_has_joliet(features);
	view_root_read(img, v);
	iso_read_image_features_destroy(features);
	iso_read_opts_free(opts);
	iso_data_source_unref(src);
	iso_image_unref(img);
	iso_finish();
}

static void view_done(struct view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->names[i]);
		free(v->data[i]);
	}
}

/* The contents of the file called name, or NULL. */
static const char *view_find(const struct view *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return v->data[i];
	return NULL;
}

/* The folder holds exactly these names (NULL-terminated), nothing left over. */
static void dir_holds(const char *dir, const char *const *names)
{
	size_t want = 0, seen = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	while (names[want])
		want++;
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		bool known = false;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		for (size_t i = 0; i < want; i++)
			known = known || strcmp(names[i], de->d_name) == 0;
		ck_assert_msg(known, "%s is left in %s", de->d_name, dir);
		seen++;
	}
	closedir(d);
	ck_assert_uint_eq(seen, want);
}

/* --- the YAML ------------------------------------------------------------ */

/* cloud-init turns itself off after the first boot: later ones have no seed. */
#define RUNCMD "runcmd:\n  - [touch, /etc/cloud/cloud-init.disabled]\n"

START_TEST(test_yaml_default)
{
	struct image_seed s = { .instance_id = UUID, .hostname = "web-1", .ssh_key = KEY_LINE };
	char *ud = image_seed_user_data(&s), *md = image_seed_meta_data(&s);

	ck_assert_str_eq(ud,
		"#cloud-config\n"
		"hostname: \"web-1\"\n"
		"manage_etc_hosts: true\n"
		"ssh_authorized_keys:\n"
		"  - \"" KEY_LINE "\"\n"
		"ssh_pwauth: false\n"
		RUNCMD);
	ck_assert_str_eq(md,
		"instance-id: \"" UUID "\"\n"
		"local-hostname: \"web-1\"\n"
		"public-keys:\n"
		"  - \"" KEY_LINE "\"\n");
	free(ud);
	free(md);
	s.ssh_key = NULL;
	ud = image_seed_user_data(&s);
	md = image_seed_meta_data(&s);
	ck_assert_str_eq(ud, "#cloud-config\nhostname: \"web-1\"\nmanage_etc_hosts: true\n"
			 "ssh_pwauth: false\n" RUNCMD);
	ck_assert_str_eq(md, "instance-id: \"" UUID "\"\nlocal-hostname: \"web-1\"\n");
	ck_assert_ptr_null(strstr(ud, "fqdn"));
	free(ud);
	free(md);
}
END_TEST

/* Names and comments that try to end the scalar and add keys of their own. */
static const char evil_host[] = "x\"\nruncmd: [\"rm -rf /\"]\n'#\\\t\x01\x7f";
static const char evil_key[] = KEY_ED25519 " me' # }\r\n- \xe2\x80\xa8 \xc2\x85 \xef\xbb\xbf \xff caf\xc3\xa9";
#define EVIL_HOST_Q "\"x\\\"\\nruncmd: [\\\"rm -rf /\\\"]\\n'#\\\\\\t\\x01\\x7f\""
#define EVIL_KEY_Q "\"" KEY_ED25519 " me' # }\\r\\n- \\u2028 \\x85 \\ufeff \\xff caf\xc3\xa9\""

START_TEST(test_yaml_injection)
{
	struct image_seed s = { .instance_id = "i\"d", .hostname = evil_host, .ssh_key = evil_key };
	char *ud = image_seed_user_data(&s), *md = image_seed_meta_data(&s);

	ck_assert_str_eq(ud,
		"#cloud-config\n"
		"hostname: " EVIL_HOST_Q "\n"
		"manage_etc_hosts: true\n"
		"ssh_authorized_keys:\n"
		"  - " EVIL_KEY_Q "\n"
		"ssh_pwauth: false\n"
		RUNCMD);
	ck_assert_str_eq(md,
		"instance-id: \"i\\\"d\"\n"
		"local-hostname: " EVIL_HOST_Q "\n"
		"public-keys:\n"
		"  - " EVIL_KEY_Q "\n");
	free(ud);
	free(md);
}
END_TEST

/*
 * The same text through PyYAML, the parser cloud-init uses, when python3
 * has it: the keys are only vmtui's, the values the strings given.
 */
START_TEST(test_yaml_pyyaml)
{
	static const char prog[] =
		"import sys, json, yaml\n"
		"print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sort_keys=True))\n";
	struct image_seed s = { .instance_id = UUID, .hostname = evil_host, .ssh_key = evil_key };
	char *ud = image_seed_user_data(&s), *file, *cmd, out[4096];
	FILE *p;
	size_t n;

	if (system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
		fprintf(stderr, "check-seed: no python3 with PyYAML: the YAML is checked as text only\n");
		free(ud);
		return;
	}
	file = check_tmpfile("user-data", ud, strlen(ud));
	free(check_tmpfile("prog.py", prog, strlen(prog)));
	cmd = xasprintf("python3 '%s/prog.py' '%s'", check_tmpdir, file);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_str_eq(out,
		"{\"hostname\": \"x\\\"\\nruncmd: [\\\"rm -rf /\\\"]\\n'#\\\\\\t\\u0001\\u007f\", "
		"\"manage_etc_hosts\": true, "
		"\"runcmd\": [[\"touch\", \"/etc/cloud/cloud-init.disabled\"]], "
		"\"ssh_authorized_keys\": [\"" KEY_ED25519 " me' # }\\r\\n- \\u2028 \\u0085 "
		"\\ufeff \\u00ff caf\\u00e9\"], "
		"\"ssh_pwauth\": false}\n");
	free(cmd);
	free(file);
	free(ud);
}
END_TEST

/* --- the volume ---------------------------------------------------------- */

static void check_volume(const char *path, enum view_tree tree, const char *md,
			 const char *ud, const char *nc)
{
	struct view v;

	view_read(path, tree, &v);
	ck_assert_str_eq(v.volume_id, "cidata");
	ck_assert(v.rockridge);
	ck_assert(v.joliet);
	ck_assert_uint_eq(v.n, nc ? 3 : 2);
	ck_assert_pstr_eq(view_find(&v, "meta-data"), md);
	ck_assert_pstr_eq(view_find(&v, "user-data"), ud);
	if (nc)
		ck_assert_pstr_eq(view_find(&v, "network-config"), nc);
	view_done(&v);
}

START_TEST(test_write_default)
{
	static const char *const left[] = { "seed.iso", NULL };
	struct image_seed s = { .instance_id = UUID, .hostname = "web-1", .ssh_key = KEY_LINE };
	char *path = xasprintf("%s/seed.iso", check_tmpdir);
	char *ud = image_seed_user_data(&s), *md = image_seed_meta_data(&s);
	struct vmt_error err;
	struct stat st;

	ck_assert_int_eq(image_seed_write(path, &s, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_uint_eq(st.st_size % 2048, 0);
	dir_holds(check_tmpdir, left);
	/* Rock Ridge's names and Joliet's, as Linux mounts it: lower case. */
	check_volume(path, VIEW_ROCKRIDGE, md, ud, NULL);
	check_volume(path, VIEW_JOLIET, md, ud, NULL);
	free(ud);
	free(md);
	free(path);
}
END_TEST

START_TEST(test_write_user_files)
{
	static const char ud[] = "#cloud-config\npackages: [htop]\n";
	static const char nc[] = "version: 2\nethernets:\n  eth0:\n    dhcp4: true\n";
	struct image_seed s = { .instance_id = UUID, .hostname = "db", .ssh_key = KEY_LINE,
				.user_data = ud, .network_config = nc };
	char *path = xasprintf("%s/seed.iso", check_tmpdir), *md = image_seed_meta_data(&s);
	struct vmt_error err;
	struct view v;

	ck_assert_int_eq(image_seed_write(path, &s, &err), 0);
	check_volume(path, VIEW_ROCKRIDGE, md, ud, nc);
	check_volume(path, VIEW_JOLIET, md, ud, nc);
	/* Plain ISO 9660 has its own names; the files are the same three. */
	view_read(path, VIEW_ISO9660, &v);
	ck_assert_uint_eq(v.n, 3);
	ck_assert_ptr_null(view_find(&v, "meta-data"));
	ck_assert_pstr_eq(view_find(&v, "META_DATA"), md);
	view_done(&v);
	/* An empty file of the user's own is written empty. */
	unlink(path);
	s.user_data = "";
	s.network_config = NULL;
	ck_assert_int_eq(image_seed_write(path, &s, &err), 0);
	check_volume(path, VIEW_ROCKRIDGE, md, "", NULL);
	free(md);
	free(path);
}
END_TEST

/* What blkid prints for one tag of path, newline cut. */
static char *blkid_value(const char *path, const char *tag)
{
	char *cmd = xasprintf("blkid -o value -s %s '%s'", tag, path), out[256];
	FILE *p = popen(cmd, "r");
	size_t n;

	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	free(cmd);
	return xstrdup(out);
}

START_TEST(test_write_blkid)
{
	struct image_seed s = { .instance_id = UUID, .hostname = "web-1" };
	char *path = xasprintf("%s/seed.iso", check_tmpdir), *v;
	struct vmt_error err;

	if (system("command -v blkid >/dev/null 2>&1") != 0) {
		fprintf(stderr, "check-seed: no blkid: the label is checked with libisofs only\n");
		free(path);
		return;
	}
	ck_assert_int_eq(image_seed_write(path, &s, &err), 0);
	v = blkid_value(path, "LABEL");
	ck_assert_str_eq(v, "cidata");
	free(v);
	v = blkid_value(path, "TYPE");
	ck_assert_str_eq(v, "iso9660");
	free(v);
	free(path);
}
END_TEST

START_TEST(test_write_refused)
{
	static const char *const left[] = { "seed.iso", NULL };
	static const char *const none[] = { NULL };
	struct image_seed s = { .instance_id = UUID, .hostname = "web-1" };
	char *path = check_tmpfile("seed.iso", "keep", 4), *text, *missing;
	struct vmt_error err;

	ck_assert_int_eq(image_seed_write(path, &s, &err), -EEXIST);
	check_msg_has(&err, path, "already exists");
	ck_assert_int_eq(file_read_all(path, 100, &text, NULL, NULL), 0);
	ck_assert_str_eq(text, "keep");
	free(text);
	dir_holds(check_tmpdir, left);
	unlink(path);

	missing = xasprintf("%s/no/seed.iso", check_tmpdir);
	ck_assert_int_eq(image_seed_write(missing, &s, &err), -EIO);
	check_msg_has(&err, missing, "No such file or directory");

	s.instance_id = NULL;
	ck_assert_int_eq(image_seed_write(path, &s, &err), -EINVAL);
	check_msg_has(&err, path, "UUID");
	s.instance_id = UUID;
	s.hostname = "";
	ck_assert_int_eq(image_seed_write(path, &s, &err), -EINVAL);
	dir_holds(check_tmpdir, none);
	free(missing);
	free(path);
}
END_TEST

/* A write that fails partway (here: a file size limit, as a full disk would) leaves nothing. */
START_TEST(test_write_fails_partway)
{
	static const char *const none[] = { NULL };
	struct image_seed s = { .instance_id = UUID, .hostname = "web-1" };
	char *path = xasprintf("%s/seed.iso", check_tmpdir);
	struct rlimit old, lim;
	struct vmt_error err;
	void (*was)(int);
	int ret;

	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 8192;
	was = signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	ret = image_seed_write(path, &s, &err);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, was);
	ck_assert_int_eq(ret, -EFBIG);
	check_msg_has(&err, path, "File too large");
	dir_holds(check_tmpdir, none);
	free(path);
}
END_TEST

/* --- SSH public keys ----------------------------------------------------- */

static char *b64(const unsigned char *p, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < len ? p[i + 2] : 0);
		char q[4] = { abc[v >> 18], abc[v >> 12 & 63],
			      i + 1 < len ? abc[v >> 6 & 63] : '=', i + 2 < len ? abc[v & 63] : '=' };

		strbuf_add(&sb, q, 4);
	}
	return strbuf_detach(&sb);
}

/* "NAME BASE64" of a wire-format blob that names type (and carries some key bytes). */
static char *key_line(const char *name, const char *type)
{
	unsigned char blob[128];
	size_t n = strlen(type);
	char *enc, *line;

	blob[0] = blob[1] = blob[2] = 0;
	blob[3] = (unsigned char)n;
	memcpy(blob + 4, type, n);
	memset(blob + 4 + n, 0x5a, 37);
	enc = b64(blob, 4 + n + 37);
	line = xasprintf("%s %s", name, enc);
	free(enc);
	return line;
}

/* Write text to the scratch file name and read it as a key; the error in err. */
static int key_try(const char *name, const char *text, char **line, struct vmt_error *err)
{
	char *path = check_tmpfile(name, text, strlen(text));
	int ret = image_ssh_key_read(path, line, err);

	free(path);
	return ret;
}

START_TEST(test_key_good)
{
	static const char *const types[] = {
		"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
		"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
		"sk-ecdsa-sha2-nistp256@openssh.com",
	};
	struct vmt_error err;
	char *line, *want, *text;

	ck_assert_int_eq(key_try("a.pub", KEY_LINE "\n", &line, &err), 0);
	ck_assert_str_eq(line, KEY_LINE);
	free(line);
	/* CRLF, blanks around it, no comment, a blank line after. */
	ck_assert_int_eq(key_try("b.pub", "  " KEY_ED25519 " \r\n\n", &line, &err), 0);
	ck_assert_str_eq(line, KEY_ED25519);
	free(line);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		want = key_line(types[i], types[i]);
		text = xasprintf("%s a comment  with spaces\n", want);
		ck_assert_int_eq(key_try("c.pub", text, &line, &err), 0);
		text[strlen(text) - 1] = '\0';
		ck_assert_str_eq(line, text);
		free(line);
		free(text);
		free(want);
	}
	/* Unpadded base64 is taken too. */
	want = key_line("ssh-rsa", "ssh-rsa");
	want[strcspn(want, "=")] = '\0';
	ck_assert_int_eq(key_try("d.pub", want, &line, &err), 0);
	free(line);
	free(want);
}
END_TEST

START_TEST(test_key_bad)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "", "is empty" },
		{ " \n\r\n\t\n", "is empty" },
		{ "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
		  "-----END OPENSSH PRIVATE KEY-----\n", "is a private key: give its .pub file" },
		{ "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
		  "is a private key: give its .pub file" },
		{ "PuTTY-User-Key-File-3: ssh-ed25519\n", "is a private key: give its .pub file" },
		{ "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----\n",
		  "RFC 4716" },
		{ "hello world\n", "is not an SSH public key" },
		{ "ssh-ed25519\n", "is not an SSH public key" },
		{ "no-pty,command=\"x\" " KEY_LINE "\n", "is not an SSH public key" },
		{ "ssh-ed25519 AAAA\x01 x\n", "is not an SSH public key" },
		{ KEY_LINE "\n" KEY_LINE "\n", "has more than one line" },
		{ "ssh-dss AAAAB3NzaC1kc3MAAACBAP me\n", "type vmtui does not know, 'ssh-dss'" },
		{ "ecdsa-sha2-nistp999 AAAA x\n", "'ecdsa-sha2-nistp999'" },
		{ "ssh-ed25519 AAAAC3Nza!C1lZDI1NTE5 x\n", "is damaged" },
		{ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5A x\n", "is damaged" },
		{ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5=== x\n", "is damaged" },
		/* Good base64, but of an RSA key: the type says otherwise. */
		{ "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 x\n", "does not decode to a ssh-ed25519 key" },
		/* The name alone, no key after it. */
		{ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 x\n", "does not decode to a ssh-ed25519 key" },
	};
	struct vmt_error err;
	char *line, *path;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		path = check_tmpfile("k.pub", cases[i].text, strlen(cases[i].text));
		line = (char *)1;
		ck_assert_msg(image_ssh_key_read(path, &line, &err) == -EINVAL, "case %zu", i);
		ck_assert_ptr_null(line);
		check_msg_has(&err, path, cases[i].want);
		free(path);
	}
	/* The sentence exactly, for the private key a user gives by mistake. */
	path = check_tmpfile("id_ed25519", cases[2].text, strlen(cases[2].text));
	ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
	ck_assert_str_eq(err.msg + strlen(path), " is a private key: give its .pub file");
	ck_assert_int_eq(strncmp(err.msg, path, strlen(path)), 0);
	free(path);
	/* A NUL byte: binary, not a key. */
	path = check_tmpfile("bin.pub", "ssh-ed25519 \0AAAA", 17);
	ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
	check_msg_has(&err, path, "is not an SSH public key");
	free(path);
}
END_TEST

START_TEST(test_key_files)
{
	struct vmt_error err;
	char *path, *line, *big;
	size_t n = IMAGE_SSH_KEY_MAX + 1;

	path = xasprintf("%s/none.pub", check_tmpdir);
	ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
	check_msg_has(&err, path, "does not exist");
	free(path);

	path = xasprintf("%s/none/x.pub", check_tmpdir);
	ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
	check_msg_has(&err, path, "does not exist");
	free(path);

	ck_assert_int_eq(image_ssh_key_read(check_tmpdir, &line, &err), -EINVAL);
	check_msg_has(&err, check_tmpdir, "is a folder");

	path = xasprintf("%s/fifo.pub", check_tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
	check_msg_has(&err, path, "not a regular file");
	free(path);

	big = xmalloc(n);
	memset(big, 'A', n);
	memcpy(big, "ssh-ed25519 ", 12);
	path = check_tmpfile("big.pub", big, n);
	ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
	check_msg_has(&err, path, "too big");
	free(path);
	free(big);

	path = check_tmpfile("locked.pub", KEY_LINE, strlen(KEY_LINE));
	ck_assert_int_eq(chmod(path, 0), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(image_ssh_key_read(path, &line, &err), -EINVAL);
		check_msg_has(&err, path, "cannot read");
	} else {
		fprintf(stderr, "check-seed: root reads a mode-0 file: unreadable keys not checked\n");
	}
	free(path);
}
END_TEST

START_TEST(test_key_default)
{
	const char *old = getenv("HOME");
	char *saved = xstrdup_or_null(old), *ssh = xasprintf("%s/.ssh", check_tmpdir), *p, *want;
	static const char *const names[] = { "id_rsa.pub", "id_ecdsa.pub", "id_ed25519.pub" };

	ck_assert_int_eq(setenv("HOME", check_tmpdir, 1), 0);
	ck_assert_ptr_null(image_ssh_key_default());
	ck_assert_int_eq(mkdir(ssh, 0700), 0);
	ck_assert_ptr_null(image_ssh_key_default());
	/* Each one added wins over those before it: ed25519, then ecdsa, then rsa. */
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		want = xasprintf(".ssh/%s", names[i]);
		free(check_tmpfile(want, KEY_LINE, strlen(KEY_LINE)));
		free(want);
		want = xasprintf("%s/%s", ssh, names[i]);
		p = image_ssh_key_default();
		ck_assert_pstr_eq(p, want);
		free(p);
		free(want);
	}
	if (saved)
		setenv("HOME", saved, 1);
	else
		unsetenv("HOME");
	free(saved);
	free(ssh);
}
END_TEST

START_TEST(test_key_private)
{
	char *pub = check_tmpfile("id_x.pub", KEY_LINE, strlen(KEY_LINE));
	char *priv = xasprintf("%s/id_x", check_tmpdir), *p;

	ck_assert_ptr_null(image_ssh_key_private(pub));
	free(check_tmpfile("id_x", "secret", 6));
	p = image_ssh_key_private(pub);
	ck_assert_pstr_eq(p, priv);
	free(p);
	ck_assert_ptr_null(image_ssh_key_private(priv));
	ck_assert_ptr_null(image_ssh_key_private(".pub"));
	ck_assert_ptr_null(image_ssh_key_private("/tmp/.pub"));
	free(priv);
	free(pub);
}
END_TEST

static Suite *seed_suite(void)
{
	Suite *s = suite_create("seed");
	TCase *tc = tcase_create("seed");

	tcase_add_checked_fixture(tc, check_tmpdir_setup, check_tmpdir_teardown);
	/* Under valgrind the writes and python take longer than Check's 4 s. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_yaml_default);
	tcase_add_test(tc, test_yaml_injection);
	tcase_add_test(tc, test_yaml_pyyaml);
	tcase_add_test(tc, test_write_default);
	tcase_add_test(tc, test_write_user_files);
	tcase_add_test(tc, test_write_blkid);
	tcase_add_test(tc, test_write_refused);
	tcase_add_test(tc, test_write_fails_partway);
	tcase_add_test(tc, test_key_good);
	tcase_add_test(tc, test_key_bad);
	tcase_add_test(tc, test_key_files);
	tcase_add_test(tc, test_key_default);
	tcase_add_test(tc, test_key_private);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(seed_suite());
}
