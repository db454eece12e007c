#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Times "relocgen --table" on generated images of 10k, 100k and 1M sites
# (or the counts given as arguments) and prints one row per size: sites,
# seconds (best of 3 runs), sites per second, table bytes per site. The
# design's targets: 1M sites in under 2 s, linear, <= 8 table bytes/site.
#
#   BUILD=build RELOCGEN=build/host/relocgen tools/relocgen/bench.sh [N...]
#
# Inputs come from tests/relocgen/gen-sites.py, assembled and linked with
# ld --emit-relocs into $BUILD/bench/relocgen, and are reused while the
# generator is unchanged (assembling 1M sites takes longer than relocgen).

set -eu

BUILD=${BUILD:-build}
RELOCGEN=${RELOCGEN:-$BUILD/host/relocgen}
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../../tests/relocgen/gen-sites.py
WORK=$BUILD/bench/relocgen
RUNS=3

if [ ! -x "$RELOCGEN" ]; then
	echo "bench.sh: $RELOCGEN is not built" >&2
	exit 1
fi
mkdir -p "$WORK"

# input N: build $WORK/sites-N.elf unless it is newer than the generator.
input() {
	local elf=$WORK/sites-$1.elf
	if [ ! -f "$elf" ] || [ "$GEN" -nt "$elf" ]; then
		python3 "$GEN" "$1" >"$WORK/sites-$1.S"
		gcc -c "$WORK/sites-$1.S" -o "$WORK/sites-$1.o"
		ld --emit-relocs -e _start "$WORK/sites-$1.o" -o "$elf"
		rm -f "$WORK/sites-$1.S" "$WORK/sites-$1.o"
	fi
}

# best_time N: the fastest of $RUNS runs, in nanoseconds.
best_time() {
	local best="" start end i
	for i in $(seq "$RUNS"); do
		start=$(date +%s%N)
		"$RELOCGEN" --table "$WORK/table-$1.o" "$WORK/sites-$1.elf"
		end=$(date +%s%N)
		if [ -z "$best" ] || [ $((end - start)) -lt "$best" ]; then
			best=$((end - start))
		fi
	done
	echo "$best"
}

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)

printf '%-10s %10s %14s %18s\n' sites seconds sites/s "table bytes/site"
for n in "${sizes[@]}"; do
	input "$n"
	ns=$(best_time "$n")
	per_site=$("$RELOCGEN" --stats "$WORK/table-$n.o" |
		awk -F': ' '/^bytes per site/ { print $2 }')
	awk -v n="$n" -v ns="$ns" -v b="$per_site" 'BEGIN {
		s = ns / 1e9
		rate = s > 0 ? n / s : 0
		printf "%-10d %10.3f %14.0f %18s\n", n, s, rate, b
	}'
done
