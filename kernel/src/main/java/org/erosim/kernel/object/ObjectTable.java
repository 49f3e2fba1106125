package org.erosim.kernel.object;

import static org.erosim.kernel.object.ObjectHeaderDescriptor.*;

/**
 * What the node table and the frame table share: a fixed number of records in one off-heap,
 * 64-byte-aligned buffer, each starting with the {@link ObjectHeaderDescriptor common object
 * header}, plus the free list, the OID index and the accessors of the header fields.
 * Everything is addressed by int record index; nothing here allocates after construction.
 *
 * <p>Invariants: a record is either in use ({@link ObjectHeaderDescriptor#FLAG_IN_USE} set,
 * on exactly its OID-index chain) or free (flags 0, on the free list threaded through the
 * same link field); {@link #inUse()} counts the former. Subclasses add their kind's own
 * fields after the common header and allocate through {@link #takeFree}.
 *
 * <p>The header offsets are static constants (the layouts are aligned so they are the same
 * for every kind); only the record length differs and is a final field.
 */
public abstract sealed class ObjectTable implements OidIndex.Links permits NodeTable, FrameTable {
    /** "node" or "page": names an object of this table in messages. */
    private final String kind;
    private final int capacity;
    private final int recordLength;
    /** The records; offsets per the subclass's descriptor. */
    protected final RecordBuffer records;
    private final OidIndex index;
    private int freeHead;
    private int inUse;

    /**
     * @param capacity records, already checked by the subclass: at least 1 and small enough
     *     that {@code capacity * recordLength} is an int
     * @param recordLength bytes per record, a multiple of 32 so every header is aligned
     */
    ObjectTable(String kind, int capacity, int recordLength) {
        this.kind = kind;
        this.capacity = capacity;
        this.recordLength = recordLength;
        this.records = new RecordBuffer(capacity * recordLength);
        this.index = new OidIndex(capacity, this);
        for (int i = 0; i < capacity; i++) {
            records.putInt(recordOffset(i) + LINK_OFFSET, i + 1 < capacity ? i + 1 : NONE);
        }
        this.freeHead = 0;
    }

    public final int capacity() {
        return capacity;
    }

    public final int inUse() {
        return inUse;
    }

    /**
     * Host bytes this table holds whatever its occupancy: the off-heap records plus the OID
     * index's bucket heads (the index's chain links live in the records themselves). Page
     * data lives in emulated RAM and is not counted here.
     */
    public final long footprintBytes() {
        return (long) records.capacity() + index.footprintBytes();
    }

    final int recordOffset(int i) {
        return i * recordLength;
    }

    /** The record holding {@code oid}, or {@link ObjectHeaderDescriptor#NONE}. */
    public final int find(long oid) {
        return index.find(oid);
    }

    /**
     * Pops a free record for {@code oid} (which must not be in the table) and gives it a
     * fresh common header: the counts from the caller, in use and referenced, clean,
     * unpinned; indexes it. The ring anchor is left 0: the subclass must
     * {@link #emptyRing empty the ring} with its kind's anchor location. Returns NONE when
     * the table is full.
     */
    final int takeFree(long oid, int allocationCount) {
        int i = freeHead;
        if (i == NONE) {
            return NONE;
        }
        int r = recordOffset(i);
        freeHead = records.getInt(r + LINK_OFFSET);
        records.setMemory(r, COMMON_LENGTH, (byte) 0);
        records.putLong(r + OID_OFFSET, oid);
        records.putInt(r + ALLOCATION_COUNT_OFFSET, allocationCount);
        records.putInt(r + FLAGS_OFFSET, FLAG_IN_USE | FLAG_REFERENCED);
        index.insert(i);
        inUse++;
        return i;
    }

    /** Makes record {@code i}'s ring empty: an anchor whose prev and next are itself. */
    final void emptyRing(int i, int anchor) {
        int r = recordOffset(i) + RING_OFFSET;
        records.putInt(r, anchor);
        records.putInt(r + 4, anchor);
    }

