/* rseg-keeper: the keeper of a red segment. Register 2 holds a number key: word 0 = its id,
   word 1 = how long (loop iterations) to stay busy with its first call before replying. It
   waits for calls redirected from the red segment (convention node-key: key 2 is a node key
   to the red segment, received in register 5, the resume key in register 6), reads the
   red segment's format key through that node key to prove it, and replies w1 = its id.
   Register 1 = console. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_msg q;
    struct ero_line l = {{0}, 0};
    struct ero_desc d = {0};
    ero_call1(2, ERO_OC_NUMBER_GET, 0, 0, 0, &q);
    uint32_t id = q.w[1];
    uint32_t busy = q.w[2];
    ero_rcv_keys(&d, 0, 0, 5, 6);
    uint32_t order = ero_return(&d, 0, &m);
    for (;;) {
        uint32_t client = m.w[1];
        ero_call1(5, ERO_OC_NODE_COPY_SLOT, 31, 0, 7, &q); /* the format key, through key 2 */
        uint32_t format = ero_number(7);
        ero_line_str(&l, "keeper ");
        ero_line_dec(&l, id);
        ero_line_str(&l, ": order ");
        ero_line_dec(&l, order);
        ero_line_str(&l, " from client ");
        ero_line_dec(&l, client);
        ero_line_str(&l, ", red segment format ");
        ero_line_hex(&l, format);
        ero_line_put(&l, 1);
        if (busy != 0) {
            ero_spin(busy);
            busy = 0;
            ero_line_str(&l, "keeper ");
            ero_line_dec(&l, id);
            ero_line_str(&l, ": replying after a long job");
            ero_line_put(&l, 1);
        }
        ero_msg_set(&m, ERO_RC_OK, id, 0, 0);
        order = ero_return(&d, 6, &m);
    }
}
