package org.erosim.kernel.object;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.mmu.PhysicalMemory;

/**
 * The bounded in-memory object set in front of an {@link ObjectSource} (kernel.md §1, §12):
 * a {@link NodeTable} and a {@link FrameTable} of fixed capacities, faulting objects in on
 * first use and evicting by CLOCK when full.
 *
 * <p>Eviction of a victim (never a pinned one): every key on its ring is deprepared, the
 * prepared keys in its own slots are unlinked from their objects' rings and written
 * unprepared, it is written back if dirty, its stall queue is handed to the
 * {@link StallQueueWaker}, and its record is freed. Hence no prepared key ever names a free
 * record, and the source only ever receives unprepared keys.
 *
 * <p>Keys read from the source are trusted for shape only after a check at fault-in: a key
 * with an undefined type or restriction bits, a PREPARED flag (never valid on disk) or
 * hazard flags is repaired (hazards cleared; the others voided) and counted in
 * {@link #repairedKeys()}; the store checker reports such files, the cache just survives them.
 *
 * <p>Not thread safe; allocation-free after construction.
 */
public final class ObjectCache {
    /** {@link #faultNode}/{@link #faultPage}: the source holds no such object of that kind. */
    public static final int ABSENT = -1;
    /** {@link #faultNode}/{@link #faultPage}/{@link #newNode}: no record free and none evictable, or the source is full. */
    public static final int NO_ROOM = -2;

    private final ObjectSource source;
    private final NodeTable nodes;
    private final FrameTable frames;
    private final Keys keys;
    private final ObjectHeader header = new ObjectHeader();
    /** Write-back staging: a node's 32 keys in unprepared form. */
    private final RecordBuffer unpreparedKeys =
        new RecordBuffer(ObjectSource.NODE_KEYS_LENGTH);
    private StallQueueWaker waker = StallQueueWaker.NONE;
    private NodeEvictionListener evictionListener = NodeEvictionListener.NONE;
    private int nodeHand;
    private int frameHand;

    private long faults;
    private long evictions;
    private long writeBacks;
    private long repairedKeys;

    /**
     * @param source where objects come from and go back to
     * @param nodeCapacity node-table records (run option)
     * @param memory the machine's RAM
     * @param firstFrameAddress first of the frames reserved for object pages
     * @param frameCapacity number of reserved frames (run option)
     */
    public ObjectCache(ObjectSource source, int nodeCapacity, PhysicalMemory memory, long firstFrameAddress,
        int frameCapacity) {
        this.source = source;
        this.nodes = new NodeTable(nodeCapacity);
        this.frames = new FrameTable(memory, firstFrameAddress, frameCapacity);
        this.keys = new Keys(this, nodes, frames);
    }

    public NodeTable nodes() {
        return nodes;
    }

    public FrameTable frames() {
        return frames;
    }

    public Keys keys() {
        return keys;
    }

    public ObjectSource source() {
        return source;
    }

    /** Who must let go of a node's index when it leaves memory (queued posts). */
    public void setNodeEvictionListener(NodeEvictionListener listener) {
        this.evictionListener = listener == null ? NodeEvictionListener.NONE : listener;
    }

    public void setStallQueueWaker(StallQueueWaker waker) {
        this.waker = waker == null ? StallQueueWaker.NONE : waker;
    }

    // ------------------------------------------------------------------ fault-in

    /** The node-table index of node {@code oid}, faulting it in; {@link #ABSENT} or {@link #NO_ROOM}. */
    public int faultNode(long oid) {
        int i = nodes.find(oid);
        if (i != NodeDescriptor.NONE) {
            nodes.markReferenced(i);
            return i;
        }
        if (nodes.inUse() == nodes.capacity() && evictNode() == NodeDescriptor.NONE) {
            return NO_ROOM;
        }
        i = nodes.allocate(oid, 0, 0);
        int slots = nodes.slotOffset(i, 0);
        if (!source.readNode(oid, header, nodes.buffer(), slots) || header.kind != ObjectSource.KIND_NODE
            || header.oid != oid) {
            nodes.clearSlots(i);
            nodes.free(i);
            return ABSENT;
        }
        nodes.setAllocationCount(i, header.allocationCount);
        nodes.setCallCount(i, header.callCount);
        repairKeys(nodes.buffer(), slots);
        faults++;
        return i;
    }

