/* caller-b: the flat caller page with marker 0xB2 (see caller.inc); CLONE source in run-page. */
#define MARKER 0xB2
#include "caller.inc"
