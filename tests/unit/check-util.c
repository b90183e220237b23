// SPDX-License-Identifier: GPL-2.0-or-later
/* check-util.c: scratch directories and the runner shared by the unit tests. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/error.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

char check_tmpdir[64];

void check_tmpdir_setup(void)
{
	snprintf(check_tmpdir, sizeof(check_tmpdir), "/tmp/vmtui-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(check_tmpdir));
}

void check_tmpdir_teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", check_tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

char *check_tmpfile(const char *name, const void *data, size_t len)
{
	char *p = xasprintf("%s/%s", check_tmpdir, name);
	FILE *f = fopen(p, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return p;
}

void check_msg_has(const struct vmt_error *err, const char *a, const char *b)
{
	ck_assert_msg(strstr(err->msg, a), "'%s' not in '%s'", a, err->msg);
	if (b)
		ck_assert_msg(strstr(err->msg, b), "'%s' not in '%s'", b, err->msg);
}

int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
