/*
 * strings: string instructions with REP across page boundaries, with paging on and
 * virtually contiguous windows backed by scattered physical frames. MOVS (both
 * directions), STOS, SCAS, CMPS, LODS and OUTS must translate each element's address
 * separately and leave ECX/ESI/EDI exactly as the architecture says. A REP MOVSB that
 * reaches a not-present page must fault with ECX/ESI/EDI describing the elements already
 * done, and restart from there once the page is mapped.
 */
#include "rt.h"

const char test_name[] = "strings";

#define SRC  0x40000000u   /* 2 pages */
#define DST  0x40010000u   /* 2 pages */
#define LAZY 0x40020000u   /* 2 pages, the second mapped by the #PF handler */

static u8 frames[6][4096] __attribute__((aligned(4096)));

struct regs { u32 ecx, esi, edi; };

static void map_windows(void) {
    map_page(SRC, (u32)frames[3], PTE_P | PTE_W);
    map_page(SRC + 0x1000, (u32)frames[0], PTE_P | PTE_W);
    map_page(DST, (u32)frames[4], PTE_P | PTE_W);
    map_page(DST + 0x1000, (u32)frames[1], PTE_P | PTE_W);
    map_page(LAZY, (u32)frames[2], PTE_P | PTE_W);
}

/* The byte at a window address, read through the identity-mapped frame behind it. */
static u8 phys_byte(u32 va) {
    return *(u8 *)((*pte_of(va) & ~0xFFFu) + (va & 0xFFF));
}

static u8 pattern(u32 i) { return (u8)(i * 7 + 3); }

static void fill_source(void) {
    for (u32 i = 0; i < 0x2000; i++)
        *(u8 *)(SRC + i) = pattern(i);
}

/* Compares n bytes at dst (through the frames) with the source pattern from offset src. */
static void check_copy(const char *what, u32 dst, u32 src_offset, u32 n) {
    for (u32 i = 0; i < n; i++)
        if (phys_byte(dst + i) != pattern(src_offset + i))
            fail("%s: byte %u is %x, expected %x", what, i, phys_byte(dst + i),
                 pattern(src_offset + i));
    printf("  %s: %u bytes right in both frames\n", what, n);
}

static struct regs rep_movsb(u32 dst, u32 src, u32 n) {
    struct regs r = { n, src, dst };
    __asm__ volatile("rep movsb" : "+c"(r.ecx), "+S"(r.esi), "+D"(r.edi) : : "memory");
    return r;
}

static void movs(void) {
    printf("REP MOVSB forwards, both sides crossing a page\n");
    struct regs r = rep_movsb(DST + 0xFF8, SRC + 0xFF0, 64);
    check_copy("copy", DST + 0xFF8, 0xFF0, 64);
    check_u("ECX", r.ecx, 0);
    check_u("ESI - source", r.esi - (SRC + 0xFF0), 64);
    check_u("EDI - destination", r.edi - (DST + 0xFF8), 64);

    printf("REP MOVSD backwards (DF=1)\n");
    r = (struct regs){ 32, SRC + 0x1040 - 4, DST + 0x1020 - 4 };
    __asm__ volatile("std\n\trep movsl\n\tcld"
                     : "+c"(r.ecx), "+S"(r.esi), "+D"(r.edi) : : "memory", "cc");
    check_copy("copy", DST + 0x1020 - 128, 0x1040 - 128, 128);
    check_u("lowest source dword - ESI", (SRC + 0x1040 - 128) - r.esi, 4);
    check_u("lowest destination dword - EDI", (DST + 0x1020 - 128) - r.edi, 4);

    printf("REP MOVSB with ECX=0\n");
    r = rep_movsb(DST, SRC, 0);
    check_u("ESI - source", r.esi - SRC, 0);
}

