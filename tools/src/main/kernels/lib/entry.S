/*
 * Multiboot v1 header and kernel entry. The loader (qemu -kernel, GRUB, erosim boot)
 * enters _start in 32-bit protected mode with EAX = 0x2BADB002, EBX = the Multiboot
 * information, flat CS/DS and paging off; the stack pointer is undefined, so the first
 * thing _start does is switch to its own stack in .bss. It records the entry state for
 * the kernels that check it, then calls rt_main(magic, mbi).
 */
#include "rt.h"

        .section .multiboot, "a"
        .align 4
        .long MB_HEADER_MAGIC
        .long MB_HEADER_FLAGS
        .long -(MB_HEADER_MAGIC + MB_HEADER_FLAGS)

        .bss
        .align 16
boot_stack:
        .skip 65536
boot_stack_top:

        .text
        .globl _start
_start:
        movl $boot_stack_top, %esp
        pushfl
        popl boot_state + 8             /* eflags, before CLI */
        cli
        cld
        movl %eax, boot_state + 0
        movl %ebx, boot_state + 4
        movl %cr0, %ecx
        movl %ecx, boot_state + 12
        pushl %ebx
        pushl %eax
        call rt_main
1:      cli
        hlt
        jmp 1b
