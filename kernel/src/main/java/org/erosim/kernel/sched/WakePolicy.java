package org.erosim.kernel.sched;

/** How a stall queue is woken when its owner's condition changes (kernel.md §6); a run option. */
public enum WakePolicy {
    /** EROS: every sleeper moves to the ready queue and retries. The default. */
    WAKE_ALL("wake-all"),
    /**
     * KeyKOS: only the first sleeper is woken; when it commits, re-stalls on another queue or
     * goes away, the next sleeper of the same queue is woken, so a herd drains one at a time.
     */
    WAKE_ONE("wake-one");

    /** The name on the command line ({@code --wake-policy}), in reports and in JSON. */
    public final String label;

    WakePolicy(String label) {
        this.label = label;
    }

    /** The policy called {@code label}, or null if none is. */
    public static WakePolicy byLabel(String label) {
        for (WakePolicy p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        return null;
    }
}
