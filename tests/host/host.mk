# SPDX-License-Identifier: MIT
#
# The host programs that patch themselves with the kernel's engine and the
# kernel's pipeline: selfpatch (the TAP test run by tests/host/run) and
# bench (run by tests/host/bench.sh). Each is linked twice around relocgen:
#
#	link 1 (--emit-relocs)  ->  relocgen --table  ->  link 2 (+ table)
#	->  relocgen --verify link1 link2 -o PROGRAM
#
# Included by the top Makefile with BUILD set, or alone:
#	make -f tests/host/host.mk BUILD=build selfpatch bench

BUILD ?= build
HOST_CC ?= gcc

ifndef RELOCGEN
include tools/relocgen/relocgen.mk
endif

HOSTPROG_DIR := $(BUILD)/host/prog
# -mno-red-zone: inline sites push and may call; -fno-optimize-sibling-calls:
# a call site must be a call, not a jump; -fno-pie: sites use absolute
# addresses and rel32 calls, as in the kernel.
HOSTPROG_CFLAGS := -std=gnu11 -O2 -g -fno-pie -mno-red-zone \
	-fno-optimize-sibling-calls -Wall -Wextra -Werror -Iinclude \
	-Ikernel/patching -Iarch/x86/patching -Itests/host -MMD -MP
HOSTPROG_LDFLAGS := -no-pie -rdynamic -pthread -Wl,--emit-relocs \
	-Wl,-z,separate-code -Wl,-T,tests/host/relink-host.ld
HOSTPROG_LDLIBS := -ldl

# The kernel's smp.lock choice (kernel/smp/smp_lock.c) serves the lock
# sites of the host program too.
HOSTPROG_ENGINE_SRCS := $(wildcard kernel/patching/*.c arch/x86/patching/*.c) \
	kernel/smp/smp_lock.c tests/host/platform_host.c tests/host/sites.c
HOSTPROG_ENGINE_OBJS := $(patsubst %.c,$(HOSTPROG_DIR)/%.o,$(HOSTPROG_ENGINE_SRCS))

$(HOSTPROG_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOSTPROG_CFLAGS) -c $< -o $@

# The benchmark's measured loops start on 64-byte boundaries (bench.c).
$(HOSTPROG_DIR)/tests/host/bench.o: HOSTPROG_CFLAGS += -falign-loops=64

# relink_host_program(name, extra objects): the two links and relocgen.
define relink_host_program
$(1)_OBJS := $(HOSTPROG_DIR)/tests/host/$(1).o $(2) $(HOSTPROG_ENGINE_OBJS)

$(HOSTPROG_DIR)/$(1).1.elf: $$($(1)_OBJS) tests/host/relink-host.ld
	$(HOST_CC) $(HOSTPROG_LDFLAGS) -o $$@ $$($(1)_OBJS) $(HOSTPROG_LDLIBS)

$(HOSTPROG_DIR)/$(1).table.o: $(HOSTPROG_DIR)/$(1).1.elf $(RELOCGEN)
	$(RELOCGEN) --table $$@ $$<

$(HOSTPROG_DIR)/$(1).2.elf: $$($(1)_OBJS) $(HOSTPROG_DIR)/$(1).table.o
	$(HOST_CC) $(HOSTPROG_LDFLAGS) -o $$@ $$($(1)_OBJS) \
		$(HOSTPROG_DIR)/$(1).table.o $(HOSTPROG_LDLIBS)

$(BUILD)/host/$(1): $(HOSTPROG_DIR)/$(1).1.elf $(HOSTPROG_DIR)/$(1).2.elf
	$(RELOCGEN) --verify $$^ -o $$@
	chmod +x $$@
endef

$(eval $(call relink_host_program,selfpatch,))
$(eval $(call relink_host_program,bench,$(HOSTPROG_DIR)/tests/host/synth.o))

HOST_PROGRAMS := $(BUILD)/host/selfpatch $(BUILD)/host/bench

.PHONY: selfpatch bench-programs
selfpatch: $(BUILD)/host/selfpatch
bench-programs: $(BUILD)/host/bench

-include $(wildcard $(HOSTPROG_DIR)/*/*/*.d $(HOSTPROG_DIR)/*/*/*/*.d)
