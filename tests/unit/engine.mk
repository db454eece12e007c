# SPDX-License-Identifier: MIT
#
# Host unit tests of the x86 encoder and site emitters (test_encoder, which
# reaches the encoder's private header in arch/x86/patching/) and of
# the choice engine on synthetic tables (test_engine). Included by the top
# Makefile with BUILD set; appends the programs to UNIT_TESTS. Each program
# builds the code it tests from source, with sanitizers, for the host.
# Standalone: make -f tests/unit/engine.mk BUILD=build

BUILD ?= build

ENGINE_TEST_CC ?= gcc
ENGINE_TEST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude
ENGINE_TEST_LDLIBS := -lcmocka -lZydis

ENGINE_ARCH_SRCS := $(wildcard arch/x86/patching/*.c)
ENGINE_CORE_SRCS := $(wildcard kernel/patching/*.c)
ENGINE_TEST_HDRS := $(wildcard include/relink/*.h arch/x86/patching/*.h \
	kernel/patching/*.h tests/host/synth.h)

$(BUILD)/unit/test_encoder: tests/unit/test_encoder.c $(ENGINE_ARCH_SRCS) \
		$(ENGINE_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(ENGINE_TEST_CC) $(ENGINE_TEST_CFLAGS) -Iarch/x86/patching -o $@ \
		tests/unit/test_encoder.c $(ENGINE_ARCH_SRCS) $(ENGINE_TEST_LDLIBS)

# test_engine also links relocgen's table reader, to feed one corrupted
# table to both the kernel's loader and relocgen and compare their words.
ENGINE_RELOCGEN_SRCS := tools/relocgen/table.c tools/relocgen/util.c \
	tools/relocgen/elf.c

$(BUILD)/unit/test_engine: tests/unit/test_engine.c tests/host/synth.c \
		$(ENGINE_ARCH_SRCS) $(ENGINE_CORE_SRCS) $(ENGINE_RELOCGEN_SRCS) \
		$(ENGINE_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(ENGINE_TEST_CC) $(ENGINE_TEST_CFLAGS) -Ikernel/patching -Itests/host \
		-iquote tools/relocgen -o $@ tests/unit/test_engine.c \
		tests/host/synth.c $(ENGINE_ARCH_SRCS) $(ENGINE_CORE_SRCS) \
		$(ENGINE_RELOCGEN_SRCS) $(ENGINE_TEST_LDLIBS) -lelf

UNIT_TESTS += $(BUILD)/unit/test_encoder $(BUILD)/unit/test_engine

.PHONY: engine-unit-tests
engine-unit-tests: $(BUILD)/unit/test_encoder $(BUILD)/unit/test_engine
	$(BUILD)/unit/test_encoder
	$(BUILD)/unit/test_engine
