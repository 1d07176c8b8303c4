/* certpress-verifyd's libmicrohttpd access handler: it waits for the whole
 * request, takes a token of the client address's bucket (429 with
 * Retry-After when none is left), answers through vd_route (route.h) from
 * the snapshot served now, adds the security headers and writes one line
 * of the access log (references only). A request whose body's length is
 * ambiguous (two Content-Lengths, or one beside Transfer-Encoding) is
 * refused (400): a proxy in front and this service would read its end in
 * two places, and what one takes for a body the other would take for the
 * next request. */
#ifndef VD_HTTP_H
#define VD_HTTP_H

#include <microhttpd.h>

#include "route.h"

void vd_http_init(const struct vd_http_conf *conf);
/* MHD_OPTION_UNESCAPE_CALLBACK: vd_unescape (route.h). */
size_t vd_http_unescape(void *cls, struct MHD_Connection *c, char *s);
enum MHD_Result vd_http_handle(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls);

#endif
