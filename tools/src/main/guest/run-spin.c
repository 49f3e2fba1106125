/* run-spin: invokes kernel keys forever — NUMBER GET on key register 3, a SYSTRACE MARK on
   2 and a SEND to the void key register 4 — and never ends the run by itself. Used with
   --max-cycles: proves that a run is bounded by its cycle limit (status 124), and gives the
   allocation guard a steady state of traps, invocations and preemptions to measure. */
#include "erosim.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    for (uint32_t i = 0;; i++) {
        ero_msg_set(&m, ERO_OC_NUMBER_GET, 0, 0, 0);
        ero_call(&d, 3, &m);
        ero_msg_set(&m, ERO_OC_SYSTRACE_MARK, i, 0, 0);
        ero_call(&d, 2, &m);
        ero_msg_set(&m, 0, 0, 0, 0);
        ero_send(&d, 4, &m);
    }
}
