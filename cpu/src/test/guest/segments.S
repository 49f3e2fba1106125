# org: 0x10000
/*
 * Segment limit and type checks (byte and page granular limits, expand-down data and stack
 * segments with B = 0 and 1, execute-only and read-only segments) and the descriptor
 * inspection instructions LAR, LSL, VERR, VERW and ARPL, at CPL 0 and CPL 3.
 */
#include "pm.inc"

#define SMALL   0x40	/* data, base 0x300000, limit 0xFFF */
#define GRAN    0x48	/* data, base 0, limit 1 page-granular: 0x1FFF */
#define EXPDN32 0x50	/* expand-down data, B = 1, base 0x300000, limit 0xFFF */
#define EXPDN16 0x58	/* expand-down data, B = 0, base 0x300000, limit 0xFFF */
#define XO      0x60	/* execute-only code */
#define RO      0x68	/* read-only data */
#define RCODE   0x70	/* readable code, not yet accessed */
#define CGATE   0x78	/* call gate, DPL 3, offset 0 */
#define IGATE   0x80	/* interrupt gate in the GDT (not valid for LAR) */
#define CONF0   0x88	/* conforming readable code, DPL 0 */
#define LDTD    0x90	/* LDT descriptor, limit 0x37 */
#define EXPDN3  0x98	/* expand-down data, B = 1, DPL 3, base 0x300000, limit 0xFFF */
#define CODE_S  0xA0	/* code, base = image, limit ending inside the instruction at cs_tail */

.macro STZ n
	setz %dl
	movzbl %dl, %edx
	movl %edx, RESULT(\n)
.endm

	.balign 4
scenarios:
	.long sc_limits, sc_types, sc_inspect, sc_stack3, sc_cslimit

setup:
	DESC SMALL, 0x300000, 0xFFF, 0x92, 0x4
	DESC GRAN, 0, 1, 0x92, 0xC
	DESC EXPDN32, 0x300000, 0xFFF, 0x96, 0x4
	DESC EXPDN16, 0x300000, 0xFFF, 0x96, 0x0
	DESC XO, 0, 0xFFFFF, 0x98, 0xC
	DESC RO, 0, 0xFFFFF, 0x90, 0xC
	DESC RCODE, 0, 0xFFFFF, 0x9A, 0xC
	GATE GDTE(CGATE), KCODE, 0, 0xEC00
	GATE GDTE(IGATE), KCODE, 0, 0x8E00
	DESC CONF0, 0, 0xFFFFF, 0x9E, 0xC
	DESC LDTD, 0x300000, 0x37, 0x82, 0
	DESC EXPDN3, 0x300000, 0xFFF, 0xF6, 0x4
	ret

/* 0: limits, every access checked for all of its bytes */
sc_limits:
	call setup
	movw $SMALL, %ax
	movw %ax, %es
	movl %es:0xFFC, %eax
	RESUME lim_r1
lim_f1:	movl %es:0xFFD, %eax			/* last byte beyond the limit */
lim_r1:	movb %es:0xFFF, %al
	RESUME lim_r2
lim_f2:	movb %es:0x1000, %al
lim_r2:	RESUME lim_r3
lim_f3:	movw %ax, %es:0xFFF
lim_r3:	movw $GRAN, %ax
	movw %ax, %es
	movl %es:0x1FFC, %eax
	RESUME lim_r4
lim_f4:	movl %es:0x1FFD, %eax
lim_r4:	movw $EXPDN32, %ax
	movw %ax, %es
	movl $0xA5A5A5A5, %es:0x1000		/* lowest valid offset: linear 0x301000 */
	movl $0x5A5A5A5A, %es:0xFFFFFFFC	/* highest: wraps to linear 0x2FFFFC */
	RESUME lim_r5
