# org: 0x10000
/*
 * Hardware task switching: JMP to a TSS and back, CALL + IRET with NT and the back link,
 * CALL through a task gate, INT through a task gate (twice), an exception through a task
 * gate with its error code pushed on the new task stack, the busy-bit checks, IRET with NT
 * to a task that is not busy, and a fault in the new task (bad LDT) taken after the switch.
 */
#include "pm.inc"

#define TSSB   0x40
#define LDTB   0x48
#define TSSC   0x50
#define TSSD   0x58
#define TGATE  0x60
#define TSSE   0x68
#define TSSF   0x70
#define TSSG   0x78
#define SMALLSS 0x80
#define TSS16  0x88
#define CODE_B 0x90
#define LDT_DATA 0x0C		/* LDT entry 1, TI = 1, RPL 0 */

/* A 32-bit TSS for a ring-0 task with flat segments; FS and the LDT selectable. */
.macro TSS32 eip, esp, fs=KDATA, ldt=0
	.long 0, 0, 0, 0, 0, 0, 0
	.long 0			/* 28 CR3 */
	.long \eip		/* 32 EIP */
	.long 2			/* 36 EFLAGS */
	.long 0, 0, 0, 0	/* 40 EAX ECX EDX EBX */
	.long \esp		/* 56 ESP */
	.long 0, 0, 0		/* 60 EBP ESI EDI */
	.long KDATA, KCODE, KDATA, KDATA, \fs, KDATA	/* 72 ES CS SS DS FS GS */
	.long \ldt		/* 96 LDT */
	.word 0, 0x68
.endm

	.balign 4
scenarios:
	.long sc_jmp, sc_call, sc_callgate, sc_int, sc_exception, sc_busy, sc_badldt
	.long sc_ts_ext, sc_ss_ext, sc_gate_errors, sc_tss16, sc_pingpong

setup:
	DESC TSSB, tss_b, 0x67, 0x89, 0
	DESC LDTB, ldt_b, 15, 0x82, 0
	DESC TSSC, tss_c, 0x67, 0x89, 0
	DESC TSSD, tss_d, 0x67, 0x89, 0
	GATE GDTE(TGATE), TSSB, 0, 0x8500
	DESC TSSE, tss_e, 0x67, 0x89, 0
	movl $0x600DF00D, 0x300000
	clts
	ret

/* byte 5 of a descriptor: type in bits 0-3 (9 available TSS, 0xB busy) */
.macro TYPEOF sel, n
	movzbl gdt + \sel + 5, %eax
	andl $0xF, %eax
	movl %eax, RESULT(\n)
.endm

/* 0: JMP to TSS B and JMP back; registers restored from TSS0 */
sc_jmp:
	call setup
	movl $0x1234, %ebx
	movl $0x5678, %esi
	ljmp $TSSB, $0
jmp_back:
	movl %ebx, RESULT(8)
	movl %esi, RESULT(9)
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(10)
	TYPEOF TSSB, 11
	movl tss_b + 32, %eax
	movl %eax, RESULT(12)
	movl tss_b + 52, %eax
	movl %eax, RESULT(13)
	TYPEOF TSS0, 14
	pushfl
	popl %eax
	movl %eax, RESULT(15)
	xorl %eax, %eax
	ret
task_b:
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(0)
	sldtw %ax
	movl %eax, RESULT(1)
	movl %fs, %eax
	movl %eax, RESULT(2)
	movl %fs:0, %eax
	movl %eax, RESULT(3)
	pushfl
	popl %eax
	movl %eax, RESULT(4)
	movl tss_b, %eax
	movl %eax, RESULT(5)
	TYPEOF TSS0, 6
	TYPEOF TSSB, 7
	movl %cr0, %eax
	movl %eax, RESULT(16)
	movl %esp, RESULT(17)
	movl $0xAAAA, %ebx
	ljmp $TSS0, $0
task_b_after:
	hlt

/* 1: CALL to TSS B: NT and back link set, old task stays busy; IRET returns */
sc_call:
	call setup
	movl $task_b2, tss_b + 32
	lcall $TSSB, $0
call_back:
	pushfl
	popl %eax
	movl %eax, RESULT(8)
	TYPEOF TSS0, 9
	TYPEOF TSSB, 10
	movl tss_b + 36, %eax
	movl %eax, RESULT(11)
	movl tss_b, %eax
	movl %eax, RESULT(12)
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(13)
	xorl %eax, %eax
	ret