static void stos_lods(void) {
    printf("REP STOSD across a page\n");
    u32 edi = DST + 0xFE0, ecx = 16;
    __asm__ volatile("rep stosl" : "+c"(ecx), "+D"(edi) : "a"(0xDEADBEEF) : "memory");
    for (u32 i = 0; i < 64; i++)
        if (phys_byte(DST + 0xFE0 + i) != ((0xDEADBEEFu >> (8 * (i & 3))) & 0xFF))
            fail("STOSD byte %u is %x", i, phys_byte(DST + 0xFE0 + i));
    check_u("EDI - destination", edi - (DST + 0xFE0), 64);
    printf("LODSD straddling a page\n");
    u32 esi = SRC + 0xFFE, eax;
    __asm__ volatile("lodsl" : "=a"(eax), "+S"(esi));
    check("EAX", eax, pattern(0xFFE) | pattern(0xFFF) << 8 | pattern(0x1000) << 16
                      | (u32)pattern(0x1001) << 24);
}

static void scas_cmps(void) {
    printf("REPNE SCASB finding a byte past the page boundary\n");
    *(u8 *)(SRC + 0x1010) = 0xEE;
    for (u32 i = 0xF00; i < 0x1010; i++)
        if (*(u8 *)(SRC + i) == 0xEE)
            *(u8 *)(SRC + i) = 0;
    u32 edi = SRC + 0xF00, ecx = 0x200;
    __asm__ volatile("repne scasb" : "+c"(ecx), "+D"(edi) : "a"(0xEE) : "cc");
    check_u("EDI - start (one past the match)", edi - (SRC + 0xF00), 0x111);
    check_u("ECX", ecx, 0x200 - 0x111);

    printf("REPE CMPSB finding a difference past the page boundary\n");
    rep_movsb(DST + 0xF00, SRC + 0xF00, 0x200);
    *(u8 *)(DST + 0x1020) ^= 0xFF;
    struct regs r = { 0x200, SRC + 0xF00, DST + 0xF00 };
    __asm__ volatile("repe cmpsb" : "+c"(r.ecx), "+S"(r.esi), "+D"(r.edi) : : "cc");
    check_u("ESI - start (one past the difference)", r.esi - (SRC + 0xF00), 0x121);
    check_u("EDI - start", r.edi - (DST + 0xF00), 0x121);
    check_u("ECX", r.ecx, 0x200 - 0x121);
}

static void outs(void) {
    static const char line[] = "REP OUTSB ok\n";
    u32 n = sizeof line - 1;
    u32 start = SRC + 0x1000 - 5;
    memcpy((void *)start, line, n);
    printf("REP OUTSB to COM1 from a string straddling a page:\n");
    u32 esi = start, ecx = n;
    __asm__ volatile("rep outsb" : "+c"(ecx), "+S"(esi) : "d"(0x3F8) : "memory");
    check_u("ESI - start", esi - start, n);
}

static struct regs at_fault;
static u32 fault_count, fault_cr2, fault_error;

static void on_page_fault(struct frame *f) {
    fault_count++;
    fault_cr2 = read_cr2();
    fault_error = f->error;
    at_fault = (struct regs){ f->ecx, f->esi, f->edi };
    map_page(fault_cr2, (u32)frames[5], PTE_P | PTE_W);
}

static void restart(void) {
    printf("REP MOVSB into a not-present page, resumed by the #PF handler\n");
    set_handler(14, on_page_fault);
    struct regs r = rep_movsb(LAZY + 0xFF0, SRC + 0x100, 64);
    check_u("page faults", fault_count, 1);
    check("error code", fault_error, 0x2);
    check_u("CR2 - destination", fault_cr2 - (LAZY + 0xFF0), 16);
    check_u("ECX at the fault", at_fault.ecx, 48);
    check_u("ESI at the fault - source", at_fault.esi - (SRC + 0x100), 16);
    check_u("EDI at the fault - destination", at_fault.edi - (LAZY + 0xFF0), 16);
    check_u("ECX after the restart", r.ecx, 0);
    check_copy("copy", LAZY + 0xFF0, 0x100, 64);
}

void test_main(void) {
    cpu_init();
    paging_init(PTE_P | PTE_W);
    paging_enable(0);
    map_windows();
    fill_source();
    movs();
    stos_lods();
    scas_cmps();
    outs();
    restart();
}
