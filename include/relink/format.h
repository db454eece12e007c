/* SPDX-License-Identifier: MIT */
/*
 * The binary formats of relink, shared by the kernel and tools/relocgen.
 * This header is the only contract between the two: the build-time choice
 * definitions that the site macros leave in the image (section
 * ".relink.choices"), the marker addend that records a site's operands, the
 * private relocation types that relocgen writes to ".rela.relink", and the
 * run-time table that relocgen builds and the engine loads.
 *
 * Every structure here has fixed-width fields and an asserted size, so the
 * host (relocgen, host tests) and the kernel agree on its layout. Pointers in
 * the build-time definitions are stored as uint64_t for the same reason.
 */
#ifndef RELINK_FORMAT_H
#define RELINK_FORMAT_H

#include <stdint.h>

#include <relink/thunk.h>

/* ---------------------------------------------------------------------
 * Shapes and private relocation types.
 *
 * The ELF r_type of a site in ".rela.relink" is RELINK_R_BASE + shape. No
 * x86-64 toolchain emits types in this range (the psABI ends below 64, GNU
 * extensions use 250 and 251), so "readelf -r" prints them as unrecognized
 * numbers and no linker will ever act on them.
 */
enum relink_shape {
	RELINK_SHAPE_CALL = 1, /* a 5-byte "call rel32" to the choice */
	RELINK_SHAPE_INLINE =
		2, /* N bytes whose registers the compiler chose */
	RELINK_SHAPE_LOCK = 3, /* one prefix byte: 0xf0 (smp) or 0x3e (up) */
	RELINK_SHAPE_BRANCH = 4, /* a 2- or 5-byte jump-or-NOP */
	RELINK_SHAPE_MAX = 4,
};

#define RELINK_R_BASE 0x52454c00u /* "REL\0": far above any psABI type */
#define R_RELINK_CALL (RELINK_R_BASE + RELINK_SHAPE_CALL)
#define R_RELINK_INLINE (RELINK_R_BASE + RELINK_SHAPE_INLINE)
#define R_RELINK_LOCK (RELINK_R_BASE + RELINK_SHAPE_LOCK)
#define R_RELINK_BRANCH (RELINK_R_BASE + RELINK_SHAPE_BRANCH)

/* ---------------------------------------------------------------------
 * The marker addend.
 *
 * A site macro records its site as
 *	.reloc <site start>, R_X86_64_NONE, __choice_<id> + <ops>
 * where __choice_<id> is the global symbol of the choice's definition and
 * <ops> packs the site's operands. The same packing is the r_addend of the
 * private relocation relocgen writes. Call sites have no marker: the
 * compiler's own PC32/PLT32 relocation against the choice's call symbol is
 * the record, and relocgen derives their operands from the psABI.
 *
 *	bits  0..7	site length in bytes (1..255)
 *	bits  8..11	shape (enum relink_shape)
 *	bits 12..13	number of register operands (0..3)
 *	bits 16..19	register operand 0 (x86 encoding number, 0 = rax .. 15)
 *	bits 20..23	register operand 1
 *	bits 24..27	register operand 2
 *	bits 32..47	clobber mask: bit n set = register n may be destroyed
 *	bits 48..63	zero
 */
#define RELINK_OPS_LEN_SHIFT 0
#define RELINK_OPS_SHAPE_SHIFT 8
#define RELINK_OPS_NREGS_SHIFT 12
#define RELINK_OPS_REG_SHIFT(n) (16 + 4 * (n))
#define RELINK_OPS_CLOBBER_SHIFT 32
#define RELINK_MAX_REGS 3

#define RELINK_OPS(len, shape, nregs, r0, r1, r2, clobbers) \
	(((uint64_t)(len) << RELINK_OPS_LEN_SHIFT) |        \
	 ((uint64_t)(shape) << RELINK_OPS_SHAPE_SHIFT) |    \
	 ((uint64_t)(nregs) << RELINK_OPS_NREGS_SHIFT) |    \
	 ((uint64_t)(r0) << RELINK_OPS_REG_SHIFT(0)) |      \
	 ((uint64_t)(r1) << RELINK_OPS_REG_SHIFT(1)) |      \
	 ((uint64_t)(r2) << RELINK_OPS_REG_SHIFT(2)) |      \
	 ((uint64_t)(clobbers) << RELINK_OPS_CLOBBER_SHIFT))