task_b2:
	pushfl
	popl %eax
	movl %eax, RESULT(0)
	movl tss_b, %eax
	movl %eax, RESULT(1)
	TYPEOF TSS0, 2
	TYPEOF TSSB, 3
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(4)
	iret

/* 2: CALL through a task gate in the GDT */
sc_callgate:
	call setup
	movl $task_b2, tss_b + 32
	lcall $TGATE, $0
	TYPEOF TSSB, 10
	xorl %eax, %eax
	ret

/* 3: INT through a task gate, twice: the task resumes after its IRET the second time */
sc_int:
	call setup
	GATE IDT(0x40), TSSC, 0, 0x8500
	movl $0x1111, %ebx
	int $0x40
int_back1:
	movl $0x2222, %ebx
	int $0x40
int_back2:
	movl tss0 + 32, %eax
	movl %eax, RESULT(8)
	TYPEOF TSSC, 9
	movl %ebx, RESULT(10)
	xorl %eax, %eax
	ret
task_c:
	incl RESULT(0)
	pushfl
	popl %eax
	movl %eax, RESULT(1)
	movl tss_c, %eax
	movl %eax, RESULT(2)
	movl tss0 + 52, %eax		/* EBX saved in the interrupted task */
	movl %eax, RESULT(3)
	movl %esp, RESULT(4)
	iret
	jmp task_c

/* 4: #GP through a task gate: the error code is pushed on the handler task stack */
sc_exception:
	call setup
	GATE IDT(13), TSSD, 0, 0x8500
	movw $0xFF8, %ax
gp_f:	movw %ax, %ds
gp_back:
	movl $0x77, RESULT(8)
	GATE IDT(13), KCODE, STUB(13), 0x8E00
	xorl %eax, %eax
	ret
task_d:
	movl %esp, RESULT(3)
	popl %eax
	movl %eax, RESULT(0)
	movl tss_d, %eax
	movl %eax, RESULT(1)
	movl tss0 + 32, %eax
	movl %eax, RESULT(2)
	movl $gp_back, tss0 + 32
	iret
	jmp task_d

/* 5: busy and availability checks */
sc_busy:
	call setup
	RESUME busy_r1
busy_f1:	ljmp $TSS0, $0			/* the running task is busy: #GP(0x28) */
busy_r1:	RESUME busy_r2
busy_f2:	lcall $TSS0, $0			/* #GP(0x28) */
busy_r2:	movl $TSSB, tss0		/* back link to an available TSS */
	pushfl
	orl $EFL_NT, (%esp)
	popfl
	RESUME busy_r3
busy_f3:	iret				/* IRET with NT to a task that is not busy: #TS(0x40) */
busy_r3:	pushfl
	andl $~EFL_NT, (%esp)
	popfl
	movl $0, tss0
	TYPEOF TSSB, 0
	TYPEOF TSS0, 1
	xorl %eax, %eax
	ret

/* 6: the new task names a TSS as its LDT: #TS(0x28) raised after the commit point, in
   the context of task E, handled by task F through a task gate */
sc_badldt:
	call setup
	DESC TSSF, tss_f, 0x67, 0x89, 0
	GATE IDT(10), TSSF, 0, 0x8500
	ljmp $TSSE, $0
	hlt
task_e:
	hlt
task_f:
	popl %eax
	movl %eax, RESULT(0)
	movl tss_f, %eax
	movl %eax, RESULT(1)
	movl tss_e + 32, %eax
	movl %eax, RESULT(2)
	TYPEOF TSSE, 3
	TYPEOF TSS0, 4
	TYPEOF TSSF, 5
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(6)
	xorl %eax, %eax
	jmp exit

/* 7: a ring-3 #UD whose ring-0 stack selector (SS0) is null: #TS(0 + EXT), handled by
   task G through a task gate */
sc_ts_ext:
	call setup
	DESC TSSG, tss_g, 0x67, 0x89, 0
	GATE IDT(10), TSSG, 0, 0x8500
	movl $0, tss0 + 8
	movl $ud_code, %eax
	call run_ring3
	hlt

/* 8: a ring-3 #UD whose ring-0 stack has no room for the frame: #SS(SS0 + EXT), handled by
   task G through a task gate */
