/*
 * pmode: protected-mode entry and the descriptor tables. Proves that LGDT/LIDT/LTR and
 * the segment reloads take effect (SGDT/SIDT/STR read them back, the CPU sets the
 * accessed and busy bits in memory), that LAR/LSL/VERR/VERW report descriptors as the
 * architecture says, that segment bases and limits (expand-up and expand-down) apply
 * with #GP(0) on a limit violation, that a 16-bit code segment decodes with 16-bit
 * operands, and that interrupt gates clear IF while trap gates do not.
 */
#include "rt.h"

const char test_name[] = "pmode";

#define SEL_DATA_SMALL ((GDT_FREE + 0) << 3)
#define SEL_DATA_DOWN  ((GDT_FREE + 1) << 3)
#define SEL_CODE16     ((GDT_FREE + 2) << 3)
#define ACC_DATA_DOWN  0x96          /* read/write, expand-down */

extern char fs_load[], code16[], code16_end[];
extern char int30_next[], int31_next[];
extern u32 bx16;
u32 read_fs(u32 offset);
void fs_probe(u32 offset);
u32 call16(const void *far_ptr, u32 eax);
void int30(void);
void int31(void);

static u32 buffer[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };

struct dtr { u16 limit; u32 base; } __attribute__((packed));

static u16 sreg_ds(void) { u16 v; __asm__ volatile("mov %%ds, %0" : "=r"(v)); return v; }
static u16 sreg_cs(void) { u16 v; __asm__ volatile("mov %%cs, %0" : "=r"(v)); return v; }
static u16 sreg_ss(void) { u16 v; __asm__ volatile("mov %%ss, %0" : "=r"(v)); return v; }
static void load_fs(u16 sel) { __asm__ volatile("mov %0, %%fs" : : "r"(sel)); }

/* LAR: the access-rights dword masked to its defined bits, or 0 if the selector is invalid. */
static u32 lar(u16 sel) {
    u32 v = 0;
    u8 ok;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "+r"(v), "=q"(ok) : "r"((u32)sel) : "cc");
    return ok ? (v & 0x00F0FF00) : 0;
}

static u32 lsl(u16 sel) {
    u32 v = 0;
    __asm__ volatile("lsl %1, %0" : "+r"(v) : "r"((u32)sel) : "cc");
    return v;
}

static int verr(u16 sel) {
    u8 ok;
    __asm__ volatile("verr %w1\n\tsetz %0" : "=q"(ok) : "r"(sel) : "cc");
    return ok;
}

static int verw(u16 sel) {
    u8 ok;
    __asm__ volatile("verw %w1\n\tsetz %0" : "=q"(ok) : "r"(sel) : "cc");
    return ok;
}

static void check_tables(void) {
    struct dtr g, i;
    __asm__ volatile("sgdt %0\n\tsidt %1" : "=m"(g), "=m"(i));
    printf("descriptor tables\n");
    check_true("SGDT base is the runtime's GDT", g.base == (u32)gdt);
    check("SGDT limit", g.limit, GDT_ENTRIES * 8 - 1);
    check("SIDT limit", i.limit, 256 * 8 - 1);
    check("CS", sreg_cs(), KCODE);
    check("DS", sreg_ds(), KDATA);
    check("SS", sreg_ss(), KDATA);
    check("TR", str(), TSS_SEL);
    check("TSS descriptor type after LTR (busy)", gdt_access(TSS_SEL), ACC_TSS_BUSY);
    check("DS descriptor accessed bit set by the load", gdt_access(KDATA), ACC_DATA | 1);
    check("unused ring-3 code descriptor not accessed", gdt_access(UCODE), ACC_CODE | ACC_DPL3);
}