lim_f5:	movl %es:0xFFE, %eax			/* first bytes at or below the limit */
lim_r5:	RESUME lim_r6
lim_f6:	movb %es:0xFFF, %al
lim_r6:	movw $EXPDN16, %ax
	movw %ax, %es
	movl %es:0xFFFC, %eax
	RESUME lim_r7
lim_f7:	movl %es:0xFFFE, %eax			/* B = 0: upper bound 0xFFFF */
lim_r7:	RESUME lim_r8
lim_f8:	movb %es:0x10000, %al
lim_r8:	movl %esp, saved_esp_k			/* expand-down stack segment */
	movw $EXPDN32, %ax
	movw %ax, %ss
	movl $0x2000, %esp
	pushl $0x12345678			/* offset 0x1FFC: linear 0x301FFC */
	movl $0xFFE, %ebx
	RESUME lim_r9
lim_f9:	movl %ss:(%ebx), %eax			/* #SS(0) */
lim_r9:	movw $KDATA, %ax
	movw %ax, %ss
	movl saved_esp_k, %esp
	movw %ax, %es
	xorl %eax, %eax
	ret
	.balign 4
saved_esp_k:	.long 0

/* 1: segment types */
sc_types:
	call setup
	movw $XO, %ax
	RESUME ty_r1
ty_f1:	movw %ax, %ds				/* execute-only code in DS: #GP(0x60) */
ty_r1:	ljmp $XO, $xo_code
xo_back:
	movw $RO, %ax
	movw %ax, %es
	movl %es:0x100, %eax
	RESUME ty_r3
ty_f3:	movl %eax, %es:0x100			/* read-only data: #GP(0) */
ty_r3:	movw $RCODE, %ax
	movw %ax, %es				/* readable code in ES */
	movl %es:_start, %eax
	movl %eax, RESULT(0)
	RESUME ty_r4
ty_f4:	movl %eax, %es:0x100			/* code is never writable: #GP(0) */
ty_r4:	movw $RCODE, %ax
	RESUME ty_r5
ty_f5:	movw %ax, %ss				/* code in SS: #GP(0x70) */
ty_r5:	RESUME ty_r6
ty_f6:	ljmp $KDATA, $0				/* data as a jump target: #GP(0x10) */
ty_r6:	RESUME ty_r7
ty_f7:	movl %eax, %cs:0x100			/* CS is never writable: #GP(0) */
ty_r7:	movw $KDATA, %ax
	movw %ax, %es
	xorl %eax, %eax
	ret
xo_code:
	RESUME ty_r2
ty_f2:	movl %cs:xo_code, %eax			/* execute-only: #GP(0) */
ty_r2:	ljmp $KCODE, $xo_back

