/* run-range: RANGE NEW_NODE, NEW_PAGE, NEW_PROCESS and RESCIND from inside a guest; the mode
   is the number in key register 15 (word 1):
   0 (run-range.erosys): makes nodes, pages and processes and uses them — a new process given
     a new page cloned from the flat code page caller-a.bin as its address space, a start key
     to us in its key register 1 and a start key of its own really runs and calls us; another
     given a new (zero) page runs zeros to the end of the page and faults — then rescinds
     nodes, a page, a WAITING process and a RUNNING one, and checks the keys are void;
   1 (run-rescind-self.erosys): sleeps, then rescinds its own process (it gets no answer);
   2 (run-rescind-self.erosys): calls the start key in register 6 (to a mode-1 process,
     which is busy, so it stalls) and reports the answer it gets once that process is gone.
   Key registers: 1 console, 2 systrace, 3 range, 4 discrim, 5 sleep, 6 start key (to
   ourselves in mode 0, badge 9), 7 page caller-a (mode 0) or our own process (mode 1),
   15 number mode; 16.. receive. */
#define RUN_CONSOLE 1
#define RUN_SYSTRACE 2
#include "run-check.h"

#define RANGE 3
#define DISCRIM 4
#define SLEEP 5
#define START_ME 6
#define CODE 7
#define SCHED 8
#define MODE 15
#define N1 16
#define N2 17
#define PG 18
#define P 19
#define Q 20
#define S 21
#define RES 22
#define P2 23
#define Z 24
#define S2 25
#define P3 26
#define S3 27
#define X 28

static uint32_t make(uint32_t order, unsigned rcv)
{
    return run_call(RANGE, order, 0, 0, rcv);
}

static uint32_t rescind(unsigned reg)
{
    return run_call(RANGE, ERO_OC_RANGE_RESCIND, 0, reg, 0);
}

/* A new process in register p running in the page in register space, with a start key to
   us in its key register 1 and its own start key (badge 4) in register start. */
static void child(unsigned p, unsigned space, unsigned start)
{
    run_report("new process", make(ERO_OC_RANGE_NEW_PROCESS, p), ERO_RC_OK);
    run_call(p, ERO_OC_PROCESS_SWAP_SLOT, 0, SCHED, X); /* a schedule key, else it faults NO_SCHEDULE */
    run_report("give it a space", run_call(p, ERO_OC_PROCESS_SWAP_SLOT, 2, space, X), ERO_RC_OK);
    run_report("give it our start key", run_call(p, ERO_OC_PROCESS_SWAP_KEYREG, 1, START_ME, X), ERO_RC_OK);
    run_report("its start key", run_call(p, ERO_OC_PROCESS_MAKE_START_KEY, 4, 0, start), ERO_RC_OK);
}

