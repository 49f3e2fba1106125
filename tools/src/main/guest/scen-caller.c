/* scen-caller: proves that a caller sharing a server with other callers gets every one of
   its replies, with its own words, whichever way the server's stall queue is woken: it
   CALLs the echo server in register 2 COUNT times with ECHO(v), v = id << 16 | i, and checks
   each reply (OK, w1 = 3v + 1, w2 = its own badge = id, w3 = ~v), so a reply delivered to
   the wrong caller, or words mixed between callers, is caught.
   Key registers: 1 = console, 2 = start key to the server (badge = id), 3 = number
   (w1 = id, w2 = COUNT), 5 = systrace. All replies right: prints "caller ID: COUNT replies
   ok" and waits as AVAILABLE (the run ends idle, status 0, once every caller is done). A
   wrong reply: prints "caller ID: wrong reply I: rc w1 w2 w3" (hex) and ends the run with
   STOP_RUN 1. Started at boot or by a KICK (scen-launcher.c). */
#include "scen.h"

#define CONSOLE_REG 1
#define SERVER_REG 2
#define CONFIG_REG 3
#define SYSTRACE_REG 5

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    uint32_t id = scen_number(CONFIG_REG, 1);
    uint32_t count = scen_number(CONFIG_REG, 2);
    struct scen_line l = {{0}, 0};
    struct ero_desc d = {0};                 /* no strings or keys sent, none received */
    struct ero_msg m;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t v = id << 16 | i;
        ero_msg_set(&m, SCEN_ECHO, v, 0, 0);
        uint32_t rc = ero_call(&d, SERVER_REG, &m);
        if (rc != ERO_RC_OK || m.w[1] != scen_echo_of(v) || m.w[2] != id || m.w[3] != ~v) {
            scen_text(&l, "caller ");
            scen_dec(&l, id);
            scen_text(&l, ": wrong reply ");
            scen_dec(&l, i);
            scen_text(&l, ": ");
            scen_hex(&l, rc);
            for (int w = 1; w < 4; w++) {
                scen_text(&l, " ");
                scen_hex(&l, m.w[w]);
            }
            scen_print(CONSOLE_REG, &l);
            scen_stop(SYSTRACE_REG, 1);
        }
    }
    scen_text(&l, "caller ");
    scen_dec(&l, id);
    scen_text(&l, ": ");
    scen_dec(&l, count);
    scen_text(&l, " replies ok");
    scen_print(CONSOLE_REG, &l);
    scen_idle();
}
