/* run-check.h: helpers shared by the run-*.c test programs of `erosim run` (not part of the
 * SDK). Each checked answer is printed as one console line, "what -> value" in hex, with
 * " WRONG" appended when it is not the expected value (the scenario tests compare the
 * whole console text); run_finish() ends the run with STOP_RUN status 0 if every answer
 * was right, else 1.
 *
 * The including program defines RUN_CONSOLE and RUN_SYSTRACE (key registers of the console
 * and systrace keys) before including this file. Everything is static inline, so a program
 * that does not use a helper compiles without warnings. */
#ifndef RUN_CHECK_H
#define RUN_CHECK_H

#include "erolib.h"

static unsigned run_bad_;
/* The words of the last invocation made through run_call() and friends. */
static struct ero_msg run_msg;

/* Prints a line of text (no newline added). */
static inline void run_say(const char *s)
{
    struct ero_line l = {{0}, 0};
    ero_line_str(&l, s);
    ero_console_write(RUN_CONSOLE, l.buf, l.len);
}

/* "what -> value", WRONG if value != expected (and the run's status becomes 1). */
static inline void run_report(const char *what, uint32_t value, uint32_t expected)
{
    struct ero_line l = {{0}, 0};
    ero_line_str(&l, what);
    ero_line_str(&l, " -> ");
    ero_line_hex(&l, value);
    if (value != expected) {
        ero_line_str(&l, " WRONG");
        run_bad_ = 1;
    }
    ero_line_put(&l, RUN_CONSOLE);
}

/* Invocation of type `type` on key register `key` with words w0..w3, sending keys k0, k1 and
   k3 (k2 void) and string s (len bytes), receiving key 0 into register rcv0 and key 3 into
   rcv3 and a string into r (limit bytes). Returns the w0 received; run_msg holds the rest. */
static inline uint32_t run_invoke(unsigned type, unsigned key, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                                  unsigned k0, unsigned k1, unsigned k3, const void *s, uint32_t len,
                                  unsigned rcv0, unsigned rcv3, void *r, uint32_t limit)
{
    struct ero_desc d = {0};
    d.inv_type = (uint8_t) type;
    d.inv_key = (uint8_t) key;
    ero_send_keys(&d, k0, k1, 0, k3);
    ero_send_string(&d, s, len);
    ero_rcv_keys(&d, rcv0, 0, 0, rcv3);
    ero_rcv_string(&d, r, limit);
    ero_msg_set(&run_msg, w0, w1, w2, w3);
    return ero_invoke(&d, &run_msg);
}

/* CALL key with order w0, argument w1, sending key k0, receiving key 0 into rcv0. */
static inline uint32_t run_call(unsigned key, uint32_t w0, uint32_t w1, unsigned k0, unsigned rcv0)
{
    return run_invoke(ERO_INV_CALL, key, w0, w1, 0, 0, k0, 0, 0, 0, 0, rcv0, 0, 0, 0);
}

/* GET_TYPE of the key in register reg (the result code if it is not OK, e.g. VOID). */
static inline uint32_t run_type_of(unsigned reg)
{
    uint32_t rc = run_call(reg, ERO_OC_GET_TYPE, 0, 0, 0);
    return rc == ERO_RC_OK ? run_msg.w[1] : rc;
}

/* DISCRIM CLASSIFY of register reg through the discrim key in register discrim. */
static inline uint32_t run_classify(unsigned discrim, unsigned reg)
{
    run_call(discrim, ERO_OC_DISCRIM_CLASSIFY, 0, reg, 0);
    return run_msg.w[1];
}

/* DISCRIM COMPARE of registers a and b (1: the same capability). */
static inline uint32_t run_compare(unsigned discrim, unsigned a, unsigned b)
{
    run_invoke(ERO_INV_CALL, discrim, ERO_OC_DISCRIM_COMPARE, 0, 0, 0, a, b, 0, 0, 0, 0, 0, 0, 0);
    return run_msg.w[1];
}

/* Word w (1..3) of the number key in register reg. */
static inline uint32_t run_number(unsigned reg, unsigned w)
{
    run_call(reg, ERO_OC_NUMBER_GET, 0, 0, 0);
    return run_msg.w[w];
}

/* Ends the run: STOP_RUN with status 0 if every report matched, else 1. */
static inline __attribute__((noreturn)) void run_finish(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_SYSTRACE_STOP_RUN, run_bad_ ? 1 : 0, 0, 0}, 0, 0};
    ero_call(&d, RUN_SYSTRACE, &m);
    for (;;) {
        ero_return(&d, 0, &m);
    }
}

#endif /* RUN_CHECK_H */
