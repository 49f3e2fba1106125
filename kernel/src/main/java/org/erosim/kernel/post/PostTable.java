package org.erosim.kernel.post;

import static org.erosim.kernel.post.PostDescriptor.*;

import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.RecordBuffer;

/**
 * The fixed off-heap pool of queued posts ({@link PostDescriptor}: a dense array of 16-byte
 * headers and an array of records), with a free list, and per gate node an intrusive
 * doubly-linked FIFO list of the posts gated on it, so that the posts waiting on a red segment
 * are found from the segment itself — when its node leaves memory — never by scanning every
 * post (kernel.md §11). The lists and the flags live in the headers only.
 *
 * <p>Invariants (checked by {@link PostChecker}): a post is free (on the free list, flags 0,
 * gate node NONE) or in use (FLAG_IN_USE); an in-use post is on the gated list of its gate
 * node iff that is not NONE; a list is in the order its posts were gated (its head has prev
 * NONE, its tail next NONE); list heads and tails are indexed by node-table index, so the
 * tables are sized to the node table.
 * Allocation-free after construction; the capacity never grows ({@link #allocate} answers
 * NO_RESOURCES).
 */
public final class PostTable {
    private final int capacity;
    private final RecordBuffer headers;
    private final RecordBuffer records;
    /** Per node-table index: first (oldest) and last gated post, or NONE. */
    private final int[] gatedHead;
    private final int[] gatedTail;
    private int freeHead;
    private int inUse;

