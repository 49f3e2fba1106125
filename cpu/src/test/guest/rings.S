# org: 0x10000
/*
 * Privilege levels: ring 3 entered by IRET (data segments nulled), back to ring 0 through
 * an interrupt gate with the TSS stack switch; privileged instructions and POPF in ring 3;
 * call gates with parameter copying to rings 0 and 1 and far RET back; conforming code;
 * transfers to more privileged code without a gate.
 */
#include "pm.inc"

#define CGATE3   0x40	/* call gate, DPL 3 -> KCODE:cg_target, 3 dword parameters */
#define CONF0    0x48	/* conforming readable code, DPL 0 */
#define R1CODE   0x50	/* code, DPL 1 */
#define R1DATA   0x58	/* data, DPL 1 */
#define CGATE_R1 0x60	/* call gate, DPL 3 -> R1CODE:cg1_target, 1 parameter */
#define CGATE0   0x68	/* call gate, DPL 0 */

	.balign 4
scenarios:
	.long sc_iret, sc_priv, sc_callgate, sc_conforming, sc_ring1, sc_inner, sc_16bit, sc_jmpgate

setup:
	GATE GDTE(CGATE3), KCODE, cg_target, 0xEC03
	DESC CONF0, 0, 0xFFFFF, 0x9E, 0xC
	DESC R1CODE, 0, 0xFFFFF, 0xBA, 0xC
	DESC R1DATA, 0, 0xFFFFF, 0xB2, 0xC
	GATE GDTE(CGATE_R1), (R1CODE | 1), cg1_target, 0xEC01
	GATE GDTE(CGATE0), KCODE, cg_target, 0x8C00
	ret

/* 0: IRET to ring 3 nulls DS/ES/GS (DPL 0) and keeps FS (DPL 3); INT 0x30 returns through
   the TSS stack */
sc_iret:
	call setup
	movw $UDATA, %ax
	movw %ax, %fs
	movl $iret_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
iret_code:
	movl %ds, %eax
	movl %es, %ebx
	movl %fs, %ecx
	movl %gs, %edx
	movl %cs, %esi
	movl %ss, %edi
	int $0x30
iret_after:

/* 1: privileged and IOPL-sensitive instructions in ring 3 */
sc_priv:
	call setup
	orb $0x01, tss0_iomap + 0x10		/* deny port 0x80 */
	movl $priv_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
priv_code:
	movw $UDATA, %ax
	movw %ax, %ds
	RESUME priv_r1
priv_f1:	cli				/* IOPL 0: #GP(0) */
priv_r1:	RESUME priv_r2
priv_f2:	hlt				/* #GP(0) */
priv_r2:	RESUME priv_r3
priv_f3:	movl %cr0, %eax			/* #GP(0) */
priv_r3:	RESUME priv_r4
priv_f4:	lgdtl gdtr			/* #GP(0) */
priv_r4:	movb $'3', %al
	outb %al, $0xE9				/* allowed by the I/O bitmap */
	RESUME priv_r5
priv_f5:	outb %al, $0x80			/* denied by the I/O bitmap: #GP(0) */
priv_r5:	pushfl
	orl $(EFL_IF | EFL_IOPL3), (%esp)
	popfl					/* IF and IOPL silently kept */
	pushfl
	popl %eax
	int $0x30

/* 2: call gate from ring 3 to ring 0 copying three parameters; far RET 12 back to ring 3
   nulls the data segments the outer level may not use */
sc_callgate:
	call setup
	movl $cg_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
cg_code:
	movw $UDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movl %esp, %ebp
	pushl $0x11111111
	pushl $0x22222222
	pushl $0x33333333
	lcall $CGATE3, $0
cg_ret:
	movl %esp, %eax
	movl %fs, %ecx
	movl %gs, %edx
	movl %es, %esi
	movl %ds, %edi
	movl %cs, %ebx
	int $0x30
cg_target:
	xorl %ecx, %ecx
