/* OpenSSL's reason for its last failure, for a message: what the signing
 * code (cmssign, tsa, pkcs11) and keygen --signing say after "because". */
#ifndef CP_SSLERR_H
#define CP_SSLERR_H

/* The last error of this thread's OpenSSL error queue as one line (a
 * static buffer, valid until the next call), the queue cleared; "no reason
 * given" if it is empty. */
const char *cp_ssl_why(void);

#endif
