/* ping-server: an SDK example server. It waits for callers by RETURNing on key register 0
   (void), then answers every PING (order code 1) with OK, w1 = the caller's w1 + 1 and
   w2 = the badge of the start key the caller used (keyInfo), and every other order with
   UNKNOWN_REQUEST. Each caller's resume key arrives in key register 4 and the reply goes
   through it. Key registers: none needed at start. Pair: ping-client.c (see
   docs/guest-sdk.md for the .erosys that wires them). Proves that the SDK's RETURN helper,
   descriptor builders and keyInfo delivery compile into a working server loop. */
#include "erosim.h"

#define PING 1u
#define RESUME_REG 4

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, 0, RESUME_REG);   /* a CALL delivers its resume key as key 3 */

    /* The first RETURN goes to void: it only makes this process AVAILABLE. */
    uint32_t order = ero_return(&d, 0, &m);
    for (;;) {
        if (order == PING) {
            ero_msg_set(&m, ERO_RC_OK, m.w[1] + 1, m.key_info, 0);
        } else {
            ero_msg_set(&m, ERO_RC_UNKNOWN_REQUEST, 0, 0, 0);
        }
        order = ero_return(&d, RESUME_REG, &m);
    }
}
