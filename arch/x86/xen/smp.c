// SPDX-License-Identifier: MIT
/*
 * The other vCPUs of the Xen PV domain: Xen gave dom0 its vCPUs at boot
 * (dom0_max_vcpus), all of them down but vCPU 0; CPU n of the kernel is
 * vCPU n. The first start of a vCPU hands Xen its whole register state
 * (VCPUOP_initialise: its own stack, GS base at its per-CPU data, the
 * kernel's page tables, trap table and event callbacks, Xen's flat
 * segments as on the boot vCPU) and runs it (VCPUOP_up); it enters
 * xen_cpu_entry() and joins the kernel in smp_secondary_start().
 *
 * A vCPU can be initialised only once, so hot-plug parks a vCPU with
 * VCPUOP_down on itself, and the next start is VCPUOP_up, after which the
 * parked vCPU returns from its VCPUOP_down and restarts on a fresh stack
 * through the same entry: as natively, bringing it back is a restart.
 * Its event ports stay bound meanwhile (events.c).
 */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <kernel/cpu.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

#define XEN_CPU_STACK_SIZE (16 * 1024)
/* A parked vCPU is down this soon after it said so. */
#define DOWN_TIMEOUT_MS 2000

extern const char xen_event_entry[], xen_failsafe_entry[];

static uint8_t cpu_stacks[NR_CPUS][XEN_CPU_STACK_SIZE] __aligned(16);
static unsigned int nr_vcpus = 1;
static bool initialised[NR_CPUS]; /* later starts: VCPUOP_up alone */
/* One start at a time (cpu_hotplug_lock): one context suffices. */
static struct vcpu_guest_context context;

static long vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static uint64_t stack_top(unsigned int cpu)
{
	return (uint64_t)(cpu_stacks[cpu] + XEN_CPU_STACK_SIZE);
}

/*
 * Boot CPU, once, events still masked: the vCPUs Xen gave the domain are
 * those VCPUOP_is_up knows (it says -ENOENT past the last). Each gets its
 * ports before any of them starts.
 */
void xen_smp_init(void)
{
	unsigned int n = 1;

	while (n < NR_CPUS && n < XEN_LEGACY_MAX_VCPUS &&
	       vcpu_op(VCPUOP_is_up, n, NULL) >= 0)
		n++;
	nr_vcpus = n;
	for (unsigned int cpu = 0; cpu < n; cpu++)
		per_cpu(cpu)->hw_id = cpu;
	if (n == 1)
		return;
	for (unsigned int cpu = 0; cpu < n; cpu++)
		xen_events_init_cpu(cpu);
	pr_info("xen: %u vCPUs, IPIs and rendezvous kicks by event channel\n",
		n);
}

unsigned int xen_cpus_possible(void)
{
	return nr_vcpus;
}

void __noreturn xen_cpu_entry(unsigned int cpu);

/*
 * A started vCPU: events masked, GS base at its per-CPU data already (the
 * context's gs_base_kernel), so per-CPU data first as on the boot CPU.
 * The I/O privilege is per vCPU: taken again, as the boot vCPU did.
 */
void xen_cpu_entry(unsigned int cpu)
{
	percpu_init_cpu(cpu);
	xen_iopl_init();
	smp_secondary_start();
}

/* The register state of vCPU cpu's first instruction, xen_cpu_entry(). */
static long vcpu_initialise(unsigned int cpu)
{
	struct vcpu_guest_context *c = &context;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = (uint64_t)xen_cpu_entry;
	/* As if called: the return address slot below a 16-aligned top. */
	c->user_regs.rsp = stack_top(cpu) - 8;
	c->user_regs.rdi = cpu;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.rflags = X86_EFLAGS_IF | 2;
	xen_trap_context(c->trap_ctxt);
	/* Xen's GDT entries (the flat segments): no GDT frames of ours. */
	c->gdt_ents = 0;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = stack_top(cpu);
	c->ctrlreg[3] = xen_pfn_to_cr3(xen_paging_root_mfn());
	c->event_callback_eip = (uint64_t)xen_event_entry;
	c->failsafe_callback_eip = (uint64_t)xen_failsafe_entry;
	c->gs_base_kernel = (uint64_t)per_cpu(cpu);
	/* Before its first instruction: patched pv sites read it. */
	per_cpu(cpu)->arch.hv_vcpu = &xen_shared_info()->vcpu_info[cpu];
	return vcpu_op(VCPUOP_initialise, cpu, c);
}

/* A vCPU that parked itself is down only once its VCPUOP_down ran. */
static int wait_down(unsigned int cpu)
{
	uint64_t start = cycles_now();
	long rc;

	while ((rc = vcpu_op(VCPUOP_is_up, cpu, NULL)) > 0) {
		if (cycles_to_ns(cycles_now() - start) >
		    DOWN_TIMEOUT_MS * 1000000ull)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return rc < 0 ? -EIO : 0;
}

int xen_cpu_start(unsigned int cpu)
{
	long rc;

	if (cpu == 0 || cpu >= nr_vcpus)
		return -EINVAL;
	if (initialised[cpu]) {
		int err = wait_down(cpu);

		if (err) {
			pr_err("xen: vCPU %u did not go down: %d\n", cpu, err);
			return err;
		}
	} else {
		/* Events masked from its first instruction. */
		xen_shared_info()->vcpu_info[cpu].evtchn_upcall_mask = 1;
		rc = vcpu_initialise(cpu);
		if (rc) {
			pr_err("xen: VCPUOP_initialise vCPU %u: %ld\n", cpu,
			       rc);
			return -EIO;
		}
		initialised[cpu] = true;
	}
	rc = vcpu_op(VCPUOP_up, cpu, NULL);
	if (rc) {
		pr_err("xen: VCPUOP_up vCPU %u: %ld\n", cpu, rc);
		return -EIO;
	}
	return 0;
}

/*
 * Events masked (the caller's): down until the next VCPUOP_up, then a
 * restart from the top of this vCPU's stack, the one it runs on now.
 */
void xen_cpu_park(void)
{
	unsigned int cpu = smp_processor_id();
	long rc = vcpu_op(VCPUOP_down, cpu, NULL);

	if (rc)
		panic("xen: VCPUOP_down vCPU %u: %ld", cpu, rc);
	asm volatile("mov %0, %%rsp\n\t"
		     "xor %%ebp, %%ebp\n\t"
		     "call xen_cpu_entry"
		     :
		     : "r"(stack_top(cpu)), "D"(cpu)
		     : "memory");
	__builtin_unreachable();
}
