#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# relocgen fixture tests. Builds the fixtures of tests/relocgen/fixtures
# into $BUILD/tests/relocgen, runs $RELOCGEN on them (the ASan/UBSan build,
# from tools/relocgen/relocgen.mk) and prints TAP. Exits non-zero when any
# test fails.
#
#   BUILD=build RELOCGEN=build/host/relocgen-asan tests/relocgen/run.sh
#
# Good inputs go through the whole pipeline (--table, link 2, --verify,
# --dump against a golden file); each bad input must fail with exactly its
# expected error line, exit status 1 and no output file left behind.

set -u

BUILD=${BUILD:-build}
RELOCGEN=${RELOCGEN:-$BUILD/host/relocgen-asan}
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURES=$HERE/fixtures
OUT=$BUILD/tests/relocgen
INCLUDE=$HERE/../../include

# A sanitizer report must not pass for relocgen's own exit status 1.
export ASAN_OPTIONS=exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=98:print_stacktrace=1

count=0
failures=0
results=()

pass() {
	count=$((count + 1))
	results+=("ok $count - $1")
}

# fail NAME [DIAGNOSTIC...]: each diagnostic line becomes a "#" line.
fail() {
	local name=$1 text line
	shift
	count=$((count + 1))
	failures=$((failures + 1))
	results+=("not ok $count - $name")
	for text in "$@"; do
		while IFS= read -r line; do
			results+=("#   $line")
		done <<<"$text"
	done
}

# run CMD...: sets rc, and leaves stdout and stderr in $OUT/out, $OUT/err.
run() {
	"$@" >"$OUT/out" 2>"$OUT/err"
	rc=$?
}

# expect_ok NAME CMD...: exit status 0 and nothing on stderr.
expect_ok() {
	local name=$1
	shift
	run "$@"
	if [ "$rc" -eq 0 ] && [ ! -s "$OUT/err" ]; then
		pass "$name"
	else
		fail "$name" "command: $*" "exit status $rc" "$(cat "$OUT/err")"
	fi
}

# expect_error NAME OUTPUT EXPECTED CMD...: exit status 1, stderr exactly
# EXPECTED, and neither OUTPUT nor a temporary file of it left behind.
expect_error() {
	local name=$1 output=$2 expected=$3 leftovers
	shift 3
	rm -f "$output"
	run "$@"
	leftovers=$(ls "$output" "$output".tmp.* 2>/dev/null)
	if [ "$rc" -eq 1 ] && [ "$(cat "$OUT/err")" = "$expected" ] &&
		[ -z "$leftovers" ]; then
		pass "$name"
	else
		fail "$name" "command: $*" "exit status $rc (expected 1)" \
			"expected: $expected" "got: $(cat "$OUT/err")" \
			"${leftovers:+left behind: $leftovers}"
	fi
}

# expect_same NAME EXPECTED_FILE ACTUAL_FILE
expect_same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "$(diff -u "$2" "$3" | head -40)"
	fi
}

# asm_fixture NAME [GCC FLAGS...]: fixtures/basic.S -> NAME.o, NAME.elf.
asm_fixture() {
	local name=$1
	shift
	gcc -c -I"$FIXTURES" "$@" "$FIXTURES/basic.S" -o "$OUT/$name.o" &&
		ld --emit-relocs -e _start "$OUT/$name.o" -o "$OUT/$name.elf"
}

# patch FILE OFFSET HEXBYTES: overwrite bytes in place ("ff ff").
patch() {
	local byte offset=$2
	for byte in $3; do
		printf "\\x$byte" | dd of="$1" bs=1 seek="$offset" conv=notrunc \
			status=none
		offset=$((offset + 1))
	done
}

section_header_offset() {
	readelf -hW "$1" | awk '/Start of section headers/ { print $5 }'
}

good_pipeline() {
	local B=$OUT/basic
	if asm_fixture basic; then
		pass "basic: build the fixture"
	else
		fail "basic: build the fixture"
		return
	fi
	expect_ok "basic: --table writes the table object" \
		"$RELOCGEN" --table "$B.table.o" "$B.elf"
	if readelf -SW "$B.table.o" 2>/dev/null |
		grep -q '\.relink\.table *PROGBITS .* A  *0  *0  *8$'; then
		pass "basic: the table object has .relink.table (alloc, align 8)"
	else
		fail "basic: the table object has .relink.table (alloc, align 8)" \
			"$(readelf -SW "$B.table.o" 2>&1)"
	fi
	expect_ok "basic: link 2 adds the table" \
		ld --emit-relocs -e _start "$B.o" "$B.table.o" -o "$B.link2.elf"
	expect_ok "basic: --verify" \
		"$RELOCGEN" --verify "$B.elf" "$B.link2.elf" -o "$B.out.elf"
	run "$RELOCGEN" --dump "$B.out.elf"
	expect_same "basic: --dump matches basic.dump.golden" \
		"$HERE/basic.dump.golden" "$OUT/out"
	run "$RELOCGEN" --stats "$B.out.elf"
	expect_same "basic: --stats matches basic.stats.golden" \
		"$HERE/basic.stats.golden" "$OUT/out"
	check_rela "$B.out.elf" 12
	check_loadable "$B.link2.elf" "$B.out.elf"
	run "$RELOCGEN" --dump "$B.table.o"
	if [ "$rc" -eq 0 ] && [ "$(grep -c '^0x' "$OUT/out")" -eq 12 ]; then
		pass "basic: the table object alone dumps 12 sites"
	else
		fail "basic: the table object alone dumps 12 sites" \
			"$(cat "$OUT/err")"
	fi
}

