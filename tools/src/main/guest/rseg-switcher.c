/* rseg-switcher: after a while (register 4: a number key, word 0 = loop iterations) it
   swaps the start key in register 3 into the keeper slot (4) of the red segment it holds a
   node key to (register 2), prints so, and waits AVAILABLE. Register 1 = console. With
   rseg-client and rseg-keeper: the write that changes a red segment's keeper. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    ero_spin(ero_number(4));
    uint32_t rc = ero_call1(2, ERO_OC_NODE_SWAP_SLOT, 4, 3, 0, &m);
    ero_line_str(&l, "switcher: keeper slot swapped, result ");
    ero_line_hex(&l, rc);
    ero_line_put(&l, 1);
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
    }
}
