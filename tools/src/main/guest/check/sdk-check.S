/* Build-time check that erosim.h is usable from assembly (.S through cpp, then as --32):
   the object-like macros must be plain numbers GNU as accepts, and the C parts must be
   hidden behind __ASSEMBLER__. Assembled by build.sh into a scratch object, not linked. */
#include "erosim.h"
    .if ERO_DESC_SIZE != 32 || ERO_REGFILE_SIZE != 52
    .error "descriptor or register file size"
    .endif
    .if ERO_RC_VOID != 0x80000001 || ERO_FC_SEGMENT_FAULT != 0xFFFF0002
    .error "32-bit codes"
    .endif
    .text
    movb $ERO_INV_CALL, ERO_DESC_INV_TYPE(%ebp)
    movl $ERO_LIMIT_MAX_STRING, ERO_DESC_RCV_LIMIT(%ebp)
    int $ERO_TRAP_VECTOR
