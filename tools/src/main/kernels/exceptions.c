/*
 * exceptions: every exception a 486-class CPU without an FPU can raise, each provoked
 * once, with its vector, its error code (selector-format codes included) and the EIP
 * the CPU saved: the faulting instruction for faults, the next one for traps. Also the
 * double fault raised when delivering one contributory exception causes another.
 * Vectors 9 and 15 are reserved; 16 (#MF), 18 (#MC) and 19 (#XM) need an FPU, machine
 * check or SSE, which this board does not have.
 */
#include "rt.h"

const char test_name[] = "exceptions";

#define SEL_NOT_PRESENT ((GDT_FREE + 0) << 3)   /* data, P=0 */
#define SEL_READ_ONLY   ((GDT_FREE + 1) << 3)   /* data, read-only */
#define SEL_SHORT_TSS   ((GDT_FREE + 2) << 3)   /* TSS with a limit below 0x67 */
#define SEL_SMALL_STACK ((GDT_FREE + 3) << 3)   /* data, limit 2 MiB - 1 */
#define UNMAPPED        0x40000000u
#define NOT_PRESENT(acc) ((acc) & 0x7F)            /* clear the P bit */

#define PROBE(name) void name(u32); extern char name##_at[]
PROBE(divide_by_zero); PROBE(divide_overflow); PROBE(single_step); PROBE(int2);
PROBE(breakpoint); PROBE(overflow); PROBE(no_overflow); PROBE(bound_range);
PROBE(invalid_opcode); PROBE(lock_register); PROBE(escape); PROBE(fwait);
PROBE(load_ds); PROBE(load_ss); PROBE(far_jump); PROBE(software_int); PROBE(write_cs);
PROBE(read); PROBE(stack_read);
void user_misaligned(void);
extern char user_misaligned_at[];

static u32 read_dr6(void) { u32 v; __asm__ volatile("mov %%dr6, %0" : "=r"(v)); return v; }
static void write_dr6(u32 v) { __asm__ volatile("mov %0, %%dr6" : : "r"(v)); }

static void arithmetic(void) {
    printf("arithmetic and software traps\n");
    expect_trap("#DE divide by zero", divide_by_zero, 0, 0, 0, divide_by_zero_at);
    expect_trap("#DE quotient overflow", divide_overflow, 0, 0, 0, divide_overflow_at);
    expect_trap("vector 2 by INT 2", int2, 0, 2, 0, int2_at);
    expect_trap("#BP by INT3", breakpoint, 0, 3, 0, breakpoint_at);
    expect_trap("#OF by INTO with OF=1", overflow, 0, 4, 0, overflow_at);
    check("INTO with OF=0 (no exception)", try_call(no_overflow, 0), 0xFFFFFFFF);
    expect_trap("#BR by BOUND", bound_range, 0, 5, 0, bound_range_at);
}

static void debug_trap(void) {
    printf("single step\n");
    write_dr6(0);
    expect_trap("#DB after one instruction with TF=1", single_step, 0, 1, 0, single_step_at);
    check("DR6.BS", read_dr6() & 0x4000, 0x4000);
}

static void opcodes(void) {
    printf("invalid and unavailable opcodes\n");
    expect_trap("#UD by UD2", invalid_opcode, 0, 6, 0, invalid_opcode_at);
    expect_trap("#UD by LOCK ADD reg,reg", lock_register, 0, 6, 0, lock_register_at);
    u32 cr0 = read_cr0();
    write_cr0(cr0 | CR0_EM);
    expect_trap("#NM by FNINIT with CR0.EM=1", escape, 0, 7, 0, escape_at);
    write_cr0((cr0 & ~CR0_EM) | CR0_MP | CR0_TS);
    expect_trap("#NM by FWAIT with CR0.MP=1 TS=1", fwait, 0, 7, 0, fwait_at);
    write_cr0(cr0);
}

