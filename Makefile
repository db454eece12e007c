# SPDX-License-Identifier: MIT
#
# relink: one x86-64 kernel that relinks itself to fit the machine.
#
#   make          the kernel (build/relink.elf) and the host tools
#   make run      boot it in QEMU, serial console on this terminal
#   make test     every test tier, ending with "N passed, N failed"
#   make bench    the benchmarks, printed as tables
#
# Missing Debian packages are installed by scripts/deps.sh on first use.

BUILD ?= build
HOST_CC ?= gcc
KCC ?= gcc
LD ?= ld
OBJCOPY ?= objcopy
Q ?= @

.DEFAULT_GOAL := all

# ---------------------------------------------------------------- set-up
DEPS_STAMP := $(BUILD)/.deps-ok
$(DEPS_STAMP): scripts/deps.sh
	$(Q)./scripts/deps.sh
	$(Q)mkdir -p $(@D) && touch $@

# ---------------------------------------------------------------- host tools
UNIT_TESTS :=
include tests/unit/lib.mk
include tests/unit/engine.mk
include tools/relocgen/relocgen.mk
include tests/fuzz/fuzz.mk

# ---------------------------------------------------------------- kernel
KERNEL_DIRS := arch/x86 arch/x86/native arch/x86/xen arch/x86/patching kernel \
	kernel/mm kernel/fs kernel/module kernel/smp kernel/patching \
	kernel/relink lib \
	tests/kernel
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))

KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns \
	-nostdinc -isystem $(shell $(KCC) -print-file-name=include) \
	-Iinclude -Iinclude/lib -Iarch/x86/include -Iarch/x86/native/include \
	-Iarch/x86/xen/include \
	-Wall -Wextra -Werror -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 \
	-z noexecstack --no-warn-rwx-segments -T scripts/kernel.ld
LIBGCC := $(shell $(KCC) -print-libgcc-file-name)

# The Xen environment alone sees the Xen ABI, Debian's headers
# (libxen-dev): after gcc's own, so no other system header can slip in.
XEN_ABI_CFLAGS := -idirafter /usr/include -D__XEN_INTERFACE_VERSION__=0x00040e00
$(BUILD)/kernel/arch/x86/xen/%.o: KERNEL_CFLAGS += $(XEN_ABI_CFLAGS)

$(BUILD)/kernel/%.c.o: %.c | $(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)echo "  CC      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S | $(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)echo "  AS      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# Only the native environment runs arch/x86/native/: its code goes to
# .text.native, which relocgen --check-privileged lets hold instructions a
# Xen PV guest may not run (the linker script keeps it apart).
NATIVE_TEXT := $(foreach s,.text .text.unlikely .text.startup .text.hot, \
	--rename-section $(s)=.text.native$(s:.text%=%))
# (Built again when the Makefile changes: an object from before the rename
# would put native code back into shared text.)
$(BUILD)/kernel/arch/x86/native/%.c.o: arch/x86/native/%.c Makefile | \
		$(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)echo "  CC      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -c $< -o $@
	$(Q)$(OBJCOPY) $(NATIVE_TEXT) $@

$(BUILD)/kernel/arch/x86/native/%.S.o: arch/x86/native/%.S Makefile | \
		$(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)echo "  AS      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
	$(Q)$(OBJCOPY) $(NATIVE_TEXT) $@

# Link 1: no symbol table yet, markers kept (--emit-relocs).
$(BUILD)/relink.1.elf: $(KERNEL_OBJS) scripts/kernel.ld
	$(Q)echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) --emit-relocs -o $@ $(KERNEL_OBJS) $(LIBGCC)

$(BUILD)/ksyms.S: $(BUILD)/relink.1.elf scripts/gen-ksyms
	$(Q)echo "  KSYMS   $@"
	$(Q)scripts/gen-ksyms $< $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(KCC) -c $< -o $@

# The site table of link 1 (relocgen validates every site on the way).
$(BUILD)/relink.table.o: $(BUILD)/relink.1.elf $(RELOCGEN)
	$(Q)echo "  RELOCGEN $@"
	$(Q)$(RELOCGEN) --table $@ $<

# Link 2: the same objects plus what link 1 generated, placed in the tail
# of the image so no earlier address moves. relocgen --verify checks that
# no site moved and that the linked table is the one the sites give, and
# adds .rela.relink (the private relocations, for readelf -r); every lock
# prefix in the kernel must be a site (--check-locks), and the NMI path may
# hold no site nor leave its section (--check-isolated .text.nmi); no
# instruction a Xen PV guest may not run sits outside a pv site, except in
# native-only code (--check-privileged).
$(BUILD)/relink.elf: $(BUILD)/relink.1.elf $(BUILD)/ksyms.o \
		$(BUILD)/relink.table.o
	$(Q)echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) --emit-relocs -o $(BUILD)/relink.2.elf \
		$(KERNEL_OBJS) $(BUILD)/ksyms.o $(BUILD)/relink.table.o \
		$(LIBGCC)
	$(Q)scripts/gen-ksyms $(BUILD)/relink.2.elf $(BUILD)/ksyms.check.S
	$(Q)cmp -s $(BUILD)/ksyms.S $(BUILD)/ksyms.check.S || \
		{ echo "link 2 moved a text symbol"; exit 1; }
	$(Q)echo "  VERIFY  $@"
	$(Q)$(RELOCGEN) --verify $(BUILD)/relink.1.elf $(BUILD)/relink.2.elf \
		-o $@.tmp
	$(Q)$(RELOCGEN) --check-locks $@.tmp
	$(Q)$(RELOCGEN) --check-isolated .text.nmi $@.tmp
	$(Q)$(RELOCGEN) --check-privileged $@.tmp .text.native .boot.check \
		.text.xen_io .text.xen_emulated
	$(Q)mv $@.tmp $@

