#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nokvm.sh: a missing or unusable KVM device gives an error that names the file and the reason.
. "$(dirname "$0")/lib.sh"
need_runner
kernel=$PROBE
[ -f "$kernel" ] || kernel=/dev/null

st=0
VMTUI_KVM_DEV="$TMPD/no-such-kvm" "$VMTUI_VMM" --kernel "$kernel" --ready-fd 3 \
	3>"$TMPD/missing.ready" </dev/null >/dev/null 2>"$TMPD/missing.log" || st=$?
[ $st -eq 1 ] || fail "missing device: status $st, want 1"
grep -q "^ERR cannot open $TMPD/no-such-kvm: No such file or directory" "$TMPD/missing.ready" ||
	fail "missing device: got '$(cat "$TMPD/missing.ready")'"
note "$(cat "$TMPD/missing.ready")"

: >"$TMPD/plain-file"
st=0
VMTUI_KVM_DEV="$TMPD/plain-file" "$VMTUI_VMM" --kernel "$kernel" --ready-fd 3 \
	3>"$TMPD/notkvm.ready" </dev/null >/dev/null 2>"$TMPD/notkvm.log" || st=$?
[ $st -eq 1 ] || fail "not a KVM device: status $st, want 1"
grep -q "^ERR $TMPD/plain-file is not a KVM device" "$TMPD/notkvm.ready" ||
	fail "not a KVM device: got '$(cat "$TMPD/notkvm.ready")'"
note "$(cat "$TMPD/notkvm.ready")"
echo "PASS: nokvm"
