# SPDX-License-Identifier: MIT
# The command-line fuzz harness (tests/fuzz/cmdline.c): kernel/cmdline.c
# and lib/ built for the host; see tests/fuzz/fuzz.mk.
$(BUILD)/fuzz/cmdline: tests/fuzz/cmdline.c kernel/cmdline.c \
		$(KERNEL_HOST_SRCS) $(LIB_NAMES_H) include/kernel/cmdline.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(KERNEL_HOST_CFLAGS) -o $@ $< \
		kernel/cmdline.c $(KERNEL_HOST_SRCS)

FUZZERS += $(BUILD)/fuzz/cmdline