#define RELINK_OPS_LEN(ops) ((unsigned)((ops) >> RELINK_OPS_LEN_SHIFT) & 0xff)
#define RELINK_OPS_SHAPE(ops) \
	((unsigned)((ops) >> RELINK_OPS_SHAPE_SHIFT) & 0xf)
#define RELINK_OPS_NREGS(ops) \
	((unsigned)((ops) >> RELINK_OPS_NREGS_SHIFT) & 0x3)
#define RELINK_OPS_REG(ops, n) \
	((unsigned)((ops) >> RELINK_OPS_REG_SHIFT(n)) & 0xf)
#define RELINK_OPS_CLOBBERS(ops) \
	((unsigned)((ops) >> RELINK_OPS_CLOBBER_SHIFT) & 0xffff)

/* x86 register encoding numbers, as used in the addend and in templates. */
enum relink_reg {
	RELINK_RAX,
	RELINK_RCX,
	RELINK_RDX,
	RELINK_RBX,
	RELINK_RSP,
	RELINK_RBP,
	RELINK_RSI,
	RELINK_RDI,
	RELINK_R8,
	RELINK_R9,
	RELINK_R10,
	RELINK_R11,
	RELINK_R12,
	RELINK_R13,
	RELINK_R14,
	RELINK_R15,
};

/* What a psABI call destroys: the clobber mask relocgen gives call sites. */
#define RELINK_CALLER_SAVED                                             \
	((1u << RELINK_RAX) | (1u << RELINK_RCX) | (1u << RELINK_RDX) | \
	 (1u << RELINK_RSI) | (1u << RELINK_RDI) | (1u << RELINK_R8) |  \
	 (1u << RELINK_R9) | (1u << RELINK_R10) | (1u << RELINK_R11))

/* ---------------------------------------------------------------------
 * Templates: the code a variant becomes at a site.
 *
 * A template is a short array of template instructions. Register operands
 * are either a fixed register (0..15) or a hole, RELINK_HOLE(n), filled with
 * the site's register operand n. The kernel's encoder (arch/x86) turns a
 * template into bytes; relocgen links the same encoder, runs it for every
 * variant at every site of its choice and decodes the bytes with Zydis, so
 * an op is added in one place, the encoder.
 */
enum relink_op {
	RELINK_OP_RAW = 1, /* imm holds len (1..4) bytes, little-endian */
	RELINK_OP_PUSH = 2, /* push dst */
	RELINK_OP_POP = 3, /* pop dst */
	RELINK_OP_MOV_RR = 4, /* mov dst, src (64-bit) */
	RELINK_OP_MOV_RI = 5, /* mov dst32, imm (zero-extends) */
	RELINK_OP_XOR_RR = 6, /* xor dst32, src32 */
	RELINK_OP_MOV_FROM_CR = 7, /* mov dst, %cr<imm> */
	RELINK_OP_MOV_TO_CR = 8, /* mov %cr<imm>, src */
	RELINK_OP_INVLPG = 9, /* invlpg (src) */
	RELINK_OP_POPCNT = 10, /* popcnt dst, src (64-bit) */
	RELINK_OP_CALL = 11, /* call rel32 to the variant's target */
	RELINK_OP_JMP = 12, /* jmp rel8/rel32 to the site's branch target */
	/* call rel32 to a target that preserves every register but flags */
	RELINK_OP_CALL_PRESERVING = 13,
	/*
	 * call rel32 to the thunk of a register in the variant's thunk table
	 * (target + RELINK_THUNK_STRIDE * register): THUNK_OUT's thunk
	 * returns its result in dst, THUNK_IN's takes its operand in src;
	 * either keeps every other register (the flags excepted). So a site
	 * keeps the registers the compiler chose and still fits a call.
	 */
	RELINK_OP_CALL_THUNK_OUT = 14,
	RELINK_OP_CALL_THUNK_IN = 15,
	RELINK_OP_MAX = 15,
};

