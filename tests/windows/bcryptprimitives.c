/* A stand-in for Windows' bcryptprimitives.dll, for the wine tests only (never shipped).
 *
 * Rust's standard library gets its random numbers (HashMap seeds) from ProcessPrng in
 * bcryptprimitives.dll, which Windows 10 and 11 have and wine 8 does not. This forwards to
 * RtlGenRandom (advapi32's SystemFunction036), which wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) {
            return FALSE;
        }
        data += n;
        len -= n;
    }
    return TRUE;
}
