/* qpost-fanout: the server side of a large queued-POST fan-out. Register 4 holds a node key
   to a three-level directory of start keys, 32 per node (client i: slot i >> 10 of the top
   node, then slot (i >> 5) & 31, then slot i & 31); register 5 a number key, word 0 = number of clients. It queues one
   QPOST per client (w1 = i) on the closed kept red segment in register 2, prints how many
   were queued, then opens the gate by storing void in its keeper slot (4) through the node
   key in register 3: one slot write releases every post. Register 1 = console. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    uint32_t n = ero_number(5);
    uint32_t queued = 0, refused = 0;
    for (uint32_t i = 0; i < n; i++) {
        if ((i & 1023) == 0) {
            ero_call1(4, ERO_OC_NODE_COPY_SLOT, i >> 10, 0, 12, &m);
        }
        if ((i & 31) == 0) {
            ero_call1(12, ERO_OC_NODE_COPY_SLOT, (i >> 5) & 31, 0, 11, &m);
        }
        ero_call1(11, ERO_OC_NODE_COPY_SLOT, i & 31, 0, 10, &m);
        struct ero_desc d = {0};
        ero_msg_set(&m, 7, i, 0, 0);
        if (ero_qpost(&d, 10, 2, &m) == ERO_RC_OK) {
            queued++;
        } else {
            refused++;
        }
    }
    ero_line_str(&l, "fanout: queued ");
    ero_line_dec(&l, queued);
    ero_line_str(&l, ", refused ");
    ero_line_dec(&l, refused);
    ero_line_put(&l, 1);
    uint32_t rc = ero_call1(3, ERO_OC_NODE_SWAP_SLOT, 4, 0, 0, &m);
    ero_line_str(&l, "fanout: gate opened, result ");
    ero_line_hex(&l, rc);
    ero_line_put(&l, 1);
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
    }
}
