/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-vmm.h: the runner's Check suites, each built from pure parts of libvmm without /dev/kvm. */
#ifndef CHECK_VMM_H
#define CHECK_VMM_H

#include <check.h>

Suite *check_uart_suite(void);
Suite *check_bzimage_suite(void);
Suite *check_pvh_suite(void);
Suite *check_devices_suite(void);
Suite *check_virtio_suite(void);
Suite *check_acpi_suite(void);
Suite *check_exits_suite(void);

#endif
