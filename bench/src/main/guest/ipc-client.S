# org: 0x10000
/*
 * ipc-client: the client of IpcRoundTripBenchmark (bench/.../ipc/IpcSystem.java builds the
 * image). A ring-3 process that invokes key register 2, a start key to the server, in an
 * endless loop, with the descriptor EBP points at: call_descriptor (CALL, the round trips)
 * or send_descriptor (SEND). Nothing but the four words goes either way: no keys, no string.
 *
 * The trap is the first instruction, at the program's base, so that the kernel-only variant
 * (KernelPathDriver) can take the same trap without executing any of this code. EBX is w1:
 * the client counts its invocations in it, and the echo server sends it back unchanged, so
 * after a quiescent round trip client and server hold the same count (IpcSystemTest).
 * Descriptors live at fixed offsets (0x100, 0x120) that IpcSystem names.
 */
        .code32
        .text
        .globl  _start
_start:
trap:
        int     $0x31                   /* CALL or SEND on key register 2 (EBP) */
        inc     %ebx                    /* w1: one more invocation */
        xor     %eax, %eax              /* w0: order code 0 */
        jmp     trap

        .org    0x100
call_descriptor:
        .byte   2, 2, 0, 0              /* invType CALL, invKey 2 (the server), no gate key */
        .byte   0, 0, 0, 0              /* sndKeys: none (the kernel adds the resume key) */
        .long   0, 0                    /* sndPtr, sndLen: no string */
        .byte   0, 0, 0, 0              /* rcvKeys: none */
        .long   0, 0, 0                 /* rcvPtr, rcvLimit, reserved */

        .org    0x120
send_descriptor:
        .byte   4, 2, 0, 0              /* invType SEND, invKey 2 */
        .byte   0, 0, 0, 0
        .long   0, 0
        .byte   0, 0, 0, 0
        .long   0, 0, 0
