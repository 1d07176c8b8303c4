/* Functions with safer replacements in this project: using one is a compile
 * error, as in git's banned.h. Include this last, after system headers. */
#ifndef CP_BANNED_H
#define CP_BANNED_H

#define CP_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) CP_BANNED(strcpy)
#undef strcat
#define strcat(x, y) CP_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) CP_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) CP_BANNED(strncat)
#undef sprintf
#define sprintf(...) CP_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CP_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) CP_BANNED(strtok)
#undef gmtime
#define gmtime(t) CP_BANNED(gmtime)
#undef localtime
#define localtime(t) CP_BANNED(localtime)
#undef ctime
#define ctime(t) CP_BANNED(ctime)
#undef asctime
#define asctime(t) CP_BANNED(asctime)

#endif
