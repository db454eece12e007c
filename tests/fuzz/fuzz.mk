# SPDX-License-Identifier: MIT
#
# Fuzzing what parses outside input, with libFuzzer (clang's
# -fsanitize=fuzzer, in-process and coverage-guided) under ASan and UBSan.
# Each harness tests/fuzz/NAME.c has its seed corpus in
# tests/fuzz/corpus/NAME/ and its build rule in tests/fuzz/NAME.mk, which
# appends the program to FUZZERS. tests/fuzz/run runs every harness from a
# copy of its corpus (the tree is never written):
#
#	make fuzz                     each harness for FUZZ_SECONDS (300)
#	make fuzz FUZZ_SECONDS=3600   longer
#	make test                     each harness for a few seconds
#
# Included from the top Makefile with BUILD set.

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Iinclude
FUZZ_SECONDS ?= 300
FUZZERS :=

include $(filter-out tests/fuzz/fuzz.mk,$(sort $(wildcard tests/fuzz/*.mk)))
