/* SPDX-License-Identifier: GPL-2.0-or-later */
/* boot-dump.c: prints what kvm_boot_find() finds in an image and copies it out with kvm_boot_extract(), for tests/kvm/boot-extract.sh. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/kvm/kvm-boot.h"
#include "src/lib/util.h"

static int usage(void)
{
	fprintf(stderr, "usage: boot-dump find IMAGE raw|qcow2|auto\n"
		"       boot-dump extract IMAGE raw|qcow2|auto KERNEL INITRD [STAMP]\n");
	return 2;
}

/* The error on stdout, its code by name, for the test to match. */
static int report(const struct vmt_error *err)
{
	printf("error=%s\nmessage=%s\n", strerrorname_np(-err->code), err->msg);
	return 1;
}

int main(int argc, char **argv)
{
	static const char *const formats[] = { "auto", "raw", "qcow2" };
	struct vmt_error err = { 0 };
	struct kvm_boot b;
	int f;

	if (argc < 4 || (f = str_table_index(formats, ARRAY_SIZE(formats), argv[3])) < 0)
		return usage();
	if (str_eq(argv[1], "find") && argc == 4) {
		if (kvm_boot_find(argv[2], (enum vm_disk_format)f, &b, &err) < 0)
			return report(&err);
		printf("partition=%u\nroot_uuid=%s\nkernel=%s\ninitrd=%s\nversion=%s\nstamp=%s\n"
		       "journal_pending=%d\n", b.partition, b.root_uuid, b.kernel,
		       b.initrd ? b.initrd : "", b.version, b.stamp, b.journal_pending);
		kvm_boot_done(&b);
		return 0;
	}
	if (!str_eq(argv[1], "extract") || argc < 6 || argc > 7)
		return usage();
	if (kvm_boot_find(argv[2], (enum vm_disk_format)f, &b, &err) < 0)
		return report(&err);
	/* A stamp given stands for the one an earlier look stored. */
	if (argc == 7) {
		free(b.stamp);
		b.stamp = xstrdup(argv[6]);
	}
	if (kvm_boot_extract(argv[2], (enum vm_disk_format)f, &b, argv[4], argv[5], &err) < 0) {
		kvm_boot_done(&b);
		return report(&err);
	}
	printf("kernel=%s\ninitrd=%s\n", b.kernel, b.initrd ? b.initrd : "");
	kvm_boot_done(&b);
	return 0;
}
