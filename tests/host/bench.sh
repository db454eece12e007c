#!/bin/sh
# SPDX-License-Identifier: MIT
#
# make bench: builds the self-patching benchmark program with the relocgen
# pipeline (tests/host/host.mk) and prints its tables: cycles per patched
# site beside the native instruction, an ops-table call and a flag test;
# engine apply throughput and table bytes per site on 1,000,000 synthetic
# sites; run-time switch stop times; and relocgen's statistics of the
# program's real table. Arguments select tables: cycles, apply, switch.
set -eu

cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

make -s -f tests/host/host.mk BUILD="$BUILD" bench-programs >&2

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "## relink engine benchmarks"
echo
echo "Host: ${cpu:-unknown CPU}, $(nproc) CPUs online, $(uname -r)."
"$BUILD/host/bench" "$@"
echo
echo "### The bench program's own table (relocgen --stats)"
echo
"$BUILD/host/relocgen" --stats "$BUILD/host/bench" | sed 's/^/    /'
