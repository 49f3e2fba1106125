/* scen-launcher: proves that processes stored AVAILABLE (never run at boot) can be started
   by a SEND to their start keys, and that a CALL to such a server stalls until it first
   waits for callers, so an image can hold more processes than the process table has
   entries: the launcher kicks each server in turn and calls it once (ECHO 0 -> 1, which
   also runs the server's whole backend chain), then kicks the clients, then waits as
   AVAILABLE for ever.
   Key registers: 1 = console, 3 = number (w1 = servers, w2 = clients), 4.. = start keys to
   the servers (backends first), 4 + servers.. = start keys to the clients, 31 = systrace.
   A server that answers ECHO 0 wrongly is reported ("launcher: server N answered ...")
   and the run stopped with status 1. */
#include "scen.h"

#define CONSOLE_REG 1
#define CONFIG_REG 3
#define FIRST_REG 4
#define SYSTRACE_REG 31

/* SEND a KICK to the process behind the start key in register reg: it starts at its entry
   point with a fresh activity (it ignores the message), and we go on running. A SEND that
   cannot be carried out for lack of a pool entry answers NO_RESOURCES (run.md): reported. */
static void kick(unsigned reg)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{SCEN_KICK, 0, 0, 0}, 0, 0};
    if (ero_send(&d, reg, &m) == ERO_RC_NO_RESOURCES) {
        struct scen_line l = {{0}, 0};
        scen_text(&l, "launcher: kick of register ");
        scen_dec(&l, reg);
        scen_text(&l, " refused: no resources");
        scen_print(CONSOLE_REG, &l);
    }
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    uint32_t servers = scen_number(CONFIG_REG, 1);
    uint32_t clients = scen_number(CONFIG_REG, 2);
    for (uint32_t s = 0; s < servers; s++) {
        kick(FIRST_REG + s);
        /* The server is RUNNING until its first RETURN on void: this CALL stalls on its
           stall queue until then, and the retry commits. */
        struct ero_desc d = {0};
        struct ero_msg m = {{SCEN_ECHO, 0, 0, 0}, 0, 0};
        uint32_t rc = ero_call(&d, FIRST_REG + s, &m);
        if (rc != ERO_RC_OK || m.w[1] != scen_echo_of(0)) {
            struct scen_line l = {{0}, 0};
            scen_text(&l, "launcher: server ");
            scen_dec(&l, s);
            scen_text(&l, " answered ");
            scen_hex(&l, rc);
            scen_text(&l, " ");
            scen_hex(&l, m.w[1]);
            scen_print(CONSOLE_REG, &l);
            scen_stop(SYSTRACE_REG, 1);
        }
    }
    for (uint32_t c = 0; c < clients; c++) {
        kick(FIRST_REG + servers + c);
    }
    scen_idle();
}
