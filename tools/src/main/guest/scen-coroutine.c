/* scen-coroutine: proves that two processes can pass control back and forth as coroutines
   by CALLing each other's resume key: every such CALL delivers its words intact and hands
   the other side a fresh resume key as the 4th key, and consumes the resume key it
   invoked (a copy of it kept through a node slot is void afterwards).
   One program, two roles (number key in register 3: w1 = 1 initiator, 0 partner; w2 = round
   trips). The initiator CALLs the partner's start key (register 2) with STEP 0; from then on
   each side answers STEP k by CALLing the resume key it received in register 4 with
   STEP k + 1 (w2 = ~(k + 1)), until the initiator has received STEP 2n - 1. Before each of its
   CALLs the initiator copies its resume key into slot 0 of the node in register 6 and back
   into register 8, and when it runs again it checks (DISCRIM in register 7) that register 8
   is void and register 4 a fresh resume key.
   Key registers: 1 = console, 2 = start key to the partner (badge 9), 5 = systrace, 6 = node,
   7 = discrim. The initiator prints "coroutines: N round trips ok" and ends the run with
   STOP_RUN 0; any wrong word, badge or key class prints what was wrong and STOP_RUN 1. */
#include "scen.h"

#define CONSOLE_REG 1
#define PARTNER_REG 2
#define CONFIG_REG 3
#define RESUME_REG 4
#define SYSTRACE_REG 5
#define BOX_REG 6
#define DISCRIM_REG 7
#define COPY_REG 8
#define BADGE 9u

static struct scen_line l;

static __attribute__((noreturn)) void fail(const char *who, const char *what, uint32_t step, uint32_t got)
{
    scen_text(&l, who);
    scen_text(&l, ": ");
    scen_text(&l, what);
    scen_text(&l, " at step ");
    scen_dec(&l, step);
    scen_text(&l, ": ");
    scen_hex(&l, got);
    scen_print(CONSOLE_REG, &l);
    scen_stop(SYSTRACE_REG, 1);
}

/* Checks a received STEP message: order, step number, its complement, keyInfo. */
static void check(const char *who, const struct ero_msg *m, uint32_t step, uint32_t key_info)
{
    if (m->w[0] != SCEN_STEP) {
        fail(who, "order", step, m->w[0]);
    }
    if (m->w[1] != step) {
        fail(who, "step", step, m->w[1]);
    }
    if (m->w[2] != ~step) {
        fail(who, "complement", step, m->w[2]);
    }
    if (m->key_info != key_info) {
        fail(who, "keyInfo", step, m->key_info);
    }
}

/* Copies the key in register from into register to through slot 0 of the box node. */
static void copy_key(unsigned from, unsigned to)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_NODE_SWAP_SLOT, 0, 0, 0}, 0, 0};
    ero_send_keys(&d, from, 0, 0, 0);
    ero_call(&d, BOX_REG, &m);
    struct ero_desc c = {0};
    ero_rcv_keys(&c, to, 0, 0, 0);
    ero_msg_set(&m, ERO_OC_NODE_COPY_SLOT, 0, 0, 0);
    ero_call(&c, BOX_REG, &m);
}

static __attribute__((noreturn)) void initiator(uint32_t n)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_rcv_keys(&d, 0, 0, 0, RESUME_REG);
    ero_msg_set(&m, SCEN_STEP, 0, ~0u, 0);
    ero_call(&d, PARTNER_REG, &m);           /* the partner answers by CALLing our resume key */
    for (uint32_t k = 1;; k += 2) {
        check("initiator", &m, k, 0);         /* through a resume key: keyInfo 0 */
        if (scen_classify(DISCRIM_REG, RESUME_REG) != ERO_CLASS_RESUME) {
            fail("initiator", "register 4 is no fresh resume key", k, scen_classify(DISCRIM_REG, RESUME_REG));
        }
        if (k > 1 && scen_classify(DISCRIM_REG, COPY_REG) != ERO_CLASS_VOID) {
            fail("initiator", "the copy of a used resume key is not void", k, scen_classify(DISCRIM_REG, COPY_REG));
        }
        if (k == 2 * n - 1) {
            break;
        }
        copy_key(RESUME_REG, COPY_REG);
        if (scen_classify(DISCRIM_REG, COPY_REG) != ERO_CLASS_RESUME) {
            fail("initiator", "the copy of an unused resume key is not a resume key", k, 0);
        }
        ero_msg_set(&m, SCEN_STEP, k + 1, ~(k + 1), 0);
        ero_call(&d, RESUME_REG, &m);         /* consumes it; the partner gets one to us */
    }
    scen_text(&l, "coroutines: ");
    scen_dec(&l, n);
    scen_text(&l, " round trips ok");
    scen_print(CONSOLE_REG, &l);
    scen_stop(SYSTRACE_REG, 0);
}

static __attribute__((noreturn)) void partner(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, 0, RESUME_REG);
    ero_return(&d, 0, &m);                    /* wait for the initiator's first CALL */
    check("partner", &m, 0, BADGE);           /* through the start key: its badge */
    for (uint32_t k = 0;; k += 2) {
        ero_msg_set(&m, SCEN_STEP, k + 1, ~(k + 1), 0);
        ero_call(&d, RESUME_REG, &m);
        check("partner", &m, k + 2, 0);
    }
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    if (scen_number(CONFIG_REG, 1) == 1) {
        initiator(scen_number(CONFIG_REG, 2));
    }
    partner();
}
