// SPDX-License-Identifier: GPL-2.0-or-later
/* check-ssh.c: unit tests of vmtui ssh's pure parts: the jump host a libvirt URI names, and the ssh command line. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/core-ssh.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

/* The jump host core_ssh_jump gives for uri, "" for none, "!" for an error. */
static char *jump_of(const char *uri)
{
	struct vmt_error err;
	char *out = NULL;

	if (core_ssh_jump(uri, &out, &err) < 0) {
		ck_assert_ptr_null(out);
		check_msg_has(&err, "cannot read the SSH host", uri);
		return xstrdup("!");
	}
	return out ? out : xstrdup("");
}

START_TEST(test_jump)
{
	static const char *const cases[][2] = {
		{ "qemu+ssh://root@hv1/system", "root@hv1" },
		{ "qemu+ssh://hv1/system", "hv1" },
		{ "qemu+ssh://admin@hv1.example.org:2222/system?keyfile=/k&no_verify=1", "admin@hv1.example.org:2222" },
		{ "qemu+libssh2://me@hv2/system", "me@hv2" },
		{ "qemu+libssh://hv3:22/session", "hv3:22" },
		{ "qemu+ssh://root@[2001:db8::5]:2200/system", "root@[2001:db8::5]:2200" },
		{ "qemu+ssh://[2001:db8::5]/system", "[2001:db8::5]" },
		/* An escaped user, and a password that is not ssh's. */
		{ "qemu+ssh://first%2Elast@hv1/system", "first.last@hv1" },
		{ "qemu+ssh://root:secret@hv1/system", "root@hv1" },
		/* Not over SSH, or no host: none. */
		{ "qemu:///system", "" },
		{ "kvm:///", "" },
		{ "test:///default", "" },
		{ "qemu+tls://hv1/system", "" },
		{ "qemu+tcp://root@hv1:16509/system", "" },
		{ "qemu+unix:///system?socket=/x", "" },
		{ "qemu+ssh:///system", "" },
		{ "qemu+sshx://hv1/system", "" },
		{ "not a uri", "" },
		/* What ssh could take for an option, or no host: refused. */
		{ "qemu+ssh://-oProxyCommand=x/system", "!" },
		{ "qemu+ssh://-l@hv1/system", "!" },
		{ "qemu+ssh://root@/system", "!" },
		{ "qemu+ssh://hv1:0/system", "!" },
		{ "qemu+ssh://hv1:65536/system", "!" },
		{ "qemu+ssh://hv1:22x/system", "!" },
		{ "qemu+ssh://a:b:c/system", "!" },
		{ "qemu+ssh://[2001:db8::5/system", "!" },
		{ "qemu+ssh://ro%20ot@hv1/system", "!" },
		{ "qemu+ssh://root%@hv1/system", "!" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = jump_of(cases[i][0]);

		ck_assert_msg(strcmp(got, cases[i][1]) == 0, "%s: '%s', not '%s'", cases[i][0], got,
			      cases[i][1]);
		free(got);
	}
}
END_TEST

static char *joined(char **argv)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; argv[i]; i++)
		strbuf_addf(&sb, "%s<%s>", i ? " " : "", argv[i]);
	return strbuf_detach(&sb);
}

START_TEST(test_argv)
{
	struct core_ssh s = { 0 };
	char *const cmd[] = { "ls", "-l", "a b" };
	char **argv, *text;

	memcpy(s.uuid, "6695eb01-f6a4-8304-79aa-97f2502e193f", 37);
	s.user = xstrdup("debian");
	s.addr = xstrdup("192.168.122.3");
	s.port = 22;
	s.jump = xstrdup("root@hv1:2222");
	/* ssh expands % in both, and splits an -o value at blanks. */
	s.identity = xstrdup("/keys/100%/id");
	s.known_hosts = xstrdup("/home/a b/\"q\"/known_hosts");
	argv = core_ssh_argv(&s, "ssh", cmd, ARRAY_SIZE(cmd));
	text = joined(argv);
	ck_assert_str_eq(text, "<ssh> <-J> <root@hv1:2222> <-p> <22> <-i> </keys/100%%/id> "
			 "<-o> <IdentitiesOnly=yes> <-o> <StrictHostKeyChecking=accept-new> "
			 "<-o> <UserKnownHostsFile=\"/home/a b/\\\"q\\\"/known_hosts\"> "
			 "<-o> <HostKeyAlias=vmtui-6695eb01-f6a4-8304-79aa-97f2502e193f> "
			 "<debian@192.168.122.3> <--> <ls> <-l> <a b>");
	free(text);
	core_ssh_argv_free(argv);
	text = core_ssh_summary(&s);
	ck_assert_str_eq(text, "debian@192.168.122.3 port 22, through root@hv1:2222");
	free(text);

	/* No jump, key, known_hosts or command: none of their arguments. */
	free(s.jump);
	free(s.identity);
	free(s.known_hosts);
	s.jump = s.identity = s.known_hosts = NULL;
	free(s.addr);
	s.addr = xstrdup("2001:db8::7");
	argv = core_ssh_argv(&s, "my-ssh", NULL, 0);
	text = joined(argv);
	ck_assert_str_eq(text, "<my-ssh> <-p> <22> <-o> <StrictHostKeyChecking=accept-new> "
			 "<-o> <HostKeyAlias=vmtui-6695eb01-f6a4-8304-79aa-97f2502e193f> "
			 "<debian@2001:db8::7>");
	free(text);
	core_ssh_argv_free(argv);
	core_ssh_done(&s);
}
END_TEST

static Suite *ssh_suite(void)
{
	Suite *s = suite_create("ssh");
	TCase *tc = tcase_create("ssh");

	tcase_add_test(tc, test_jump);
	tcase_add_test(tc, test_argv);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(ssh_suite());
}
