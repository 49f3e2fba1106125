/* scen.h: helpers shared by the scen-*.c scenario guests (IpcScenariosTest,
 * InvocationFuzzTest): console lines built from text and numbers, number-key reads,
 * DISCRIM CLASSIFY, and the two ways a scenario process ends (STOP_RUN, or waiting as
 * AVAILABLE forever). Not part of the SDK proper (erosim.h is); header-only, so every
 * program that does not include it is unchanged. */
#ifndef SCEN_H
#define SCEN_H
#include "erolib.h"

/* Order codes the scenario processes use among themselves (w0 of a request). */
#define SCEN_ECHO 1u      /* w1 = v -> OK, w1 = 3v + 1, w2 = the caller's badge, w3 = ~v */
#define SCEN_KICK 2u      /* the first message of a process stored AVAILABLE: ignored */
#define SCEN_STEP 3u      /* scen-coroutine: w1 = step number, w2 = ~step */

/* The answer scen-server.c gives to ECHO(v). */
static inline uint32_t scen_echo_of(uint32_t v)
{
    return 3u * v + 1u;
}

/* Console lines: erolib.h's, under the names the scen-*.c programs use. */
#define scen_line ero_line

static inline void scen_text(struct ero_line *l, const char *s)
{
    ero_line_str(l, s);
}

static inline void scen_hex(struct ero_line *l, uint32_t v)
{
    ero_line_hex(l, v);
}

static inline void scen_dec(struct ero_line *l, uint32_t v)
{
    ero_line_dec(l, v);
}

/* Writes the line and a newline to the console key in register console; empties it. */
static inline void scen_print(unsigned console, struct ero_line *l)
{
    ero_line_put(l, console);
}

/* Word w (1..3) of the number key in register reg (NUMBER GET). */
static inline uint32_t scen_number(unsigned reg, unsigned w)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_NUMBER_GET, 0, 0, 0}, 0, 0};
    ero_call(&d, reg, &m);
    return m.w[w];
}

/* DISCRIM CLASSIFY of the key in register reg, through the discrim key in register discrim. */
static inline uint32_t scen_classify(unsigned discrim, unsigned reg)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_DISCRIM_CLASSIFY, 0, 0, 0}, 0, 0};
    ero_send_keys(&d, reg, 0, 0, 0);
    ero_call(&d, discrim, &m);
    return m.w[1];
}

/* Waits as AVAILABLE for ever (RETURN on void): the process is done. */
static inline __attribute__((noreturn)) void scen_idle(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_RC_OK, 0, 0, 0}, 0, 0};
    for (;;) {
        ero_return(&d, 0, &m);
    }
}

/* Ends the run with STOP_RUN status (SYSTRACE key in register systrace). */
static inline __attribute__((noreturn)) void scen_stop(unsigned systrace, uint32_t status)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_SYSTRACE_STOP_RUN, status, 0, 0}, 0, 0};
    ero_call(&d, systrace, &m);
    scen_idle();
}
#endif /* SCEN_H */
