/* new-object: a flat code page (linked at 0, run from a page key as the whole address space,
   so walking its space needs no node) that makes one object and ends the run with the
   result: CALL the range key in key register 2 with the order the image put in EAX
   (RANGE NEW_NODE, NEW_PAGE or NEW_PROCESS), then STOP_RUN through the systrace key in
   register 3 with w1 = the result code, so the run's exit status is its low byte (0 OK,
   5 NO_RESOURCES). The new key goes to key register 4. Used with a node table too small
   to hold more than the process's own two nodes (KernelKeyOrdersTest). */
#include "erosim.h"
    .code32
    .text
    .globl _start
_start:
    mov $desc_range, %ebp
    int $ERO_TRAP_VECTOR
    mov %eax, %ebx
    mov $ERO_OC_SYSTRACE_STOP_RUN, %eax
    mov $desc_systrace, %ebp
    int $ERO_TRAP_VECTOR
1:  jmp 1b

    .org 0x100
desc_range:
    .byte ERO_INV_CALL, 2, 0, 0     /* CALL key register 2 (range) */
    .long 0, 0, 0                   /* sndKeys, sndPtr, sndLen */
    .byte 4, 0, 0, 0                /* rcvKeys: key 0 to register 4 */
    .long 0, 0, 0                   /* rcvPtr, rcvLimit, reserved */
desc_systrace:
    .byte ERO_INV_CALL, 3, 0, 0     /* CALL key register 3 (systrace) */
    .long 0, 0, 0, 0, 0, 0, 0
