# org: 0x10000
/*
 * Two-level paging with 4 KiB and 4 MiB pages: translations, #PF error codes and CR2,
 * accessed/dirty write-back, CR0.WP, U/S and R/W combined over PDE and PTE, INVLPG and
 * CR3 reloads, a double fault from a #PF during #PF delivery (through a task gate), and a
 * REP MOVSB restarted after a #PF on its destination.
 *
 * Tables (physical):
 *   PD  0x200000:  [0] -> PT0 (U,W)   [1] -> PT1 (U,W)   [2] 4 MiB -> 0xC00000 (S,W)
 *                  [3] 4 MiB -> 0x800000 (U,R)   [5] -> PT2 (S,W)   [6] -> PT3 (U,R)
 *   PT0 0x201000:  identity 0..4 MiB, every page U,W
 *   PT1 0x202000:  linear 0x400000 + k * 4 KiB, page k (frames at 0x300000 + k * 4 KiB):
 *                  0 not present, 1 S,R, 2 U,W, 3 S,W, 4 U,W, 5 U,W, 6 U,R,
 *                  8 -> 0x310000 (INVLPG test), 10 U,W, 11 not present (REP MOVSB)
 *   PT2 0x203000:  [0] U,W (under a supervisor PDE)    PT3 0x204000: [0] U,W (under a R PDE)
 */
#include "pm.inc"

#define PD   0x200000
#define PT0  0x201000
#define PT1  0x202000
#define PT2  0x203000
#define PT3  0x204000
#define PTE1(k) (PT1 + 4 * (k))
#define TSSDF 0x40

	.balign 4
scenarios:
	.long sc_basic, sc_pf_super, sc_pf_user, sc_invlpg, sc_df, sc_rep, sc_big_invlpg, sc_cross

enable_paging:
	movl $(PT0 | 7), PD + 0
	movl $(PT1 | 7), PD + 4
	movl $(0xC00000 | 0x83), PD + 8
	movl $(0x800000 | 0x85), PD + 12
	movl $(PT2 | 3), PD + 20
	movl $(PT3 | 5), PD + 24
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	orl $7, %eax
	movl %eax, PT0(, %ecx, 4)
	incl %ecx
	cmpl $1024, %ecx
	jb 1b
	movl $(0x301000 | 1), PTE1(1)
	movl $(0x302000 | 7), PTE1(2)
	movl $(0x303000 | 3), PTE1(3)
	movl $(0x304000 | 7), PTE1(4)
	movl $(0x305000 | 7), PTE1(5)
	movl $(0x306000 | 5), PTE1(6)
	movl $(0x310000 | 7), PTE1(8)
	movl $(0x30A000 | 7), PTE1(10)
	movl $(0x320000 | 7), PT2
	movl $(0x321000 | 7), PT3
	movl $0x11111111, 0x310000
	movl $0x22222222, 0x311000
	movl $PD, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x10, %eax
	movl %eax, %cr4
	movl %cr0, %eax
	orl $0x80000000, %eax
	movl %eax, %cr0
	ret

/* 0: translations through 4 KiB and 4 MiB pages, and the A/D bits they leave */
sc_basic:
	call enable_paging
	movl $0xCAFEBABE, 0x800010		/* 4 MiB page -> 0xC00010 */
	movl 0xC00020, %eax			/* read-only 4 MiB user page -> 0x800020 */
	movl %eax, RESULT(0)
	movl 0x404000, %eax			/* read: A only */
	movl 0x405000, %eax			/* read, then write: A and D */
	movl $0x5555, 0x405004
	movl %cr0, %eax
	movl %eax, RESULT(1)
	xorl %eax, %eax
	ret

/* 1: supervisor #PF error codes and CR2; CR0.WP */
sc_pf_super:
	call enable_paging
	RESUME ps_r1
ps_f1:	movl 0x400000, %eax			/* not present, read: 0 */
ps_r1:	RESUME ps_r2
ps_f2:	movl %eax, 0x400004			/* not present, write: 2 */
ps_r2:	RESUME ps_r3
ps_f3:	movl 0x1000123, %eax			/* PDE not present: 0 */
ps_r3:	movl $0x1234, 0x401000			/* WP = 0: supervisor writes read-only pages */
	movl 0x402000, %eax			/* and reads and writes user pages */
	movl %eax, 0x402004
	movl %cr0, %eax
	orl $0x10000, %eax
	movl %eax, %cr0
	RESUME ps_r4
