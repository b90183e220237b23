// SPDX-License-Identifier: GPL-2.0-or-later
/* check-image.c: unit tests of the image catalogue's parser, checksum files, digests, format probing and the cache's records. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "src/core/image-priv.h"
#include "src/core/image.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX128 HEX64 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA512_ABC "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
	"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"

static const char good_catalog[] =
	"# a comment\n"
	"\n"
	"[deb]\n"
	"title = Debian, for tests\n"
	"os = debian12\n"
	"url = https://example.org/images/deb.qcow2?x=1\n"
	"format = qcow2\n"
	"checksum = sha512\n"
	"checksum-url = https://example.org/images/SHA512SUMS\n"
	"user = debian\n"
	"  [ raw-one ]  \n"
	"url = http://127.0.0.1:8080/r.img\n"
	"format = raw\n"
	"checksum = sha256\n"
	"checksum-url = http://127.0.0.1:8080/CHECKSUM\n"
	"file = other-name.img\n"
	"user = root\n";

START_TEST(test_catalog_good)
{
	struct image_catalog cat;
	struct vmt_error err;
	const struct image_entry *e;

	image_catalog_init(&cat);
	ck_assert_int_eq(image_catalog_parse(&cat, "good.conf", good_catalog, &err), 0);
	ck_assert_uint_eq(cat.n, 2);
	e = image_catalog_find(&cat, "deb");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->title, "Debian, for tests");
	ck_assert_str_eq(e->os, "debian12");
	ck_assert_int_eq(e->format, IMAGE_FORMAT_QCOW2);
	ck_assert_int_eq(e->digest, IMAGE_DIGEST_SHA512);
	ck_assert_str_eq(e->file, "deb.qcow2");
	ck_assert_str_eq(e->user, "debian");
	ck_assert_int_eq(e->line, 3);
	e = image_catalog_find(&cat, "raw-one");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->title, "raw-one");
	ck_assert_ptr_null(e->os);
	ck_assert_int_eq(e->format, IMAGE_FORMAT_RAW);
	ck_assert_str_eq(e->file, "other-name.img");
	ck_assert_str_eq(e->origin, "good.conf");
	ck_assert_ptr_null(image_catalog_find(&cat, "nope"));
	image_catalog_done(&cat);
}
END_TEST

#define SECTION "[x]\nurl = http://h/x.img\nformat = raw\nchecksum = sha256\n" \
	"checksum-url = http://h/SUMS\n"

START_TEST(test_catalog_bad_lines)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "url = http://h/x\n", "line 1: 'url' comes before any [NAME]" },
		{ "\n\n[x\n", "line 3: '[x' has no closing ]" },
		{ "[a b]\n", "line 1: 'a b' is not an image name" },
		{ "[-x]\n", "line 1: '-x' is not an image name" },
		{ SECTION "user = u\ncolour = red\n", "line 7: unknown key 'colour'" },
		{ SECTION "user = u\njunk\n", "line 7: 'junk' is neither [NAME] nor key = value" },
		{ SECTION "user =\n", "line 6: user has no value" },
		{ SECTION "user = u\nuser = v\n", "line 7: user is given twice for [x]" },
		{ SECTION "user = a b\n", "line 6: user 'a b' is not a user name" },
		{ "[x]\nformat = vmdk\n", "line 2: format 'vmdk' is not qcow2 or raw" },
		{ "[x]\nchecksum = md5\n", "line 2: checksum 'md5' is not sha256 or sha512" },
		{ "[x]\nurl = ftp://h/x\n", "line 2: url 'ftp://h/x' is not an http:// or https:// URL" },
		{ "[x]\nurl = http:///x\n", "line 2: url 'http:///x' is not an http" },
		{ "[x]\nurl = http://h/a b\n", "line 2: url 'http://h/a b' is not" },
		{ "[x]\nchecksum-url = file:///etc/passwd\n", "line 2: checksum-url 'file:///etc/passwd'" },
		{ "[x]\nfile = ../x\n", "line 2: file '../x' is not a file name" },
		{ "[x]\ntitle = a\tb\n", "line 2: title has a control character" },
		{ SECTION "\n[y]\n", "line 1: [x] has no user" },
		{ SECTION "user = u\n[x]\n", "line 7: [x] is given twice" },
		{ "[x]\nurl = http://h/dir/\nformat = raw\nchecksum = sha256\n"
		  "checksum-url = http://h/S\nuser = u\n", "line 1: [x]'s url names no file" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct image_catalog cat;
		struct vmt_error err;

		image_catalog_init(&cat);
		ck_assert_msg(image_catalog_parse(&cat, "u.conf", cases[i].text, &err) == -EINVAL,
			      "case %zu was accepted", i);
		check_msg_has(&err, "u.conf ", cases[i].want);
		ck_assert_uint_eq(cat.n, 0);
		image_catalog_done(&cat);
	}
}
END_TEST

START_TEST(test_catalog_override)
{
	struct image_catalog cat;
	struct vmt_error err;
	const struct image_entry *e;

	image_catalog_init(&cat);
	ck_assert_int_eq(image_catalog_parse(&cat, "shipped", good_catalog, &err), 0);
	ck_assert_int_eq(image_catalog_parse(&cat, "user", SECTION "user = me\n"
					     "[deb]\nurl = http://mirror/d.qcow2\nformat = qcow2\n"
					     "checksum = sha256\nchecksum-url = http://mirror/S\n"
					     "user = other\n", &err), 0);
	ck_assert_uint_eq(cat.n, 3);
	/* Replaced whole, in its place; the new one after the shipped ones. */
	ck_assert_str_eq(cat.entries[0].name, "deb");
	ck_assert_str_eq(cat.entries[0].url, "http://mirror/d.qcow2");
	ck_assert_str_eq(cat.entries[0].user, "other");
	ck_assert_ptr_null(cat.entries[0].os);
	ck_assert_str_eq(cat.entries[0].origin, "user");
	ck_assert_str_eq(cat.entries[2].name, "x");
	/* A bad file changes nothing. */
	ck_assert_int_eq(image_catalog_parse(&cat, "bad", "[deb]\nbogus = 1\n", &err), -EINVAL);
	e = image_catalog_find(&cat, "deb");
	ck_assert_str_eq(e->user, "other");
	ck_assert_uint_eq(cat.n, 3);
	image_catalog_done(&cat);
}
END_TEST

