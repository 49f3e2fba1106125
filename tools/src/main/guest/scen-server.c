/* scen-server: proves that replies through resume keys reach exactly the caller that made
   the request, hop by hop: an echo server that answers ECHO(v) with OK, w1 = 3v + 1,
   w2 = the badge of the start key the caller used and w3 = ~v, computing 3v + 1 itself or
   (number key in register 3, w1 = 1) by forwarding ECHO(v) to the backend server whose
   start key is in register 5 and checking that backend's answer.
   Key registers: 3 = number (w1: 1 = forward to the backend), 5 = start key to the backend
   (forwarding only); the caller's resume key arrives in 4. A wrong answer from the backend
   is passed on as w1 = 0xbad0bad0, which the caller reports. Any order but ECHO and KICK
   is UNKNOWN_REQUEST. The process may be started at boot (run) or stored AVAILABLE and
   started by a KICK sent to its start key (scen-launcher.c): either way it first waits for
   callers with a RETURN on void. */
#include "scen.h"

#define CONFIG_REG 3
#define RESUME_REG 4
#define BACKEND_REG 5

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    uint32_t forward = scen_number(CONFIG_REG, 1);
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, 0, RESUME_REG);   /* a CALL delivers its resume key as key 3 */
    uint32_t order = ero_return(&d, 0, &m);  /* wait for the first caller */
    for (;;) {
        uint32_t v = m.w[1];
        uint32_t badge = m.key_info;
        if (order == SCEN_ECHO) {
            uint32_t r = scen_echo_of(v);
            if (forward) {
                /* The backend's reply keys are discarded (rcv registers 0): register 4
                   keeps the caller's resume key while this process WAITs. */
                struct ero_desc c = {0};
                struct ero_msg b = {{SCEN_ECHO, v, 0, 0}, 0, 0};
                if (ero_call(&c, BACKEND_REG, &b) != ERO_RC_OK || b.w[1] != r || b.w[3] != ~v) {
                    r = 0xbad0bad0u;
                }
            }
            ero_msg_set(&m, ERO_RC_OK, r, badge, ~v);
        } else if (order == SCEN_KICK) {
            ero_msg_set(&m, ERO_RC_OK, 0, 0, 0);
        } else {
            ero_msg_set(&m, ERO_RC_UNKNOWN_REQUEST, 0, 0, 0);
        }
        order = ero_return(&d, RESUME_REG, &m);
    }
}
