// SPDX-License-Identifier: MIT
/*
 * Parsing the boot command line and dispatching its options to the
 * subsystems that declared them (KERNEL_PARAM, in section .kernel_params).
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/string.h>

extern const struct kernel_param __kernel_params_start[];
extern const struct kernel_param __kernel_params_end[];

const char *boot_cmdline = "";
struct cmdline boot_options;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy one word (honouring double quotes) and return where it ended. */
static const char *next_word(const char *s, char *word, size_t size, int *err)
{
	size_t n = 0;
	bool quoted = false;

	*err = 0;
	for (; *s && (quoted || !is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 >= size) {
			*err = -E2BIG;
			continue;
		}
		word[n++] = *s;
	}
	word[n] = '\0';
	if (quoted)
		*err = -EINVAL;
	return s;
}

static int option_fill(struct cmdline_option *o, const char *word)
{
	const char *eq = strchr(word, '=');
	size_t key_len = eq ? (size_t)(eq - word) : strlen(word);

	if (key_len == 0 || key_len >= sizeof(o->key))
		return -EINVAL;
	memcpy(o->key, word, key_len);
	o->key[key_len] = '\0';
	o->has_value = eq != NULL;
	o->value[0] = '\0';
	if (eq &&
	    strlcpy(o->value, eq + 1, sizeof(o->value)) >= sizeof(o->value))
		return -E2BIG;
	return 0;
}

int cmdline_parse(struct cmdline *cl, const char *s)
{
	char word[CMDLINE_KEY_MAX + CMDLINE_VALUE_MAX];
	int err;

	cl->count = 0;
	while (*s) {
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		s = next_word(s, word, sizeof(word), &err);
		if (err)
			return err;
		if (cl->count == CMDLINE_MAX_OPTIONS)
			return -E2BIG;
		err = option_fill(&cl->options[cl->count], word);
		if (err)
			return err;
		cl->count++;
	}
	return 0;
}

static bool param_matches(const struct kernel_param *p, const char *key)
{
	size_t n = strlen(p->name);

	if (n && p->name[n - 1] == '.')
		return !strncmp(p->name, key, n) && key[n] != '\0';
	return !strcmp(p->name, key);
}

static const struct kernel_param *param_find(const char *key)
{
	for (const struct kernel_param *p = __kernel_params_start;
	     p < __kernel_params_end; p++)
		if (param_matches(p, key))
			return p;
	return NULL;
}

void cmdline_apply(const struct cmdline *cl)
{
	for (unsigned int i = 0; i < cl->count; i++) {
		const struct cmdline_option *o = &cl->options[i];
		const struct kernel_param *p = param_find(o->key);

		if (!p) {
			pr_warn("cmdline: unknown option '%s' ignored\n",
				o->key);
			continue;
		}
		p->set(o->key, o->has_value ? o->value : NULL);
	}
}

const struct cmdline_option *cmdline_find(const struct cmdline *cl,
					  const char *key)
{
	for (unsigned int i = 0; i < cl->count; i++)
		if (!strcmp(cl->options[i].key, key))
			return &cl->options[i];
	return NULL;
}
