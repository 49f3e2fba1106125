# org: 0x10000
/*
 * ipc-poster: the poster of PostFireBenchmark (bench/.../ipc/PostFireSystem.java builds the
 * image). A ring-3 process that QPOSTs in an endless loop with the descriptor EBP points at:
 * the invoked key is register 0 (void: a post that fires is dropped, as a SEND to a void key
 * is) and the gate is key register 3, a segment key to a kept red segment. The benchmark
 * drives it on the kernel path only (KernelPathDriver), so only the trap and the descriptor
 * matter; the trap is the first instruction, at the program's base.
 */
        .code32
        .text
        .globl  _start
_start:
trap:
        int     $0x31                   /* QPOST (EBP) */
        jmp     trap

        .org    0x100
qpost_descriptor:
        .byte   6, 0, 3, 0              /* invType QPOST, invKey 0 (void target), gate key 3 */
        .byte   0, 0, 0, 0              /* sndKeys: none */
        .long   0, 0                    /* sndPtr, sndLen: no string */
        .byte   0, 0, 0, 0              /* rcvKeys: none */
        .long   0, 0, 0                 /* rcvPtr, rcvLimit, reserved */
