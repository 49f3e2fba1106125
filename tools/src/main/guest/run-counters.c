/* run-counters: SYSTRACE READ_COUNTERS and RESET_COUNTERS (the string of struct
   ero_counters), the SCHED key (GET_TYPE only) and CHECKPOINT TAKE: makes a node holding the
   number 0xC0FFEE 0x1234 "TAKE", takes a checkpoint and reads the counters again (the test
   then finds the node in the store and runs the store checker on it).
   Key registers: 1 console, 2 systrace, 3 sched, 4 checkpoint, 5 range; 10 receives. */
#define RUN_CONSOLE 1
#define RUN_SYSTRACE 2
#include "run-check.h"

#define SCHED 3
#define CHECKPOINT 4
#define RANGE 5
#define NODE 10

static struct ero_counters c, c2;

static uint32_t read_into(struct ero_counters *into, uint32_t limit)
{
    return run_invoke(ERO_INV_CALL, RUN_SYSTRACE, ERO_OC_SYSTRACE_READ_COUNTERS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, into,
                      limit);
}

static uint32_t read_counters(uint32_t limit)
{
    return read_into(&c, limit);
}

static void mark(uint32_t tag)
{
    run_call(RUN_SYSTRACE, ERO_OC_SYSTRACE_MARK, tag, 0, 0);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    run_report("read counters", read_counters(sizeof c), ERO_RC_OK);
    run_report("counters length", run_msg.rcv_len, ERO_CTR_SIZE);
    run_report("counters version", c.version, ERO_CTR_VERSION_CURRENT);
    run_report("cycles counted", c.cycles > 0 && c.instructions > 0, 1);
    run_report("kernel cycles within cycles", c.kernel_cycles > 0 && c.kernel_cycles < c.cycles, 1);
    run_report("invocations counted", c.invocations >= 1 && c.traps >= c.invocations, 1);

    /* No console line between the reset and the reads: every line is an invocation too. */
    uint32_t rc = run_call(RUN_SYSTRACE, ERO_OC_SYSTRACE_RESET_COUNTERS, 0, 0, 0);
    read_into(&c, sizeof c);
    mark(1);
    mark(2);
    mark(3);
    read_into(&c2, sizeof c2);
    run_report("reset counters", rc, ERO_RC_OK);
    run_report("invocations since reset", (uint32_t) c.invocations, 1);
    run_report("marks since reset", (uint32_t) c.marks, 0);
    run_report("invocations after 3 marks", (uint32_t) c2.invocations, 5);
    run_report("marks after 3 marks", (uint32_t) c2.marks, 3);
    run_report("gate invocations", (uint32_t) c2.gate_invocations, 0);
    run_report("traps at least invocations", c2.traps >= 5, 1);
    run_report("cycles since reset", c2.cycles > c.cycles && c2.cycles < 100000, 1);
    read_counters(16);
    run_report("counters truncated", run_msg.rcv_len, 16);
    run_report("systrace unknown order", run_call(RUN_SYSTRACE, 9, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);

    run_report("sched get-type", run_type_of(SCHED), ERO_KT_SCHED);
    run_report("sched order 0", run_call(SCHED, 0, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);
    run_report("sched order 1", run_call(SCHED, 1, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);

    run_report("new node", run_call(RANGE, ERO_OC_RANGE_NEW_NODE, 0, 0, NODE), ERO_RC_OK);
    run_report("write it", run_invoke(ERO_INV_CALL, NODE, ERO_OC_NODE_WRITE_NUMBER, 0, 0xc0ffee, 0x1234, 0, 0, 0,
                                      "TAKE", 4, 0, 0, 0, 0), ERO_RC_OK);
    run_report("checkpoint get-type", run_type_of(CHECKPOINT), ERO_KT_CHECKPOINT);
    run_report("take", run_call(CHECKPOINT, ERO_OC_CHECKPOINT_TAKE, 0, 0, 0), ERO_RC_OK);
    run_report("checkpoint unknown order", run_call(CHECKPOINT, 1, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);
    read_counters(sizeof c);
    run_report("checkpoints", (uint32_t) c.checkpoints, 1);
    run_report("written back", c.write_backs > 0, 1);
    run_finish();
}
