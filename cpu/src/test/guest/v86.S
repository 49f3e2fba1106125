# org: 0x10000
/*
 * Virtual-8086 mode: entered by IRET with EFLAGS.VM = 1 from ring 0; IOPL-sensitive
 * instructions (CLI, STI, PUSHF, POPF, INT n, IRET) fault to the ring-0 monitor with
 * IOPL < 3 and run with IOPL = 3; INT3 is not IOPL-sensitive; IN/OUT obey the I/O
 * permission bitmap whatever the IOPL; interrupts and exceptions push the 9-dword frame
 * with GS/FS/DS/ES and enter ring 0 with the data segments nulled.
 *
 * The V86 code runs in CS = image base / 16 with IP = label - _start; its stack is
 * 9000:1000. The monitor (exc_hook) skips each faulting instruction and ends the
 * excursion at HLT.
 */
#include "pm.inc"

#define V86_SS 0x9000
#define V86_SP 0x1000

/* V86 code: the next exception resumes at a V86 label */
.macro VRESUME label
	movl $(\label - _start), resume_eip - _start
.endm

	.balign 4
scenarios:
	.long sc_iopl0, sc_iopl3, sc_io_iopl0, sc_io_iopl3, sc_exc, sc_task

v86_cs:	.long 0

/* eax = IP (label - _start), ebx = EFLAGS for the V86 code (without VM) */
run_v86:
	pushal
	movl %esp, saved_esp
	movl $_start, %ecx
	shrl $4, %ecx
	movl %ecx, v86_cs
	pushl $0x4444			/* GS */
	pushl $0x3333			/* FS */
	pushl %ecx			/* DS = CS */
	pushl $0x1111			/* ES */
	pushl $V86_SS
	pushl $V86_SP
	orl $EFL_VM, %ebx
	pushl %ebx
	pushl %ecx
	pushl %eax
	iret

/* exc_hook: the monitor. #GP from V86: skip the instruction, or end the excursion at HLT. */
v86_monitor:
	movl 4(%esp), %edx
	cmpl $13, 40(%edx)
	jne 9f
	testl $EFL_VM, 56(%edx)
	jz 9f
	movzwl 52(%edx), %eax
	shll $4, %eax
	movzwl 48(%edx), %ecx
	addl %ecx, %eax
	movzbl (%eax), %ecx
	cmpl $0xF4, %ecx
	je 8f
	movl $2, %eax
	cmpl $0xCD, %ecx		/* INT n */
	je 1f
	cmpl $0xE4, %ecx		/* IN/OUT imm8 */
	jb 2f
	cmpl $0xE7, %ecx
	jbe 1f
2:	movl $1, %eax
1:	addw %ax, 48(%edx)
9:	xorl %eax, %eax
	ret
8:	movl $1, %eax
	ret

/* 0: IOPL 0: every IOPL-sensitive instruction traps with #GP(0); INT3 through a DPL-0 gate
   gives #GP(3*8+2) instead */
sc_iopl0:
	movl $v86_monitor, exc_hook
	movl $(v86_a - _start), %eax
	movl $0x0002, %ebx
	call run_v86
	xorl %eax, %eax
	ret

/* 1: IOPL 3: CLI/STI/PUSHF/POPF run; INT n and INT3 go through DPL-3 gates to ring 0 and
   IRET returns to V86 with the segment registers restored */
sc_iopl3:
	movl $v86_monitor, exc_hook
	GATE IDT(0x31), KCODE, STUB(0x31), 0xEE00
	GATE IDT(3), KCODE, STUB(3), 0xEE00
	movl $(v86_b - _start), %eax
	movl $(0x0002 | EFL_IOPL3), %ebx
	call run_v86
	xorl %eax, %eax
	ret

/* 2, 3: I/O permission bitmap (port 0x80 denied), with IOPL 0 and with IOPL 3 */
sc_io_iopl0:
	movl $0x0002, %ebx
	jmp io_common
sc_io_iopl3:
	movl $(0x0002 | EFL_IOPL3), %ebx
io_common:
	movl $v86_monitor, exc_hook
	orb $0x01, tss0_iomap + 0x10
	movl $(v86_c - _start), %eax
	call run_v86
	xorl %eax, %eax
	ret

/* 4: an exception (#DE) from V86 goes through its DPL-0 gate and resumes in V86 */
sc_exc:
	movl $v86_monitor, exc_hook
	movl $(v86_d - _start), %eax
	movl $0x0002, %ebx
	call run_v86
	xorl %eax, %eax
	ret

/* 5: a JMP to a TSS whose EFLAGS has VM: the task runs in V86 with segments from the
   TSS; its faults use SS0:ESP0 of that TSS; it has no I/O bitmap (every port denied) */
#define TSSV 0x40
sc_task:
	movl $v86_monitor, exc_hook
	DESC TSSV, tss_v, 0x67, 0x89, 0
	movl $_start, %eax
	shrl $4, %eax
	movl %eax, tss_v + 76		/* CS */
	movl %eax, tss_v + 84		/* DS */
	pushal
	movl %esp, saved_esp		/* the monitor ends the excursion here, in task V */
	ljmp $TSSV, $0
	hlt

	.balign 16
tss_v:
	.long 0, 0x6D000, KDATA, 0, 0, 0, 0	/* link, ESP0, SS0, ESP1, SS1, ESP2, SS2 */
	.long 0				/* 28 CR3 */
	.long v86_e - _start		/* 32 EIP */
	.long EFL_VM | 0x0002		/* 36 EFLAGS */
	.long 0, 0, 0, 0		/* EAX ECX EDX EBX */
	.long V86_SP, 0, 0, 0		/* ESP EBP ESI EDI */
	.long 0x1111, 0, V86_SS, 0, 0x3333, 0x4444	/* ES CS SS DS FS GS */
	.long 0				/* LDT */
	.word 0, 0x68			/* I/O map base beyond the limit: no bitmap */

	.code16
v86_a:
	movw $0x1234, %ax
va_cli:	cli
va_sti:	sti
va_pushf:	pushf
va_popf:	popf
va_int:	int $0x21
va_int3:	int3
va_iret:	iret
va_hlt:	hlt

v86_b:
	cli
	sti
	pushf
	popf
	pushf
	popw %ax
	movw $0x1234, %bx
	int $0x31
vb_after_int:
	int3
vb_after_int3:
	movw %fs, %cx
	movw %gs, %dx
	movw %ds, %si
	movw %es, %di
vb_hlt:	hlt

v86_c:
	movb $'V', %al
	outb %al, $0xE9
vc_out80:
	outb %al, $0x80
	movw $0x7F, %dx
vc_outw:
	outw %ax, %dx
	inb $0x81, %al
	movb %al, %bl
vc_hlt:	hlt

v86_d:
	VRESUME vd_r
	xorw %dx, %dx
	movw $1, %ax
	xorw %cx, %cx
vd_div:	divw %cx
vd_r:	movw $0x4321, %bx
vd_hlt:	hlt

v86_e:
	movw $0x6789, %ax
ve_out:	outb %al, $0xE9
ve_hlt:	hlt
	.code32
