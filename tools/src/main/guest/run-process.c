/* run-process: every PROCESS key order, on processes that are unloaded, loaded and WAITING,
   RUNNING, and on the invoker itself, plus RETURN on a kernel key answering through a resume
   key sent as the 4th key.
   "target" and "idle" run the flat code page caller-a.bin (see flat/caller.inc): entry 0 is
   its marker loop (CALL key register 1 with w1 = 0xA1), entry 0x40 its echo loop (CALL key 1
   with whatever EAX..EDX hold, i.e. echo every answer back). Both start AVAILABLE; target's
   key register 1 is a start key to us (badge 3).
   Key registers: 1 console, 2 systrace, 3 process target, 4 node box weak (slot 1 = process
   target), 5 discrim, 6 sleep, 7 process boss (ourselves), 8 process idle, 9 number 0x11
   0x22 0x33, 10 node box, 11 segment other-space (caller-b.bin: marker 0xB2); 20.. receive. */
#define RUN_CONSOLE 1
#define RUN_SYSTRACE 2
#include "run-check.h"

#define TARGET 3
#define BOX_WEAK 4
#define DISCRIM 5
#define SLEEP 6
#define SELF 7
#define IDLE 8
#define NUMBER 9
#define BOX 10
#define OTHER_SPACE 11
#define R0 20
#define R1 21
#define R2 22
#define START 23
#define RESUME 24
#define WEAK 25

static struct ero_regfile regs;

static uint32_t get_regs(unsigned process, uint32_t limit)
{
    return run_invoke(ERO_INV_CALL, process, ERO_OC_PROCESS_GET_REGS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, &regs, limit);
}

static uint32_t set_regs(unsigned process, uint32_t len)
{
    return run_invoke(ERO_INV_CALL, process, ERO_OC_PROCESS_SET_REGS, 0, 0, 0, 0, 0, 0, &regs, len, 0, 0, 0, 0);
}

/* SET_REGS of process with EIP eip and the rest as GET_REGS found it. */
static uint32_t set_eip(unsigned process, uint32_t eip)
{
    get_regs(process, sizeof regs);
    regs.eip = eip;
    return set_regs(process, sizeof regs);
}

/* RETURN on void, waiting for the next call; its resume key goes to RESUME. */
static void wait_for_call(void)
{
    run_invoke(ERO_INV_RETURN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RESUME, 0, 0);
}

