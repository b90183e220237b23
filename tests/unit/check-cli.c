// SPDX-License-Identifier: GPL-2.0-or-later
/* check-cli.c: unit tests of the CLI's argument handling, exit statuses and JSON writer, and of starting a runner. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/kvm/kvm-backend-ctl.h"
#include "src/cli/cli-opts.h"
#include "src/cli/cli.h"
#include "src/core/config-file.h"
#include "src/lib/json.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

/* Run vmtui with the words of line against a scratch database; its exit status. */
static int run(const char *line)
{
	char *db = xasprintf("--db=%s/vmtui.db", check_tmpdir);
	char *copy = xstrdup(line);
	char *argv[32] = { "vmtui", db };
	int argc = 2, status;

	for (char *t = strtok(copy, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	status = cli_main(argc, argv);
	free(copy);
	free(db);
	return status;
}

START_TEST(test_exit_statuses)
{
	static const struct { const char *line; int status; } cases[] = {
		{ "--help", 0 },
		{ "--version", 0 },
		{ "--bogus", 2 },
		{ "frobnicate", 2 },
		{ "list --help", 0 },
		{ "list extra", 2 },
		{ "list --nope", 2 },
		{ "show", 2 },
		{ "create", 2 },
		{ "create a b", 2 },
		{ "create x --vcpus abc --kernel /k", 2 },
		{ "create x --memory 12Q --kernel /k", 2 },
		{ "create x --disk /x,format=vmdk --kernel /k", 2 },
		{ "create x --net wifi --kernel /k", 2 },
		{ "create x --remove-disk 1 --kernel /k", 2 },
		{ "create bad/name --kernel /k", 2 },
		{ "create x", 2 },
		{ "stats x --interval 0", 2 },
		{ "stats x --count 0", 2 },
		{ "snapshot x", 2 },
		{ "snapshot x bogus", 2 },
		{ "snapshot x create", 2 },
		{ "snapshot x list extra", 2 },
		{ "start", 2 },
		{ "start nosuchvm", 3 },
		{ "show nosuchvm", 3 },
		{ "delete nosuchvm", 3 },
		{ "-c kvm://x list", 2 },
		{ "-c kvm:///system list", 2 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_msg(run(cases[i].line) == cases[i].status,
			      "'vmtui %s' did not exit %d", cases[i].line, cases[i].status);
}
END_TEST

START_TEST(test_every_command_has_help)
{
	for (size_t i = 0; i < cli_n_commands; i++) {
		char *line = xasprintf("%s --help", cli_commands[i].name);

		ck_assert_msg(run(line) == 0, "%s --help failed", cli_commands[i].name);
		free(line);
	}
}
END_TEST

static int take(struct cli_vm_opts *o, const char *name, const char *arg)
{
	struct vmt_error err;

	for (const struct option *opt = cli_vm_longopts; opt->name; opt++)
		if (strcmp(opt->name, name) == 0)
			return cli_vm_opts_take(o, opt->val, arg, &err);
	ck_abort_msg("no option %s", name);
	return -1;
}

START_TEST(test_vm_options_apply)
{
	struct cli_vm_opts o;
	struct vm_def *def = vm_def_new();
	struct vmt_error err;
	char cwd[512];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	cli_vm_opts_init(&o);
	ck_assert_int_eq(take(&o, "vcpus", "3"), 0);
	ck_assert_int_eq(take(&o, "memory", "2G"), 0);
	ck_assert_int_eq(take(&o, "kernel", "./bzImage"), 0);
	ck_assert_int_eq(take(&o, "disk", "disk.img,size=1"), 0);
	ck_assert_int_eq(take(&o, "disk", "/abs.img"), 0);
	ck_assert_int_eq(take(&o, "net", "network:default"), 0);
	ck_assert_int_eq(take(&o, "net", "user"), 0);
	ck_assert_int_eq(take(&o, "cdrom", "x.iso"), 0);
	ck_assert_int_eq(take(&o, "firmware", "uefi"), 0);
	ck_assert_int_eq(cli_vm_opts_apply(&o, def, &err), 0);
	ck_assert_uint_eq(def->vcpus, 3);
	ck_assert_uint_eq(def->memory_mib, 2048);
	char *k = xasprintf("%s/bzImage", cwd);

	ck_assert_str_eq(def->kernel, k);
	free(k);
	ck_assert_uint_eq(def->n_disks, 3);
	ck_assert(str_starts_with(def->disks[0].path, cwd));
	ck_assert_int_eq(def->disks[2].device, VM_DISK_DEVICE_CDROM);
	ck_assert_uint_eq(def->n_nics, 2);
	ck_assert_int_eq(def->firmware, VM_FIRMWARE_UEFI);
	cli_vm_opts_done(&o);

	/* An edit: clear the kernel, drop disk 1 and the ISO, no network. */
	cli_vm_opts_init(&o);
	ck_assert_int_eq(take(&o, "kernel", ""), 0);
	ck_assert_int_eq(take(&o, "remove-disk", "1"), 0);
	ck_assert_int_eq(take(&o, "cdrom", ""), 0);
	ck_assert_int_eq(take(&o, "net", "none"), 0);
	ck_assert_int_eq(cli_vm_opts_apply(&o, def, &err), 0);
	ck_assert_ptr_null(def->kernel);
	ck_assert_uint_eq(def->n_disks, 1);
	ck_assert_str_eq(def->disks[0].path, "/abs.img");
	ck_assert_uint_eq(def->n_nics, 0);
	cli_vm_opts_done(&o);

	cli_vm_opts_init(&o);
	ck_assert_int_eq(take(&o, "remove-disk", "/not/there.img"), 0);
	ck_assert_int_eq(cli_vm_opts_apply(&o, def, &err), -EINVAL);
	check_msg_has(&err, "remove-disk", "/not/there.img");
	cli_vm_opts_done(&o);
	cli_vm_opts_init(&o);
	ck_assert_int_eq(take(&o, "graphics", "x11"), 0);
	ck_assert_int_eq(cli_vm_opts_apply(&o, def, &err), -EINVAL);
	check_msg_has(&err, "graphics:", "x11");
	cli_vm_opts_done(&o);
	ck_assert_int_eq(take(&o, "memory", "lots"), -EINVAL);
	ck_assert_int_eq(take(&o, "vcpus", "-1"), -EINVAL);
	cli_vm_opts_done(&o);
	vm_def_free(def);
}
END_TEST

START_TEST(test_json_writer)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_writer w;

	json_init(&w, f);
	json_array_begin(&w);
	json_object_begin(&w);
	json_kv_string(&w, "s", "q\"b\\n\n\x01é\xff");
	json_kv_uint(&w, "u", 18446744073709551615ull);
	json_kv_int(&w, "i", -5);
	json_kv_double(&w, "d", 0.5);
	json_kv_bool(&w, "b", false);
	json_kv_string(&w, "n", NULL);
	json_object_end(&w);
	json_array_begin(&w);
	json_array_end(&w);
	json_array_end(&w);
	json_done(&w);
	fclose(f);
	ck_assert_str_eq(buf, "[{\"s\":\"q\\\"b\\\\n\\u000a\\u0001é\\ufffd\","
			      "\"u\":18446744073709551615,\"i\":-5,\"d\":0.5,"
			      "\"b\":false,\"n\":null},[]]\n");
	free(buf);
}
END_TEST

START_TEST(test_sizes)
{
	uint64_t b;
	char s[32];

	ck_assert_int_eq(vm_size_parse("10", 1 << 30, &b), 0);
	ck_assert_uint_eq(b, 10ull << 30);
	ck_assert_int_eq(vm_size_parse("512m", 1 << 30, &b), 0);
	ck_assert_uint_eq(b, 512ull << 20);
	ck_assert_int_eq(vm_size_parse("1.5G", 1 << 30, &b), -EINVAL);
	ck_assert_int_eq(vm_size_parse("G", 1 << 30, &b), -EINVAL);
	cli_format_mib(s, sizeof(s), 2048);
	ck_assert_str_eq(s, "2 GiB");
	cli_format_mib(s, sizeof(s), 1536);
	ck_assert_str_eq(s, "1.5 GiB");
	cli_format_bytes(s, sizeof(s), 1536);
	ck_assert_str_eq(s, "1.5 KiB");
}
END_TEST

/* The config file: good settings apply, each bad line is named by its number and skipped. */
START_TEST(test_config_file)
{
	static const char text[] =
		"# a comment\n"
		"refresh = 2.5\n"
		"console = beside  # the wide screen\n"
		"console = sideways\n"
		"refresh = 0.1\n"
		"no equals sign\n"
		"connect = test:///default\n"
		"colour.running = green\n";
	struct config cfg;

	config_init(&cfg);
	config_parse(&cfg, "config", text);
	ck_assert(cfg.refresh == 2.5);
	ck_assert_int_eq(cfg.console, CONFIG_CONSOLE_BESIDE);
	ck_assert_uint_eq(cfg.n_connect, 1);
	ck_assert_str_eq(cfg.connect[0], "test:///default");
	ck_assert_uint_eq(cfg.n_problems, 4);
	ck_assert_str_eq(cfg.problems[0],
			 "line 4: console 'sideways' is not one of below, beside, full (skipped)");
	ck_assert_str_eq(cfg.problems[1],
			 "line 5: refresh '0.1' is not a number of seconds from 0.2 to 60 (skipped)");
	ck_assert_str_eq(cfg.problems[2],
			 "line 6: 'no equals sign' is not of the form setting = value (skipped)");
	ck_assert_str_eq(cfg.problems[3], "line 8: unknown setting 'colour.running' (skipped)");
	config_done(&cfg);
}
END_TEST

/*
 * A runner reports ready on fd 3 however the caller's standard
 * descriptors stand: with some closed, the ready pipe takes their numbers.
 */
START_TEST(test_spawn_closed_std_fds)
{
	static const int closed[][3] = { { 1, 2, -1 }, { 0, -1, -1 }, { 0, 1, 2 } };
	char *argv[] = { "/bin/sh", "-c", "echo OK >&3", NULL };
	char *log = xasprintf("%s/runner.log", check_tmpdir);
	int saved[3];

	for (int fd = 0; fd < 3; fd++)
		saved[fd] = dup(fd);
	for (size_t i = 0; i < ARRAY_SIZE(closed); i++) {
		struct vmt_error err = { 0 };
		int r;

		for (int k = 0; k < 3 && closed[i][k] >= 0; k++)
			close(closed[i][k]);
		r = kvm_spawn(argv, log, &err);
		for (int fd = 0; fd < 3; fd++)
			dup2(saved[fd], fd);
		ck_assert_msg(r == 0, "case %zu: %s", i, err.msg);
	}
	free(log);
}
END_TEST

/* A display in words, its viewer URI as virsh prints it, and the SSH tunnel to a remote one. */
START_TEST(test_display_text)
{
	struct vm_display vnc = {
		.type = "vnc", .listen = "127.0.0.1", .port = 5901, .tls_port = -1,
		.websocket = 5701, .host = "127.0.0.1", .ssh = "root@hv1", .ssh_port = 2222,
	};
	struct vm_display spice = {
		.type = "spice", .listen = "::", .port = 5930, .tls_port = 5931,
		.websocket = -1, .host = "hv1", .ssh = "hv1",
	};
	struct vm_display sock = {
		.type = "vnc", .socket = "/run/g.sock", .port = -1, .tls_port = -1,
		.websocket = -1, .ssh = "me@hv2",
	};
	struct vm_display later = {
		.type = "vnc", .listen = "10.0.0.5", .port = -1, .tls_port = -1,
		.websocket = -1, .autoport = true, .host = "10.0.0.5",
	};
	struct vm_display local;
	char *s;

	s = core_display_summary(&vnc);
	ck_assert_str_eq(s, "vnc on 127.0.0.1 port 5901, websocket 5701");
	free(s);
	s = core_display_uri(&vnc, NULL);
	ck_assert_str_eq(s, "vnc://127.0.0.1:1");
	free(s);
	s = core_display_tunnel(&vnc, &local);
	ck_assert_str_eq(s, "ssh -L 5901:127.0.0.1:5901 -p 2222 root@hv1");
	free(s);
	s = core_display_uri(&local, "localhost");
	ck_assert_str_eq(s, "vnc://localhost:1");
	free(s);

	s = core_display_uri(&spice, NULL);
	ck_assert_str_eq(s, "spice://hv1:5930?tls-port=5931");
	free(s);
	s = core_display_tunnel(&spice, &local);
	ck_assert_str_eq(s, "ssh -L 5930:localhost:5930 -L 5931:localhost:5931 hv1");
	free(s);
	s = core_display_uri(&spice, "::1");
	ck_assert_str_eq(s, "spice://[::1]:5930?tls-port=5931");
	free(s);

	s = core_display_summary(&sock);
	ck_assert_str_eq(s, "vnc on socket /run/g.sock");
	free(s);
	ck_assert_ptr_null(core_display_uri(&sock, NULL));
	s = core_display_tunnel(&sock, &local);
	ck_assert_str_eq(s, "ssh -L 5900:/run/g.sock me@hv2");
	free(s);
	s = core_display_uri(&local, "localhost");
	ck_assert_str_eq(s, "vnc://localhost:0");
	free(s);

	s = core_display_summary(&later);
	ck_assert_str_eq(s, "vnc on 10.0.0.5, port chosen when it starts (autoport)");
	free(s);
	ck_assert_ptr_null(core_display_uri(&later, NULL));
	ck_assert_ptr_null(core_display_tunnel(&later, &local));
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_checked_fixture(tc, check_tmpdir_setup, check_tmpdir_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_exit_statuses);
	tcase_add_test(tc, test_every_command_has_help);
	tcase_add_test(tc, test_vm_options_apply);
	tcase_add_test(tc, test_json_writer);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_config_file);
	tcase_add_test(tc, test_spawn_closed_std_fds);
	tcase_add_test(tc, test_display_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(cli_suite());
}
