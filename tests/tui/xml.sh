#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# xml.sh: adopt (M), export (X) and import (L in the host view) in the TUI, on test:///default; kvm:/// says why it has none of them.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create k1 --kernel "$TMPD/bzImage"

tui_start 120x40 -- -c test:///default -c kvm:///
tui_wait '^ test +test +libvirt +running'
tui_wait '^ k1 +kvm '

# The domain libvirt's test driver made is not vmtui's until adopted, once.
tui_keys End Enter
tui_wait 'Managed +no: created outside vmtui'
tui_keys M
tui_wait 'test is kept in vmtui now \(adopted\)'
tui_wait 'Managed +yes: vmtui keeps its definition'
tui_keys M
tui_wait 'test is already kept in vmtui'
tui_keys Escape

# X asks for a file (the VM's name by default) and never writes over one.
tui_keys X
tui_wait 'Write the domain XML of test to a new file'
tui_keys C-u
tui_keys -l "$TMPD/test.xml"
tui_keys Enter
tui_wait "wrote the domain XML of test to $TMPD/test.xml"
grep -q '<name>test</name>' "$TMPD/test.xml" || fail "the file has no domain XML: $(head -c 200 "$TMPD/test.xml")"
sum=$(md5sum <"$TMPD/test.xml")
tui_keys X
tui_wait 'Write the domain XML of test'
tui_keys C-u
tui_keys -l "$TMPD/test.xml"
tui_keys Enter
tui_wait "cannot write $TMPD/test.xml: File exists \(give another name\)"
[ "$(md5sum <"$TMPD/test.xml")" = "$sum" ] || fail "a refused export changed the file"

# L in the host view defines a VM from such a file, and the list shows it.
sed -e 's|<name>test</name>|<name>imp</name>|' -e '/<uuid>/d' "$TMPD/test.xml" >"$TMPD/imp.xml"
tui_keys v
tui_wait '^ Host of test:///default'
tui_keys L
tui_wait 'Define a VM on test:///default from the domain XML file:'
tui_keys -l "$TMPD/imp.xml"
tui_keys Enter
tui_wait 'imported imp from .*imp.xml on test:///default'
tui_keys L
tui_wait 'Define a VM on test:///default'
tui_keys -l "$TMPD/nosuch.xml"
tui_keys Enter
tui_wait "nosuch.xml"
tui_keys Escape
tui_wait '^ imp +test +libvirt '

# kvm:/// keeps its definitions itself: nothing to export or adopt, and it says so.
tui_keys Home Down
tui_keys X
tui_wait "k1 is kvm:///'s own: kvm keeps its definition in vmtui's store"
# The help offers import, and leaves out what k1's backend does not have.
tui_keys '?'
tui_wait 'L +import +host view: define a VM from a domain XML file'
tui_screen | grep -Eq '^  X +export' && fail "the help offers export for a kvm:/// VM"
tui_keys Escape Home End
tui_wait '^ test +test +libvirt +running'
tui_keys '?'
tui_wait 'X +export +write the VM.s domain XML to a new file'
tui_wait 'M +adopt +keep in vmtui a VM it did not create'