ps_f4:	movl %eax, 0x401008			/* WP = 1, read-only 4 KiB page: 3 */
ps_r4:	RESUME ps_r5
ps_f5:	movb %al, 0xC00001			/* WP = 1, read-only 4 MiB page: 3 */
ps_r5:	movl %eax, 0x402008			/* writable user page: fine */
	xorl %eax, %eax
	ret

/* 2: user-mode #PF error codes (ring-3 excursion), U/S and R/W over PDE and PTE */
sc_pf_user:
	call enable_paging
	movl $pu_code, %eax
	call run_ring3
	xorl %eax, %eax
	ret
pu_code:
	movw $UDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	RESUME pu_r1
pu_f1:	movl 0x400000, %eax			/* not present: 4 */
pu_r1:	RESUME pu_r2
pu_f2:	movl %eax, 0x400000			/* not present, write: 6 */
pu_r2:	RESUME pu_r3
pu_f3:	movl 0x403000, %eax			/* supervisor page: 5 */
pu_r3:	RESUME pu_r4
pu_f4:	movl %eax, 0x403000			/* supervisor page, write: 7 */
pu_r4:	movl 0x406000, %eax			/* user read-only page: reads fine */
	RESUME pu_r5
pu_f5:	movl %eax, 0x406000			/* ... writes fault: 7 */
pu_r5:	RESUME pu_r6
pu_f6:	movl 0x401000, %eax			/* supervisor read-only page: 5 */
pu_r6:	movl 0xC00000, %eax			/* user read-only 4 MiB page reads */
	RESUME pu_r7
pu_f7:	movl %eax, 0xC00000			/* ... and faults on write: 7 */
pu_r7:	RESUME pu_r8
pu_f8:	movl 0x1400000, %eax			/* PTE user, PDE supervisor: 5 */
pu_r8:	movl 0x1800000, %eax			/* PTE writable, PDE read-only: reads... */
	RESUME pu_r9
pu_f9:	movl %eax, 0x1800000			/* ... but writes fault: 7 */
pu_r9:	movl $0x77, 0x402010			/* user writable page */
	RESUME pu_r10
	movl $0x403000, %eax
pu_f10:	call *%eax				/* fetch from a supervisor page: 5 */
pu_r10:	int $0x30

/* 3: stale translations until INVLPG or a CR3 reload, in both privilege TLB sets */
sc_invlpg:
	call enable_paging
	movl 0x408000, %eax
	movl %eax, RESULT(0)			/* 0x11111111 */
	movl $(0x311000 | 7), PTE1(8)
	movl 0x408000, %eax
	movl %eax, RESULT(1)			/* stale 0x11111111 */
	invlpg 0x408000
	movl 0x408000, %eax
	movl %eax, RESULT(2)			/* 0x22222222 */
	movl $(0x310000 | 7), PTE1(8)
	movl 0x408000, %eax
	movl %eax, RESULT(3)			/* stale 0x22222222 */
	movl %cr3, %eax
	movl %eax, %cr3
	movl 0x408000, %eax
	movl %eax, RESULT(4)			/* 0x11111111 */
	movl $0, PTE1(8)
	movl 0x408000, %eax
	movl %eax, RESULT(5)			/* stale 0x11111111 */
	invlpg 0x408000
	RESUME inv_r1
inv_f1:	movl 0x408000, %eax			/* gone: #PF(0) */
inv_r1:	movl $(0x310000 | 7), PTE1(8)
	movl $inv_user1, %eax
	call run_ring3				/* fills the user TLB set */
	movl $(0x311000 | 7), PTE1(8)
	invlpg 0x408000
	movl $inv_user2, %eax
	call run_ring3
	xorl %eax, %eax
	ret
inv_user1:
	movl %ss:0x408000, %eax			/* DS is null after the IRET: use SS */
	movl %eax, %ss:RESULT(6)		/* 0x11111111 */
	int $0x30
