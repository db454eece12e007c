# SPDX-License-Identifier: MIT
#
# relocgen, the host tool that turns site markers into the run-time table
# (tools/relocgen/main.c says what it does). Included by the top Makefile
# with BUILD set; also usable alone:
#	make -f tools/relocgen/relocgen.mk BUILD=build relocgen
#
# Defines RELOCGEN (the optimized tool the build uses) and RELOCGEN_ASAN
# (the same tool under AddressSanitizer and UBSan, which the fixture tests
# run), plus the targets relocgen, relocgen-test and relocgen-bench.

BUILD ?= build
HOST_CC ?= gcc

RELOCGEN := $(BUILD)/host/relocgen
RELOCGEN_ASAN := $(BUILD)/host/relocgen-asan

RELOCGEN_SRCS := $(sort $(wildcard tools/relocgen/*.c))
RELOCGEN_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -MMD -MP
RELOCGEN_ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
RELOCGEN_LIBS := -lelf -lZydis

RELOCGEN_OBJS := $(patsubst tools/relocgen/%.c,$(BUILD)/host/relocgen-obj/%.o,$(RELOCGEN_SRCS))
RELOCGEN_ASAN_OBJS := $(patsubst tools/relocgen/%.c,$(BUILD)/host/relocgen-asan-obj/%.o,$(RELOCGEN_SRCS))

# Freestanding kernel sources relocgen builds as they are, never a copy of
# them: the table checker (include/relink/table_check.h) and the x86 site
# emitter (include/relink/arch.h), so every site rule is written once.
RELOCGEN_SHARED_SRCS := kernel/patching/table_check.c \
	$(sort $(wildcard arch/x86/patching/*.c))
RELOCGEN_OBJS += $(patsubst %.c,$(BUILD)/host/relocgen-obj/shared/%.o,$(RELOCGEN_SHARED_SRCS))
RELOCGEN_ASAN_OBJS += $(patsubst %.c,$(BUILD)/host/relocgen-asan-obj/shared/%.o,$(RELOCGEN_SHARED_SRCS))

$(BUILD)/host/relocgen-obj/shared/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(RELOCGEN_CFLAGS) -c $< -o $@

$(BUILD)/host/relocgen-asan-obj/shared/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(RELOCGEN_CFLAGS) $(RELOCGEN_ASAN_FLAGS) -c $< -o $@

$(BUILD)/host/relocgen-obj/%.o: tools/relocgen/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(RELOCGEN_CFLAGS) -c $< -o $@

$(BUILD)/host/relocgen-asan-obj/%.o: tools/relocgen/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(RELOCGEN_CFLAGS) $(RELOCGEN_ASAN_FLAGS) -c $< -o $@

$(RELOCGEN): $(RELOCGEN_OBJS)
	$(HOST_CC) -o $@ $^ $(RELOCGEN_LIBS)

$(RELOCGEN_ASAN): $(RELOCGEN_ASAN_OBJS)
	$(HOST_CC) $(RELOCGEN_ASAN_FLAGS) -o $@ $^ $(RELOCGEN_LIBS)

.PHONY: relocgen relocgen-test relocgen-bench
relocgen: $(RELOCGEN) $(RELOCGEN_ASAN)

relocgen-test: $(RELOCGEN_ASAN)
	BUILD=$(BUILD) RELOCGEN=$(RELOCGEN_ASAN) tests/relocgen/run.sh

relocgen-bench: $(RELOCGEN)
	BUILD=$(BUILD) RELOCGEN=$(RELOCGEN) tools/relocgen/bench.sh

-include $(RELOCGEN_OBJS:.o=.d) $(RELOCGEN_ASAN_OBJS:.o=.d)