# check_rela FILE N: readelf -r lists N private relocations in .rela.relink.
check_rela() {
	local listing private
	listing=$(readelf -rW "$1" 2>&1 |
		sed -n "/^Relocation section '.rela.relink'/,/^$/p")
	private=$(grep -c 'unrecognized: 52454c0[1-4]' <<<"$listing")
	if grep -q "contains $2 entries" <<<"$listing" && [ "$private" -eq "$2" ]
	then
		pass "basic: readelf -r shows $2 private relocations in .rela.relink"
	else
		fail "basic: readelf -r shows $2 private relocations in .rela.relink" \
			"$listing"
	fi
}

# check_loadable LINK2 OUT: same program headers, same loadable bytes, and
# in the ELF header (loaded with the first segment) only e_shoff and e_shnum
# changed: cmp -l numbers bytes from 1, so those are bytes 41..48 and 61..62.
check_loadable() {
	local name="basic: --verify output keeps program headers and contents"
	local offset size bad="" header
	if [ "$(readelf -lW "$1" | grep -v '^Elf file type')" != \
		"$(readelf -lW "$2" | grep -v '^Elf file type')" ]; then
		fail "$name" "program headers differ"
		return
	fi
	header=$(cmp -l -n 64 "$1" "$2" | awk '$1 < 41 || ($1 > 48 && $1 < 61) || $1 > 62')
	[ -n "$header" ] && bad=" ELF header bytes: $header"
	while read -r offset size; do
		# The ELF header was compared above.
		if [ "$offset" -eq 0 ] && [ "$size" -gt 64 ]; then
			offset=64
			size=$((size - 64))
		fi
		cmp -s -n "$size" -i "$offset:$offset" "$1" "$2" ||
			bad="$bad segment at $offset"
	done < <(readelf -lW "$1" | awk '$1 == "LOAD" { print $2, $5 }' |
		while read -r o s; do printf '%d %d\n' "$o" "$s"; done)
	if [ -z "$bad" ]; then
		pass "$name"
	else
		fail "$name" "differs:$bad"
	fi
}

# The kernel's layout (fixtures/folded.ld, after scripts/kernel.ld): no
# output sections named .relink.*, only start/end symbols around them.
folded_pipeline() {
	local F=$OUT/folded E=$OUT/empty lds=$FIXTURES/folded.ld
	expect_ok "folded: link 1 with a kernel-like script" \
		ld --emit-relocs -T "$lds" "$OUT/basic.o" -o "$F.elf"
	expect_ok "folded: --table" "$RELOCGEN" --table "$F.table.o" "$F.elf"
	expect_ok "folded: link 2" ld --emit-relocs -T "$lds" "$OUT/basic.o" \
		"$F.table.o" -o "$F.link2.elf"
	expect_ok "folded: --verify" \
		"$RELOCGEN" --verify "$F.elf" "$F.link2.elf" -o "$F.out.elf"
	run "$RELOCGEN" --dump "$F.out.elf"
	expect_same "folded: --dump matches folded.dump.golden" \
		"$HERE/folded.dump.golden" "$OUT/out"
	gcc -c "$FIXTURES/empty.S" -o "$E.o" &&
		ld --emit-relocs -T "$lds" "$E.o" -o "$E.elf" &&
		"$RELOCGEN" --table "$E.table.o" "$E.elf" &&
		ld --emit-relocs -T "$lds" "$E.o" "$E.table.o" -o "$E.link2.elf" &&
		"$RELOCGEN" --verify "$E.elf" "$E.link2.elf" -o "$E.out.elf" \
			2>"$OUT/err" &&
		"$RELOCGEN" --stats "$E.out.elf" >"$OUT/out" 2>>"$OUT/err"
	if [ $? -eq 0 ] && grep -qx "sites: 0" "$OUT/out" &&
		grep -qx "choices: 0" "$OUT/out"; then
		pass "empty: an image without choices or sites"
	else
		fail "empty: an image without choices or sites" \
			"$(cat "$OUT/out" "$OUT/err")"
	fi
}

# Every lock prefix must be a site: the fixture's sites pass, a stray fails.
lock_check() {
	local S=$OUT/stray
	expect_ok "check-locks: the fixture's lock prefixes are all sites" \
		"$RELOCGEN" --check-locks "$OUT/basic.out.elf"
	gcc -c "$FIXTURES/stray_lock.S" -o "$S.o" &&
		ld --emit-relocs -T "$FIXTURES/folded.ld" "$S.o" -o "$S.elf"
	expect_error "check-locks: a lock prefix outside a site" "$S.none" \
		"$S.elf: _start+0x2: lock prefix outside a site (write it through the atomic helpers)" \
		"$RELOCGEN" --check-locks "$S.elf"
	overlapping_functions
	untyped_locks
}

# Lock prefixes in assembly without a function symbol (untyped_lock.S,
# built as is and with each define): each must be named, once.
untyped_locks() {
	local U=$OUT/untyped define where what
	while IFS='|' read -r define where what; do
		gcc -c ${define:+"$define"} "$FIXTURES/untyped_lock.S" -o "$U.o" &&
			ld --emit-relocs -T "$FIXTURES/folded.ld" "$U.o" -o "$U.elf"
		expect_error "check-locks: untyped asm, $what" "$U.none" \
			"$U.elf: $where: lock prefix outside a site (write it through the atomic helpers)" \
			"$RELOCGEN" --check-locks "$U.elf"
	done <<'EOF'
|entry_common+0x0|a label after data that would swallow its lock
-DUNDECODABLE|entry_common+0x1|a lock prefix where nothing decodes
EOF
}

