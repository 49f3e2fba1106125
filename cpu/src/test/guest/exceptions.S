# org: 0x10000
/*
 * Exceptions delivered through 32-bit interrupt and trap gates: one scenario per vector
 * (or group), each raising the exception at a labelled instruction and resuming after it.
 * The Java test checks vector, error code, saved EIP/CS/EFLAGS and the order of events.
 */
#include "pm.inc"

#define NP_DATA   0x40
#define NP_CODE   0x48
#define XO_CODE   0x50
#define RO_DATA   0x58
#define SMALL_TSS 0x60
#define STK       0x68
#define NP_STACK  0x70

	.balign 4
scenarios:
	.long sc_de, sc_db, sc_bp, sc_of, sc_br, sc_ud, sc_nm, sc_ts
	.long sc_np, sc_ss, sc_gp, sc_idt, sc_df, sc_triple, sc_ring3_int, sc_gates
	.long sc_external

/* 0: #DE from DIV by zero: a fault, EIP at the DIV */
sc_de:
	movl $1, %eax
	xorl %edx, %edx
	xorl %ecx, %ecx
	RESUME de_resume
de_fault:
	divl %ecx
de_resume:
	xorl %eax, %eax
	ret

/* 1: #DB single-step traps: TF set by POPF traps after each following instruction */
sc_db:
	pushfl
	orl $EFL_TF, (%esp)
	popfl
db_1:	movl $1, %eax
db_2:	movl $2, %eax
db_3:	pushfl
db_4:	andl $~EFL_TF, (%esp)
db_5:	popfl
db_6:	xorl %eax, %eax
	ret

/* 2: #BP from INT3: a trap, EIP after the INT3 */
sc_bp:
	int3
bp_after:
	xorl %eax, %eax
	ret

/* 3: #OF from INTO with OF = 1 (a trap); INTO with OF = 0 does nothing */
sc_of:
	movl $0x7FFFFFFF, %eax
	addl $1, %eax
	into
of_after:
	xorl %eax, %eax
	into
	ret

/* 4: #BR from BOUND with the index above the upper bound: a fault */
sc_br:
	movl $10, %eax
	RESUME br_resume
br_fault:
	boundl %eax, bounds
br_resume:
	movl $5, %eax
	boundl %eax, bounds
	xorl %eax, %eax
	ret
	.balign 4
bounds:	.long 0, 5

/* 5: #UD from UD2 */
sc_ud:
	RESUME ud_resume
ud_fault:
	ud2
ud_resume:
	xorl %eax, %eax
	ret

/* 6: #NM from WAIT with CR0.MP and TS, and from an ESC opcode with CR0.EM */
sc_nm:
	movl %cr0, %eax
	orl $0xA, %eax
	movl %eax, %cr0
	RESUME nm_r1
nm_f1:	fwait
nm_r1:	movl %cr0, %eax
	andl $~0xA, %eax
	orl $0x4, %eax
	movl %eax, %cr0
	fwait
	RESUME nm_r2
nm_f2:	fninit
nm_r2:	movl %cr0, %eax
	andl $~0x4, %eax
	movl %eax, %cr0
	xorl %eax, %eax
	ret

/* 7: #TS(selector) from a JMP to a TSS whose limit is below 0x67; nothing switches */
sc_ts:
	DESC SMALL_TSS, small_tss, 0x50, 0x89, 0
	RESUME ts_r
ts_f:	ljmp $SMALL_TSS, $0
ts_r:	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(0)
	xorl %eax, %eax
	ret
	.balign 4
small_tss:	.fill 0x60, 1, 0

/* 8: #NP(selector) loading DS with a not-present segment; #NP(vector*8+2) from INT n
   through a not-present gate (software: EXT clear) */
sc_np:
	DESC NP_DATA, 0, 0xFFFFF, 0x12, 0xC
	movw $NP_DATA, %ax
	RESUME np_r1
np_f1:	movw %ax, %ds
np_r1:	GATE IDT(0x31), KCODE, STUB(0x31), 0x0E00
	RESUME np_r2
np_f2:	int $0x31
np_r2:	xorl %eax, %eax
	ret

/* 9: #SS(selector) loading SS with a not-present segment; #SS(0) for an SS access beyond
   the limit, delivered on that same (non-zero based) stack */
