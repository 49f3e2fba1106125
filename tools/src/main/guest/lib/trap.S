/* unsigned invoke(const struct invocation *d, struct message *m)
   The trap takes w0..w3 in EAX, EBX, ECX, EDX and the descriptor address in EBP; on resume
   EAX..EDX hold the words received, ESI the string length, EDI the keyInfo (abi.md §1).
   EBX, ESI, EDI and EBP are callee-saved in the i386 System V ABI, so they are saved here. */
    .text
    .globl invoke
invoke:
    push %ebp
    push %ebx
    push %esi
    push %edi
    mov 20(%esp), %ebp          /* d */
    mov 24(%esp), %eax          /* m */
    mov 4(%eax), %ebx
    mov 8(%eax), %ecx
    mov 12(%eax), %edx
    mov (%eax), %eax
    int $0x31
    mov 24(%esp), %ebp          /* m again: the descriptor pointer is no longer needed */
    mov %eax, (%ebp)
    mov %ebx, 4(%ebp)
    mov %ecx, 8(%ebp)
    mov %edx, 12(%ebp)
    mov %esi, 16(%ebp)
    mov %edi, 20(%ebp)
    mov (%ebp), %eax
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    ret
