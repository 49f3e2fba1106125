package org.erosim.kernel.object;

import static org.erosim.kernel.object.NodeDescriptor.*;

import org.erosim.kernel.key.KeyDescriptor;

/**
 * The in-memory nodes: a fixed number of {@link NodeDescriptor} records in one off-heap,
 * 64-byte aligned buffer, a free list and an OID index (those and the common header fields
 * are {@link ObjectTable}'s). Everything is addressed by int record index; nothing here
 * allocates after construction.
 *
 * <p>This class knows records, not keys: ring maintenance and preparation are
 * {@link Keys}'s, eviction policy is {@link ObjectCache}'s. A freshly allocated record has
 * all 32 slots void, an empty ring, empty stall queue, counts from the caller.
 */
public final class NodeTable extends ObjectTable {
    /**
     * @param capacity records; a run option
     * @throws IllegalArgumentException if capacity is not between 1 and the most a buffer
     *     (2 GiB) or a {@link KeyLocation} can address
     */
    public NodeTable(int capacity) {
        super("node", checkCapacity(capacity), RECORD_LENGTH);
    }

    private static int checkCapacity(int capacity) {
        int max = Math.min(KeyLocation.MAX_NODES, Integer.MAX_VALUE / RECORD_LENGTH);
        if (capacity < 1 || capacity > max) {
            throw new IllegalArgumentException("node table capacity must be between 1 and " + max + ", got " + capacity);
        }
        return capacity;
    }

    /** The records' buffer, for flyweights and bulk copies; offsets per {@link NodeDescriptor}. */
    public RecordBuffer buffer() {
        return records;
    }

    /**
     * Takes a free record for {@code oid} (which must not be in the table): slots void,
     * ring and stall queue empty, clean, unpinned, referenced. Returns NONE when full.
     */
    public int allocate(long oid, int allocationCount, int callCount) {
        int i = takeFree(oid, allocationCount);
        if (i == NONE) {
            return NONE;
        }
        int r = NodeDescriptor.recordOffset(i);
        records.setMemory(r + COMMON_LENGTH, HEADER_LENGTH - COMMON_LENGTH, (byte) 0);
        records.putInt(r + CALL_COUNT_OFFSET, callCount);
        records.putInt(r + STALL_HEAD_OFFSET, NONE);
        records.putInt(r + STALL_TAIL_OFFSET, NONE);
        emptyRing(i, KeyLocation.nodeAnchor(i));
        clearSlots(i);
        return i;
    }

    /** Writes every slot void (no ring work: callers have unlinked prepared keys). */
    void clearSlots(int i) {
        int s = slotOffset(i, 0);
        records.setMemory(s, SLOT_COUNT * KeyDescriptor.LENGTH, (byte) 0);
        for (int k = 0; k < SLOT_COUNT; k++) {
            records.putInt(s + k * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
        }
    }

    public int callCount(int i) {
        return records.getInt(NodeDescriptor.recordOffset(i) + CALL_COUNT_OFFSET);
    }

    void setCallCount(int i, int count) {
        records.putInt(NodeDescriptor.recordOffset(i) + CALL_COUNT_OFFSET, count);
    }

    public int stallHead(int i) {
        return records.getInt(NodeDescriptor.recordOffset(i) + STALL_HEAD_OFFSET);
    }

    public int stallTail(int i) {
        return records.getInt(NodeDescriptor.recordOffset(i) + STALL_TAIL_OFFSET);
    }

    /** Sets both ends of the stall queue (issue 5's StallQueue owns the activity links). */
    public void setStallQueue(int i, int head, int tail) {
        int r = NodeDescriptor.recordOffset(i);
        records.putInt(r + STALL_HEAD_OFFSET, head);
        records.putInt(r + STALL_TAIL_OFFSET, tail);
    }

    /** Sets the stall queue's tail only (an append to a non-empty queue). */
    public void setStallTail(int i, int tail) {
        records.putInt(NodeDescriptor.recordOffset(i) + STALL_TAIL_OFFSET, tail);
    }

    /**
     * The process-table entry whose root node {@code i} is, or NONE: one load where a lookup
     * of the OID would hash (a gate finding its target, a slot write finding the process
     * whose root it changes). See {@link NodeDescriptor}.
     */
    public int processEntry(int i) {
        return records.getInt(NodeDescriptor.recordOffset(i) + PROCESS_ENTRY_OFFSET) - 1;
    }

    /** Records that node {@code i} is the root of loaded entry {@code e} (NONE: no longer). The process table's alone. */
    public void setProcessEntry(int i, int e) {
        records.putInt(NodeDescriptor.recordOffset(i) + PROCESS_ENTRY_OFFSET, e + 1);
    }

    /** Offset of slot {@code slot}'s key in {@link #buffer()}. */
    public int slotOffset(int i, int slot) {
        return NodeDescriptor.slotOffset(i, slot);
    }

    public int keyTail(int i, int slot) {
        return records.getInt(NodeDescriptor.slotOffset(i, slot) + KeyDescriptor.TAIL_OFFSET);
    }
}
