#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# identity.sh: on a real libvirtd: VMs kept by the host's identity through any URI of it (an old database too), the host's memory, networks checked, rename.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
U1=$LIBVIRTD_URI
# Other URIs of the same daemon: another transport spelling, another parameter.
U2="qemu+unix:///system?socket=$LIBVIRTD_DIR/libvirt-sock"
U3="$U1&no_tty=1"

# vm_managed URI NAME: what list --all --json says of NAME's managed flag ("none": not listed).
vm_managed() {
	"$VMTUI" -c "$1" list --all --json >"$TMPD/out" || fail "list through $1 failed"
	json_get "([str(v['managed']) + ' ' + v['state'] for v in j if v['name'] == '$2'] or ['none'])[0]"
}

# domain_xml NAME [UUID]: a probe domain as virsh would define it.
domain_xml() {
	cat <<XML
<domain type='qemu'><name>$1</name>${2:+<uuid>$2</uuid>}<memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>$PROBE</kernel><cmdline>console=ttyS0 probe.echo</cmdline></os>
<devices><serial type='pty'/><console type='pty'/></devices></domain>
XML
}

# --- adopted through one URI, managed through every other; deleted through one, gone from all ---
ad=vt-$$-ad
domain_xml $ad >"$TMPD/ad.xml"
virsh -q -c "$U1" define "$TMPD/ad.xml" >/dev/null || fail "virsh define failed"
[ "$(vm_managed "$U1" $ad)" = "False shut off" ] || fail "$ad before adopt: $(vm_managed "$U1" $ad)"
expect 0 "$VMTUI" -c "$U1" adopt $ad
expect 0 "$VMTUI" -c "$U2" show $ad
out_has '^Managed: +yes'
[ "$(vm_managed "$U3" $ad)" = "True shut off" ] || fail "$ad through $U3: $(vm_managed "$U3" $ad)"
expect 0 "$VMTUI" -c "$U2" edit $ad --group web
expect 0 "$VMTUI" -c "$U1" show $ad --json
[ "$(json_get 'j["group"]')" = web ] || fail "the group set through $U2 is not seen through $U1"
# Adopting it again is refused: it would replace what only the store keeps.
expect_err 1 "$ad is already kept in vmtui" "$VMTUI" -c "$U2" adopt $ad
expect 0 "$VMTUI" -c "$U1" show $ad --json
[ "$(json_get 'j["group"]')" = web ] || fail "a second adopt lost the group"
expect 0 "$VMTUI" -c "$U2" delete $ad
[ "$(vm_managed "$U1" $ad)" = none ] || fail "a ghost of $ad stays through $U1: $(vm_managed "$U1" $ad)"
[ "$(vm_managed "$U3" $ad)" = none ] || fail "a ghost of $ad stays through $U3"

# --- an old database (schema 2) kept VMs by URI: upgraded in place, then claimed by the host ---
old=vt-$$-old
olduuid=$("$PYTHON3" -c 'import uuid; print(uuid.uuid4())')
domain_xml $old "$olduuid" >"$TMPD/old.xml"
virsh -q -c "$U1" define "$TMPD/old.xml" >/dev/null || fail "virsh define failed"
OLD_DB="$TMPD/old/vmtui.db"
mkdir -p "$TMPD/old"
"$PYTHON3" - "$OLD_DB" "$olduuid" "$old" "$U1" <<'PY' || fail "cannot write the old database"
import sqlite3, sys
path, uuid, name, uri = sys.argv[1:]
db = sqlite3.connect(path)
db.executescript("""
CREATE TABLE vms (uuid TEXT PRIMARY KEY NOT NULL CHECK (length(uuid) = 36),
 name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64), uri TEXT NOT NULL,
 backend TEXT NOT NULL CHECK (backend IN ('kvm', 'libvirt')), vcpus INTEGER NOT NULL,
 memory_mib INTEGER NOT NULL, kernel TEXT, initrd TEXT, cmdline TEXT,
 firmware TEXT NOT NULL DEFAULT 'bios', boot_order TEXT, graphics TEXT NOT NULL DEFAULT 'none',
 notes TEXT NOT NULL DEFAULT '', vm_group TEXT NOT NULL DEFAULT '',
 created INTEGER NOT NULL, updated INTEGER NOT NULL, UNIQUE (uri, name));
CREATE TABLE disks (vm_uuid TEXT NOT NULL REFERENCES vms (uuid) ON DELETE CASCADE,
 idx INTEGER NOT NULL, path TEXT, size_bytes INTEGER NOT NULL DEFAULT 0, format TEXT NOT NULL,
 device TEXT NOT NULL DEFAULT 'disk', readonly INTEGER NOT NULL DEFAULT 0,
 created INTEGER NOT NULL DEFAULT 0, pool TEXT, PRIMARY KEY (vm_uuid, idx));
CREATE TABLE nics (vm_uuid TEXT NOT NULL REFERENCES vms (uuid) ON DELETE CASCADE,
 idx INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT, mac TEXT NOT NULL,
 forwards TEXT NOT NULL DEFAULT '', PRIMARY KEY (vm_uuid, idx));
CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, vm_uuid TEXT,
 vm_name TEXT NOT NULL, uri TEXT NOT NULL, action TEXT NOT NULL, result TEXT NOT NULL,
 detail TEXT NOT NULL DEFAULT '');
CREATE INDEX events_by_vm ON events (vm_uuid, time);
""")
db.execute("INSERT INTO vms (uuid, name, uri, backend, vcpus, memory_mib, vm_group, created, updated)"
           " VALUES (?, ?, ?, 'libvirt', 1, 64, 'legacy', 1, 2)", (uuid, name, uri))
