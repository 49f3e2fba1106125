/* caller-a: the flat caller page with marker 0xA1 (see caller.inc). */
#define MARKER 0xA1
#include "caller.inc"