START_TEST(test_catalog_shipped)
{
	static const struct { const char *name, *user; enum image_digest digest; } want[] = {
		{ "debian-12", "debian", IMAGE_DIGEST_SHA512 },
		{ "debian-13", "debian", IMAGE_DIGEST_SHA512 },
		{ "ubuntu-22.04", "ubuntu", IMAGE_DIGEST_SHA256 },
		{ "ubuntu-24.04", "ubuntu", IMAGE_DIGEST_SHA256 },
		{ "fedora-42", "fedora", IMAGE_DIGEST_SHA256 },
		{ "alpine-3.22", "alpine", IMAGE_DIGEST_SHA512 },
	};
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/data/images.conf", top ? top : ".");
	struct image_catalog cat;
	struct vmt_error err;

	setenv("VMTUI_IMAGES_CONF", path, 1);
	setenv("XDG_CONFIG_HOME", check_tmpdir, 1);
	image_catalog_init(&cat);
	ck_assert_msg(image_catalog_load(&cat, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(cat.n, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct image_entry *e = image_catalog_find(&cat, want[i].name);

		ck_assert_msg(e != NULL, "%s is not in the shipped catalogue", want[i].name);
		ck_assert_str_eq(e->user, want[i].user);
		ck_assert_int_eq(e->digest, want[i].digest);
		ck_assert(str_starts_with(e->url, "https://"));
		ck_assert(str_starts_with(e->checksum_url, "https://"));
		ck_assert_int_eq(e->format, IMAGE_FORMAT_QCOW2);
		ck_assert_ptr_nonnull(e->os);
	}
	image_catalog_done(&cat);
	free(path);
}
END_TEST

START_TEST(test_sums_formats)
{
	static const struct { const char *text, *name; enum image_digest kind; const char *hex; } ok[] = {
		{ HEX64 "  a.qcow2\n" "ffff" HEX64 "  b.qcow2\n", "a.qcow2", IMAGE_DIGEST_SHA256, HEX64 },
		{ "zzz\n" HEX64 " *noble.img\r\n", "noble.img", IMAGE_DIGEST_SHA256, HEX64 },
		{ HEX128 "  ./sub/deb.qcow2\n", "deb.qcow2", IMAGE_DIGEST_SHA512, HEX128 },
		{ "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
		  "# Fedora.qcow2: 5 bytes\n"
		  "SHA256 (Fedora.iso) = " HEX64 "\n"
		  "SHA256 (Fedora.qcow2) = " SHA256_ABC "\n"
		  "-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAd\n-----END PGP SIGNATURE-----\n",
		  "Fedora.qcow2", IMAGE_DIGEST_SHA256, SHA256_ABC },
		{ "SHA512 (x.img) = " HEX128 "\nSHA256 (x.img) = " HEX64 "\n", "x.img",
		  IMAGE_DIGEST_SHA256, HEX64 },
		{ HEX128 "\n", "alpine.qcow2", IMAGE_DIGEST_SHA512, HEX128 },
	};
	char hex[IMAGE_DIGEST_HEX_MAX + 1];
	struct vmt_error err;

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		ck_assert_msg(image_sums_find(ok[i].text, ok[i].name, ok[i].kind, hex, &err) == 0,
			      "case %zu: %s", i, err.msg);
		ck_assert_str_eq(hex, ok[i].hex);
	}
	/* Upper-case digits come back lower-case. */
	ck_assert_int_eq(image_sums_find("SHA256 (F.qcow2) = ABCDEF0123456789ABCDEF0123456789"
					 "ABCDEF0123456789ABCDEF0123456789\n", "F.qcow2",
					 IMAGE_DIGEST_SHA256, hex, &err), 0);
	ck_assert_str_eq(hex, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
}
END_TEST

START_TEST(test_sums_refused)
{
	char hex[IMAGE_DIGEST_HEX_MAX + 1];
	struct vmt_error err;

	/* A name that only ends like the image's is another file. */
	ck_assert_int_eq(image_sums_find(HEX64 "  xa.qcow2\n", "a.qcow2", IMAGE_DIGEST_SHA256, hex, &err), -EINVAL);
	/* A digest of the other kind does not count. */
	ck_assert_int_eq(image_sums_find(HEX128 "  a.qcow2\n", "a.qcow2", IMAGE_DIGEST_SHA256, hex, &err), -EINVAL);
	ck_assert_int_eq(image_sums_find(HEX64 "  a.qcow2\n", "a.qcow2", IMAGE_DIGEST_SHA512, hex, &err), -EINVAL);
	ck_assert_int_eq(image_sums_find("g" HEX64 "  a.qcow2\n", "a.qcow2", IMAGE_DIGEST_SHA256, hex, &err), -EINVAL);
	ck_assert_int_eq(image_sums_find("", "a.qcow2", IMAGE_DIGEST_SHA256, hex, &err), -EINVAL);
	check_msg_has(&err, "no sha256 digest of a.qcow2", NULL);
	ck_assert_int_eq(image_sums_find(HEX64 "  a.qcow2\n" SHA256_ABC "  a.qcow2\n", "a.qcow2",
					 IMAGE_DIGEST_SHA256, hex, &err), -EINVAL);
	check_msg_has(&err, "two different sha256 digests of a.qcow2", NULL);
	/* The same digest twice is fine. */
	ck_assert_int_eq(image_sums_find(HEX64 "  a.qcow2\n" HEX64 " *a.qcow2\n", "a.qcow2",
					 IMAGE_DIGEST_SHA256, hex, &err), 0);
}
END_TEST

START_TEST(test_checksum_parse)
{
	char hex[IMAGE_DIGEST_HEX_MAX + 1];
	enum image_digest kind;
	struct vmt_error err;

	ck_assert_int_eq(image_checksum_parse("SHA256:" SHA256_ABC, &kind, hex, &err), 0);
	ck_assert_int_eq(kind, IMAGE_DIGEST_SHA256);
	ck_assert_str_eq(hex, SHA256_ABC);
	ck_assert_int_eq(image_checksum_parse("sha512:" SHA512_ABC, &kind, hex, &err), 0);
	ck_assert_int_eq(kind, IMAGE_DIGEST_SHA512);
	ck_assert_int_eq(image_checksum_parse("md5:00", &kind, hex, &err), -EINVAL);
	check_msg_has(&err, "'md5:00' is not sha256:HEX or sha512:HEX", NULL);
	ck_assert_int_eq(image_checksum_parse("sha256:" HEX128, &kind, hex, &err), -EINVAL);
	check_msg_has(&err, "a sha256 digest is 64 hex digits", NULL);
	ck_assert_int_eq(image_checksum_parse("sha256", &kind, hex, &err), -EINVAL);
}
END_TEST

START_TEST(test_hash_and_probe)
{
	char *abc = check_tmpfile("abc", "abc", 3);
	char *q = check_tmpfile("q.qcow2", "QFI\xfb\0\0\0\3", 8);
	char *empty = check_tmpfile("empty", "", 0);
	char hex[IMAGE_DIGEST_HEX_MAX + 1];
	enum image_format f;
	struct vmt_error err;

	ck_assert_int_eq(image_hash_file(abc, IMAGE_DIGEST_SHA256, NULL, hex, &err), 0);
	ck_assert_str_eq(hex, SHA256_ABC);
	ck_assert_int_eq(image_hash_file(abc, IMAGE_DIGEST_SHA512, NULL, hex, &err), 0);
	ck_assert_str_eq(hex, SHA512_ABC);
	ck_assert_int_eq(image_hash_file("/nonexistent", IMAGE_DIGEST_SHA256, NULL, hex, &err), -EIO);
	ck_assert_int_eq(image_format_probe(q, &f, &err), 0);
	ck_assert_int_eq(f, IMAGE_FORMAT_QCOW2);
	ck_assert_int_eq(image_format_probe(abc, &f, &err), 0);
	ck_assert_int_eq(f, IMAGE_FORMAT_RAW);
	ck_assert_int_eq(image_format_probe(empty, &f, &err), 0);
	ck_assert_int_eq(f, IMAGE_FORMAT_RAW);
	free(abc);
	free(q);
	free(empty);
}
END_TEST

static int stop_at_once(const struct image_progress *p, void *ctx)
{
	(*(int *)ctx)++;
	return IMAGE_PROGRESS_STOP;
}

START_TEST(test_fetch_local)
{
	char *abc = check_tmpfile("abc.img", "abc", 3);
	const char *top = getenv("top_srcdir");
	char *conf = xasprintf("%s/data/images.conf", top ? top : ".");
	struct image_ref ref = { .spec = abc, .checksum = "sha256:" SHA256_ABC };
	struct image_file f;
	struct vmt_error err;
	int calls = 0;

	setenv("VMTUI_IMAGES_CONF", conf, 1);
	setenv("XDG_CONFIG_HOME", check_tmpdir, 1);
	ck_assert_int_eq(image_fetch(&ref, NULL, NULL, &f, &err), 0);
	ck_assert_str_eq(f.path, abc);
	ck_assert(f.verified && !f.downloaded);
	ck_assert_ptr_null(f.key);
	ck_assert_uint_eq(f.size, 3);
	image_file_done(&f);
	ref.checksum = "sha512:" SHA512_ABC;
	ck_assert_int_eq(image_fetch(&ref, stop_at_once, &calls, &f, &err), -ECANCELED);
	ck_assert_int_ge(calls, 1);
	ref.checksum = "sha256:" HEX64;
	ck_assert_int_eq(image_fetch(&ref, NULL, NULL, &f, &err), -EIO);
	check_msg_has(&err, "checksum mismatch", "ba7816bf8f01cfea");
	ref.spec = "/no/such.img";
	ck_assert_int_eq(image_fetch(&ref, NULL, NULL, &f, &err), -EINVAL);
	ref.spec = "debian-12";
	ck_assert_int_eq(image_fetch(&ref, NULL, NULL, &f, &err), -EINVAL);
	check_msg_has(&err, "a catalogue image has its own checksum file", NULL);
	ref.checksum = NULL;
	ref.spec = "no-such-image";
	ck_assert_int_eq(image_fetch(&ref, NULL, NULL, &f, &err), -EINVAL);
	check_msg_has(&err, "no image named 'no-such-image' in the catalogue", NULL);
	free(abc);
	free(conf);
}
END_TEST

START_TEST(test_cache_records)
{
	struct image_meta m = { .key = "deb", .url = "http://h/deb.qcow2",
				.format = IMAGE_FORMAT_QCOW2, .verified = true,
				.digest = IMAGE_DIGEST_SHA256, .size = 3 };
	char *dir = xasprintf("%s/vmtui/images", check_tmpdir);
	char *img, *meta, *part;
	struct image_cached *v;
	struct vmt_error err;
	uint64_t freed = 0;
	size_t n;
	int fd;

	setenv("XDG_CACHE_HOME", check_tmpdir, 1);
	ck_assert_int_eq(image_cache_list(&v, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(mkdir_p(dir, 0700, &err), 0);
	strcpy(m.hex, SHA256_ABC);
	img = xasprintf("%s/deb.qcow2", dir);
	meta = xasprintf("%s.meta", img);
	part = xasprintf("%s.part", img);
	ck_assert_int_eq(image_meta_write(meta, &m, &err), 0);
	free(check_tmpfile("vmtui/images/deb.qcow2", "abc", 3));
	free(check_tmpfile("vmtui/images/junk.meta", "not a record\n", 13));
	ck_assert_int_eq(image_cache_list(&v, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].key, "deb");
	ck_assert_str_eq(v[0].path, img);
	ck_assert_uint_eq(v[0].size, 3);
	ck_assert(v[0].verified);
	image_cache_list_free(v, n);
	/* A download in progress holds its .part's lock: no removal under it. */
	fd = open(part, O_RDWR | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	ck_assert_int_eq(image_cache_remove("deb", &freed, &err), -EBUSY);
	close(fd);
	ck_assert_int_eq(image_cache_remove("deb", &freed, &err), 0);
	ck_assert_int_ne(access(img, F_OK), 0);
	ck_assert_int_ne(access(meta, F_OK), 0);
	ck_assert_int_ne(access(part, F_OK), 0);
	ck_assert_int_eq(image_cache_remove("deb", &freed, &err), -EINVAL);
	free(dir);
	free(img);
	free(meta);
	free(part);
}
END_TEST

static Suite *image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("image");

	tcase_add_checked_fixture(tc, check_tmpdir_setup, check_tmpdir_teardown);
	tcase_add_test(tc, test_catalog_good);
	tcase_add_test(tc, test_catalog_bad_lines);
	tcase_add_test(tc, test_catalog_override);
	tcase_add_test(tc, test_catalog_shipped);
	tcase_add_test(tc, test_sums_formats);
	tcase_add_test(tc, test_sums_refused);
	tcase_add_test(tc, test_checksum_parse);
	tcase_add_test(tc, test_hash_and_probe);
	tcase_add_test(tc, test_fetch_local);
	tcase_add_test(tc, test_cache_records);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(image_suite());
}
