#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# image.sh: vmtui image list|pull|rm against a loopback HTTP server: progress, checksums, resume, the cache, bad input, a full disk.
. "$top_srcdir/tests/cli/lib.sh"

command -v qemu-img >/dev/null || skip "qemu-img (qemu-utils) is needed to make test images"
TERM_PY=$top_srcdir/tests/libvirt/term.py
. "$top_srcdir/tests/cli/imgserver.sh"

# --- the images, their checksum files, the server ---------------------------

# A real qcow2 image of 4 MiB of random data, and copies under other names.
head -c 4194304 /dev/urandom >"$TMPD/data.raw"
qemu-img convert -f raw -O qcow2 "$TMPD/data.raw" "$SRV/img/a.qcow2" ||
	fail "qemu-img could not make a test image"
for f in c d e h big big2 wrongfmt; do cp "$SRV/img/a.qcow2" "$SRV/img/$f.qcow2"; done
head -c 3145728 /dev/urandom >"$SRV/img/g.raw"
cp "$SRV/img/a.qcow2" "$SRV/img/f.qcow2"
sum256() { sha256sum "$1" | cut -d' ' -f1; }
sum512() { sha512sum "$1" | cut -d' ' -f1; }
(
	cd "$SRV/img" || exit 1
	# GNU lines, with and without the binary-mode star, and one wrong digest.
	echo "$(sum256 a.qcow2) *a.qcow2"
	echo "$(sum256 c.qcow2)  c.qcow2"
	echo "$(sum256 g.raw)  h.qcow2"
	echo "$(sum256 wrongfmt.qcow2)  wrongfmt.qcow2"
	echo "$(sum256 a.qcow2)  gone.qcow2"
) >"$SRV/img/SHA256SUMS"
(cd "$SRV/img" && sha512sum d.qcow2 e.qcow2 big.qcow2 big2.qcow2) >"$SRV/img/SHA512SUMS"
# Fedora's form: PGP-signed BSD lines.
cat >"$SRV/img/CHECKSUM" <<EOF
-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

# f.qcow2: $(stat -c %s "$SRV/img/f.qcow2") bytes
SHA256 (f.qcow2) = $(sum256 "$SRV/img/f.qcow2")
-----BEGIN PGP SIGNATURE-----

iQIzBAEBCAAdFiEEexampleexampleexampleexampleexampleAAoJEexample
-----END PGP SIGNATURE-----
EOF
# Alpine's form: one .sha512 file beside the image.
(cd "$SRV/img" && sha512sum g.raw) >"$SRV/img/g.raw.sha512"

img_server_start
entry() { img_entry "$@"; }
{
	entry pull-me a.qcow2 qcow2 sha256 SHA256SUMS
	entry corrupt c.qcow2 qcow2 sha256 SHA256SUMS
	entry cut d.qcow2 qcow2 sha512 SHA512SUMS
	entry restart e.qcow2 qcow2 sha512 SHA512SUMS
	entry fedora-like f.qcow2 qcow2 sha256 CHECKSUM
	entry alpine-like g.raw raw sha512 g.raw.sha512
	entry wrong-sum h.qcow2 qcow2 sha256 SHA256SUMS
	entry wrong-format wrongfmt.qcow2 raw sha256 SHA256SUMS
	entry gone gone.qcow2 qcow2 sha256 SHA256SUMS
	entry big big.qcow2 qcow2 sha512 SHA512SUMS
	entry big2 big2.qcow2 qcow2 sha512 SHA512SUMS
	entry unlisted g.raw raw sha256 SHA256SUMS
	# An override of a shipped entry: the user's replaces it whole.
	entry debian-12 a.qcow2 qcow2 sha256 SHA256SUMS
} >"$XDG_CONFIG_HOME/vmtui/images.conf"

mode() { img_mode "$@"; }
gets() { grep -c "^GET /img/$1 " "$TMPD/http.log"; }
# in_cache KEY: what the cache holds of KEY (its image, record, .part).
in_cache() { ls "$CACHE" 2>/dev/null | grep -E "^$1(\.|$)" || true; }
nothing_of() { [ -z "$(in_cache "$1")" ] || fail "the cache still holds $(in_cache "$1") of $1"; }
same_as() { cmp -s "$1" "$SRV/img/$2" || fail "$1 is not the served $2"; }

# --- the catalogue ------------------------------------------------------------

