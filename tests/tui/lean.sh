#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lean.sh: a kvm:/// session, in the TUI and the CLI, maps none of the libraries of the modules it has no use for.
. "$top_srcdir/tests/tui/lib.sh"
need_probe

# The image tools' and the libvirt backend's libraries, and the modules themselves.
HEAVY='libcurl|libcrypto|libssl|libisofs|libblkid|libext2fs|libcom_err|libvirt|libxml2|vmtui-image\.so|vmtui-libvirt\.so'

needed=$(LANG=C readelf -d "$VMTUI" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf names no library vmtui needs"
bad=$(echo "$needed" | grep -E "$HEAVY" || true)
[ -z "$bad" ] || fail "vmtui is linked against $(echo $bad)"

expect 0 "$VMTUI" create lean1 --kernel "$PROBE" --memory 32
expect 0 "$VMTUI" create lean2 --kernel "$PROBE" --memory 32 --group web

# The CLI: the dynamic loader names every object it opens, dlopen()'s too.
at_exit '"$VMTUI" destroy lean1 >/dev/null 2>&1'
for verb in list "show lean1" "start lean1" "stats lean1 --count 2 --interval 0.2" "destroy lean1"; do
	# shellcheck disable=SC2086
	LD_DEBUG=files "$VMTUI" $verb >"$TMPD/out" 2>"$TMPD/ld" || fail "vmtui $verb failed"
	grep -q 'file=libsqlite3' "$TMPD/ld" || fail "LD_DEBUG=files shows nothing for vmtui $verb"
	opened=$(grep -oE "file=[^ ]*($HEAVY)[^ ]*" "$TMPD/ld" | sort -u || true)
	[ -z "$opened" ] || fail "vmtui $verb opened $(echo $opened)"
done
note "vmtui list, show, start, stats and destroy open none of the modules' libraries"

# The TUI: its mappings once the list is drawn and once a detail view has been opened.
tui_start 100x30 -- -c kvm:///
tui_wait 'lean1'
pid=$(tui_pid) || fail "no vmtui process under tmux"
maps() {
	m=$(grep -oE "/[^ ]*($HEAVY)[^ ]*" "/proc/$pid/maps" | sort -u || true)
	[ -z "$m" ] || fail "the TUI $1 maps $(echo $m)"
}
maps "at its first screen"
tui_keys Enter
tui_wait 'lean1'
tui_keys Escape
tui_wait 'lean2'
maps "after a detail view"
note "the TUI maps none of the modules' libraries ($(wc -l <"/proc/$pid/maps") mappings)"
tui_keys q
tui_wait 'vmtui exited 0'
