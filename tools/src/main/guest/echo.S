/* echo: a server in assembly that answers every call with the words it was sent (result
   OK in w0). It first RETURNs on key register 0 (void) to wait for callers; each caller's
   resume key arrives in key register 4 and the reply goes through it. Proves that a program
   without read-only data (text and a writable descriptor only) loads, and gives a second
   program for processes to share. */
#include "erosim.h"
    .section .text.start, "ax"
    .globl _start
_start:
    lea descriptor, %ebp
    xor %eax, %eax
1:  int $ERO_TRAP_VECTOR
    movb $4, descriptor + ERO_DESC_INV_KEY    /* invKey: reply through the resume key from now on */
    xor %eax, %eax              /* w0 = OK; w1..w3 go back as received */
    jmp 1b

    .data
    .align 4
descriptor:
    .byte ERO_INV_RETURN, 0, 0, 0   /* RETURN, invKey 0 (void), no gate */
    .byte 0, 0, 0, 0            /* sndKeys */
    .long 0, 0                  /* sndPtr, sndLen */
    .byte 0, 0, 0, 4            /* rcvKeys: the resume key (4th key) into register 4 */
    .long 0, 0, 0               /* rcvPtr, rcvLimit, reserved */
