#ifndef WSGATE_CZLIB_SHIM_H
#define WSGATE_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros.
static inline int wsg_deflateInit2(z_streamp s, int level, int windowBits, int memLevel) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
static inline int wsg_inflateInit2(z_streamp s, int windowBits) { return inflateInit2(s, windowBits); }
#endif
