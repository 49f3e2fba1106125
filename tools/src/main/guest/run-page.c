/* run-page: PAGE ZERO and CLONE, seen by a process that executes the page.
   Another process, "caller", runs from the page `code` (the flat code page caller-a.bin
   mapped at 0): its marker loop CALLs us with w1 = 0xA1, over and over. We CLONE `code` from
   `code-b` (caller-b.bin: the same code with marker 0xB2) and answer it: its next call
   carries 0xB2, so the CPU dropped the instructions it had decoded from the page. Then we
   ZERO the page and resume it: it now executes zeros (ADD [EAX], AL with EAX = 0) up to the
   end of the page and faults at 0x1000 (INVALID_ADDR: nothing is mapped there), which
   GET_STATE shows. Also the refusals: read-only page keys (NO_ACCESS), a CLONE source that
   is not a page key (REQUEST_ERROR), an unknown order.
   Key registers: 1 console, 2 systrace, 3 page code, 4 page code-b, 5 page code read-only,
   6 process caller, 7 sleep, 8 number, 9 node; 10 receives the caller's resume key. */
#define RUN_CONSOLE 1
#define RUN_SYSTRACE 2
#include "run-check.h"

#define CODE 3
#define CODE_B 4
#define CODE_RO 5
#define CALLER 6
#define SLEEP 7
#define NUMBER 8
#define NODE 9
#define RESUME 10

/* CLONE the page in register to from the key in register from. */
static uint32_t clone(unsigned to, unsigned from)
{
    return run_call(to, ERO_OC_PAGE_CLONE, 0, from, 0);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    /* Wait for the caller's first call (it may have stalled on us until now). */
    run_invoke(ERO_INV_RETURN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RESUME, 0, 0);
    run_report("first marker", run_msg.w[1], 0xa1);
    run_report("caller's badge", run_msg.key_info, 5);

    run_report("page get-type", run_type_of(CODE), ERO_KT_PAGE);
    run_report("zero read-only", run_call(CODE_RO, ERO_OC_PAGE_ZERO, 0, 0, 0), ERO_RC_NO_ACCESS);
    run_report("clone into read-only", clone(CODE_RO, CODE_B), ERO_RC_NO_ACCESS);
    run_report("clone from number", clone(CODE, NUMBER), ERO_RC_REQUEST_ERROR);
    run_report("clone from void", clone(CODE, 0), ERO_RC_REQUEST_ERROR);
    run_report("clone from node", clone(CODE, NODE), ERO_RC_REQUEST_ERROR);
    run_report("clone from itself", clone(CODE, CODE), ERO_RC_OK);
    run_report("clone from read-only copy of itself", clone(CODE, CODE_RO), ERO_RC_OK);
    run_report("page unknown order", run_call(CODE, 7, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);

    /* The page unchanged so far: the caller still calls with 0xA1. */
    run_invoke(ERO_INV_RETURN, RESUME, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RESUME, 0, 0);
    run_report("marker before clone", run_msg.w[1], 0xa1);

    run_report("clone", clone(CODE, CODE_B), ERO_RC_OK);
    run_invoke(ERO_INV_RETURN, RESUME, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RESUME, 0, 0);
    run_report("marker after clone", run_msg.w[1], 0xb2);

    run_report("zero", run_call(CODE, ERO_OC_PAGE_ZERO, 0, 0, 0), ERO_RC_OK);
    /* Resume the caller (SEND: we go on) with EAX = 0, then give it time to run. */
    run_invoke(ERO_INV_SEND, RESUME, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    run_report("sleep", ero_sleep_for(SLEEP, 200000), ERO_RC_OK);
    run_report("caller state", run_call(CALLER, ERO_OC_PROCESS_GET_STATE, 0, 0, 0), ERO_RC_OK);
    run_report("caller run state", run_msg.w[1], ERO_PROC_WAITING);
    run_report("caller fault code", run_msg.w[2], ERO_FC_INVALID_ADDR);
    run_report("caller fault address", run_msg.w[3], 0x1000);
    run_finish();
}
