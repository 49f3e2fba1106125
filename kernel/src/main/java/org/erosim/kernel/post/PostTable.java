package org.erosim.kernel.post;

import static org.erosim.kernel.post.PostDescriptor.*;

import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.RecordBuffer;

/**
 * The fixed off-heap pool of queued-post records ({@link PostDescriptor} layout), with a free
 * list, and per gate node an intrusive doubly-linked list of the posts gated on it, so that
 * the posts waiting on a red segment are found from the segment itself — when its node
 * leaves memory — never by scanning every post (kernel.md §11).
 *
 * <p>Invariants: a record is FREE (on the free list, gate node NONE) or IN_USE; an IN_USE
 * record is on the gated list of its gate node iff that is not NONE; list heads are indexed
 * by node-table index, so the table is sized to the node table. Allocation-free after
 * construction; the capacity never grows ({@link #allocate} answers NO_RESOURCES).
 */
public final class PostTable {
    private final int capacity;
    private final RecordBuffer buffer;
    /** Per node-table index: first gated post, or NONE. */
    private final int[] gatedHead;
    private int freeHead;
    private int inUse;
    private long sequence;

    public PostTable(int capacity, int nodeCapacity) {
        if (capacity < 1 || (long) capacity * RECORD_LENGTH > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("post-record capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new RecordBuffer(capacity * RECORD_LENGTH);
        this.gatedHead = new int[nodeCapacity];
        java.util.Arrays.fill(gatedHead, NONE);
        for (int p = capacity - 1; p >= 0; p--) {
            int r = offset(p);
            buffer.putInt(r + STATE_OFFSET, FREE);
            buffer.putInt(r + NEXT_OFFSET, p + 1 == capacity ? NONE : p + 1);
            buffer.putInt(r + PREV_OFFSET, NONE);
            buffer.putInt(r + GATE_NODE_OFFSET, NONE);
            buffer.putInt(r + ACTIVITY_OFFSET, NONE);
        }
        freeHead = 0;
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

    /** Byte offset of record {@code p} in {@link #buffer}. */
    public int offset(int p) {
        return p * RECORD_LENGTH;
    }

    /**
     * Takes a free record (IN_USE, unlinked, every field before the string zero; the string
     * bytes are whatever they were); NO_RESOURCES when the pool is exhausted.
     */
    public int allocate() {
        int p = freeHead;
        if (p == NONE) {
            return ResultCode.NO_RESOURCES;
        }
        int r = offset(p);
        freeHead = buffer.getInt(r + NEXT_OFFSET);
        // The header up to the target key, and the keys and words, field by field; the
        // string area is not cleared: only its first string-length bytes are ever read, and
        // the QPOST writes them. Zeroing all 416 bytes put every line of every record in the
        // cache for nothing (a storm queues a post per sleeper) and was a runtime call.
        buffer.putInt(r + STATE_OFFSET, IN_USE);
        buffer.putInt(r + NEXT_OFFSET, NONE);
        buffer.putInt(r + PREV_OFFSET, NONE);
        buffer.putInt(r + GATE_NODE_OFFSET, NONE);
        buffer.putInt(r + ACTIVITY_OFFSET, NONE);
        buffer.putInt(r + STRING_LENGTH_OFFSET, 0);
        buffer.putLong(r + FLAGS_OFFSET, 0L); // flags and the reserved word after them
        buffer.putLong(r + SEQUENCE_OFFSET, sequence++);
        for (int o = SEQUENCE_OFFSET + 8; o < STRING_OFFSET; o += 8) {
            buffer.putLong(r + o, 0L); // reserved, target key, words, keys, gate key
        }
        inUse++;
        return p;
    }

    /**
     * Returns record {@code p} to the pool, unlinking it from its gate first if it is still
     * on one (a post dropped the moment it passed its gate is freed in this one visit).
     */
    public void free(int p) {
        int r = offset(p);
        if (buffer.getInt(r + STATE_OFFSET) != IN_USE) {
            throw new IllegalStateException("post " + p + " is free");
        }
        int node = buffer.getInt(r + GATE_NODE_OFFSET);
        if (node != NONE) {
            unlink(r, node);
            buffer.putInt(r + GATE_NODE_OFFSET, NONE);
        }
        buffer.putInt(r + STATE_OFFSET, FREE);
        buffer.putInt(r + ACTIVITY_OFFSET, NONE);
        buffer.putInt(r + NEXT_OFFSET, freeHead);
        freeHead = p;
        inUse--;
    }

    public boolean isInUse(int p) {
        return p >= 0 && p < capacity && buffer.getInt(offset(p) + STATE_OFFSET) == IN_USE;
    }

    public int gateNode(int p) {
        return buffer.getInt(offset(p) + GATE_NODE_OFFSET);
    }

    public int activity(int p) {
        return buffer.getInt(offset(p) + ACTIVITY_OFFSET);
    }

    public void setActivity(int p, int activity) {
        buffer.putInt(offset(p) + ACTIVITY_OFFSET, activity);
    }

    public long sequence(int p) {
        return buffer.getLong(offset(p) + SEQUENCE_OFFSET);
    }

    /** Links post {@code p} at the tail-insensitive head of node {@code node}'s gated list. */
    public void gate(int p, int node) {
        int r = offset(p);
        int head = gatedHead[node];
        buffer.putInt(r + GATE_NODE_OFFSET, node);
        buffer.putInt(r + PREV_OFFSET, NONE);
        buffer.putInt(r + NEXT_OFFSET, head);
        if (head != NONE) {
            buffer.putInt(offset(head) + PREV_OFFSET, p);
        }
        gatedHead[node] = p;
    }

    /** Unlinks post {@code p} from its gate node's list (no-op if it is not gated). */
    public void ungate(int p) {
        int r = offset(p);
        int node = buffer.getInt(r + GATE_NODE_OFFSET);
        if (node == NONE) {
            return;
        }
        unlink(r, node);
        buffer.putInt(r + GATE_NODE_OFFSET, NONE);
        buffer.putInt(r + NEXT_OFFSET, NONE);
        buffer.putInt(r + PREV_OFFSET, NONE);
    }

    /** Takes the record at {@code r} out of node {@code node}'s gated list; its own links are left stale. */
    private void unlink(int r, int node) {
        int next = buffer.getInt(r + NEXT_OFFSET);
        int prev = buffer.getInt(r + PREV_OFFSET);
        if (prev == NONE) {
            gatedHead[node] = next;
        } else {
            buffer.putInt(offset(prev) + NEXT_OFFSET, next);
        }
        if (next != NONE) {
            buffer.putInt(offset(next) + PREV_OFFSET, prev);
        }
    }

    /** First post gated on node {@code node}, or NONE; follow with {@link #nextGated}. */
    public int firstGated(int node) {
        return gatedHead[node];
    }

    public int nextGated(int p) {
        return buffer.getInt(offset(p) + NEXT_OFFSET);
    }
}
