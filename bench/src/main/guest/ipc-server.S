# org: 0x10000
/*
 * ipc-server: the echo server of IpcRoundTripBenchmark. The image makes it AVAILABLE as if it
 * had just executed the trap below once (EIP after it, EBP = reply_descriptor, the saved
 * receive fields those of reply_descriptor), so the first caller enters it right after the
 * trap. It answers every message with w0 = OK and w1..w3 as received, by RETURN on key
 * register 4, where each CALL's resume key arrives (the 4th receive key). A SEND delivers a
 * void key there, and a RETURN on a void key just makes the server AVAILABLE again: the
 * same loop serves callers and senders.
 *
 * The trap is the first instruction, at the program's base (see ipc-client.S).
 */
        .code32
        .text
        .globl  _start
_start:
trap:
        int     $0x31                   /* RETURN on key register 4 */
        xor     %eax, %eax              /* w0: result OK; w1..w3 go back as they came */
        jmp     trap

        .org    0x100
reply_descriptor:
        .byte   0, 4, 0, 0              /* invType RETURN, invKey 4 (the resume key), no gate key */
        .byte   0, 0, 0, 0              /* sndKeys: none */
        .long   0, 0                    /* sndPtr, sndLen: no string */
        .byte   0, 0, 0, 4              /* rcvKeys: the 4th key (resume key) into register 4 */
        .long   0, 0, 0                 /* rcvPtr, rcvLimit, reserved */