/* Every call: a rel32 to the variant's target, last in a template. */
static inline int relink_op_is_call(unsigned int op)
{
	return op == RELINK_OP_CALL || op == RELINK_OP_CALL_PRESERVING ||
	       op == RELINK_OP_CALL_THUNK_OUT || op == RELINK_OP_CALL_THUNK_IN;
}

#define RELINK_HOLE(n) (0x80u | (n))
#define RELINK_IS_HOLE(r) (((r)&0x80u) != 0)
#define RELINK_HOLE_INDEX(r) ((r)&0x7fu)

struct relink_insn {
	uint8_t op; /* enum relink_op */
	uint8_t dst; /* register or hole */
	uint8_t src; /* register or hole */
	uint8_t len; /* RAW: number of bytes in imm */
	uint32_t imm;
};
_Static_assert(sizeof(struct relink_insn) == 8, "relink_insn layout");

#define RELINK_I(o, d, s, l, i)                                           \
	{                                                                 \
		.op = (o), .dst = (d), .src = (s), .len = (l), .imm = (i) \
	}
#define RELINK_I_RAW1(b0) RELINK_I(RELINK_OP_RAW, 0, 0, 1, (b0))
#define RELINK_I_RAW2(b0, b1) RELINK_I(RELINK_OP_RAW, 0, 0, 2, (b0) | (b1) << 8)
#define RELINK_I_RAW3(b0, b1, b2) \
	RELINK_I(RELINK_OP_RAW, 0, 0, 3, (b0) | (b1) << 8 | (b2) << 16)
#define RELINK_I_RAW4(b0, b1, b2, b3)    \
	RELINK_I(RELINK_OP_RAW, 0, 0, 4, \
		 (b0) | (b1) << 8 | (b2) << 16 | (uint32_t)(b3) << 24)
#define RELINK_I_PUSH(r) RELINK_I(RELINK_OP_PUSH, (r), 0, 0, 0)
#define RELINK_I_POP(r) RELINK_I(RELINK_OP_POP, (r), 0, 0, 0)
#define RELINK_I_MOV_RR(d, s) RELINK_I(RELINK_OP_MOV_RR, (d), (s), 0, 0)
#define RELINK_I_MOV_RI(d, i) RELINK_I(RELINK_OP_MOV_RI, (d), 0, 0, (i))
#define RELINK_I_XOR_RR(d, s) RELINK_I(RELINK_OP_XOR_RR, (d), (s), 0, 0)
#define RELINK_I_MOV_FROM_CR(d, cr) \
	RELINK_I(RELINK_OP_MOV_FROM_CR, (d), 0, 0, (cr))
#define RELINK_I_MOV_TO_CR(cr, s) RELINK_I(RELINK_OP_MOV_TO_CR, 0, (s), 0, (cr))
#define RELINK_I_INVLPG(s) RELINK_I(RELINK_OP_INVLPG, 0, (s), 0, 0)
#define RELINK_I_POPCNT(d, s) RELINK_I(RELINK_OP_POPCNT, (d), (s), 0, 0)
#define RELINK_I_CALL() RELINK_I(RELINK_OP_CALL, 0, 0, 0, 0)
#define RELINK_I_JMP() RELINK_I(RELINK_OP_JMP, 0, 0, 0, 0)
#define RELINK_I_CALL_PRESERVING() \
	RELINK_I(RELINK_OP_CALL_PRESERVING, 0, 0, 0, 0)
#define RELINK_I_CALL_THUNK_OUT(d) \
	RELINK_I(RELINK_OP_CALL_THUNK_OUT, (d), 0, 0, 0)
#define RELINK_I_CALL_THUNK_IN(s) \
	RELINK_I(RELINK_OP_CALL_THUNK_IN, 0, (s), 0, 0)

