/*
 * bcd: the decimal-adjust instructions DAA, DAS, AAA, AAS, AAM and AAD. Worked examples
 * from the Intel SDM are checked first, then every input (AL with each AF/CF, AH where it
 * matters, AAM/AAD with bases 10 and 16) is compared with the SDM pseudo-code. Only the
 * flags the SDM defines for each instruction are compared. AAM 0 must raise #DE.
 */
#include "rt.h"

const char test_name[] = "bcd";

#define ARITH (EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF)
#define SZP   (EFLAGS_SF | EFLAGS_ZF | EFLAGS_PF)

struct result { u32 ax, flags; };

/* Runs one adjust instruction on AX with the given input flags. */
#define ADJUST(name, insn)                                                          \
    static struct result name(u32 ax, u32 flags) {                                  \
        struct result r;                                                            \
        __asm__ volatile("pushl %2\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %1"      \
                         : "=a"(r.ax), "=r"(r.flags) : "r"(flags | 0x2), "0"(ax)    \
                         : "cc");                                                   \
        r.ax &= 0xFFFF;                                                             \
        r.flags &= ARITH;                                                           \
        return r;                                                                   \
    }
ADJUST(daa, "daa")
ADJUST(das, "das")
ADJUST(aaa, "aaa")
ADJUST(aas, "aas")
ADJUST(aam10, "aam")
ADJUST(aam16, ".byte 0xD4, 0x10")
ADJUST(aad10, "aad")
ADJUST(aad16, ".byte 0xD5, 0x10")

static u32 szp(u32 al) {
    u32 bits = al ^ (al >> 4);
    bits ^= bits >> 2;
    bits ^= bits >> 1;
    return (al == 0 ? EFLAGS_ZF : 0) | (al & 0x80 ? EFLAGS_SF : 0) | (bits & 1 ? 0 : EFLAGS_PF);
}

/* The SDM pseudo-code, returning AX and the defined flags. */
static struct result model_daa(u32 ax, u32 flags) {
    u32 al = ax & 0xFF, old_al = al, old_cf = flags & EFLAGS_CF, out = 0;
    if ((al & 0xF) > 9 || (flags & EFLAGS_AF)) {
        al = (al + 6) & 0xFF;
        out |= EFLAGS_AF;
    }
    if (old_al > 0x99 || old_cf) {
        al = (al + 0x60) & 0xFF;
        out |= EFLAGS_CF;
    }
    return (struct result){ (ax & 0xFF00) | al, out | szp(al) };
}

static struct result model_das(u32 ax, u32 flags) {
    u32 al = ax & 0xFF, old_al = al, old_cf = flags & EFLAGS_CF, out = 0;
    if ((al & 0xF) > 9 || (flags & EFLAGS_AF)) {
        if (al < 6 || old_cf)
            out |= EFLAGS_CF;
        al = (al - 6) & 0xFF;
        out |= EFLAGS_AF;
    }
    if (old_al > 0x99 || old_cf) {
        al = (al - 0x60) & 0xFF;
        out |= EFLAGS_CF;
    }
    return (struct result){ (ax & 0xFF00) | al, out | szp(al) };
}

static struct result model_aaa(u32 ax, u32 flags) {
    if ((ax & 0xF) > 9 || (flags & EFLAGS_AF))
        return (struct result){ ((ax + 0x106) & 0xFF00) | ((ax + 0x106) & 0x0F),
                                EFLAGS_AF | EFLAGS_CF };
    return (struct result){ ax & 0xFF0F, 0 };
}

static struct result model_aas(u32 ax, u32 flags) {
    if ((ax & 0xF) > 9 || (flags & EFLAGS_AF)) {
        u32 v = ax - 6 - 0x100;
        return (struct result){ (v & 0xFF00) | (v & 0x0F), EFLAGS_AF | EFLAGS_CF };
    }
    return (struct result){ ax & 0xFF0F, 0 };
}

static struct result model_aam(u32 ax, u32 base) {
    u32 al = ax & 0xFF;
    return (struct result){ ((al / base) << 8) | (al % base), szp(al % base) };
}

static struct result model_aad(u32 ax, u32 base) {
    u32 al = ((ax & 0xFF) + (ax >> 8) * base) & 0xFF;
    return (struct result){ al, szp(al) };
}

static void example(const char *what, struct result r, u32 ax, u32 flags, u32 mask) {
    printf("  %s: AX %04x flags %x\n", what, r.ax, r.flags & mask);
    if (r.ax != ax || (r.flags & mask) != flags)
        fail("%s: AX %x flags %x, expected AX %x flags %x", what, r.ax, r.flags & mask, ax,
             flags);
}

