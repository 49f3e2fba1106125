/* run-keeper: a process keeper. It waits for PROCESS_FAULT upcalls and prints one line per
   upcall: the badge of the start key it was called through (which faulter), the fault code
   and info (w1, w2), and whether the register file it received as its string agrees with
   them (version 1, same code and info, 52 bytes). It restarts the traps BREAKPOINT and
   VECTOR_OF (reply w0 = 0 through the fault resume key: the faulter continues after INT3 or
   INTO) and declines every other fault (reply w0 = 1: the faulter stays halted and the run
   reports it). Key registers: 1 = console; 5 receives the process key to the faulter, 6 the
   fault resume key. Proves that every fault reaches the keeper with its code, info and
   register file, and that a fault resume key restarts or leaves halted as answered. */
#include "erosim.h"

#define CONSOLE 1
#define FAULTER 5
#define FAULT_KEY 6

static char buf[120];
static struct ero_regfile rf;

static unsigned append(unsigned at, const char *s)
{
    while (*s) {
        buf[at++] = *s++;
    }
    return at;
}

static unsigned hex(unsigned at, uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4) {
        buf[at++] = "0123456789abcdef"[(v >> i) & 15];
    }
    return at;
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{0, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, FAULTER, 0, 0, FAULT_KEY);
    ero_rcv_string(&d, &rf, sizeof rf);
    uint32_t order = ero_return(&d, 0, &m); /* wait for the first upcall */
    for (;;) {
        uint32_t code = m.w[1];
        uint32_t info = m.w[2];
        int regs_ok = m.rcv_len == sizeof rf && rf.version == ERO_REGFILE_VERSION_CURRENT && rf.fault_code == code
            && rf.fault_info == info;
        unsigned n = append(0, order == ERO_FC_PROCESS_FAULT ? "keeper: badge " : "keeper: WRONG ORDER badge ");
        n = hex(n, m.key_info);
        n = append(n, " fault ");
        n = hex(n, code);
        n = append(n, " info ");
        n = hex(n, info);
        n = append(n, regs_ok ? " registers ok" : " registers WRONG");
        int restart = code == ERO_FC_BREAKPOINT || code == ERO_FC_VECTOR_BASE + 4;
        n = append(n, restart ? ", restart\n" : ", decline\n");
        ero_console_write(CONSOLE, buf, n);
        m.w[0] = restart ? ERO_RC_OK : 1;
        m.w[1] = m.w[2] = m.w[3] = 0;
        order = ero_return(&d, FAULT_KEY, &m); /* reply through the fault key, wait for the next */
    }
}
