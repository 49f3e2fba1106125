package org.erosim.kernel.sched;

/**
 * Names the queue an activity is on, as one int: {@code tag << 28 | index}. Stall queues are
 * named by their owner (a node-table index or a process-table entry); the ready queue, the
 * sleep queue and "running" (the processor, not a queue) have fixed ids; -1 is none.
 */
public final class QueueId {
    public static final int NONE = -1;
    public static final int TAG_SHIFT = 28;
    public static final int INDEX_MASK = (1 << TAG_SHIFT) - 1;

    public static final int TAG_NODE = 0;
    public static final int TAG_PROCESS = 1;
    public static final int TAG_READY = 2;
    public static final int TAG_SLEEP = 3;
    public static final int TAG_RUNNING = 4;

    public static final int READY = TAG_READY << TAG_SHIFT;
    public static final int SLEEP = TAG_SLEEP << TAG_SHIFT;
    public static final int RUNNING = TAG_RUNNING << TAG_SHIFT;

    private QueueId() {
    }

    /** The stall queue in the header of node-table record {@code node}. */
    public static int node(int node) {
        return node;
    }

    /** The stall queue of process-table entry {@code entry}. */
    public static int process(int entry) {
        return TAG_PROCESS << TAG_SHIFT | entry;
    }

    public static int tag(int queue) {
        return queue >>> TAG_SHIFT;
    }

    public static int index(int queue) {
        return queue & INDEX_MASK;
    }

    /** True for a node or process stall queue. */
    public static boolean isStallQueue(int queue) {
        return queue != NONE && tag(queue) <= TAG_PROCESS;
    }

    public static String describe(int queue) {
        if (queue == NONE) {
            return "none";
        }
        switch (tag(queue)) {
            case TAG_NODE:
                return "node[" + index(queue) + "]";
            case TAG_PROCESS:
                return "process[" + index(queue) + "]";
            case TAG_READY:
                return "ready";
            case TAG_SLEEP:
                return "sleep";
            case TAG_RUNNING:
                return "running";
            default:
                return "queue 0x" + Integer.toHexString(queue);
        }
    }
}
