package org.erosim.kernel.run;

/** How a {@link KernelMachine} run ended, with the exit status that goes with it (docs/run.md). */
public enum RunEnd {
    /** A process invoked SYSTRACE STOP_RUN: status = its w1 & 0xFF. */
    STOPPED("stopped by SYSTRACE STOP_RUN"),
    /** Nothing runnable, nothing sleeping, nothing stalled and no process halted: status 0. */
    IDLE("idle: every process is AVAILABLE or WAITING"),
    /** Nothing can run any more and some process is halted or stalled: status 1 and a report. */
    HALTED("halted"),
    /** --max-cycles reached: status 124. */
    CYCLE_LIMIT("cycle limit reached");

    public final String text;

    RunEnd(String text) {
        this.text = text;
    }

    /** Exit status for a run with no STOP_RUN status. */
    public static final int STATUS_HALTED = 1;
    public static final int STATUS_CYCLE_LIMIT = 124;
}
