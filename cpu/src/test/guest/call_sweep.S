# org: 0x3000
# Calls every EBX-th address from ESI up to EDI, then halts (32-bit flat code).
# RobustnessTest fills the targets so that each call returns at once: it proves that a
# guest decoding code at more pages, or at more byte offsets, than the code cache holds
# leaves the cache within its bounds instead of growing the host heap.
    .code32
    .globl _start
_start:
1:  call *%esi
    add %ebx, %esi
    cmp %edi, %esi
    jb 1b
    hlt