inv_user2:
	movl %ss:0x408000, %eax
	movl %eax, %ss:RESULT(7)		/* 0x22222222 */
	int $0x30

/* 4: #PF while delivering #PF (the stack page is not present) is a double fault, taken
   through a task gate to a task with its own stack and the same CR3 */
sc_df:
	call enable_paging
	DESC TSSDF, tss_df, 0x67, 0x89, 0
	movl $PD, tss_df + 28
	GATE IDT(8), TSSDF, 0, 0x8500
	movl $0x400800, %esp
df_f:	movl 0x400000, %eax
	hlt
df_task:
	popl %eax
	movl %eax, RESULT(0)			/* #DF error code */
	movl %cr2, %eax
	movl %eax, RESULT(1)
	xorl %eax, %eax
	strw %ax
	movl %eax, RESULT(2)
	movl tss_df, %eax
	movl %eax, RESULT(3)			/* back link */
	movl tss0 + 32, %eax
	movl %eax, RESULT(4)			/* interrupted EIP */
	movl tss0 + 56, %eax
	movl %eax, RESULT(5)			/* interrupted ESP */
	pushfl
	popl %eax
	movl %eax, RESULT(6)
	movl %esp, RESULT(7)
	movl %cr3, %eax
	movl %eax, RESULT(8)
	xorl %eax, %eax
	jmp exit

	.balign 16
tss_df:
	.long 0, 0, 0, 0, 0, 0, 0
	.long 0				/* 28 CR3 */
	.long df_task			/* 32 EIP */
	.long 2				/* 36 EFLAGS */
	.long 0, 0, 0, 0		/* EAX ECX EDX EBX */
	.long 0x5E000			/* 56 ESP */
	.long 0, 0, 0			/* EBP ESI EDI */
	.long KDATA, KCODE, KDATA, KDATA, KDATA, KDATA	/* ES CS SS DS FS GS */
	.long 0				/* LDT */
	.word 0, 0x68

/* 5: REP MOVSB whose destination crosses into a not-present page: the #PF leaves
   ECX/ESI/EDI at the faulting element, the handler maps the page, the restart completes */
sc_rep:
	call enable_paging
	movl $rep_fix, exc_hook
	movl $src_buf, %esi
	movl $0x40AF80, %edi
	movl $0x100, %ecx
	cld
rep_insn:
	rep movsb
	movl %ecx, RESULT(0)
	movl %esi, RESULT(1)
	movl %edi, RESULT(2)
	xorl %eax, %eax
	ret
rep_fix:
	movl $(0x30B000 | 7), PTE1(11)
	xorl %eax, %eax
	ret
src_buf:
	.set i, 0
	.rept 0x100
	.byte (i * 7 + 3) & 0xFF
	.set i, i + 1
	.endr

/* 6: INVLPG of any address in a 4 MiB page drops the translation of the whole page */
sc_big_invlpg:
	movl $0xAAAA0000, 0xC01000		/* physical: behind linear 0x801000 */
	movl $0xBBBB0000, 0x401000		/* behind it once PDE 2 points at 0x400000 */
	call enable_paging
	movl 0x801000, %eax
	movl %eax, RESULT(0)
	movl $(0x400000 | 0x83), PD + 8
	invlpg 0x800000				/* the first 4 KiB of the large page */
	movl 0x801000, %eax
	movl %eax, RESULT(1)
	xorl %eax, %eax
	ret

/* 7: accesses that cross into a not-present page fault with CR2 = the first byte of that
   page, and a faulting write stores nothing in the first page */
sc_cross:
	call enable_paging
	movl $0x12345678, 0x40AFFC
	RESUME cr_r1
cr_f1:	movl 0x40AFFE, %eax			/* read: #PF(0), CR2 0x40B000 */
cr_r1:	movl $0xFFFFFFFF, %eax
	RESUME cr_r2
cr_f2:	movl %eax, 0x40AFFE			/* write: #PF(2), CR2 0x40B000 */
cr_r2:	RESUME cr_r3
cr_f3:	addw %ax, 0x40AFFF			/* read-modify-write: #PF(2)... */
cr_r3:	movl 0x40AFFC, %eax
	movl %eax, RESULT(0)
	xorl %eax, %eax
	ret
