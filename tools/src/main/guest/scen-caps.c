/* scen-caps: proves from inside a guest that a process reaches only what its keys reach
   (quality.md, capability safety), printing each answer as "what -> value" (hex, " WRONG"
   appended when it is not the documented one): key registers it was never given are void;
   read-only node keys refuse every write (NO_ACCESS) and REDUCE cannot lift the restriction;
   a weak node key diminishes every key that passes through it (weak and read-only), so its
   holder can neither fetch nor plant write authority; number keys never become keys
   (bits written or made into a number stay a NUMBER key, answered by the kernel, and reach
   no process); a resume key, and every copy of it, is void once used.
   One program, two roles (number key in register 3, w1): 0 = the checker, 1 = its partner,
   which only CALLs the checker once (ECHO 5) so that the checker holds a resume key.
   Checker key registers: 1 = console, 2 = systrace, 5 = node box, 6 = box read-only,
   7 = box weak, 8 = discrim, 9 = range, 10 = start key to the partner (never invoked: the
   partner is calling us), 11..15 = receive registers; 20 and 21 are never given. box:
   slot 0 = number 0xaa, slot 1 = node inner, slot 4 = node inner. Partner: 2 = start key to
   the checker (badge 4). The checker ends the run with STOP_RUN 0 if every answer was
   right, else 1. */
#include "scen.h"

#define CONSOLE 1
#define SYSTRACE 2
#define CONFIG 3
#define RESUME 4
#define BOX 5
#define BOX_RO 6
#define BOX_WEAK 7
#define DISCRIM 8
#define RANGE 9
#define PARTNER 10
#define R1 11
#define R2 12
#define R3 13
#define R4 14
#define NEVER1 20
#define NEVER2 21

static struct ero_msg m;
static unsigned bad;

static void report(const char *what, uint32_t v, uint32_t expected)
{
    struct scen_line l = {{0}, 0};
    scen_text(&l, what);
    scen_text(&l, " -> ");
    scen_hex(&l, v);
    if (v != expected) {
        scen_text(&l, " WRONG");
        bad = 1;
    }
    scen_print(CONSOLE, &l);
}

/* CALL key with w0..w3, sending keys k0 and k1 and string s, receiving key 0 into rcv. */
static uint32_t call(unsigned key, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                     unsigned k0, unsigned k1, unsigned rcv, const void *s, uint32_t len)
{
    return ero_call_words(key, w0, w1, w2, w3, k0, k1, rcv, s, len, &m);
}

static uint32_t order(unsigned key, uint32_t w0, uint32_t w1, unsigned rcv)
{
    return call(key, w0, w1, 0, 0, 0, 0, rcv, 0, 0);
}

static uint32_t swap(unsigned node, uint32_t slot, unsigned in, unsigned out)
{
    return call(node, ERO_OC_NODE_SWAP_SLOT, slot, 0, 0, in, 0, out, 0, 0);
}

static uint32_t type_of(unsigned reg)
{
    order(reg, ERO_OC_GET_TYPE, 0, 0);
    return m.w[0] == ERO_RC_OK ? m.w[1] : m.w[0];
}

static uint32_t compare(unsigned a, unsigned b)
{
    call(DISCRIM, ERO_OC_DISCRIM_COMPARE, 0, 0, 0, a, b, 0, 0, 0);
    return m.w[1];
}

static uint32_t classify(unsigned reg)
{
    return scen_classify(DISCRIM, reg);
}

static void never_given(void)
{
    report("never-given register 20 get-type", order(NEVER1, ERO_OC_GET_TYPE, 0, 0), ERO_RC_VOID);
    report("never-given register 20 order 0", order(NEVER1, 0, 0, 0), ERO_RC_VOID);
    report("register 0 get-type", order(0, ERO_OC_GET_TYPE, 0, 0), ERO_RC_VOID);
    struct ero_desc d = {0};
    ero_msg_set(&m, ERO_OC_NUMBER_GET, 0, 0, 0);
    report("prompt call on a number key", ero_pcall(&d, CONFIG, &m), ERO_RC_VOID);
    report("never-given register 21 swapped into slot 2", swap(BOX, 2, NEVER2, 0), ERO_RC_OK);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 2, R1);
    report("slot 2 class", classify(R1), ERO_CLASS_VOID);
}

static void read_only(void)
{
    static const char word2[4] = {1, 2, 3, 4};
    report("read-only swap slot 0", swap(BOX_RO, 0, CONFIG, R1), ERO_RC_NO_ACCESS);
    report("read-only write number", call(BOX_RO, ERO_OC_NODE_WRITE_NUMBER, 0, 1, 2, 0, 0, 0, word2, 4),
           ERO_RC_NO_ACCESS);
    report("read-only clear", order(BOX_RO, ERO_OC_NODE_CLEAR, 0, 0), ERO_RC_NO_ACCESS);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 0, R1);
    report("slot 0 after the refused writes, w1", scen_number(R1, 1), 0xaa);
    report("reduce read-only by 0", order(BOX_RO, ERO_OC_REDUCE, 0, R2), ERO_RC_OK);
    report("swap through the reduced key", swap(R2, 0, CONFIG, R1), ERO_RC_NO_ACCESS);
    /* Read-only is not transitive (only weak is): a key fetched through a read-only node
       key keeps its strength. */
    report("read-only copy slot 1", order(BOX_RO, ERO_OC_NODE_COPY_SLOT, 1, R1), ERO_RC_OK);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 1, R2);
    report("fetched through read-only = fetched through strong", compare(R1, R2), 1);
    report("write through it", swap(R1, 0, CONFIG, 0), ERO_RC_OK);
}