# --check-privileged FILE [NATIVE-SECTION...]: what a PV guest may not run
# sits in a pv site or in native-only code.
privileged_check() {
	local P=$OUT/privileged
	local B=$OUT/basic.out.elf
	# cpu_cr3's sites hold mov to and from %cr3, but the hypervisor does
	# not decide it; the body of pv's call symbol runs as compiled.
	expect_error "check-privileged: only the hypervisor's sites may hold them" \
		"$P.none" \
		"$B: boot+0x29: privileged instruction 'mov cr/dr' outside a pv site and outside native-only code
$B: boot+0x2e: privileged instruction 'mov cr/dr' outside a pv site and outside native-only code
$B: boot+0x31: privileged instruction 'invlpg' outside a pv site and outside native-only code
$B: relink_irq_disable+0x0: privileged instruction 'cli' outside a pv site and outside native-only code
relocgen: $B: 4 privileged instructions outside pv sites and native-only sections" \
		"$RELOCGEN" --check-privileged "$B"
	expect_ok "check-privileged: a body in a native-only section" \
		"$RELOCGEN" --check-privileged "$B" .text.choice .text
	# nmi.ld keeps .text.n* out of .text: .text.native stays a section.
	gcc -c "$FIXTURES/stray_privileged.S" -o "$P.o" &&
		ld --emit-relocs -z noexecstack --no-warn-rwx-segments \
			-T "$FIXTURES/nmi.ld" "$P.o" -o "$P.elf"
	expect_error "check-privileged: each stray instruction named" "$P.none" \
		"$P.elf: _start+0x0: privileged instruction 'cli' outside a pv site and outside native-only code
$P.elf: _start+0x4: privileged instruction 'mov cr/dr' outside a pv site and outside native-only code
$P.elf: _start+0xb: privileged instruction 'out' outside a pv site and outside native-only code
relocgen: $P.elf: 3 privileged instructions outside pv sites and native-only sections" \
		"$RELOCGEN" --check-privileged "$P.elf" .text.native
	expect_error "check-privileged: native code only where named" "$P.none" \
		"$P.elf: native_fn+0x0: privileged instruction 'wrmsr' outside a pv site and outside native-only code
relocgen: $P.elf: 4 privileged instructions outside pv sites and native-only sections" \
		bash -c '"$0" --check-privileged "$1" 2>&1 >/dev/null | grep -v _start >&2; exit ${PIPESTATUS[0]}' \
		"$RELOCGEN" "$P.elf"
}

# --check-isolated SECTION: the NMI path's rule, no site in the section and
# no call or jump out of it.
isolated_check() {
	local N=$OUT/nmi v
	for v in OK CALL_OUT INDIRECT; do
		gcc -c -D$v "$FIXTURES/nmi_section.S" -o "$N.$v.o" &&
			ld --emit-relocs -z noexecstack -T "$FIXTURES/nmi.ld" \
				"$N.$v.o" -o "$N.$v.elf"
	done
	expect_ok "check-isolated: calls and jumps that stay in .text.nmi" \
		"$RELOCGEN" --check-isolated .text.nmi "$N.OK.elf"
	expect_error "check-isolated: a call out of the section" "$N.none" \
		"$N.CALL_OUT.elf: nmi_entry+0x8: a call or jump out of .text.nmi (to 0xffffffff80200000)" \
		"$RELOCGEN" --check-isolated .text.nmi "$N.CALL_OUT.elf"
	expect_error "check-isolated: an indirect call" "$N.none" \
		"$N.INDIRECT.elf: nmi_entry+0x8: an indirect call or jump in .text.nmi: where it goes cannot be checked" \
		"$RELOCGEN" --check-isolated .text.nmi "$N.INDIRECT.elf"
	expect_error "check-isolated: no such section" "$N.none" \
		"$N.OK.elf: no executable section .nosuch" \
		"$RELOCGEN" --check-isolated .nosuch "$N.OK.elf"
	run "$RELOCGEN" --check-isolated .text "$OUT/basic.out.elf"
	if [ "$rc" -eq 1 ] && grep -q ": a site in .text, which must never be rewritten$" "$OUT/err"; then
		pass "check-isolated: a site in the section"
	else
		fail "check-isolated: a site in the section" "exit status $rc" "$(cat "$OUT/err")"
	fi
}

# 1000 function symbols over the same 256 KiB of text: decoded once each
# that is 256 MiB (minutes under ASan); decoded once in all, a moment.
overlapping_functions() {
	local V=$OUT/overlap i
	{
		printf '.text\n.type big, @function\nbig:\n'
		printf '.fill 262144, 1, 0x90\n.size big, . - big\n'
		for ((i = 0; i < 1000; i++)); do
			printf '.type alias%d, @function\n' "$i"
			printf '.set alias%d, big\n.size alias%d, 262144\n' "$i" "$i"
		done
	} >"$V.S"
	gcc -c "$V.S" -o "$V.o" &&
		ld --emit-relocs -z noexecstack -e _start "$OUT/basic.o" "$V.o" \
			-o "$V.elf"
	expect_ok "check-locks: overlapping function symbols, decoded once" \
		timeout 20 "$RELOCGEN" --check-locks "$V.elf"
}