    public PostTable(int capacity, int nodeCapacity) {
        if (capacity < 1 || (long) capacity * RECORD_LENGTH > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("post capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        this.headers = new RecordBuffer(capacity * HEADER_LENGTH);
        this.records = new RecordBuffer(capacity * RECORD_LENGTH);
        this.gatedHead = new int[nodeCapacity];
        this.gatedTail = new int[nodeCapacity];
        java.util.Arrays.fill(gatedHead, NONE);
        java.util.Arrays.fill(gatedTail, NONE);
        for (int p = capacity - 1; p >= 0; p--) {
            int h = header(p);
            headers.putInt(h + FLAGS_OFFSET, 0);
            headers.putInt(h + NEXT_OFFSET, p + 1 == capacity ? NONE : p + 1);
            headers.putInt(h + PREV_OFFSET, NONE);
            headers.putInt(h + GATE_NODE_OFFSET, NONE);
            records.putInt(offset(p) + ACTIVITY_OFFSET, NONE);
        }
        freeHead = 0;
    }

    public int capacity() {
        return capacity;
    }

    public int inUse() {
        return inUse;
    }

    /** The records (messages, keys, activity); the headers are reached through this class. */
    public RecordBuffer buffer() {
        return records;
    }

    /** The headers (for this package's tests, which corrupt them to exercise the checker). */
    RecordBuffer headers() {
        return headers;
    }

    /** Byte offset of post {@code p}'s record in {@link #buffer}. */
    public int offset(int p) {
        return p * RECORD_LENGTH;
    }

    private static int header(int p) {
        return p * HEADER_LENGTH;
    }

    /**
     * Takes a free post (in use, unlinked, no activity, the string length, keys and words
     * zero; the string bytes and the reserved word are whatever they were); NO_RESOURCES
     * when the pool is exhausted.
     */
    public int allocate() {
        int p = freeHead;
        if (p == NONE) {
            return ResultCode.NO_RESOURCES;
        }
        int h = header(p);
        freeHead = headers.getInt(h + NEXT_OFFSET);
        headers.putInt(h + FLAGS_OFFSET, FLAG_IN_USE);
        headers.putInt(h + NEXT_OFFSET, NONE);
        headers.putInt(h + PREV_OFFSET, NONE);
        headers.putInt(h + GATE_NODE_OFFSET, NONE);
        // The record up to the string, field by field; the string area is not cleared: only
        // its first string-length bytes are ever read, and the QPOST writes them. Zeroing the
        // whole record put every line of every record in the cache for nothing (a storm
        // queues a post per sleeper) and was a runtime call.
        int r = offset(p);
        records.putInt(r + ACTIVITY_OFFSET, NONE);
        records.putInt(r + STRING_LENGTH_OFFSET, 0);
        for (int o = TARGET_KEY_OFFSET; o < STRING_OFFSET; o += 8) {
            records.putLong(r + o, 0L); // target key, words, keys, gate key
        }
        inUse++;
        return p;
    }

    /**
     * Returns post {@code p} to the pool, unlinking it from its gate first if it is still on
     * one (a post dropped the moment it passed its gate is freed in this one visit of its
     * header). Its record is not touched.
     */
    public void free(int p) {
        int h = header(p);
        if ((flags(p) & FLAG_IN_USE) == 0) {
            throw isFree(p);
        }
        int node = headers.getInt(h + GATE_NODE_OFFSET);
        if (node != NONE) {
            unlink(h, node);
            headers.putInt(h + GATE_NODE_OFFSET, NONE);
        }
        headers.putInt(h + FLAGS_OFFSET, 0);
        headers.putInt(h + NEXT_OFFSET, freeHead);
        freeHead = p;
        inUse--;
    }

    private static IllegalStateException isFree(int p) {
        return new IllegalStateException("post " + p + " is free");
    }

    public boolean isInUse(int p) {
        return p >= 0 && p < capacity && (flags(p) & FLAG_IN_USE) != 0;
    }

    /** True once post {@code p} has passed its gate (only its target remains). */
    public boolean passed(int p) {
        return (flags(p) & FLAG_PASSED) != 0;
    }

    /** Post {@code p} passed its gate and waits on its target (or fired prematurely). */
    public void setPassed(int p) {
        setFlag(p, FLAG_PASSED);
    }

    /** True if post {@code p}'s target was the void key when it was queued: it is dropped when it fires. */
    public boolean voidTarget(int p) {
        return (flags(p) & FLAG_VOID_TARGET) != 0;
    }

    /** Marks post {@code p}'s target as the void key (set when the post is queued). */
    public void setVoidTarget(int p) {
        setFlag(p, FLAG_VOID_TARGET);
    }

    private void setFlag(int p, int flag) {
        headers.putInt(header(p) + FLAGS_OFFSET, flags(p) | flag);
    }

    public int gateNode(int p) {
        return headers.getInt(header(p) + GATE_NODE_OFFSET);
    }

    public int activity(int p) {
        return records.getInt(offset(p) + ACTIVITY_OFFSET);
    }

    public void setActivity(int p, int activity) {
        records.putInt(offset(p) + ACTIVITY_OFFSET, activity);
    }

    /**
     * Links post {@code p} (not gated) at the tail of node {@code node}'s gated list: the list
     * is oldest first, so the posts an eviction fires are woken, and fire, in queue order.
     */
    public void gate(int p, int node) {
        int h = header(p);
        int tail = gatedTail[node];
        headers.putInt(h + GATE_NODE_OFFSET, node);
        headers.putInt(h + PREV_OFFSET, tail);
        headers.putInt(h + NEXT_OFFSET, NONE);
        if (tail == NONE) {
            gatedHead[node] = p;
        } else {
            headers.putInt(header(tail) + NEXT_OFFSET, p);
        }
        gatedTail[node] = p;
    }

    /** Unlinks post {@code p} from its gate node's list (no-op if it is not gated). */
    public void ungate(int p) {
        int h = header(p);
        int node = headers.getInt(h + GATE_NODE_OFFSET);
        if (node == NONE) {
            return;
        }
        unlink(h, node);
        headers.putInt(h + GATE_NODE_OFFSET, NONE);
        headers.putInt(h + NEXT_OFFSET, NONE);
        headers.putInt(h + PREV_OFFSET, NONE);
    }

    /** Takes the post whose header is at {@code h} out of node {@code node}'s gated list; its own links are left stale. */
    private void unlink(int h, int node) {
        int next = headers.getInt(h + NEXT_OFFSET);
        int prev = headers.getInt(h + PREV_OFFSET);
        if (prev == NONE) {
            gatedHead[node] = next;
        } else {
            headers.putInt(header(prev) + NEXT_OFFSET, next);
        }
        if (next == NONE) {
            gatedTail[node] = prev;
        } else {
            headers.putInt(header(next) + PREV_OFFSET, prev);
        }
    }

    /** First (oldest) post gated on node {@code node}, or NONE; follow with {@link #nextGated}. */
    public int firstGated(int node) {
        return gatedHead[node];
    }

    /** Last (newest) post gated on node {@code node}, or NONE. */
    public int lastGated(int node) {
        return gatedTail[node];
    }

    /** The post gated after {@code p} on its gate's list; on the free list, the next free post. */
    public int nextGated(int p) {
        return headers.getInt(header(p) + NEXT_OFFSET);
    }

    public int previousGated(int p) {
        return headers.getInt(header(p) + PREV_OFFSET);
    }

    /** Post {@code p}'s header flags ({@link PostDescriptor#FLAG_IN_USE} and the rest). */
    public int flags(int p) {
        return headers.getInt(header(p) + FLAGS_OFFSET);
    }

    /** Size of the per-node list tables (the node table's capacity). */
    public int nodeCapacity() {
        return gatedHead.length;
    }

    /** The first post on the free list, or NONE; the list continues through {@link #nextGated}. */
    public int firstFree() {
        return freeHead;
    }
}
