package org.erosim.kernel.object;

import static org.erosim.kernel.object.FrameDescriptor.*;

import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.mmu.PhysicalMemory;

/**
 * The in-memory pages: a contiguous range of frames of emulated physical memory reserved by
 * the kernel for object pages, and one {@link FrameDescriptor} record per frame (off heap)
 * holding the page's object header (records, free list, OID index and header accessors are
 * {@link ObjectTable}'s). Frame {@code i} is the physical page at
 * {@code firstFrameAddress + i * 4096}; guest code reaches it through the MMU (issue 5),
 * the kernel through {@link #data()}.
 *
 * <p>Whoever writes a frame through {@link #data()} must call {@link #dataWritten} after:
 * the CPU may hold decoded instructions of the physical page (it was code of a guest, maybe
 * of the object that lived in the frame before), and only a write reported to
 * {@link PhysicalMemory} drops them.
 */
public final class FrameTable extends ObjectTable {
    private final PhysicalMemory memory;
    private final long firstFrameAddress;
    private final UnsafeBuffer data;

    /**
     * @param memory the machine's RAM
     * @param firstFrameAddress physical address of the first reserved frame (page aligned)
     * @param capacity frames reserved, a run option
     * @throws IllegalArgumentException if the range is not page aligned RAM
     */
    public FrameTable(PhysicalMemory memory, long firstFrameAddress, int capacity) {
        super("page", checkFrames(memory, firstFrameAddress, capacity), RECORD_LENGTH);
        this.memory = memory;
        this.firstFrameAddress = firstFrameAddress;
        this.data = memory.ramView(firstFrameAddress, capacity * PhysicalMemory.PAGE_SIZE);
    }

    /** Returns capacity once it and the range are valid (before the records are allocated). */
    private static int checkFrames(PhysicalMemory memory, long firstFrameAddress, int capacity) {
        if (capacity < 1 || capacity > Integer.MAX_VALUE / PhysicalMemory.PAGE_SIZE) {
            throw new IllegalArgumentException("frame table capacity must be between 1 and "
                + Integer.MAX_VALUE / PhysicalMemory.PAGE_SIZE + ", got " + capacity);
        }
        if ((firstFrameAddress & PhysicalMemory.PAGE_MASK) != 0 || firstFrameAddress < 0
            || firstFrameAddress + (long) capacity * PhysicalMemory.PAGE_SIZE > memory.ramSize()) {
            throw new IllegalArgumentException("object frames 0x" + Long.toHexString(firstFrameAddress) + " + "
                + capacity + " pages are not page-aligned RAM (RAM is " + memory.ramSize() + " bytes)");
        }
        return capacity;
    }

    /** The records' buffer; offsets per {@link FrameDescriptor}. */
    public RecordBuffer records() {
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

    /**
     * Reports that frame {@code i}'s 4096 bytes were rewritten through {@link #data()}, so that
     * the CPU drops any instructions it decoded from the frame (self-modifying code handling
     * of {@link PhysicalMemory#hostWritten}). Allocation-free.
     */
    public void dataWritten(int i) {
        memory.hostWritten(physicalAddress(i), PhysicalMemory.PAGE_SIZE);
    }

    /** Takes a free frame for {@code oid}: data unchanged (the caller fills it), ring empty. */
    public int allocate(long oid, int allocationCount) {
        int i = takeFree(oid, allocationCount);
        if (i != NONE) {
            emptyRing(i, KeyLocation.frameAnchor(i));
        }
        return i;
    }
}
