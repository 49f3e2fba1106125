/*
 * Descriptor tables and the C side of interrupt handling.
 *
 * cpu_init() loads a GDT (flat ring-0 and ring-3 code and data, and one TSS whose I/O
 * bitmap denies every port until io_allow), reloads every segment register, loads TR,
 * and points all 256 IDT vectors at the stubs in trap.S through ring-0 interrupt gates
 * (VEC_EXIT is reachable from ring 3 and virtual-8086 mode).
 */
#include "rt.h"

u32 gdt[GDT_ENTRIES][2] __attribute__((aligned(8)));
static u32 idt[256][2] __attribute__((aligned(8)));
struct kernel_tss ktss __attribute__((aligned(128)));
static u8 kernel_stack[16384] __attribute__((aligned(16)));
static isr_t handlers[256];
struct trap last_trap;
extern u32 try_esp;
extern char isr_stubs[], try_resume[];

void gdt_set(int index, u32 base, u32 limit, u8 access, u8 flags) {
    gdt[index][0] = (limit & 0xFFFF) | (base << 16);
    gdt[index][1] = ((base >> 16) & 0xFF) | ((u32)access << 8) | (limit & 0xF0000)
                    | ((u32)(flags & 0xF) << 20) | (base & 0xFF000000);
}

void gdt_set_gate(int index, u16 selector, u32 offset, u8 access, u8 params) {
    gdt[index][0] = (offset & 0xFFFF) | ((u32)selector << 16);
    gdt[index][1] = (offset & 0xFFFF0000) | ((u32)access << 8) | (params & 0x1F);
}

u8 gdt_access(u16 selector) {
    return (u8)(gdt[selector >> 3][1] >> 8);
}

void idt_set_gate(int vector, u16 selector, u32 offset, u8 access) {
    idt[vector][0] = (offset & 0xFFFF) | ((u32)selector << 16);
    idt[vector][1] = (offset & 0xFFFF0000) | ((u32)access << 8);
}

void idt_set(int vector, void (*entry)(void), u8 access) {
    idt_set_gate(vector, KCODE, (u32)entry, access);
}

void *isr_entry(int vector) {
    return isr_stubs + 16 * vector;
}

void set_handler(int vector, isr_t handler) {
    handlers[vector] = handler;
}

/* Lets ring 3 and virtual-8086 mode use the port regardless of IOPL. */
void io_allow(u16 port) {
    ktss.iomap[port >> 3] &= (u8)~(1u << (port & 7));
}

/* Masks every IRQ at both PICs (the BIOS may have left the timer running at vector 8). */
void pic_mask_all(void) {
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
}

static void load_tables(void) {
    struct { u16 limit; u32 base; } __attribute__((packed)) gdtr, idtr;
    gdtr.limit = sizeof gdt - 1;
    gdtr.base = (u32)gdt;
    idtr.limit = sizeof idt - 1;
    idtr.base = (u32)idt;
    __asm__ volatile(
        "lgdt %0\n\t"
        "lidt %1\n\t"
        "ljmp %2, $1f\n"
        "1:\tmovw %w3, %%ds\n\t"
        "movw %w3, %%es\n\t"
        "movw %w3, %%fs\n\t"
        "movw %w3, %%gs\n\t"
        "movw %w3, %%ss\n\t"
        "ltr %w4"
        : : "m"(gdtr), "m"(idtr), "i"(KCODE), "r"(KDATA), "r"(TSS_SEL) : "memory");
}

void cpu_init(void) {
    gdt_set(KCODE >> 3, 0, 0xFFFFF, ACC_CODE, FLG_G | FLG_DB);
    gdt_set(KDATA >> 3, 0, 0xFFFFF, ACC_DATA, FLG_G | FLG_DB);
    gdt_set(UCODE >> 3, 0, 0xFFFFF, ACC_CODE | ACC_DPL3, FLG_G | FLG_DB);
    gdt_set(UDATA >> 3, 0, 0xFFFFF, ACC_DATA | ACC_DPL3, FLG_G | FLG_DB);
    gdt_set(TSS_SEL >> 3, (u32)&ktss, sizeof ktss - 1, ACC_TSS, 0);
    ktss.tss.ss0 = KDATA;
    ktss.tss.esp0 = (u32)(kernel_stack + sizeof kernel_stack);
    ktss.tss.iomap_base = sizeof(struct tss);
    memset(ktss.iomap, 0xFF, sizeof ktss.iomap);
    for (int v = 0; v < 256; v++)
        idt_set(v, isr_entry(v), ACC_INTGATE);
    idt_set(VEC_EXIT, isr_entry(VEC_EXIT), ACC_INTGATE | ACC_DPL3);
    load_tables();
}

static void print_frame(const struct frame *f) {
    printf("  vector %u error %x at %x:%x eflags %x\n",
           f->vector, f->error, f->cs & 0xFFFF, f->eip, f->eflags);
    printf("  eax %x ebx %x ecx %x edx %x esi %x edi %x ebp %x\n",
           f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi, f->ebp);
}

/* Rewrites the frame so that IRET resumes in try_call, which returns the vector. */
void unwind(struct frame *f) {
    last_trap.vector = f->vector;
    last_trap.error = f->error;
    last_trap.eip = f->eip;
    last_trap.cs = f->cs & 0xFFFF;
    f->eip = (u32)try_resume;
    f->cs = KCODE;
    f->eflags = 0x2;
    f->ds = f->es = f->fs = f->gs = KDATA;
}

void isr_dispatch(struct frame *f) {
    u32 cr2 = read_cr2();
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (try_esp && (f->vector < 32 || f->vector == VEC_EXIT)) {
        last_trap.cr2 = cr2;
        unwind(f);
        return;
    }
    printf("unexpected interrupt (cr2 %x)\n", cr2);
    print_frame(f);
    fail("unexpected vector %u", f->vector);
}

static void enter_user(u32 frame) {
    iret_to((const u32 *)frame, 5, UDATA);
}

/* Runs entry in ring 3 until it executes INT VEC_EXIT or faults; returns the vector. */
u32 run_user(void (*entry)(void), void *stack_top, u32 eflags) {
    u32 frame[5] = { (u32)entry, UCODE, eflags, (u32)stack_top, UDATA };
    return try_call(enter_user, (u32)frame);
}

static void enter_v86(u32 frame) {
    iret_to((const u32 *)frame, 9, KDATA);
}

/* Runs real-mode code in virtual-8086 mode until something unwinds it; returns the vector. */
u32 run_v86(u16 cs, u16 ip, u16 ss, u16 sp, u16 ds, u32 eflags) {
    u32 frame[9] = { ip, cs, eflags | EFLAGS_VM, sp, ss, ds, ds, ds, ds };
    return try_call(enter_v86, (u32)frame);
}
