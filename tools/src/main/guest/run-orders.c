/* run-orders: checks the kernel keys' answers from inside a guest and prints each one.
   Key registers: 1 = console, 2 = systrace, 3 = number 0x11 0x22 0x33, 4 = void.
   Prints "unknown order -> 80000002" (UNKNOWN_REQUEST for an order the console key does
   not have), GET_TYPE of the console key (12), NUMBER GET (11 22 33), a CALL on a void key
   (80000001), a SEND to the console, a trace MARK, that RDTSC advanced across a kernel
   call, then ends the run with STOP_RUN status 0 if every answer was right, else 1.
   Proves that results of kernel keys reach the guest in EAX..EDX. */

#define CONSOLE 1
#define SYSTRACE 2
#define NUMBER 3
#define VOIDKEY 4

#define RUN_CONSOLE CONSOLE
#define RUN_SYSTRACE SYSTRACE
#include "run-check.h"

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;

    ero_msg_set(&m, 0x1234, 0, 0, 0);
    run_report("unknown order", ero_call(&d, CONSOLE, &m), ERO_RC_UNKNOWN_REQUEST);

    ero_msg_set(&m, ERO_OC_GET_TYPE, 0, 0, 0);
    run_report("console get-type rc", ero_call(&d, CONSOLE, &m), ERO_RC_OK);
    run_report("console get-type w1", m.w[1], ERO_KT_CONSOLE);

    ero_msg_set(&m, ERO_OC_NUMBER_GET, 0, 0, 0);
    run_report("number get rc", ero_call(&d, NUMBER, &m), ERO_RC_OK);
    run_report("number get w1", m.w[1], 0x11);
    run_report("number get w2", m.w[2], 0x22);
    run_report("number get w3", m.w[3], 0x33);

    ero_msg_set(&m, ERO_OC_GET_TYPE, 0, 0, 0);
    run_report("void call", ero_call(&d, VOIDKEY, &m), ERO_RC_VOID);

    static const char sent[] = "sent to the console\n";
    struct ero_desc s = {0};
    ero_send_string(&s, sent, sizeof sent - 1);
    ero_msg_set(&m, ERO_OC_CONSOLE_WRITE, 0, 0, 0);
    ero_send(&s, CONSOLE, &m);

    uint64_t t0 = ero_rdtsc();
    ero_msg_set(&m, ERO_OC_SYSTRACE_MARK, 42, 0, 0);
    run_report("mark", ero_call(&d, SYSTRACE, &m), ERO_RC_OK);
    uint64_t t1 = ero_rdtsc();
    run_report("rdtsc advanced", t1 > t0, 1);

    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, run_bad_ ? 1 : 0, 0, 0);
    ero_call(&d, SYSTRACE, &m);
    for (;;) {
        ero_return(&d, 0, &m);
    }
}
