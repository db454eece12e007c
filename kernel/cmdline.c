// SPDX-License-Identifier: MIT
/*
 * Parsing the boot command line and dispatching its options to the
 * subsystems that declared them (KERNEL_PARAM and KERNEL_FLAG, in section
 * .kernel_params). include/kernel/cmdline.h states the rules; every bad
 * word is answered here, in one line, so that no handler sees a missing or
 * empty value and no handler prints for itself.
 *
 * The parser and the dispatcher take their inputs as arguments (the
 * option table included), so the host fuzz harness (tests/fuzz/cmdline.c)
 * runs this very file.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

const char *boot_cmdline = "";
struct cmdline boot_options;

#define WORD_MAX (CMDLINE_KEY_MAX + CMDLINE_VALUE_MAX + 1)
/* Room for one word escaped (\xNN per byte), cut with "..." when longer. */
#define SHOW_MAX 96

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The word at s (up to end or a space) escaped into buf, for messages. */
static const char *show_raw(const char *s, const char *end, char *buf)
{
	size_t n = 0;

	while (s + n < end && !is_space(s[n]))
		n++;
	return str_escape(buf, SHOW_MAX, s, n);
}

const char *cmdline_word(const struct cmdline_option *o, char *buf, size_t size)
{
	char word[WORD_MAX];
	size_t n = strlcpy(word, o->key, sizeof(word));

	if (o->has_value) {
		word[n++] = '=';
		strlcpy(word + n, o->value, sizeof(word) - n);
	}
	return str_escape(buf, size, word, sizeof(word));
}

/*
 * One word at s: its text without the quotes into word, or an error
 * (-EINVAL: unterminated quote, -E2BIG: longer than the buffer). Returns
 * where the word ended.
 */
static const char *next_word(const char *s, const char *end, char *word,
			     int *err)
{
	size_t n = 0;
	bool quoted = false;

	*err = 0;
	for (; s < end && *s && (quoted || !is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 >= WORD_MAX)
			*err = -E2BIG;
		else
			word[n++] = *s;
	}
	word[n] = '\0';
	if (quoted)
		*err = -EINVAL;
	return s;
}

/* Split word into o; a reason on error. */
static const char *option_fill(struct cmdline_option *o, const char *word)
{
	const char *eq = strchr(word, '=');
	size_t key_len = eq ? (size_t)(eq - word) : strlen(word);

	if (key_len == 0)
		return "no option name before '='; ignored";
	if (key_len >= sizeof(o->key))
		return "option name longer than 63 bytes; ignored";
	if (eq && strlen(eq + 1) >= sizeof(o->value))
		return "value longer than 255 bytes; ignored";
	memcpy(o->key, word, key_len);
	o->key[key_len] = '\0';
	o->has_value = eq != NULL;
	strlcpy(o->value, eq ? eq + 1 : "", sizeof(o->value));
	return NULL;
}

/* The last word with a key wins: drop an earlier one, saying so. */
static void drop_earlier(struct cmdline *cl, const struct cmdline_option *o)
{
	char was[SHOW_MAX], now[SHOW_MAX];

	for (unsigned int i = 0; i < cl->count; i++) {
		if (strcmp(cl->options[i].key, o->key))
			continue;
		pr_notice("cmdline: '%s' overrides '%s' (the last one wins)\n",
			  cmdline_word(o, now, sizeof(now)),
			  cmdline_word(&cl->options[i], was, sizeof(was)));
		memmove(&cl->options[i], &cl->options[i + 1],
			(cl->count - i - 1) * sizeof(cl->options[0]));
		cl->count--;
		return;
	}
}

/* Parse the word at s into cl; returns where the word ended. */
static const char *parse_word(struct cmdline *cl, const char *s,
			      const char *end)
{
	char word[WORD_MAX], shown[SHOW_MAX];
	struct cmdline_option o;
	const char *start = s, *why;
	int err;

	s = next_word(s, end, word, &err);
	if (err) {
		if (err == -E2BIG)
			pr_warn("cmdline: '%s': longer than %d bytes; ignored\n",
				show_raw(start, s, shown), WORD_MAX - 1);
		else
			pr_warn("cmdline: '%s': unterminated quote; ignored\n",
				show_raw(start, s, shown));
		/* The words after an unterminated quote are words again. */
		for (s = start; s < end && *s && !is_space(*s);)
			s++;
		return s;
	}
	why = option_fill(&o, word);
	if (why) {
		pr_warn("cmdline: '%s': %s\n", show_raw(start, s, shown), why);
		return s;
	}
	drop_earlier(cl, &o);
	if (cl->count == CMDLINE_MAX_OPTIONS) {
		pr_warn("cmdline: '%s': more than %d options; ignored\n",
			show_raw(start, s, shown), CMDLINE_MAX_OPTIONS);
		return s;
	}
	cl->options[cl->count++] = o;
	return s;
}

void cmdline_parse(struct cmdline *cl, const char *s, size_t len)
{
	const char *end = s + strnlen(s, len);

	cl->count = 0;
	while (s < end) {
		while (s < end && is_space(*s))
			s++;
		if (s < end)
			s = parse_word(cl, s, end);
	}
}

static bool param_is_prefix(const struct kernel_param *p)
{
	size_t n = strlen(p->name);

	return n && p->name[n - 1] == '.';
}

static bool param_matches(const struct kernel_param *p, const char *key)
{
	size_t n = strlen(p->name);

	if (param_is_prefix(p))
		return !strncmp(p->name, key, n) && key[n] != '\0';
	return !strcmp(p->name, key);
}

/* An exact name wins over a prefix ("relink.method" over "relink."). */
static const struct kernel_param *param_find(const struct kernel_param *params,
					     size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!param_is_prefix(&params[i]) &&
		    !strcmp(params[i].name, key))
			return &params[i];
	for (size_t i = 0; i < n; i++)
		if (param_matches(&params[i], key))
			return &params[i];
	return NULL;
}

/* Why p cannot take o as written, or NULL when its handler may. */
static const char *value_shape(const struct kernel_param *p,
			       const struct cmdline_option *o, char *why)
{
	if (!p->takes_value && o->has_value)
		return "takes no value; ignored";
	if (p->takes_value && (!o->has_value || !o->value[0])) {
		snprintf(why, CMDLINE_WHY_MAX, "needs a value (%s); ignored",
			 p->usage);
		return why;
	}
	return NULL;
}

static void apply_one(const struct cmdline_option *o,
		      const struct kernel_param *params, size_t n)
{
	const struct kernel_param *p = param_find(params, n, o->key);
	char word[SHOW_MAX], why[CMDLINE_WHY_MAX] = "";
	const char *shape;

	if (!p) {
		pr_warn("cmdline: '%s': unknown option; ignored\n",
			cmdline_word(o, word, sizeof(word)));
		return;
	}
	shape = value_shape(p, o, why);
	if (!shape && !p->set(o->key, p->takes_value ? o->value : NULL, why))
		return;
	pr_warn("cmdline: '%s': %s\n", cmdline_word(o, word, sizeof(word)),
		shape  ? shape :
		why[0] ? why :
			 "refused; ignored");
}

void cmdline_apply(const struct cmdline *cl, const struct kernel_param *params,
		   size_t n)
{
	for (unsigned int i = 0; i < cl->count; i++)
		apply_one(&cl->options[i], params, n);
}

const struct cmdline_option *cmdline_find(const struct cmdline *cl,
					  const char *key)
{
	for (unsigned int i = 0; i < cl->count; i++)
		if (!strcmp(cl->options[i].key, key))
			return &cl->options[i];
	return NULL;
}