c_program() {
	local C=$OUT/cprog name
	local flags=(-O2 -fno-pie -no-pie -fno-optimize-sibling-calls
		-I"$INCLUDE" -Wl,--emit-relocs)
	expect_ok "cprog: build with gcc -no-pie -Wl,--emit-relocs" \
		gcc "${flags[@]}" "$FIXTURES/cprog.c" -o "$C.elf"
	expect_ok "cprog: --table" "$RELOCGEN" --table "$C.table.o" "$C.elf"
	objcopy --dump-section .relink.table="$C.table.bin" "$C.table.o" \
		"$OUT/scratch.o"
	expect_ok "cprog: link 2" \
		gcc "${flags[@]}" "$FIXTURES/cprog.c" "$C.table.o" -o "$C.link2.elf"
	name="cprog: link 2 finds its table through __relink_table"
	run "$C.link2.elf"
	if [ "$rc" -eq 0 ] && grep -q "^table magic 0x4b4e4c52 version 2 sites 3$" \
		"$OUT/out"; then
		pass "$name"
	else
		fail "$name" "exit status $rc" "$(cat "$OUT/out")"
	fi
	expect_ok "cprog: --verify" \
		"$RELOCGEN" --verify "$C.elf" "$C.link2.elf" -o "$C.out.elf"
	run "$RELOCGEN" --stats "$C.out.elf"
	name="cprog: 2 call sites and 1 inline site"
	if grep -qx "shape call: 2" "$OUT/out" &&
		grep -qx "shape inline: 1" "$OUT/out"; then
		pass "$name"
	else
		fail "$name" "$(cat "$OUT/out" "$OUT/err")"
	fi
}

# Each defect of basic.S and the one line relocgen must print for it.
site_errors() {
	local defect message f
	while IFS='|' read -r defect message; do
		f=$OUT/bad_$defect
		if ! asm_fixture "bad_$defect" "-DBAD_$defect"; then
			fail "error: $defect (fixture does not build)"
			continue
		fi
		expect_error "error: $defect" "$f.table.o" "$f.elf: $message" \
			"$RELOCGEN" --table "$f.table.o" "$f.elf"
	done <<'EOF'
SPLIT|boot+0x7: site start is inside the instruction at boot+0x6 (5 bytes)
RSP|boot+0x6: register operand 1 is rsp
NREGS|boot+0x6: site has 4 register operands, at most 3
REG_BEYOND|boot+0x6: register operand 1 is rdi but the site has 1 register operand
NO_TARGET|boot+0x15: branch site has no target in .relink.branch_targets
BRANCH_MISMATCH|boot+0x15: branch site jumps to boot+0x1a but its recorded target is boot+0x1f
HOLE|boot+0x29: variant read of cpu.cr3: its template uses a register hole the site does not have
FIT|boot+0x34: variant hw of cpu.popcnt: its code is longer than the site
LOCK_SITE|boot+0x34: default variant smp of smp.lock is not the compiled code (want f0, found 48)
CLOBBER|boot+0x29: variant zero of cpu.cr3: its template writes a register the site does not let it clobber
TAILCALL|other+0xa: tail call to choice pv.irq_disable is not a patchable site: compile with -fno-optimize-sibling-calls
ADDR_TAKEN|other+0xd: reference to choice pv.irq_disable's call symbol is not a direct call
MARKER_DATA|bad_data+0x0: site is not in executable text (section .data)
CHOICE_PTR|__choice_pv_irq_disable+0x0: choice name pointer 0x12345 is outside any allocated section
EOF
}

# rules.S NAME [GCC FLAGS...] -> NAME.o, NAME.elf; section .far at 32 GiB.
rules_fixture() {
	local name=$1
	shift
	gcc -c -I"$FIXTURES" "$@" "$FIXTURES/rules.S" -o "$OUT/$name.o" &&
		ld --emit-relocs -e _start --section-start=.far=0x800000000 \
			"$OUT/$name.o" -o "$OUT/$name.elf"
}

# Every rule of the kernel's emitter, and relocgen's Zydis check of what
# it emits: each defect of rules.S and the one line relocgen prints for
# it, the emitter's own reason after "variant V of CHOICE: ".
rule_errors() {
	local defect message f
	if rules_fixture rules; then
		expect_ok "rules: the fixture passes as is" \
			"$RELOCGEN" --table "$OUT/rules.table.o" "$OUT/rules.elf"
	else
		fail "rules: build the fixture"
	fi
	while IFS='|' read -r defect message; do
		f=$OUT/rule_$defect
		if ! rules_fixture "rule_$defect" "-DBAD_$defect"; then
			fail "rule: $defect (fixture does not build)"
			continue
		fi
		expect_error "rule: $defect" "$f.table.o" "$f.elf: $message" \
			"$RELOCGEN" --table "$f.table.o" "$f.elf"
	done <<'EOF'
DEFAULT|_start+0x0: default variant hw of t.inline is not the compiled code (want f3 48 0f b8 c7, found f3 48 0f b8 c6)
CALL_CLOBBERS|_start+0x0: variant other of t.inline: a call clobbers every caller-saved register, and the site does not let it
CALL_NOT_LAST|_start+0x0: variant other of t.inline: its call is not the last instruction of its template
CALL_NO_TARGET|_start+0x0: variant other of t.inline: its call has no target
CALL_REACH|_start+0x0: variant other of t.inline: its call target is out of rel32 reach of the site
CLOBBER|_start+0x0: variant other of t.inline: its template writes a register the site does not let it clobber
HOLE|_start+0x0: variant other of t.inline: its template uses a register hole the site does not have
REG|_start+0x0: variant other of t.inline: its template names a register above r15
CR|_start+0x0: variant other of t.inline: its template uses a control register other than cr0, cr2, cr3, cr4 or cr8
OP|_start+0x0: variant other of t.inline: its template has an op the x86 encoder does not know
RAW_LEN|_start+0x0: variant other of t.inline: its template has a raw instruction that is not 1 to 4 bytes
FIT|_start+0x0: variant other of t.inline: its code is longer than the site
JMP_INLINE|_start+0x0: variant other of t.inline: its template jumps, and only a branch site has a target
UNDECODABLE|_start+0x0: variant other of t.inline: Zydis cannot decode its code at +0 (06 0f 1f 40 00)
CROSSING|_start+0x0: variant other of t.inline: its instruction at +0 (0f 1f 84 00 90) runs past the end of the site
THUNK_RSP|_start+0x0: variant other of t.inline: its thunk table has no thunk for rsp
LOCK_BYTE|_start+0x5: variant up of t.lock: a lock variant is the prefix 0xf0 (lock) or 0x3e (ds)
LOCK_LEN|_start+0x5: variant up of t.lock: a lock variant is one raw prefix byte
LOCK_PREFIX|_start+0x5: variant smp of t.lock: the instruction at the site does not decode with prefix 0xf0
BRANCH_RAW|_start+0x8: variant on of t.branch: a branch variant is nothing or one jmp
BRANCH_REACH|_start+0x8: variant on of t.branch: the branch target is out of reach of the site's jmp
EOF
}

