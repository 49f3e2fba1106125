/*
 * v86: virtual-8086 mode. IRET with EFLAGS.VM=1 must enter V86 mode with real-mode
 * address translation (segment * 16 + offset, reaching past 1 MiB at FFFF:0010). With
 * IOPL 0, CLI, PUSHF, INT n and HLT must raise #GP(0) to the ring-0 monitor, with a frame
 * holding the V86 SS:SP, EFLAGS.VM and ES/DS/FS/GS, and the segment registers zeroed on
 * entry; port I/O must follow the TSS I/O bitmap instead of IOPL. With IOPL 3, CLI/STI/
 * PUSHF run directly and INT n goes through the IDT to ring 0 and IRETs back.
 */
#include "rt.h"

const char test_name[] = "v86";

#define CODE_SEG 0x0800
#define DATA_SEG 0x0900
#define STACK_TOP 0x1000
#define DATA(off) (*(volatile u16 *)((DATA_SEG << 4) + (off)))

extern char v86_code[], v86_code_end[];
extern char v86_iopl0[], v86_iopl3[];
extern char v86_cli_at[], v86_pushf_at[], v86_int21_at[], v86_out80_at[], v86_hlt_at[];

struct trap_seen { u32 ip, error, eflags, opcode; };
static struct trap_seen gp_seen[5];
static int gp_count;
static struct frame first_frame, int31_frame;
static u32 first_frame_end;

static u8 opcode_at(const struct frame *f) {
    return *(u8 *)(((f->cs & 0xFFFF) << 4) + (f->eip & 0xFFFF));
}

/* The V86 monitor: records each #GP, skips the instruction, ends the run at HLT. */
static void on_gp(struct frame *f) {
    if (!(f->eflags & EFLAGS_VM) || gp_count == 5)
        fail("#GP outside V86 mode or too many (error %x at %x)", f->error, f->eip);
    if (gp_count == 0) {
        first_frame = *f;
        first_frame_end = (u32)(f + 1);
    }
    u8 op = opcode_at(f);
    gp_seen[gp_count++] = (struct trap_seen){ f->eip, f->error, f->eflags, op };
    if (op == 0xF4)
        unwind(f);
    else
        f->eip += (op == 0xCD || op == 0xE6) ? 2 : 1;
}

static void on_int31(struct frame *f) {
    int31_frame = *f;
    f->eax = (f->eax & 0xFFFF0000) | 0x4242;
}

static void check_gp(int i, const char *what, const char *ip) {
    printf("%s\n", what);
    check("#GP error code", gp_seen[i].error, 0);
    check("saved IP", gp_seen[i].ip, (u32)ip);
    check("saved EFLAGS.VM", gp_seen[i].eflags & EFLAGS_VM, EFLAGS_VM);
}

static void iopl0(void) {
    printf("IOPL 0\n");
    u32 v = run_v86(CODE_SEG, (u32)v86_iopl0, DATA_SEG, STACK_TOP, DATA_SEG, 0x2);
    check("run ended by the monitor on vector", v, 13);
    check("word stored at DS:0x10 (linear 0x9010)", DATA(0x10), 0x1234);
    check("CS seen in V86 mode", DATA(0x12), CODE_SEG);
    check("word read at FFFF:0010 (linear 0x100000)", DATA(0x14), MB_HEADER_MAGIC & 0xFFFF);
    printf("monitor frame of the first #GP\n");
    check("saved CS", first_frame.cs & 0xFFFF, CODE_SEG);
    check("saved SS", first_frame.ss & 0xFFFF, DATA_SEG);
    check("saved ESP", first_frame.esp, STACK_TOP);
    check("saved DS", first_frame.v86_ds & 0xFFFF, DATA_SEG);
    check("saved ES", first_frame.v86_es & 0xFFFF, 0xFFFF);
    check("saved FS", first_frame.v86_fs & 0xFFFF, DATA_SEG);
    check("DS at handler entry (zeroed)", first_frame.ds & 0xFFFF, 0);
    check("GS at handler entry (zeroed)", first_frame.gs & 0xFFFF, 0);
    check_true("frame ends at TSS.ESP0", first_frame_end == ktss.tss.esp0);
    check_u("#GP count", gp_count, 5);
    check_gp(0, "CLI", v86_cli_at);
    check_gp(1, "PUSHF", v86_pushf_at);
    check_gp(2, "INT 0x21", v86_int21_at);
    check_gp(3, "OUT to a port the I/O bitmap denies", v86_out80_at);
    check_gp(4, "HLT", v86_hlt_at);
}

static void iopl3(void) {
    printf("IOPL 3\n");
    u32 v = run_v86(CODE_SEG, (u32)v86_iopl3, DATA_SEG, STACK_TOP, DATA_SEG,
                    0x2 | EFLAGS_IOPL);
    check("run ended by INT VEC_EXIT", v, VEC_EXIT);
    check("FLAGS pushed after CLI; STI (IOPL 3, IF 1)", DATA(0x20) & 0xF200, 0x3200);
    printf("INT 0x31 through a DPL-3 gate from V86 mode\n");
    check("saved CS", int31_frame.cs & 0xFFFF, CODE_SEG);
    check("saved EFLAGS.VM", int31_frame.eflags & EFLAGS_VM, EFLAGS_VM);
    check("saved DS", int31_frame.v86_ds & 0xFFFF, DATA_SEG);
    check("DS at handler entry (zeroed)", int31_frame.ds & 0xFFFF, 0);
    check("AX at the INT", int31_frame.eax & 0xFFFF, 0x1111);
    check("AX after the IRET back to V86 mode", DATA(0x22), 0x4242);
}

void test_main(void) {
    cpu_init();
    pic_mask_all();
    memcpy((void *)(CODE_SEG << 4), v86_code, v86_code_end - v86_code);
    memset((void *)(DATA_SEG << 4), 0, 0x100);
    io_allow(0x3F8);
    io_allow(0x3FD);
    set_handler(13, on_gp);
    set_handler(0x31, on_int31);
    idt_set(0x31, isr_entry(0x31), ACC_INTGATE | ACC_DPL3);
    iopl0();
    iopl3();
}
