/*
 * Code for taskswitch.c: the main task's switching wrappers and the entry points of
 * tasks B, C and D. Each task records what it sees through C functions and returns with
 * IRET (to the task in its back link) or a JMP to the main TSS.
 */
#include "rt.h"

        .text
/* void call_task(const u32 *far) / jump_task(far): switch with marker values in ESI/EDI. */
        .globl call_task, call_task_ret, jump_task, jump_task_ret
call_task:
        pushl %esi
        pushl %edi
        movl 12(%esp), %eax
        movl $0x5E5E5E5E, %esi
        movl $0xD1D1D1D1, %edi
        lcall *(%eax)
call_task_ret:
        jmp 1f
jump_task:
        pushl %esi
        pushl %edi
        movl 12(%esp), %eax
        movl $0x5E5E5E5E, %esi
        movl $0xD1D1D1D1, %edi
        ljmp *(%eax)
jump_task_ret:
1:      movl %esi, main_esi
        movl %edi, main_edi
        popl %edi
        popl %esi
        ret

/* void fault_in_task(void): a #GP (DS beyond the GDT limit) handled by a task gate. */
        .globl fault_in_task, fault_in_task_at
fault_in_task:
        movl $(GDT_ENTRIES << 3), %eax
fault_in_task_at:
        movw %ax, %ds
        ret

/* Task B: first entered by CALL (returns by IRET), then resumed by JMP (returns by JMP). */
        .globl task_b_entry, task_b_resume
task_b_entry:
        movl %eax, b_eax
        call task_b_called
        iret
task_b_resume:
        call task_b_jumped
        ljmp *main_ptr
        ud2

/* Task C: entered through the task gate of INT 0x50. */
        .globl task_c_entry
task_c_entry:
        call task_c_body
        iret
        ud2

/* Task D: entered through the task gate of #GP, which pushes the error code. */
        .globl task_d_entry
task_d_entry:
        popl d_error
        call task_d_body
        iret
        ud2

        .bss
        .globl main_esi, main_edi, b_eax, d_error
main_esi: .long 0
main_edi: .long 0
b_eax:    .long 0
d_error:  .long 0
