/*
 * smc: self-modifying code. Code that has already run (and may be cached in decoded
 * form) is rewritten in several ways and must execute as rewritten: a routine patched
 * between calls, an instruction patched by the instruction just before it, a loop body
 * patched on every iteration, code copied in with REP MOVSB, an instruction whose bytes
 * straddle two pages patched in the second page, and code written through one virtual
 * alias of a physical page and executed through another.
 */
#include "rt.h"

const char test_name[] = "smc";

#define EXEC_VA  0x40000000u
#define WRITE_VA 0x40001000u

u32 patch_next(u32 v);
u32 patch_loop(u32 n);

static u8 code[2][4096] __attribute__((aligned(4096)));
typedef u32 (*code_fn)(void);

/* MOV EAX, imm32; RET at p. */
static void emit_return(u8 *p, u32 imm) {
    p[0] = 0xB8;
    memcpy(p + 1, &imm, 4);
    p[5] = 0xC3;
}

static void patch_between_calls(void) {
    code_fn fn = (code_fn)code[0];
    u32 sum = 0, want = 0;
    emit_return(code[0], 0);
    for (u32 i = 1; i <= 1000; i++) {
        sum += fn();
        memcpy(code[0] + 1, &i, 4);
        want += i - 1;
    }
    check_u("MOV EAX,imm patched between 1000 calls: sum of results", sum, want);
}

static void patch_inline(void) {
    u32 sum = 0;
    for (u32 i = 1; i <= 100; i++)
        sum += patch_next(i * 0x01010101);
    check("next instruction patched by the one before, 100 times: sum", sum,
          5050u * 0x01010101u);
    check_u("loop body patched on every iteration: sum of 0..999", patch_loop(1000), 499500);
}

static void copied_in(void) {
    static const u8 add_ret[] = { 0x8D, 0x44, 0x24, 0x04,   /* LEA EAX,[ESP+4] */
                                  0x8B, 0x00,               /* MOV EAX,[EAX] */
                                  0x83, 0xC0, 0x05,         /* ADD EAX,5 */
                                  0xC3 };                   /* RET */
    emit_return(code[0], 1);
    ((code_fn)code[0])();
    memcpy(code[0], add_ret, sizeof add_ret);   /* REP MOVSB over code that has run */
    check_u("code replaced by REP MOVSB (argument + 5)", ((u32 (*)(u32))code[0])(37), 42);
}

static void straddling(void) {
    u8 *insn = code[0] + 0xFFE;   /* B8 at 0xFFE, immediate 0xFFF..0x1002, C3 at 0x1003 */
    emit_return(insn, 0x44332211);
    check("MOV straddling two pages", ((code_fn)insn)(), 0x44332211);
    insn[3] = 0x99;               /* byte 0x1001: in the second page */
    check("after patching its byte in the second page", ((code_fn)insn)(), 0x44992211);
}

static void aliases(void) {
    paging_init(PTE_P | PTE_W);
    paging_enable(0);
    map_page(EXEC_VA, (u32)code[1], PTE_P | PTE_W);
    map_page(WRITE_VA, (u32)code[1], PTE_P | PTE_W);
    code_fn fn = (code_fn)EXEC_VA;
    emit_return((u8 *)WRITE_VA, 0xAAAA0001);
    check("code written through one alias, run through another", fn(), 0xAAAA0001);
    emit_return((u8 *)WRITE_VA, 0xAAAA0002);
    check("rewritten through the alias after it ran", fn(), 0xAAAA0002);
}

void test_main(void) {
    cpu_init();
    patch_between_calls();
    patch_inline();
    copied_in();
    straddling();
    aliases();
}
