package org.erosim.kernel.sched;

import static org.erosim.kernel.sched.ActivityDescriptor.*;

import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.RecordBuffer;

/**
 * The fixed off-heap table of activities ({@link ActivityDescriptor} layout) with a free
 * list threaded through the {@code next} field. Its capacity is a run option; when every
 * record is in use, {@link #allocate} answers {@link ResultCode#NO_RESOURCES}: the table
 * never grows (quality.md, resource bounds).
 *
 * <p>Invariant: a record is FREE (kind 0, state FREE, queue NONE, on the free list; its other
 * fields are stale and cleared when it is allocated) or in use; in-use
 * plus free records add up to the capacity. Queue membership is kept by {@link Scheduler};
 * this class only owns records. Not thread safe; nothing here allocates after construction.
 */
public final class ActivityTable {
    private final int capacity;
    private final RecordBuffer buffer;
    private int freeHead;
    private int inUse;

    public ActivityTable(int capacity) {
        if (capacity < 1 || capacity > QueueId.INDEX_MASK || (long) capacity * RECORD_LENGTH > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("activity capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new RecordBuffer(capacity * RECORD_LENGTH);
        for (int a = capacity - 1; a >= 0; a--) {
            clear(a, KIND_FREE, 0);
            buffer.putInt(recordOffset(a) + NEXT_OFFSET, a + 1 == capacity ? NONE : a + 1);
        }
        freeHead = 0;
    }

    /**
     * Writes record {@code a} as free with kind {@code kind} and subject {@code subject}: every
     * field in eight long stores, in layout order. (Unsafe.setMemory on 64 bytes is a runtime
     * call, not an intrinsic: it cost more than the rest of an activity's allocate and free.)
     */
    private void clear(int a, int kind, int subject) {
        int r = recordOffset(a);
        buffer.putLong(r + KIND_OFFSET, pair(kind, FREE));
        buffer.putLong(r + SUBJECT_OFFSET, pair(subject, QueueId.NONE));
        buffer.putLong(r + NEXT_OFFSET, pair(NONE, NONE));
        buffer.putLong(r + FLAGS_OFFSET, pair(0, QueueId.NONE));
        buffer.putLong(r + WAKE_CYCLE_OFFSET, 0L);
        buffer.putLong(r + HEAP_INDEX_OFFSET, pair(NONE, 0));
        buffer.putLong(r + SLICE_USED_OFFSET, 0L);
        buffer.putLong(r + SLICE_USED_OFFSET + 8, 0L);
    }

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    /**
     * Two adjacent int fields as one native-order long store: {@code first} lands at the lower
     * address, where {@link RecordBuffer#getInt} (native order) reads it back.
     */
    private static long pair(int first, int second) {
        int lo = LITTLE_ENDIAN ? first : second;
        int hi = LITTLE_ENDIAN ? second : first;
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    public int capacity() {
        return capacity;
    }

    public int inUse() {
        return inUse;
    }

    public RecordBuffer buffer() {
        return buffer;
    }

    /** Head of the free list (for the checker). */
    int freeHead() {
        return freeHead;
    }

    /**
     * Takes a free record for an activity of {@code kind} about {@code subject}; it starts
     * with state FREE and queue NONE and the caller places it. Returns the handle, or
     * {@link ResultCode#NO_RESOURCES} (a negative int) when the table is exhausted.
     */
    public int allocate(int kind, int subject) {
        int a = freeHead;
        if (a == NONE) {
            return ResultCode.NO_RESOURCES;
        }
        freeHead = buffer.getInt(recordOffset(a) + NEXT_OFFSET);
        clear(a, kind, subject);
        inUse++;
        return a;
    }

    /**
     * Record {@code a}, in use and off every queue, starts again as a fresh activity of
     * {@code kind} about {@code subject}, as {@link #allocate} would leave it: what freeing it
     * and allocating it again would do when the free list would hand it back.
     */
    void reuse(int a, int kind, int subject) {
        clear(a, kind, subject);
    }

    /** Returns an activity to the free list; the caller has taken it off every queue. */
    public void free(int a) {
        // Only what marks the record free (kind, state, queue) and the free-list link: the
        // other fields are stale until allocate clears the whole record again.
        int r = recordOffset(a);
        buffer.putLong(r + KIND_OFFSET, pair(KIND_FREE, FREE));
        buffer.putInt(r + QUEUE_OFFSET, QueueId.NONE);
        buffer.putInt(r + NEXT_OFFSET, freeHead);
        freeHead = a;
        inUse--;
    }

    public boolean isValid(int a) {
        return a >= 0 && a < capacity;
    }

    public boolean isInUse(int a) {
        return isValid(a) && kind(a) != KIND_FREE;
    }

    public int kind(int a) {
        return buffer.getInt(recordOffset(a) + KIND_OFFSET);
    }

    public int state(int a) {
        return buffer.getInt(recordOffset(a) + STATE_OFFSET);
    }

    void setState(int a, int state) {
        buffer.putInt(recordOffset(a) + STATE_OFFSET, state);
    }

    public int subject(int a) {
        return buffer.getInt(recordOffset(a) + SUBJECT_OFFSET);
    }

    public int queue(int a) {
        return buffer.getInt(recordOffset(a) + QUEUE_OFFSET);
    }

    /** {@code a} goes on stall queue {@code queue}, whose wake epoch is {@code epoch}: state, queue and epoch in one visit. */
    void placeStalled(int a, int queue, int epoch) {
        int r = recordOffset(a);
        buffer.putInt(r + STATE_OFFSET, STALLED);
        buffer.putInt(r + QUEUE_OFFSET, queue);
        buffer.putInt(r + STALL_EPOCH_OFFSET, epoch);
    }

    /** The wake epoch of the stall queue {@code a} was put on (see {@link ActivityDescriptor}). */
    public int stallEpoch(int a) {
        return buffer.getInt(recordOffset(a) + STALL_EPOCH_OFFSET);
    }

    /** Sets state and queue together: they change together. */
    void place(int a, int state, int queue) {
        int r = recordOffset(a);
        buffer.putInt(r + STATE_OFFSET, state);
        buffer.putInt(r + QUEUE_OFFSET, queue);
    }

    public int next(int a) {
        return buffer.getInt(recordOffset(a) + NEXT_OFFSET);
    }

    void setNext(int a, int next) {
        buffer.putInt(recordOffset(a) + NEXT_OFFSET, next);
    }

    public int prev(int a) {
        return buffer.getInt(recordOffset(a) + PREV_OFFSET);
    }

    void setPrev(int a, int prev) {
        buffer.putInt(recordOffset(a) + PREV_OFFSET, prev);
    }

    public int flags(int a) {
        return buffer.getInt(recordOffset(a) + FLAGS_OFFSET);
    }

    void setFlags(int a, int flags) {
        buffer.putInt(recordOffset(a) + FLAGS_OFFSET, flags);
    }

    /**
     * The RETRYING flag alone; an activity a wake-all spliced onto the ready queue is retrying
     * before its dispatch sets the flag: ask {@link Scheduler#isRetrying}.
     */
    boolean isRetrying(int a) {
        return (flags(a) & FLAG_RETRYING) != 0;
    }

    /**
     * The flags and the wake origin in one load (adjacent fields, {@link #pair} order):
     * {@link #QUIET} when no flag is set and no wake-one wakeup is held, as at most commits.
     */
    long flagsAndWakeOrigin(int a) {
        return buffer.getLong(recordOffset(a) + FLAGS_OFFSET);
    }

    /** {@link #flagsAndWakeOrigin} of an activity with no flag and no wake origin. */
    static final long QUIET = pair(0, QueueId.NONE);

    /** The first int of a {@link #pair} (the field at the lower address: the flags of {@link #flagsAndWakeOrigin}). */
    static int first(long pair) {
        return (int) (LITTLE_ENDIAN ? pair : pair >>> 32);
    }

    /** The second int of a {@link #pair} (the wake origin of {@link #flagsAndWakeOrigin}). */
    static int second(long pair) {
        return (int) (LITTLE_ENDIAN ? pair >>> 32 : pair);
    }

    public int wakeOrigin(int a) {
        return buffer.getInt(recordOffset(a) + WAKE_ORIGIN_OFFSET);
    }

    void setWakeOrigin(int a, int queue) {
        buffer.putInt(recordOffset(a) + WAKE_ORIGIN_OFFSET, queue);
    }

    public long wakeCycle(int a) {
        return buffer.getLong(recordOffset(a) + WAKE_CYCLE_OFFSET);
    }

    void setWakeCycle(int a, long cycle) {
        buffer.putLong(recordOffset(a) + WAKE_CYCLE_OFFSET, cycle);
    }

    public int heapIndex(int a) {
        return buffer.getInt(recordOffset(a) + HEAP_INDEX_OFFSET);
    }

    void setHeapIndex(int a, int index) {
        buffer.putInt(recordOffset(a) + HEAP_INDEX_OFFSET, index);
    }

    public long sliceUsed(int a) {
        return buffer.getLong(recordOffset(a) + SLICE_USED_OFFSET);
    }

    void setSliceUsed(int a, long cycles) {
        buffer.putLong(recordOffset(a) + SLICE_USED_OFFSET, cycles);
    }

    /**
     * Storm fast path: both links of {@code a} in one record visit (a list append or
     * prepend writes them together).
     */
    void link(int a, int prev, int next) {
        int r = recordOffset(a);
        buffer.putInt(r + PREV_OFFSET, prev);
        buffer.putInt(r + NEXT_OFFSET, next);
    }

    /**
     * Storm fast path: {@code a}, just taken off the ready queue's head, becomes the running
     * activity with a fresh slice — state, queue, next link and the slice in one record visit;
     * one a wake-all spliced there (still labelled STALLED) is marked RETRYING as it goes.
     * Its prev link is already NONE: a queue's head has none (every list operation keeps that).
     */
    void dispatched(int a) {
        int r = recordOffset(a);
        if (buffer.getInt(r + STATE_OFFSET) == STALLED) {
            // Spliced onto the ready queue by a wake-all (still labelled STALLED): woken, so
            // its invocation is a retry.
            buffer.putInt(r + FLAGS_OFFSET, buffer.getInt(r + FLAGS_OFFSET) | FLAG_RETRYING);
        }
        buffer.putInt(r + STATE_OFFSET, RUNNING);
        buffer.putInt(r + QUEUE_OFFSET, QueueId.RUNNING);
        buffer.putInt(r + NEXT_OFFSET, NONE);
        buffer.putLong(r + SLICE_USED_OFFSET, 0L);
    }
}
