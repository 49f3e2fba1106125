/* hello: greets through the console key, then serves callers forever, answering each
   call with the number of calls so far. Key registers: 1 = console key; a caller's
   resume key arrives in 4. Proves that a C program with text, read-only data, data and
   bss becomes an address space: the greeting lives in .rodata (a shared read-only page),
   the counters in .data and .bss (pages private to each process). */
#include "guest.h"

static const char greeting[] = "hello from a guest process\n";
unsigned first_call = 1;          /* .data */
static unsigned calls;            /* .bss  */
static struct invocation d;       /* .bss  */
static struct message m;          /* .bss  */

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    d.type = INV_CALL;
    d.key = 1;
    d.sndPtr = (unsigned) greeting;
    d.sndLen = sizeof greeting - 1;
    m.w[0] = OC_CONSOLE_WRITE;
    invoke(&d, &m);

    /* RETURN on key register 0 (void): become available and wait for the first caller. */
    d = (struct invocation) {.type = INV_RETURN, .key = 0, .rcvKeys = {0, 0, 0, 4}};
    m.w[0] = RC_OK;
    for (;;) {
        invoke(&d, &m);
        calls += first_call;
        d.key = 4;               /* from now on, reply through the caller's resume key */
        m.w[0] = RC_OK;
        m.w[1] = calls;
    }
}
