/* run-keeper: a process keeper. It waits for PROCESS_FAULT upcalls and prints one line per
   upcall: the badge of the start key it was called through (which faulter), the fault code
   and info (w1, w2), and whether the register file it received as its string agrees with
   them (version 1, same code and info, 52 bytes). It restarts the traps BREAKPOINT and
   VECTOR_OF (reply w0 = 0 through the fault resume key: the faulter continues after INT3 or
   INTO) and declines every other fault (reply w0 = 1: the faulter stays halted and the run
   reports it). Key registers: 1 = console; 5 receives the process key to the faulter, 6 the
   fault resume key. Proves that every fault reaches the keeper with its code, info and
   register file, and that a fault resume key restarts or leaves halted as answered. */
#include "erolib.h"

#define CONSOLE 1
#define FAULTER 5
#define FAULT_KEY 6

static struct ero_regfile rf;

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{0, 0, 0, 0}, 0, 0};
    ero_process_keeper_desc(&d, FAULTER, FAULT_KEY, &rf);
    uint32_t order = ero_keeper_wait(&d, &m);
    for (;;) {
        uint32_t code = m.w[1];
        uint32_t info = m.w[2];
        int regs_ok = m.rcv_len == sizeof rf && rf.version == ERO_REGFILE_VERSION_CURRENT && rf.fault_code == code
            && rf.fault_info == info;
        struct ero_line l = {{0}, 0};
        ero_line_str(&l, order == ERO_FC_PROCESS_FAULT ? "keeper: badge " : "keeper: WRONG ORDER badge ");
        ero_line_hex(&l, m.key_info);
        ero_line_str(&l, " fault ");
        ero_line_hex(&l, code);
        ero_line_str(&l, " info ");
        ero_line_hex(&l, info);
        ero_line_str(&l, regs_ok ? " registers ok" : " registers WRONG");
        int restart = code == ERO_FC_BREAKPOINT || code == ERO_FC_VECTOR_BASE + 4;
        ero_line_str(&l, restart ? ", restart" : ", decline");
        ero_line_put(&l, CONSOLE);
        order = ero_keeper_reply(&d, FAULT_KEY, restart ? ERO_RC_OK : 1, &m);
    }
}