sc_ss:
	DESC NP_STACK, 0, 0xFFFFF, 0x12, 0xC
	movw $NP_STACK, %ax
	RESUME ss_r1
ss_f1:	movw %ax, %ss
ss_r1:	DESC STK, 0x60000, 0xFFFF, 0x92, 0x4
	movl %esp, saved_esp_k
	movw $STK, %ax
	movw %ax, %ss
	movl $0x8000, %esp
	RESUME ss_r2
ss_f2:	movl %ss:0xFFFE, %eax
ss_r2:	movl %ss:0xFFFC, %eax
	movw $KDATA, %ax
	movw %ax, %ss
	movl saved_esp_k, %esp
	xorl %eax, %eax
	ret
	.balign 4
saved_esp_k:	.long 0

/* 10: #GP with selector error codes, and #GP(0) for limit/rights/null violations */
sc_gp:
	movw $0x0FF8, %ax
	RESUME gp_r1
gp_f1:	movw %ax, %ds			/* beyond the GDT limit: #GP(0xFF8) */
gp_r1:	movw $TSS0, %ax
	RESUME gp_r2
gp_f2:	movw %ax, %ds			/* system descriptor: #GP(0x28) */
gp_r2:	DESC XO_CODE, 0, 0xFFFFF, 0x98, 0xC
	movw $XO_CODE, %ax
	RESUME gp_r3
gp_f3:	movw %ax, %es			/* execute-only code: #GP(0x50) */
gp_r3:	DESC RO_DATA, 0, 0xFFFFF, 0x90, 0xC
	movw $RO_DATA, %ax
	movw %ax, %es
	RESUME gp_r4
gp_f4:	movl %eax, %es:0x100		/* write to read-only data: #GP(0) */
gp_r4:	xorl %eax, %eax
	movw %ax, %es
	RESUME gp_r5
gp_f5:	movl %es:0x100, %eax		/* access through a null selector: #GP(0) */
gp_r5:	RESUME gp_r6
gp_f6:	ljmp $0, $0			/* far JMP to the null selector: #GP(0) */
gp_r6:	xorl %eax, %eax
	RESUME gp_r7
gp_f7:	movw %ax, %ss			/* null SS: #GP(0) */
gp_r7:	movw $UDATA, %ax
	RESUME gp_r8
gp_f8:	movw %ax, %ss			/* SS RPL 3 at CPL 0: #GP(0x20) */
gp_r8:	movw $KDATA, %ax
	RESUME gp_r9
gp_f9:	lldt %ax			/* not an LDT descriptor: #GP(0x10) */
gp_r9:	movl $0x200, %eax
	RESUME gp_r10
gp_f10:	movl %eax, %cr4			/* reserved CR4 bit (OSFXSR, no SSE): #GP(0) */
gp_r10:	movw $KDATA, %ax
	movw %ax, %es
	xorl %eax, %eax
	ret

/* 11: IDT limit and gate checks, and the EXT bit for faults raised while delivering an
   exception */
sc_idt:
	movw $(0x80 * 8 - 1), idtr
	lidtl idtr
	RESUME idt_r1
idt_f1:	int $0x80			/* beyond the IDT limit: #GP(0x80*8+2) */
idt_r1:	movw $(256 * 8 - 1), idtr
	lidtl idtr
	GATE IDT(0x32), KCODE, STUB(0x32), 0x8C00
	RESUME idt_r2
idt_f2:	int $0x32			/* a call gate in the IDT: #GP(0x32*8+2) */
idt_r2:	DESC NP_CODE, 0, 0xFFFFF, 0x1A, 0xC
	GATE IDT(6), NP_CODE, STUB(6), 0x8E00
	RESUME idt_r3
idt_f3:	ud2				/* #UD handler segment not present: #NP(0x48+EXT) */
idt_r3:	GATE IDT(6), KCODE, STUB(6), 0x9200
	RESUME idt_r4
idt_f4:	ud2				/* #UD gate is a data descriptor: #GP(6*8+2+EXT) */
idt_r4:	GATE IDT(6), KCODE, STUB(6), 0x0E00
	RESUME idt_r5
idt_f5:	ud2				/* #UD gate not present: #NP(6*8+2+EXT) */
idt_r5:	GATE IDT(6), 0, STUB(6), 0x8E00
	RESUME idt_r6