expect 0 "$VMTUI" image list
out_has '^debian-13 +qcow2 +debian +- +Debian 13'
out_has '^fedora-42 +qcow2 +fedora '
out_has '^alpine-3.22 +qcow2 +alpine '
out_has '^ubuntu-24.04 +qcow2 +ubuntu '
out_has '^pull-me +qcow2 +tester +- +test image pull-me'
out_has '^debian-12 +qcow2 +tester .*test image debian-12'
expect 0 "$VMTUI" image list --json
json_check
[ "$(json_get 'len(j)')" = 18 ] || fail "image list --json has $(json_get 'len(j)') images, not 18"
[ "$(json_get '[e["user"] for e in j if e["name"] == "ubuntu-22.04"][0]')" = ubuntu ] ||
	fail "ubuntu-22.04's user is not ubuntu"

# --- without the image tools module: one line, nothing in the cache ---------

expect_err 1 \
	"^vmtui: checksums of pull-me: the image tools cannot be loaded: $TMPD/nosuch/vmtui-image.so: " \
	env VMTUI_IMAGE_MODULE="$TMPD/nosuch/vmtui-image.so" "$VMTUI" image pull pull-me
nothing_of pull-me
[ "$(gets SHA256SUMS)" = 0 ] && [ "$(gets a.qcow2)" = 0 ] || fail "a pull without the module reached the server"

# --- a download on a terminal: checksums, a bar, a verified file ------------

"$PYTHON3" "$TERM_PY" expect:'downloaded to' exit:0 -- "$VMTUI" image pull pull-me \
	>"$TMPD/out" 2>&1 || fail "pull on a terminal: $(cat "$TMPD/out")"
out_has 'pull-me: checksum file read'
out_has 'pull-me +100% \[=+\] 4\.[0-9] MiB / 4\.[0-9] MiB'
out_has 'verifying +100% '
out_has "pull-me: downloaded to $CACHE/pull-me.qcow2 \(4\.[0-9] MiB, qcow2, sha256 verified\)"
same_as "$CACHE/pull-me.qcow2" a.qcow2
[ -z "$(in_cache pull-me | grep part)" ] || fail "a finished download left its .part"
[ "$(gets SHA256SUMS)" = 1 ] && [ "$(gets a.qcow2)" = 1 ] || fail "not one request each for pull-me"

# A second pull uses the cache: no request at all.
expect 0 "$VMTUI" image pull pull-me
out_has "pull-me: in the cache at $CACHE/pull-me.qcow2"
[ "$(gets SHA256SUMS)" = 1 ] && [ "$(gets a.qcow2)" = 1 ] || fail "the second pull went to the server"
expect 0 "$VMTUI" image list
out_has '^pull-me +qcow2 +tester +4\.[0-9] MiB '
expect 0 "$VMTUI" image list --json
[ "$(json_get '[e["cached"] for e in j if e["name"] == "pull-me"][0]')" = True ] ||
	fail "image list --json does not show pull-me cached"

# Without a terminal: plain lines, no bar.
expect 0 "$VMTUI" image pull fedora-like
out_has '^fedora-like: downloaded 4\.[0-9] MiB$'
out_has '^fedora-like: checksum verified$'
grep -q "$(printf '\r')" "$TMPD/out" && fail "a pull into a pipe drew a bar"
same_as "$CACHE/fedora-like.qcow2" f.qcow2
expect 0 "$VMTUI" image pull alpine-like
out_has 'alpine-like: downloaded to .*alpine-like.raw \(3 MiB, raw, sha512 verified\)'
same_as "$CACHE/alpine-like.raw" g.raw

# --- refused: a corrupted copy, a wrong digest, a wrong format, a 404 --------

mode corrupt
expect_err 1 '^vmtui: checksum mismatch: corrupt.s sha256 is [0-9a-f]{16}\.\.\., .*SHA256SUMS says' \
	"$VMTUI" image pull corrupt
nothing_of corrupt
mode ""
expect_err 1 'checksum mismatch: wrong-sum' "$VMTUI" image pull wrong-sum
nothing_of wrong-sum
expect_err 1 'wrong-format: the catalogue says raw, but the file is qcow2: refused' \
	"$VMTUI" image pull wrong-format
nothing_of wrong-format
expect_err 1 "cannot download $URL/gone.qcow2: the server answered HTTP 404" \
	"$VMTUI" image pull gone
