#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# sql2c.sh: turn an SQL file into a C string constant, so the schema ships in the binary.
# usage: sql2c.sh SYMBOL FILE.sql > out.c
set -eu
sym=$1
file=$2
printf '/* Generated from %s by scripts/sql2c.sh; do not edit. */\n' "$(basename "$file")"
printf 'extern const char %s[];\n' "$sym"
printf 'const char %s[] =\n' "$sym"
# Drop comment lines, escape backslashes and quotes, one C string per line.
sed -e '/^[[:space:]]*--/d' -e '/^[[:space:]]*$/d' \
    -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$file"
printf '\t;\n'
