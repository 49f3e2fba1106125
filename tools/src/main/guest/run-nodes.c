/* run-nodes: exercises the NODE, SEGMENT/PAGE REDUCE, DISCRIM and RANGE MAKE_NUMBER orders
   from inside a guest and prints each answer ("what -> value", hex).
   Key registers: 1 = console, 2 = systrace, 3 = node box, 4 = node box read-only,
   5 = node box weak, 6 = discrim, 7 = range, 8 = page buffer, 9 = number 0x11 0x22 0x33;
   10..13 receive keys. box: slot 0 = number 0xaa 0xbb 0xcc, slot 1 = node inner.
   Includes the capability-safety cases: SWAP_SLOT through a read-only node key is NO_ACCESS
   and leaves the slot alone; COPY_SLOT through a weak node key gives a weak read-only key;
   slot 32 is REQUEST_ERROR; a number key answers no capability order. Ends the run with
   STOP_RUN status 0 if every answer was right, else 1. */

#define CONSOLE 1
#define SYSTRACE 2
#define BOX 3
#define BOX_RO 4
#define BOX_WEAK 5
#define DISCRIM 6
#define RANGE 7
#define PAGE 8
#define NUMBER 9
#define R0 10
#define R1 11
#define R2 12
#define R3 13

#define RUN_CONSOLE CONSOLE
#define RUN_SYSTRACE SYSTRACE
#include "run-check.h"

static struct ero_msg m;

/* CALL key with order w0 and w1..w3, sending keys k0, k1 and string s (len bytes),
   receiving key 0 into register rcv. Returns the result code; m holds the answer. */
static uint32_t call(unsigned key, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                     unsigned k0, unsigned k1, unsigned rcv, const void *s, uint32_t len)
{
    return ero_call_words(key, w0, w1, w2, w3, k0, k1, rcv, s, len, &m);
}

static uint32_t simple(unsigned key, uint32_t w0, uint32_t w1, unsigned rcv)
{
    return call(key, w0, w1, 0, 0, 0, 0, rcv, 0, 0);
}

static uint32_t type_of(unsigned reg)
{
    simple(reg, ERO_OC_GET_TYPE, 0, 0);
    return m.w[0] == ERO_RC_OK ? m.w[1] : m.w[0];
}

static uint32_t classify(unsigned reg)
{
    call(DISCRIM, ERO_OC_DISCRIM_CLASSIFY, 0, 0, 0, reg, 0, 0, 0, 0);
    return m.w[1];
}

static uint32_t compare(unsigned a, unsigned b)
{
    call(DISCRIM, ERO_OC_DISCRIM_COMPARE, 0, 0, 0, a, b, 0, 0, 0);
    return m.w[1];
}

