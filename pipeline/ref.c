/* References: HMAC-SHA-256 check characters, parsing with Crockford's
 * look-alikes, and random serials screened against one-digit typos. */
#include "ref.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"
#include "util/msg.h"
#include "util/secret.h"
#include "util/banned.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

_Static_assert(sizeof(crypto_auth_hmacsha256_state) <= sizeof(((struct cp_ref_key *)0)->hmac),
	       "cp_ref_key too small for libsodium's HMAC state");

void cp_ref_key_set(struct cp_ref_key *key, const unsigned char bytes[CP_REF_KEY_BYTES])
{
	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	memcpy(key->bytes, bytes, CP_REF_KEY_BYTES);
	crypto_auth_hmacsha256_init((crypto_auth_hmacsha256_state *)(void *)key->hmac, key->bytes,
				    CP_REF_KEY_BYTES);
}

int cp_ref_key_load(struct cp_ref_key *key, const char *path)
{
	unsigned char bytes[CP_REF_KEY_BYTES];

	if (cp_secret_read_hex(path, "reference key", bytes, sizeof(bytes)) < 0)
		return -1;
	cp_ref_key_set(key, bytes);
	sodium_memzero(bytes, sizeof(bytes));
	return 0;
}

void cp_ref_key_wipe(struct cp_ref_key *key)
{
	sodium_memzero(key, sizeof(*key));
}

int cp_ref_key_create(const char *path)
{
	unsigned char bytes[CP_REF_KEY_BYTES];
	int r;

	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	randombytes_buf(bytes, sizeof(bytes));
	r = cp_secret_write_hex(path, bytes, sizeof(bytes));
	sodium_memzero(bytes, sizeof(bytes));
	return r;
}

static uint32_t mac20(const struct cp_ref_key *key, uint32_t serial, unsigned issue)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[11];

	/* "NNNNNNNN-II" by hand: this runs ~90 times per serial drawn */
	serial %= CP_SERIALS;
	for (int i = 7; i >= 0; i--, serial /= 10)
		msg[i] = (char)('0' + serial % 10);
	msg[8] = '-';
	msg[9] = (char)('0' + issue / 10 % 10);
	msg[10] = (char)('0' + issue % 10);

	crypto_auth_hmacsha256_state st;

	memcpy(&st, key->hmac, sizeof(st));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, sizeof(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	return ((uint32_t)mac[0] << 12) | ((uint32_t)mac[1] << 4) | (mac[2] >> 4);
}

static void encode20(uint32_t v, char out[5])
{
	for (int i = 3; i >= 0; i--) {
		out[i] = crockford[v & 31];
		v >>= 5;
	}
	out[4] = '\0';
}

void cp_ref_check(const struct cp_ref_key *key, uint32_t serial, unsigned issue, char out[5])
{
	encode20(mac20(key, serial, issue), out);
}

void cp_ref_format(const struct cp_ref_key *key, uint32_t serial, unsigned issue,
		   char out[CP_REF_LEN + 1])
{
	char check[5];

	cp_ref_check(key, serial, issue, check);
	snprintf(out, CP_REF_LEN + 1, "%08u-%02u-%s", serial % CP_SERIALS, issue % 100, check);
}

/* Upper-case a character and map Crockford's look-alikes; 0 if it can be
 * no part of a reference. */
static char canonical(char c)
{
	c = (char)toupper((unsigned char)c);
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	if (c == 'U')
		return 0;
	return (isdigit((unsigned char)c) || (c >= 'A' && c <= 'Z')) ? c : 0;
}

bool cp_ref_parse(const char *in, char out[CP_REF_LEN + 1], uint32_t *serial, unsigned *issue)
{
	char chars[15];
	size_t n = 0, len;
	uint32_t s = 0;

	while (isspace((unsigned char)*in))
		in++;
	len = strlen(in);
	while (len && isspace((unsigned char)in[len - 1]))
		len--;
	/* Hyphens are optional, but only where they belong. */
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '-') {
			if (n != 8 && n != 10)
				return false;
			if (i + 1 < len && in[i + 1] == '-')
				return false;
			continue;
		}
		if (n == 14 || !(chars[n] = canonical(in[i])))
			return false;
		n++;
	}
	if (n != 14)
		return false;
	for (int i = 0; i < 10; i++)
		if (!isdigit((unsigned char)chars[i]))
			return false;
	for (int i = 10; i < 14; i++)
		if (!strchr(crockford, chars[i]))
			return false;
	for (int i = 0; i < 8; i++)
		s = s * 10 + (uint32_t)(chars[i] - '0');
	*serial = s;
	*issue = (unsigned)((chars[8] - '0') * 10 + (chars[9] - '0'));
	if (*issue == 0)
		return false;
	snprintf(out, CP_REF_LEN + 1, "%.8s-%.2s-%.4s", chars, chars + 8, chars + 10);
	return true;
}

bool cp_ref_verify(const struct cp_ref_key *key, const char *normalised)
{
	uint32_t serial;
	unsigned issue;
	char again[CP_REF_LEN + 1], check[5];

	if (!cp_ref_parse(normalised, again, &serial, &issue))
		return false;
	cp_ref_check(key, serial, issue, check);
	return sodium_memcmp(check, again + 12, 4) == 0;
}

bool cp_ref_serial_ok(const struct cp_ref_key *key, uint32_t serial)
{
	uint32_t mine = mac20(key, serial, 1), place = 1;

	for (int pos = 0; pos < 8; pos++, place *= 10) {
		uint32_t digit = serial / place % 10;

		for (uint32_t d = 0; d < 10; d++)
			if (d != digit && mac20(key, serial - digit * place + d * place, 1) == mine)
				return false;
	}
	for (unsigned issue = 2; issue <= 9; issue++) /* 01 -> 0N */
		if (mac20(key, serial, issue) == mine)
			return false;
	for (unsigned tens = 1; tens <= 9; tens++)  /* 01 -> N1 */
		if (mac20(key, serial, tens * 10 + 1) == mine)
			return false;
	return true;
}

uint32_t cp_ref_draw_serial(const struct cp_ref_key *key)
{
	uint32_t serial;

	if (sodium_init() < 0)
		cp_bug("libsodium cannot start");
	do
		serial = randombytes_uniform(CP_SERIALS);
	while (!cp_ref_serial_ok(key, serial));
	return serial;
}
