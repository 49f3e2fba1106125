# org: 0x10000
/*
 * pagewalk: the memory-heavy loop of InterpreterThroughputBenchmark.pageWalk.
 *
 * Entered in 32-bit flat protected mode at ring 0 with paging on and
 *   EBX = linear base of the data array,
 *   EBP = array size - 1 (the size is a power of two, at least 8 KiB),
 * and never ends. Each iteration makes five data accesses in fourteen instructions:
 *  - a walk with a stride of one page plus eight bytes: every load and store lands on the
 *    next page, at an offset that drifts across the page, so with an array larger than the
 *    software TLB each of them needs a page walk;
 *  - a random-ish dword anywhere in the array (the upper bits of a linear congruential
 *    generator), read and then read-modify-written.
 * Offsets stay 8-byte aligned for the walk and 4-byte aligned for the random access, so
 * no access straddles a page: the benchmark measures TLB misses, not split accesses.
 */
        .code32
        .text
        .globl  _start
_start:
        xor     %esi, %esi              /* walk offset */
        mov     $0x2545F491, %edx       /* generator state */
        xor     %edi, %edi              /* accumulator, stored back so no load is dead */
walk:
        mov     (%ebx,%esi), %eax
        add     %eax, %edi
        mov     %edi, 4(%ebx,%esi)
        add     $4104, %esi
        and     %ebp, %esi
        imul    $1103515245, %edx, %edx
        add     $12345, %edx
        mov     %edx, %eax
        shr     $6, %eax                /* the low bits of an LCG have short periods */
        and     %ebp, %eax
        and     $-4, %eax
        add     (%ebx,%eax), %edi
        xor     %edi, (%ebx,%eax)
        jmp     walk