static uint32_t number_word(unsigned reg, unsigned w)
{
    simple(reg, ERO_OC_NUMBER_GET, 0, 0);
    return m.w[w];
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    run_report("node get-type", type_of(BOX), ERO_KT_NODE);

    run_report("copy slot 0", simple(BOX, ERO_OC_NODE_COPY_SLOT, 0, R0), ERO_RC_OK);
    run_report("slot 0 w1", number_word(R0, 1), 0xaa);
    run_report("slot 0 w3", number_word(R0, 3), 0xcc);

    static const char word2[4] = {0x44, 0x33, 0x22, 0x11};
    run_report("write number slot 3", call(BOX, ERO_OC_NODE_WRITE_NUMBER, 3, 0x1111, 0x2222, 0, 0, 0, word2, 4), ERO_RC_OK);
    simple(BOX, ERO_OC_NODE_COPY_SLOT, 3, R0);
    run_report("slot 3 w1", number_word(R0, 1), 0x1111);
    run_report("slot 3 w2", number_word(R0, 2), 0x2222);
    run_report("slot 3 w3", number_word(R0, 3), 0x11223344);
    run_report("write number no string", call(BOX, ERO_OC_NODE_WRITE_NUMBER, 3, 1, 2, 0, 0, 0, 0, 0), ERO_RC_REQUEST_ERROR);
    run_report("write number slot 31", call(BOX, ERO_OC_NODE_WRITE_NUMBER, 31, 5, 6, 0, 0, 0, word2, 4), ERO_RC_OK);

    run_report("copy slot 32", simple(BOX, ERO_OC_NODE_COPY_SLOT, 32, R0), ERO_RC_REQUEST_ERROR);
    run_report("swap slot 32", call(BOX, ERO_OC_NODE_SWAP_SLOT, 32, 0, 0, NUMBER, 0, R0, 0, 0), ERO_RC_REQUEST_ERROR);
    run_report("write number slot 32", call(BOX, ERO_OC_NODE_WRITE_NUMBER, 32, 0, 0, 0, 0, 0, word2, 4), ERO_RC_REQUEST_ERROR);

    run_report("read-only swap", call(BOX_RO, ERO_OC_NODE_SWAP_SLOT, 0, 0, 0, NUMBER, 0, R0, 0, 0), ERO_RC_NO_ACCESS);
    simple(BOX, ERO_OC_NODE_COPY_SLOT, 0, R0);
    run_report("slot 0 after read-only swap", number_word(R0, 1), 0xaa);
    run_report("read-only write number", call(BOX_RO, ERO_OC_NODE_WRITE_NUMBER, 0, 1, 2, 0, 0, 0, word2, 4), ERO_RC_NO_ACCESS);
    run_report("read-only clear", simple(BOX_RO, ERO_OC_NODE_CLEAR, 0, 0), ERO_RC_NO_ACCESS);
    run_report("read-only copy slot", simple(BOX_RO, ERO_OC_NODE_COPY_SLOT, 0, R0), ERO_RC_OK);

    run_report("swap slot 4", call(BOX, ERO_OC_NODE_SWAP_SLOT, 4, 0, 0, NUMBER, 0, R1, 0, 0), ERO_RC_OK);
    run_report("old slot 4 class", classify(R1), ERO_CLASS_VOID);
    simple(BOX, ERO_OC_NODE_COPY_SLOT, 4, R0);
    run_report("new slot 4 w1", number_word(R0, 1), 0x11);

    run_report("weak copy slot 1", simple(BOX_WEAK, ERO_OC_NODE_COPY_SLOT, 1, R2), ERO_RC_OK);
    run_report("weak copy get-type", type_of(R2), ERO_KT_NODE);
    run_report("swap through weak copy", call(R2, ERO_OC_NODE_SWAP_SLOT, 0, 0, 0, NUMBER, 0, R0, 0, 0), ERO_RC_NO_ACCESS);
    simple(BOX, ERO_OC_NODE_COPY_SLOT, 1, R0);
    run_report("weak copy = strong copy", compare(R2, R0), 0);
    simple(R0, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY | ERO_RESTRICT_WEAK, R1);
    run_report("weak copy = reduced ro+weak", compare(R2, R1), 1);
    simple(R2, ERO_OC_REDUCE, 0, R3);
    run_report("reduce weak copy by 0", compare(R2, R3), 1);
    run_report("weak swap slot 5", call(BOX_WEAK, ERO_OC_NODE_SWAP_SLOT, 5, 0, 0, BOX, 0, 0, 0, 0), ERO_RC_OK);
    simple(BOX, ERO_OC_NODE_COPY_SLOT, 5, R0);
    simple(BOX, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY | ERO_RESTRICT_WEAK, R1);
    run_report("stored through weak = diminished", compare(R0, R1), 1);

    run_report("reduce bad bits", simple(BOX, ERO_OC_REDUCE, 0x10, R0), ERO_RC_REQUEST_ERROR);
    run_report("reduce read-only", simple(BOX, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY, R0), ERO_RC_OK);
    run_report("reduced = read-only key", compare(R0, BOX_RO), 1);
    run_report("node = read-only key", compare(BOX, BOX_RO), 0);

    run_report("make segment key 0", simple(BOX, ERO_OC_NODE_MAKE_SEGMENT_KEY, 0, R0), ERO_RC_REQUEST_ERROR);
    run_report("make segment key 5", simple(BOX, ERO_OC_NODE_MAKE_SEGMENT_KEY, 5, R0), ERO_RC_REQUEST_ERROR);
    run_report("make segment key 1", simple(BOX, ERO_OC_NODE_MAKE_SEGMENT_KEY, 1, R0), ERO_RC_OK);
    run_report("segment get-type", type_of(R0), ERO_KT_SEGMENT);
    run_report("segment class", classify(R0), ERO_CLASS_MEMORY);
    run_report("segment reduce", simple(R0, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY, R1), ERO_RC_OK);
    run_report("reduced segment get-type", type_of(R1), ERO_KT_SEGMENT);
    run_report("segment = reduced segment", compare(R0, R1), 0);
    run_report("segment copy slot", simple(R0, ERO_OC_NODE_COPY_SLOT, 0, R1), ERO_RC_UNKNOWN_REQUEST);

    run_report("page reduce", simple(PAGE, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY, R0), ERO_RC_OK);
    run_report("reduced page get-type", type_of(R0), ERO_KT_PAGE);
    run_report("page = reduced page", compare(PAGE, R0), 0);
    run_report("page = page", compare(PAGE, PAGE), 1);

    run_report("void class", classify(0), ERO_CLASS_VOID);
    run_report("number class", classify(NUMBER), ERO_CLASS_NUMBER);
    run_report("node class", classify(BOX), ERO_CLASS_MEMORY);
    run_report("page class", classify(PAGE), ERO_CLASS_MEMORY);
    run_report("console class", classify(CONSOLE), ERO_CLASS_OTHER);
    run_report("discrim unknown order", simple(DISCRIM, 7, 0, 0), ERO_RC_UNKNOWN_REQUEST);

    run_report("make number", call(RANGE, ERO_OC_RANGE_MAKE_NUMBER, 7, 8, 9, 0, 0, R0, 0, 0), ERO_RC_OK);
    run_report("made number class", classify(R0), ERO_CLASS_NUMBER);
    run_report("made number w3", number_word(R0, 3), 9);
    run_report("number = number", compare(R0, NUMBER), 0);
    call(RANGE, ERO_OC_RANGE_MAKE_NUMBER, 0x11, 0x22, 0x33, 0, 0, R1, 0, 0);
    run_report("same numbers", compare(R1, NUMBER), 1);
    run_report("number swap slot", call(NUMBER, ERO_OC_NODE_SWAP_SLOT, 0, 0, 0, BOX, 0, R2, 0, 0), ERO_RC_UNKNOWN_REQUEST);
    run_report("number reduce", simple(NUMBER, ERO_OC_REDUCE, 0, R2), ERO_RC_UNKNOWN_REQUEST);
    run_report("number make segment key", simple(NUMBER, ERO_OC_NODE_MAKE_SEGMENT_KEY, 1, R2), ERO_RC_UNKNOWN_REQUEST);
    run_report("answer key of a refused order", classify(R2), ERO_CLASS_VOID);

    run_report("node unknown order", simple(BOX, 99, 0, 0), ERO_RC_UNKNOWN_REQUEST);
    run_report("clear", simple(BOX, ERO_OC_NODE_CLEAR, 0, 0), ERO_RC_OK);
    simple(BOX, ERO_OC_NODE_COPY_SLOT, 0, R0);
    run_report("slot 0 after clear", classify(R0), ERO_CLASS_VOID);

    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, run_bad_ ? 1 : 0, 0, 0);
    struct ero_desc d = {0};
    ero_call(&d, SYSTRACE, &m);
    for (;;) {
        ero_return(&d, 0, &m);
    }
}
