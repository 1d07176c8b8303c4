/* The reference parser (pipeline/ref.c): any bytes as what a person typed
 * (a C string, as the command line and the verification form give it).
 * What parses is normalised: parsing it again gives itself, and its check
 * characters verify exactly when they are the key's. Also any bytes as a
 * key file. */
#include "fuzz.h"

#include "ref.h"

static struct cp_ref_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char bytes[CP_REF_KEY_BYTES];

	(void)argc;
	(void)argv;
	for (int i = 0; i < CP_REF_KEY_BYTES; i++)
		bytes[i] = (unsigned char)(i * 37 + 11);
	cp_ref_key_set(&key, bytes);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), out[CP_REF_LEN + 1], again[CP_REF_LEN + 1];
	char right[CP_REF_LEN + 1];
	uint32_t serial, serial2;
	unsigned issue, issue2;
	struct cp_ref_key loaded;

	if (cp_ref_parse(s, out, &serial, &issue)) {
		FUZZ_ASSERT(strlen(out) == CP_REF_LEN);
		FUZZ_ASSERT(serial < CP_SERIALS && issue >= 1 && issue <= 99);
		FUZZ_ASSERT(cp_ref_parse(out, again, &serial2, &issue2));
		FUZZ_ASSERT(!strcmp(out, again) && serial == serial2 && issue == issue2);
		cp_ref_format(&key, serial, issue, right);
		FUZZ_ASSERT(cp_ref_verify(&key, out) == !strcmp(out, right));
	}
	/* the same bytes as a key file (mode 0600) */
	if (cp_ref_key_load(&loaded, fuzz_write("reference.key", data, size)) == 0)
		cp_ref_key_wipe(&loaded);
	free(s);
	return 0;
}