/* 2: LAR, LSL, VERR, VERW, ARPL */
sc_inspect:
	call setup
	movw $RCODE, %ax			/* sets its accessed bit */
	movw %ax, %es
	movw $KDATA, %ax
	movw %ax, %es
	movl $0xDEADBEEF, %eax
	movl $KCODE, %ecx
	larl %ecx, %eax
	movl %eax, RESULT(0)
	STZ 1
	movl $TSS0, %ecx
	larl %ecx, %eax
	movl %eax, RESULT(2)
	STZ 3
	movl $0xDEADBEEF, %eax
	xorl %ecx, %ecx
	larl %ecx, %eax				/* null */
	movl %eax, RESULT(4)
	STZ 5
	movl $0xFF8, %ecx
	larl %ecx, %eax				/* beyond the GDT limit */
	STZ 6
	movl $IGATE, %ecx
	larl %ecx, %eax				/* interrupt gate: not for LAR */
	STZ 7
	movl $CGATE, %ecx
	larl %ecx, %eax
	movl %eax, RESULT(8)
	STZ 9
	movl $0xDEADBEEF, %eax
	movl $RCODE, %ecx
	larw %cx, %ax				/* 16-bit: 0x9B00, upper EAX kept */
	movl %eax, RESULT(10)
	movl $(KDATA | 3), %ecx
	larl %ecx, %eax				/* RPL 3 > DPL 0 */
	STZ 11
	movl $KDATA, %ecx
	lsll %ecx, %eax
	movl %eax, RESULT(12)
	STZ 13
	movl $SMALL, %ecx
	lsll %ecx, %eax
	movl %eax, RESULT(14)
	movl $GRAN, %ecx
	lsll %ecx, %eax
	movl %eax, RESULT(15)
	movl $TSS0, %ecx
	lsll %ecx, %eax
	movl %eax, RESULT(16)
	movl $LDTD, %ecx
	lsll %ecx, %eax
	movl %eax, RESULT(17)
	STZ 18
	movl $CGATE, %ecx
	lsll %ecx, %eax				/* gates have no limit */
	STZ 19
	movw $KCODE, %cx
	verr %cx
	STZ 20
	movw $XO, %cx
	verr %cx
	STZ 21
	movw $RO, %cx
	verr %cx
	STZ 22
	verw %cx
	STZ 23
	movw $KDATA, %cx
	verw %cx
	STZ 24
	movw $KCODE, %cx
	verw %cx
	STZ 25
	movw $TSS0, %cx
	verr %cx
	STZ 26
	xorl %ecx, %ecx
	verr %cx
	STZ 27
	movl $0x0008, %eax
	movl $0x0003, %ebx
	arpl %bx, %ax
	movl %eax, RESULT(28)
	STZ 29
	arpl %bx, %ax
	STZ 30
	movw $0x0010, arpl_mem
	arpl %bx, arpl_mem
	STZ 31
	movl $inspect3, %eax
	call run_ring3
	xorl %eax, %eax
	ret
	.balign 4
arpl_mem:	.long 0
inspect3:
	movw $UDATA, %ax
	movw %ax, %ds
	movl $KDATA, %ecx
	larl %ecx, %eax				/* DPL 0 < CPL 3 */
	STZ 32
	movl $UDATA, %ecx
	larl %ecx, %eax
	movl %eax, RESULT(33)
	STZ 34
	movl $CONF0, %ecx
	larl %ecx, %eax				/* conforming: no privilege check */
	STZ 35
	movl $CGATE, %ecx
	larl %ecx, %eax
	STZ 36
	movw $UDATA, %cx
	verw %cx
	STZ 37
	movw $KDATA, %cx
	verw %cx
	STZ 38
	movw $CONF0, %cx
	verr %cx
	STZ 39
	movl $KDATA, %ecx
	lsll %ecx, %eax
	STZ 40
	int $0x30

/* 3: a ring-3 push below an expand-down stack limit: #SS(0) through the TSS stack */
sc_stack3:
	call setup
	movl $stack3_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
stack3_code:
	movw $UDATA, %ax
	movw %ax, %ds
	movw $(EXPDN3 | 3), %ax
	movw %ax, %ss
	movl $0x1008, %esp
	pushl $1
	pushl $2
	RESUME st3_r
st3_f:	pushl $3
st3_r:	movl %esp, %eax
	movl %ss, %ebx
	int $0x30

/* 4: the CS limit: a near jump beyond it faults at the jump; an instruction whose last
   bytes lie beyond it faults at its fetch */
sc_cslimit:
	call setup
	DESC CODE_S, _start, (cs_tail + 2 - _start), 0x9A, 0x4
	ljmp $CODE_S, $(cs_code - _start)
cs_back:
	xorl %eax, %eax
	ret
cs_code:
	movl $(cs_r1 - _start), resume_eip
	movl $(cs_tail + 3 - _start), %eax
cs_f1:	jmp *%eax				/* target one past the limit: #GP(0) */
cs_r1:	movl $(cs_r2 - _start), resume_eip
	jmp cs_tail
cs_r2:	ljmp $KCODE, $cs_back
cs_tail:
	movl $0x12345678, %eax			/* 5 bytes, 3 within the limit: #GP(0) */
