// SPDX-License-Identifier: MIT
/*
 * The engine's boot options. "relink.<choice>=<variant>" and the Linux
 * spellings (idle=, acpi=, noreplace-smp, declared where their choices
 * are) pin a choice to a variant through relink_pin(); the deciders read
 * the pins through the platform interface (kernel/relink/platform.c). A
 * pin of one of the image's choices names a variant that exists (checked
 * here, when the option is applied); a pin of a choice the image lacks
 * waits for a module that defines it (the engine decides a module's
 * choices at insmod as the image's at boot). Whether the variant exists
 * then, and whether its predicate holds, is the engine's to say when it
 * decides. The last pin of a choice wins, in
 * command-line order, whichever spelling set it. relink.method= forces
 * how run-time switches write (stop_machine or int3).
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/engine.h>

#define RELINK_MAX_PINS 32

static struct relink_pin pins[RELINK_MAX_PINS];
static unsigned int n_pins;

const struct relink_pin *relink_pin_find(const char *choice)
{
	for (unsigned int i = 0; i < n_pins; i++)
		if (!strcmp(pins[i].choice, choice))
			return &pins[i];
	return NULL;
}

int relink_pin(const char *choice, const char *variant, const char *option,
	       char *why)
{
	struct relink_pin *pin = (struct relink_pin *)relink_pin_find(choice);
	int rc = relink_option_check(choice, variant, why, CMDLINE_WHY_MAX);

	if (rc == -ENOENT) {
		char shown[RELINK_PIN_OPTION_MAX];

		str_escape(shown, sizeof(shown), option, strlen(option));
		pr_notice("cmdline: '%s': no such choice in the kernel; kept "
			  "for a module that defines it\n",
			  shown);
	} else if (rc) {
		strlcat(why, "; ignored", CMDLINE_WHY_MAX);
		return -EINVAL;
	}
	if (!pin) {
		if (n_pins == RELINK_MAX_PINS) {
			snprintf(why, CMDLINE_WHY_MAX, "more than %d pins",
				 RELINK_MAX_PINS);
			return -E2BIG;
		}
		pin = &pins[n_pins++];
	} else if (strcmp(pin->option, option))
		pr_notice("cmdline: '%s' overrides '%s' (the last one wins)\n",
			  option, pin->option);
	pin->choice = choice;
	strlcpy(pin->variant, variant, sizeof(pin->variant));
	str_escape(pin->option, sizeof(pin->option), option, strlen(option));
	return 0;
}

int relink_pin_option(const struct relink_choice_def *def, const char *key,
		      const char *value, const char *variant, char *why)
{
	char option[RELINK_PIN_OPTION_MAX];

	if (value)
		snprintf(option, sizeof(option), "%s=%s", key, value);
	else
		strlcpy(option, key, sizeof(option));
	return relink_pin(def->name, variant, option, why);
}

static int relink_choice_param(const char *key, const char *value, char *why)
{
	char option[RELINK_PIN_OPTION_MAX];
	const char *choice = key + strlen("relink.");

	snprintf(option, sizeof(option), "%s=%s", key, value);
	return relink_pin(choice, value, option, why);
}
KERNEL_PARAM("relink.", relink_choice_param, "relink.CHOICE=VARIANT",
	     "pick a variant of a choice");

/* relink.method=: an exact name, so it wins over the "relink." prefix. */
static int relink_method_param(const char *key __unused, const char *value,
			       char *why)
{
	if (!relink_method_force(value))
		return 0;
	snprintf(why, CMDLINE_WHY_MAX,
		 "unknown method (valid: stop, int3, auto); keeping %s",
		 relink_method_forced());
	return -EINVAL;
}
KERNEL_PARAM("relink.method", relink_method_param,
	     "relink.method=stop|int3|auto",
	     "how run-time switches write: stop_machine, int3, or per switch");

static int debug_alternative_param(const char *key __unused,
				   const char *value __unused,
				   char *why __unused)
{
	relink_set_debug(true);
	return 0;
}
KERNEL_FLAG("debug-alternative", debug_alternative_param,
	    "log every site as it is written, bytes before and after");