/* ---------------------------------------------------------------------
 * Build-time choice definitions.
 *
 * DEFINE_CHOICE (include/relink/choice.h) emits one struct relink_choice_def
 * into section ".relink.choices" under the global symbol __choice_<id>, and
 * its variants and templates into ".rodata". relocgen reads them from the
 * linked image (pointers are final addresses there) to learn every choice,
 * its variants and templates; the engine uses the same objects at run time.
 * The table's choice i is the i-th definition in the section.
 */
enum relink_pred {
	RELINK_PRED_ALWAYS = 0, /* always usable */
	RELINK_PRED_CPUID = 1, /* arg = feature number is set */
	RELINK_PRED_NO_CPUID = 2, /* arg = feature number is clear */
	RELINK_PRED_SMP = 3, /* more than one CPU may run */
	RELINK_PRED_UP = 4, /* exactly one CPU runs */
	RELINK_PRED_HYPERVISOR = 5, /* arg = enum relink_hypervisor */
	RELINK_PRED_NOT_HYPERVISOR = 6, /* arg = enum relink_hypervisor */
	RELINK_PRED_MAX = 6,
};

enum relink_hypervisor {
	RELINK_HV_NONE = 0, /* bare metal, or a hypervisor we do not drive */
	RELINK_HV_XEN_PV = 1,
};

/*
 * The decider of a choice names the input it reads; it is also what the
 * "choices" file reports as "who decided" unless the command line or a
 * run-time request overrode it. Deciding means: the first variant, in
 * definition order (best first), whose predicate holds.
 */
enum relink_decider {
	RELINK_DECIDER_DEFAULT = 0,
	RELINK_DECIDER_CPUID = 1,
	RELINK_DECIDER_SMP = 2,
	RELINK_DECIDER_HYPERVISOR = 3,
	RELINK_DECIDER_BOOT_OPTION = 4,
	RELINK_DECIDER_MAX = 4,
};

#define RELINK_PTR(type, field)        \
	union {                        \
		type field;            \
		uint64_t field##_addr; \
	}

struct relink_variant_def {
	RELINK_PTR(const char *, name);
	RELINK_PTR(const struct relink_insn *, tmpl);
	RELINK_PTR(const void *, target); /* for RELINK_OP_CALL, else 0 */
	uint8_t n_insns;
	uint8_t pred; /* enum relink_pred */
	uint16_t pred_arg; /* feature number, hypervisor */
	uint32_t reserved;
};
_Static_assert(sizeof(struct relink_variant_def) == 32, "variant_def layout");

struct relink_choice_def {
	RELINK_PTR(const char *, name);
	RELINK_PTR(const struct relink_variant_def *, variants);
	RELINK_PTR(const void *, call_symbol); /* what call sites call, or 0 */
	uint8_t n_variants;
	uint8_t decider; /* enum relink_decider */
	uint8_t default_variant; /* the variant the unpatched code implements */
	uint8_t flags; /* RELINK_CHOICE_* */
	uint32_t reserved;
};
_Static_assert(sizeof(struct relink_choice_def) == 32, "choice_def layout");

/* Decided at boot only: a run-time request to switch it is refused. */
#define RELINK_CHOICE_BOOT_ONLY 0x01

/* ---------------------------------------------------------------------
 * The run-time table.
 *
 * relocgen writes it into section ".relink.table" of link 2. It is
 * self-describing: the header gives the magic, version, the size of every
 * record and the offset and count of every array, and the choice and
 * variant records carry their names, so an offline tool needs nothing else.
 * All offsets are from the start of the header, which is 8-byte aligned;
 * every array starts on a RELINK_TABLE_ALIGN boundary. The layout
 * relink_table_lay_out() (include/relink/table_check.h) computes is
 *
 *	header | choices | variants | forms | sites | branch targets | strings
 *
 * and the strings start with an empty string, so name offset 0 is "".
 *
 * Sites are sorted by choice, then by offset: the sites of choice c are
 * one contiguous range, the n_sites of choice c after those of the
 * choices before it, so a site record needs no choice index and a
 * run-time switch walks only its own choice's range. Variants are in
 * choice order the same way: choice c's n_variants variants follow those
 * of the choices before it.
 *
 * A site record is 4 bytes: its offset from text_base (24 bits: text is
 * at most 16 MiB) and its form (8 bits). A form is a deduplicated (shape,
 * length, registers, clobbers) tuple: a kernel has few distinct forms and
 * many sites. Branch sites also own one entry of branch_targets, in table
 * order: the jump destination relative to the end of the site.
 *
 * Version 2: sites sorted by choice, 4-byte site records without a choice
 * index, 12-byte choice records without first_variant, 4-byte alignment.
 */
