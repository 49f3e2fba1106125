/* run-malformed: writes a line, then traps with an invocation descriptor whose invType is
   9 (valid types are 0..6). Key registers: 1 = console. The kernel must turn that into the
   process fault MALFORMED_SYSCALL (no keeper: the process is halted and reported), never a
   host exception; the line after the trap must never appear. */
#include "erosim.h"

static const char before[] = "sending a malformed descriptor\n";
static const char after[] = "malformed descriptor accepted\n";

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_console_write(1, before, sizeof before - 1);
    ero_msg_set(&m, ERO_OC_CONSOLE_WRITE, 0, 0, 0);
    d.inv_type = 9;
    d.inv_key = 1;
    ero_invoke(&d, &m);
    ero_console_write(1, after, sizeof after - 1);
    for (;;) {
    }
}
