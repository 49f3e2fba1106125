/* demand-zero: a demand-zero segment keeper. It waits for SEGMENT_FAULT upcalls from the red
   segment it keeps (key 2 of the upcall, a node key to the red segment, lands in register 5;
   the fault resume key in 6). For an INVALID_ADDR fault in one of the first 16 slots (the
   red segment's initial slots, 4 KiB each) it makes a new zero page with its range key
   (register 2), stores it in that slot and replies 0: the faulting instruction runs again
   and finds the page. Any other fault it declines (reply 1), which sends it on to the
   faulter's process keeper. Register 1 = console; it prints one line per fault. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_msg q;
    struct ero_line l = {{0}, 0};
    struct ero_desc d = {0};
    ero_segment_keeper_desc(&d, 5, 6);
    uint32_t order = ero_keeper_wait(&d, &m);
    for (;;) {
        uint32_t code = m.w[1];
        uint32_t offset = m.w[2];
        uint32_t slot = offset >> 12;
        uint32_t reply = 1;
        if (order == ERO_FC_SEGMENT_FAULT && code == ERO_FC_INVALID_ADDR && m.w[3] == 0 && slot < 16
            && ero_call1(2, ERO_OC_RANGE_NEW_PAGE, 0, 0, 7, &q) == ERO_RC_OK
            && ero_call1(5, ERO_OC_NODE_SWAP_SLOT, slot, 7, 0, &q) == ERO_RC_OK) {
            reply = 0;
        }
        ero_line_str(&l, order == ERO_FC_SEGMENT_FAULT ? "demand-zero: fault " : "demand-zero: WRONG ORDER, fault ");
        ero_line_hex(&l, code);
        ero_line_str(&l, " at offset ");
        ero_line_hex(&l, offset);
        ero_line_str(&l, reply == 0 ? ": new zero page in slot " : ": declined");
        if (reply == 0) {
            ero_line_dec(&l, slot);
        }
        ero_line_put(&l, 1);
        order = ero_keeper_reply(&d, 6, reply, &m);
    }
}
