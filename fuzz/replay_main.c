/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replays a fuzz target's committed corpus as an ordinary test (the idea
 * of SQLite's fuzzcheck): every file in each directory given is fed to
 * LLVMFuzzerTestOneInput once.  Crashes and sanitizer reports fail.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	struct dirent **names;
	char path[4096];
	uint8_t *buf;
	size_t len;
	int i, j, n, count = 0;

	for (i = 1; i < argc; i++) {
		n = scandir(argv[i], &names, NULL, alphasort);
		if (n < 0) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		for (j = 0; j < n; j++) {
			if (names[j]->d_name[0] != '.' &&
			    vouch_path_join(path, sizeof(path), argv[i],
			    names[j]->d_name) &&
			    vouch_file_read(NULL, path, 1u << 20, &buf, &len) ==
			    VOUCH_OK) {
				(void)LLVMFuzzerTestOneInput(buf, len);
				free(buf);
				count++;
			}
			free(names[j]);
		}
		free(names);
	}
	if (count == 0) {
		fprintf(stderr, "replay: empty corpus\n");
		return 1;
	}
	printf("replay: %d inputs\n", count);
	return 0;
}
