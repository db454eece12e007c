# SPDX-License-Identifier: MIT
# The module loader fuzz harness (tests/fuzz/module.c): the object check,
# layout and relocation of kernel/module/ built for the host, with the
# harness standing in for the page tables, the exports and the engine;
# see tests/fuzz/fuzz.mk.
MODULE_FUZZ_SRCS := kernel/module/elf.c kernel/module/layout.c \
	kernel/module/relocate.c

$(BUILD)/fuzz/module: tests/fuzz/module.c $(MODULE_FUZZ_SRCS) \
		kernel/module/module.h $(KERNEL_HOST_SRCS) $(LIB_NAMES_H) \
		include/kernel/module.h include/kernel/elf64.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(KERNEL_HOST_CFLAGS) -iquote kernel/module \
		-o $@ $< $(MODULE_FUZZ_SRCS) $(KERNEL_HOST_SRCS)

FUZZERS += $(BUILD)/fuzz/module
