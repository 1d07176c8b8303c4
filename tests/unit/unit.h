/* What every unit test includes: cmocka and the library's headers. */
#ifndef CP_UNIT_H
#define CP_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