file_errors() {
	local B=$OUT/basic F=$OUT/file shoff shnum text_size
	head -c 40 "$B.elf" >"$F.short.elf"
	expect_error "error: file shorter than the ELF header" "$F.o" \
		"$F.short.elf: truncated ELF header (file size 40)" \
		"$RELOCGEN" --table "$F.o" "$F.short.elf"
	shoff=$(section_header_offset "$B.elf")
	shnum=$(readelf -hW "$B.elf" | awk '/Number of section headers/ { print $5 }')
	text_size=$(readelf -SW "$B.elf" | sed 's/^ *\[ *[0-9]*\]//' |
		awk '$1 == ".text" { print $5 }')
	head -c 2000 "$B.elf" >"$F.truncated.elf"
	expect_error "error: truncated file" "$F.o" \
		"$F.truncated.elf: section header table (offset $(printf 0x%x "$shoff"), $shnum entries) past the end of the file (size 0x7d0)" \
		"$RELOCGEN" --table "$F.o" "$F.truncated.elf"
	# Section 1 (.text): sh_offset is at byte 24 of its header.
	cp "$B.elf" "$F.offset.elf"
	patch "$F.offset.elf" $((shoff + 64 + 24)) "00 00 00 10"
	expect_error "error: section contents past the end of the file" "$F.o" \
		"$F.offset.elf: section .text: contents (offset 0x10000000, size 0x${text_size#"${text_size%%[!0]*}"}) past the end of the file (size $(printf 0x%x "$(stat -c %s "$B.elf")"))" \
		"$RELOCGEN" --table "$F.o" "$F.offset.elf"
	echo "not an ELF file" >"$F.text"
	expect_error "error: not an ELF file" "$F.o" \
		"$F.text: not an ELF file" "$RELOCGEN" --table "$F.o" "$F.text"
	if ! echo 'int x;' | gcc -m32 -x c -c - -o "$F.elf32.o" 2>/dev/null; then
		cp "$B.elf" "$F.elf32.o" && patch "$F.elf32.o" 4 "01"
	fi
	expect_error "error: ELF32 file" "$F.o" \
		"$F.elf32.o: not an ELF64 file (class 1)" \
		"$RELOCGEN" --table "$F.o" "$F.elf32.o"
	cp "$B.elf" "$F.arm.elf" && patch "$F.arm.elf" 18 "b7 00"
	expect_error "error: ELF64 for another machine" "$F.o" \
		"$F.arm.elf: not an x86-64 ELF file (e_machine 183)" \
		"$RELOCGEN" --table "$F.o" "$F.arm.elf"
	strip -o "$F.stripped.elf" "$B.elf"
	expect_error "error: no .symtab" "$F.o" \
		"$F.stripped.elf: no .symtab section (stripped?)" \
		"$RELOCGEN" --table "$F.o" "$F.stripped.elf"
	expect_error "error: an unlinked object" "$F.o" \
		"$B.o: not a linked executable (e_type 1): relocgen reads the output of ld --emit-relocs" \
		"$RELOCGEN" --table "$F.o" "$B.o"
	ld -e _start "$B.o" -o "$F.norelocs.elf"
	expect_error "error: linked without --emit-relocs" "$F.o" \
		"$F.norelocs.elf: no relocations for executable sections: link with --emit-relocs" \
		"$RELOCGEN" --table "$F.o" "$F.norelocs.elf"
	expect_error "error: missing file" "$F.o" \
		"$F.missing: cannot open: No such file or directory" \
		"$RELOCGEN" --table "$F.o" "$F.missing"
	expect_error "error: unwritable output" "$OUT/no/such/dir/t.o" \
		"$OUT/no/such/dir/t.o: cannot create a temporary file: No such file or directory" \
		"$RELOCGEN" --table "$OUT/no/such/dir/t.o" "$B.elf"
}

