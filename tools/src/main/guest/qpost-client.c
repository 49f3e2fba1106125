/* qpost-client: waits for messages (AVAILABLE); for each one it CALLs the collector (start
   key in register 2) with w1 = the message's w1 and w2 = its own id (register 3: number key,
   word 0 = id, word 1 = loop iterations to stay busy first, so that a post finds it busy).
   Register 1 = console. With qpost-collector it shows which client got which post, when. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_msg q;
    ero_call1(3, ERO_OC_NUMBER_GET, 0, 0, 0, &q);
    uint32_t id = q.w[1];
    ero_spin(q.w[2]);
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
        ero_call1(2, 8, m.w[1], 0, 0, &q);
        q.w[2] = id; /* unused by the collector's reply; keeps the compiler honest */
        ero_return(&d, 0, &m);
    }
}
