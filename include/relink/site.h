/* SPDX-License-Identifier: MIT */
/*
 * Site markers: the asm that leaves a site's default code in .text and
 * records the site as a relocation,
 *
 *	.reloc 771b, R_X86_64_NONE, __choice_<id> + <ops>
 *
 * with <ops> packed as RELINK_OPS() of include/relink/format.h. The
 * register operands the compiler chose are read from the operand text
 * ("%rax", "%r9d") by the GAS macro relink_regnum at assembly time, so the
 * relocation records exactly the registers of this copy of the code.
 *
 * The shapes (call sites need no marker: a plain C call of the choice's
 * call symbol is the record):
 *
 * Inline, with the compiler's registers, padded with NOPs to 6 bytes:
 *	asm volatile(RELINK_INLINE(pv_save_fl, 6, "pushf; pop %0", "%0", "")
 *		     : "=r"(flags) : : "memory");
 *
 * Lock prefix of an atomic (choice smp_lock, variants up and smp):
 *	asm volatile(RELINK_LOCK "addq %1, %0" : "+m"(v->counter) : "er"(i));
 *
 * Branch (jump-or-NOP, like a static key):
 *	if (relink_branch(trace_enabled))
 *		trace();
 *
 * User-space code that uses these must be built with -mno-red-zone: an
 * inline site may push, and a template may call.
 */
#ifndef RELINK_SITE_H
#define RELINK_SITE_H

#include <stdbool.h>

#include <relink/format.h>

#define __relink_stringify_1(x) #x
#define __relink_stringify(x) __relink_stringify_1(x)

/* The shapes as gas sees them; asserted against enum relink_shape. */
#define __RELINK_SHAPE_INLINE_S "2"
#define __RELINK_SHAPE_LOCK_S "3"
#define __RELINK_SHAPE_BRANCH_S "4"
_Static_assert(RELINK_SHAPE_INLINE == 2 && RELINK_SHAPE_LOCK == 3 &&
		       RELINK_SHAPE_BRANCH == 4,
	       "site.h shape numbers");
_Static_assert(RELINK_OPS_SHAPE_SHIFT == 8 && RELINK_OPS_NREGS_SHIFT == 12 &&
		       RELINK_OPS_REG_SHIFT(0) == 16 &&
		       RELINK_OPS_CLOBBER_SHIFT == 32,
	       "site.h marker packing");

/*
 * The GAS macros, assembled once at the top of every file that includes
 * this header (gcc emits top-level asm before any function).
 *
 * relink_regnum SYM, REG: sets SYM to the x86 number of register REG (any
 * width), or stops the assembly naming REG.
 *
 * relink_site CHOICE, SHAPE, "CLOBBERS", REGS...: the marker of the site
 * between local labels 771 and 772. CLOBBERS names registers without "%"
 * ("rax rcx"); REGS are the register operands, at most three.
 *
 * relink_pad START, LEN: NOPs from here up to LEN bytes after START, the
 * same NOPs as relink_fill_nops() (8-byte NOPs, then one for the rest), so
 * the default code equals what the engine emits for the default variant.
 * LEN 0 means no padding.
 */