1:	movl (%esp, %ecx, 4), %eax
	movl %eax, results(, %ecx, 4)
	incl %ecx
	cmpl $7, %ecx
	jb 1b
	movl %esp, RESULT(7)
	movl %ss, %eax
	movl %eax, RESULT(8)
	movl %cs, %eax
	movl %eax, RESULT(9)
	movw $KDATA, %ax
	movw %ax, %fs
	movw $UDATA, %ax
	movw %ax, %gs
	movw $CONF0, %ax
	movw %ax, %es
	lret $12

/* 3: conforming code runs at the caller privilege; non-conforming DPL 0 code cannot be
   called directly from ring 3 */
sc_conforming:
	call setup
	movl $conf_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
conf_code:
	movw $UDATA, %ax
	movw %ax, %ds
	lcall $CONF0, $conf_target
	movl %eax, RESULT(0)
	movl %ebx, RESULT(1)
	ljmp $CONF0, $conf_jmp
conf_back:
	RESUME conf_r1
conf_f1:	lcall $KCODE, $conf_target	/* #GP(0x08) */
conf_r1:	RESUME conf_r2
conf_f2:	ljmp $KCODE, $conf_target	/* #GP(0x08) */
conf_r2:	RESUME conf_r3
conf_f3:	lcall $CGATE0, $0		/* gate DPL 0 < CPL 3: #GP(0x68) */
conf_r3:	int $0x30
conf_target:
	movl %cs, %eax
	movl %esp, %ebx
	lret
conf_jmp:
	movl %cs, %eax
	movl %eax, RESULT(2)
	ljmp $UCODE, $conf_back

/* 4: call gate to ring 1: #TS(SS1) while SS1 has the wrong RPL, then the ring-1 stack */
sc_ring1:
	call setup
	movl $KDATA, tss0 + 16
	movl $r1_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
r1_code:
	movw $UDATA, %ax
	movw %ax, %ds
	pushl $0xABCD1234
	RESUME r1_r1
r1_f1:	lcall $CGATE_R1, $0			/* #TS(0x10): SS1 RPL is not 1 */
r1_r1:	movl $(R1DATA | 1), tss0 + 16
	lcall $CGATE_R1, $0
r1_ret:
	movl %esp, %eax
	int $0x30
cg1_target:
	movl %cs, %eax
	movl %eax, RESULT(0)
	movl %ss, %eax
	movl %eax, RESULT(1)
	movl %esp, RESULT(2)
	movl 8(%esp), %eax
	movl %eax, RESULT(3)
	lret $4

/* 5: RET and IRET to a more privileged level fault with the selector */
sc_inner:
	call setup
	movl $inner_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
inner_code:
	movw $UDATA, %ax
	movw %ax, %ds
	pushl $KCODE
	pushl $inner_r1
	RESUME inner_r1
inner_f1:	lret				/* #GP(0x08) */
inner_r1:	pushfl
	pushl $KCODE
	pushl $inner_r2
	RESUME inner_r2
inner_f2:	iret				/* #GP(0x08) */
inner_r2:	movl %esp, %eax
	int $0x30

/* 6: 16-bit privilege changes: ring-3 16-bit code and stack; a 16-bit call gate copying
   three word parameters to a 16-bit ring-0 stack and RETW 6 back; a 16-bit interrupt gate
   with a 5-word frame and IRETW back */
