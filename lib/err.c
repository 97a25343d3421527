/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "vouch/err.h"

struct err_entry {
	enum vouch_err	 code;
	const char	*name;
	const char	*msg;
};

static const struct err_entry err_table[] = {
#define VOUCH_ERR_ROW_(name, num, msg) { name, #name, msg },
	VOUCH_ERR_LIST(VOUCH_ERR_ROW_)
#undef VOUCH_ERR_ROW_
};

static const struct err_entry *
err_lookup(enum vouch_err err)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++) {
		if (err_table[i].code == err) {
			return &err_table[i];
		}
	}
	return NULL;
}

const char *
vouch_errname(enum vouch_err err)
{
	const struct err_entry *e = err_lookup(err);

	return e != NULL ? e->name : "VOUCH_ERR_UNKNOWN";
}

const char *
vouch_strerror(enum vouch_err err)
{
	const struct err_entry *e = err_lookup(err);

	return e != NULL ? e->msg : "unknown error";
}

int
vouch_err_from_name(const char *name, enum vouch_err *out)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++) {
		if (strcmp(err_table[i].name, name) == 0) {
			*out = err_table[i].code;
			return 1;
		}
	}
	return 0;
}
