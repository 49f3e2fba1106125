package org.erosim.kernel.object;

import static org.erosim.kernel.object.NodeDescriptor.*;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * The in-memory nodes: a fixed number of {@link NodeDescriptor} records in one off-heap,
 * 64-byte aligned buffer, a free list and an OID index. Everything is addressed by int
 * record index; nothing here allocates after construction.
 *
 * <p>This class knows records, not keys: ring maintenance and preparation are
 * {@link Keys}'s, eviction policy is {@link ObjectCache}'s. A freshly allocated record has
 * all 32 slots void, an empty ring, empty stall queue, counts from the caller.
 */
public final class NodeTable implements OidIndex.Links {
    private final int capacity;
    private final UnsafeBuffer buffer;
    private final OidIndex index;
    private int freeHead;
    private int inUse;

    /**
     * @param capacity records; a run option
     * @throws IllegalArgumentException if capacity is not between 1 and the most a buffer
     *     (2 GiB) or a {@link KeyLocation} can address
     */
    public NodeTable(int capacity) {
        int max = Math.min(KeyLocation.MAX_NODES, Integer.MAX_VALUE / RECORD_LENGTH);
        if (capacity < 1 || capacity > max) {
            throw new IllegalArgumentException("node table capacity must be between 1 and " + max + ", got " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * RECORD_LENGTH, ALIGNMENT));
        this.index = new OidIndex(capacity, this);
        for (int i = 0; i < capacity; i++) {
            buffer.putInt(recordOffset(i) + LINK_OFFSET, i + 1 < capacity ? i + 1 : NONE);
        }
        this.freeHead = 0;
    }

    public int capacity() {
        return capacity;
    }

    public int inUse() {
        return inUse;
    }

    /**
     * Host bytes this table holds whatever its occupancy: the off-heap records plus the OID
     * index's bucket heads (the index's chain links live in the records themselves).
     */
    public long footprintBytes() {
        return (long) buffer.capacity() + index.footprintBytes();
    }

    /** The records' buffer, for flyweights and bulk copies; offsets per {@link NodeDescriptor}. */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    /** The record holding {@code oid}, or {@link NodeDescriptor#NONE}. */
    public int find(long oid) {
        return index.find(oid);
    }

    /**
     * Takes a free record for {@code oid} (which must not be in the table): slots void,
     * ring and stall queue empty, clean, unpinned, referenced. Returns NONE when full.
     */
    public int allocate(long oid, int allocationCount, int callCount) {
        int i = freeHead;
        if (i == NONE) {
            return NONE;
        }
        int r = recordOffset(i);
        freeHead = buffer.getInt(r + LINK_OFFSET);
        buffer.setMemory(r, HEADER_LENGTH, (byte) 0);
        buffer.putLong(r + OID_OFFSET, oid);
        buffer.putInt(r + ALLOCATION_COUNT_OFFSET, allocationCount);
        buffer.putInt(r + CALL_COUNT_OFFSET, callCount);
        int anchor = KeyLocation.nodeAnchor(i);
        buffer.putInt(r + RING_OFFSET, anchor);
        buffer.putInt(r + RING_OFFSET + 4, anchor);
        buffer.putInt(r + STALL_HEAD_OFFSET, NONE);
        buffer.putInt(r + STALL_TAIL_OFFSET, NONE);
        buffer.putInt(r + FLAGS_OFFSET, FLAG_IN_USE | FLAG_REFERENCED);
        clearSlots(i);
        index.insert(i);
        inUse++;
        return i;
    }