static void objects(void)
{
    static const char word2[4] = {0x64, 0x63, 0x62, 0x61};
    struct ero_regfile regs;

    run_report("new node", make(ERO_OC_RANGE_NEW_NODE, N1), ERO_RC_OK);
    run_report("new node get-type", run_type_of(N1), ERO_KT_NODE);
    run_call(N1, ERO_OC_NODE_COPY_SLOT, 0, 0, X);
    run_report("new node slot 0 class", run_classify(DISCRIM, X), ERO_CLASS_VOID);
    run_report("write new node", run_invoke(ERO_INV_CALL, N1, ERO_OC_NODE_WRITE_NUMBER, 1, 5, 6, 0, 0, 0, word2, 4,
                                            0, 0, 0, 0), ERO_RC_OK);
    run_call(N1, ERO_OC_NODE_COPY_SLOT, 1, 0, X);
    run_report("new node slot 1 w3", run_number(X, 3), 0x61626364);
    run_report("another new node", make(ERO_OC_RANGE_NEW_NODE, N2), ERO_RC_OK);
    run_report("two new nodes differ", run_compare(DISCRIM, N1, N2), 0);
    run_report("new page", make(ERO_OC_RANGE_NEW_PAGE, PG), ERO_RC_OK);
    run_report("new page get-type", run_type_of(PG), ERO_KT_PAGE);

    run_report("new process", make(ERO_OC_RANGE_NEW_PROCESS, P), ERO_RC_OK);
    run_report("new process get-type", run_type_of(P), ERO_KT_PROCESS);
    run_call(P, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("new process run state", run_msg.w[1], ERO_PROC_AVAILABLE);
    run_invoke(ERO_INV_CALL, P, ERO_OC_PROCESS_GET_REGS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, &regs, sizeof regs);
    run_report("new process eip", regs.eip, 0);
    run_report("new process eflags", regs.eflags, 0x202);
    run_call(P, ERO_OC_PROCESS_COPY_SLOT, 2, 0, X);
    run_report("new process space class", run_classify(DISCRIM, X), ERO_CLASS_VOID);
    run_call(P, ERO_OC_PROCESS_COPY_SLOT, 3, 0, X);
    run_report("new process key registers", run_type_of(X), ERO_KT_NODE);
    run_call(P, ERO_OC_PROCESS_COPY_KEYREG, 1, 0, X);
    run_report("new process keyreg 1 class", run_classify(DISCRIM, X), ERO_CLASS_VOID);
    run_report("range unknown order", make(9, X), ERO_RC_UNKNOWN_REQUEST);
}

static void children(void)
{
    /* A process we make runs code we cloned into a page we made, and calls us. */
    run_report("new page for code", make(ERO_OC_RANGE_NEW_PAGE, Q), ERO_RC_OK);
    run_report("clone code into it", run_call(Q, ERO_OC_PAGE_CLONE, 0, CODE, 0), ERO_RC_OK);
    run_call(P, ERO_OC_PROCESS_SWAP_SLOT, 0, SCHED, X); /* a schedule key, else it faults NO_SCHEDULE */
    run_report("give the new process a space", run_call(P, ERO_OC_PROCESS_SWAP_SLOT, 2, Q, X), ERO_RC_OK);
    run_report("give it our start key", run_call(P, ERO_OC_PROCESS_SWAP_KEYREG, 1, START_ME, X), ERO_RC_OK);
    run_report("its start key", run_call(P, ERO_OC_PROCESS_MAKE_START_KEY, 4, 0, S), ERO_RC_OK);
    run_invoke(ERO_INV_SEND, S, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    run_invoke(ERO_INV_RETURN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RES, 0, 0);
    run_report("the new process calls: marker", run_msg.w[1], 0xa1);
    run_report("the new process calls: badge", run_msg.key_info, 9);
    run_call(P, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("the new process waits", run_msg.w[1], ERO_PROC_WAITING);

    /* A process running in a new page executes zeros up to the end of it. */
    run_report("zero page", make(ERO_OC_RANGE_NEW_PAGE, Z), ERO_RC_OK);
    child(P2, Z, S2);
    run_invoke(ERO_INV_SEND, S2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    run_report("sleep", ero_sleep_for(SLEEP, 100000), ERO_RC_OK);
    run_call(P2, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("zero-page process state", run_msg.w[1], ERO_PROC_WAITING);
    run_report("zero-page process fault", run_msg.w[2], ERO_FC_INVALID_ADDR);
    run_report("zero-page process fault address", run_msg.w[3], 0x1000);
}

static void rescinds(void)
{
    run_report("copy into a node", run_call(N2, ERO_OC_NODE_SWAP_SLOT, 0, N1, X), ERO_RC_OK);
    run_report("rescind node", rescind(N1), ERO_RC_OK);
    run_report("rescinded key class", run_classify(DISCRIM, N1), ERO_CLASS_VOID);
    run_call(N2, ERO_OC_NODE_COPY_SLOT, 0, 0, X);
    run_report("copy in a node after rescind", run_classify(DISCRIM, X), ERO_CLASS_VOID);
    run_report("rescind a void key", rescind(N1), ERO_RC_REQUEST_ERROR);
    run_report("rescind a number", rescind(MODE), ERO_RC_REQUEST_ERROR);
    run_report("rescind register 0", rescind(0), ERO_RC_REQUEST_ERROR);
    run_report("rescind the discrim key", rescind(DISCRIM), ERO_RC_REQUEST_ERROR);
    run_report("rescind page", rescind(PG), ERO_RC_OK);
    run_report("rescinded page get-type", run_type_of(PG), ERO_RC_VOID);

    /* The WAITING process: its process, start and resume keys all die. */
    run_report("rescind waiting process", rescind(P), ERO_RC_OK);
    run_report("its process key", run_type_of(P), ERO_RC_VOID);
    run_report("its start key", run_classify(DISCRIM, S), ERO_CLASS_VOID);
    run_report("its resume key", run_classify(DISCRIM, RES), ERO_CLASS_VOID);

    /* A RUNNING process (ready, or stalled calling us): its activity ends with it. */
    child(P3, Q, S3);
    run_invoke(ERO_INV_SEND, S3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    run_call(P3, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("running process state", run_msg.w[1], ERO_PROC_RUNNING);
    run_report("rescind running process", rescind(P3), ERO_RC_OK);
    run_report("its start key after", run_classify(DISCRIM, S3), ERO_CLASS_VOID);
    run_report("sleep after", ero_sleep_for(SLEEP, 100000), ERO_RC_OK);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    uint32_t mode = run_number(MODE, 1);
    if (mode == 1) {
        ero_sleep_for(SLEEP, 50000);
        run_say("rescinding myself\n");
        rescind(CODE);
        run_say("still here after rescinding myself WRONG\n");
        run_bad_ = 1;
        run_finish();
    }
    if (mode == 2) {
        run_report("start key after rescind", run_call(START_ME, 0, 0, 0, 0), ERO_RC_VOID);
        run_finish();
    }
    objects();
    children();
    rescinds();
    run_finish();
}
