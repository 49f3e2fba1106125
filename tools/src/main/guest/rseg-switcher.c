/* rseg-switcher: after a while (register 4: a number key, word 0 = loop iterations) it
   changes who keeps what, prints so, and waits AVAILABLE. Register 5 (a number key, word 0;
   void = 0) says how:
   0: swaps the start key in register 3 into the keeper slot (4) of the red segment it holds
      a node key to (register 2);
   1: writes a new format key (word 0 = register 6's word 0) into slot 31 of that red
      segment: the keeper slot moves;
   2: swaps the start key in register 3 into the keeper slot (root slot 1) of each of the
      processes whose process keys are in registers 10, 11, ... (register 6: how many).
   Register 1 = console. With rseg-client and rseg-keeper, or faulters: the write that
   changes a keeper (kernel.md §10). */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    ero_spin(ero_number(4));
    uint32_t mode = ero_number(5);
    if (mode == 0) {
        uint32_t rc = ero_call1(2, ERO_OC_NODE_SWAP_SLOT, 4, 3, 0, &m);
        ero_line_str(&l, "switcher: keeper slot swapped, result ");
        ero_line_hex(&l, rc);
        ero_line_put(&l, 1);
    } else if (mode == 1) {
        static const char word2[4] = {0, 0, 0, 0};
        struct ero_desc d = {0};
        ero_send_string(&d, word2, 4);
        ero_msg_set(&m, ERO_OC_NODE_WRITE_NUMBER, 31, ero_number(6), 0);
        uint32_t rc = ero_call(&d, 2, &m);
        ero_line_str(&l, "switcher: format key rewritten, result ");
        ero_line_hex(&l, rc);
        ero_line_put(&l, 1);
    } else {
        uint32_t n = ero_number(6);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t rc = ero_call1(10 + i, ERO_OC_PROCESS_SWAP_SLOT, 1, 3, 0, &m);
            ero_line_str(&l, "switcher: process keeper swapped, result ");
            ero_line_hex(&l, rc);
            ero_line_put(&l, 1);
        }
    }
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
    }
}
