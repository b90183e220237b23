/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-vmm.c: runs the runner's unit suites (UART, bzImage parser, devices and tables, virtio and PCI, ACPI, vCPU exits). */
#include "config.h"

#include <stdlib.h>

#include "tests/kvm/check-vmm.h"

int main(void)
{
	SRunner *sr = srunner_create(check_uart_suite());
	int failed;

	srunner_add_suite(sr, check_bzimage_suite());
	srunner_add_suite(sr, check_pvh_suite());
	srunner_add_suite(sr, check_devices_suite());
	srunner_add_suite(sr, check_virtio_suite());
	srunner_add_suite(sr, check_acpi_suite());
	srunner_add_suite(sr, check_exits_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
