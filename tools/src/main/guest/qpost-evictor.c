/* qpost-evictor: queues one QPOST per client (start keys in the node in register 4, client i
   in slot i, w1 = i), client i's post on the closed gate i (segment keys in the node in
   register 3, slot i), and never opens a gate. Then it brings every node of the directory in
   register 6 (64 plain nodes) into memory, by invoking a node key to each; in a node cache
   too small for all of them the gates are evicted. Register 5: number key, word 0 = number
   of clients. Register 1 = console. Shows premature fire (default) against --post-recheck. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    uint32_t n = ero_number(5);
    uint32_t queued = 0;
    for (uint32_t i = 0; i < n; i++) {
        ero_call1(4, ERO_OC_NODE_COPY_SLOT, i, 0, 10, &m);
        ero_call1(3, ERO_OC_NODE_COPY_SLOT, i, 0, 11, &m);
        struct ero_desc d = {0};
        ero_msg_set(&m, 7, i, 0, 0);
        if (ero_qpost(&d, 10, 11, &m) == ERO_RC_OK) {
            queued++;
        }
    }
    ero_line_str(&l, "evictor: queued ");
    ero_line_dec(&l, queued);
    ero_line_put(&l, 1);
    for (uint32_t round = 0; round < 4; round++) {
        for (uint32_t j = 0; j < 32; j++) {
            ero_call1(6, ERO_OC_NODE_COPY_SLOT, j, 0, 12, &m);
            ero_call1(12, ERO_OC_GET_TYPE, 0, 0, 0, &m); /* prepares the key: the node comes in */
        }
    }
    ero_line_str(&l, "evictor: touched the directory");
    ero_line_put(&l, 1);
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
    }
}
