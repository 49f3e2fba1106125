/*
 * One probe per exception for exceptions.c. Each is called through try_call with one
 * argument; the label X_at marks the instruction the saved EIP must point to (the
 * faulting instruction for faults, the next instruction for traps).
 */
#include "rt.h"

        .macro probe name
        .globl \name, \name\()_at
\name:
        .endm

        .text
probe divide_by_zero
        xorl %edx, %edx
        movl $1, %eax
        xorl %ecx, %ecx
divide_by_zero_at:
        divl %ecx
        ret

probe divide_overflow                   /* 0x80000000 / -1 does not fit */
        movl $0x80000000, %eax
        cltd
        movl $-1, %ecx
divide_overflow_at:
        idivl %ecx
        ret

probe single_step                       /* POPF sets TF: the trap follows the next insn */
        pushfl
        orl $EFLAGS_TF, (%esp)
        popfl
        nop
single_step_at:
        nop
        ret

probe int2
        int $2
int2_at:
        ret

probe breakpoint
        int3
breakpoint_at:
        ret

probe overflow
        movl $0x7FFFFFFF, %eax
        addl $1, %eax
        into
overflow_at:
        ret

probe no_overflow                       /* INTO with OF=0 does nothing */
        xorl %eax, %eax
        into
no_overflow_at:
        ret

probe bound_range                       /* 11 is outside [0, 10] */
        movl $11, %eax
bound_range_at:
        boundl %eax, bounds
        ret

probe invalid_opcode
invalid_opcode_at:
        ud2
        ret

probe lock_register                     /* LOCK on a register destination */
lock_register_at:
        .byte 0xF0
        addl %eax, %ebx
        ret

probe escape                            /* an x87 instruction (FNINIT) */
escape_at:
        fninit
        ret

probe fwait
fwait_at:
        fwait
        ret

/* load_ds(selector) */
probe load_ds
        movl 4(%esp), %eax
load_ds_at:
        movw %ax, %ds
        movl $KDATA, %eax
        movw %ax, %ds
        ret

/* load_ss(selector) */
probe load_ss
        movl 4(%esp), %eax
load_ss_at:
        movw %ax, %ss
        movl $KDATA, %eax
        movw %ax, %ss
        ret

/* far_jump(selector): JMP selector:0 */
probe far_jump
        pushl 4(%esp)
        pushl $0
far_jump_at:
        ljmp *(%esp)

/* software_int(0): INT 0x40 */
probe software_int
software_int_at:
        int $0x40
        ret

/* write_cs(address): a store through a CS override */
probe write_cs
        movl 4(%esp), %eax
write_cs_at:
        movl %eax, %cs:(%eax)
        ret

/* read(address) */
probe read
        movl 4(%esp), %eax
read_at:
        movl (%eax), %eax
        ret

/* stack_read(offset): a load through SS (EBP-based) */
probe stack_read
        pushl %ebp
        movl 8(%esp), %ebp
stack_read_at:
        movl (%ebp), %eax
        popl %ebp
        ret

        .data
        .align 4
bounds: .long 0, 10

/* Ring 3: a misaligned dword load, then INT VEC_EXIT if it did not fault. */
        .text
probe user_misaligned
user_misaligned_at:
        movl bounds + 1, %eax
        int $VEC_EXIT
