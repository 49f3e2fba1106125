/* Probes for pmode.c: each faulting or interrupting instruction has a label to check. */
        .text
/* u32 read_fs(u32 offset): one 32-bit load through FS (fs_load faults on a limit). */
        .globl read_fs, fs_load
read_fs:
        movl 4(%esp), %ecx
fs_load:
        movl %fs:(%ecx), %eax
        ret

/* void fs_probe(u32 offset): read_fs for try_call. */
        .globl fs_probe
fs_probe:
        jmp read_fs

/*
 * u32 call16(const void *far_ptr, u32 eax): far call into the 16-bit code segment with
 * EAX = eax and EBX = 0xAAAAAAAA; returns EAX, and EBX in the global bx16.
 */
        .globl call16
call16:
        pushl %ebx
        movl 8(%esp), %ecx
        movl 12(%esp), %eax
        movl $0xAAAAAAAA, %ebx
        lcall *(%ecx)
        movl %ebx, bx16
        popl %ebx
        ret

/*
 * Runs in a 16-bit code segment (D = 0): "40" is INC AX and "BB 78 56" is MOV BX,0x5678,
 * so the upper halves of EAX and EBX stay intact; a 32-bit decoder would see INC EAX and
 * a 5-byte MOV EBX that swallows the return. "66 CB" returns to the 32-bit caller.
 */
        .globl code16, code16_end
code16:
        .code16
        incw %ax
        movw $0x5678, %bx
        lretl
        .code32
code16_end:

/* void int_probe(u32 vector_is_0x31): INT 0x30 or INT 0x31; int_next follows each. */
        .globl int30, int30_next, int31, int31_next
int30:  int $0x30
int30_next:
        ret
int31:  int $0x31
int31_next:
        ret

        .bss
        .globl bx16
bx16:   .long 0
