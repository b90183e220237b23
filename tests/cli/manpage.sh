#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# manpage.sh: the man page names every command and option that vmtui --help shows.
. "$top_srcdir/tests/cli/lib.sh"
MAN="$top_srcdir/man/vmtui.1"

for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS FILES ENVIRONMENT "EXIT STATUS" EXAMPLES; do
	grep -q "^\.SH \"*$section\"*\$" "$MAN" || fail "the man page has no $section section"
done
# In roff the options are written \-\-name; compare the plain text.
plain=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN")
expect 0 "$VMTUI" --help
cmds=$(sed -n 's/^  \([a-z]*\) .*/\1/p' "$TMPD/out")
[ -n "$cmds" ] || fail "vmtui --help lists no commands"
opts=$(grep -o -- '--[a-z][a-z-]*' "$TMPD/out")
for cmd in $cmds; do
	printf '%s\n' "$plain" | grep -Eq "^\.B[I]? \"?$cmd( |\"|\$)" ||
		fail "the man page has no entry for the command $cmd"
	expect 0 "$VMTUI" "$cmd" --help
	opts="$opts $(grep -o -- '--[a-z][a-z-]*' "$TMPD/out")"
done
for opt in $(printf '%s\n' $opts | sort -u); do
	printf '%s\n' "$plain" | grep -q -- "$opt" || fail "the man page does not mention $opt"
done
# Every exit status the help promises is explained.
for st in 0 1 2 3; do
	printf '%s\n' "$plain" | grep -A1 '^\.TP' | grep -qx "\.B $st" || fail "exit status $st is not explained"
done
