#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scale.sh: a refresh of 10 or of 1,000 domains makes the same number of libvirt calls (test driver, debug log counts).
. "$top_srcdir/tests/libvirt/lib.sh"

HELPER=$top_builddir/bench/libvirt-refresh-helper
[ -x "$HELPER" ] || fail "no $HELPER (make check builds it)"

for n in 10 1000; do
	nodes_xml "$TMPD/n$n.xml" $n
	U=test://$TMPD/n$n.xml

	# The CLI, as a user runs it: one list, then stats (a sample before
	# the first printed one, then one per line).
	expect 0 timeout 120 "$VMTUI" -v --log "$TMPD/list$n.log" -c "$U" list --all
	[ "$(grep -c '^vt-' "$TMPD/out")" = $n ] || fail "list --all does not show $n domains"
	set -- $(calls "$TMPD/list$n.log" list)
	[ "${1:-}" = $n ] || fail "no 'list of $n domains' line in the debug log"
	eval "list_bulk_$n=$(($2 - $3)) list_fill_$n=$3"
	# The test driver's stats carry states only, so the first list asks
	# each domain once for its vCPUs and memory, and keeps the answers.
	[ "$3" -le $n ] || fail "the first list asked more than once per domain ($3 for $n)"
	expect 0 timeout 120 "$VMTUI" -v --log "$TMPD/stats$n.log" -c "$U" stats vt-0 \
		--count 2 --interval 0.1 --json
	json_check
	per=$(sed -n 's/.* stats of [0-9]* domains took \([0-9]*\) libvirt calls$/\1/p' \
		"$TMPD/stats$n.log" | sort -u)
	[ -n "$per" ] && [ "$(echo "$per" | wc -l)" = 1 ] ||
		fail "stats refreshes made different numbers of calls: $per"
	eval "stats_$n=$per"

	# What the UI repeats: list + stats again on the open connection.
	timeout 120 "$HELPER" "$U" 3 "$TMPD/helper$n.log" >"$TMPD/h$n" ||
		fail "the refresh helper failed: $(cat "$TMPD/h$n")"
	warm=$(sed -n 's/^refresh [23] domains .* calls \([0-9]*\)$/\1/p' "$TMPD/h$n" | sort -u)
	[ -n "$warm" ] && [ "$(echo "$warm" | wc -l)" = 1 ] ||
		fail "repeated refreshes of $n domains made different numbers of calls: $warm"
	eval "warm_$n=$warm"
	note "$n domains: list $2 calls ($3 once-per-domain definition reads), stats $per, refresh on an open connection $warm"
done

[ "$list_bulk_10" = "$list_bulk_1000" ] ||
	fail "a list makes $list_bulk_10 bulk calls for 10 domains but $list_bulk_1000 for 1000"
[ "$stats_10" = "$stats_1000" ] ||
	fail "stats make $stats_10 calls for 10 domains but $stats_1000 for 1000"
[ "$warm_10" = "$warm_1000" ] ||
	fail "a refresh makes $warm_10 calls for 10 domains but $warm_1000 for 1000"
note "constant: list $list_bulk_10 + stats $stats_10 = refresh $warm_10 libvirt calls for 10 and for 1000 domains"