    /** The frame index of page {@code oid}, faulting it in; {@link #ABSENT} or {@link #NO_ROOM}. */
    public int faultPage(long oid) {
        int i = frames.find(oid);
        if (i != NodeDescriptor.NONE) {
            frames.markReferenced(i);
            return i;
        }
        if (frames.inUse() == frames.capacity() && evictFrame() == NodeDescriptor.NONE) {
            return NO_ROOM;
        }
        i = frames.allocate(oid, 0);
        if (!source.readPage(oid, header, frames.data(), frames.dataOffset(i)) || header.kind != ObjectSource.KIND_PAGE
            || header.oid != oid) {
            frames.free(i);
            return ABSENT;
        }
        frames.setAllocationCount(i, header.allocationCount);
        frames.dataWritten(i); // the frame may have held code of the page evicted from it
        faults++;
        return i;
    }

    /** Keys arriving from the source: see the class comment. No ring work: none is prepared. */
    private void repairKeys(RecordBuffer buffer, int offset) {
        for (int s = 0; s < NodeDescriptor.SLOT_COUNT; s++) {
            int at = offset + s * KeyDescriptor.LENGTH;
            int tail = buffer.getInt(at + KeyDescriptor.TAIL_OFFSET);
            int type = KeyDescriptor.type(tail);
            if (!KeyType.isValid(type) || KeyDescriptor.isPrepared(tail)
                || (KeyDescriptor.restrictions(tail) & ~Restriction.ALL) != 0) {
                buffer.setMemory(at, KeyDescriptor.TAIL_OFFSET, (byte) 0);
                buffer.putInt(at + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
                repairedKeys++;
            } else if (KeyDescriptor.flags(tail) != 0) {
                buffer.putInt(at + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.withFlags(tail, 0));
                repairedKeys++;
            }
        }
    }

    // ------------------------------------------------------------------ new objects

    /** A new node (all slots void, counts 0) from a fresh source OID; its index or {@link #NO_ROOM}. */
    public int newNode() {
        if (nodes.inUse() == nodes.capacity() && evictNode() == NodeDescriptor.NONE) {
            return NO_ROOM;
        }
        long oid = source.newOid(ObjectSource.KIND_NODE);
        if (oid < 0) {
            return NO_ROOM;
        }
        int i = nodes.allocate(oid, 0, 0);
        nodes.markDirty(i);
        return i;
    }

    /** A new zero page from a fresh source OID; its frame index or {@link #NO_ROOM}. */
    public int newPage() {
        if (frames.inUse() == frames.capacity() && evictFrame() == NodeDescriptor.NONE) {
            return NO_ROOM;
        }
        long oid = source.newOid(ObjectSource.KIND_PAGE);
        if (oid < 0) {
            return NO_ROOM;
        }
        int i = frames.allocate(oid, 0);
        frames.data().setMemory(frames.dataOffset(i), PhysicalMemory.PAGE_SIZE, (byte) 0);
        frames.dataWritten(i);
        frames.markDirty(i);
        return i;
    }

    /**
     * Frees node {@code i}, which {@link #newNode} made and nothing refers to yet (its ring is
     * empty, it is unpinned and has never been written back): the undo of a creation that
     * could not be completed (RANGE NEW_PROCESS when its second node cannot be had). The
     * fresh OID it took from the source is simply never used.
     *
     * @throws IllegalStateException if a key refers to it or it is pinned
     */
    public void discardNewNode(int i) {
        if (nodes.pinCount(i) != 0 || nodes.ringHead(i) != KeyLocation.nodeAnchor(i)) {
            throw new IllegalStateException("node 0x" + Long.toHexString(nodes.oid(i)) + " is in use");
        }
        for (int s = 0; s < NodeDescriptor.SLOT_COUNT; s++) {
            int slot = KeyLocation.nodeSlot(i, s);
            if (KeyDescriptor.isPrepared(keys.tailAt(slot))) {
                keys.deprepare(slot);
            }
        }
        nodes.clearSlots(i);
        nodes.free(i);
    }

    // ------------------------------------------------------------------ eviction

    /** Runs the node CLOCK hand until it evicts a node; returns the freed index or NONE if all are pinned. */
    int evictNode() {
        int capacity = nodes.capacity();
        // Two sweeps: the first may only clear referenced bits.
        for (int step = 0; step <= 2 * capacity; step++) {
            int i = nodeHand;
            nodeHand = i + 1 == capacity ? 0 : i + 1;
            if (!nodes.isInUse(i) || nodes.pinCount(i) > 0 || nodes.testAndClearReferenced(i)) {
                continue;
            }
            evict(i);
            return i;
        }
        return NodeDescriptor.NONE;
    }

    int evictFrame() {
        int capacity = frames.capacity();
        for (int step = 0; step <= 2 * capacity; step++) {
            int i = frameHand;
            frameHand = i + 1 == capacity ? 0 : i + 1;
            if (!frames.isInUse(i) || frames.pinCount(i) > 0 || frames.testAndClearReferenced(i)) {
                continue;
            }
            evictPage(i);
            return i;
        }
        return NodeDescriptor.NONE;
    }

    /** Removes node {@code i} from memory (see the class comment). It must not be pinned. */
    public void evict(int i) {
        if (nodes.pinCount(i) > 0) {
            throw new IllegalStateException("node 0x" + Long.toHexString(nodes.oid(i)) + " is pinned");
        }
        keys.deprepareNodeRing(i);
        for (int s = 0; s < NodeDescriptor.SLOT_COUNT; s++) {
            keys.deprepare(KeyLocation.nodeSlot(i, s));
        }
        if (nodes.isDirty(i)) {
            writeBackNode(i);
        }
        int head = nodes.stallHead(i);
        if (head != NodeDescriptor.NONE) {
            int tail = nodes.stallTail(i);
            nodes.setStallQueue(i, NodeDescriptor.NONE, NodeDescriptor.NONE);
            waker.wakeAll(head, tail);
        }
        evictionListener.nodeEvicted(i);
        nodes.free(i);
        evictions++;
    }

    /** Removes page frame {@code i} from memory. It must not be pinned. */
    public void evictPage(int i) {
        if (frames.pinCount(i) > 0) {
            throw new IllegalStateException("page 0x" + Long.toHexString(frames.oid(i)) + " is pinned");
        }
        keys.deprepareFrameRing(i);
        if (frames.isDirty(i)) {
            writeBackPage(i);
        }
        frames.free(i);
        evictions++;
    }

    /** Evicts every unpinned object (a clean shutdown, or a test's round trip). */
    public void evictAll() {
        for (int i = 0; i < nodes.capacity(); i++) {
            if (nodes.isInUse(i) && nodes.pinCount(i) == 0) {
                evict(i);
            }
        }
        for (int i = 0; i < frames.capacity(); i++) {
            if (frames.isInUse(i) && frames.pinCount(i) == 0) {
                evictPage(i);
            }
        }
    }

    // ------------------------------------------------------------------ write-back

    /**
     * Writes node {@code i} to the source with its keys in unprepared form (prepared keys are
     * converted in a staging copy; the node keeps them prepared) and marks it clean.
     */
    public void writeBackNode(int i) {
        for (int s = 0; s < NodeDescriptor.SLOT_COUNT; s++) {
            keys.copyUnprepared(KeyLocation.nodeSlot(i, s), unpreparedKeys, s * KeyDescriptor.LENGTH);
        }
        header.set(ObjectSource.KIND_NODE, nodes.oid(i), nodes.allocationCount(i), nodes.callCount(i));
        source.writeNode(header, unpreparedKeys, 0);
        nodes.clearDirty(i);
        writeBacks++;
    }

    public void writeBackPage(int i) {
        header.set(ObjectSource.KIND_PAGE, frames.oid(i), frames.allocationCount(i), 0);
        source.writePage(header, frames.data(), frames.dataOffset(i));
        frames.clearDirty(i);
        writeBacks++;
    }

    /** Writes every dirty object back (objects stay in memory). */
    public void writeBackAll() {
        for (int i = 0; i < nodes.capacity(); i++) {
            if (nodes.isInUse(i) && nodes.isDirty(i)) {
                writeBackNode(i);
            }
        }
        for (int i = 0; i < frames.capacity(); i++) {
            if (frames.isInUse(i) && frames.isDirty(i)) {
                writeBackPage(i);
            }
        }
    }

    // ------------------------------------------------------------------ counters

    public long faults() {
        return faults;
    }

    public long evictions() {
        return evictions;
    }

    public long writeBacks() {
        return writeBacks;
    }

    public long repairedKeys() {
        return repairedKeys;
    }
}
