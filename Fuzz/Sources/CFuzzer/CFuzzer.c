// Declarations only: libFuzzer itself is linked by -sanitize=fuzzer (see CFuzzer.h).
#include "CFuzzer.h"
