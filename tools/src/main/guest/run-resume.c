/* run-resume: a server that answers its first caller by SENDing through the caller's
   resume key (key register 4), then invokes that same resume key again. Key registers:
   1 = console, 2 = systrace. Prints "second use of a resume key -> 80000001" (VOID: the
   first use consumed it, kernel.md §4) and ends the run with STOP_RUN 0 if so, else 1.
   Proves resume-key fabrication on CALL, consumption on first use, and SEND through a
   resume key (the caller runs again while the server goes on). */
#include "erosim.h"

static const char ok[] = "second use of a resume key -> 80000001\n";
static const char bad[] = "second use of a resume key was not void\n";

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, 0, 4);
    ero_return(&d, 0, &m);                      /* wait for the first caller */

    struct ero_desc s = {0};
    ero_msg_set(&m, ERO_RC_OK, m.w[1] + 1, 0, 0);
    ero_send(&s, 4, &m);                        /* reply through the resume key: consumes it */

    ero_msg_set(&m, ERO_OC_GET_TYPE, 0, 0, 0);
    uint32_t rc = ero_call(&s, 4, &m);          /* every copy is void now */
    if (rc == ERO_RC_VOID) {
        ero_console_write(1, ok, sizeof ok - 1);
    } else {
        ero_console_write(1, bad, sizeof bad - 1);
    }
    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, rc == ERO_RC_VOID ? 0 : 1, 0, 0);
    ero_call(&s, 2, &m);
    for (;;) {
        ero_return(&s, 0, &m);
    }
}
