// SPDX-License-Identifier: MIT
/*
 * The choice engine's platform in user space (see host_platform.h): text
 * pokes through a writable alias of the program's own text, CPUID from
 * the real CPU, "CPUs" that are worker threads, stop_machine by signals
 * that park every worker, the command line from argv and the environment,
 * and log lines on stderr as TAP comments. Good enough to run the engine
 * on its own code, under load, in a test.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <relink/cpufeature.h>

#include "host_platform.h"

#define MAX_CPUS 64
#define LOG_SIZE 16384

/* Provided by tests/host/relink-host.ld; absent (0) in other links. */
extern const char __relink_table_start[] __attribute__((weak));
extern const char __relink_table_end[] __attribute__((weak));
extern const struct relink_choice_def __relink_choices_start[]
	__attribute__((weak));
extern const struct relink_choice_def __relink_choices_end[]
	__attribute__((weak));

static struct {
	uintptr_t start, end; /* the executable segment, page aligned */
	uint8_t *alias; /* its read+write alias */
} text;

static uint32_t cpu_words[CPU_FEATURE_WORDS];
static uint32_t cleared_words[CPU_FEATURE_WORDS];
static const struct relink_image *image_override;
static char *cmdline;
static int log_level = RELINK_LOG_INFO;
static char log_text[2][LOG_SIZE];
static size_t log_len;

static struct {
	pthread_t threads[MAX_CPUS];
	unsigned int n;
	_Atomic unsigned int online;
	_Atomic(void (*)(void *, unsigned int)) work;
	_Atomic(void *) arg;
	atomic_bool exit;
	pthread_mutex_t stop_lock;
	atomic_ulong request, release, stops;
	atomic_ulong parked, resumed;
	_Atomic uintptr_t pc[MAX_CPUS]; /* where each parked worker stopped */
} cpus = { .online = 1, .stop_lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- text ------------------------------------------------------------ */

static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
	long page = sysconf(_SC_PAGESIZE);

	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		text.start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		text.end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page -
			    1) &
			   ~(page - 1);
		break;
	}
	return 1; /* the first object is the program itself */
}

/*
 * Replaces the text pages with a shared memfd holding the same bytes,
 * mapped read+execute in place and read+write elsewhere. The MAP_FIXED
 * mmap swaps the pages atomically, and the new ones hold the same code,
 * so execution returning into them carries on.
 */
static int remap_text(void)
{
	size_t len = text.end - text.start;
	int fd = memfd_create("relink-text", MFD_CLOEXEC);
	void *alias, *exec;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)len) ||
	    pwrite(fd, (void *)text.start, len, 0) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	alias = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	exec = alias == MAP_FAILED ?
		       MAP_FAILED :
		       mmap((void *)text.start, len, PROT_READ | PROT_EXEC,
			    MAP_SHARED | MAP_FIXED, fd, 0);
	close(fd);
	if (exec == MAP_FAILED)
		return -errno;
	text.alias = alias;
	return 0;
}

/*
 * The program's alias of its text lives as long as the program, so a
 * batch maps nothing; it only makes a write outside one an error, as in
 * the kernel.
 */
static bool batch_open;

static int poke(void *addr, const void *bytes, size_t len)
{
	uintptr_t a = (uintptr_t)addr;

	if (!batch_open)
		return -EINVAL;
	if (text.alias && a >= text.start && a + len <= text.end)
		memcpy(text.alias + (a - text.start), bytes, len);
	else
		memcpy(addr, bytes,
		       len); /* synthetic text in ordinary memory */
	return 0;
}

void relink_platform_text_poke_begin(void)
{
	batch_open = true;
}

void relink_platform_text_poke_end(void)
{
	batch_open = false;
}

int relink_platform_text_poke_early(void *addr, const void *bytes, size_t len)
{
	return poke(addr, bytes, len);
}

int relink_platform_text_poke(void *addr, const void *bytes, size_t len)
{
	return poke(addr, bytes, len);
}

