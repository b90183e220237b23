#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh: build the runner's libFuzzer harnesses with clang (ASan + UBSan), replay their regression inputs, fuzz each for a while.
#
# FUZZ_SECONDS (default 3) is the time per harness: make check uses the
# default, make fuzz 60.  FUZZ_ONLY=NAME runs one harness.  A crash leaves
# its input in $top_builddir/tests/fuzz/crash-NAME-*: copy it into
# tests/fuzz/corpus-NAME/ so every later run replays it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${top_builddir:=.}"
: "${FUZZ_SECONDS:=3}"
: "${CLANG:=clang}"
out=$top_builddir/tests/fuzz
harnesses="virtq pci uart bzimage qcow2 snap"
[ -n "${FUZZ_ONLY:-}" ] && harnesses=$FUZZ_ONLY

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

command -v "$CLANG" >/dev/null 2>&1 || skip "no $CLANG: the fuzz harnesses need clang's libFuzzer"
[ -f "$top_builddir/config.h" ] || skip "no config.h in $top_builddir (run from a configured build)"
mkdir -p "$out/obj" || fail "cannot make $out"
CFLAGS="-std=gnu11 -g -O1 -pthread -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -I$top_builddir -I$top"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$out/obj/probe.c"
"$CLANG" $CFLAGS -fsanitize=fuzzer "$out/obj/probe.c" -o "$out/obj/probe" >"$out/obj/probe.log" 2>&1 ||
	skip "$CLANG cannot link -fsanitize=fuzzer: $(head -n 1 "$out/obj/probe.log")"

# The runner's pure parts (paths under backend/vmm/), compiled once into
# an archive each harness links.
srcs="vmm-log vmm-buf vmm-bus vmm-iothread vmm-snap vmm-console x86/vmm-mem hw/vmm-uart x86/vmm-bzimage x86/vmm-pvh x86/vmm-boot
	x86/vmm-tables x86/vmm-dsdt x86/vmm-aml pci/vmm-pci virtio/vmm-virtq virtio/vmm-virtio
	virtio/vmm-virtio-pci disk/vmm-disk disk/vmm-qcow2 virtio/vmm-blk virtio/vmm-rng pci/vmm-pvpanic
	../../src/lib/error"
vmm=$top/backend/vmm
objs=
for s in $srcs; do
	o=$out/obj/$(basename "$s").o
	if [ ! -f "$o" ] || [ "$vmm/$s.c" -nt "$o" ] || [ -n "$(find "$vmm" -name '*.h' -newer "$o")" ]; then
		"$CLANG" $CFLAGS -fsanitize=fuzzer-no-link -c "$vmm/$s.c" -o "$o" ||
			fail "cannot compile $s.c"
	fi
	objs="$objs $o"
done
rm -f "$out/obj/libfuzzvmm.a"
ar rcs "$out/obj/libfuzzvmm.a" $objs || fail "ar"

for h in $harnesses; do
	bin=$out/fuzz-$h
	"$CLANG" $CFLAGS -fsanitize=fuzzer "$here/fuzz-$h.c" "$out/obj/libfuzzvmm.a" -o "$bin" ||
		fail "cannot build fuzz-$h"
	corpus=$here/corpus-$h
	work=$out/work-$h
	mkdir -p "$work"
	[ "$h" = bzimage ] && [ -f "$top_builddir/tests/guests/probe.bzImage" ] &&
		cp "$top_builddir/tests/guests/probe.bzImage" "$work/probe.bzImage"
	# Every input ever kept must still pass.
	inputs=$(find "$corpus" -type f ! -name README.md 2>/dev/null | sort)
	if [ -n "$inputs" ]; then
		# shellcheck disable=SC2086
		"$bin" $inputs >"$out/replay-$h.log" 2>&1 ||
			{ tail -n 30 "$out/replay-$h.log"; fail "fuzz-$h: a kept input fails again (log: $out/replay-$h.log)"; }
	fi
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash-$h-" "$work" "$corpus" >"$out/fuzz-$h.log" 2>&1 ||
		{ tail -n 40 "$out/fuzz-$h.log"; fail "fuzz-$h found a crash: keep $(ls "$out"/crash-$h-* 2>/dev/null | head -n 1) in tests/fuzz/corpus-$h/"; }
	echo "# fuzz-$h: $(grep -m1 'stat::number_of_executed_units' "$out/fuzz-$h.log" | sed 's/.*: *//') runs in ${FUZZ_SECONDS}s, $(ls "$work" | wc -l) inputs in the corpus"
done
echo "PASS: fuzz"
