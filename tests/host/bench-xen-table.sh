#!/bin/sh
# SPDX-License-Identifier: MIT
#
# make bench: the pv operations of relink-bench under Xen PV (the Xen run,
# $BUILD/bench-kernel-xen.txt) beside the native instruction natively (the
# native TCG run, $BUILD/bench-kernel-tcg.txt), one row per site. Under
# Xen the ops table points at the Xen thunks; the native column of the
# Xen run is empty for a privileged instruction, hence the join.
set -eu
BUILD=${BUILD:-build}
xen=$BUILD/bench-kernel-xen.txt
native=$BUILD/bench-kernel-tcg.txt

[ -s "$xen" ] || { echo "(no Xen run: $xen is empty)"; exit 0; }
[ -s "$native" ] || { echo "(no native run: $native is empty)"; exit 0; }
echo
echo "| site | Xen: patched site | Xen: ops table | ops table/patched" \
	"| native instruction, natively |"
echo "|---|---|---|---|---|"
awk -F'|' '
function trim(s) { gsub(/^ +| +$/, "", s); return s }
NR == FNR {
	if ($2 ~ /\(inline\)/ && NF >= 6)
		native[trim($2)] = trim($4)
	next
}
$2 ~ /\(inline\), / && NF >= 6 {
	site = trim($2)
	sub(/, [a-z0-9_]+$/, "", site)
	printf "| %s | %s | %s | %s | %s |\n", trim($2), trim($3),
		trim($5), trim($6), (site in native) ? native[site] : "?"
}' "$native" "$xen"
