/*
 * callgate: far calls through call gates and into a conforming segment. A CALL from
 * ring 3 through a DPL-3 gate to ring-0 code must switch to the TSS ring-0 stack, push
 * the caller's SS:ESP, copy the gate's parameter count of dwords from the caller's stack
 * and push the return CS:EIP; RET FAR 8 must return to ring 3 and release the
 * parameters on both stacks. The same gate used from ring 0 must not switch stacks. A
 * call into a conforming segment keeps CPL 3, and a call through a DPL-0 gate from ring
 * 3 must raise #GP with the gate's selector.
 */
#include "rt.h"

const char test_name[] = "callgate";

#define SEL_GATE3      ((GDT_FREE + 0) << 3)
#define SEL_GATE0      ((GDT_FREE + 1) << 3)
#define SEL_CONFORMING ((GDT_FREE + 2) << 3)
#define ACC_CODE_CONFORMING 0x9E

void gate_target(void);
void conforming_target(void);
void user_main(void);
u32 kernel_call(void);
extern char user_gate_ret[], user_gate0_at[], kernel_gate_ret[];
extern u32 gate_esp, gate_cs, gate_ss, gate_stack[6], conforming_cs, conforming_esp;
extern u32 user_esp_at_call, user_esp_after, user_cs_after;

/* Far pointers (offset, selector) used by the LCALLs in callgate.S. */
u32 gate3_ptr[2] = { 0, SEL_GATE3 | 3 };
u32 gate0_ptr[2] = { 0, SEL_GATE0 };
u32 conforming_ptr[2];

static u32 user_stack[1024];

static void check_ring3_call(void) {
    printf("CALL from ring 3 through a DPL-3 gate with 2 parameters\n");
    check("CS in the procedure", gate_cs & 0xFFFF, KCODE);
    check("SS in the procedure (TSS.SS0)", gate_ss & 0xFFFF, KDATA);
    check_true("ESP in the procedure is TSS.ESP0 - 24", gate_esp == ktss.tss.esp0 - 24);
    check_true("return EIP", gate_stack[0] == (u32)user_gate_ret);
    check("return CS", gate_stack[1] & 0xFFFF, UCODE);
    check("parameter 1", gate_stack[2], 0x11111111);
    check("parameter 2", gate_stack[3], 0x22222222);
    check_true("caller's ESP", gate_stack[4] == user_esp_at_call);
    check("caller's SS", gate_stack[5] & 0xFFFF, UDATA);
    printf("RET FAR 8 back to ring 3\n");
    check("CS after the return", user_cs_after & 0xFFFF, UCODE);
    check_u("ESP after the return minus ESP at the call", user_esp_after - user_esp_at_call, 8);
}

static void check_conforming(void) {
    printf("CALL from ring 3 into a DPL-0 conforming segment\n");
    check("CS in the procedure (RPL = CPL = 3)", conforming_cs & 0xFFFF, SEL_CONFORMING | 3);
    check_true("no stack switch", conforming_esp == user_esp_after - 8);
}

static void check_ring0_call(void) {
    printf("CALL from ring 0 through a DPL-0 gate\n");
    u32 esp = kernel_call();
    check_true("no stack switch: ESP is the caller's minus 8", gate_esp == esp - 8);
    check_true("return EIP", gate_stack[0] == (u32)kernel_gate_ret);
    check("return CS", gate_stack[1] & 0xFFFF, KCODE);
    check("parameter 1", gate_stack[2], 0x33333333);
    check("parameter 2", gate_stack[3], 0x44444444);
}

void test_main(void) {
    cpu_init();
    gdt_set_gate(GDT_FREE + 0, KCODE, (u32)gate_target, ACC_CALLGATE | ACC_DPL3, 2);
    gdt_set_gate(GDT_FREE + 1, KCODE, (u32)gate_target, ACC_CALLGATE, 2);
    gdt_set(GDT_FREE + 2, 0, 0xFFFFF, ACC_CODE_CONFORMING, FLG_G | FLG_DB);
    conforming_ptr[0] = (u32)conforming_target;
    conforming_ptr[1] = SEL_CONFORMING;

    u32 v = run_user(user_main, user_stack + 1024, 0x2);
    check_ring3_call();
    check_conforming();
    printf("CALL from ring 3 through a DPL-0 gate\n");
    check("vector", v, 13);
    check("#GP error code (the gate's selector)", last_trap.error, SEL_GATE0);
    check_true("saved EIP is the call", last_trap.eip == (u32)user_gate0_at);
    check_ring0_call();
}