#define UCODE16  0x70	/* 16-bit code, DPL 3, base = image */
#define USTK16   0x78	/* 16-bit stack, DPL 3, base 0x80000 */
#define KCODE16  0x80	/* 16-bit code, DPL 0, base = image */
#define KSTK16   0x88	/* 16-bit stack, DPL 0, base 0x60000 */
#define CGATE16  0x90	/* 16-bit call gate, DPL 3, 3 parameters */
sc_16bit:
	call setup
	DESC UCODE16, _start, 0xFFFF, 0xFA, 0
	DESC USTK16, 0x80000, 0xFFFF, 0xF2, 0
	DESC KCODE16, _start, 0xFFFF, 0x9A, 0
	DESC KSTK16, 0x60000, 0xFFFF, 0x92, 0
	GATE GDTE(CGATE16), KCODE16, (cg16_target - _start), 0xE403
	GATE IDT(0x37), KCODE16, (int16_handler - _start), 0xE600
	movl $KSTK16, tss0 + 8
	movl $0xF000, tss0 + 4
	xorl %eax, %eax			/* the excursion returns from sc_16bit with EAX = 0 */
	pushal
	movl %esp, saved_esp
	pushl $(USTK16 | 3)
	pushl $0x8000
	pushfl
	pushl $(UCODE16 | 3)
	pushl $(r3_16 - _start)
	iret

	.code16
r3_16:
	movw $UDATA, %ax
	movw %ax, %ds
	pushw $0x1111
	pushw $0x2222
	pushw $0x3333
	lcall $CGATE16, $0
cg16_ret:
	movw %sp, %ax
	addr32 movw %ax, RESULT(10)
	int $0x37
int16_ret:
	movw %sp, %ax
	addr32 movw %ax, RESULT(11)
	int $0x30
r3_16_end:
cg16_target:
	movw %sp, %bp
	xorl %esi, %esi
1:	movw (%bp, %si), %ax
	addr32 movw %ax, results(, %esi, 2)
	addl $2, %esi
	cmpl $14, %esi
	jb 1b
	addr32 movw %sp, RESULT(7)
	addr32 movw %ss, RESULT(8)
	addr32 movw %cs, RESULT(9)
	lretw $6
int16_handler:
	movw %sp, %bp
	movw 0(%bp), %ax
	addr32 movw %ax, RESULT(12)
	movw 2(%bp), %ax
	addr32 movw %ax, RESULT(13)
	movw 4(%bp), %ax
	addr32 movw %ax, RESULT(14)
	movw 6(%bp), %ax
	addr32 movw %ax, RESULT(15)
	movw 8(%bp), %ax
	addr32 movw %ax, RESULT(16)
	addr32 movw %sp, RESULT(17)
	iretw
	.code32

/* 7: JMP through call gates (never a privilege change) and an interrupt gate to conforming
   code (no stack switch) */
#define CGJ0  0x98	/* call gate DPL 0 -> KCODE:jg0 */
#define CGJ3  0xA0	/* call gate DPL 3 -> KCODE:jg0 (more privileged: JMP refuses) */
#define CGJC  0xA8	/* call gate DPL 3 -> CONF0:jgc (conforming: allowed) */
sc_jmpgate:
	call setup
	GATE GDTE(CGJ0), KCODE, jg0, 0x8C00
	GATE GDTE(CGJ3), KCODE, jg0, 0xEC00
	GATE GDTE(CGJC), CONF0, jgc, 0xEC00
	GATE IDT(0x38), CONF0, conf_handler, 0xEE00
	ljmp $CGJ0, $0
jg0_back:
	movl $jg_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
jg0:
	movl %cs, %eax
	movl %eax, RESULT(0)
	jmp jg0_back
jg_code:
	movw $UDATA, %ax
	movw %ax, %ds
	RESUME jg_r1
jg_f1:	ljmp $CGJ3, $0				/* JMP to DPL 0 code through a gate: #GP(0x08) */
jg_r1:	ljmp $CGJC, $0
jgc_back:
	int $0x38
conf_int_ret:
	int $0x30
jgc:
	movl %cs, %eax
	movl %eax, RESULT(1)
	ljmp $UCODE, $jgc_back
conf_handler:
	movl %cs, %eax
	movl %eax, RESULT(2)
	movl %esp, RESULT(3)
	movl (%esp), %eax
	movl %eax, RESULT(4)
	movl 4(%esp), %eax
	movl %eax, RESULT(5)
	iret
