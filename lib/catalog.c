/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host-visible error catalog (include/vouch/catalog.h): each line is
 * built from the one table at compile time.
 */
#include <stddef.h>

#include "vouch/catalog.h"

struct catalog_entry {
	enum vouch_code	 code;
	const char	*line;
	int		 layer;
};

/* Each line is built from the table at compile time. */
#define STR2(x) #x
#define STR(x) STR2(x)
static const struct catalog_entry catalog[] = {
#define CATALOG_ENTRY(name, num, layer, comp, msg) \
	{ name, "vouch: VC-" STR(num) " " comp ": " msg, layer },
	VOUCH_CATALOG(CATALOG_ENTRY)
#undef CATALOG_ENTRY
};
#define CATALOG_LEN	(sizeof(catalog) / sizeof(catalog[0]))

static const struct catalog_entry *
find(enum vouch_code code)
{
	size_t i;

	for (i = 0; i < CATALOG_LEN; i++) {
		if (catalog[i].code == code) {
			return &catalog[i];
		}
	}
	return NULL;
}

const char *
vouch_code_line(enum vouch_code code)
{
	const struct catalog_entry *e = find(code);

	return e != NULL ? e->line : NULL;
}

const char *
vouch_code_line_at(size_t i, enum vouch_code *out_code)
{
	if (i >= CATALOG_LEN) {
		return NULL;
	}
	if (out_code != NULL) {
		*out_code = catalog[i].code;
	}
	return catalog[i].line;
}

int
vouch_code_exit_status(enum vouch_code code)
{
	const struct catalog_entry *e = find(code);

	/* An unknown code still exits as an application failure. */
	return 10 + (e != NULL ? e->layer : VOUCH_LAYER_APPLICATION);
}