static void examples(void) {
    printf("SDM examples\n");
    example("0x79 + 0x35 = 0xae, DAA", daa(0xAE, 0), 0x14,
            EFLAGS_CF | EFLAGS_AF, EFLAGS_CF | EFLAGS_AF);
    example("0x35 - 0x47 = 0xee (CF AF), DAS", das(0xEE, EFLAGS_CF | EFLAGS_AF), 0x88,
            EFLAGS_CF | EFLAGS_AF | EFLAGS_SF | EFLAGS_PF, ARITH & ~EFLAGS_OF);
    example("8 + 9 = 0x11 (AF), AAA", aaa(0x11, EFLAGS_AF), 0x0107,
            EFLAGS_CF | EFLAGS_AF, EFLAGS_CF | EFLAGS_AF);
    example("2 - 5 = 0xfd (CF AF), AAS", aas(0xFD, EFLAGS_CF | EFLAGS_AF), 0xFF07,
            EFLAGS_CF | EFLAGS_AF, EFLAGS_CF | EFLAGS_AF);
    example("7 * 9 = 0x3f, AAM", aam10(0x3F, 0), 0x0603, EFLAGS_PF, SZP);
    example("AX 0x0607, AAD", aad10(0x0607, 0), 0x0043, 0, SZP);
    example("0x3f, AAM 16", aam16(0x3F, 0), 0x030F, EFLAGS_PF, SZP);
}

typedef struct result (*insn_fn)(u32 ax, u32 flags);

static void sweep(const char *what, insn_fn insn, struct result (*model)(u32, u32),
                  u32 mask, const u32 *ahs, u32 nah) {
    u32 cases = 0;
    for (u32 h = 0; h < nah; h++)
        for (u32 al = 0; al < 256; al++)
            for (u32 flags = 0; flags < 4; flags++) {
                u32 in = (flags & 1 ? EFLAGS_CF : 0) | (flags & 2 ? EFLAGS_AF : 0);
                u32 ax = ahs[h] << 8 | al;
                struct result got = insn(ax, in), want = model(ax, in);
                if (got.ax != want.ax || (got.flags & mask) != want.flags)
                    fail("%s of AX %x with CF/AF %x: AX %x flags %x, expected AX %x flags %x",
                         what, ax, in, got.ax, got.flags & mask, want.ax, want.flags);
                cases++;
            }
    printf("  %s: %u cases match\n", what, cases);
}

static void sweep_base(const char *what, insn_fn insn, struct result (*model)(u32, u32),
                       u32 base, u32 ah_max) {
    u32 cases = 0;
    for (u32 ax = 0; ax <= (ah_max << 8 | 0xFF); ax++) {
        struct result got = insn(ax, 0), want = model(ax, base);
        if (got.ax != want.ax || (got.flags & SZP) != want.flags)
            fail("%s of AX %x: AX %x flags %x, expected AX %x flags %x", what, ax, got.ax,
                 got.flags & SZP, want.ax, want.flags);
        cases++;
    }
    printf("  %s: %u cases match\n", what, cases);
}

static void aam_zero(u32 unused) {
    (void)unused;
    __asm__ volatile(".byte 0xD4, 0x00" : : : "eax", "cc");
}

void test_main(void) {
    static const u32 ah_zero[] = { 0x00 }, ah_edges[] = { 0x00, 0x12, 0xFF };
    cpu_init();
    examples();
    printf("every input against the SDM pseudo-code\n");
    sweep("DAA (AL, CF, AF)", daa, model_daa, ARITH & ~EFLAGS_OF, ah_zero, 1);
    sweep("DAS (AL, CF, AF)", das, model_das, ARITH & ~EFLAGS_OF, ah_zero, 1);
    sweep("AAA (AL, CF, AF; AH 0, 0x12, 0xff)", aaa, model_aaa, EFLAGS_CF | EFLAGS_AF,
          ah_edges, 3);
    sweep("AAS (AL, CF, AF; AH 0, 0x12, 0xff)", aas, model_aas, EFLAGS_CF | EFLAGS_AF,
          ah_edges, 3);
    sweep_base("AAM 10", aam10, model_aam, 10, 0);
    sweep_base("AAM 16", aam16, model_aam, 16, 0);
    sweep_base("AAD 10 (AL, AH)", aad10, model_aad, 10, 0xFF);
    sweep_base("AAD 16 (AL, AH)", aad16, model_aad, 16, 0xFF);
    expect_trap("AAM 0", aam_zero, 0, 0, 0, 0);
}
