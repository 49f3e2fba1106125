/* qpost-closed: a keeper that is never available: it calls its own start key (register 2)
   and so stalls on its own queue for good. A red segment it keeps is a closed gate. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    ero_call1(2, 0, 0, 0, 0, &m);
    for (;;) {
    }
}
