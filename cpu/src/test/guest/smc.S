# org: 0x10000
/*
 * Self-modifying code: stores into the very next instruction, into a later instruction of
 * the same pre-decoded block, into an opcode, into a loop body between iterations, through
 * REP STOSB, and through a second linear mapping (paging alias) of the same physical page.
 * Each patched instruction leaves its effect in a result the Java test checks.
 */
#include "pm.inc"

	.balign 4
scenarios:
	.long sc_smc

sc_smc:
	/* the very next instruction: its immediate */
	movb $0x42, smc1 + 1
smc1:	movb $0x11, %al
	movzbl %al, %eax
	movl %eax, RESULT(0)

	/* a later instruction of the same block */
	movb $0x43, smc2 + 1
	nop
	incl %ecx
	nop
smc2:	movb $0x22, %bl
	movzbl %bl, %ebx
	movl %ebx, RESULT(1)

	/* an opcode: NOP becomes INC EAX */
	xorl %eax, %eax
	movb $0x40, smc3
smc3:	nop
	movl %eax, RESULT(2)

	/* a loop body patched after its first run (the block was cached) */
	xorl %esi, %esi
	xorl %edi, %edi
smc_loop:
smc4:	addl $1, %edi
	movb $5, smc4 + 2
	incl %esi
	cmpl $3, %esi
	jb smc_loop
	movl %edi, RESULT(3)

	/* a string store into the next instruction */
	movl $(smc5 + 1), %edi
	movb $0x55, %al
	movl $1, %ecx
	cld
	rep stosb
smc5:	movb $0x44, %bl
	movzbl %bl, %ebx
	movl %ebx, RESULT(4)

	/* a store through another linear address of the same physical page */
	movl $0x83, 0x200000			/* PDE 0: 4 MiB identity */
	movl $0x83, 0x200004			/* PDE 1: linear 4 MiB aliases physical 0 */
	movl $0x200000, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x10, %eax
	movl %eax, %cr4
	movl %cr0, %eax
	orl $0x80000000, %eax
	movl %eax, %cr0
	movb $0x66, smc6 + 1 + 0x400000
smc6:	movb $0x33, %al
	movzbl %al, %eax
	movl %eax, RESULT(5)
	xorl %eax, %eax
	ret
