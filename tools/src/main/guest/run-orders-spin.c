/* run-orders-spin: invokes the orders of the process, page, sleep, systrace and checkpoint
   keys forever — GET_REGS of itself and of another process, SET_REGS, GET_STATE, COPY_SLOT,
   SWAP_KEYREG, MAKE_START_KEY, MAKE_RESUME_KEY, READ_COUNTERS, RESET_COUNTERS, PAGE CLONE
   and ZERO, SLEEP_FOR, a MARK per round, and a CHECKPOINT TAKE every 64 rounds — and never
   ends the run by itself: the allocation guard's steady state for those orders
   (RunAllocationTest; run-orders-spin.erosys).
   Key registers: 2 systrace, 3 process target (never runs), 4 page a, 5 page b, 6 sleep,
   7 our own process, 8 checkpoint, 9 node box; 10.. receive. */
#include "erosim.h"

static struct ero_regfile regs;
static struct ero_counters counters;

static uint32_t invoke(unsigned key, uint32_t order, uint32_t w1, unsigned k0, unsigned rcv0, const void *s,
                       uint32_t len, void *r, uint32_t limit)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_send_keys(&d, k0, 0, 0, 0);
    ero_send_string(&d, s, len);
    ero_rcv_keys(&d, rcv0, 0, 0, 0);
    ero_rcv_string(&d, r, limit);
    ero_msg_set(&m, order, w1, 0, 0);
    return ero_call(&d, key, &m);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    for (uint32_t i = 0;; i++) {
        invoke(7, ERO_OC_PROCESS_GET_REGS, 0, 0, 0, 0, 0, &regs, sizeof regs);
        invoke(3, ERO_OC_PROCESS_GET_REGS, 0, 0, 0, 0, 0, &regs, sizeof regs);
        regs.eax = i;
        invoke(3, ERO_OC_PROCESS_SET_REGS, 0, 0, 0, &regs, sizeof regs, 0, 0);
        invoke(3, ERO_OC_PROCESS_GET_STATE, 0, 0, 0, 0, 0, 0, 0);
        invoke(3, ERO_OC_PROCESS_COPY_SLOT, 2, 0, 10, 0, 0, 0, 0);
        invoke(3, ERO_OC_PROCESS_SWAP_KEYREG, 5, 9, 11, 0, 0, 0, 0);
        invoke(3, ERO_OC_PROCESS_MAKE_START_KEY, i & 0xffff, 0, 12, 0, 0, 0, 0);
        invoke(3, ERO_OC_PROCESS_MAKE_RESUME_KEY, 0, 0, 13, 0, 0, 0, 0);
        invoke(2, ERO_OC_SYSTRACE_READ_COUNTERS, 0, 0, 0, 0, 0, &counters, sizeof counters);
        invoke(2, ERO_OC_SYSTRACE_RESET_COUNTERS, 0, 0, 0, 0, 0, 0, 0);
        invoke(4, ERO_OC_PAGE_CLONE, 0, 5, 0, 0, 0, 0, 0);
        invoke(5, ERO_OC_PAGE_ZERO, 0, 0, 0, 0, 0, 0, 0);
        invoke(6, ERO_OC_SLEEP_FOR, 100, 0, 0, 0, 0, 0, 0);
        if ((i & 63) == 0) {
            invoke(8, ERO_OC_CHECKPOINT_TAKE, 0, 0, 0, 0, 0, 0, 0);
        }
        invoke(2, ERO_OC_SYSTRACE_MARK, i, 0, 0, 0, 0, 0, 0);
    }
}