void relink_platform_sync_core(void)
{
	unsigned int a = 0, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

void relink_platform_image(struct relink_image *image)
{
	uintptr_t table = (uintptr_t)__relink_table_start;
	uintptr_t table_end = (uintptr_t)__relink_table_end;
	uintptr_t choices = (uintptr_t)__relink_choices_start;
	uintptr_t choices_end = (uintptr_t)__relink_choices_end;

	if (image_override) {
		*image = *image_override;
		return;
	}
	memset(image, 0, sizeof(*image));
	if (table && table_end > table) {
		image->table = (const void *)table;
		image->table_size = table_end - table;
	}
	if (choices && choices_end > choices) {
		image->choices = (const void *)choices;
		image->n_choices = (choices_end - choices) /
				   sizeof(struct relink_choice_def);
	}
	image->text_start = text.start;
	image->text_end = text.end;
}

void host_platform_set_image(const struct relink_image *image)
{
	image_override = image;
}

/* ---- CPU features ---------------------------------------------------- */

static void read_cpuid(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid(1, &a, &b, &c, &d)) {
		cpu_words[CPUID_1_EDX] = d;
		cpu_words[CPUID_1_ECX] = c;
	}
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		cpu_words[CPUID_7_0_EBX] = b;
		cpu_words[CPUID_7_0_ECX] = c;
		cpu_words[CPUID_7_0_EDX] = d;
	}
	if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
		cpu_words[CPUID_80000001_EDX] = d;
		cpu_words[CPUID_80000001_ECX] = c;
	}
}

bool relink_platform_has_feature(unsigned int feature)
{
	unsigned int word = feature / 32, bit = feature % 32;

	if (word >= CPU_FEATURE_WORDS)
		return false;
	return (cpu_words[word] & ~cleared_words[word]) >> bit & 1;
}

void host_platform_clear_feature(unsigned int feature)
{
	if (feature / 32 < CPU_FEATURE_WORDS)
		cleared_words[feature / 32] |= 1u << (feature % 32);
}

enum relink_hypervisor relink_platform_hypervisor(void)
{
	return RELINK_HV_NONE;
}

/* ---- command line, log, time, symbols --------------------------------- */

void host_platform_set_cmdline(const char *line)
{
	free(cmdline);
	cmdline = line ? strdup(line) : NULL;
}

bool relink_platform_cmdline_value(const char *choice, const char **value,
				   size_t *len, const char **option)
{
	static char word[128];

	size_t key_len = strlen(choice);

	for (const char *p = cmdline; p && *p;) {
		p += strspn(p, " ");
		if (!strncmp(p, "relink.", 7) &&
		    !strncmp(p + 7, choice, key_len) && p[7 + key_len] == '=') {
			*value = p + 8 + key_len;
			*len = strcspn(*value, " ");
			snprintf(word, sizeof(word), "%.*s",
				 (int)strcspn(p, " "), p);
			*option = word;
			return true;
		}
		p += strcspn(p, " ");
	}
	return false;
}

void relink_platform_log(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && log_len + (size_t)n < LOG_SIZE) {
		memcpy(log_text[0] + log_len, line, (size_t)n + 1);
		log_len += (size_t)n;
	}
	if (level <= log_level)
		fprintf(stderr, "# %s", line);
}

void host_platform_set_log_level(int level)
{
	log_level = level;
}

const char *host_platform_take_log(void)
{
	memcpy(log_text[1], log_text[0], log_len + 1);
	log_len = 0;
	log_text[0][0] = '\0';
	return log_text[1];
}

uint64_t relink_platform_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int relink_platform_symbol(uint64_t addr, char *buf, size_t size)
{
	Dl_info info;

	if (!dladdr((void *)(uintptr_t)addr, &info) || !info.dli_sname)
		return -ENOENT;
	snprintf(buf, size, "%s+%#lx", info.dli_sname,
		 (unsigned long)(addr - (uintptr_t)info.dli_saddr));
	return 0;
}

/* ---- CPUs and stop_machine --------------------------------------------- */

unsigned int relink_platform_cpus_online(void)
{
	return atomic_load(&cpus.online);
}

/*
 * A worker "CPU" takes the stop signal wherever it is: it reports parked,
 * spins (as a CPU with interrupts off would) until the writer releases
 * this stop, serializes, and returns to whatever it was executing.
 */
static __thread unsigned int this_cpu;

/*
 * Waits for *value to reach want: spinning first, then yielding, so that
 * on a machine with fewer cores than "CPUs" the threads still to be parked
 * get to run. Async-signal-safe.
 */
static void wait_for(atomic_ulong *value, unsigned long want, bool at_least)
{
	for (unsigned long spins = 0;; spins++) {
		unsigned long v = atomic_load(value);

		if (at_least ? v >= want : v == want)
			return;
		if (spins < 2000)
			__builtin_ia32_pause();
		else
			sched_yield();
	}
}

static void park(int sig, siginfo_t *info, void *context)
{
	const ucontext_t *uc = context;
	unsigned long stop = atomic_load(&cpus.request);

	(void)sig;
	(void)info;
	atomic_store(&cpus.pc[this_cpu],
		     (uintptr_t)uc->uc_mcontext.gregs[REG_RIP]);
	atomic_fetch_add(&cpus.parked, 1);
	wait_for(&cpus.release, stop, false);
	relink_platform_sync_core();
	atomic_fetch_add(&cpus.resumed, 1);
}

