# SPDX-License-Identifier: MIT
# The shell fuzz harness (tests/fuzz/shell.c): lib/line_edit.c and
# kernel/shell_exec.c built for the host; see tests/fuzz/fuzz.mk.
$(BUILD)/fuzz/shell: tests/fuzz/shell.c kernel/shell_exec.c \
		$(KERNEL_HOST_SRCS) $(LIB_NAMES_H) include/kernel/shell.h \
		include/lib/line_edit.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(KERNEL_HOST_CFLAGS) -o $@ $< \
		kernel/shell_exec.c $(KERNEL_HOST_SRCS)

FUZZERS += $(BUILD)/fuzz/shell