sc_ss_ext:
	call setup
	DESC TSSG, tss_g, 0x67, 0x89, 0
	DESC SMALLSS, 0x300000, 0xFFF, 0x92, 0x4
	GATE IDT(12), TSSG, 0, 0x8500
	movl $SMALLSS, tss0 + 8
	movl $8, tss0 + 4
	movl $ud_code, %eax
	call run_ring3
	hlt
ud_code:
	ud2
task_g:
	popl %eax
	movl %eax, RESULT(0)
	movl tss_g, %eax
	movl %eax, RESULT(1)
	movl tss0 + 32, %eax
	movl %eax, RESULT(2)
	movl tss0 + 76, %eax
	movl %eax, RESULT(3)
	xorl %eax, %eax
	jmp exit

/* 9: task-gate targets checked on delivery: #GP(TSS selector [+ EXT]) */
sc_gate_errors:
	call setup
	GATE IDT(0x41), 0x44, 0, 0x8500
	RESUME ge_r1
ge_f1:	int $0x41				/* TSS selector in the LDT: #GP(0x44) */
ge_r1:	GATE IDT(0x42), KDATA, 0, 0x8500
	RESUME ge_r2
ge_f2:	int $0x42				/* not a TSS: #GP(0x10) */
ge_r2:	GATE IDT(6), TSS0, 0, 0x8500
	RESUME ge_r3
ge_f3:	ud2					/* busy TSS, exception: #GP(0x28 + EXT) */
ge_r3:	GATE IDT(6), KCODE, STUB(6), 0x8E00
	xorl %eax, %eax
	ret

/* 10: JMP to a 16-bit TSS (type 1) and back: 16-bit state, FS and GS become null, the
   upper halves of the registers are kept */
sc_tss16:
	call setup
	DESC TSS16, tss_16, 0x2B, 0x81, 0
	DESC CODE_B, _start, 0xFFFF, 0x9A, 0x4
	movl $0xABCD0000, %ebx
	ljmp $TSS16, $0
	TYPEOF TSS16, 7
	movzwl tss_16 + 14, %eax
	movl %eax, RESULT(8)
	movzwl tss_16 + 24, %eax
	movl %eax, RESULT(9)
	xorl %eax, %eax
	ret
task16:					/* runs in CODE_B: offsets relative to the image */
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(0)
	movl %fs, %eax
	movl %eax, RESULT(1)
	movl %gs, %eax
	movl %eax, RESULT(2)
	pushfl
	popl %eax
	movl %eax, RESULT(3)
	movl %esp, RESULT(4)
	movl %ebx, RESULT(5)
	TYPEOF TSS16, 6
	movw $0x2468, %bx
	ljmp $TSS0, $0
task16_after:
	hlt

/* 11: endless task switches (JMP there and back, INT through a task gate and IRET), for
   the allocation guard: the test runs it on an instruction budget */
sc_pingpong:
	call setup
	movl $pp_b, tss_b + 32
	movl $0, tss_b + 96		/* no LDT */
	movl $KDATA, tss_b + 88
	GATE IDT(0x40), TSSC, 0, 0x8500
	movl $pp_c, tss_c + 32
pp_loop:
	ljmp $TSSB, $0
	int $0x40
	incl RESULT(0)
	jmp pp_loop
pp_b:
	ljmp $TSS0, $0
	jmp pp_b
pp_c:
	iret
	jmp pp_c

	.balign 8
ldt_b:
	.quad 0
	.quad 0x000092300000FFFF	/* data, base 0x300000, limit 0xFFFF */

	.balign 16
tss_b:	TSS32 task_b, 0x5E000, LDT_DATA, LDTB
tss_c:	TSS32 task_c, 0x5D800
tss_d:	TSS32 task_d, 0x5D000
tss_e:	TSS32 task_e, 0x5C800, KDATA, TSS0
tss_f:	TSS32 task_f, 0x5C000
tss_g:	TSS32 task_g, 0x5B000

tss_16:
	.word 0, 0, 0, 0, 0, 0, 0	/*  0 link, SP0, SS0, SP1, SS1, SP2, SS2 */
	.word task16 - _start		/* 14 IP */
	.word 0x0002 | EFL_NT		/* 16 FLAGS (a JMP leaves NT as the TSS has it) */
	.word 0, 0, 0, 0x1357		/* 18 AX CX DX BX */
	.word 0x5A00, 0, 0, 0		/* 26 SP BP SI DI */
	.word KDATA, CODE_B, KDATA, KDATA	/* 34 ES CS SS DS */
	.word 0				/* 42 LDT */
