/* The snapshot being served: read whole into memory, its signature checked
 * under the configured public key before anything in it is used, its
 * records checked (snapshot.h), then swapped in for the one before at
 * once. Requests hold a reference to the snapshot they started with, so a
 * swap never pulls one out from under a page being written. A snapshot
 * refused (unreadable, a signature that does not match, damaged) is said
 * in the log and the one before keeps serving. */
#ifndef VD_STORE_H
#define VD_STORE_H

#include <stdbool.h>
#include <time.h>

#include "snapshot.h"
#include "util/edsign.h"

struct vd_snapshot {
	struct cp_snap s;
	unsigned char *data;
	size_t len;
	long refs; /* under the store's lock */
};

/* The folder holding snapshot and snapshot.sig, and the key that signs. */
void vd_store_init(const char *dir, const unsigned char pk[CP_EDSIGN_PUBLIC]);
/* Load the files if they changed since the last attempt (or always, if
 * force: SIGHUP). 1 a new snapshot is served, 0 nothing changed or it was
 * refused. */
int vd_store_reload(bool force);
/* The snapshot served now, or NULL before any was loaded; give it back
 * with vd_store_put. */
struct vd_snapshot *vd_store_get(void);
void vd_store_put(struct vd_snapshot *s);
void vd_store_release(void);

#endif