static void segments(void) {
    printf("segment and gate faults\n");
    gdt_set(GDT_FREE + 0, 0, 0xFFFFF, NOT_PRESENT(ACC_DATA), FLG_G | FLG_DB);
    gdt_set(GDT_FREE + 1, 0, 0xFFFFF, ACC_DATA & ~0x02, FLG_G | FLG_DB);   /* not writable */
    gdt_set(GDT_FREE + 2, 0, 0x20, ACC_TSS, 0);
    expect_trap("#NP loading DS with a not-present segment", load_ds, SEL_NOT_PRESENT, 11,
                SEL_NOT_PRESENT, load_ds_at);
    expect_trap("#SS loading SS with a not-present segment", load_ss, SEL_NOT_PRESENT, 12,
                SEL_NOT_PRESENT, load_ss_at);
    expect_trap("#GP loading SS with a read-only segment", load_ss, SEL_READ_ONLY, 13,
                SEL_READ_ONLY, load_ss_at);
    expect_trap("#GP loading DS beyond the GDT limit", load_ds, GDT_ENTRIES << 3, 13,
                GDT_ENTRIES << 3, load_ds_at);
    expect_trap("#GP loading DS with the TSS", load_ds, TSS_SEL, 13, TSS_SEL, load_ds_at);
    expect_trap("#GP jumping to a data segment", far_jump, KDATA, 13, KDATA, far_jump_at);
    expect_trap("#TS jumping to a TSS shorter than 0x67", far_jump, SEL_SHORT_TSS, 10,
                SEL_SHORT_TSS, far_jump_at);
    idt_set(0x40, isr_entry(0x40), NOT_PRESENT(ACC_INTGATE));
    expect_trap("#NP by INT 0x40 through a not-present gate", software_int, 0, 11,
                0x40 * 8 + 2, software_int_at);
}

/* Checks QEMU's TCG does not make: segment type and limit on ordinary accesses. */
static void segment_accesses(void) {
    static u32 scratch;
    if (!strict("writes through CS and stack limits"))
        return;
    expect_trap("#GP writing through a CS override", write_cs, (u32)&scratch, 13, 0,
                write_cs_at);
    gdt_set(GDT_FREE + 3, 0, 0x1FF, ACC_DATA, FLG_G | FLG_DB);
    __asm__ volatile("mov %0, %%ss" : : "r"(SEL_SMALL_STACK));
    expect_trap("#SS(0) reading beyond the SS limit", stack_read, 0x300000, 12, 0,
                stack_read_at);
}

/* Delivering #DE through a not-present gate raises #NP, a second contributory fault. */
static void double_fault(void) {
    printf("double fault\n");
    idt_set(0, isr_entry(0), NOT_PRESENT(ACC_INTGATE));
    expect_trap("#DF by #DE through a not-present gate", divide_by_zero, 0, 8, 0, 0);
    idt_set(0, isr_entry(0), ACC_INTGATE);
}

/* #AC needs CPL 3, CR0.AM and EFLAGS.AC; QEMU's TCG does not check alignment. */
static void alignment_check(void) {
    static u32 user_stack[256];
    printf("alignment check\n");
    if (!strict("#AC"))
        return;
    write_cr0(read_cr0() | CR0_AM);
    check_trap("#AC by a misaligned ring-3 load (AM=1, AC=1)",
               run_user(user_misaligned, user_stack + 256, 0x2 | EFLAGS_AC), 17, 0,
               user_misaligned_at);
    check("  saved CS", last_trap.cs, UCODE);
}

static void page_fault(void) {
    printf("page fault\n");
    paging_init(PTE_P | PTE_W);
    paging_enable(0);
    expect_trap("#PF reading a not-present page", read, UNMAPPED, 14, 0, read_at);
    check("CR2", last_trap.cr2, UNMAPPED);
}

void test_main(void) {
    cpu_init();
    arithmetic();
    debug_trap();
    opcodes();
    segments();
    segment_accesses();
    double_fault();
    alignment_check();
    page_fault();
}
