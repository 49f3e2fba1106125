/* qpost-server: queues one QPOST per client (start keys in the node in register 4, client i
   in slot i, w1 = i) on the kept red segment in register 2, whose keeper never becomes
   available; then opens the gate with one slot write (the keeper slot, 4, of the red
   segment it holds a node key to in register 3, becomes void); then posts again to every
   client whose post was refused for lack of records, retrying while the records are still
   held by released posts that have not run yet (the gate is open now: they fire at once).
   First, two QPOSTs with bad gates (void, a node key) must answer REQUEST_ERROR. Register
   5: number key, word 0 = number of clients. Register 1 = console. Proves queued POST:
   parking, release by one write, NO_RESOURCES without loss, immediate fire, bad gates. */
#include "erolib.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_msg m;
    struct ero_line l = {{0}, 0};
    uint32_t n = ero_number(5);
    /* Bad gates: a void key and a node key are no kept red segment: REQUEST_ERROR, nothing queued. */
    ero_call1(4, ERO_OC_NODE_COPY_SLOT, 0, 0, 10, &m);
    struct ero_desc bad = {0};
    ero_msg_set(&m, 7, 99, 0, 0);
    uint32_t rc_void = ero_qpost(&bad, 10, 0, &m);
    ero_msg_set(&m, 7, 99, 0, 0);
    uint32_t rc_node = ero_qpost(&bad, 10, 3, &m);
    ero_line_str(&l, "server: bad gates -> ");
    ero_line_hex(&l, rc_void);
    ero_line_str(&l, " ");
    ero_line_hex(&l, rc_node);
    ero_line_put(&l, 1);
    uint32_t queued = 0, refused = 0, first_refused = n, reposted = 0;
    for (uint32_t i = 0; i < n; i++) {
        ero_call1(4, ERO_OC_NODE_COPY_SLOT, i, 0, 10, &m);
        struct ero_desc d = {0};
        ero_msg_set(&m, 7, i, 0, 0);
        uint32_t rc = ero_qpost(&d, 10, 2, &m);
        if (rc == ERO_RC_OK) {
            queued++;
        } else if (rc == ERO_RC_NO_RESOURCES) {
            if (refused++ == 0) {
                first_refused = i;
            }
        }
    }
    ero_line_str(&l, "server: queued ");
    ero_line_dec(&l, queued);
    ero_line_str(&l, ", refused ");
    ero_line_dec(&l, refused);
    ero_line_put(&l, 1);
    uint32_t rc = ero_call1(3, ERO_OC_NODE_SWAP_SLOT, 4, 0, 0, &m); /* void into the keeper slot: open */
    ero_line_str(&l, "server: gate opened, result ");
    ero_line_hex(&l, rc);
    ero_line_put(&l, 1);
    for (uint32_t i = first_refused; i < n && refused != 0; i++) {
        ero_call1(4, ERO_OC_NODE_COPY_SLOT, i, 0, 10, &m);
        struct ero_desc d = {0};
        ero_msg_set(&m, 7, i, 0, 0);
        /* The released posts hold their records until they run: retry while the pool is full. */
        for (uint32_t tries = 0; tries < 1000000; tries++) {
            ero_msg_set(&m, 7, i, 0, 0);
            if (ero_qpost(&d, 10, 2, &m) != ERO_RC_NO_RESOURCES) {
                reposted++;
                break;
            }
        }
    }
    ero_line_str(&l, "server: reposted ");
    ero_line_dec(&l, reposted);
    ero_line_put(&l, 1);
    struct ero_desc d = {0};
    ero_return(&d, 0, &m);
    for (;;) {
    }
}
