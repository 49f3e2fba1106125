/* scen-badmem: proves that touching memory outside what a process's address space grants
   is a process fault, never a host error or a silent success: with keeper upcalls not
   implemented yet the process is halted with the walk's fault code and the faulting
   address as fault info. The case is the number key in register 3 (w1): 0 = read
   0x20000000 (no page there: INVALID_ADDR), 1 = write into its own text, mapped through a
   read-only page key (ACCESS_VIOLATION), 2 = jump to 0x30000000 (instruction fetch from
   nowhere: INVALID_ADDR). Key registers: 1 = console, 3 = number. Prints "badmem CASE"
   first; the line after the fault ("... survived") must never appear. */
#include "scen.h"

#define CONSOLE 1
#define CONFIG 3

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    uint32_t c = scen_number(CONFIG, 1);
    struct scen_line l = {{0}, 0};
    scen_text(&l, "badmem ");
    scen_dec(&l, c);
    scen_print(CONSOLE, &l);
    if (c == 0) {
        volatile uint32_t *p = (volatile uint32_t *) 0x20000000u;
        (void) *p;
    } else if (c == 1) {
        volatile uint8_t *p = (volatile uint8_t *) (uintptr_t) &_start;
        *p = 0xcc;
    } else {
        void (*f)(void) = (void (*)(void)) 0x30000000u;
        f();
    }
    scen_text(&l, "badmem survived");
    scen_print(CONSOLE, &l);
    scen_idle();
}
