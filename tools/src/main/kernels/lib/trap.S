/*
 * Interrupt entry and the try/unwind mechanism.
 *
 * isr_stubs: one stub per vector. Vectors for which the CPU pushes an error code
 * (8, 10-14, 17) leave it; every other stub pushes a zero, so all frames look alike.
 * (A software INT to one of those vectors pushes no error code and is not used.)
 * isr_common saves DS/ES/FS/GS and the general registers, loads the kernel data
 * segment and calls isr_dispatch(struct frame *); whatever the handler leaves in the
 * frame is what IRET resumes.
 *
 * try_call(fn, arg) calls fn(arg) and returns 0xFFFFFFFF if it returns. A handler can
 * instead unwind() the interrupted context: the frame is rewritten to resume at
 * try_resume in ring 0, which restores try_call's stack and returns the vector.
 */
#include "rt.h"

        .macro stub n
        .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
        .else
        pushl $0
        .endif
        pushl $\n
        jmp isr_common
        .align 16
        .endm

        .text
        .align 16
        .globl isr_stubs
isr_stubs:
        .altmacro
        .set vec, 0
        .rept 256
        stub %vec
        .set vec, vec + 1
        .endr
        .noaltmacro

isr_common:
        pushl %ds
        pushl %es
        pushl %fs
        pushl %gs
        pushal
        movl $KDATA, %eax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %fs
        movw %ax, %gs
        pushl %esp
        call isr_dispatch
        addl $4, %esp
        popal
        popl %gs
        popl %fs
        popl %es
        popl %ds
        addl $8, %esp                   /* vector and error code */
        iret

        .globl try_call
try_call:
        pushl %ebp
        pushl %ebx
        pushl %esi
        pushl %edi
        movl %esp, try_esp
        pushl 24(%esp)                  /* arg */
        call *24(%esp)                  /* fn (ESP moved by 4) */
        addl $4, %esp
        movl $-1, %eax
try_done:
        movl $0, try_esp
        popl %edi
        popl %esi
        popl %ebx
        popl %ebp
        ret

        .globl try_resume
try_resume:
        movl $KDATA, %eax
        movw %ax, %ss
        movl try_esp, %esp
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %fs
        movw %ax, %gs
        movl last_trap, %eax            /* the vector */
        jmp try_done

/* iret_to(frame, words, data_selector): IRET to frame[0..words) (EIP first). */
        .globl iret_to
iret_to:
        movl 4(%esp), %esi
        movl 8(%esp), %ecx
        movl 12(%esp), %eax
        leal -4(%esi,%ecx,4), %esi
1:      pushl (%esi)
        subl $4, %esi
        loop 1b
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %fs
        movw %ax, %gs
        iret

        .bss
        .align 4
        .globl try_esp
try_esp:
        .long 0