#define __RELINK_ASM_REGNUM                                                \
	".macro __relink_reg_is sym:req, reg:req, num:req, names:vararg\n" \
	"  .irp __relink_name, \\names\n"                                  \
	"    .ifc \\reg, \\__relink_name\n"                                \
	"      .set \\sym, \\num\n"                                        \
	"    .endif\n"                                                     \
	"  .endr\n"                                                        \
	".endm\n"                                                          \
	".macro relink_regnum sym:req, reg:req\n"                          \
	"  .set \\sym, -1\n"                                               \
	"  __relink_reg_is \\sym, \\reg, 0, %rax, %eax, %ax, %al\n"        \
	"  __relink_reg_is \\sym, \\reg, 1, %rcx, %ecx, %cx, %cl\n"        \
	"  __relink_reg_is \\sym, \\reg, 2, %rdx, %edx, %dx, %dl\n"        \
	"  __relink_reg_is \\sym, \\reg, 3, %rbx, %ebx, %bx, %bl\n"        \
	"  __relink_reg_is \\sym, \\reg, 4, %rsp, %esp, %sp, %spl\n"       \
	"  __relink_reg_is \\sym, \\reg, 5, %rbp, %ebp, %bp, %bpl\n"       \
	"  __relink_reg_is \\sym, \\reg, 6, %rsi, %esi, %si, %sil\n"       \
	"  __relink_reg_is \\sym, \\reg, 7, %rdi, %edi, %di, %dil\n"       \
	"  __relink_reg_is \\sym, \\reg, 8, %r8, %r8d, %r8w, %r8b\n"       \
	"  __relink_reg_is \\sym, \\reg, 9, %r9, %r9d, %r9w, %r9b\n"       \
	"  __relink_reg_is \\sym, \\reg, 10, %r10, %r10d, %r10w, %r10b\n"  \
	"  __relink_reg_is \\sym, \\reg, 11, %r11, %r11d, %r11w, %r11b\n"  \
	"  __relink_reg_is \\sym, \\reg, 12, %r12, %r12d, %r12w, %r12b\n"  \
	"  __relink_reg_is \\sym, \\reg, 13, %r13, %r13d, %r13w, %r13b\n"  \
	"  __relink_reg_is \\sym, \\reg, 14, %r14, %r14d, %r14w, %r14b\n"  \
	"  __relink_reg_is \\sym, \\reg, 15, %r15, %r15d, %r15w, %r15b\n"  \
	"  .if \\sym < 0\n"                                                \
	"    .error \"relink: not a general register operand: \\reg\"\n"   \
	"  .endif\n"                                                       \
	".endm\n"

#define __RELINK_ASM_SITE                                                   \
	".macro relink_site choice:req, shape:req, clobbers, regs:vararg\n" \
	"  .set .Lrelink_nregs\\@, 0\n"                                     \
	"  .set .Lrelink_regs\\@, 0\n"                                      \
	"  .irp __relink_op, \\regs\n"                                      \
	"    .ifnb \\__relink_op\n"                                         \
	"      relink_regnum .Lrelink_reg\\@, \\__relink_op\n"              \
	"      .set .Lrelink_regs\\@, .Lrelink_regs\\@ |"                   \
	" (.Lrelink_reg\\@ << (16 + 4 * .Lrelink_nregs\\@))\n"              \
	"      .set .Lrelink_nregs\\@, .Lrelink_nregs\\@ + 1\n"             \
	"    .endif\n"                                                      \
	"  .endr\n"                                                         \
	"  .if .Lrelink_nregs\\@ > 3\n"                                     \
	"    .error \"relink: a site has at most 3 register operands\"\n"   \
	"  .endif\n"                                                        \
	"  .set .Lrelink_clobbers\\@, 0\n"                                  \
	"  .irp __relink_reg, \\clobbers\n"                                 \
	"    .ifnb \\__relink_reg\n"                                        \
	"      relink_regnum .Lrelink_reg\\@, %\\__relink_reg\n"            \
	"      .set .Lrelink_clobbers\\@, .Lrelink_clobbers\\@ |"           \
	" (1 << .Lrelink_reg\\@)\n"                                         \
	"    .endif\n"                                                      \
	"  .endr\n"                                                         \
	"  .if (772b - 771b) < 1 || (772b - 771b) > 255\n"                  \
	"    .error \"relink: a site is 1 to 255 bytes long\"\n"            \
	"  .endif\n"                                                        \
	"  .reloc 771b, R_X86_64_NONE, \\choice + ((772b - 771b) |"         \
	" (\\shape << 8) | (.Lrelink_nregs\\@ << 12) | .Lrelink_regs\\@ |"  \
	" (.Lrelink_clobbers\\@ << 32))\n"                                  \
	".endm\n"

