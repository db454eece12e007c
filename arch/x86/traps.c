// SPDX-License-Identifier: MIT
/*
 * The IDT and what happens on every vector: device interrupts and IPIs
 * go to the handler registered for them (and are counted per CPU, for
 * /proc/interrupts); an NMI is a rendezvous kick (rendezvous.c); an int3
 * of the engine's INT3 write method goes on to its site's new code
 * (breakpoint.c); other exceptions either return to a fault_catch()
 * caller on the same CPU that expected them, or are reported (vector,
 * error code, RIP as symbol+offset, registers, CPU, a short stack trace)
 * and stop the machine with STATUS_EXCEPTION.
 */
#include <stdint.h>
#include <arch/breakpoint.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/layout.h>
#include <arch/pv.h>
#include <arch/trap.h>
#include <kernel/fault.h>
#include <kernel/irqflags.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/setjmp.h>
#include <kernel/symbols.h>
#include <kernel/trace.h>
#include <lib/errno.h>

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

extern const uint64_t trap_stubs[256];
static struct idt_entry idt[256] __attribute__((aligned(16)));
static irq_handler_t irq_handlers[256];
static const char *irq_names[256];

/*
 * Armed by fault_catch() on one CPU, in that CPU's percpu data: a fault on
 * another CPU at the same time is that CPU's own business.
 */
struct fault_recovery {
	struct jmp_buf jmp;
	struct fault_info *info;
};

static const char *const exception_names[NR_EXCEPTIONS] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor overrun",
	"invalid TSS",
	"segment not present",
	"stack fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 FPU error",
	"alignment check",
	"machine check",
	"SIMD error",
	"virtualization",
	"control protection",
};

const char *exception_name(unsigned int vector)
{
	if (vector < NR_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	return "exception";
}

static void idt_set(unsigned int vector, uint64_t handler, uint8_t ist)
{
	struct idt_entry *e = &idt[vector];

	e->offset_low = handler & 0xffff;
	e->selector = GDT_KERNEL_CS;
	e->ist = ist;
	e->type_attr = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_high = handler >> 32;
	e->reserved = 0;
}

void idt_load(void)
{
	pv_load_idt(idt, sizeof(idt) - 1);
}

void trap_init(void)
{
	for (unsigned int v = 0; v < 256; v++)
		idt_set(v, trap_stubs[v], v == VECTOR_DF ? 1 : 0);
	idt_load();
}

int irq_register(unsigned int vector, const char *name, irq_handler_t handler)
{
	if (vector < NR_EXCEPTIONS || vector > 255)
		return -EINVAL;
	if (irq_handlers[vector])
		return -EBUSY;
	irq_names[vector] = name;
	irq_handlers[vector] = handler;
	return 0;
}

const char *irq_vector_name(unsigned int vector)
{
	return vector < 256 ? irq_names[vector] : NULL;
}

static void report_stack(uint64_t rbp)
{
	char sym[96];

	kprintf("Call trace:\n");
	/* Frame pointers are on: walk them while they stay in the kernel. */
	for (int depth = 0; depth < 16 && rbp >= KERNEL_VIRT_BASE && !(rbp & 7);
	     depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (ret < KERNEL_VIRT_BASE)
			break;
		kprintf("  %s\n", ksym_format(ret, sym, sizeof(sym)));
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

void exception_report(const struct trap_frame *f, uint64_t cr2)
{
	char sym[96];

	kprintf("\nException %llu (%s), error code 0x%llx\n",
		(unsigned long long)f->vector, exception_name(f->vector),
		(unsigned long long)f->error_code);
	kprintf("RIP: %s (0x%016llx)\n", ksym_format(f->rip, sym, sizeof(sym)),
		(unsigned long long)f->rip);
	if (f->vector == VECTOR_PF)
		kprintf("CR2: 0x%016llx (%s, %s)\n", (unsigned long long)cr2,
			f->error_code & 2 ? "write" : "read",
			f->error_code & 1 ? "protection violation" :
					    "page not present");
	kprintf("RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", f->rax, f->rbx,
		f->rcx, f->rdx);
	kprintf("RSI %016lx RDI %016lx RBP %016lx RSP %016lx\n", f->rsi, f->rdi,
		f->rbp, f->rsp);
	kprintf("R8  %016lx R9  %016lx R10 %016lx R11 %016lx\n", f->r8, f->r9,
		f->r10, f->r11);
	kprintf("R12 %016lx R13 %016lx R14 %016lx R15 %016lx\n", f->r12, f->r13,
		f->r14, f->r15);
	kprintf("CS %04lx SS %04lx RFLAGS %016lx CPU %u\n", f->cs, f->ss,
		f->rflags, smp_processor_id());
	report_stack(f->rbp);
}

static void __noreturn exception_recover(struct trap_frame *f, uint64_t cr2)
{
	struct fault_recovery *r = this_cpu()->arch.fault_recovery;

	this_cpu()->arch.fault_recovery = NULL;
	r->info->vector = (unsigned int)f->vector;
	r->info->error_code = f->error_code;
	r->info->address = cr2;
	r->info->rip = f->rip;
	kernel_longjmp(&r->jmp, 1);
}

void trap_dispatch(struct trap_frame *f)
{
	uint64_t cr2;

	if (f->vector >= NR_EXCEPTIONS) {
		trace_point(TRACE_IRQ, (uint32_t)f->vector);
		this_cpu()->arch.irq_count[f->vector]++;
		if (irq_handlers[f->vector])
			irq_handlers[f->vector](f);
		else
			pr_warn("trap: spurious interrupt %llu\n",
				(unsigned long long)f->vector);
		/*
		 * Handlers run with interrupts off and leave them off: so the
		 * stop_machine IPI is only ever taken at the outermost level,
		 * where the place it interrupted is the one stop_machine
		 * records, and no site lies half-run further down the stack.
		 */
		if (!arch_irqs_disabled_flags(save_flags())) {
			arch_irq_disable();
			panic("trap: the handler of vector %llu turned "
			      "interrupts on",
			      (unsigned long long)f->vector);
		}
		return;
	}
	/* An int3 of the engine's INT3 write method: first, and site-free. */
	if (f->vector == VECTOR_BP && breakpoint_redirect(f))
		return;
	cr2 = f->vector == VECTOR_PF ? read_cr2() : 0;
	if (this_cpu()->arch.fault_recovery && f->vector != VECTOR_DF)
		exception_recover(f, cr2);
	exception_report(f, cr2);
	arch_exit(STATUS_EXCEPTION);
}

int fault_catch(void (*fn)(void *arg), void *arg, struct fault_info *info)
{
	struct fault_recovery r = { .info = info };
	unsigned long flags = save_flags();

	if (kernel_setjmp(&r.jmp)) {
		/* Came back from exception_recover() with IF as the gate left it. */
		if (flags & X86_EFLAGS_IF)
			irq_enable();
		return -EFAULT;
	}
	this_cpu()->arch.fault_recovery = &r;
	fn(arg);
	this_cpu()->arch.fault_recovery = NULL;
	return 0;
}
