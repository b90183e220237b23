#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# layers.sh: fails on an #include that crosses vmtui's layers the wrong way, or on curses or vterm outside ui/.
#
# The layers, lowest first (README.md, "Hacking"): src/lib, src/model,
# src/store, backend/ (its interface, the kvm:/// client and the libvirt
# module), src/core, ui/, src/cli.  Each may include only itself and the
# layers below it.  The runner (backend/vmm/) is a program of its own:
# it includes only itself and src/lib, and the kvm:/// client takes from it
# only its control protocol (kvm-proto.h) and its disk reader (disk/vmm-disk.h,
# with vmm-log.h), through which it reads a stopped VM's /boot.
set -u
top=${top_srcdir:-$(dirname "$0")/../..}
cd "$top" || exit 99

# allowed FOLDER: the include prefixes its files may use.
allowed() {
	case $1 in
	src/lib) echo "src/lib/" ;;
	src/model) echo "src/lib/ src/model/" ;;
	src/store) echo "src/lib/ src/model/ src/store/" ;;
	backend/vmm*) echo "backend/vmm/ src/lib/" ;;
	backend/kvm) echo "src/lib/ src/model/ src/store/ backend/backend.h backend/kvm/ backend/vmm/kvm-proto.h backend/vmm/disk/vmm-disk.h backend/vmm/vmm-log.h" ;;
	backend/libvirt) echo "src/lib/ src/model/ src/store/ backend/backend.h backend/libvirt/" ;;
	backend) echo "src/lib/ src/model/ src/store/ backend/backend.h backend/kvm/kvm-backend.h" ;;
	src/core) echo "src/lib/ src/model/ src/store/ backend/backend.h src/core/" ;;
	ui) echo "src/lib/ src/model/ src/store/ backend/backend.h src/core/ ui/" ;;
	src/cli) echo "src/lib/ src/model/ src/store/ backend/backend.h src/core/ ui/ src/cli/" ;;
	*) echo "?" ;;
	esac
}

bad=0
files=$(find src ui backend -name '*.[ch]' ! -name 'schema-sql.c' | sort)
for f in $files; do
	dir=$(dirname "$f")
	case $dir in backend/vmm/*) dir=backend/vmm ;; esac
	ok=$(allowed "$dir")
	if [ "$ok" = "?" ]; then
		echo "layers: $f is in no layer (add its folder to tests/build/layers.sh)"
		bad=1
		continue
	fi
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		[ "$inc" = config.h ] && continue
		pass=
		for p in $ok; do
			case $inc in "$p"*) pass=1 ;; esac
		done
		[ -n "$pass" ] && continue
		echo "layers: $f includes $inc, which its layer ($dir) may not use"
		bad=1
	done
	case $dir in ui) ;; *)
		if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(n?curses|ncursesw/|vterm)' "$f"; then
			echo "layers: $f includes curses or vterm, which only ui/ may"
			bad=1
		fi ;;
	esac
done

# The libraries of a module only in the files of that module (Makefile.am
# builds them into it), so that the program never needs them at start.
# module_sources VAR: the files Makefile.am's VAR lists.
module_sources() {
	sed -n "/^$1 = /,/[^\\]\$/p" Makefile.am | tr -d '\\' | sed "s/^$1 = //" | tr ' \t' '\n\n' |
		grep -E '\.[ch]$'
}
# only_in LIBRARY-INCLUDE-REGEX MODULE-FILE VAR
only_in() {
	mine=$(module_sources "$3")
	[ -n "$mine" ] || { echo "layers: Makefile.am has no $3"; bad=1; return; }
	for f in $files; do
		grep -Eq "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($1)" "$f" || continue
		echo "$mine" | grep -qx "$f" && continue
		echo "layers: $f includes a library of $2, which only that module's files may"
		bad=1
	done
}
only_in 'curl/|openssl/|libisofs/|blkid/|ext2fs/|et/' vmtui-image.so vmtui_image_so_SOURCES
only_in 'libvirt/|libxml/' vmtui-libvirt.so vmtui_libvirt_so_SOURCES

[ "$bad" = 0 ] && echo "layers: $(echo "$files" | wc -l) files keep to their layers"
exit "$bad"