#define __RELINK_ASM_PAD                                               \
	".macro relink_nop n:req\n"                                    \
	"  .if (\\n) == 1\n"                                           \
	"    .byte 0x90\n"                                             \
	"  .elseif (\\n) == 2\n"                                       \
	"    .byte 0x66, 0x90\n"                                       \
	"  .elseif (\\n) == 3\n"                                       \
	"    .byte 0x0f, 0x1f, 0x00\n"                                 \
	"  .elseif (\\n) == 4\n"                                       \
	"    .byte 0x0f, 0x1f, 0x40, 0x00\n"                           \
	"  .elseif (\\n) == 5\n"                                       \
	"    .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"                     \
	"  .elseif (\\n) == 6\n"                                       \
	"    .byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00\n"               \
	"  .elseif (\\n) == 7\n"                                       \
	"    .byte 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00\n"         \
	"  .elseif (\\n) != 0\n"                                       \
	"    .error \"relink: bad NOP length\"\n"                      \
	"  .endif\n"                                                   \
	".endm\n"                                                      \
	".macro relink_pad start:req, len:req\n"                       \
	"  .if (\\len) > 0\n"                                          \
	"    .set .Lrelink_fill\\@, (\\len) - (. - \\start)\n"         \
	"    .if .Lrelink_fill\\@ < 0\n"                               \
	"      .error \"relink: site code is longer than the site\"\n" \
	"    .endif\n"                                                 \
	"    .rept .Lrelink_fill\\@ >> 3\n"                            \
	"      .byte 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00\n" \
	"    .endr\n"                                                  \
	"    relink_nop .Lrelink_fill\\@ & 7\n"                        \
	"  .endif\n"                                                   \
	".endm\n"

#define __RELINK_ASM_LOCK                                                   \
	".macro relink_lock_site choice:req\n"                              \
	"  .reloc 771f, R_X86_64_NONE, \\choice + ((" __RELINK_SHAPE_LOCK_S \
	" << 8) | 1)\n"                                                     \
	".endm\n"

asm(__RELINK_ASM_REGNUM __RELINK_ASM_SITE __RELINK_ASM_PAD __RELINK_ASM_LOCK);

/*
 * RELINK_INLINE(id, len, code, regs, clobbers) - the asm text of an inline
 * site of choice id: code, NOPs up to len bytes (0: no padding), and the
 * marker. regs is the operand list as one string ("%0", "%0, %1", or "");
 * clobbers names the registers any variant may destroy, without "%"
 * ("rax rdx" or ""); they must also be in the asm statement's clobber list.
 * The code must not contain a relaxable jump (the length must be known
 * when the marker is assembled).
 */
#define RELINK_INLINE(id, len, code, regs, clobbers)                          \
	"771:\n\t" code "\n\t"                                                \
	"relink_pad 771b, " __relink_stringify(                               \
		len) "\n"                                                     \
		     "772:\n\t"                                               \
		     "relink_site __choice_" #id ", " __RELINK_SHAPE_INLINE_S \
		     ", \"" clobbers "\", " regs "\n\t"

/*
 * RELINK_LOCK_PREFIX(id) - a lock prefix that choice id may turn into a DS
 * prefix; the marker comes first and points forward at the prefix, so the
 * instruction text that follows stays one statement for gas.
 */
#define RELINK_LOCK_PREFIX(id)                  \
	"relink_lock_site __choice_" #id "\n\t" \
	"771: lock; "

/* The SMP lock prefix of the atomics: choice smp_lock ("smp.lock"). */
#define RELINK_LOCK RELINK_LOCK_PREFIX(smp_lock)

/*
 * relink_branch(id) - true when choice id's current variant jumps. The
 * default code is a 5-byte NOP (false), so the default variant of a branch
 * choice must be the one without a template. The pair of PC-relative words
 * in ".relink.branch_targets" tells relocgen where this site jumps to.
 */
#define relink_branch(id)                                                 \
	({                                                                \
		__label__ __relink_yes;                                   \
		bool __relink_taken = false;                              \
		asm goto("771: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"      \
			 "772:\n\t"                                       \
			 "relink_site __choice_" #id                      \
			 ", " __RELINK_SHAPE_BRANCH_S ", \"\"\n\t"        \
			 ".pushsection .relink.branch_targets, \"a\"\n\t" \
			 ".balign 4\n\t"                                  \
			 ".long 771b - .\n\t"                             \
			 ".long %l[__relink_yes] - .\n\t"                 \
			 ".popsection"                                    \
			 :                                                \
			 :                                                \
			 :                                                \
			 : __relink_yes);                                 \
		if (0) {                                                  \
		__relink_yes:                                             \
			__relink_taken = true;                            \
		}                                                         \
		__relink_taken;                                           \
	})

#endif /* RELINK_SITE_H */
