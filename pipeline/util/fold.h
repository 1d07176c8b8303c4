/* Search keys for names in any script: what staff type and what a results
 * file holds compared without regard to case, accents or punctuation
 * ("bronte" is "Brontë", "ΕΛΈΝΗ" is "Ελένη", "obrien" is "O'Brien"). */
#ifndef CP_FOLD_H
#define CP_FOLD_H

/* The key of UTF-8 text (caller frees): full Unicode case folding and
 * compatibility decomposition (libunistring, UNINORM_NFKD), then only the
 * letters and digits kept, combining marks dropped. NULL for NULL; "" for
 * text that is not valid UTF-8 or holds no letter or digit. */
char *cp_fold(const char *utf8);

#endif
