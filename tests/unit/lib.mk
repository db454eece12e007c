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

LIB_TEST_SOURCES := lib/string.c lib/printf.c lib/sort.c lib/parse.c
LIB_TEST_HEADERS := $(wildcard include/lib/*.h)

LIB_TEST_PROGRAMS := $(patsubst %,$(BUILD)/host/tests/unit/test_lib_%,\
	string printf sort parse)

$(LIB_TEST_PROGRAMS): $(BUILD)/host/tests/unit/%: tests/unit/%.c \
		$(LIB_TEST_SOURCES) $(LIB_TEST_HEADERS) tests/unit/lib.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(LIB_TEST_CFLAGS) -o $@ $< $(LIB_TEST_SOURCES) \
		$(LIB_TEST_LDLIBS)

UNIT_TESTS += $(LIB_TEST_PROGRAMS)
