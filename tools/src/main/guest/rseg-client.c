/* rseg-client: CALLs the segment key in register 2 — a kept red segment, so the call goes
   to whichever process is its keeper — with w1 = its id (the number key in register 3),
   prints which keeper served it (the reply's w1), then waits AVAILABLE. Register 1 =
   console. Proves red-segment invocation redirection and, with rseg-switcher, keeper
   rewake: a client parked on a busy old keeper is served by the new one. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    uint32_t id = ero_number(3);
    uint32_t rc = ero_call1(2, 42, id, 0, 0, &m);
    ero_line_str(&l, "client ");
    ero_line_dec(&l, id);
    if (rc == ERO_RC_OK) {
        ero_line_str(&l, ": served by keeper ");
        ero_line_dec(&l, m.w[1]);
    } else {
        ero_line_str(&l, ": result ");
        ero_line_hex(&l, rc);
    }
    ero_line_put(&l, 1);
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
    }
}
