#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# usage.sh: every bad command line gets one clear line, its exit status, and changes nothing.
. "$top_srcdir/tests/cli/lib.sh"

expect 0 "$VMTUI" --version
out_has '^vmtui [0-9]'
out_has 'backends: kvm'
expect 0 "$VMTUI" --help
for cmd in $(sed -n 's/^  \([a-z]*\) .*/\1/p' "$TMPD/out"); do
	expect 0 "$VMTUI" "$cmd" --help
	out_has "^Usage: vmtui \[-c URI\] $cmd"
done
# edit's help names every option of create's that an existing VM can change.
expect 0 "$VMTUI" create --help
create_opts=$(sed -n 's/^      \(--[a-z-]*\) .*/\1/p' "$TMPD/out")
[ -n "$create_opts" ] || fail "create --help lists no options"
expect 0 "$VMTUI" edit --help
for o in $create_opts; do
	case $o in --virt-type|--image|--ssh-key|--user-data|--login|--checksum) continue ;; esac
	out_has "^      $o "
done
out_has "^      --remove-disk "

# A first command creates the database; from then on nothing may change it.
expect 0 "$VMTUI" list --all
before=$(db_digest)

expect_err 2 "unknown option" "$VMTUI" --frobnicate
expect_err 2 "unknown command 'frob'" "$VMTUI" frob
expect_err 2 "missing argument" "$VMTUI" vol create
expect_err 2 "missing argument" "$VMTUI" show
expect_err 2 "unexpected argument 'b'" "$VMTUI" create a b
expect_err 2 "^vmtui: name: ' ' is not allowed" "$VMTUI" create "a b" --kernel /k
expect_err 2 "^vmtui: name: '&' is not allowed" "$VMTUI" create "a&b" --kernel /k
expect_err 2 "vcpus: 'two' is not a number" "$VMTUI" create x --vcpus two
expect_err 2 "^vmtui: vcpus: 0 is out of range" "$VMTUI" create x --vcpus 0 --kernel /k
expect_err 2 "^vmtui: vcpus: 100000 is out of range" "$VMTUI" create x --vcpus 100000 --kernel /k
expect_err 2 "^vmtui: memory: 8 MiB is out of range" "$VMTUI" create x --memory 8 --kernel /k
expect_err 2 "memory: '1x' is not a size" "$VMTUI" create x --memory 1x
expect_err 2 "^vmtui: kernel: this connection boots kernels directly" "$VMTUI" create x
expect_err 2 "^vmtui: kernel: /no/such/kernel: No such file" "$VMTUI" create x --kernel /no/such/kernel
expect_err 2 "^vmtui: kernel: .* is a directory" "$VMTUI" create x --kernel /tmp
printf 'not a kernel' >"$TMPD/notkernel"
expect_err 2 "^vmtui: kernel: .* is not a bzImage" "$VMTUI" create x --kernel "$TMPD/notkernel"
expect_err 2 "^vmtui: initrd: needs a kernel" "$VMTUI" -c test:///default create x --initrd /etc/hostname
expect_err 2 "^vmtui: cmdline: control character" "$VMTUI" create x --kernel "$TMPD/notkernel" --cmdline "$(printf 'a\tb')"
expect_err 2 "disk: format 'vmdk' is not raw or qcow2" "$VMTUI" create x --disk /x,format=vmdk
expect_err 2 "disk: size '0' is not a positive size" "$VMTUI" create x --disk /x,size=0
expect_err 2 "^vmtui: disk 1: .*/nope.img: No such file" "$VMTUI" -c test:///default create x --disk "$TMPD/nope.img"
expect_err 2 "^vmtui: disk 1: .* already exists" "$VMTUI" -c test:///default create x --disk "$TMPD/notkernel,size=1"
expect_err 2 "net: 'wifi' is not none" "$VMTUI" create x --net wifi
expect_err 2 "mac: .* is a multicast address" "$VMTUI" create x --net user,mac=01:00:00:00:00:01
expect_err 2 "^vmtui: cdrom: this connection boots kernels directly" "$VMTUI" create x --cdrom /x.iso --kernel "$TMPD/notkernel"
expect_err 2 "^vmtui: boot: 'floppy' is not a boot device" "$VMTUI" -c test:///default create x --boot floppy
expect_err 2 "firmware: 'coreboot'" "$VMTUI" -c test:///default create x --firmware coreboot
expect_err 2 "count: 'x' is not a positive number" "$VMTUI" stats vm --count x
expect_err 2 "interval: '0' is not a number of seconds" "$VMTUI" stats vm --interval 0
expect_err 2 "'bogus' is not list, create, revert or delete" "$VMTUI" snapshot vm bogus
expect_err 2 "create needs a snapshot name" "$VMTUI" snapshot vm create
expect_err 3 "^vmtui: no VM named ghost on kvm:///" "$VMTUI" show ghost
expect_err 3 "^vmtui: no VM named ghost on kvm:///" "$VMTUI" start ghost
expect_err 3 "^vmtui: no VM named ghost on kvm:///" "$VMTUI" delete ghost
expect_err 3 "^vmtui: no VM named ghost on test:///default" "$VMTUI" -c test:///default destroy ghost
expect_err 2 "the built-in runner is kvm:///" "$VMTUI" -c kvm:///system list
expect_err 1 "^vmtui: cannot connect to qemu\+unix:///system\?socket=/nonexistent" \
	"$VMTUI" -c "qemu+unix:///system?socket=/nonexistent/sock" list
expect_err 2 "^vmtui import: missing argument" "$VMTUI" import
expect_err 2 "^vmtui: cannot open /no/such.xml" "$VMTUI" -c test:///default import /no/such.xml

[ "$(db_digest)" = "$before" ] || fail "a rejected command changed the database"
