/*
 * The ring-3 program of ring3.c. It records what it sees in user_* words, calls the
 * kernel through INT 0x30, executes three instructions that must fault (#GP) and be
 * skipped by the kernel, prints a line on COM1 through ports the I/O bitmap allows,
 * and leaves through INT VEC_EXIT.
 */
#include "rt.h"

        .text
        .globl user_main, user_int30_next, user_cli_at, user_int31_at, user_out80_at
user_main:
        movw %cs, user_cs
        movw %ss, user_ss
        movl %esp, user_esp
        movl $0x1234, %eax
        int $0x30
user_int30_next:
        movl %eax, user_eax
        movw %es, user_es
        movw %ds, user_ds
        movl $UDATA, %eax
        movw %ax, %es
user_cli_at:
        cli                             /* IOPL 0 < CPL 3 */
user_int31_at:
        int $0x31                       /* gate DPL 0 < CPL 3 */
user_out80_at:
        outb %al, $0x80                 /* port 0x80 denied by the I/O bitmap */
        movl $message, %esi
1:      movb (%esi), %bl
        testb %bl, %bl
        jz 3f
2:      movw $0x3FD, %dx                /* COM1 line status: wait for THR empty */
        inb %dx, %al
        testb $0x20, %al
        jz 2b
        movw $0x3F8, %dx
        movb %bl, %al
        outb %al, %dx
        incl %esi
        jmp 1b
3:      int $VEC_EXIT

        .section .rodata
message:
        .asciz "ring 3: this line went out through COM1 ports the I/O bitmap allows\n"

        .bss
        .globl user_cs, user_ss, user_esp, user_eax, user_es, user_ds
user_cs:  .long 0
user_ss:  .long 0
user_esp: .long 0
user_eax: .long 0
user_es:  .long 0
user_ds:  .long 0