verify_errors() {
	local B=$OUT/basic M=$OUT/moved
	asm_fixture moved -DMOVED &&
		ld --emit-relocs -e _start "$M.o" "$B.table.o" -o "$M.link2.elf"
	expect_error "verify: a site moved" "$M.out.elf" \
		"$M.link2.elf: boot+0x2f: site moved: choice mm.flush site was at 0x401048 (boot+0x2e in $B.elf), now choice mm.flush at 0x401049
$M.link2.elf: other+0x5: site moved: choice pv.irq_disable site was at 0x40111d (other+0x5 in $B.elf), now choice pv.irq_disable at 0x40111e" \
		"$RELOCGEN" --verify "$B.elf" "$M.link2.elf" -o "$M.out.elf"
	ld --emit-relocs -e _start "$B.o" "$OUT/cprog.table.o" -o "$OUT/wrong.elf"
	expect_error "verify: link 2 carries another image's table" \
		"$OUT/wrong.out.elf" \
		"$OUT/wrong.elf: .relink.table is $(stat -c %s "$OUT/cprog.table.bin") bytes, the table rebuilt from it is 535" \
		"$RELOCGEN" --verify "$B.elf" "$OUT/wrong.elf" -o "$OUT/wrong.out.elf"
	# The table of "moved" has the same size; its site 1 (table order: by
	# choice, then address) is one byte on: sites start at byte 336 (header
	# 80, 6 choices of 12 bytes, 15 variants and 8 forms of 8), 4 bytes each.
	"$RELOCGEN" --table "$M.table.o" "$M.elf"
	ld --emit-relocs -e _start "$B.o" "$M.table.o" -o "$OUT/stale.elf"
	expect_error "verify: link 2 carries a stale table" "$OUT/stale.out.elf" \
		"$OUT/stale.elf: .relink.table differs from the table rebuilt from this image (first difference at byte $((336 + 1 * 4)))" \
		"$RELOCGEN" --verify "$B.elf" "$OUT/stale.elf" -o "$OUT/stale.out.elf"
	expect_error "verify: link 2 without a table" "$OUT/none.out.elf" \
		"$B.elf: no .relink.table section (link the object from relocgen --table into the image)" \
		"$RELOCGEN" --verify "$B.elf" "$B.elf" -o "$OUT/none.out.elf"
}

# Outputs go through a temporary file renamed into place, which would
# replace a device or FIFO: relocgen refuses them before any work (the
# input here does not even exist). The FIFO goes first: if it is replaced,
# /dev/full would be too, so that test is not run.
output_rules() {
	local B=$OUT/basic fifo=$OUT/out.fifo name
	name="output: a FIFO is refused before any work, and stays a FIFO"
	rm -f "$fifo" && mkfifo "$fifo"
	run "$RELOCGEN" --verify "$OUT/missing" "$OUT/missing" -o "$fifo"
	if [ "$rc" -eq 1 ] && [ -p "$fifo" ] && [ "$(cat "$OUT/err")" = \
		"$fifo: is a FIFO: the output must be a regular file or a new path" ]
	then
		pass "$name"
	else
		fail "$name" "exit status $rc" "$(cat "$OUT/err")" \
			"$(ls -l "$fifo" 2>&1)"
		fail "output: /dev/full is refused (not run: it would be replaced)"
		return
	fi
	name="output: /dev/full is refused, and stays a character device"
	run "$RELOCGEN" --table /dev/full "$B.elf"
	if [ "$rc" -eq 1 ] && [ -c /dev/full ] && [ "$(cat "$OUT/err")" = \
		"/dev/full: is a character device: the output must be a regular file or a new path" ]
	then
		pass "$name"
	else
		fail "$name" "exit status $rc" "$(cat "$OUT/err")" \
			"$(ls -l /dev/full 2>&1)"
	fi
	expect_error "output: a directory is refused" "$OUT/none" \
		"$OUT: is a directory: the output must be a regular file or a new path" \
		"$RELOCGEN" --table "$OUT" "$B.elf"
}

# Every command opens its inputs without blocking and reads regular files
# only: a FIFO with no writer must be refused at once, not waited on.
input_rules() {
	local B=$OUT/basic fifo=$OUT/in.fifo command args expected
	rm -f "$fifo" && mkfifo "$fifo"
	expected="$fifo: is a FIFO: the input must be a regular file"
	while IFS='|' read -r command args; do
		# shellcheck disable=SC2086
		expect_error "input: a FIFO is refused without hanging: $command" \
			"$OUT/fifo.out" "$expected" timeout 10 "$RELOCGEN" $args
	done <<EOF
--dump|--dump $fifo
--stats|--stats $fifo
--check-locks|--check-locks $fifo
--table|--table $OUT/fifo.out $fifo
--verify, as link 1|--verify $fifo $B.link2.elf -o $OUT/fifo.out
--verify, as link 2|--verify $B.elf $fifo -o $OUT/fifo.out
EOF
	expect_error "input: a directory is refused" "$OUT/none" \
		"$OUT: is a directory: the input must be a regular file" \
		"$RELOCGEN" --dump "$OUT"
}

# --verify of a verified image would add a second .rela.relink: refused.
verify_twice() {
	local B=$OUT/basic
	expect_error "verify: an image verified before is refused" \
		"$OUT/twice.out.elf" \
		"$B.out.elf: already has .rela.relink (verified before): verify link 2 as ld wrote it" \
		"$RELOCGEN" --verify "$B.elf" "$B.out.elf" -o "$OUT/twice.out.elf"
}

# Names from the file are printed escaped: a newline in a symbol name must
# not split the line, an escape sequence must not reach the terminal.
escaped_names() {
	local S=$OUT/stray B=$OUT/basic name raw escaped
	# shellcheck disable=SC1003 # the backslashes are the point
	raw=$(printf 'na\nme\033[7m\\')
	# shellcheck disable=SC1003
	escaped='na\nme\x1b[7m\\'
	objcopy --redefine-sym "_start=$raw" "$S.elf" "$S.escaped.elf"
	expect_error "escape: a symbol name with a newline and ESC in an error" \
		"$S.none" \
		"$S.escaped.elf: $escaped+0x2: lock prefix outside a site (write it through the atomic helpers)" \
		"$RELOCGEN" --check-locks "$S.escaped.elf"
	objcopy --redefine-sym "boot=$raw" "$B.out.elf" "$B.escaped.elf"
	run "$RELOCGEN" --dump "$B.escaped.elf"
	name="escape: --dump prints the name escaped, one line per site"
	if [ "$rc" -eq 0 ] && [ "$(wc -l <"$OUT/out")" -eq \
		"$(wc -l <"$HERE/basic.dump.golden")" ] &&
		grep -qF " $escaped+0x1 call pv.irq_disable " "$OUT/out" &&
		! grep -q $'\033' "$OUT/out"; then
		pass "$name"
	else
		fail "$name" "exit status $rc" "$(head -5 "$OUT/out")" \
			"$(cat "$OUT/err")"
	fi
}

