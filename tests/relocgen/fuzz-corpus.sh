#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Builds the seed corpus of the relocgen fuzz harness (tests/fuzz/relocgen.c)
# from the fixtures: the images of the fixture tests, linked with -N (no
# page alignment) and the kernel-like script with 64-byte instead of page
# alignment, so that each is a few KB. Writes into OUTDIR; the committed
# seeds are in tests/fuzz/corpus/relocgen/.
#
#   RELOCGEN=build/host/relocgen tests/relocgen/fuzz-corpus.sh OUTDIR
set -eu

BUILD=${BUILD:-build}
RELOCGEN=${RELOCGEN:-$BUILD/host/relocgen}
FIXTURES=$(cd "$(dirname "$0")" && pwd)/fixtures
OUT=$1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LD="ld -N --no-warn-rwx-segments --emit-relocs"

mkdir -p "$OUT"
sed 's/ALIGN(4096)/ALIGN(64)/g' "$FIXTURES/folded.ld" >"$WORK/small.ld"
for name in basic empty stray_lock; do
	gcc -c -I"$FIXTURES" "$FIXTURES/$name.S" -o "$WORK/$name.o"
done

# seed NAME OBJECT LINKER-ARGS...: link 1, table, link 2, verified image.
seed() {
	local name=$1 object=$2 w=$WORK/$1
	shift 2
	$LD "$@" "$object" -o "$w.elf"
	"$RELOCGEN" --table "$w.table.o" "$w.elf"
	$LD "$@" "$object" "$w.table.o" -o "$w.link2.elf"
	"$RELOCGEN" --verify "$w.elf" "$w.link2.elf" -o "$w.out.elf"
	install -m 644 "$w.elf" "$OUT/$name.link1.elf"
	install -m 644 "$w.link2.elf" "$OUT/$name.link2.elf"
	install -m 644 "$w.out.elf" "$OUT/$name.verified.elf"
}

seed basic "$WORK/basic.o" -e _start
install -m 644 "$WORK/basic.table.o" "$OUT/basic.table.o"
seed folded "$WORK/basic.o" -T "$WORK/small.ld"
seed empty "$WORK/empty.o" -T "$WORK/small.ld"
$LD -T "$WORK/small.ld" "$WORK/stray_lock.o" -o "$WORK/stray_lock.elf"
install -m 644 "$WORK/stray_lock.elf" "$OUT/stray_lock.elf"
