# org: 0x10000
/*
 * Real mode -> 32-bit protected mode (LGDT, CR0.PE, far JMP) -> 16-bit protected mode ->
 * real mode again, where an INT through the IVT still works. Between setting CR0.PE and
 * the far JMP the code runs with its real-mode CS and DS caches (DS selector 0), as on
 * hardware. Console: A (PE set, old caches), P (32-bit), I (real-mode INT 0x40), R (done).
 * Memory: 0x500 = 0x1111 (real), 0x502 = 0x2222 (PE=1, DS=0 cache), 0x504 = 0x33333333
 * (32-bit), 0x508 = 0x4444 (back in real mode).
 */
	.text
	.code16
	.globl _start
_start:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	movw %cs, %ax
	movw %ax, %es
	movw $0x1111, 0x500
	lgdtl %es:gdtr - _start
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	movw $0x2222, 0x502
	movb $'A', %al
	outb %al, $0xE9
	ljmpl $0x08, $pm32

	.code32
pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $0x7F000, %esp
	movl $0x33333333, 0x504
	movl %cr0, %eax
	movl %eax, cr0_in_pm
	movb $'P', %al
	outb %al, $0xE9
	ljmp $0x18, $(pm16 - _start)

	.code16
pm16:
	movw $0x20, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl %cr0, %eax
	andl $~1, %eax
	movl %eax, %cr0
	ljmp $0x1000, $(rm - _start)
rm:
	movw %cs, %ax
	movw %ax, %ds
	xorw %ax, %ax
	movw %ax, %ss
	movw $0x7000, %sp
	movw %ax, %es
	lidtw ivt - _start
	movw $(int40 - _start), %es:0x100
	movw %cs, %es:0x102
	int $0x40
	movw $0x4444, %es:0x508
	movb $'R', %al
	outb %al, $0xE9
	movb $0, %al
	outb %al, $0xF4
	hlt

int40:
	movb $'I', %al
	outb %al, $0xE9
	iret

	.balign 8
gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF	/* 0x08 flat 32-bit code */
	.quad 0x00CF92000000FFFF	/* 0x10 flat 32-bit data */
	.quad 0x00009A010000FFFF	/* 0x18 16-bit code, base 0x10000, limit 0xFFFF */
	.quad 0x000092000000FFFF	/* 0x20 16-bit data, base 0, limit 0xFFFF */
gdt_end:
gdtr:	.word gdt_end - gdt - 1
	.long gdt
ivt:	.word 0x3FF
	.long 0
	.globl cr0_in_pm
cr0_in_pm:	.long 0