# corrupt_table NAME OFFSET HEXBYTES EXPECTED: patch the table of
# basic.out.elf (through objcopy) and expect --dump to reject it.
corrupt_table() {
	local T=$OUT/table
	cp "$OUT/table.bin" "$T.bad.bin"
	patch "$T.bad.bin" "$2" "$3"
	objcopy --update-section .relink.table="$T.bad.bin" \
		"$OUT/basic.out.elf" "$T.bad.elf"
	expect_error "dump: $1" "$OUT/no-output" \
		"$T.bad.elf: bad .relink.table: $4" "$RELOCGEN" --dump "$T.bad.elf"
}

# u32 FILE OFFSET: the little-endian 32-bit word at OFFSET.
u32() {
	od -An -tu4 -j"$2" -N4 "$1" | tr -d ' '
}

# hex3 N: the three low bytes of N, little-endian, as patch() takes them.
hex3() {
	printf '%02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255))
}

# The kernel's loader rejects the same defects with the same words: both
# run kernel/patching/table_check.c (tests/unit/test_engine.c feeds one
# table to both).
dump_errors() {
	local t=$OUT/table.bin sites forms choices strings site0
	expect_error "dump: image without a table" "$OUT/no-output" \
		"$OUT/basic.elf: no .relink.table section (link the object from relocgen --table into the image)" \
		"$RELOCGEN" --dump "$OUT/basic.elf"
	objcopy --dump-section .relink.table="$t" \
		"$OUT/basic.out.elf" "$OUT/scratch.elf"
	choices=$(u32 "$t" 44)
	forms=$(u32 "$t" 52)
	sites=$(u32 "$t" 56)
	strings=$(u32 "$t" 40)
	site0=$(($(u32 "$t" "$sites") & 0xffffff))
	corrupt_table "bad magic" 0 "58" \
		"magic 0x4b4e4c58, expected 0x4b4e4c52"
	corrupt_table "unknown version" 4 "03" "version 3, expected 2"
	corrupt_table "old site size" 14 "06" \
		"record sizes 80/12/8/8/6, expected 80/12/8/8/4"
	corrupt_table "total size past the section" 16 "ff ff" \
		"total size 65535, but 535 bytes are present"
	corrupt_table "site array out of bounds" 32 "ff ff" \
		"sites (offset $sites, 65535 records) out of bounds"
	corrupt_table "misaligned site array" 56 "$(printf %02x $(((sites + 2) & 255)))" \
		"sites (offset $((sites + 2))) not 4-byte aligned"
	corrupt_table "choice claims a site too many" $((choices + 4)) \
		"$(printf %02x $(($(u32 "$t" $((choices + 4))) + 1)))" \
		"the choices own 15 variants and 13 sites, the table has 15 and 12"
	corrupt_table "site form out of range" $((sites + 3)) "09" \
		"site 0: form 9, the table has 8"
	corrupt_table "lock form of two bytes" "$forms" "03 02" \
		"form 0: a lock site cannot be 2 bytes"
	corrupt_table "overlapping sites" $((sites + 4)) "$(hex3 "$site0")" \
		"site 1 (offset $(printf 0x%x "$site0")) overlaps or precedes site 0 (offset $(printf 0x%x "$site0"))"
	corrupt_table "bad name offset" "$choices" "ff ff" \
		"choice 0: name offset 65535 out of range ($strings bytes)"
}

usage_errors() {
	local args name
	for args in "" "--table only.o" "--verify a b" "--dump" "--bogus x"; do
		name="usage: relocgen $args"
		# shellcheck disable=SC2086
		run "$RELOCGEN" $args
		if [ "$rc" -eq 2 ] && grep -q "^usage: relocgen --table" "$OUT/err"
		then
			pass "$name"
		else
			fail "$name" "exit status $rc" "$(cat "$OUT/err")"
		fi
	done
}

robustness() {
	local mode file
	for mode in table dump; do
		file=$OUT/basic.elf
		[ "$mode" = dump ] && file=$OUT/basic.out.elf
		run python3 "$HERE/mutate.py" "$RELOCGEN" "$file" "$mode" 150 1 "$OUT"
		if [ "$rc" -eq 0 ]; then
			pass "robustness: --$mode survives 150 mutated inputs"
		else
			fail "robustness: --$mode survives 150 mutated inputs" \
				"$(tail -20 "$OUT/out")"
		fi
	done
}

generator() {
	local G=$OUT/gen
	python3 "$HERE/gen-sites.py" 1000 >"$G.S" && gcc -c "$G.S" -o "$G.o" &&
		ld --emit-relocs -e _start "$G.o" -o "$G.elf" &&
		"$RELOCGEN" --table "$G.table.o" "$G.elf" &&
		"$RELOCGEN" --stats "$G.table.o" >"$G.stats" 2>&1
	if [ $? -eq 0 ] && grep -qx "sites: 1000" "$G.stats"; then
		pass "gen-sites.py: 1000 sites through --table"
	else
		fail "gen-sites.py: 1000 sites through --table" "$(cat "$G.stats" 2>&1)"
	fi
}

