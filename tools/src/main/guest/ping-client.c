/* ping-client: an SDK example client for ping-server.c. It CALLs the server COUNT times
   with PING and a running number, checks each reply (OK, number + 1), writes one line to
   the console and ends the run with STOP_RUN status 0 (all replies right) or 1.
   Key registers: 1 = console, 2 = start key to a ping-server, 3 = systrace.
   Proves that CALL through a start key, the console helper and STOP_RUN compile against
   the SDK into a client a system description can wire up. */
#include "erosim.h"

#define CONSOLE_REG 1
#define SERVER_REG 2
#define SYSTRACE_REG 3
#define PING 1u
#define COUNT 16u

static const char ok_line[] = "ping-client: 16 replies ok\n";
static const char bad_line[] = "ping-client: wrong reply\n";

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};                 /* no strings or keys sent, none received */
    struct ero_msg m;
    uint32_t status = 0;
    for (uint32_t i = 0; i < COUNT; i++) {
        ero_msg_set(&m, PING, i, 0, 0);
        if (ero_call(&d, SERVER_REG, &m) != ERO_RC_OK || m.w[1] != i + 1) {
            status = 1;
            break;
        }
    }
    if (status == 0) {
        ero_console_write(CONSOLE_REG, ok_line, sizeof ok_line - 1);
    } else {
        ero_console_write(CONSOLE_REG, bad_line, sizeof bad_line - 1);
    }
    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, status, 0, 0);
    ero_call(&d, SYSTRACE_REG, &m);
    for (;;) {
        /* STOP_RUN ends the run; should the kernel return anyway, wait as a void RETURN. */
        ero_return(&d, 0, &m);
    }
}
