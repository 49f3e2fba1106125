package org.erosim.kernel.sched;

/** How a stall queue is woken when its owner's condition changes (kernel.md §6); a run option. */
public enum WakePolicy {
    /** EROS: every sleeper moves to the ready queue and retries. The default. */
    WAKE_ALL,
    /**
     * KeyKOS: only the first sleeper is woken; when it commits, re-stalls on another queue or
     * goes away, the next sleeper of the same queue is woken, so a herd drains one at a time.
     */
    WAKE_ONE
}