# module_fixture NAME [GCC FLAGS...]: fixtures/module.S -> NAME.o and its
# trial link NAME.check.elf at 0x800000 against the basic fixture.
module_fixture() {
	local name=$1
	shift
	gcc -c -I"$FIXTURES" "$@" "$FIXTURES/module.S" -o "$OUT/$name.o" &&
		ld --emit-relocs --unique --no-warn-rwx-segments \
			--defsym MODULE_CHECK_BASE=0x800000 \
			-T "$HERE/../../scripts/module-check.ld" \
			-R "$OUT/basic.out.elf" -o "$OUT/$name.check.elf" \
			"$OUT/$name.o"
}

# A module: its sites validated against basic's choices, written back as
# private relocations beside the standard ones; a bad site gets the same
# line the kernel's would.
module_pipeline() {
	local M=$OUT/module listing
	if ! module_fixture module; then
		fail "module: build the fixture"
		return
	fi
	expect_ok "module: --module writes the object" \
		"$RELOCGEN" --module "$OUT/basic.out.elf" "$M.check.elf" \
		"$M.o" -o "$M.ko"
	listing=$(readelf -rW "$M.ko" 2>&1 |
		sed -n "/^Relocation section '.rela.text'/,/^$/p")
	if [ "$(grep -c 'unrecognized: 52454c0[1-4]' <<<"$listing")" -eq 5 ] &&
		grep -q 'unrecognized: 52454c01 .* relink_irq_disable' \
			<<<"$listing" &&
		grep -q 'R_X86_64_PLT32 .* relink_irq_disable' <<<"$listing" &&
		grep -q 'unrecognized: 52454c03 .* __choice_smp_lock + 301' \
			<<<"$listing" &&
		grep -q 'unrecognized: 52454c02 .* __choice_module_step + 203' \
			<<<"$listing"; then
		pass "module: readelf -r shows 5 private relocations beside PLT32, one of its own choice"
	else
		fail "module: readelf -r shows 5 private relocations beside PLT32, one of its own choice" \
			"$listing"
	fi
	if [ "$(readelf -hW "$M.ko" | awk '/Type:/ { print $2 }')" = REL ]; then
		pass "module: the output is still ET_REL"
	else
		fail "module: the output is still ET_REL"
	fi
	while IFS='|' read -r defect message; do
		if ! module_fixture "module_$defect" "-DBAD_$defect"; then
			fail "module error: $defect (fixture does not build)"
			continue
		fi
		expect_error "module error: $defect" "$OUT/module_$defect.ko" \
			"$OUT/module_$defect.check.elf: $message" \
			"$RELOCGEN" --module "$OUT/basic.out.elf" \
			"$OUT/module_$defect.check.elf" "$OUT/module_$defect.o" \
			-o "$OUT/module_$defect.ko"
	done <<'EOF'
LOCK_SITE|init_module+0x16: default variant smp of smp.lock is not the compiled code (want f0, found 48)
RSP|init_module+0x19: register operand 1 is rsp
OWN_NAME|__choice_module_step+0x0: two choices named smp.lock
EOF
	module_checks
	expect_error "module error: not a relocatable object" "$M.bad.ko" \
		"$OUT/basic.out.elf: not a relocatable object (e_type 2)" \
		"$RELOCGEN" --module "$OUT/basic.out.elf" "$M.check.elf" \
		"$OUT/basic.out.elf" -o "$M.bad.ko"
}

# The whole-image checks of a module's trial link (--kernel): its lock
# prefixes are sites and no privileged instruction is outside a pv site,
# the kernel's rules with the kernel's messages.
module_checks() {
	local M=$OUT/module define what message
	# In each message, @ stands for the trial link's path.
	expect_ok "module check-locks: the fixture's lock prefixes are all sites" \
		"$RELOCGEN" --check-locks --kernel "$OUT/basic.out.elf" \
		"$M.check.elf"
	expect_ok "module check-privileged: the fixture's cli is a pv site" \
		"$RELOCGEN" --check-privileged --kernel "$OUT/basic.out.elf" \
		"$M.check.elf"
	while IFS='|' read -r define what message; do
		if ! module_fixture "module_$define" "-DBAD_$define"; then
			fail "module $what (fixture does not build)"
			continue
		fi
		expect_error "module check-$what" "$OUT/none" \
			"$(printf '%b' "${message//@/$OUT/module_$define.check.elf}")" \
			"$RELOCGEN" "--check-${what%%:*}" \
			--kernel "$OUT/basic.out.elf" \
			"$OUT/module_$define.check.elf"
	done <<'EOF'
STRAY_LOCK|locks: a lock prefix outside a site|@: init_module+0x16: lock prefix outside a site (write it through the atomic helpers)
STRAY_CLI|privileged: a cli outside a pv site|@: init_module+0x16: privileged instruction 'cli' outside a pv site and outside native-only code\nrelocgen: @: 1 privileged instructions outside pv sites and native-only sections
EOF
}

main() {
	echo "TAP version 13"
	if [ ! -x "$RELOCGEN" ]; then
		echo "Bail out! $RELOCGEN is not built"
		exit 1
	fi
	rm -rf "$OUT"
	mkdir -p "$OUT"
	good_pipeline
	module_pipeline
	folded_pipeline
	lock_check
	isolated_check
	privileged_check
	c_program
	site_errors
	rule_errors
	file_errors
	verify_errors
	output_rules
	input_rules
	verify_twice
	escaped_names
	dump_errors
	usage_errors
	robustness
	generator
	echo "1..$count"
	printf '%s\n' "${results[@]}"
	[ "$failures" -eq 0 ]
}

main
