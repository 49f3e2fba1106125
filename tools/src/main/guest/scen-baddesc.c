/* scen-baddesc: proves that every kind of malformed invocation is the process fault
   MALFORMED_SYSCALL (the process is halted and reported, fault info = the offending
   address), never a host exception, and that nothing of it commits. The case is the number
   key in register 3 (w1): 0 = the descriptor itself is unreadable (EBP = 0x20000000),
   1 = a receive key register 32, 2 = sndLen 65537, 3 = reserved1 = 1, 4 = a send string
   outside the address space (0x20000000, 16 bytes), 5 = a gate key on a CALL (only QPOST
   has one), 6 = a send key register 200. Each would otherwise be a CONSOLE WRITE of "bad".
   Key registers: 1 = console, 3 = number. Prints "baddesc CASE" first; the console never
   sees "bad", nor the line after the trap. */
#include "scen.h"

#define CONSOLE 1
#define CONFIG 3

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    static const char text[] = "bad";
    uint32_t c = scen_number(CONFIG, 1);
    struct scen_line l = {{0}, 0};
    scen_text(&l, "baddesc ");
    scen_dec(&l, c);
    scen_print(CONSOLE, &l);
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_CONSOLE_WRITE, 0, 0, 0}, 0, 0};
    ero_send_string(&d, text, sizeof text - 1);
    d.inv_type = ERO_INV_CALL;
    d.inv_key = CONSOLE;
    switch (c) {
        case 0:
            ero_invoke((const struct ero_desc *) 0x20000000u, &m);
            break;
        case 1:
            d.rcv_keys[2] = 32;
            break;
        case 2:
            d.snd_len = ERO_LIMIT_MAX_STRING + 1;
            break;
        case 3:
            d.reserved1 = 1;
            break;
        case 4:
            ero_send_string(&d, (const void *) 0x20000000u, 16);
            break;
        case 5:
            d.gate_key = 2;
            break;
        default:
            d.snd_keys[1] = 200;
            break;
    }
    ero_invoke(&d, &m);
    scen_text(&l, "baddesc survived");
    scen_print(CONSOLE, &l);
    scen_idle();
}
