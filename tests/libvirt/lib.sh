# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: what the libvirt backend's shell tests share: the CLI set-up, test-driver node files, a terminal driver.
. "$top_srcdir/tests/cli/lib.sh"

TERM_PY="$PYTHON3 $top_srcdir/tests/libvirt/term.py"

# nodes_xml FILE N [RUNNING]: a test-driver node file with domains vt-0 ...
# vt-(N-1), of which the first RUNNING (default N/2) run.
nodes_xml() {
	"$PYTHON3" - "$1" "$2" "${3:-}" <<'PY' || fail "cannot write $1"
import sys, uuid
import xml.etree.ElementTree as ET
path, n = sys.argv[1], int(sys.argv[2])
running = int(sys.argv[3]) if sys.argv[3] else n // 2
ns = "http://libvirt.org/schemas/domain/test/1.0"
ET.register_namespace("test", ns)
node = ET.Element("node")
cpu = ET.SubElement(node, "cpu")
for tag, text in (("mhz", "2000"), ("model", "vmtui"), ("active", "2"), ("nodes", "1"),
                  ("sockets", "1"), ("cores", "2"), ("threads", "1")):
    ET.SubElement(cpu, tag).text = text
ET.SubElement(node, "memory").text = str(64 << 20)
for i in range(n):
    d = ET.SubElement(node, "domain", type="test")
    ET.SubElement(d, "name").text = "vt-%d" % i
    ET.SubElement(d, "uuid").text = str(uuid.UUID(int=i + 1))
    ET.SubElement(d, "memory").text = "65536"
    ET.SubElement(d, "vcpu").text = "1"
    ET.SubElement(ET.SubElement(d, "os"), "type").text = "hvm"
    if i >= running:
        ET.SubElement(d, "{%s}runstate" % ns).text = "5"
ET.ElementTree(node).write(path)
PY
}

# calls LOG WHAT: "N K F" from the log's last "WHAT of N domains took K libvirt
# calls (F of them ...)" line; F is 0 where the line has no such part.
calls() {
	sed -n "s/.* $2 of \([0-9]*\) domains took \([0-9]*\) libvirt calls\( (\([0-9]*\) of them.*\)\{0,1\}$/\1 \2 \4/p" "$1" |
		tail -n 1 | awk '{ print $1, $2, ($3 == "" ? 0 : $3) }'
}
