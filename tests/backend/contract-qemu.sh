#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contract-qemu.sh: the backend contract suite against the fixture's libvirtd (qemu:///system) with real QEMU guests.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"

# New domains must be kvm wherever the daemon offers it.
type=$(virsh -q -c "$LIBVIRTD_URI" capabilities | "$PYTHON3" -c '
import sys, xml.etree.ElementTree as ET
caps = ET.parse(sys.stdin)
types = [d.get("type") for g in caps.findall("./guest") for a in g.findall("arch")
         if a.get("name") == "x86_64" for d in a.findall("domain")]
print("kvm" if "kvm" in types else "qemu")') || fail "cannot read the capabilities"
note "new domains should be type $type"

# The reconnect test stops and starts this very daemon.
cat >"$TMPD/restart.sh" <<SH
. "$top_srcdir/tests/fixtures/libvirtd.sh"
case \$1 in
stop) libvirtd_kill "$LIBVIRTD_DIR/libvirtd.pid" ;;
start) libvirtd -d -f "$LIBVIRTD_DIR/libvirtd.conf" -p "$LIBVIRTD_DIR/libvirtd.pid" &&
	libvirtd_wait_socket "$LIBVIRTD_DIR/libvirt-sock" 30 ;;
esac
SH

VMTUI_CONTRACT_URI=$LIBVIRTD_URI
VMTUI_CONTRACT_DIR=$TMPD
VMTUI_CONTRACT_KERNEL=$PROBE
VMTUI_CONTRACT_REAL=1
VMTUI_CONTRACT_DOMAIN_TYPE=$type
VMTUI_CONTRACT_RESTART="sh $TMPD/restart.sh"
export VMTUI_CONTRACT_URI VMTUI_CONTRACT_DIR VMTUI_CONTRACT_KERNEL VMTUI_CONTRACT_REAL \
	VMTUI_CONTRACT_DOMAIN_TYPE VMTUI_CONTRACT_RESTART
timeout -k 10 900 "$top_builddir/tests/backend/check-contract"
