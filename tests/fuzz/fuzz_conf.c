/* The configuration parser (pipeline/conf.c): any bytes as certpress.conf.
 * A file it takes has every path made absolute against its folder. */
#include "fuzz.h"

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("certpress.conf", data, size);
	struct cp_conf conf;

	if (cp_conf_load_file(&conf, path) == 0) {
		const char *paths[] = { conf.spool, conf.registry, conf.catalogue, conf.layouts,
					conf.key_file, conf.schemas };

		for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
			FUZZ_ASSERT(!paths[i] || paths[i][0] == '/');
	}
	cp_conf_release(&conf);
	return 0;
}
