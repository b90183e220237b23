#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# defaults.sh: what a new VM gets by default (one NIC rule for both faces), networks and pools checked before anything is made, listing verbs across backends, the config file and --db.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
T=test:///default

# nodes FILE NETWORK...: a test-driver host with these virtual networks (maybe none).
nodes() {
	f=$1; shift
	"$PYTHON3" - "$f" "$@" <<'PY' || fail "cannot write $f"
import sys, xml.etree.ElementTree as ET
node = ET.Element("node")
for n in sys.argv[2:]:
    net = ET.SubElement(node, "network")
    ET.SubElement(net, "name").text = n
    ET.SubElement(net, "bridge", name="vb-" + n)
    ET.SubElement(net, "ip", address="192.0.2.1", netmask="255.255.255.0")
pool = ET.SubElement(node, "pool", type="dir")
ET.SubElement(pool, "name").text = "images"
ET.SubElement(ET.SubElement(pool, "target"), "path").text = "/images"
ET.ElementTree(node).write(sys.argv[1])
PY
}

# --- one default NIC: the backend's, which the TUI's create form shows too ---
expect 0 "$VMTUI" create d1 --kernel "$PROBE" --memory 64
expect 0 "$VMTUI" show d1 --json
[ "$(json_get '[n["kind"] for n in j["nics"]]')" = "['user']" ] || fail "kvm:///: $(json_get 'j["nics"]')"
expect 0 "$VMTUI" create d2 --kernel "$PROBE" --memory 64 --net none
expect 0 "$VMTUI" show d2 --json
[ "$(json_get 'len(j["nics"])')" = 0 ] || fail "--net none still made a NIC"
expect 0 "$VMTUI" -c $T create t1 --memory 64
expect 0 "$VMTUI" -c $T show t1 --json
[ "$(json_get '[(n["kind"], n["source"]) for n in j["nics"]]')" = "[('network', 'default')]" ] ||
	fail "test:///default: $(json_get 'j["nics"]')"
# The default is a network the host has: not "default" when there is none of that name...
nodes "$TMPD/other.xml" lan
expect 0 "$VMTUI" -c "test://$TMPD/other.xml" create t2 --memory 64
expect 0 "$VMTUI" -c "test://$TMPD/other.xml" show t2 --json
[ "$(json_get '[n["source"] for n in j["nics"]]')" = "['lan']" ] || fail "other.xml: $(json_get 'j["nics"]')"
# ... and none, with a note, on a host without networks.
nodes "$TMPD/nonet.xml"
expect 0 "$VMTUI" -c "test://$TMPD/nonet.xml" create t3 --memory 64
out_has "^  no network card: test://$TMPD/nonet.xml has no virtual network \(--net gives one\)$"
expect 0 "$VMTUI" -c "test://$TMPD/nonet.xml" show t3 --json
[ "$(json_get 'len(j["nics"])')" = 0 ] || fail "nonet.xml: $(json_get 'j["nics"]')"

# --- a network that does not exist is refused before anything is made ---
sum=$(db_digest)
expect_err 2 "^vmtui: nic 1: network 'nosuch' does not exist on test:///default \(it has: default\)$" \
	"$VMTUI" -c $T create n1 --memory 64 --net network:nosuch
expect_err 2 "^vmtui: nic 2: network 'default' does not exist on test://$TMPD/other.xml \(it has: lan\)$" \
	"$VMTUI" -c "test://$TMPD/other.xml" create n2 --memory 64 --net network:lan --net network:default
[ "$(db_digest)" = "$sum" ] || fail "a refused network changed the database"

# --- a new disk on a host without the pool "default": a hint that can help there ---
sum=$(defs_digest)
expect_err 1 "^vmtui: disk 1: storage pool 'default' does not exist on test:///default; the test driver forgets a pool made by another vmtui run: give an existing image \(--disk PATH\)$" \
	"$VMTUI" -c $T create p1 --memory 64 --disk size=1
[ "$(defs_digest)" = "$sum" ] || fail "a refused disk changed the definitions"

# --- a listing verb skips the connections that have no such thing ---
expect 0 "$VMTUI" -c kvm:/// -c $T net list
out_has "^default +active .* $T\$"
[ -s "$TMPD/err" ] && fail "net list complained: $(cat "$TMPD/err")"
expect 0 "$VMTUI" -c $T -c kvm:/// pool list --json
json_check
[ "$(json_get '[p["connection"] for p in j]')" = "['$T']" ] || fail "pool list --json: $(cat "$TMPD/out")"
expect_err 1 "^vmtui: listing networks is not supported by the kvm backend \(kvm:///\)$" "$VMTUI" net list

# --- the config file: every bad line is named, key bindings too ---
mkdir -p "$XDG_CONFIG_HOME/vmtui"
printf 'key.nosuch = x\nkey.quit = NotAKey\nrefresh = 2\n' >"$XDG_CONFIG_HOME/vmtui/config"
expect 0 "$VMTUI" list
grep -q "warning: .*config: line 1: no action 'nosuch' to bind (skipped)" "$TMPD/err" ||
	fail "key.nosuch is not named: $(cat "$TMPD/err")"
grep -q "warning: .*config: line 2: 'NotAKey' is not a key (skipped)" "$TMPD/err" ||
	fail "a bad key is not named: $(cat "$TMPD/err")"
[ "$(wc -l <"$TMPD/err")" = 2 ] || fail "config warnings: $(cat "$TMPD/err")"
rm "$XDG_CONFIG_HOME/vmtui/config"

# --- --db refuses a folder that does not exist; vmtui makes only its default one ---
expect_err 2 "^vmtui: --db: folder $TMPD/nodir does not exist \(vmtui makes only its default folder\)$" \
	"$VMTUI" --db "$TMPD/nodir/v.db" list
[ -e "$TMPD/nodir" ] && fail "--db made a folder"
expect_err 2 "^vmtui: --db: folder $TMPD/nodir does not exist" "$VMTUI" --db "$TMPD/nodir/v.db" -v list
[ -e "$TMPD/nodir" ] && fail "--db -v made a folder"
expect 0 env -u VMTUI_DB XDG_DATA_HOME="$TMPD/fresh" "$VMTUI" list
[ -f "$TMPD/fresh/vmtui/vmtui.db" ] || fail "the default database was not made"
mkdir "$TMPD/there"
expect 0 "$VMTUI" --db "$TMPD/there/v.db" list
[ -f "$TMPD/there/v.db" ] || fail "--db in a folder that exists made no database"
exit 0
