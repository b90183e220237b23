#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# memcheck.sh: the unit tests of the model, the CLI helpers and the libvirt XML under valgrind: no invalid access and no definite leak, including inside the libraries they call.
. "$top_srcdir/tests/cli/lib.sh"
command -v valgrind >/dev/null || skip "valgrind is not installed"

for t in check-vmdef check-model check-cli check-xml; do
	bin=$top_builddir/tests/unit/$t
	[ -x "$bin" ] || { note "no $t built"; continue; }
	# In one process, so valgrind sees every test's calls.
	CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$bin" >"$TMPD/$t.out" 2>&1 ||
		{ cat "$TMPD/$t.out"; fail "$t under valgrind"; }
	note "$t: $(grep -m1 "Checks:" "$TMPD/$t.out")"
done
