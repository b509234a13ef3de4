#ifndef WSGATE_CFUZZDRIVER_H
#define WSGATE_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for programs that keep their own main (llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library).
// Defined by the fuzzer runtime that -sanitize=fuzzer links; only referenced in WSGATE_FUZZ builds.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
