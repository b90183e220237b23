# SPDX-License-Identifier: GPL-2.0-or-later
# imgserver.sh: start imgserver.py on loopback for a test (stopped by the test's trap), and the environment image tests share.

export XDG_CACHE_HOME="$TMPD/cache"
export VMTUI_IMAGES_CONF="$top_srcdir/data/images.conf"
# Loopback only: no proxy may take these requests.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'
CACHE=$XDG_CACHE_HOME/vmtui/images
SRV=$TMPD/srv
mkdir -p "$SRV/img" "$XDG_CONFIG_HOME/vmtui"

# img_server_start: serve $SRV; sets PORT and URL (of $SRV/img).
img_server_start() {
	"$PYTHON3" "$top_srcdir/tests/cli/imgserver.py" "$SRV" "$TMPD/port" "$TMPD/http.log" \
		2>"$TMPD/http.err" &
	SRV_PID=$!
	at_exit "kill $SRV_PID 2>/dev/null; wait $SRV_PID 2>/dev/null"
	i=0
	while [ ! -s "$TMPD/port" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$TMPD/port" ] || fail "the test HTTP server did not start: $(cat "$TMPD/http.err")"
	PORT=$(cat "$TMPD/port")
	URL=http://127.0.0.1:$PORT/img
}

# img_entry NAME FILE FORMAT DIGEST SUMSFILE: a catalogue section for a served file.
img_entry() {
	printf '[%s]\ntitle = test image %s\nurl = %s/%s\nformat = %s\nchecksum = %s\nchecksum-url = %s/%s\nuser = tester\n\n' \
		"$1" "$1" "$URL" "$2" "$3" "$4" "$URL" "$5"
}

# img_mode WORDS: what the server does to image bodies from now on (see imgserver.py).
img_mode() { printf '%s\n' "$*" >"$SRV/.mode"; }
