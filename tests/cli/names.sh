#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# names.sh: names vmtui did not give (virsh allows "my vm", UTF-8) in list, edit, adopt and rename; what a refused name says.
. "$top_srcdir/tests/cli/lib.sh"
export LC_ALL=C.UTF-8

# A test-driver host with domains virsh could have made: a space, UTF-8, CJK.
"$PYTHON3" - "$TMPD/node.xml" <<'PY' || fail "cannot write the node file"
import sys, xml.etree.ElementTree as ET
ns = "http://libvirt.org/schemas/domain/test/1.0"
ET.register_namespace("test", ns)
node = ET.Element("node")
for i, (name, running) in enumerate((("my vm", True), ("café-1", False), ("日本-vm", True),
                                     ("plain", False))):
    d = ET.SubElement(node, "domain", type="test")
    ET.SubElement(d, "name").text = name
    ET.SubElement(d, "uuid").text = "00000000-0000-4000-8000-%012d" % (i + 1)
    ET.SubElement(d, "memory").text = "65536"
    ET.SubElement(d, "vcpu").text = "1"
    ET.SubElement(ET.SubElement(d, "os"), "type").text = "hvm"
    if not running:
        ET.SubElement(d, "{%s}runstate" % ns).text = "5"
ET.ElementTree(node).write(sys.argv[1], encoding="utf-8")
PY
T="test://$TMPD/node.xml"

# The list's columns line up on the terminal, whatever bytes a name takes.
expect 0 "$VMTUI" -c "$T" list --all
"$PYTHON3" - "$TMPD/out" <<'PY' || { cat "$TMPD/out"; fail "list's columns do not line up"; }
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 5, lines
cols = set()
for l in lines:
    word = "STATE" if l.startswith("NAME") else "running" if "running" in l else "shut off"
    cols.add(width(l[:l.index(word)]))
assert len(cols) == 1, cols
PY

# A name vmtui did not give is kept through an edit, an adopt and the verbs.
expect 0 "$VMTUI" -c "$T" edit "my vm" --memory 128 --notes kept
out_has '^changed my vm on '
expect 0 "$VMTUI" -c "$T" adopt "café-1"
expect 0 "$VMTUI" -c "$T" edit "café-1" --vcpus 2
expect 0 "$VMTUI" -c "$T" show "café-1" --json
[ "$(json_get '(j["name"], j["managed"])')" = "('café-1', True)" ] ||
	fail "café-1: $(json_get '(j["name"], j["managed"])')"
expect 0 "$VMTUI" -c "$T" destroy "日本-vm"
expect 0 "$VMTUI" -c "$T" start "café-1"

# A rename: of a domain that is shut off; a running one waits, as libvirt says.
expect 0 "$VMTUI" -c "$T" edit plain --name plain-2
out_has "^renamed plain to plain-2 on $T\$"
expect 0 "$VMTUI" -c "$T" show plain-2 --json
[ "$(json_get 'j["uuid"]')" = 00000000-0000-4000-8000-000000000004 ] || fail "the renamed VM is another one"
sum=$(defs_digest)
expect_err 1 "^vmtui: VM my vm is running: rename it once it is shut off" \
	"$VMTUI" -c "$T" edit "my vm" --name my-vm
expect_err 1 "^vmtui: name: a VM named plain already exists on $T" \
	"$VMTUI" -c "$T" edit "café-1" --name plain
[ "$(defs_digest)" = "$sum" ] || fail "a refused rename changed the definitions"

# A name vmtui is asked to give: one line naming the character and why.
sum=$(defs_digest)
expect_err 2 "^vmtui: name: 'é' \(U\+00E9\) is not allowed: a name vmtui gives is A-Z a-z 0-9 \. _ - only" \
	"$VMTUI" -c test:///default create café
expect_err 2 "^vmtui: name: byte 0xff at offset 1 is not UTF-8 text" \
	"$VMTUI" -c test:///default create "$(printf 'x\377')"
expect_err 2 "^vmtui: name: '日' \(U\+65E5\) is not allowed" "$VMTUI" -c "$T" edit "my vm" --name 日本
expect_err 2 "^vmtui: name: ' ' is not allowed" "$VMTUI" -c "$T" edit plain --name 'a b'
[ "$(defs_digest)" = "$sum" ] || fail "a refused name changed the definitions"
exit 0