-include $(KERNEL_OBJS:.o=.d)

# ---------------------------------------------------------------- modules
# Every modules/NAME.c is a module: compiled with the kernel's flags into
# an ET_REL object, linked on trial at the module area against the
# kernel's symbols (scripts/module-check.ld), validated by relocgen with
# the kernel's choices and its own by the kernel's rules (its lock
# prefixes all sites, no privileged instruction outside a pv site, as the
# kernel's), and written as NAME.ko with its sites as R_RELINK_*
# relocations. The modules travel in the initrd, a cpio newc
# archive, as /lib/modules/NAME.ko.
MODULE_SRCS := $(wildcard modules/*.c)
MODULES := $(patsubst modules/%.c,$(BUILD)/modules/%.ko,$(MODULE_SRCS))
MODULE_BASE := $(shell sed -n 's/^\#define MODULE_BASE //p' \
	arch/x86/include/arch/layout.h)
INITRD := $(BUILD)/initrd.cpio

.PRECIOUS: $(BUILD)/modules/%.o
$(BUILD)/modules/%.o: modules/%.c | $(DEPS_STAMP)
	$(Q)mkdir -p $(@D)
	$(Q)echo "  CC [M]  $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -MT $@ -c $< -o $@.full
	$(Q)objcopy --strip-debug $@.full $@

$(BUILD)/modules/%.ko: $(BUILD)/modules/%.o $(BUILD)/relink.elf $(RELOCGEN) \
		scripts/module-check.ld
	$(Q)echo "  RELOCGEN $@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 \
		--no-warn-rwx-segments --emit-relocs --unique \
		--defsym MODULE_CHECK_BASE=$(MODULE_BASE) \
		-T scripts/module-check.ld -R $(BUILD)/relink.elf \
		-o $(BUILD)/modules/$*.check.elf $<
	$(Q)$(RELOCGEN) --check-locks --kernel $(BUILD)/relink.elf \
		$(BUILD)/modules/$*.check.elf
	$(Q)$(RELOCGEN) --check-privileged --kernel $(BUILD)/relink.elf \
		$(BUILD)/modules/$*.check.elf
	$(Q)$(RELOCGEN) --module $(BUILD)/relink.elf \
		$(BUILD)/modules/$*.check.elf $< -o $@

$(INITRD): $(MODULES) scripts/mkinitrd
	$(Q)echo "  INITRD  $@"
	$(Q)scripts/mkinitrd $@ $(foreach m,$(MODULES),lib/modules/$(notdir $(m))=$(m))

-include $(MODULE_SRCS:modules/%.c=$(BUILD)/modules/%.o.d)

# ---------------------------------------------------------------- host

.PHONY: all kernel modules host run test bench fuzz clean format format-check gdb
all: kernel host modules
kernel: $(BUILD)/relink.elf
modules: $(MODULES) $(INITRD)
host: $(UNIT_TESTS) $(RELOCGEN) $(RELOCGEN_ASAN) $(FUZZERS)
# Every host object waits for the packages (make -j would race them).
$(UNIT_TESTS) $(RELOCGEN) $(RELOCGEN_OBJS) $(RELOCGEN_ASAN_OBJS) \
		$(FUZZERS): | $(DEPS_STAMP)

run: kernel
	scripts/qemu-run $(RUN_ARGS)

test: all
	$(Q)BUILD=$(BUILD) UNIT_TESTS="$(UNIT_TESTS)" FUZZERS="$(FUZZERS)" \
		python3 tests/run-all

# Every fuzz harness for FUZZ_SECONDS each (make test runs them briefly).
fuzz: $(FUZZERS)
	$(Q)BUILD=$(BUILD) FUZZERS="$(FUZZERS)" tests/fuzz/run $(FUZZ_SECONDS)

# Measured, never asserted: tables of cycles, throughput and sizes. The
# in-kernel tables come from one boot on four CPUs under TCG (emulation:
# its times are not a machine's), and again under KVM where /dev/kvm
# opens, then one as Xen's PV dom0 (TCG: Xen fails under nested KVM),
# set beside the native TCG table, and the switch table once more as Xen's
# PV dom0 on four vCPUs (500 switches a row: Xen under TCG is slow). The
# boot patching rate of the kernel is set beside the host engine's, both
# measured in this run.
BENCH_KERNEL_CMDS := relink-bench\nrelink-switch-bench\nmodloop demo 20
bench: all
	$(Q)BUILD=$(BUILD) tests/host/bench.sh > $(BUILD)/bench-host.txt
	$(Q)cat $(BUILD)/bench-host.txt
	$(Q)BUILD=$(BUILD) tools/relocgen/bench.sh
	$(Q)rm -f $(BUILD)/bench-kernel-*.txt
	$(Q)for accel in tcg kvm; do \
		[ $$accel = tcg ] || { [ -r /dev/kvm ] && [ -w /dev/kvm ]; } || \
			continue; \
		echo; echo "## In-kernel, $$accel, 4 CPUs: patched sites, the" \
			"boot-time engine, run-time switches"; \
		[ $$accel = kvm ] || echo "(TCG: emulated; its times are not a" \
			"machine's)"; \
		printf '$(BENCH_KERNEL_CMDS)\n' | scripts/qemu-run --commands - \
			--accel $$accel --smp 4 --timeout 300 \
			--kernel $(BUILD)/relink.elf --append loglevel=4 | \
			sed -n '/^cycles per call/,/^relink# poweroff/p' | \
			grep -v '^relink# ' | tee $(BUILD)/bench-kernel-$$accel.txt; \
	done
	$(Q)echo; echo "## In-kernel, Xen PV dom0 (Xen 4.17 under QEMU TCG), 1" \
		"vCPU: patched Xen sites vs the ops table"
	$(Q)echo "(TCG: emulated; its times are not a machine's)"
	$(Q)printf 'relink-bench\n' | scripts/qemu-run --xen --commands - \
		--timeout 300 --kernel $(BUILD)/relink.elf \
		--append loglevel=4 | \
		sed -n '/^cycles per call/,/^relink# poweroff/p' | \
		grep -v '^relink# ' | tee $(BUILD)/bench-kernel-xen.txt
	$(Q)echo; echo "## Each pv op: the Xen site, the ops table under Xen," \
		"the native instruction natively (all TCG, cycles per call)"
	$(Q)BUILD=$(BUILD) tests/host/bench-xen-table.sh
	$(Q)echo; echo "## In-kernel, Xen PV dom0, 4 vCPUs: run-time switches" \
		"over 500 switches"
	$(Q)echo "(Xen under TCG: emulated; its times are not a machine's)"
	$(Q)printf 'relink-switch-bench 500\n' | scripts/qemu-run --commands - \
		--xen --smp 4 --timeout 900 --kernel $(BUILD)/relink.elf \
		--append loglevel=4 | \
		sed -n '/^run-time switch in us/,/^relink# poweroff/p' | \
		grep -v '^relink# '
	$(Q)echo; echo "## Boot patching rate: the kernel beside the host engine"
	$(Q)echo; echo "| where | sites/s | kernel/host |"; echo "|---|---|---|"
	$(Q)host=$$(sed -n 's/.*| \([0-9.]*\) M sites\/s |.*/\1/p' \
		$(BUILD)/bench-host.txt | head -n 1); \
	echo "| host engine, 1,000,000 synthetic sites | $$host M | 1 |"; \
	for f in $(BUILD)/bench-kernel-*.txt; do \
		k=$$(sed -n 's/^| sites per second | \([0-9]*\) |.*/\1/p' $$f); \
		echo "| kernel, $$(basename $$f .txt | sed s/bench-kernel-//)," \
			"its own table | $$k | $$(awk \
			"BEGIN { printf \"%.4f\", $$k / ($$host * 1e6) }") |"; \
	done
	$(Q)echo; echo "## Module load: the loader's time per relocation and" \
		"site, beside boot patching"
	$(Q)echo; echo "| where | load us | unload us | relocations | sites |" \
		"us per relocation or site | boot patching, us per site |"
	$(Q)echo "|---|---|---|---|---|---|---|"
	$(Q)for f in $(BUILD)/bench-kernel-*.txt; do \
		awk -v where=$$(basename $$f .txt | sed s/bench-kernel-//) ' \
		/^modloop: load/ { load = $$3; unload = $$6; \
			sites = $$(NF - 4); relocs = $$(NF - 2) } \
		/^\| sites per second \|/ { rate = $$6 } \
		END { if (load == "") exit; \
			printf "| %s | %s | %s | %s | %s | %.1f | %.1f |\n", \
			where, load, unload, relocs, sites, \
			load / (relocs + sites), rate ? 1e6 / rate : 0 }' $$f; \
	done
	$(Q)echo; echo "Targets (reported, never asserted): a switch's write" \
		"adds <= 20% to the bare stop for <= 100 sites; >= 500,000" \
		"sites/s boot patching in the kernel under TCG."

gdb: kernel
	scripts/qemu-run --gdb $(RUN_ARGS)

clean:
	rm -rf $(BUILD)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)