static void *worker_main(void *p)
{
	unsigned int cpu = (unsigned int)(uintptr_t)p;

	this_cpu = cpu;
	while (!atomic_load(&cpus.exit)) {
		void (*work)(void *, unsigned int) = atomic_load(&cpus.work);

		if (work)
			work(atomic_load(&cpus.arg), cpu);
		else
			usleep(100);
	}
	return NULL;
}

/*
 * The stop protocol, one stop at a time:
 * 1. count no worker parked and publish a new stop number;
 * 2. signal every worker and wait until all are parked;
 * 3. run fn on this thread, then serialize it;
 * 4. release the stop and wait until every worker has serialized.
 */
int relink_platform_stop_machine(int (*fn)(void *arg), void *arg)
{
	unsigned long stop;
	int rc;

	pthread_mutex_lock(&cpus.stop_lock);
	atomic_store(&cpus.parked, 0);
	atomic_store(&cpus.resumed, 0);
	stop = atomic_fetch_add(&cpus.request, 1) + 1;
	for (unsigned int i = 0; i < cpus.n; i++)
		pthread_kill(cpus.threads[i], SIGUSR1);
	wait_for(&cpus.parked, cpus.n, true);
	rc = fn(arg);
	relink_platform_sync_core();
	atomic_store(&cpus.release, stop);
	wait_for(&cpus.resumed, cpus.n, true);
	atomic_fetch_add(&cpus.stops, 1);
	pthread_mutex_unlock(&cpus.stop_lock);
	return rc;
}

bool relink_platform_cpu_inside(uint64_t start, uint64_t end)
{
	for (unsigned int i = 1; i <= cpus.n; i++) {
		uintptr_t pc = atomic_load(&cpus.pc[i]);

		if (pc > start && pc < end)
			return true;
	}
	return false;
}

unsigned long host_platform_stops(void)
{
	return atomic_load(&cpus.stops);
}

void host_platform_set_work(void (*work)(void *arg, unsigned int cpu),
			    void *arg)
{
	atomic_store(&cpus.arg, arg);
	atomic_store(&cpus.work, work);
}

/*
 * Worker i runs on core 1 + (i - 1) % (cores - 1), away from core 0 where
 * the programs keep their main thread: a worker sharing a core with the
 * thread that stops the machine waits for a scheduler tick to park.
 */
static void place_worker(pthread_t thread, unsigned int i)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (cores < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(1 + (i - 1) % (unsigned int)(cores - 1), &set);
	pthread_setaffinity_np(thread, sizeof(set), &set);
}

int host_platform_start_cpus(unsigned int n,
			     void (*work)(void *arg, unsigned int cpu),
			     void *arg)
{
	if (cpus.n || n >= MAX_CPUS)
		return -EBUSY;
	host_platform_set_work(work, arg);
	atomic_store(&cpus.exit, false);
	/* Online before they run, as a kernel counts a CPU before it starts. */
	atomic_store(&cpus.online, 1 + n);
	for (unsigned int i = 0; i < n; i++) {
		if (pthread_create(&cpus.threads[i], NULL, worker_main,
				   (void *)(uintptr_t)(i + 1))) {
			host_platform_stop_cpus();
			return -EAGAIN;
		}
		cpus.n = i + 1;
		place_worker(cpus.threads[i], i + 1);
	}
	return 0;
}

void host_platform_stop_cpus(void)
{
	atomic_store(&cpus.exit, true);
	for (unsigned int i = 0; i < cpus.n; i++)
		pthread_join(cpus.threads[i], NULL);
	cpus.n = 0;
	atomic_store(&cpus.online, 1);
	host_platform_set_work(NULL, NULL);
}

/* ---- set-up -------------------------------------------------------------- */

static void read_cmdline(int argc, char **argv)
{
	size_t size = 1;
	char *line;

	for (int i = 1; i < argc; i++)
		size += strlen(argv[i]) + 1;
	if (getenv("RELINK_CMDLINE"))
		size += strlen(getenv("RELINK_CMDLINE")) + 1;
	line = calloc(1, size);
	if (!line)
		return;
	if (getenv("RELINK_CMDLINE"))
		strcat(strcat(line, getenv("RELINK_CMDLINE")), " ");
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "relink.", 7))
			strcat(strcat(line, argv[i]), " ");
	free(cmdline);
	cmdline = line;
}

