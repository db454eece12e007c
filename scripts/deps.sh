#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Installs the Debian 12 packages relink needs to build, run and test.
# make calls this when a tool or header it needs is missing; it is safe to
# run again. Needs root (or sudo) and apt-get.
set -eu

packages="
	build-essential
	binutils
	make
	python3
	qemu-system-x86
	libelf-dev
	libcmocka-dev
	libzydis-dev
	libxen-dev
	xen-hypervisor-4.17-amd64
	pkg-config
	clang
	libclang-rt-14-dev
"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends keeps the Xen hypervisor package from pulling in
# a bootloader update; the hypervisor image alone is what the tests boot.
$sudo apt-get install -y -qq --no-install-recommends $missing
