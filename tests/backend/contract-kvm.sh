#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contract-kvm.sh: the backend contract suite against the built-in runner (kvm:///) booting the probe kernel.
. "$top_srcdir/tests/cli/lib.sh"

need_kvm
need_probe

# Runners outlive the program that started them: stop any the suite left.
# A pid file holds "PID START-TIME".
at_exit 'for p in "$VMTUI_RUNTIME_DIR"/*.pid; do [ -f "$p" ] && kill -9 "$(cut -d" " -f1 "$p")" 2>/dev/null; done'

VMTUI_CONTRACT_URI=kvm:///
VMTUI_CONTRACT_DIR=$TMPD
VMTUI_CONTRACT_KERNEL=$PROBE
VMTUI_CONTRACT_REAL=1
export VMTUI_CONTRACT_URI VMTUI_CONTRACT_DIR VMTUI_CONTRACT_KERNEL VMTUI_CONTRACT_REAL VMTUI_VMM
timeout -k 10 600 "$top_builddir/tests/backend/check-contract"