nothing_of gone
expect_err 1 "^vmtui: $URL/SHA256SUMS: it has no sha256 digest of g.raw\$" "$VMTUI" image pull unlisted
nothing_of unlisted
expect_err 2 "^vmtui: no image named 'nosuch' in the catalogue" "$VMTUI" image pull nosuch
nothing_of nosuch

# --- a cut connection, resumed with Range on the next pull -------------------

mode cut 1048576
expect_err 1 '^vmtui: download of cut was cut after 1\.0 MiB .*pulling it again resumes it' \
	"$VMTUI" image pull cut
[ "$(in_cache cut)" = cut.qcow2.part ] || fail "a cut download left '$(in_cache cut)', not its .part"
[ "$(stat -c %s "$CACHE/cut.qcow2.part")" = 1048576 ] || fail "the .part does not hold the 1 MiB sent"
expect 0 "$VMTUI" image list
out_has '^cut +qcow2 +tester +part 1 MiB '
mode ""
expect 0 "$VMTUI" image pull cut
out_has '^cut: downloaded 4\.[0-9] MiB \(resumed after 1 MiB\)$'
grep -q '^GET /img/d.qcow2 range=bytes=1048576- status=206$' "$TMPD/http.log" ||
	fail "the second pull did not ask for bytes=1048576-: $(grep d.qcow2 "$TMPD/http.log")"
same_as "$CACHE/cut.qcow2" d.qcow2

# A server that ignores Range: the download starts over, cleanly.
mode cut 1048576
expect 1 "$VMTUI" image pull restart
mode ignore-range
expect 0 "$VMTUI" image pull restart
grep -q '^GET /img/e.qcow2 range=bytes=1048576- status=200$' "$TMPD/http.log" ||
	fail "no Range request answered 200 for restart"
out_has '^restart: downloaded 4\.[0-9] MiB$'
same_as "$CACHE/restart.qcow2" e.qcow2
mode ""

# Ctrl-C on a terminal stops it and keeps the .part; the next pull resumes.
mode slow 262144
"$PYTHON3" "$TERM_PY" expect:'KiB / ' send:'\x03' exit:1 -- "$VMTUI" image pull big \
	>"$TMPD/out" 2>&1 || fail "Ctrl-C did not stop a pull: $(cat "$TMPD/out")"
out_has 'download of big stopped: pulling it again resumes it'
[ "$(in_cache big)" = big.qcow2.part ] || fail "a stopped download left '$(in_cache big)'"
mode ""
expect 0 "$VMTUI" image pull big
out_has '^big: downloaded 4\.[0-9] MiB \(resumed after '
same_as "$CACHE/big.qcow2" big.qcow2

