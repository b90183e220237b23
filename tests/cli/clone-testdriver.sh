#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clone-testdriver.sh: vmtui clone against libvirt's test:///default driver: what is copied, what is refused.
. "$top_srcdir/tests/cli/lib.sh"
T=test:///default

# digest: the definitions and links in the database, and the files in $TMPD.
digest() {
	"$PYTHON3" - "$VMTUI_DB" "$TMPD" <<'PY'
import hashlib, os, sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
rows = [repr(r) for t in ("vms", "disks", "nics", "links")
        for r in db.execute("SELECT * FROM %s ORDER BY 1, 2" % t)]
rows += sorted(f for f in os.listdir(sys.argv[2]) if f.endswith(".img"))
print(hashlib.sha256("\n".join(rows).encode()).hexdigest())
PY
}

# The driver's own domain runs: a running domain is not cloned.
expect 0 "$VMTUI" -c $T list --all
before=$(digest)
expect_err 1 "^vmtui: VM test is running: shut it off first" "$VMTUI" -c $T clone test copy
expect_err 3 "^vmtui: no VM named ghost on test:///default$" "$VMTUI" -c $T clone ghost copy
expect_err 2 "^vmtui: name: ' ' is not allowed" "$VMTUI" -c $T clone test 'a b'
[ "$(digest)" = "$before" ] || fail "a refused clone changed something"

# A domain vmtui made, with an image no pool has: the test driver forgets
# it between runs, so clone defines it again first, then copies the image
# beside the original (the connection is local).
head -c $((2 << 20)) /dev/urandom >"$TMPD/web1.img"
expect 0 "$VMTUI" -c $T create web1 --memory 64 --disk "$TMPD/web1.img" --net network:default \
	--notes 'web & front'
before=$(digest)
expect_err 1 "^vmtui: name: a VM named test already exists on test:///default$" \
	"$VMTUI" -c $T clone web1 test
expect_err 1 "^vmtui: disk 1: $TMPD/web1.img is not a volume of any storage pool of test:///default: a linked clone's overlay is made in the pool of its original" \
	"$VMTUI" -c $T clone web1 web3 --linked
[ "$(digest)" = "$before" ] || fail "a refused clone changed something"

expect 0 "$VMTUI" -c $T clone web1 web2
out_has '^cloned web1 to web2 on test:///default$'
out_has "^  disk 1: $TMPD/web2-disk0.img$"
cmp "$TMPD/web1.img" "$TMPD/web2-disk0.img" || fail "the copy differs from the original"
expect 0 "$VMTUI" -c $T show web1 --json
u1=$(json_get 'j["uuid"]') m1=$(json_get 'j["nics"][0]["mac"]')
expect 0 "$VMTUI" -c $T show web2 --json
[ "$(json_get 'j["uuid"]')" != "$u1" ] || fail "the clone has the original's UUID"
[ "$(json_get 'j["nics"][0]["mac"]')" != "$m1" ] || fail "the clone has the original's MAC"
[ "$(json_get 'j["nics"][0]["source"]')" = default ] || fail "the clone lost its network"
[ "$(json_get 'j["notes"]')" = 'web & front' ] || fail "the clone lost the notes"
[ "$(json_get 'j["disks"][0]["created_by_vmtui"]')" = True ] || fail "the copy is not the clone's own"
[ "$(json_get 'j["events"][0]["action"]')" = "clone of web1" ] || fail "no clone event"
expect_err 1 "^vmtui: name: a VM named web2 already exists on test:///default$" \
	"$VMTUI" -c $T clone web1 web2
expect 0 "$VMTUI" -c $T delete web2
expect 0 "$VMTUI" -c $T delete web1
echo "PASS: clone-testdriver"