static void check_descriptor_instructions(void) {
    printf("LAR, LSL, VERR, VERW\n");
    check("LAR kernel code (accessed bit masked)", lar(KCODE) & ~0x100u, 0x00C09A00);
    /* Hardware sets the accessed bit when the far jump in cpu_init loads CS; QEMU does not. */
    if (strict("accessed bit of the CS descriptor"))
        check("LAR kernel code", lar(KCODE), 0x00C09B00);
    check("LAR kernel data", lar(KDATA), 0x00C09300);
    check("LAR user code", lar(UCODE), 0x00C0FA00);
    check("LAR TSS", lar(TSS_SEL), 0x00008B00);
    check("LAR null selector (ZF=0)", lar(0), 0);
    check("LAR beyond the GDT limit (ZF=0)", lar(GDT_ENTRIES << 3), 0);
    check("LSL kernel data", lsl(KDATA), 0xFFFFFFFF);
    check("LSL TSS", lsl(TSS_SEL), sizeof ktss - 1);
    check("VERR kernel code (readable)", verr(KCODE), 1);
    check("VERW kernel code", verw(KCODE), 0);
    check("VERW kernel data", verw(KDATA), 1);
    check("VERR TSS", verr(TSS_SEL), 0);
}

static void check_segment_limits(void) {
    printf("segment base and limit\n");
    gdt_set(GDT_FREE + 0, (u32)buffer, 0xFFF, ACC_DATA, FLG_DB);
    load_fs(SEL_DATA_SMALL);
    check("FS:4 with base at the buffer", read_fs(4), buffer[1]);
    check("LSL byte-granular 4 KiB segment", lsl(SEL_DATA_SMALL), 0xFFF);
    /* Expand-down with B=1: valid offsets are limit+1 .. 0xFFFFFFFF. */
    gdt_set(GDT_FREE + 1, (u32)buffer - 0x2000, 0xFFF, ACC_DATA_DOWN, FLG_DB);
    load_fs(SEL_DATA_DOWN);
    check("expand-down FS:0x2008", read_fs(0x2008), buffer[2]);
    if (strict("segment limit violations")) {
        load_fs(SEL_DATA_SMALL);
        expect_trap("load at FS:0x1000, beyond the limit", fs_probe, 0x1000, 13, 0, fs_load);
        load_fs(SEL_DATA_SMALL); /* try_resume reloads every data segment with KDATA */
        expect_trap("dword load at FS:0xFFE, straddling the limit", fs_probe, 0xFFE, 13, 0,
                    fs_load);
        load_fs(SEL_DATA_DOWN);
        expect_trap("expand-down load at FS:0x800, below the limit", fs_probe, 0x800, 13, 0,
                    fs_load);
    }
    load_fs(KDATA);
}

static void check_code16(void) {
    struct { u32 offset; u16 selector; } __attribute__((packed)) far = { 0, SEL_CODE16 };
    printf("16-bit code segment\n");
    gdt_set(GDT_FREE + 2, (u32)code16, code16_end - code16 - 1, ACC_CODE, 0);
    check("EAX after INC AX from 0x1234ffff", call16(&far, 0x1234FFFF), 0x12340000);
    check("EBX after MOV BX,0x5678", bx16, 0xAAAA5678);
}

static struct frame gate_frame;
static u32 gate_eflags;

static void record_gate(struct frame *f) {
    gate_frame = *f;
    gate_eflags = read_eflags();
}

static void check_gate(const char *what, u32 vector, void (*probe)(void), const char *next,
                       u32 if_inside) {
    write_eflags(read_eflags() | EFLAGS_IF);
    probe();
    write_eflags(read_eflags() & ~EFLAGS_IF);
    printf("%s\n", what);
    check("vector", gate_frame.vector, vector);
    check("saved CS", gate_frame.cs & 0xFFFF, KCODE);
    check_true("saved EIP is the next instruction", gate_frame.eip == (u32)next);
    check("saved EFLAGS.IF", gate_frame.eflags & EFLAGS_IF, EFLAGS_IF);
    check("EFLAGS.IF in the handler", gate_eflags & EFLAGS_IF, if_inside);
}

static void check_gates(void) {
    pic_mask_all();   /* so that IF=1 lets nothing in */
    set_handler(0x30, record_gate);
    set_handler(0x31, record_gate);
    idt_set(0x31, isr_entry(0x31), ACC_TRAPGATE);
    check_gate("INT 0x30 through an interrupt gate", 0x30, int30, int30_next, 0);
    check_gate("INT 0x31 through a trap gate", 0x31, int31, int31_next, EFLAGS_IF);
}

void test_main(void) {
    cpu_init();
    check_tables();
    check_descriptor_instructions();
    check_segment_limits();
    check_code16();
    check_gates();
}
