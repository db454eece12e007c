# SPDX-License-Identifier: MIT
#
# The relocgen fuzz harness (tests/fuzz/relocgen.c): relocgen's sources but
# main.c, compiled with FUZZ_CC and FUZZ_CFLAGS (coverage, ASan, UBSan),
# linked with the harness. Included by tests/fuzz/fuzz.mk.

RELOCGEN_FUZZ := $(BUILD)/fuzz/relocgen
RELOCGEN_FUZZ_SRCS := $(filter-out tools/relocgen/main.c, \
	$(sort $(wildcard tools/relocgen/*.c)))
RELOCGEN_FUZZ_OBJS := $(patsubst tools/relocgen/%.c, \
	$(BUILD)/fuzz/relocgen-obj/%.o,$(RELOCGEN_FUZZ_SRCS))
RELOCGEN_FUZZ_OBJS += $(patsubst %.c,$(BUILD)/fuzz/relocgen-obj/shared/%.o, \
	$(RELOCGEN_SHARED_SRCS))

FUZZERS += $(RELOCGEN_FUZZ)

$(BUILD)/fuzz/relocgen-obj/%.o: tools/relocgen/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/relocgen-obj/shared/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

# -iquote: relocgen's "elf.h" must not hide the system <elf.h>.
$(RELOCGEN_FUZZ): tests/fuzz/relocgen.c $(RELOCGEN_FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -iquote tools/relocgen -MMD -MP -o $@ $(filter-out %.h,$^) \
		-lelf -lZydis

-include $(RELOCGEN_FUZZ_OBJS:.o=.d) $(RELOCGEN_FUZZ).d
