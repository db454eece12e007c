// SPDX-License-Identifier: MIT
/*
 * The platform functions that differ between environments, each a call
 * through the environment the entry selected (<arch/environment.h>).
 */
#include <arch/environment.h>
#include <arch/paging.h>
#include <arch/pv.h>
#include <kernel/platform.h>

static const struct arch_environment *environment = &native_environment;

void environment_select(const struct arch_environment *env)
{
	environment = env;
}

void arch_console_write(const char *s, size_t len)
{
	environment->console_write(s, len);
}

int arch_console_getc(void)
{
	return environment->console_getc();
}

bool arch_console_input_irq(void)
{
	return environment->console_input_irq();
}

void arch_console_input_resume(void)
{
	environment->console_input_resume();
}

void arch_exit(int status)
{
	environment->exit(status);
}

void arch_reboot(void)
{
	environment->reboot();
}

void arch_setup(struct boot_info *boot)
{
	environment->setup(boot);
}

void arch_interrupts_init(const struct boot_info *boot)
{
	environment->interrupts_init(boot);
}

unsigned int arch_cpus_possible(void)
{
	return environment->cpus_possible();
}

int arch_cpu_start(unsigned int cpu)
{
	return environment->cpu_start(cpu);
}

void arch_cpu_park(void)
{
	environment->cpu_park();
}

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
	environment->send_ipi(cpu, kind);
}

/* Not through the environment: the site pv.rendezvous_wait. */
void arch_rendezvous_wait(void)
{
	pv_rendezvous_wait();
}

void arch_rendezvous_kick(unsigned int cpu)
{
	environment->rendezvous_kick(cpu);
}

uint64_t *paging_lookup(uint64_t va, unsigned int *level)
{
	return environment->paging_lookup(va, level);
}

int paging_module_map(uint64_t va, uint64_t phys)
{
	return environment->module_map(va, phys);
}

int paging_module_protect(uint64_t va, size_t npages, bool write, bool exec)
{
	return environment->module_protect(va, npages, write, exec);
}

int paging_module_unmap(uint64_t va, size_t npages)
{
	return environment->module_unmap(va, npages);
}

uint64_t paging_module_text(uint64_t va)
{
	return environment->module_text(va);
}
