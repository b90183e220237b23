#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contract-test.sh: the backend contract suite against libvirt's test:///default driver (no daemon).
. "$top_srcdir/tests/cli/lib.sh"

# The test driver boots nothing: any existing file will do as the kernel.
kernel=$top_builddir/tests/guests/probe.bzImage
[ -f "$kernel" ] || { kernel=$TMPD/kernel; : >"$kernel"; }
VMTUI_CONTRACT_URI=test:///default
VMTUI_CONTRACT_DIR=$TMPD
VMTUI_CONTRACT_KERNEL=$kernel
VMTUI_CONTRACT_DOMAIN_TYPE=test
export VMTUI_CONTRACT_URI VMTUI_CONTRACT_DIR VMTUI_CONTRACT_KERNEL VMTUI_CONTRACT_DOMAIN_TYPE
timeout -k 10 600 "$top_builddir/tests/backend/check-contract"
