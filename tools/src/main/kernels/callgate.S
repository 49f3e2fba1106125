/*
 * Code for callgate.c. gate_target is the ring-0 procedure behind both call gates: it
 * records its stack (return CS:EIP, the two copied parameters and, after a privilege
 * change, the caller's SS:ESP) and returns with RET FAR 8. conforming_target runs in a
 * conforming code segment and records the CS it runs with.
 */
#include "rt.h"

        .text
        .globl gate_target
gate_target:
        movl %esp, gate_esp
        movw %cs, gate_cs
        movw %ss, gate_ss
        movl $6, %ecx
        movl %esp, %esi
        movl $gate_stack, %edi
        rep movsl
        lret $8

        .globl conforming_target
conforming_target:
        movw %cs, conforming_cs
        movl %esp, conforming_esp
        lret

/* Ring 3: both far calls, then a call through the DPL-0 gate, which must fault. */
        .globl user_main, user_gate_ret, user_gate0_at
user_main:
        pushl $0x22222222
        pushl $0x11111111
        movl %esp, user_esp_at_call
        lcall *gate3_ptr
user_gate_ret:
        movl %esp, user_esp_after
        movw %cs, user_cs_after
        lcall *conforming_ptr
user_gate0_at:
        lcall *gate0_ptr
        int $VEC_EXIT

/* u32 kernel_call(void): calls through the DPL-0 gate from ring 0; returns ESP at the call. */
        .globl kernel_call, kernel_gate_ret
kernel_call:
        pushl $0x44444444
        pushl $0x33333333
        movl %esp, %eax
        lcall *gate0_ptr
kernel_gate_ret:
        ret

        .bss
        .globl gate_esp, gate_cs, gate_ss, gate_stack, conforming_cs, conforming_esp
        .globl user_esp_at_call, user_esp_after, user_cs_after
gate_esp:         .long 0
gate_cs:          .long 0
gate_ss:          .long 0
gate_stack:       .fill 6, 4, 0
conforming_cs:    .long 0
conforming_esp:   .long 0
user_esp_at_call: .long 0
user_esp_after:   .long 0
user_cs_after:    .long 0
