/* Probes for paging.c; X_at labels mark the instruction a #PF must report. */
#include "rt.h"

        .macro probe name
        .globl \name, \name\()_at
\name:
        .endm

        .text
/* u32 read32(u32 address) */
probe read32
        movl 4(%esp), %eax
read32_at:
        movl (%eax), %eax
        ret

/* void write32(u32 address): stores 0x5A5A5A5A */
probe write32
        movl 4(%esp), %eax
write32_at:
        movl $0x5A5A5A5A, (%eax)
        ret

/* void call_to(u32 address) */
probe call_to
        movl 4(%esp), %eax
call_to_at:
        call *%eax
        ret

/* Ring 3: a load from, or a store to, user_target; then INT VEC_EXIT. */
probe user_read
        movl user_target, %eax
user_read_at:
        movl (%eax), %eax
        int $VEC_EXIT

probe user_write
        movl user_target, %eax
user_write_at:
        movl %eax, (%eax)
        int $VEC_EXIT

        .bss
        .globl user_target
user_target:
        .long 0
