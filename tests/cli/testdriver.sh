#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# testdriver.sh: the CLI against libvirt's test:///default driver (no daemon).
. "$top_srcdir/tests/cli/lib.sh"
T=test:///default

expect 0 "$VMTUI" -c $T list
out_has '^test +running +2 '
expect 0 "$VMTUI" -c $T list --json
json_check
[ "$(json_get '[v["state"] for v in j if v["name"] == "test"][0]')" = running ] || fail "test is not running"
expect 0 "$VMTUI" -c $T show test --json
json_check
[ "$(json_get 'j["managed"]')" = False ] || fail "test should be unmanaged"

# Create stores the definition; the test driver forgets the domain at the
# end of each run, so the next run shows it as missing, and start defines
# it again from the store.
truncate -s 16M "$TMPD/disk.img"
expect 0 "$VMTUI" -c $T create web1 --vcpus 2 --memory 1G --disk "$TMPD/disk.img" \
	--net network:default --notes 'front & back <end>' --group web
out_has '^created web1 on test:///default'
expect 0 "$VMTUI" -c $T list --all
out_has '^web1 +missing +2 +1 GiB'
sum=$(db_digest)
expect_err 2 "^vmtui: net 1: port forwards \(fwd=\) are for kvm:/// user networks" \
	"$VMTUI" -c $T create fwd1 --net user,fwd=2222:22
[ "$(db_digest)" = "$sum" ] || fail "a refused create changed the database"
expect 0 "$VMTUI" -c $T list
grep -q web1 "$TMPD/out" && fail "list without --all shows a VM that is not running"
expect 0 "$VMTUI" -c $T show web1 --json
json_check
[ "$(json_get 'j["notes"]')" = 'front & back <end>' ] || fail "notes did not survive"
[ "$(json_get 'j["disks"][0]["format"]')" = raw ] || fail "disk format not sniffed"
[ "$(json_get 'j["events"][0]["action"]')" = create ] || fail "no create event"
expect 0 "$VMTUI" -c $T start web1
out_has '^web1 started'
expect_err 1 "^vmtui: name: a VM named web1 already exists on test:///default" \
	"$VMTUI" -c $T create web1 --disk "$TMPD/disk.img"
expect 0 "$VMTUI" -c $T edit web1 --vcpus 1 --memory 512 --net none
expect 0 "$VMTUI" -c $T show web1 --json
[ "$(json_get 'j["vcpus"]')" = 1 ] || fail "edit did not change vcpus"
[ "$(json_get 'len(j["nics"])')" = 0 ] || fail "edit did not remove the NIC"

# Lifecycle on the driver's own running domain, within single runs.
expect 0 "$VMTUI" -c $T pause test
expect 0 "$VMTUI" -c $T shutdown test
expect 0 "$VMTUI" -c $T destroy test
expect_err 1 "^vmtui: VM web1 is not defined on test:///default .*vmtui start web1 defines it again" \
	"$VMTUI" -c $T pause web1
expect 0 "$VMTUI" -c $T export test
out_has "<name>test</name>"

expect 0 "$VMTUI" -c $T delete web1
out_has '^deleted web1'
expect 0 "$VMTUI" -c $T list --all --json
[ "$(json_get 'len([v for v in j if v["name"] == "web1"])')" = 0 ] || fail "web1 still listed"
[ -f "$TMPD/disk.img" ] || fail "delete without --remove-disks removed the disk"
