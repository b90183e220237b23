#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout.sh: a host that accepts and never speaks: the connection gives up after --connect-timeout (or connect_timeout) with one line, and vmtui exits.
. "$top_srcdir/tests/cli/lib.sh"

# A listener on 127.0.0.1 that accepts every connection and never sends a byte.
"$PYTHON3" - "$TMPD/port" <<'PY' &
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    held.append(s.accept()[0])
PY
listener=$!
at_exit "kill $listener 2>/dev/null"
i=0
until [ -s "$TMPD/port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "the listener did not start"; sleep 0.1
done
PORT=$(cat "$TMPD/port")
U="qemu+tcp://127.0.0.1:$PORT/system"

# The guard is generous: a vmtui still waiting after 60 s hangs, and fails (124).
expect_err 1 "^vmtui: cannot connect to qemu\+tcp://127\.0\.0\.1:$PORT/system: 127\.0\.0\.1 did not answer within 2 s$" \
	timeout 60 "$VMTUI" --connect-timeout 2 -c "$U" list
# Through SSH (its own client, which waits for the server's banner for ever).
if command -v ssh >/dev/null; then
	expect_err 1 "^vmtui: cannot connect to .*: 127\.0\.0\.1 did not answer within 1 s$" \
		timeout 60 "$VMTUI" --connect-timeout 1 -c "qemu+ssh://127.0.0.1:$PORT/system?no_tty=1" list --all
else
	note "no ssh client: the qemu+ssh case is not run"
fi
# The config file's connect_timeout, which the command line overrides.
mkdir -p "$XDG_CONFIG_HOME/vmtui"
echo 'connect_timeout = 1' >"$XDG_CONFIG_HOME/vmtui/config"
expect_err 1 "did not answer within 1 s$" timeout 60 "$VMTUI" -c "$U" list
expect_err 1 "did not answer within 3 s$" timeout 60 "$VMTUI" --connect-timeout 3 -c "$U" list
# Another connection of the same command is still served.
expect 1 timeout 60 "$VMTUI" -c "$U" -c test:///default list
grep -q '^test ' "$TMPD/out" || fail "test:///default was not listed beside the host that failed"
rm "$XDG_CONFIG_HOME/vmtui/config"

# Bad values: one line, exit 2, nothing changed.
expect 0 "$VMTUI" list --all
sum=$(db_digest)
for bad in x -1 3601 1.5 ''; do
	expect_err 2 "^vmtui: --connect-timeout: '$bad' is not a whole number of seconds from 0 \(no limit\) to 3600$" \
		"$VMTUI" --connect-timeout "$bad" list
done
printf 'connect_timeout = soon\n' >"$XDG_CONFIG_HOME/vmtui/config"
expect 0 "$VMTUI" list
grep -q "warning: .*config: line 1: connect_timeout 'soon' is not a whole number of seconds from 0 (no limit) to 3600 (skipped)" \
	"$TMPD/err" || fail "a bad connect_timeout is not named: $(cat "$TMPD/err")"
[ "$(db_digest)" = "$sum" ] || fail "bad values changed the database"
exit 0