# One download of an image at a time: a second pull, or rm, is refused meanwhile.
mode slow 262144
"$VMTUI" image pull big2 >"$TMPD/bg.out" 2>&1 &
bg=$!
at_exit "kill $bg 2>/dev/null"
i=0
while [ ! -s "$CACHE/big2.qcow2.part" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$CACHE/big2.qcow2.part" ] || fail "the first pull of big2 never wrote its .part"
expect_err 1 '^vmtui: big2 is being downloaded already' "$VMTUI" image pull big2
expect_err 1 '^vmtui: big2 is being downloaded: stop that first' "$VMTUI" image rm big2
kill -INT $bg
st=0
wait $bg || st=$?
[ "$st" = 1 ] || fail "SIGINT ended the pull with $st, not 1: $(cat "$TMPD/bg.out")"
grep -q 'download of big2 stopped: pulling it again resumes it' "$TMPD/bg.out" ||
	fail "the stopped pull said: $(cat "$TMPD/bg.out")"
[ "$(in_cache big2)" = big2.qcow2.part ] || fail "a stopped download left '$(in_cache big2)'"
mode ""
expect 0 "$VMTUI" image rm big2
nothing_of big2

# --- URLs and files -----------------------------------------------------------

expect 0 "$VMTUI" image pull "$URL/a.qcow2" --checksum "sha256:$(sum256 "$SRV/img/a.qcow2")"
out_has "downloaded to $CACHE/url-[0-9a-f]{8}-a.qcow2 \(4\.[0-9] MiB, qcow2, sha256 verified\)"
expect 0 "$VMTUI" image pull "$URL/g.raw"
out_has 'raw, not verified: no checksum given'
expect_err 1 'checksum mismatch' "$VMTUI" image pull "$URL/c.qcow2" --checksum "sha256:$(sum256 "$SRV/img/g.raw")"
nothing_of 'url-[0-9a-f]{8}-c'
expect_err 1 "cannot download $URL/none.qcow2: the server answered HTTP 404" \
	"$VMTUI" image pull "$URL/none.qcow2"
nothing_of 'url-[0-9a-f]{8}-none'
expect_err 1 '^vmtui: cannot download http://127.0.0.1:1/x.qcow2: ' "$VMTUI" image pull http://127.0.0.1:1/x.qcow2
expect_err 2 "checksum 'md5:00' is not sha256:HEX" "$VMTUI" image pull "$URL/a.qcow2" --checksum md5:00
expect 0 "$VMTUI" image pull "$SRV/img/g.raw" --checksum "sha512:$(sum512 "$SRV/img/g.raw")"
out_has "the file $SRV/img/g.raw \(3 MiB, raw, sha512 verified\)"
expect_err 2 "image $TMPD/nope.img: No such file" "$VMTUI" image pull "$TMPD/nope.img"
expect 0 "$VMTUI" image list
out_has "^url-[0-9a-f]{8}-a.qcow2 +qcow2 +- +4\.[0-9] MiB +$URL/a.qcow2"

# --- rm, usage, a bad catalogue -----------------------------------------------

expect 0 "$VMTUI" image rm pull-me
out_has '^pull-me: removed from the image cache \(4\.[0-9] MiB freed\)'
nothing_of pull-me
expect_err 1 '^vmtui: pull-me is not in the image cache' "$VMTUI" image rm pull-me
expect_err 2 "^vmtui: no image named 'nosuch' in the catalogue or the cache" "$VMTUI" image rm nosuch
expect_err 2 "'frob' is not list, pull or rm" "$VMTUI" image frob
expect_err 2 'pull needs one image name' "$VMTUI" image pull
expect_err 2 'list takes no image name' "$VMTUI" image list x
expect_err 2 '--checksum is for pull' "$VMTUI" image rm x --checksum sha256:00
cp "$XDG_CONFIG_HOME/vmtui/images.conf" "$TMPD/images.conf.good"
printf '[broken]\nurl = %s/a.qcow2\ncolour = blue\n' "$URL" >>"$XDG_CONFIG_HOME/vmtui/images.conf"
line=$(grep -n '^colour' "$XDG_CONFIG_HOME/vmtui/images.conf" | cut -d: -f1)
expect_err 2 "images.conf line $line: unknown key 'colour'" "$VMTUI" image list
expect_err 2 "images.conf line $line: unknown key 'colour'" "$VMTUI" image pull pull-me
cp "$TMPD/images.conf.good" "$XDG_CONFIG_HOME/vmtui/images.conf"

# --- a full cache disk --------------------------------------------------------

if [ "$(id -u)" != 0 ]; then
	note "SKIP full disk: mounting a small tmpfs needs root"
elif ! mkdir -p "$TMPD/small" || ! mount -t tmpfs -o size=2m vmtui-test "$TMPD/small" 2>"$TMPD/mount.err"; then
	note "SKIP full disk: cannot mount a tmpfs here: $(cat "$TMPD/mount.err")"
else
	at_exit "umount '$TMPD/small' 2>/dev/null"
	# The server says how big: refused before a byte is written.
	expect_err 1 \
		"^vmtui: no space for big in $TMPD/small/vmtui/images: it needs 4\.[0-9] MiB more, the disk has [0-9.]+ [KM]iB free" \
		env XDG_CACHE_HOME="$TMPD/small" "$VMTUI" image pull big
	[ -z "$(find "$TMPD/small" -type f)" ] || fail "a refused download left $(find "$TMPD/small" -type f)"
	# It does not: the write fails when the disk fills.
	mode no-length
	expect_err 1 \
		"^vmtui: no space left for big in $TMPD/small/vmtui/images \(after [0-9.]+ [KM]iB\)" \
		env XDG_CACHE_HOME="$TMPD/small" "$VMTUI" image pull big
	[ -z "$(find "$TMPD/small" -type f)" ] || fail "a full disk left $(find "$TMPD/small" -type f)"
	mode ""
fi
exit 0
