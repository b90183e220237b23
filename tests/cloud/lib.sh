# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: what the cloud image tests share: the Debian test image, built once per build tree.

# cloud_test_image: print the folder holding the test image and its
# SHA512SUMS, building it first when this tree has none (minutes; a test
# running beside another that builds it waits for that build).
cloud_test_image() {
	: "${VMTUI_TEST_CACHE:=$top_builddir/tests/cloud/cache}"
	export VMTUI_TEST_CACHE
	"$top_srcdir/tests/cloud/mkimage.sh" 2>"$TMPD/mkimage.log" | tail -n 1
}
