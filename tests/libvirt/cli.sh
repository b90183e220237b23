#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cli.sh: the libvirt verbs on the test:/// driver: autostart, ip, net, pool, snapshots, credentials, bad URIs.
. "$top_srcdir/tests/libvirt/lib.sh"
T=test:///default

# Each vmtui run gets a fresh test driver: these check answers, not lasting state.
expect 0 "$VMTUI" -c $T autostart test on
out_has '^test: autostart on$'
expect_err 2 "'maybe' is not on or off" "$VMTUI" -c $T autostart test maybe
expect_err 3 "no VM named nosuch" "$VMTUI" -c $T autostart nosuch on

expect 0 "$VMTUI" -c $T ip test
out_has '192\.168\.122\.[0-9]+/24 \(lease\)'
expect 0 "$VMTUI" -c $T ip test --json
json_check
[ "$(json_get 'j[0]["family"] + " " + j[0]["source"]')" = "ipv4 lease" ] || fail "ip --json"
expect 0 "$VMTUI" -c $T show test --json
json_check
[ "$(json_get 'j["addresses"][0]["mac"]')" = aa:bb:cc:dd:ee:ff ] || fail "show --json lacks the address"
expect 0 "$VMTUI" -c $T show test
out_has '^Addresses: +testnet0 +aa:bb:cc:dd:ee:ff 192\.168\.122\.'

expect 0 "$VMTUI" -c $T net list --json
json_check
[ "$(json_get '[n["active"] for n in j if n["name"] == "default"][0]')" = True ] || fail "net default"
expect 0 "$VMTUI" -c $T net stop default
out_has '^network default stopped on test:///default$'
expect_err 1 "cannot start network default: .*already running" "$VMTUI" -c $T net start default
expect_err 1 "no network named nosuch on test:///default" "$VMTUI" -c $T net start nosuch
expect_err 2 "stop needs a network name" "$VMTUI" -c $T net stop

expect 0 "$VMTUI" -c $T pool list --json
json_check
[ "$(json_get '[p["capacity_bytes"] > 0 and p["state"] for p in j if p["name"] == "default-pool"][0]')" = running ] ||
	fail "pool list --json"
# The test driver has no pool "default", and one made by another run is
# gone by the next: a new disk says what helps there.
sum=$(defs_digest)
expect_err 1 "storage pool 'default' does not exist on test:///default; the test driver forgets a pool .*: give an existing image" \
	"$VMTUI" -c $T create vt-nopool --disk size=1
[ "$(defs_digest)" = "$sum" ] || fail "a refused create changed the database"
expect 0 "$VMTUI" -c $T pool create-default
out_has '^created storage pool default'
expect_err 2 "'bogus' is not list or create-default" "$VMTUI" -c $T pool bogus

expect 0 "$VMTUI" -c $T snapshot test create s1 --description 'a <b> & "c"'
out_has '^snapshot s1 of test: create done$'
expect_err 1 "VM test has no snapshot named nope" "$VMTUI" -c $T snapshot test revert nope
expect 0 "$VMTUI" -c $T snapshot test list --json
json_check

# URIs that lead nowhere: one line, exit 1, nothing stored.
sum=$(db_digest)
expect_err 1 "cannot connect to bogus:///x: " "$VMTUI" -c bogus:///x list --all
expect_err 1 "cannot connect to test:///$TMPD/none.xml: " "$VMTUI" -c "test:///$TMPD/none.xml" list --all
expect_err 1 "cannot connect to qemu\+ssh://vt-nohost.invalid/system" timeout 60 \
	"$VMTUI" -c 'qemu+ssh://vt-nohost.invalid/system?no_tty=1' list --all
[ "$(db_digest)" = "$sum" ] || fail "a failed connection changed the database"

# Credentials: asked on the terminal (the password unechoed), never on
# stdin; with no terminal the connection fails at once.
"$PYTHON3" - "$TMPD/auth.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
node = ET.Element("node")
auth = ET.SubElement(node, "auth")
ET.SubElement(auth, "user", password="s3cret-pw").text = "alice"
ET.ElementTree(node).write(sys.argv[1])
PY
A="test://$TMPD/auth.xml"
$TERM_PY 'expect:username for localhost: ' 'send:alice\r' 'expect:password for localhost: ' \
	'send:s3cret-pw\r' 'expect:NAME' 'exit:0' -- "$VMTUI" -c "$A" list --all >"$TMPD/pty" ||
	{ cat "$TMPD/pty"; fail "the credentials were not asked on the terminal"; }
grep -q s3cret-pw "$TMPD/pty" && fail "the password was echoed"
$TERM_PY 'expect:username for localhost: ' 'send:alice\r' 'expect:password for localhost: ' \
	'send:wrong\r' 'expect:authentication failed' 'exit:1' -- "$VMTUI" -c "$A" list --all \
	>"$TMPD/pty" || { cat "$TMPD/pty"; fail "a wrong password was not refused"; }
expect_err 1 "cannot connect to $A: it asks for credentials \(.*\) and there is no terminal to ask for them on" \
	timeout 30 setsid "$VMTUI" -c "$A" list --all
