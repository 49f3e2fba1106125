/* run-hello: writes "hello" through the console key and ends the run with SYSTRACE
   STOP_RUN status 7. Key registers: 1 = console, 2 = systrace.
   Proves the whole kernel-key path of `erosim run`: ring-3 code traps with INT 0x31, the
   kernel reads the descriptor and the send string through the MMU (filling page tables
   from the segment tree), writes the string to the console and ends the run with the
   status the guest asked for. */
#include "erosim.h"

static const char hello[] = "hello\n";

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_console_write(1, hello, sizeof hello - 1);
    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, 7, 0, 0);
    ero_call(&d, 2, &m);
    for (;;) {
        ero_return(&d, 0, &m);   /* not reached: STOP_RUN ends the run */
    }
}
