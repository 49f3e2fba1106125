/* run-divzero: announces itself on the console, then divides by zero. Key registers:
   1 = console. It has no keeper, so the kernel halts it and reports fault DIV_ZERO at the
   EIP of the DIV instruction. Proves that a ring-3 exception leaves the interpreter to the
   kernel (not through guest ring-0 code) and becomes a process fault. */
#include "erosim.h"

static const char line[] = "dividing by zero\n";
volatile uint32_t zero;     /* .bss: the compiler cannot fold the division away */
volatile uint32_t result;

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    ero_console_write(1, line, sizeof line - 1);
    result = 100u / zero;
    for (;;) {
    }
}
