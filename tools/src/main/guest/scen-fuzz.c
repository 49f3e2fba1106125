/* scen-fuzz: proves nothing by itself: it is the guest half of InvocationFuzzTest, which
   shows that random invocation descriptors, words and strings from a ring-3 process end in
   a result code, a process fault or a clean end of the run (never a host exception, a hang
   or an inconsistent kernel). It reads 384 bytes of fuzz input from the 32 number keys of
   the node in register 5 (the test writes them before the run: 12 bytes per slot, words
   1..3 little-endian), then performs up to 7 invocations, one per 52-byte record:
     byte 0      control: bit 0 = sanitize the descriptor (types 0..6, registers 0..31,
                 reserved fields 0, lengths and arena offsets < 4 KiB); bit 1 = w0
                 from a table of real order codes (indexed by w0 & 15); bit 2 = trap with
                 EBP = w3 (a raw descriptor address) instead of the arena copy;
                 bits 3..4 = repeat the record 0..3 more times
     byte 1      where the descriptor goes in the arena (x 16 bytes)
     bytes 2..3  unused
     bytes 4..35 the 32-byte descriptor
     bytes 36..51 w0..w3 (EAX..EDX at the trap)
   The arena (8 KiB + 64, zero) starts with a copy of the input, so sent strings can carry
   fuzz bytes.
   Afterwards the process waits as AVAILABLE. Key registers (scen-fuzz.erosys): 1 console,
   2 systrace, 3 number, 5 the fuzz node, 6 node read-only, 7 node weak, 8 page, 9 discrim,
   10 range, 11/12 start keys to an echo server (badges 1, 2), 13 process key to it,
   14 start key to itself, 15 sleep, 16 sched, 17 checkpoint, 18 segment, 19 number. */
#include "scen.h"

#define FUZZ_NODE 5
#define SCRATCH 30
#define INPUT 384
#define RECORD 52
#define ARENA 8192

static uint8_t in[INPUT];
static uint8_t arena[ARENA + 64] __attribute__((aligned(4096)));

static const uint32_t orders[16] = {
    ERO_OC_GET_TYPE, 0, 1, 2, 3, 4, 5, SCEN_ECHO, ERO_OC_SYSTRACE_STOP_RUN, 6, 7, 8,
    0x80000001u, 0xffffffffu, SCEN_KICK, 99,
};

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) v;
    p[1] = (uint8_t) (v >> 8);
    p[2] = (uint8_t) (v >> 16);
    p[3] = (uint8_t) (v >> 24);
}

static void read_input(void)
{
    for (unsigned s = 0; s < 32; s++) {
        struct ero_desc d = {0};
        struct ero_msg m = {{ERO_OC_NODE_COPY_SLOT, s, 0, 0}, 0, 0};
        ero_rcv_keys(&d, SCRATCH, 0, 0, 0);
        ero_call(&d, FUZZ_NODE, &m);
        for (unsigned w = 1; w <= 3; w++) {
            put32(&in[12 * s + 4 * (w - 1)], scen_number(SCRATCH, w));
        }
    }
    for (unsigned i = 0; i < INPUT; i++) {
        arena[i] = in[i];
    }
}

static void sanitize(uint8_t *d)
{
    d[ERO_DESC_INV_TYPE] %= 7;
    d[ERO_DESC_INV_KEY] &= 31;
    d[ERO_DESC_GATE_KEY] = d[ERO_DESC_INV_TYPE] == ERO_INV_QPOST ? d[ERO_DESC_GATE_KEY] & 31 : 0;
    d[ERO_DESC_RESERVED0] = 0;
    for (unsigned i = 0; i < 4; i++) {
        d[ERO_DESC_SND_KEYS + i] &= 31;
        d[ERO_DESC_RCV_KEYS + i] &= 31;
    }
    /* Offsets and lengths below 4 KiB: strings stay inside the arena but may cross a page. */
    put32(d + ERO_DESC_SND_PTR, (uint32_t) (uintptr_t) arena + (u32(d + ERO_DESC_SND_PTR) & (ARENA / 2 - 1)));
    put32(d + ERO_DESC_SND_LEN, u32(d + ERO_DESC_SND_LEN) & (ARENA / 2 - 1));
    put32(d + ERO_DESC_RCV_PTR, (uint32_t) (uintptr_t) arena + (u32(d + ERO_DESC_RCV_PTR) & (ARENA / 2 - 1)));
    put32(d + ERO_DESC_RCV_LIMIT, u32(d + ERO_DESC_RCV_LIMIT) & (ARENA / 2 - 1));
    put32(d + ERO_DESC_RESERVED1, 0);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    read_input();
    for (unsigned r = 0; r + RECORD <= INPUT; r += RECORD) {
        const uint8_t *rec = &in[r];
        unsigned ctl = rec[0];
        for (unsigned k = 0; k <= ((ctl >> 3) & 3); k++) {
            uint8_t *d = &arena[(rec[1] * 16u) % ARENA];
            for (unsigned i = 0; i < ERO_DESC_SIZE; i++) {
                d[i] = rec[4 + i];
            }
            if (ctl & 1) {
                sanitize(d);
            }
            struct ero_msg m;
            for (unsigned w = 0; w < 4; w++) {
                m.w[w] = u32(&rec[36 + 4 * w]);
            }
            if (ctl & 2) {
                m.w[0] = orders[m.w[0] & 15];
            }
            const struct ero_desc *at = (ctl & 4) ? (const struct ero_desc *) (uintptr_t) m.w[3]
                                                  : (const struct ero_desc *) d;
            ero_invoke(at, &m);
        }
    }
    scen_idle();
}
