/* The verification snapshot: what the public verification page shows of
 * every document ever issued, in one file that certpress publish writes
 * and certpress-verifyd reads, with no registry between them. The file is
 * little-endian and laid out for lookups without parsing: a header, the
 * documents as fixed 64-byte records sorted by (serial, issue) for a binary
 * search, the awards and their units as fixed records, and one table of
 * NUL-terminated UTF-8 strings (each stored once) that records point into.
 * A detached Ed25519 signature over the whole file travels beside it
 * (pubkey.h). cp_snap_open checks every offset, count, order and string
 * before anything is looked up, so a damaged file is refused whole. */
#ifndef CP_SNAPSHOT_H
#define CP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CP_SNAP_MAGIC "CPVSNAP\n" /* 8 bytes */
#define CP_SNAP_VERSION 2 /* 2: a document's paper serial */

/* Document types and statuses as the file stores them. */
enum cp_snap_type { CP_SNAP_CERTIFICATE = 1, CP_SNAP_TRANSCRIPT, CP_SNAP_LETTER, CP_SNAP_NTYPES };
enum cp_snap_status {
	CP_SNAP_VALID = 1,      /* issued, neither superseded nor revoked (expiry is
				 * derived when asked) */
	CP_SNAP_REPLACED,       /* superseded by issue + 1 */
	CP_SNAP_WITHDRAWN,      /* revoked: withdrawn by the awarding body */
	CP_SNAP_IN_ERROR,       /* revoked: issued in error */
	CP_SNAP_NSTATUS
};
#define CP_SNAP_PUBLISHED_MAX 253402300799 /* 9999-12-31T23:59:59Z */
#define CP_SNAP_HAS_SHA 1       /* doc.flags: the digital copy's SHA-256 is known */
#define CP_SNAP_NEXT_ISSUED 2   /* doc.flags: the replacement is in the snapshot too */
#define CP_SNAP_PROOF_LETTER 4  /* doc.flags: a letter that is a proof of qualification
				 * letter (certpress order letter); a reader that knows
				 * no such flag shows it as a letter */

struct cp_snap_header {
	char magic[8];
	uint32_t version, header_bytes;
	int64_t published;                  /* the registry's moment, seconds since 1970 */
	uint32_t ndocs, nawards, nunits, strings_bytes;
	uint64_t off_docs, off_awards, off_units, off_strings;
	uint32_t awarding_body, verify_url; /* strings */
	uint32_t type_title[CP_SNAP_NTYPES]; /* strings; [0] unused */
};

struct cp_snap_doc {
	uint32_t serial;
	uint8_t issue, type, status, flags;
	char check[4];       /* the reference's check characters */
	char next_check[4];  /* CP_SNAP_REPLACED: the replacement's */
	uint32_t award;      /* index of its award */
	uint32_t issued, expires, changed; /* YYYYMMDD, 0 for none */
	uint8_t sha256[32];  /* the digital copy's, if CP_SNAP_HAS_SHA */
	uint32_t paper_serial; /* string: the security paper it was printed on, "" if
				* the printing house has not confirmed it */
	uint32_t reserved;   /* 0: records stay a multiple of 8 bytes */
};

struct cp_snap_award {
	uint32_t name, qualification, title, grade, centre; /* strings */
	uint32_t awarded;                                   /* YYYYMMDD */
	uint32_t units, nunits;        /* its units: nunits records from index units */
	uint32_t cert_serial;          /* the award's certificate as it stands now */
	uint8_t cert_issue, level, pad[2];                  /* (issue 0: none issued) */
};

struct cp_snap_unit {
	uint32_t code, title, grade; /* strings */
	uint16_t level, credits;     /* 0: not given */
};

/* A snapshot read into memory and checked. */
struct cp_snap {
	const unsigned char *data;
	size_t len;
	const struct cp_snap_header *h;
	const struct cp_snap_doc *docs;
	const struct cp_snap_award *awards;
	const struct cp_snap_unit *units;
	const char *strings;
};
/* Check data (len bytes, kept by the caller, 8-byte aligned) as a
 * snapshot: 0, or -1 with why in err (n bytes). */
int cp_snap_open(struct cp_snap *s, const void *data, size_t len, char *err, size_t n);
/* The document (serial, issue), or NULL: a binary search. */
const struct cp_snap_doc *cp_snap_find(const struct cp_snap *s, uint32_t serial, unsigned issue);
/* A string of the table (checked by cp_snap_open). */
static inline const char *cp_snap_str(const struct cp_snap *s, uint32_t off)
{
	return s->strings + off;
}
/* YYYYMMDD as "YYYY-MM-DD" (buf of 11 bytes); "" for 0. */
char *cp_snap_date(uint32_t ymd, char buf[11]);
/* "YYYY-MM-DD" as YYYYMMDD; 0 for NULL or anything else. */
uint32_t cp_snap_ymd(const char *date);

/* Building one (certpress publish): strings are stored once each; the
 * documents are sorted when the file is made. */
struct cp_snap_builder {
	struct cp_snap_header h;
	struct cp_snap_doc *docs;
	struct cp_snap_award *awards;
	struct cp_snap_unit *units;
	char *strings;
	size_t ndocs, capdocs, nawards, capawards, nunits, capunits, nstrings, capstrings;
	uint32_t *hash; /* open addressing over string offsets + 1 (0: empty) */
	size_t hashsize, hashused;
};
void cp_snap_builder_init(struct cp_snap_builder *b, time_t published, const char *awarding_body,
			  const char *verify_url);
/* The offset of s in the string table (NULL is ""). */
uint32_t cp_snap_add_string(struct cp_snap_builder *b, const char *s);
/* Append a record; its index. */
uint32_t cp_snap_add_award(struct cp_snap_builder *b, const struct cp_snap_award *a);
uint32_t cp_snap_add_unit(struct cp_snap_builder *b, const struct cp_snap_unit *u);
void cp_snap_add_doc(struct cp_snap_builder *b, const struct cp_snap_doc *d);
/* The whole file (caller frees *out); the builder is released. */
void cp_snap_builder_finish(struct cp_snap_builder *b, unsigned char **out, size_t *len);
void cp_snap_builder_release(struct cp_snap_builder *b);

#endif
