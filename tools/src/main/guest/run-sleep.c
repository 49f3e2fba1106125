/* run-sleep: SLEEP SLEEP_FOR. The mode is the number in key register 15 (word 1):
   0 ("napper"): sleeps through CALL and checks with RDTSC that the emulated cycle counter
     advanced by at least the duration; a SEND to the sleep key does not sleep; duration 0
     yields; then calls the "timer" (mode 1) twice, which makes it sleep for the duration it
     asked for;
   1 ("timer"): a timer service: answers each caller by RETURN on the sleep key with
     SLEEP_FOR w1 = the duration the caller sent and the caller's resume key as 4th key, so
     the answer (OK) reaches the caller when the duration has passed, while the timer is
     free for the next caller at once;
   2: sleeps for 2^32 cycles (w2 = 1: the high word counts) and says so first; the run is
     expected to hit its cycle limit before it wakes;
   3: the same sleep, expected to be cut short: a checkpoint taken while it sleeps records
     its answer as RESTART (abi.md), so a run restarted from that checkpoint reports RESTART
     at once and ends the run.
   Key registers: 1 console, 2 systrace, 5 sleep, 6 start key to the timer, 15 number mode;
   10 receives resume keys. */
#define RUN_CONSOLE 1
#define RUN_SYSTRACE 2
#include "run-check.h"

#define SLEEP 5
#define TIMER 6
#define RESUME 10
#define MODE 15

static void timer(void)
{
    run_invoke(ERO_INV_RETURN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, RESUME, 0, 0);
    for (;;) {
        run_invoke(ERO_INV_RETURN, SLEEP, ERO_OC_SLEEP_FOR, run_msg.w[1], 0, 0, 0, 0, RESUME, 0, 0, 0, RESUME, 0, 0);
    }
}

static void napper(void)
{
    uint64_t t0 = ero_rdtsc();
    run_report("sleep for 1000000 cycles", ero_sleep_for(SLEEP, 1000000), ERO_RC_OK);
    uint64_t slept = ero_rdtsc() - t0;
    run_report("slept at least that", slept >= 1000000, 1);
    run_report("and not much more", slept < 1010000, 1);

    t0 = ero_rdtsc();
    run_invoke(ERO_INV_SEND, SLEEP, ERO_OC_SLEEP_FOR, 1000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    run_report("a send does not sleep", ero_rdtsc() - t0 < 100000, 1);
    run_report("sleep for 0 cycles", ero_sleep_for(SLEEP, 0), ERO_RC_OK);
    run_report("sleep get-type", run_type_of(SLEEP), ERO_KT_SLEEP);
    run_report("sleep unknown order", run_call(SLEEP, 5, 0, 0, 0), ERO_RC_UNKNOWN_REQUEST);

    for (int i = 0; i < 2; i++) {
        t0 = ero_rdtsc();
        run_report("timer call", run_call(TIMER, 0, 300000, 0, 0), ERO_RC_OK);
        slept = ero_rdtsc() - t0;
        run_report("the timer let us sleep 300000 cycles", slept >= 300000 && slept < 310000, 1);
    }
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    uint32_t mode = run_number(MODE, 1);
    if (mode == 1) {
        timer();
    }
    if (mode == 2) {
        run_say("sleeping 2^32 cycles\n");
        ero_sleep_for(SLEEP, 1ull << 32);
        run_say("woke up WRONG\n");
        run_bad_ = 1;
        run_finish();
    }
    if (mode == 3) {
        run_say("sleeping 2^32 cycles\n");
        run_report("the sleep was cut short by a restart", ero_sleep_for(SLEEP, 1ull << 32), ERO_RC_RESTART);
        run_finish();
    }
    napper();
    run_finish();
}
