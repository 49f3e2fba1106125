package org.erosim.kernel.object;

import static org.erosim.kernel.object.FrameDescriptor.*;
import static org.erosim.kernel.object.NodeDescriptor.FLAG_DIRTY;
import static org.erosim.kernel.object.NodeDescriptor.FLAG_IN_USE;
import static org.erosim.kernel.object.NodeDescriptor.FLAG_REFERENCED;
import static org.erosim.kernel.object.NodeDescriptor.NONE;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.mmu.PhysicalMemory;

/**
 * The in-memory pages: a contiguous range of frames of emulated physical memory reserved by
 * the kernel for object pages, and one {@link FrameDescriptor} record per frame (off heap)
 * holding the page's object header. Frame {@code i} is the physical page at
 * {@code firstFrameAddress + i * 4096}; guest code reaches it through the MMU (issue 5),
 * the kernel through {@link #data()}.
 */
public final class FrameTable implements OidIndex.Links {
    private final int capacity;
    private final long firstFrameAddress;
    private final UnsafeBuffer records;
    private final UnsafeBuffer data;
    private final OidIndex index;
    private int freeHead;
    private int inUse;

    /**
     * @param memory the machine's RAM
     * @param firstFrameAddress physical address of the first reserved frame (page aligned)
     * @param capacity frames reserved, a run option
     * @throws IllegalArgumentException if the range is not page aligned RAM
     */
    public FrameTable(PhysicalMemory memory, long firstFrameAddress, int capacity) {
        if (capacity < 1 || capacity > Integer.MAX_VALUE / PhysicalMemory.PAGE_SIZE) {
            throw new IllegalArgumentException("frame table capacity must be between 1 and "
                + Integer.MAX_VALUE / PhysicalMemory.PAGE_SIZE + ", got " + capacity);
        }
        if ((firstFrameAddress & PhysicalMemory.PAGE_MASK) != 0 || firstFrameAddress < 0
            || firstFrameAddress + (long) capacity * PhysicalMemory.PAGE_SIZE > memory.ramSize()) {
            throw new IllegalArgumentException("object frames 0x" + Long.toHexString(firstFrameAddress) + " + "
                + capacity + " pages are not page-aligned RAM (RAM is " + memory.ramSize() + " bytes)");
        }
        this.capacity = capacity;
        this.firstFrameAddress = firstFrameAddress;
        this.data = memory.ramView(firstFrameAddress, capacity * PhysicalMemory.PAGE_SIZE);
        this.records = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * RECORD_LENGTH, 64));
        this.index = new OidIndex(capacity, this);
        for (int i = 0; i < capacity; i++) {
            records.putInt(recordOffset(i) + LINK_OFFSET, i + 1 < capacity ? i + 1 : NONE);
        }
    }

    public int capacity() {
        return capacity;
    }

    public int inUse() {
        return inUse;
    }

    public UnsafeBuffer records() {
        return records;
    }

    /** All reserved frames, frame {@code i} at offset {@code i * 4096}. */
    public UnsafeBuffer data() {
        return data;
    }

    public int dataOffset(int i) {
        return i * PhysicalMemory.PAGE_SIZE;
    }

    /** Physical address of frame {@code i}, for page-table entries. */
    public long physicalAddress(int i) {
        return firstFrameAddress + (long) i * PhysicalMemory.PAGE_SIZE;
    }

    public int find(long oid) {
        return index.find(oid);
    }

    /** Takes a free frame for {@code oid}: data unchanged (the caller fills it), ring empty. */
    public int allocate(long oid, int allocationCount) {
        int i = freeHead;
        if (i == NONE) {
            return NONE;
        }
        int r = recordOffset(i);
        freeHead = records.getInt(r + LINK_OFFSET);
        records.setMemory(r, RECORD_LENGTH, (byte) 0);
        records.putLong(r + OID_OFFSET, oid);
        records.putInt(r + ALLOCATION_COUNT_OFFSET, allocationCount);
        int anchor = KeyLocation.frameAnchor(i);
        records.putInt(r + RING_OFFSET, anchor);
        records.putInt(r + RING_OFFSET + 4, anchor);
        records.putInt(r + FLAGS_OFFSET, FLAG_IN_USE | FLAG_REFERENCED);
        index.insert(i);
        inUse++;
        return i;
    }

    public void free(int i) {
        int r = recordOffset(i);
        index.remove(i);
        records.putInt(r + FLAGS_OFFSET, 0);
        records.putInt(r + LINK_OFFSET, freeHead);
        freeHead = i;
        inUse--;
    }

    public boolean isInUse(int i) {
        return i >= 0 && i < capacity && (flags(i) & FLAG_IN_USE) != 0;
    }

    @Override
    public long oidOf(int i) {
        return records.getLong(recordOffset(i) + OID_OFFSET);
    }

    @Override
    public int linkOf(int i) {
        return records.getInt(recordOffset(i) + LINK_OFFSET);
    }

    @Override
    public void setLink(int i, int next) {
        records.putInt(recordOffset(i) + LINK_OFFSET, next);
    }

    public long oid(int i) {
        return records.getLong(recordOffset(i) + OID_OFFSET);
    }

    public int allocationCount(int i) {
        return records.getInt(recordOffset(i) + ALLOCATION_COUNT_OFFSET);
    }

    void setAllocationCount(int i, int count) {
        records.putInt(recordOffset(i) + ALLOCATION_COUNT_OFFSET, count);
    }

    public int flags(int i) {
        return records.getInt(recordOffset(i) + FLAGS_OFFSET);
    }

    public boolean isDirty(int i) {
        return (flags(i) & FLAG_DIRTY) != 0;
    }

    /** Guest writes through the MMU must call this too (issue 5 maps frames read-only until then). */
    public void markDirty(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        records.putInt(r, records.getInt(r) | FLAG_DIRTY | FLAG_REFERENCED);
    }

    void clearDirty(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        records.putInt(r, records.getInt(r) & ~FLAG_DIRTY);
    }

    public void markReferenced(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        records.putInt(r, records.getInt(r) | FLAG_REFERENCED);
    }

    boolean testAndClearReferenced(int i) {
        int r = recordOffset(i) + FLAGS_OFFSET;
        int f = records.getInt(r);
        records.putInt(r, f & ~FLAG_REFERENCED);
        return (f & FLAG_REFERENCED) != 0;
    }

    public void pin(int i) {
        int r = recordOffset(i) + PIN_COUNT_OFFSET;
        records.putInt(r, records.getInt(r) + 1);
    }

    public void unpin(int i) {
        int r = recordOffset(i) + PIN_COUNT_OFFSET;
        int pins = records.getInt(r);
        if (pins <= 0) {
            throw new IllegalStateException("page 0x" + Long.toHexString(oid(i)) + " unpinned more often than pinned");
        }
        records.putInt(r, pins - 1);
    }

    public int pinCount(int i) {
        return records.getInt(recordOffset(i) + PIN_COUNT_OFFSET);
    }

    public int ringTail(int i) {
        return records.getInt(recordOffset(i) + RING_OFFSET);
    }

    public int ringHead(int i) {
        return records.getInt(recordOffset(i) + RING_OFFSET + 4);
    }

    OidIndex index() {
        return index;
    }

    int freeHead() {
        return freeHead;
    }
}