idt_f6:	ud2				/* #UD gate selects null: #GP(0+EXT) */
idt_r6:	GATE IDT(6), UCODE, STUB(6), 0x8E00
	RESUME idt_r7
idt_f7:	ud2				/* #UD handler DPL 3 > CPL 0: #GP(0x18+EXT) */
idt_r7:	GATE IDT(6), KCODE, STUB(6), 0x8E00
	GATE IDT(0x33), KCODE, STUB(0x33), 0x8F00
	sti
	int $0x33			/* trap gate: IF stays set in the handler */
	int $0x34			/* interrupt gate: IF cleared in the handler */
	cli
	xorl %eax, %eax
	ret

/* 12: #GP while delivering #GP (vector 13 beyond the IDT limit) becomes #DF(0) */
sc_df:
	movw $(9 * 8 - 1), idtr
	lidtl idtr
	movw $0x0FF8, %ax
	RESUME df_r
df_f:	movw %ax, %ds
df_r:	movw $(256 * 8 - 1), idtr
	lidtl idtr
	xorl %eax, %eax
	ret

/* 13: as 12, but #DF is beyond the IDT limit too: triple fault, shutdown */
sc_triple:
	movw $(8 * 8 - 1), idtr
	lidtl idtr
	movw $0x0FF8, %ax
triple_f:
	movw %ax, %ds
	movl $0x55, %eax
	ret

/* 14: software interrupts from ring 3 check the gate DPL (INT3 included: #GP(3*8+2)) */
sc_ring3_int:
	GATE IDT(0x35), KCODE, STUB(0x35), 0xEE00
	movl $r3i_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
r3i_code:
	movw $UDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	RESUME r3i_r1
r3i_f1:	int $0x31			/* gate DPL 0 < CPL 3: #GP(0x31*8+2) */
r3i_r1:	RESUME r3i_r2
r3i_f2:	int3				/* gate DPL 0 < CPL 3: #GP(3*8+2) */
r3i_r2:	int $0x35			/* gate DPL 3: delivered, with the ring-3 SS:ESP */
r3i_after:
	int $0x30

/* 15: a fault in ring 3 delivered through a trap gate with the stack switch, and INT n
   through a 16-bit interrupt gate from ring 0 (a 16-bit frame of IP, CS, FLAGS) */
#define CODE_B 0x78
sc_gates:
	GATE IDT(6), KCODE, STUB(6), 0x8F00
	movl $gates_code, %eax
	call run_ring3
	DESC CODE_B, _start, 0xFFFF, 0x9A, 0x4
	GATE IDT(0x36), CODE_B, (gate16_handler - _start), 0x8600
	movl %esp, RESULT(1)
	int $0x36
int36_ret:
	xorl %eax, %eax
	ret
gates_code:
	movw $UDATA, %ax
	movw %ax, %ds
	RESUME gates_r1
gates_f1:
	ud2
gates_r1:
	int $0x30
/* runs in CODE_B (base = image start); the 16-bit frame holds only the low word of EIP,
   so it returns with a far JMP instead of IRET */
gate16_handler:
	movl %esp, RESULT(2)
	movl 0(%esp), %eax
	movl %eax, RESULT(3)
	movl 4(%esp), %eax
	movl %eax, RESULT(4)
	addl $6, %esp
	ljmp $KCODE, $int36_ret

/* 16: external interrupts (the harness test line, ports 0xEA/0xEB): held off by IF = 0,
   taken only after the instruction following STI, held off one instruction by MOV SS,
   and through a not-present gate giving #NP(vector*8+2+EXT) */
sc_external:
	GATE IDT(0x51), KCODE, STUB(0x51), 0x0E00
	movb $0x50, %al
	outb %al, $0xEA			/* pending from now on, but IF = 0 */
	nop
	sti
ext_1:	nop				/* STI shadow: taken after this instruction */
ext_2:	movb $0x52, %al
	movw %ss, %bx
	outb %al, $0xEB			/* pending once the next instruction is done */
	movw %bx, %ss			/* MOV SS shadow */
ext_3:	nop
ext_4:	cli
	movb $0x51, %al
	outb %al, $0xEA
	sti
	nop
ext_5:	cli
	xorl %eax, %eax
	ret
