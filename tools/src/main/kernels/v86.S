/*
 * Real-mode code for v86.c, copied to linear 0x8000 and run as CS=0x0800 in
 * virtual-8086 mode with DS=SS=0x0900. Offsets are relative to v86_code.
 *
 * iopl0: stores through DS, reads FFFF:0010 (linear 0x100000, the kernel's Multiboot
 * header, since A20 is on), prints a line through COM1 (allowed by the I/O bitmap), then
 * runs five instructions that must each trap to the monitor with #GP(0).
 * iopl3: CLI/STI/PUSHF run directly; INT 0x31 goes through the protected-mode IDT and
 * comes back; INT VEC_EXIT ends the run.
 */
#include "rt.h"

        .text
        .globl v86_code, v86_code_end, v86_iopl0, v86_iopl3
        .globl v86_cli_at, v86_pushf_at, v86_int21_at, v86_out80_at, v86_hlt_at
        .code16
v86_code:
iopl0:
        movw $0x1234, 0x10
        movw %cs, %ax
        movw %ax, 0x12
        movw $0xFFFF, %ax
        movw %ax, %es
        movw %es:0x10, %ax
        movw %ax, 0x14
        movw $(message - v86_code), %si
1:      movb %cs:(%si), %bl
        testb %bl, %bl
        jz 3f
        movw $0x3FD, %dx
2:      inb %dx, %al
        testb $0x20, %al
        jz 2b
        movw $0x3F8, %dx
        movb %bl, %al
        outb %al, %dx
        incw %si
        jmp 1b
3:
cli_at: cli
pushf_at:
        pushf
int21_at:
        int $0x21
out80_at:
        outb %al, $0x80
hlt_at: hlt

iopl3:
        cli
        sti
        pushf
        popw %ax
        movw %ax, 0x20
        movw $0x1111, %ax
        int $0x31
        movw %ax, 0x22
        int $VEC_EXIT

message:
        .asciz "v86: this line came from virtual-8086 mode through COM1\n"
        .code32
v86_code_end:

        .set v86_iopl0, iopl0 - v86_code
        .set v86_iopl3, iopl3 - v86_code
        .set v86_cli_at, cli_at - v86_code
        .set v86_pushf_at, pushf_at - v86_code
        .set v86_int21_at, int21_at - v86_code
        .set v86_out80_at, out80_at - v86_code
        .set v86_hlt_at, hlt_at - v86_code
