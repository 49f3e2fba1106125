package org.erosim.kernel.sched;

/**
 * The layout of one activity record (kernel.md §3, §6): the schedulable thing, either the
 * current run of a RUNNING process or (issue 6) a detached queued post. 64 bytes, one cache
 * line, in a fixed off-heap table with a free list.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | kind              | state             | subject           | queue             |  0
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | next              | prev              | flags             | wake origin       | 16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | wake cycle (8)                        | heap index        | stall epoch       | 32
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | slice used (8)                        | reserved (0)                          | 48
 *   +-------------------+-------------------+-------------------+-------------------+ 64
 * </pre>
 *
 * <ul>
 *   <li>kind: {@link #KIND_PROCESS} (subject = process-table entry) or {@link #KIND_POST}
 *   (subject = post-record handle, issue 6); 0 while free.</li>
 *   <li>state and queue agree (checked by {@link SchedulerChecker}): READY on {@link QueueId#READY},
 *   STALLED on one stall queue ({@link QueueId#node} or {@link QueueId#process}), SLEEPING on
 *   {@link QueueId#SLEEP}, RUNNING on {@link QueueId#RUNNING}; FREE records have queue
 *   {@link QueueId#NONE} and {@code next} threads the free list.</li>
 *   <li>next/prev: intrusive links of the ready queue or the stall queue the activity is on
 *   (-1 at the ends). A sleeping activity is in the timer heap at heap index instead.</li>
 *   <li>flags: {@link #FLAG_RETRYING}: woken from a stall queue and not yet committed or
 *   re-stalled (its next outcome counts as a retry). A wake-one sets it when it wakes; a
 *   wake-all's members get it from their dispatch (until then {@link Scheduler#isRetrying}
 *   tells).</li>
 *   <li>wake origin: under the wake-one policy, the stall queue whose single wakeup this
 *   activity holds; its commit or re-stall passes the wakeup on. {@link QueueId#NONE} otherwise.</li>
 *   <li>stall epoch: the wake epoch of the stall queue when the activity was put on it. A
 *   wake-all splices a whole stall queue onto the ready queue in O(1), without visiting its
 *   members, and advances the queue's epoch: a member whose state still says STALLED on a
 *   queue whose epoch has moved on is READY, on the ready queue (and retrying). Only
 *   {@link Scheduler#stateOf} reads a state; the dispatch relabels such an activity when it
 *   reaches the ready queue's head.</li>
 * </ul>
 *
 * <p>No per-activity counters: the stall counters kernel.md §6 asks for are per queue (in the
 * owner's record) and global (the scheduler's). Counting stalls, wakeups and commits in the
 * record too made every wakeup and re-stall a read-modify-write of it, a fifth of the cost
 * of a rewake storm of 100,000 sleepers; nothing read them.
 */
public final class ActivityDescriptor {
    public static final int KIND_OFFSET = 0;
    public static final int STATE_OFFSET = 4;
    public static final int SUBJECT_OFFSET = 8;
    public static final int QUEUE_OFFSET = 12;
    public static final int NEXT_OFFSET = 16;
    public static final int PREV_OFFSET = 20;
    public static final int FLAGS_OFFSET = 24;
    public static final int WAKE_ORIGIN_OFFSET = 28;
    public static final int WAKE_CYCLE_OFFSET = 32;
    public static final int HEAP_INDEX_OFFSET = 40;
    public static final int STALL_EPOCH_OFFSET = 44;
    public static final int SLICE_USED_OFFSET = 48;
    public static final int RECORD_LENGTH = 64;

    public static final int KIND_FREE = 0;
    public static final int KIND_PROCESS = 1;
    public static final int KIND_POST = 2;

    public static final int FREE = 0;
    public static final int READY = 1;
    public static final int RUNNING = 2;
    public static final int STALLED = 3;
    public static final int SLEEPING = 4;

    public static final int FLAG_RETRYING = 1;

    public static final int NONE = -1;

    private ActivityDescriptor() {
    }

    public static int recordOffset(int activity) {
        return activity * RECORD_LENGTH;
    }

    public static String stateName(int state) {
        switch (state) {
            case FREE:
                return "free";
            case READY:
                return "ready";
            case RUNNING:
                return "running";
            case STALLED:
                return "stalled";
            case SLEEPING:
                return "sleeping";
            default:
                return "state " + state;
        }
    }
}
