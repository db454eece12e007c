# SPDX-License-Identifier: MIT
#
# Host unit tests of lib/: one cmocka program per lib/ source file, each
# linked with all of lib/ built for the host under AddressSanitizer and
# UBSan. LIB_HOST_TEST renames lib/'s symbols to lib_* so they do not
# collide with glibc (see include/lib/compiler.h).
#
# Included from the top-level Makefile, which sets BUILD before including
# this file (the rule targets are expanded as the file is read) and runs
# every program listed in UNIT_TESTS.

BUILD ?= build
HOST_CC ?= gcc

LIB_TEST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-DLIB_HOST_TEST -Iinclude
LIB_TEST_LDLIBS := -lcmocka

LIB_TEST_SOURCES := $(sort $(wildcard lib/*.c))
LIB_TEST_HEADERS := $(wildcard include/lib/*.h)

LIB_TEST_PROGRAMS := $(patsubst lib/%.c,$(BUILD)/host/tests/unit/test_lib_%,\
	$(LIB_TEST_SOURCES))

$(LIB_TEST_PROGRAMS): $(BUILD)/host/tests/unit/%: tests/unit/%.c \
		$(LIB_TEST_SOURCES) $(LIB_TEST_HEADERS) tests/unit/lib.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(LIB_TEST_CFLAGS) -o $@ $< $(LIB_TEST_SOURCES) \
		$(LIB_TEST_LDLIBS)

UNIT_TESTS += $(LIB_TEST_PROGRAMS)

# Kernel sources built for the host (test_cmdline here, the fuzz harnesses
# in tests/fuzz/) call lib/ by its kernel names: this generated header maps
# each to its lib_ host name, from the declarations themselves.
LIB_NAMES_H := $(BUILD)/host/lib_names.h
$(LIB_NAMES_H): $(LIB_TEST_HEADERS) tests/unit/lib.mk
	@mkdir -p $(@D)
	sed -n 's/.*LIB_NAME(\([a-z_0-9]*\))(.*/#define \1 lib_\1/p' \
		$(LIB_TEST_HEADERS) | sort -u > $@
KERNEL_HOST_CFLAGS := -DLIB_HOST_TEST -include $(LIB_NAMES_H) \
	-Iarch/x86/include -Itests/host
KERNEL_HOST_SRCS := tests/host/printk_host.c $(LIB_TEST_SOURCES)

$(BUILD)/host/tests/unit/test_cmdline: tests/unit/test_cmdline.c \
		kernel/cmdline.c $(KERNEL_HOST_SRCS) $(LIB_NAMES_H) \
		include/kernel/cmdline.h
	@mkdir -p $(@D)
	$(HOST_CC) $(LIB_TEST_CFLAGS) $(KERNEL_HOST_CFLAGS) -o $@ $< \
		kernel/cmdline.c $(KERNEL_HOST_SRCS) $(LIB_TEST_LDLIBS)

UNIT_TESTS += $(BUILD)/host/tests/unit/test_cmdline
