/* ckpt-client: a caller of ckpt-server.c for the checkpoint crash test. It CALLs the server
   with ADD 1, 2, ... N (N = word 0 of the number key in register 3), checks each answer
   (OK, and a count that only grows), then CALLs DONE and waits. On a wrong answer it writes
   "ckpt-client: wrong answer" and ends the run with STOP_RUN 1. While the server serves the
   other caller this one stalls on the server's queue and retries: a checkpoint catches
   callers running, stalled and waiting for an answer.
   Key registers: 1 = console, 2 = start key to the server, 3 = number N, 4 = systrace. */
#include "erosim.h"
#include "erolib.h"

#define CONSOLE_REG 1
#define SERVER_REG 2
#define COUNT_REG 3
#define SYSTRACE_REG 4
#define ADD 1u
#define DONE 2u

static const char bad_line[] = "ckpt-client: wrong answer\n";

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    uint32_t n = ero_number(COUNT_REG);
    uint32_t last = 0;
    for (uint32_t i = 1; i <= n; i++) {
        ero_msg_set(&m, ADD, i, 0, 0);
        if (ero_call(&d, SERVER_REG, &m) != ERO_RC_OK || m.w[1] <= last) {
            ero_console_write(CONSOLE_REG, bad_line, sizeof bad_line - 1);
            ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, 1, 0, 0);
            ero_call(&d, SYSTRACE_REG, &m);
        }
        last = m.w[1];
    }
    ero_msg_set(&m, DONE, 0, 0, 0);
    ero_call(&d, SERVER_REG, &m);
    for (;;) {
        ero_return(&d, 0, &m);   /* the server ends the run; wait as a void RETURN meanwhile */
    }
}