#define RELINK_TABLE_MAGIC 0x4b4e4c52u /* "RLNK" */
#define RELINK_TABLE_VERSION 2
#define RELINK_TABLE_ALIGN 4 /* of every array; the header's is 8 */

/* Limits every reader and writer of the table checks, and why. */
#define RELINK_MAX_CHOICES 256 /* the engine's per-choice state */
#define RELINK_MAX_FORMS 256 /* a site's form index is 8 bits */
#define RELINK_SITE_OFFSET_BITS 24
#define RELINK_MAX_TEXT_SIZE (1u << RELINK_SITE_OFFSET_BITS) /* 16 MiB */

struct relink_table_header {
	uint32_t magic;
	uint16_t version;
	uint16_t header_size;
	uint16_t choice_size;
	uint16_t variant_size;
	uint16_t form_size;
	uint16_t site_size;
	uint32_t total_size; /* header and every array, strings included */
	uint32_t n_choices;
	uint32_t n_variants;
	uint32_t n_forms;
	uint32_t n_sites;
	uint32_t n_branch_targets;
	uint32_t strings_size;
	uint32_t choices_offset;
	uint32_t variants_offset;
	uint32_t forms_offset;
	uint32_t sites_offset;
	uint32_t branch_targets_offset;
	uint32_t strings_offset;
	uint32_t reserved;
	uint64_t text_base; /* link address site offsets count from */
};
_Static_assert(sizeof(struct relink_table_header) == 80, "header layout");

struct relink_table_choice {
	uint32_t name; /* offset into strings */
	uint32_t n_sites; /* its range of the site array */
	uint8_t n_variants; /* its range of the variant array */
	uint8_t decider;
	uint8_t default_variant;
	uint8_t reserved;
};
_Static_assert(sizeof(struct relink_table_choice) == 12, "choice layout");

struct relink_table_variant {
	uint32_t name; /* offset into strings */
	uint8_t pred;
	uint8_t max_length; /* longest emission over this choice's sites */
	uint16_t pred_arg;
};
_Static_assert(sizeof(struct relink_table_variant) == 8, "variant layout");

struct relink_form {
	uint8_t shape;
	uint8_t length;
	uint8_t n_regs;
	uint8_t regs[RELINK_MAX_REGS];
	uint16_t clobbers;
};
_Static_assert(sizeof(struct relink_form) == 8, "form layout");

/* bits 0..23: offset from text_base; bits 24..31: form index. */
struct relink_site {
	uint32_t offset_form;
};
_Static_assert(sizeof(struct relink_site) == 4, "site layout");

static inline uint32_t relink_site_offset(const struct relink_site *s)
{
	return s->offset_form & (RELINK_MAX_TEXT_SIZE - 1);
}

static inline unsigned int relink_site_form_index(const struct relink_site *s)
{
	return s->offset_form >> RELINK_SITE_OFFSET_BITS;
}

/* The record of a site; offset < RELINK_MAX_TEXT_SIZE, form < 256. */
static inline struct relink_site relink_site_make(uint32_t offset,
						  unsigned int form)
{
	struct relink_site s = {
		.offset_form = (offset & (RELINK_MAX_TEXT_SIZE - 1)) |
			       (uint32_t)form << RELINK_SITE_OFFSET_BITS,
	};

	return s;
}

#endif /* RELINK_FORMAT_H */
