/* uint32_t ero_invoke(const struct ero_desc *d, struct ero_msg *m)   (lib/erosim.h)
   The SDK's one trap stub; every typed helper of erosim.h ends here. The trap takes
   w0..w3 in EAX, EBX, ECX, EDX and the descriptor address in EBP; on resume EAX..EDX hold
   the words received, ESI the string length, EDI the keyInfo (abi.md §1). Those are
   stored into *m at the offsets erosim.h asserts (w 0..12, rcv_len 16, key_info 20) and
   w0 is returned. EBX, ESI, EDI and EBP are callee-saved in the i386 System V ABI, so
   they are saved here; EAX, ECX and EDX are caller-saved, as the compiler expects. */
#include "erosim.h"
    .text
    .globl ero_invoke
    .type ero_invoke, @function
ero_invoke:
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
    int $ERO_TRAP_VECTOR
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
    .size ero_invoke, . - ero_invoke