db.execute("PRAGMA user_version = 2")
db.commit()
PY
VMTUI_DB=$OLD_DB expect 0 "$VMTUI" -c "$U2" show $old --json
[ "$(json_get 'j["managed"]')" = False ] || fail "a VM kept by another URI is claimed before that URI is used"
VMTUI_DB=$OLD_DB expect 0 "$VMTUI" -c "$U1" list --all
VMTUI_DB=$OLD_DB expect 0 "$VMTUI" -c "$U2" show $old --json
[ "$(json_get '(j["managed"], j["group"])')" = "(True, 'legacy')" ] ||
	fail "the old database's VM through $U2: $(json_get '(j["managed"], j["group"])')"
# Upgraded to the schema a new database gets.
VMTUI_DB=$TMPD/fresh.db expect 0 "$VMTUI" -c "$U2" list
for db in "$OLD_DB" "$TMPD/fresh.db"; do
	"$PYTHON3" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' \
		"$db"
done >"$TMPD/version"
[ "$(sed -n 1p "$TMPD/version")" = "$(sed -n 2p "$TMPD/version")" ] ||
	fail "the old database is at schema $(sed -n 1p "$TMPD/version"), a new one at $(sed -n 2p "$TMPD/version")"
virsh -q -c "$U1" undefine $old >/dev/null

# --- the host's memory is its whole memory, as kvm:/// counts it ---
mib=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 1024))
sum=$(db_digest)
expect_err 2 "^vmtui: memory: 99999999 MiB is out of range \(16 to $mib MiB on this host\)$" \
	"$VMTUI" -c "$U1" create vt-$$-big --memory 99999999 --kernel "$PROBE"

# --- networks: a name the host does not have is refused; with none, a VM gets no NIC, and is told ---
if [ -z "$(virsh -q -c "$U1" net-list --all --name)" ]; then
	expect_err 2 "^vmtui: nic 1: network 'default' does not exist on .* \(it has: none\)$" \
		"$VMTUI" -c "$U1" create vt-$$-net --memory 64 --kernel "$PROBE" --net network:default
	[ "$(db_digest)" = "$sum" ] || fail "refused creates changed the database"
	expect 0 "$VMTUI" -c "$U1" create vt-$$-nonet --memory 64 --kernel "$PROBE"
	out_has '^  no network card: .* has no virtual network \(--net gives one\)$'
	expect 0 "$VMTUI" -c "$U1" delete vt-$$-nonet
else
	note "this libvirtd has networks: the no-network case is not run"
fi

# --- rename: virDomainRename, refused while it runs, the same UUID after ---
rn=vt-$$-rn
expect 0 "$VMTUI" -c "$U1" create $rn --memory 64 --kernel "$PROBE" --cmdline 'console=ttyS0' --net none
uuid=$(virsh -q -c "$U1" domuuid $rn)
expect 0 "$VMTUI" -c "$U1" start $rn
sum=$(defs_digest)
expect_err 1 "^vmtui: VM $rn is running: rename it once it is shut off" "$VMTUI" -c "$U1" edit $rn --name $rn-2
[ "$(defs_digest)" = "$sum" ] || fail "a refused rename changed the definitions"
virsh -q -c "$U1" list --name | grep -qx $rn || fail "a refused rename touched the domain"
expect 0 "$VMTUI" -c "$U1" destroy $rn
expect 0 "$VMTUI" -c "$U2" edit $rn --name $rn-2 --memory 96
out_has "^renamed $rn to $rn-2 on "
[ "$(virsh -q -c "$U1" domuuid $rn-2)" = "$uuid" ] || fail "virsh does not see $rn-2 with its UUID"
virsh -q -c "$U1" dominfo $rn >/dev/null 2>&1 && fail "the old name still exists"
[ "$(virsh -q -c "$U1" dumpxml --inactive $rn-2 | sed -n 's/.*<memory unit=.KiB.>\([0-9]*\)<.*/\1/p')" = 98304 ] ||
	fail "the rest of the edit did not apply with the rename"
[ "$(vm_managed "$U1" $rn-2)" = "True shut off" ] || fail "$rn-2: $(vm_managed "$U1" $rn-2)"
[ "$(vm_managed "$U1" $rn)" = none ] || fail "a ghost of $rn stays"
expect 0 "$VMTUI" -c "$U1" start $rn-2
expect 0 "$VMTUI" -c "$U1" delete $rn-2 --force
exit 0
