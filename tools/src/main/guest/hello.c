/* hello: greets through the console key, then serves callers forever, answering each
   call with the number of calls so far. Key registers: 1 = console key; a caller's
   resume key arrives in 4. Proves that a C program with text, read-only data, data and
   bss becomes an address space: the greeting lives in .rodata (a shared read-only page),
   the counters in .data and .bss (pages private to each process). */
#include "erosim.h"

static const char greeting[] = "hello from a guest process\n";
unsigned first_call = 1;          /* .data */
static unsigned calls;            /* .bss  */
static struct ero_desc d;         /* .bss  */
static struct ero_msg m;          /* .bss  */

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    d.inv_type = ERO_INV_CALL;
    d.inv_key = 1;
    d.snd_ptr = (unsigned) greeting;
    d.snd_len = sizeof greeting - 1;
    m.w[0] = ERO_OC_CONSOLE_WRITE;
    ero_invoke(&d, &m);

    /* RETURN on key register 0 (void): become available and wait for the first caller. */
    d = (struct ero_desc) {.inv_type = ERO_INV_RETURN, .inv_key = 0, .rcv_keys = {0, 0, 0, 4}};
    m.w[0] = ERO_RC_OK;
    for (;;) {
        ero_invoke(&d, &m);
        calls += first_call;
        d.inv_key = 4;           /* from now on, reply through the caller's resume key */
        m.w[0] = ERO_RC_OK;
        m.w[1] = calls;
    }
}
