/* bench-ipc: the skeleton of the null round-trip benchmark (kernel.md §14, quality.md):
   ROUNDS null CALLs (4 words, no string, no keys) to a server that RETURNs at once
   (echo.S or ping-server.c), timed with RDTSC, minus the cost of the timing itself; the
   cycles per round trip are written to the console ("bench-ipc: N cycles per null
   CALL/RETURN") and the run ends with STOP_RUN status 0.
   Key registers: 1 = console, 2 = start key to the server, 3 = systrace.
   It cannot run yet: the capability kernel's `erosim run` does not exist. For now it only
   has to build; docs/cost-model.md shows the round trip the default cost model predicts
   (about 590 cycles) and which of this loop's instructions it includes. */
#include "erosim.h"

#define CONSOLE_REG 1
#define SERVER_REG 2
#define SYSTRACE_REG 3
#define WARM_UP 64u
/* A power of two: the 64-bit division below then compiles to a shift, since there is no
   libgcc to provide __udivdi3 (the link would fail otherwise). */
#define ROUNDS 1024u

/* Decimal text of v into buf (at least 10 bytes); returns the length. */
static uint32_t format_u32(char *buf, uint32_t v)
{
    char tmp[10];
    uint32_t n = 0;
    do {
        tmp[n++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (uint32_t i = 0; i < n; i++) {
        buf[i] = tmp[n - 1 - i];
    }
    return n;
}

static uint32_t append(char *buf, uint32_t at, const char *s)
{
    while (*s) {
        buf[at++] = *s++;
    }
    return at;
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    /* One descriptor for every round: CALL on SERVER_REG, nothing sent but the 4 words,
       nothing received but the 4 words (the resume key the kernel fabricates goes to the
       server only). */
    static struct ero_desc d;
    static struct ero_msg m;

    for (uint32_t i = 0; i < WARM_UP; i++) {
        ero_msg_set(&m, 0, 0, 0, 0);
        ero_call(&d, SERVER_REG, &m);
    }

    /* What two back-to-back RDTSCs cost, subtracted from the measurement. */
    uint64_t t0 = ero_rdtsc();
    uint64_t t1 = ero_rdtsc();
    uint64_t overhead = t1 - t0;

    t0 = ero_rdtsc();
    for (uint32_t i = 0; i < ROUNDS; i++) {
        m.w[0] = 0;              /* order 0; w1..w3 go as they came back */
        ero_call(&d, SERVER_REG, &m);
    }
    t1 = ero_rdtsc();
    uint32_t per_round = (uint32_t) ((t1 - t0 - overhead) / ROUNDS);

    char line[64];
    uint32_t n = append(line, 0, "bench-ipc: ");
    n += format_u32(line + n, per_round);
    n = append(line, n, " cycles per null CALL/RETURN\n");
    ero_console_write(CONSOLE_REG, line, n);

    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, 0, 0, 0);
    ero_call(&d, SYSTRACE_REG, &m);
    for (;;) {
        ero_return(&d, 0, &m);
    }
}
