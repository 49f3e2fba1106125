/* Build-time check of the SDK header, compiled (syntax and semantics only) by build.sh on
   every Maven build: erosim.h's _Static_asserts pin every field offset of the invocation
   descriptor (32 bytes), struct ero_msg (the offsets trap.S stores at) and the register
   file (52 bytes), and the red segment format macros' round trip; so a layout mismatch
   fails the build. The asserts below add what C alone can say about the constants. */
#include "erosim.h"

/* Result, order and upcall codes with the top bit set must be 32-bit unsigned in C, so
   comparing them with a uint32_t word never sign-extends. */
_Static_assert(_Generic(ERO_RC_VOID, unsigned int: 1, default: 0), "result codes are unsigned");
_Static_assert(_Generic(ERO_OC_GET_TYPE, unsigned int: 1, default: 0), "GET_TYPE is unsigned");
_Static_assert(_Generic(ERO_FC_PROCESS_FAULT, unsigned int: 1, default: 0), "upcall codes are unsigned");
_Static_assert(sizeof(uint32_t) == 4 && sizeof(void *) == 4, "the SDK is for i386 (gcc -m32)");
_Static_assert(ERO_RESTRICT_ALL == (ERO_RESTRICT_READ_ONLY | ERO_RESTRICT_NO_CALL | ERO_RESTRICT_WEAK
                                    | ERO_RESTRICT_OPAQUE), "ALL is every restriction bit");
_Static_assert(ERO_INV_QPOST == 6 && ERO_KT_COUNT == ERO_KT_CHECKPOINT + 1, "table ends");
_Static_assert(ERO_PROC_KEY_REGISTERS <= 256 && ERO_LIMIT_SLOTS_PER_NODE == ERO_PROC_KEY_REGISTERS,
               "key register numbers fit the descriptor's bytes");
_Static_assert(ERO_FC_VECTOR(14) == 0x10E, "vector faults");

/* Every typed helper instantiated once, so a type error in one of them fails the build
   even while no example program uses it. */
uint32_t sdk_check_helpers(struct ero_desc *d, struct ero_msg *m, void *buf);
uint32_t sdk_check_helpers(struct ero_desc *d, struct ero_msg *m, void *buf)
{
    ero_send_keys(d, 1, 2, 3, 0);
    ero_send_string(d, buf, 16);
    ero_rcv_keys(d, 0, 0, 0, 4);
    ero_rcv_string(d, buf, ERO_LIMIT_MAX_STRING);
    ero_msg_set(m, ERO_OC_GET_TYPE, 0, 0, 0);
    return ero_call(d, 1, m) + ero_return(d, 1, m) + ero_send(d, 1, m) + ero_pcall(d, 1, m)
        + ero_preturn(d, 1, m) + ero_psend(d, 1, m) + ero_qpost(d, 1, 2, m)
        + ero_console_write(1, buf, 1) + (uint32_t) ero_rdtsc()
        + ero_read_counters(2, (struct ero_counters *) buf) + ero_sleep_for(3, 1000)
        + ERO_RSEG_ENCODE(ERO_RSEG_INITIAL(*(uint32_t *) buf), ERO_RSEG_NONE, ERO_RSEG_NONE,
                          ERO_RSEG_CONVENTION_PASS, 1);
}