static void weak(void)
{
    static const char word2[4] = {5, 6, 7, 8};
    order(BOX, ERO_OC_NODE_COPY_SLOT, 1, R3);                    /* strong inner */
    order(R3, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY | ERO_RESTRICT_WEAK, R4); /* inner, ro+weak */
    report("weak copy slot 1", order(BOX_WEAK, ERO_OC_NODE_COPY_SLOT, 1, R1), ERO_RC_OK);
    report("fetched through weak = inner reduced ro+weak", compare(R1, R4), 1);
    report("write through the weak fetch", swap(R1, 0, CONFIG, 0), ERO_RC_NO_ACCESS);
    report("weak swap of a strong node key into slot 3", swap(BOX_WEAK, 3, BOX, 0), ERO_RC_OK);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 3, R1);
    order(BOX, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY | ERO_RESTRICT_WEAK, R2);
    report("stored through weak = box reduced ro+weak", compare(R1, R2), 1);
    report("write through the stored key", swap(R1, 0, CONFIG, 0), ERO_RC_NO_ACCESS);
    report("weak swap out of slot 4", swap(BOX_WEAK, 4, 0, R1), ERO_RC_OK);
    report("swapped out through weak = inner reduced ro+weak", compare(R1, R4), 1);
    report("weak write number (no authority in numbers)",
           call(BOX_WEAK, ERO_OC_NODE_WRITE_NUMBER, 5, 7, 8, 0, 0, 0, word2, 4), ERO_RC_OK);
    order(BOX_WEAK, ERO_OC_REDUCE, 0, R1);
    report("reduce weak by 0 = weak", compare(R1, BOX_WEAK), 1);
}

static void forging(void)
{
    /* An unprepared start key is an OID, a count and a tail: a number key with the same
       96 bits is still a number key. Try the first OIDs, count 0: none reaches a process. */
    uint32_t reached = 0;
    for (uint32_t oid = 0; oid < 32; oid++) {
        call(RANGE, ERO_OC_RANGE_MAKE_NUMBER, oid, 0, 0, 0, 0, R1, 0, 0);
        if (order(R1, SCEN_ECHO, 5, 0) != ERO_RC_UNKNOWN_REQUEST) {
            reached++;
        }
    }
    report("numbers shaped like start keys that reached a process", reached, 0);
    report("made number class", classify(R1), ERO_CLASS_NUMBER);
    report("made number get-type", type_of(R1), ERO_KT_NUMBER);
    report("made number = start key", compare(R1, PARTNER), 0);
    static const char word2[4] = {0, 0, 0, 0};
    report("write number into slot 6", call(BOX, ERO_OC_NODE_WRITE_NUMBER, 6, 3, 0, 0, 0, 0, word2, 4), ERO_RC_OK);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 6, R1);
    report("slot 6 class", classify(R1), ERO_CLASS_NUMBER);
    report("slot 6 echo", order(R1, SCEN_ECHO, 5, 0), ERO_RC_UNKNOWN_REQUEST);
    report("start key swapped into slot 7", swap(BOX, 7, PARTNER, 0), ERO_RC_OK);
    report("number written over it", call(BOX, ERO_OC_NODE_WRITE_NUMBER, 7, 3, 0, 0, 0, 0, word2, 4), ERO_RC_OK);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 7, R1);
    report("slot 7 class", classify(R1), ERO_CLASS_NUMBER);
}

static void used_resume_key(void)
{
    /* Wait for the partner's CALL: it brings a resume key to the partner in register 4. */
    struct ero_desc d = {0};
    ero_rcv_keys(&d, 0, 0, 0, RESUME);
    ero_msg_set(&m, ERO_RC_OK, 0, 0, 0);
    uint32_t got = ero_return(&d, 0, &m);
    report("partner's call, order", got, SCEN_ECHO);
    report("partner's call, keyInfo", m.key_info, 4);
    uint32_t v = m.w[1];
    swap(BOX, 8, RESUME, 0);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 8, R2);
    report("resume key class", classify(RESUME), ERO_CLASS_RESUME);
    report("its copy class", classify(R2), ERO_CLASS_RESUME);
    struct ero_desc s = {0};
    ero_msg_set(&m, ERO_RC_OK, scen_echo_of(v), 4, ~v);
    ero_send(&s, RESUME, &m);                  /* the reply: uses up the resume key */
    report("used resume key get-type", order(RESUME, ERO_OC_GET_TYPE, 0, 0), ERO_RC_VOID);
    report("its copy get-type", order(R2, ERO_OC_GET_TYPE, 0, 0), ERO_RC_VOID);
    ero_msg_set(&m, ERO_OC_GET_TYPE, 0, 0, 0);
    report("prompt call on the used resume key", ero_pcall(&s, RESUME, &m), ERO_RC_VOID);
    order(BOX, ERO_OC_NODE_COPY_SLOT, 8, R3);
    report("the copy in slot 8, class", classify(R3), ERO_CLASS_VOID);
    report("the copy in register 12, class", classify(R2), ERO_CLASS_VOID);
}

static __attribute__((noreturn)) void partner(void)
{
    struct ero_desc d = {0};
    ero_msg_set(&m, SCEN_ECHO, 5, 0, 0);
    ero_call(&d, 2, &m);
    scen_idle();
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    if (scen_number(CONFIG, 1) == 1) {
        partner();
    }
    never_given();
    read_only();
    weak();
    forging();
    used_resume_key();
    scen_stop(SYSTRACE, bad ? 1 : 0);
}