/*
 * The INT3 method in user space: the kernel's #BP redirect (arch/x86/
 * breakpoint.c) as a SIGTRAP handler, and "sync every CPU" as a signal
 * that each worker answers after serializing. As the kernel's #BP handler
 * runs with interrupts off, the SIGTRAP handler runs with the sync signal
 * blocked: no sync completes while a thread is inside it, so the table
 * it reads cannot go away under it.
 */
static const struct relink_breakpoint *_Atomic breakpoints;
static _Atomic unsigned int n_breakpoints;
static atomic_ulong int3_writes;
static atomic_ulong synced;

bool relink_platform_breakpoints_usable(void)
{
	return true;
}

void relink_platform_breakpoints(const struct relink_breakpoint *bp,
				 unsigned int n)
{
	atomic_store(&n_breakpoints, 0);
	atomic_store(&breakpoints, bp);
	atomic_store(&n_breakpoints, n);
	if (n)
		atomic_fetch_add(&int3_writes, 1);
}

unsigned long host_platform_int3_writes(void)
{
	return atomic_load(&int3_writes);
}

static int32_t rel32_at(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* A call pushes below RSP: at a call the red zone holds nothing live. */
static void redirect(greg_t *regs, const struct relink_breakpoint *bp)
{
	uint64_t end = bp->address + bp->length;

	if (bp->bytes[0] == 0xe8) {
		regs[REG_RSP] -= 8;
		*(uint64_t *)regs[REG_RSP] = end;
		regs[REG_RIP] = (greg_t)(end + (uint64_t)(int64_t)rel32_at(
						       bp->bytes + 1));
	} else if (bp->bytes[0] == 0xe9) {
		regs[REG_RIP] = (greg_t)(end + (uint64_t)(int64_t)rel32_at(
						       bp->bytes + 1));
	} else if (bp->bytes[0] == 0xeb) {
		regs[REG_RIP] =
			(greg_t)(bp->address + 2 +
				 (uint64_t)(int64_t)(int8_t)bp->bytes[1]);
	} else {
		regs[REG_RIP] = (greg_t)end; /* a NOP */
	}
}

static void breakpoint_trap(int sig, siginfo_t *info, void *context)
{
	greg_t *regs = ((ucontext_t *)context)->uc_mcontext.gregs;
	const struct relink_breakpoint *bp = atomic_load(&breakpoints);
	unsigned int n = atomic_load(&n_breakpoints);

	(void)info;
	uint64_t at = (uint64_t)regs[REG_RIP] - 1;

	for (unsigned int i = 0; bp && i < n; i++) {
		if (bp[i].address == at) {
			redirect(regs, &bp[i]);
			return;
		}
	}
	/* The int3 is gone (the kernel's handler, too): run what is there. */
	if (*(const volatile uint8_t *)at != 0xcc) {
		regs[REG_RIP] = (greg_t)at;
		return;
	}
	signal(sig, SIG_DFL); /* not ours: die of it */
}

static void sync_this_cpu(int sig)
{
	(void)sig;
	relink_platform_sync_core();
	atomic_fetch_add(&synced, 1);
}

void relink_platform_sync_cpus(void)
{
	unsigned long want = atomic_load(&synced) + cpus.n;

	relink_platform_sync_core();
	for (unsigned int i = 0; i < cpus.n; i++)
		pthread_kill(cpus.threads[i], SIGUSR2);
	wait_for(&synced, want, true);
}

/* fn handles sig, with the signal blocked (0: none) blocked meanwhile. */
static int catch_signal(int sig, void (*fn)(int, siginfo_t *, void *),
			int blocked)
{
	struct sigaction sa = { .sa_sigaction = fn,
				.sa_flags = SA_RESTART | SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	if (blocked)
		sigaddset(&sa.sa_mask, blocked);
	return sigaction(sig, &sa, NULL) ? -errno : 0;
}

int host_platform_init(int argc, char **argv)
{
	read_cpuid();
	read_cmdline(argc, argv);
	if (catch_signal(SIGUSR1, park, 0) ||
	    catch_signal(SIGTRAP, breakpoint_trap, SIGUSR2) ||
	    signal(SIGUSR2, sync_this_cpu) == SIG_ERR)
		return -errno;
	dl_iterate_phdr(find_text, NULL);
	if (!text.start)
		return -ENOEXEC;
	return remap_text();
}

/*
 * The kernel's boot options (RELINK_OPTION, RELINK_FLAG beside a choice)
 * are declared in the choices this program shares with it, but never
 * parsed here: the command line comes through host_platform_set_cmdline().
 */
int relink_pin_option(const struct relink_choice_def *def, const char *key,
		      const char *value, const char *variant, char *why)
{
	(void)def;
	(void)key;
	(void)value;
	(void)variant;
	(void)why;
	return -EINVAL;
}
