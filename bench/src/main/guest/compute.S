# org: 0x10000
/*
 * compute: the register-only integer loop of InterpreterThroughputBenchmark.compute.
 *
 * Entered in 32-bit flat protected mode at ring 0; never touches memory (no stack, no data)
 * and never ends. Each inner iteration is eleven or twelve instructions of the kinds a
 * compute kernel is made of: ADD, SUB, XOR, MOV, SHL/SHR, CMP and a conditional branch whose
 * direction depends on the data (roughly half taken), then a counted loop branch. It proves
 * nothing about correctness; it exists to be executed as fast as the interpreter can.
 */
        .code32
        .text
        .globl  _start
_start:
        mov     $0x12345678, %eax
        mov     $0x9E3779B9, %ebx       /* odd increment: EAX walks all 2^32 values */
        mov     $1, %edx
        xor     %esi, %esi
        xor     %edi, %edi
outer:
        mov     $4096, %ecx
inner:
        add     %ebx, %eax
        xor     %eax, %edx
        mov     %edx, %ebp
        shr     $7, %ebp
        xor     %ebp, %edx
        shl     $3, %ebp
        sub     %ebp, %esi
        cmp     %eax, %edx
        jb      1f                      /* data-dependent: lazy CF of the CMP is evaluated */
        add     $1, %edi
1:      sub     $1, %ecx
        jnz     inner
        jmp     outer
