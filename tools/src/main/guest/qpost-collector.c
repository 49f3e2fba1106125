/* qpost-collector: counts the calls of the clients (w1 = the post's sequence number, which
   the server made equal to the client's id). After N calls (register 3: number key, word 0 =
   N) it prints the ids in arrival order (for N > 64: how many arrived out of queue order)
   and ends the run with STOP_RUN status 0 if every
   client reported exactly once with its own number, else 1. Register 1 = console, 2 =
   systrace. */
#include "erolib.h"

static uint8_t seen[16384];

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    uint32_t n = ero_number(3);
    uint32_t got = 0, bad = 0, disorder = 0, last = 0;
    struct ero_desc d = {0};
    ero_rcv_keys(&d, 0, 0, 0, 5);
    ero_return(&d, 0, &m);
    ero_line_str(&l, "collector:");
    for (;;) {
        uint32_t seq = m.w[1];
        if (seq >= sizeof seen || seen[seq]++ != 0) {
            bad++;
        }
        disorder += got != 0 && seq != last + 1;
        last = seq;
        if (got < 24 && n <= 64) {
            ero_line_str(&l, " ");
            ero_line_dec(&l, seq);
        }
        got++;
        if (got == n) {
            ero_line_put(&l, 1);
            ero_line_str(&l, "collector: ");
            ero_line_dec(&l, got);
            ero_line_str(&l, bad == 0 ? " messages, each client exactly once" : " messages, DUPLICATES OR STRAYS");
            ero_line_put(&l, 1);
            if (n > 64) {
                ero_line_str(&l, "collector: ");
                ero_line_dec(&l, disorder);
                ero_line_str(&l, " out of queue order");
                ero_line_put(&l, 1);
            }
            ero_call1(2, ERO_OC_SYSTRACE_STOP_RUN, bad != 0, 0, 0, &m);
        }
        ero_msg_set(&m, ERO_RC_OK, 0, 0, 0);
        ero_return(&d, 5, &m);
    }
}
