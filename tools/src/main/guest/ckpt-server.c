/* ckpt-server: the server of the checkpoint crash test (CheckpointCrashTest, docs/run.md).
   Callers CALL it with ADD (order 1, w1 = a number): it adds badge * w1 to a sum kept in its
   own memory, counts the call and answers OK with the count so far. DONE (order 2) counts a
   caller finished; when all CLIENTS are, it writes "ckpt-server: sum S count C" to the
   console and ends the run with STOP_RUN 0. The sum and the count do not depend on how the
   callers interleave or stall, so a run restarted from any checkpoint must end with the very
   line an uninterrupted run writes: everything committed before the checkpoint is in the
   image, everything after it is done again.
   Key registers: 1 = console, 3 = systrace; a caller's resume key arrives in 4. */
#include "erosim.h"
#include "erolib.h"

#define CONSOLE_REG 1
#define SYSTRACE_REG 3
#define RESUME_REG 4
#define ADD 1u
#define DONE 2u
#define CLIENTS 2u

static uint32_t sum;
static uint32_t count;
static uint32_t done;

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, 0, RESUME_REG);
    uint32_t order = ero_return(&d, 0, &m);   /* to void: only becomes AVAILABLE */
    for (;;) {
        if (order == ADD) {
            sum += m.key_info * m.w[1];
            count++;
            ero_msg_set(&m, ERO_RC_OK, count, 0, 0);
        } else if (order == DONE) {
            if (++done == CLIENTS) {
                struct ero_line l = {.len = 0};
                ero_line_str(&l, "ckpt-server: sum ");
                ero_line_hex(&l, sum);
                ero_line_str(&l, " count ");
                ero_line_dec(&l, count);
                ero_line_put(&l, CONSOLE_REG);
                struct ero_desc s = {0};
                ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, 0, 0, 0);
                ero_call(&s, SYSTRACE_REG, &m);
            }
            ero_msg_set(&m, ERO_RC_OK, 0, 0, 0);
        } else {
            ero_msg_set(&m, ERO_RC_UNKNOWN_REQUEST, 0, 0, 0);
        }
        order = ero_return(&d, RESUME_REG, &m);
    }
}
