# org: 0x0
/*
 * storm: the one code page every process of an `erosim storm` system runs (docs/storm.md).
 * It is the whole address space of every process (a read-only page key, mapped at 0), so a
 * million sleepers share it and its invocation descriptors; each process's state is its
 * registers and its key registers. Entry points (StormSystem sets each process's EIP):
 *
 *   0x00 caller      CALL key register 1 (a kept red segment: the gate to its keeper); when
 *                    served, RETURN on the void key: done, AVAILABLE.
 *   0x20 client      QPOST to key register 2 (a start key to itself) gated on key register 1
 *                    (a kept red segment), then RETURN on void and wait; each delivered post
 *                    wakes it and it waits again.
 *   0x40 old keeper  CALL key register 1 (the controller's start key), so it is busy until the
 *                    controller returns through the resume key; then serve like `keeper`.
 *   0x60 keeper      RETURN on key register 5 with "key 3 -> register 5": the first time (void)
 *                    this waits for callers; afterwards it replies to the last caller through
 *                    its resume key and waits for the next.
 *   0x80 ctl_swap    the trigger: NODE SWAP_SLOT through key register 2 (a node key to red
 *                    segment 0) puts key register 3 (a new keeper's start key, or void) into
 *                    keeper slot 1; then NUMBER GET of register 7 (how long the old keeper stays
 *                    busy), SLEEP_FOR that long through register 6, and go on at ctl_open.
 *   0xc0 ctl_open    RETURN through key register 5 (the old keeper's resume key, received when
 *                    it called): the old keeper returns. Then wait (RETURN on void).
 *   0xe0 ctl_hold    CALL key register 1 (the old keeper's start key): the controller stalls on
 *                    the busy old keeper and stays busy itself, a second keeper that never
 *                    serves (the herd benchmark swaps the keeper slot between the two).
 *
 * Invocation descriptors (abi.md section 1) are at 0x100, 32 bytes each. No stack is used.
 * What it proves: the storm scenarios' sleepers are real guest processes whose every retry
 * re-executes the INT 0x31 in ring 3 (StormSystemTest, StormCommandTest).
 */
    .code32
    .text
    .globl _start
_start:
caller:
    mov $d_call1, %ebp
    int $0x31
1:  mov $d_ret0, %ebp
    int $0x31
    jmp 1b

    .org 0x20
client:
    mov $d_qpost, %ebp
    int $0x31
1:  mov $d_ret0, %ebp
    int $0x31
    jmp 1b

    .org 0x40
old_keeper:
    mov $d_call1, %ebp
    int $0x31
    jmp keeper

    .org 0x60
keeper:
    mov $d_serve, %ebp
    int $0x31
    jmp keeper

    .org 0x80
ctl_swap:
    mov $1, %eax            /* NODE SWAP_SLOT */
    mov $1, %ebx            /* keeper slot 1 */
    mov $d_swap, %ebp
    int $0x31
    xor %eax, %eax          /* NUMBER GET: EBX:ECX = cycles the old keeper stays busy */
    mov $d_get, %ebp
    int $0x31
    xor %eax, %eax          /* SLEEP_FOR EBX:ECX */
    mov $d_sleep, %ebp
    int $0x31
    jmp ctl_open

    .org 0xc0
ctl_open:
    xor %eax, %eax
    mov $d_retk, %ebp
    int $0x31
1:  mov $d_ret0, %ebp
    int $0x31
    jmp 1b

    .org 0xe0
ctl_hold:
    mov $d_call1, %ebp
    int $0x31
    jmp ctl_hold

    .org 0x100
/* invType, invKey, gateKey, 0; sndKeys[4]; sndPtr; sndLen; rcvKeys[4]; rcvPtr; rcvLimit; 0 */
d_call1:                    /* CALL register 1, nothing sent or received */
    .byte 2, 1, 0, 0
    .long 0, 0, 0, 0, 0, 0, 0
d_ret0:                     /* RETURN on the void key: AVAILABLE */
    .byte 0, 0, 0, 0
    .long 0, 0, 0, 0, 0, 0, 0
d_qpost:                    /* QPOST register 2, gate register 1 */
    .byte 6, 2, 1, 0
    .long 0, 0, 0, 0, 0, 0, 0
d_serve:                    /* RETURN register 5; receive key 3 (resume key) into register 5 */
    .byte 0, 5, 0, 0
    .long 0, 0, 0
    .byte 0, 0, 0, 5
    .long 0, 0, 0
d_swap:                     /* CALL register 2 sending register 3 as key 0; key 0 back into register 4 */
    .byte 2, 2, 0, 0
    .byte 3, 0, 0, 0
    .long 0, 0
    .byte 4, 0, 0, 0
    .long 0, 0, 0
d_get:                      /* CALL register 7 (a number key) */
    .byte 2, 7, 0, 0
    .long 0, 0, 0, 0, 0, 0, 0
d_sleep:                    /* CALL register 6 (the sleep key) */
    .byte 2, 6, 0, 0
    .long 0, 0, 0, 0, 0, 0, 0
d_retk:                     /* RETURN register 5 (a resume key), nothing sent */
    .byte 0, 5, 0, 0
    .long 0, 0, 0, 0, 0, 0, 0
