/*
 * Self-modifying routines for smc.c. Each stores into an instruction it is about to
 * execute, without an intervening jump: P6-family processors (and QEMU) snoop such
 * stores and execute the new bytes.
 */
        .text
/* u32 patch_next(u32 v): stores v into the immediate of the next instruction. */
        .globl patch_next
patch_next:
        movl 4(%esp), %ecx
        movl %ecx, next_insn + 1
next_insn:
        movl $0x11111111, %eax
        ret

/* u32 patch_loop(u32 n): sums 0..n-1 by patching the ADD's immediate each iteration. */
        .globl patch_loop
patch_loop:
        movl 4(%esp), %ecx
        xorl %eax, %eax
        xorl %edx, %edx
1:      movl %edx, loop_add + 1
loop_add:
        .byte 0x05                      /* ADD EAX, imm32 */
        .long 0x12345678
        incl %edx
        cmpl %ecx, %edx
        jne 1b
        ret