    /** Returns a record to the free list. The caller has emptied the rings it anchors. */
    public final void free(int i) {
        int r = recordOffset(i);
        index.remove(i);
        records.putInt(r + FLAGS_OFFSET, 0);
        records.putInt(r + LINK_OFFSET, freeHead);
        freeHead = i;
        inUse--;
    }

    public final boolean isInUse(int i) {
        return i >= 0 && i < capacity && (flags(i) & FLAG_IN_USE) != 0;
    }

    @Override
    public final long oidOf(int i) {
        return oid(i);
    }

    @Override
    public final int linkOf(int i) {
        return records.getInt(recordOffset(i) + LINK_OFFSET);
    }

    @Override
    public final void setLink(int i, int next) {
        records.putInt(recordOffset(i) + LINK_OFFSET, next);
    }

    public final long oid(int i) {
        return records.getLong(recordOffset(i) + OID_OFFSET);
    }

    public final int allocationCount(int i) {
        return records.getInt(recordOffset(i) + ALLOCATION_COUNT_OFFSET);
    }

    final void setAllocationCount(int i, int count) {
        records.putInt(recordOffset(i) + ALLOCATION_COUNT_OFFSET, count);
    }

    public final int flags(int i) {
        return records.getInt(recordOffset(i) + FLAGS_OFFSET);
    }

    public final boolean isDirty(int i) {
        return (flags(i) & FLAG_DIRTY) != 0;
    }

    /**
     * Marks the object dirty (and referenced). For pages, guest writes through the MMU must
     * call this too (issue 5 maps frames read-only until then).
     */
    public final void markDirty(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        int f = records.getInt(r);
        if ((f & (FLAG_DIRTY | FLAG_REFERENCED)) != (FLAG_DIRTY | FLAG_REFERENCED)) {
            records.putInt(r, f | FLAG_DIRTY | FLAG_REFERENCED); // written only when it changes, as markReferenced
        }
    }

    final void clearDirty(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        records.putInt(r, records.getInt(r) & ~FLAG_DIRTY);
    }

    public final void markReferenced(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        int f = records.getInt(r);
        if ((f & FLAG_REFERENCED) == 0) {
            // Written only when it changes: every prepare of a prepared key lands here, and a
            // storm's retries would otherwise dirty the same few node headers millions of times.
            records.putInt(r, f | FLAG_REFERENCED);
        }
    }

    /** Clears the referenced bit and returns whether it was set (the CLOCK hand's step). */
    final boolean testAndClearReferenced(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        int f = records.getInt(r);
        records.putInt(r, f & ~FLAG_REFERENCED);
        return (f & FLAG_REFERENCED) != 0;
    }

    /** A pinned object is never evicted; pins nest (a count, not a flag). */
    public final void pin(int i) {
        int r = recordOffset(i) + PIN_COUNT_OFFSET;
        records.putInt(r, records.getInt(r) + 1);
    }

    /** @throws IllegalStateException naming the object ("node 0x.." or "page 0x..") if it is not pinned */
    public final void unpin(int i) {
        int r = recordOffset(i) + PIN_COUNT_OFFSET;
        int pins = records.getInt(r);
        if (pins <= 0) {
            throw new IllegalStateException(kind + " 0x" + Long.toHexString(oid(i)) + " unpinned more often than pinned");
        }
        records.putInt(r, pins - 1);
    }

    public final int pinCount(int i) {
        return records.getInt(recordOffset(i) + PIN_COUNT_OFFSET);
    }

    /** Ring anchor: prev is the ring's tail. */
    public final int ringTail(int i) {
        return records.getInt(recordOffset(i) + RING_OFFSET);
    }

    /** Ring anchor: next is the ring's head. */
    public final int ringHead(int i) {
        return records.getInt(recordOffset(i) + RING_OFFSET + 4);
    }

    /** "node" or "page", for messages about this table's objects. */
    final String kind() {
        return kind;
    }

    /** For the checker: the OID index's bucket chains, for agreement with the records. */
    final OidIndex index() {
        return index;
    }

    /** For the checker: the first free record, NONE when full. */
    final int freeHead() {
        return freeHead;
    }
}
