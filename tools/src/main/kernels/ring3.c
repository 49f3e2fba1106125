/*
 * ring3: privilege changes through IRET and interrupt gates. The kernel IRETs to a ring-3
 * program; its INT 0x30 goes through a DPL-3 interrupt gate, which must switch to the
 * ring-0 stack named by TSS.SS0:ESP0 and push the ring-3 SS:ESP, EFLAGS, CS:EIP. The
 * IRET back must restore them and null a data segment register whose DPL is below the
 * new CPL. Privileged instructions, a DPL-0 gate and a port the I/O bitmap denies must
 * each raise #GP with the right error code, from which the kernel resumes ring 3.
 */
#include "rt.h"

const char test_name[] = "ring3";

void user_main(void);
extern char user_int30_next[], user_cli_at[], user_int31_at[], user_out80_at[];
extern u32 user_cs, user_ss, user_esp, user_eax, user_es, user_ds;

static u32 user_stack[1024];
static struct frame gate_frame;
static u32 gate_frame_addr, gate_eflags, gate_ss;

struct gp { u32 error, eip, cs; };
static struct gp faults[4];
static int fault_count;

static void on_int30(struct frame *f) {
    gate_frame = *f;
    gate_frame_addr = (u32)f;
    gate_eflags = read_eflags();
    __asm__ volatile("mov %%ss, %0" : "=r"(gate_ss));
    f->eax += 1;
    f->es = KDATA;      /* DPL 0: the IRET to ring 3 must load ES with null */
}

/* Records the #GP and resumes ring 3 after the faulting instruction. */
static void on_gp(struct frame *f) {
    u8 opcode = *(u8 *)f->eip;
    if (fault_count == 4 || (f->cs & 3) == 0)
        fail("#GP in ring 0 or too many (error %x at %x)", f->error, f->eip);
    faults[fault_count++] = (struct gp){ f->error, f->eip, f->cs & 0xFFFF };
    f->eip += opcode == 0xFA ? 1 : 2;   /* CLI; INT imm8, OUT imm8 */
}

static void check_fault(int i, const char *what, u32 error, const char *at) {
    printf("%s\n", what);
    check("#GP error code", faults[i].error, error);
    check("saved CS", faults[i].cs, UCODE);
    check_true("saved EIP is the instruction", faults[i].eip == (u32)at);
}

static void check_gate_entry(void) {
    printf("INT 0x30 from ring 3 through a DPL-3 interrupt gate\n");
    check("CS seen by ring 3", user_cs, UCODE);
    check("SS seen by ring 3", user_ss, UDATA);
    check("vector", gate_frame.vector, 0x30);
    check("saved CS", gate_frame.cs & 0xFFFF, UCODE);
    check_true("saved EIP is the next instruction", gate_frame.eip == (u32)user_int30_next);
    check("saved SS", gate_frame.ss & 0xFFFF, UDATA);
    check_true("saved ESP is ring 3's ESP", gate_frame.esp == user_esp);
    check("saved EFLAGS.IF", gate_frame.eflags & EFLAGS_IF, EFLAGS_IF);
    check("saved DS", gate_frame.ds & 0xFFFF, UDATA);
    check("SS in the handler (TSS.SS0)", gate_ss & 0xFFFF, KDATA);
    check_true("frame ends at TSS.ESP0",
               gate_frame_addr + sizeof(struct frame) - 16 == ktss.tss.esp0);
    check("EFLAGS.IF in the handler", gate_eflags & EFLAGS_IF, 0);
    printf("IRET back to ring 3\n");
    check("EAX changed by the handler", user_eax, 0x1235);
    check("DS kept", user_ds & 0xFFFF, UDATA);
    check("ES (a DPL-0 selector) nulled by the IRET", user_es & 0xFFFF, 0);
}

void test_main(void) {
    cpu_init();
    pic_mask_all();
    idt_set(0x30, isr_entry(0x30), ACC_INTGATE | ACC_DPL3);
    set_handler(0x30, on_int30);
    set_handler(13, on_gp);
    io_allow(0x3F8);
    io_allow(0x3FD);
    u32 v = run_user(user_main, user_stack + 1024, 0x2 | EFLAGS_IF);
    check("ring 3 left through vector", v, VEC_EXIT);
    check("exit came from CS", last_trap.cs, UCODE);
    check_gate_entry();
    check_u("#GP faults taken in ring 3", fault_count, 3);
    check_fault(0, "CLI with IOPL 0", 0, user_cli_at);
    check_fault(1, "INT 0x31 through a DPL-0 gate", 0x31 * 8 + 2, user_int31_at);
    check_fault(2, "OUT to a port the I/O bitmap denies", 0, user_out80_at);
}