/* SEND through the resume key, words w0..w1: the WAITING process runs again; we go on. */
static void resume_it(uint32_t w0, uint32_t w1)
{
    run_invoke(ERO_INV_SEND, RESUME, w0, w1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    run_report("process get-type", run_type_of(TARGET), ERO_KT_PROCESS);

    /* An unloaded AVAILABLE process: state and registers come from its root node. */
    run_report("get state (unloaded)", run_call(TARGET, ERO_OC_PROCESS_GET_STATE, 0, 0, 0), ERO_RC_OK);
    run_report("run state (unloaded)", run_msg.w[1], ERO_PROC_AVAILABLE);
    run_report("get regs (unloaded)", get_regs(TARGET, sizeof regs), ERO_RC_OK);
    run_report("register file length", run_msg.rcv_len, ERO_REGFILE_SIZE);
    run_report("register file version", regs.version, ERO_REGFILE_VERSION_CURRENT);
    run_report("eflags (unloaded)", regs.eflags, 0x202);
    get_regs(TARGET, 8);
    run_report("get regs truncated", run_msg.rcv_len, 8);

    run_report("copy slot 2", run_call(TARGET, ERO_OC_PROCESS_COPY_SLOT, 2, 0, R0), ERO_RC_OK);
    run_report("space get-type", run_type_of(R0), ERO_KT_SEGMENT);
    run_report("copy slot 3", run_call(TARGET, ERO_OC_PROCESS_COPY_SLOT, 3, 0, R0), ERO_RC_OK);
    run_report("key-registers get-type", run_type_of(R0), ERO_KT_NODE);
    run_report("copy slot 8", run_call(TARGET, ERO_OC_PROCESS_COPY_SLOT, 8, 0, R0), ERO_RC_REQUEST_ERROR);
    run_report("swap slot 3", run_call(TARGET, ERO_OC_PROCESS_SWAP_SLOT, 3, NUMBER, R0), ERO_RC_REQUEST_ERROR);
    run_report("swap slot 8", run_call(TARGET, ERO_OC_PROCESS_SWAP_SLOT, 8, NUMBER, R0), ERO_RC_REQUEST_ERROR);
    run_report("swap slot 5", run_call(TARGET, ERO_OC_PROCESS_SWAP_SLOT, 5, NUMBER, R0), ERO_RC_OK);
    run_report("old slot 5 class", run_classify(DISCRIM, R0), ERO_CLASS_VOID);
    run_call(TARGET, ERO_OC_PROCESS_COPY_SLOT, 5, 0, R0);
    run_report("new slot 5 w1", run_number(R0, 1), 0x11);

    /* (A start key is a gate: GET_TYPE through it would call the process. DISCRIM tells.) */
    run_report("copy keyreg 1", run_call(TARGET, ERO_OC_PROCESS_COPY_KEYREG, 1, 0, R0), ERO_RC_OK);
    run_report("my start key badge 3", run_call(SELF, ERO_OC_PROCESS_MAKE_START_KEY, 3, 0, R1), ERO_RC_OK);
    run_report("keyreg 1 = my start key badge 3", run_compare(DISCRIM, R0, R1), 1);
    run_report("copy keyreg 32", run_call(TARGET, ERO_OC_PROCESS_COPY_KEYREG, 32, 0, R0), ERO_RC_REQUEST_ERROR);
    run_report("copy keyreg 0", run_call(TARGET, ERO_OC_PROCESS_COPY_KEYREG, 0, 0, R0), ERO_RC_OK);
    run_report("keyreg 0 class", run_classify(DISCRIM, R0), ERO_CLASS_VOID);
    run_report("swap keyreg 6", run_call(TARGET, ERO_OC_PROCESS_SWAP_KEYREG, 6, BOX, R0), ERO_RC_OK);
    run_report("old keyreg 6 class", run_classify(DISCRIM, R0), ERO_CLASS_VOID);
    run_call(TARGET, ERO_OC_PROCESS_COPY_KEYREG, 6, 0, R0);
    run_report("keyreg 6 = box", run_compare(DISCRIM, R0, BOX), 1);

    run_report("start key badge 0x10000", run_call(TARGET, ERO_OC_PROCESS_MAKE_START_KEY, 0x10000, 0, START),
               ERO_RC_REQUEST_ERROR);
    run_report("make start key", run_call(TARGET, ERO_OC_PROCESS_MAKE_START_KEY, 7, 0, START), ERO_RC_OK);
    run_report("start key class", run_classify(DISCRIM, START), ERO_CLASS_OTHER);
    run_call(TARGET, ERO_OC_PROCESS_MAKE_START_KEY, 7, 0, R1);
    run_report("same badge, same key", run_compare(DISCRIM, START, R1), 1);
    run_call(TARGET, ERO_OC_PROCESS_MAKE_START_KEY, 8, 0, R1);
    run_report("other badge, other key", run_compare(DISCRIM, START, R1), 0);

    get_regs(TARGET, sizeof regs);
    run_report("set regs short", set_regs(TARGET, sizeof regs - 1), ERO_RC_REQUEST_ERROR);
    regs.version = 2;
    run_report("set regs version 2", set_regs(TARGET, sizeof regs), ERO_RC_REQUEST_ERROR);
    regs.version = ERO_REGFILE_VERSION_CURRENT;
    regs.eip = 0x40;                        /* the echo loop */
    regs.eflags = 0xfffffeff;               /* everything but TF: the kernel keeps what a process may set */
    regs.esi = 0x5151;
    run_report("set regs (unloaded)", set_regs(TARGET, sizeof regs), ERO_RC_OK);
    get_regs(TARGET, sizeof regs);
    run_report("eip after set", regs.eip, 0x40);
    run_report("eflags after set", regs.eflags, 0x00240ed7);
    run_report("esi after set", regs.esi, 0x5151);

    /* Start it through the new start key: it echoes our words back, badge 3. */
    run_invoke(ERO_INV_SEND, START, 0x51, 0x52, 0x53, 0x54, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    wait_for_call();
    run_report("echoed w0", run_msg.w[0], 0x51);
    run_report("echoed w1", run_msg.w[1], 0x52);
    run_report("caller badge", run_msg.key_info, 3);

    /* Loaded and WAITING: the process-table entry is the truth. */
    run_call(TARGET, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("run state (waiting)", run_msg.w[1], ERO_PROC_WAITING);
    get_regs(TARGET, sizeof regs);
    run_report("eip (waiting)", regs.eip, 0x47);
    run_report("eax (waiting)", regs.eax, 0x51);
    run_report("set eip 0 (loaded)", set_eip(TARGET, 0), ERO_RC_OK);
    get_regs(TARGET, sizeof regs);
    run_report("eip after set (loaded)", regs.eip, 0);
    resume_it(0x61, 0x62);
    wait_for_call();
    run_report("marker after set regs", run_msg.w[1], 0xa1);

    /* RETURN on a kernel key with a resume key as 4th key: the answer goes to that process. */
    set_eip(TARGET, 0x40);
    run_invoke(ERO_INV_RETURN, TARGET, ERO_OC_PROCESS_GET_STATE, 0, 0, 0, 0, 0, RESUME, 0, 0, 0, RESUME, 0, 0);
    run_report("answer through resume key w0", run_msg.w[0], ERO_RC_OK);
    run_report("answer through resume key w1", run_msg.w[1], ERO_PROC_WAITING);
    /* RETURN on the void key: its answer, VOID, goes through the resume key just the same. */
    run_invoke(ERO_INV_RETURN, 0, 0x99, 0, 0, 0, 0, 0, RESUME, 0, 0, 0, RESUME, 0, 0);
    run_report("void's answer through resume key", run_msg.w[0], ERO_RC_VOID);

    /* MAKE_RESUME_KEY: the old resume key dies. */
    run_report("make resume key", run_call(TARGET, ERO_OC_PROCESS_MAKE_RESUME_KEY, 0, 0, R1), ERO_RC_OK);
    run_report("old resume key class", run_classify(DISCRIM, RESUME), ERO_CLASS_VOID);
    run_report("new resume key class", run_classify(DISCRIM, R1), ERO_CLASS_RESUME);
    run_report("make resume key of myself", run_call(SELF, ERO_OC_PROCESS_MAKE_RESUME_KEY, 0, 0, R2),
               ERO_RC_REQUEST_ERROR);
    run_report("make resume key (unloaded)", run_call(IDLE, ERO_OC_PROCESS_MAKE_RESUME_KEY, 0, 0, R2), ERO_RC_OK);
    run_call(IDLE, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("run state (made waiting)", run_msg.w[1], ERO_PROC_WAITING);

    /* A RUNNING process made WAITING: its activity ends before it calls us. */
    run_invoke(ERO_INV_SEND, R1, 0x71, 0x72, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    run_call(TARGET, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("run state (resumed)", run_msg.w[1], ERO_PROC_RUNNING);
    run_report("make resume key (running)", run_call(TARGET, ERO_OC_PROCESS_MAKE_RESUME_KEY, 0, 0, RESUME),
               ERO_RC_OK);
    run_call(TARGET, ERO_OC_PROCESS_GET_STATE, 0, 0, 0);
    run_report("run state (stopped)", run_msg.w[1], ERO_PROC_WAITING);

    /* SWAP_SLOT 2: the new space is the one it runs in. */
    run_report("swap space", run_call(TARGET, ERO_OC_PROCESS_SWAP_SLOT, 2, OTHER_SPACE, R0), ERO_RC_OK);
    run_report("old space = copy", run_call(TARGET, ERO_OC_PROCESS_COPY_SLOT, 2, 0, R2), ERO_RC_OK);
    run_report("slot 2 = other space", run_compare(DISCRIM, R2, OTHER_SPACE), 1);
    set_eip(TARGET, 0);
    resume_it(0, 0);
    wait_for_call();
    run_report("marker in the new space", run_msg.w[1], 0xb2);

    /* Through a weak (hence read-only) process key. */
    run_report("weak copy", run_call(BOX_WEAK, ERO_OC_NODE_COPY_SLOT, 1, 0, WEAK), ERO_RC_OK);
    run_report("weak get state", run_call(WEAK, ERO_OC_PROCESS_GET_STATE, 0, 0, 0), ERO_RC_OK);
    run_report("weak get regs", get_regs(WEAK, sizeof regs), ERO_RC_OK);
    run_report("weak swap slot", run_call(WEAK, ERO_OC_PROCESS_SWAP_SLOT, 5, NUMBER, R0), ERO_RC_NO_ACCESS);
    run_report("weak swap keyreg", run_call(WEAK, ERO_OC_PROCESS_SWAP_KEYREG, 5, NUMBER, R0), ERO_RC_NO_ACCESS);
    run_report("weak set regs", set_regs(WEAK, sizeof regs), ERO_RC_NO_ACCESS);
    run_report("weak make start key", run_call(WEAK, ERO_OC_PROCESS_MAKE_START_KEY, 1, 0, R0), ERO_RC_NO_ACCESS);
    run_report("weak make resume key", run_call(WEAK, ERO_OC_PROCESS_MAKE_RESUME_KEY, 0, 0, R0), ERO_RC_NO_ACCESS);
    run_call(WEAK, ERO_OC_PROCESS_COPY_SLOT, 3, 0, R0);
    run_call(TARGET, ERO_OC_PROCESS_COPY_SLOT, 3, 0, R1);
    run_call(R1, ERO_OC_REDUCE, ERO_RESTRICT_READ_ONLY | ERO_RESTRICT_WEAK, 0, R2);
    run_report("weak copy of slot 3 is diminished", run_compare(DISCRIM, R0, R2), 1);

    /* The invoker itself: its entry holds what it resumes with, before the answer's words. */
    {
        struct ero_desc d = {0};
        ero_rcv_string(&d, &regs, sizeof regs);
        ero_msg_set(&run_msg, ERO_OC_PROCESS_GET_REGS, 0, 0, 0);
        run_report("get my regs", ero_call(&d, SELF, &run_msg), ERO_RC_OK);
        run_report("my eax at the trap", regs.eax, ERO_OC_PROCESS_GET_REGS);
        run_report("my ebp is the descriptor", regs.ebp == (uint32_t) (uintptr_t) &d, 1);
        run_report("my run state", run_call(SELF, ERO_OC_PROCESS_GET_STATE, 0, 0, 0) | run_msg.w[1],
                   ERO_PROC_RUNNING);
    }
    run_report("process unknown order", run_call(TARGET, 99, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);
    run_finish();
}