    /** Writes every slot void (no ring work: callers have unlinked prepared keys). */
    void clearSlots(int i) {
        int s = slotOffset(i, 0);
        buffer.setMemory(s, SLOT_COUNT * KeyDescriptor.LENGTH, (byte) 0);
        for (int k = 0; k < SLOT_COUNT; k++) {
            buffer.putInt(s + k * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
        }
    }

    /** Returns a record to the free list. The caller has emptied its ring and slots' rings. */
    public void free(int i) {
        int r = recordOffset(i);
        index.remove(i);
        buffer.putInt(r + FLAGS_OFFSET, 0);
        buffer.putInt(r + LINK_OFFSET, freeHead);
        freeHead = i;
        inUse--;
    }

    public boolean isInUse(int i) {
        return i >= 0 && i < capacity && (flags(i) & FLAG_IN_USE) != 0;
    }

    @Override
    public long oidOf(int i) {
        return buffer.getLong(recordOffset(i) + OID_OFFSET);
    }

    @Override
    public int linkOf(int i) {
        return buffer.getInt(recordOffset(i) + LINK_OFFSET);
    }

    @Override
    public void setLink(int i, int next) {
        buffer.putInt(recordOffset(i) + LINK_OFFSET, next);
    }

    public long oid(int i) {
        return buffer.getLong(recordOffset(i) + OID_OFFSET);
    }

    public int allocationCount(int i) {
        return buffer.getInt(recordOffset(i) + ALLOCATION_COUNT_OFFSET);
    }

    void setAllocationCount(int i, int count) {
        buffer.putInt(recordOffset(i) + ALLOCATION_COUNT_OFFSET, count);
    }

    public int callCount(int i) {
        return buffer.getInt(recordOffset(i) + CALL_COUNT_OFFSET);
    }

    void setCallCount(int i, int count) {
        buffer.putInt(recordOffset(i) + CALL_COUNT_OFFSET, count);
    }

    public int flags(int i) {
        return buffer.getInt(recordOffset(i) + FLAGS_OFFSET);
    }

    public boolean isDirty(int i) {
        return (flags(i) & FLAG_DIRTY) != 0;
    }

    public void markDirty(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        buffer.putInt(r, buffer.getInt(r) | FLAG_DIRTY | FLAG_REFERENCED);
    }

    void clearDirty(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        buffer.putInt(r, buffer.getInt(r) & ~FLAG_DIRTY);
    }

    public void markReferenced(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        buffer.putInt(r, buffer.getInt(r) | FLAG_REFERENCED);
    }

    /** Clears the referenced bit and returns whether it was set (the CLOCK hand's step). */
    boolean testAndClearReferenced(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        int f = buffer.getInt(r);
        buffer.putInt(r, f & ~FLAG_REFERENCED);
        return (f & FLAG_REFERENCED) != 0;
    }

    /** A pinned node is never evicted; pins nest. */
    public void pin(int i) {
        int r = recordOffset(i) + PIN_COUNT_OFFSET;
        buffer.putInt(r, buffer.getInt(r) + 1);
    }

    public void unpin(int i) {
        int r = recordOffset(i) + PIN_COUNT_OFFSET;
        int pins = buffer.getInt(r);
        if (pins <= 0) {
            throw new IllegalStateException("node 0x" + Long.toHexString(oid(i)) + " unpinned more often than pinned");
        }
        buffer.putInt(r, pins - 1);
    }

    public int pinCount(int i) {
        return buffer.getInt(recordOffset(i) + PIN_COUNT_OFFSET);
    }

    /** Ring anchor: prev is the ring's tail. */
    public int ringTail(int i) {
        return buffer.getInt(recordOffset(i) + RING_OFFSET);
    }

    /** Ring anchor: next is the ring's head. */
    public int ringHead(int i) {
        return buffer.getInt(recordOffset(i) + RING_OFFSET + 4);
    }

    public int stallHead(int i) {
        return buffer.getInt(recordOffset(i) + STALL_HEAD_OFFSET);
    }

    public int stallTail(int i) {
        return buffer.getInt(recordOffset(i) + STALL_TAIL_OFFSET);
    }

    /** Sets both ends of the stall queue (issue 5's StallQueue owns the activity links). */
    public void setStallQueue(int i, int head, int tail) {
        int r = recordOffset(i);
        buffer.putInt(r + STALL_HEAD_OFFSET, head);
        buffer.putInt(r + STALL_TAIL_OFFSET, tail);
    }

    /** Offset of slot {@code slot}'s key in {@link #buffer()}. */
    public int slotOffset(int i, int slot) {
        return NodeDescriptor.slotOffset(i, slot);
    }

    public int keyTail(int i, int slot) {
        return buffer.getInt(NodeDescriptor.slotOffset(i, slot) + KeyDescriptor.TAIL_OFFSET);
    }

    /** For the checker: the OID index's bucket chains, for agreement with the records. */
    OidIndex index() {
        return index;
    }

    int freeHead() {
        return freeHead;
    }
}
