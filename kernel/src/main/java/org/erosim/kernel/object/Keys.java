package org.erosim.kernel.object;

import static org.erosim.kernel.key.KeyDescriptor.FLAG_PREPARED;
import static org.erosim.kernel.key.KeyDescriptor.HANDLE_OFFSET;
import static org.erosim.kernel.key.KeyDescriptor.TAIL_OFFSET;
import static org.erosim.kernel.key.KeyDescriptor.VOID_TAIL;

import org.agrona.MutableDirectBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * Key operations and key rings (kernel.md §2): preparation, depreparation, rescind, copy
 * and the node-key slot orders, all on keys named by {@link KeyLocation}.
 *
 * <h2>Key rings</h2>
 * Every in-memory object has a ring: a circular doubly linked list through the prepared
 * keys naming it, with the anchor in the object's header as sentinel (anchor.next = head,
 * anchor.prev = tail). Resume keys are inserted at the tail and all others at the head, so
 * the resume keys of a process form the ring's tail segment and are found walking from
 * the tail until the first non-resume key.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A key is PREPARED iff it is on the ring of the object its handle names; prepared
 *   keys are object keys (types 0-5) only.</li>
 *   <li>Every change of a key goes through {@link #store}: it unlinks the old key, links the
 *   new one, marks the owner dirty for semantic writes and tells the {@link SlotWriteListener}.
 *   Nothing else writes a key slot of an in-use record.</li>
 *   <li>Restrictions only accumulate: every derivation ORs restrictions in.</li>
 * </ul>
 *
 * <p>Preparation may fault an object in and so evict another: the node holding the key
 * being prepared (and any node passed to the same operation) is pinned meanwhile, so the
 * locations an operation was given stay valid throughout it. Locations held across
 * operations are the caller's business (issue 5 pins the nodes of loaded processes).
 *
 * <p>Not thread safe; nothing here allocates.
 */
public final class Keys {
    /** {@link #prepare}: the key is not (or no longer) an object key: void, number, kernel key. */
    public static final int NOT_OBJECT = -1;
    /** {@link #prepare}: the object could not be brought in (every record pinned); key unchanged. */
    public static final int NO_RESOURCES = -2;

    /** Kernel key registers owned by this class ({@link KeyLocation#SCRATCH}); 0 is for swaps. */
    public static final int SCRATCH_REGISTERS = 8;
    private static final int SWAP_TEMP = 0;
    private static final int PREPARED_BIT = FLAG_PREPARED << 8;
    private static final int RESTRICTION_SHIFT = 11;

    private final ObjectCache cache;
    private final NodeTable nodes;
    private final FrameTable frames;
    private final RecordBuffer nodeBuffer;
    private final RecordBuffer frameRecords;
    private final RecordBuffer scratch;
    private SlotWriteListener listener = SlotWriteListener.NONE;

    Keys(ObjectCache cache, NodeTable nodes, FrameTable frames) {
        this.cache = cache;
        this.nodes = nodes;
        this.frames = frames;
        this.nodeBuffer = nodes.buffer();
        this.frameRecords = frames.records();
        this.scratch = new RecordBuffer(SCRATCH_REGISTERS * KeyDescriptor.LENGTH);
        for (int r = 0; r < SCRATCH_REGISTERS; r++) {
            scratch.putInt(r * KeyDescriptor.LENGTH + TAIL_OFFSET, VOID_TAIL);
        }
    }

    public void setListener(SlotWriteListener listener) {
        this.listener = listener == null ? SlotWriteListener.NONE : listener;
    }

    /**
     * Told of every write (semantic or not: any {@link #store}) to the schedule slot or the
     * address-space slot of a node that is the root of a loaded process
     * ({@link NodeTable#processEntry}): the process table, which remembers per entry what its
     * dispatch found in those slots. Called with the entry and the slot; must not write keys.
     */
    @FunctionalInterface
    public interface RootSlotWatcher {
        void rootSlotWritten(int entry, int slot);
    }

    private RootSlotWatcher rootSlots;

    /** Installs the root-slot watcher (the process table does, when it is made). */
    public void setRootSlotWatcher(RootSlotWatcher watcher) {
        this.rootSlots = watcher;
    }

    // ------------------------------------------------------------------ locations

    /** The buffer holding the key (or ring anchor) at {@code location}. */
    public RecordBuffer bufferOf(int location) {
        // Node slots first, in a method small enough for the JIT to inline at every call
        // site (MaxInlineSize): nearly every key the invocation path reads is in a node.
        return KeyLocation.tag(location) == KeyLocation.NODE_SLOT ? nodeBuffer : anchorOrScratchBuffer(location);
    }

    private RecordBuffer anchorOrScratchBuffer(int location) {
        switch (KeyLocation.tag(location)) {
            case KeyLocation.NODE_ANCHOR:
                return nodeBuffer;
            case KeyLocation.FRAME_ANCHOR:
                return frameRecords;
            case KeyLocation.SCRATCH:
                return scratch;
            default:
                throw new IllegalStateException("no key storage for " + KeyLocation.describe(location));
        }
    }

    /** Offset of the key at {@code location} in {@link #bufferOf}; for an anchor, of its (prev, next) pair. */
    public int offsetOf(int location) {
        return KeyLocation.tag(location) == KeyLocation.NODE_SLOT
            ? NodeDescriptor.slotOffset(KeyLocation.node(location), KeyLocation.slot(location)) : anchorOrScratchOffset(location);
    }

    private int anchorOrScratchOffset(int location) {
        int index = KeyLocation.index(location);
        switch (KeyLocation.tag(location)) {
            case KeyLocation.NODE_ANCHOR:
                return NodeDescriptor.recordOffset(index) + NodeDescriptor.RING_OFFSET;
            case KeyLocation.FRAME_ANCHOR:
                return FrameDescriptor.recordOffset(index) + FrameDescriptor.RING_OFFSET;
            case KeyLocation.SCRATCH:
                if (index >= SCRATCH_REGISTERS) {
                    throw new IllegalStateException("no " + KeyLocation.describe(location));
                }
                return index * KeyDescriptor.LENGTH;
            default:
                throw new IllegalStateException("no key storage for " + KeyLocation.describe(location));
        }
    }

    public int tailAt(int location) {
        return bufferOf(location).getInt(offsetOf(location) + TAIL_OFFSET);
    }

    /** The OID of an unprepared object key (or word 0-1 of a number key). */
    public long oidAt(int location) {
        return bufferOf(location).getLong(offsetOf(location) + KeyDescriptor.OID_OFFSET);
    }

    /** Body word at byte offset 8: count of an unprepared key, handle of a prepared one. */
    public int word2At(int location) {
        return bufferOf(location).getInt(offsetOf(location) + KeyDescriptor.WORD2_OFFSET);
    }

    // ------------------------------------------------------------------ rings

    int ringPrev(int location) {
        return bufferOf(location).getInt(offsetOf(location));
    }

    int ringNext(int location) {
        return bufferOf(location).getInt(offsetOf(location) + 4);
    }

    /**
     * Links {@code location} (its key at {@code o} in {@code b}) between {@code before} and
     * its successor. Each location is resolved to (buffer, offset) once.
     */
    private void linkAfter(int before, int location, RecordBuffer b, int o) {
        RecordBuffer bb = bufferOf(before);
        int bo = offsetOf(before);
        int after = bb.getInt(bo + 4);
        b.putInt(o, before);
        b.putInt(o + 4, after);
        bb.putInt(bo + 4, location);
        bufferOf(after).putInt(offsetOf(after), location);
    }

    /** Unlinks the key at {@code o} in {@code b} from its ring. */
    private void unlink(RecordBuffer b, int o) {
        int prev = b.getInt(o);
        int next = b.getInt(o + 4);
        bufferOf(prev).putInt(offsetOf(prev) + 4, next);
        bufferOf(next).putInt(offsetOf(next), prev);
    }

    /** The ring anchor of the object a prepared key of {@code type} with {@code handle} names. */
    static int anchorOf(int type, int handle) {
        return type == KeyType.PAGE ? KeyLocation.frameAnchor(handle) : KeyLocation.nodeAnchor(handle);
    }

    // ------------------------------------------------------------------ the one write path

    /**
     * Writes a key at {@code location}: the only way any key changes. An old prepared key is
     * unlinked from its ring; a new prepared key ({@code tail} has PREPARED) is linked into
     * the ring of object {@code body2} (its handle) - resume keys at the tail, others at the
     * head - and {@code body01} is ignored; otherwise the body is {@code body01} (bytes 0-7)
     * and {@code body2} (bytes 8-11).
     */
    public void store(int location, int tail, long body01, int body2, int cause) {
        writes++;
        RecordBuffer b = bufferOf(location);
        int o = offsetOf(location);
        int oldTail = b.getInt(o + TAIL_OFFSET);
        long oldBody01 = b.getLong(o);
        int oldBody2 = b.getInt(o + HANDLE_OFFSET);
        if ((oldTail & PREPARED_BIT) != 0) {
            unlink(b, o);
        }
        if ((tail & PREPARED_BIT) != 0) {
            int type = tail & 0xFF;
            int anchor = anchorOf(type, body2);
            linkAfter(type == KeyType.RESUME ? ringPrev(anchor) : anchor, location, b, o);
            b.putInt(o + HANDLE_OFFSET, body2);
        } else {
            b.putLong(o, body01);
            b.putInt(o + HANDLE_OFFSET, body2);
        }
        b.putInt(o + TAIL_OFFSET, tail);
        if (KeyLocation.tag(location) == KeyLocation.NODE_SLOT) {
            int node = KeyLocation.node(location);
            if (cause <= SlotWriteListener.CAUSE_VOID) {
                nodes.markDirty(node);
            }
            int slot = KeyLocation.slot(location);
            if (slot == ProcessLayout.SLOT_SCHEDULE || slot == ProcessLayout.SLOT_ADDRESS_SPACE) {
                rootSlotWritten(node, slot);
            }
        }
        listener.slotWritten(location, oldTail, oldBody01, oldBody2, tail, cause);
    }

    /** A write to slot 0 or 2 of {@code node}: its process entry, if it is a loaded root, hears of it. */
    private void rootSlotWritten(int node, int slot) {
        int e = nodes.processEntry(node);
        if (e != NodeDescriptor.NONE && rootSlots != null) {
            rootSlots.rootSlotWritten(e, slot);
        }
    }

    /** Every {@link #store}, whatever its cause; see {@link #writeEpoch}. */
    private long writes;

    /**
     * A count of every write through {@link #store} (semantic or not), the one write path: a
     * result derived from key slots is still right while this is unchanged, provided the
     * slots' node stayed in memory (loading a node from the store bypasses it). Memos compare it.
     */
    public long writeEpoch() {
        return writes;
    }

    /** Writes a void key (semantic write). */
    public void storeVoid(int location) {
        store(location, VOID_TAIL, 0L, 0, SlotWriteListener.CAUSE_WRITE);
    }

    /** Writes a number key with the 96-bit value (word0, word1, word2). */
    public void storeNumber(int location, int word0, int word1, int word2) {
        store(location, KeyType.NUMBER, (word0 & 0xFFFFFFFFL) | (long) word1 << 32, word2, SlotWriteListener.CAUSE_WRITE);
    }

    /** Writes a kernel key (range, discrim, sched, sleep, console, systrace, checkpoint). */
    public void storeKernelKey(int location, int type, int restrictions) {
        if (type <= KeyType.VOID || !KeyType.isValid(type)) {
            throw new IllegalArgumentException("not a kernel key type: " + KeyType.name(type));
        }
        store(location, KeyDescriptor.tail(type, 0, restrictions & Restriction.ALL, 0), 0L, 0,
            SlotWriteListener.CAUSE_WRITE);
    }

    /**
     * Writes an unprepared object key naming {@code oid} with {@code count} (how the image
     * builder and the range key make keys; the first use prepares it).
     */
    public void storeObjectKey(int location, int type, long oid, int count, int restrictions, int keyData) {
        if (!KeyType.isObjectKey(type)) {
            throw new IllegalArgumentException("not an object key type: " + KeyType.name(type));
        }
        store(location, KeyDescriptor.tail(type, 0, restrictions & Restriction.ALL, keyData), oid, count,
            SlotWriteListener.CAUSE_WRITE);
    }

    // ------------------------------------------------------------------ preparation

    /**
     * Prepares the key at {@code location} (kernel.md §2): finds or faults in its object,
     * compares counts (a resume key against the call count, others against the allocation
     * count; for now a start/process/resume key's object is the process's root node) and
     * links it into the object's ring. A count mismatch, an OID the source does not hold or
     * an object of the wrong kind voids the key in place: that is revocation.
     *
     * @return the object's handle (node or frame index); {@link #NOT_OBJECT} for a key that
     *     is, or just became, void or is no object key; {@link #NO_RESOURCES} if the object
     *     cannot be brought in now (key unchanged)
     */
    public int prepare(int location) {
        RecordBuffer b = bufferOf(location);
        int o = offsetOf(location);
        int tail = b.getInt(o + TAIL_OFFSET);
        int type = tail & 0xFF;
        if (!KeyType.isObjectKey(type)) {
            return NOT_OBJECT;
        }
        if ((tail & PREPARED_BIT) != 0) {
            int handle = b.getInt(o + HANDLE_OFFSET);
            markReferenced(tail, handle);
            return handle;
        }
        long oid = b.getLong(o + KeyDescriptor.OID_OFFSET);
        int count = b.getInt(o + KeyDescriptor.COUNT_OFFSET);
        int owner = pinOwner(location);
        int handle = type == KeyType.PAGE ? cache.faultPage(oid) : cache.faultNode(oid);
        unpinOwner(owner);
        if (handle == ObjectCache.NO_ROOM) {
            return NO_RESOURCES;
        }
        if (handle == ObjectCache.ABSENT || count != objectCount(type, handle)) {
            store(location, VOID_TAIL, 0L, 0, SlotWriteListener.CAUSE_VOID);
            return NOT_OBJECT;
        }
        store(location, tail | PREPARED_BIT, 0L, handle, SlotWriteListener.CAUSE_PREPARE);
        return handle;
    }

    /**
     * What {@link #prepare} does for a key that is already prepared, besides answering its
     * handle: the object it names ({@code handle}, of the key's type in {@code tail}) is
     * marked referenced for the cache's CLOCK. For callers that memoise a preparation.
     */
    public void markReferenced(int tail, int handle) {
        if ((tail & 0xFF) == KeyType.PAGE) {
            frames.markReferenced(handle);
        } else {
            nodes.markReferenced(handle);
        }
    }

    /** The count a key of {@code type} must carry to be valid for object {@code handle}. */
    int objectCount(int type, int handle) {
        if (type == KeyType.PAGE) {
            return frames.allocationCount(handle);
        }
        return type == KeyType.RESUME ? nodes.callCount(handle) : nodes.allocationCount(handle);
    }

    long objectOid(int type, int handle) {
        return type == KeyType.PAGE ? frames.oid(handle) : nodes.oid(handle);
    }

    /**
     * Copies the key at {@code location} into {@code dst} at {@code offset} in the form a
     * key has outside memory (on the store, in a queued-post record): a prepared key as its
     * object's OID and count, every key without the PREPARED and hazard flags, which
     * describe memory only. The key at {@code location} is unchanged.
     */
    public void copyUnprepared(int location, MutableDirectBuffer dst, int offset) {
        int tail = tailAt(location);
        if ((tail & PREPARED_BIT) != 0) {
            int type = tail & 0xFF;
            int handle = word2At(location);
            dst.putLong(offset + KeyDescriptor.OID_OFFSET, objectOid(type, handle));
            dst.putInt(offset + KeyDescriptor.COUNT_OFFSET, objectCount(type, handle));
        } else {
            dst.putLong(offset + KeyDescriptor.OID_OFFSET, oidAt(location));
            dst.putInt(offset + KeyDescriptor.COUNT_OFFSET, word2At(location));
        }
        dst.putInt(offset + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.withFlags(tail, 0));
    }

    /** Rewrites a prepared key to unprepared form (OID + its count); other keys are left alone. */
    public void deprepare(int location) {
        int tail = tailAt(location);
        if ((tail & PREPARED_BIT) == 0) {
            return;
        }
        int type = tail & 0xFF;
        int handle = word2At(location);
        store(location, tail & ~PREPARED_BIT, objectOid(type, handle), objectCount(type, handle),
            SlotWriteListener.CAUSE_DEPREPARE);
    }

    /** Deprepares every key on node {@code node}'s ring (it is about to leave memory). */
    public void deprepareNodeRing(int node) {
        int anchor = KeyLocation.nodeAnchor(node);
        for (int k = ringNext(anchor); k != anchor; k = ringNext(anchor)) {
            deprepare(k);
        }
    }

    /** Deprepares every key on frame {@code frame}'s ring. */
    public void deprepareFrameRing(int frame) {
        int anchor = KeyLocation.frameAnchor(frame);
        for (int k = ringNext(anchor); k != anchor; k = ringNext(anchor)) {
            deprepare(k);
        }
    }

    /**
     * Deprepares the keys on node {@code node}'s ring that stand in slot {@code slot} of a node
     * (representation only: each stays the key it was, unprepared with the object's current
     * count). Used before a rescind for the key-registers slot of process roots: such a key
     * then turns void at its next preparation like any stale copy, instead of at once, so a
     * root keeps its process shape (root slot 3 a node key) on the store.
     */
    public void deprepareRingKeysInSlot(int node, int slot) {
        int anchor = KeyLocation.nodeAnchor(node);
        for (int k = ringNext(anchor); k != anchor; ) {
            int next = ringNext(k);
            if (KeyLocation.tag(k) == KeyLocation.NODE_SLOT && KeyLocation.slot(k) == slot) {
                deprepare(k);
            }
            k = next;
        }
    }

    // ------------------------------------------------------------------ rescind

    /**
     * Rescinds the object the key at {@code location} names (range key RESCIND): bumps its
     * allocation count (and a node's call count too, because any node may be a process root
     * and its resume keys must die with it) and voids every prepared key to it, the one at
     * {@code location} included. Unprepared copies - in evicted nodes, on the source - carry
     * the old count and become void when next prepared. The object is marked dirty so the
     * new counts reach the source.
     *
     * @return OK; VOID if the key is not a valid object key; NO_RESOURCES if its object
     *     cannot be brought in or its count cannot grow any more
     */
    public int rescind(int location) {
        int handle = prepare(location);
        if (handle == NOT_OBJECT) {
            return ResultCode.VOID;
        }
        if (handle == NO_RESOURCES) {
            return ResultCode.NO_RESOURCES;
        }
        int anchor;
        if ((tailAt(location) & 0xFF) == KeyType.PAGE) {
            int count = frames.allocationCount(handle);
            if (count == -1) {
                return ResultCode.NO_RESOURCES; // counts are unsigned and never wrap
            }
            frames.setAllocationCount(handle, count + 1);
            frames.markDirty(handle);
            anchor = KeyLocation.frameAnchor(handle);
        } else {
            int count = nodes.allocationCount(handle);
            int calls = nodes.callCount(handle);
            if (count == -1 || calls == -1) {
                return ResultCode.NO_RESOURCES;
            }
            nodes.setAllocationCount(handle, count + 1);
            nodes.setCallCount(handle, calls + 1);
            nodes.markDirty(handle);
            anchor = KeyLocation.nodeAnchor(handle);
        }
        for (int k = ringNext(anchor); k != anchor; k = ringNext(anchor)) {
            store(k, VOID_TAIL, 0L, 0, SlotWriteListener.CAUSE_VOID);
        }
        return ResultCode.OK;
    }

    // ------------------------------------------------------------------ red segments

    /**
     * The keeper slot that node {@code node}'s format key (slot 31) names (kernel.md §8), or
     * -1 if the node is no kept red segment: slot 31 holds no number key, its word 0 is not a
     * well-formed format (abi.md §8), or the format names no keeper slot. Whatever key the
     * slot holds: only a start key there makes invocations and faults go to a keeper.
     */
    public int redSegmentKeeperSlot(int node) {
        int format = KeyLocation.nodeSlot(node, RedSegmentFormat.FORMAT_SLOT);
        if ((tailAt(format) & 0xFF) != KeyType.NUMBER) {
            return -1;
        }
        int word = (int) oidAt(format);
        if (!RedSegmentFormat.isWellFormed(word) || RedSegmentFormat.keeperSlot(word) == RedSegmentFormat.NONE) {
            return -1;
        }
        return RedSegmentFormat.keeperSlot(word);
    }

    // ------------------------------------------------------------------ resume keys

    /**
     * Consumes the resume keys to the process whose root is node {@code root} (kernel.md §4:
     * invoking a resume key voids every copy): the prepared ones are the tail segment of the
     * root's ring and are voided walking from the tail; the call count is bumped so that
     * unprepared copies (in evicted nodes, on the store) are void at their next preparation.
     *
     * @return OK, or NO_RESOURCES if the call count cannot grow any more (nothing changed)
     */
    public int consumeResumeKeys(int root) {
        int calls = nodes.callCount(root);
        if (calls == -1) {
            return ResultCode.NO_RESOURCES; // counts are unsigned and never wrap
        }
        int anchor = KeyLocation.nodeAnchor(root);
        for (int k = ringPrev(anchor); k != anchor && (tailAt(k) & 0xFF) == KeyType.RESUME; k = ringPrev(anchor)) {
            store(k, VOID_TAIL, 0L, 0, SlotWriteListener.CAUSE_VOID);
        }
        nodes.setCallCount(root, calls + 1);
        nodes.markDirty(root);
        return ResultCode.OK;
    }

    // ------------------------------------------------------------------ copy

    /**
     * Copies the key at {@code from} to {@code to}, ORing {@code extraRestrictions} into an
     * object or kernel key (number and void keys are data and carry no restrictions). A
     * prepared key's copy is prepared and joins the same ring; an unprepared key is copied
     * unprepared (it is checked when it is next prepared). Hazard flags are not copied.
     */
    public void copy(int from, int to, int extraRestrictions) {
        RecordBuffer b = bufferOf(from);
        int o = offsetOf(from);
        int tail = b.getInt(o + TAIL_OFFSET);
        long body01 = b.getLong(o);
        int body2 = b.getInt(o + HANDLE_OFFSET);
        int type = tail & 0xFF;
        int newTail = tail & ~(KeyDescriptor.FLAG_READ_HAZARD << 8 | KeyDescriptor.FLAG_WRITE_HAZARD << 8);
        if (type != KeyType.NUMBER && type != KeyType.VOID) {
            newTail |= (extraRestrictions & Restriction.ALL) << RESTRICTION_SHIFT;
        }
        store(to, newTail, body01, body2, SlotWriteListener.CAUSE_WRITE);
    }

    /** Exchanges the keys at {@code a} and {@code b} (through scratch register 0). */
    public void swap(int a, int b) {
        int temp = KeyLocation.scratch(SWAP_TEMP);
        copy(a, temp, 0);
        copy(b, a, 0);
        copy(temp, b, 0);
        storeVoid(temp);
    }

    // ------------------------------------------------------------------ node key orders

    /**
     * NODE COPY_SLOT: copies slot {@code slot} of the node named by the node key at
     * {@code nodeKey} to {@code to}; through a weak key the copy is diminished (weak and
     * read-only).
     *
     * @return OK, VOID (not a valid node key), REQUEST_ERROR (slot out of range),
     *     NO_RESOURCES (the node cannot be brought in)
     */
    public int fetchSlot(int nodeKey, int slot, int to) {
        int node = prepareNodeKey(nodeKey, to, KeyLocation.NONE);
        if (node < 0) {
            return node == NO_RESOURCES ? ResultCode.NO_RESOURCES : ResultCode.VOID;
        }
        if (slot < 0 || slot >= NodeDescriptor.SLOT_COUNT) {
            return ResultCode.REQUEST_ERROR;
        }
        copy(KeyLocation.nodeSlot(node, slot), to, weakDiminish(tailAt(nodeKey)));
        return ResultCode.OK;
    }

    /**
     * Writes the key at {@code from} into slot {@code slot} of the node named by the node key
     * at {@code nodeKey}; diminished when the node key is weak.
     *
     * @return OK, VOID, REQUEST_ERROR, NO_ACCESS (read-only node key), NO_RESOURCES
     */
    public int storeSlot(int nodeKey, int slot, int from) {
        int node = prepareNodeKey(nodeKey, from, KeyLocation.NONE);
        if (node < 0) {
            return node == NO_RESOURCES ? ResultCode.NO_RESOURCES : ResultCode.VOID;
        }
        int nodeTail = tailAt(nodeKey);
        if ((KeyDescriptor.restrictions(nodeTail) & Restriction.READ_ONLY) != 0) {
            return ResultCode.NO_ACCESS;
        }
        if (slot < 0 || slot >= NodeDescriptor.SLOT_COUNT) {
            return ResultCode.REQUEST_ERROR;
        }
        copy(from, KeyLocation.nodeSlot(node, slot), weakDiminish(nodeTail));
        return ResultCode.OK;
    }

    /**
     * NODE SWAP_SLOT: the old key of slot {@code slot} goes to {@code out}, the key at
     * {@code in} goes into the slot ({@code in} and {@code out} may be the same location).
     * Through a weak key both directions are diminished.
     *
     * @return OK, VOID, REQUEST_ERROR, NO_ACCESS (read-only node key), NO_RESOURCES
     */
    public int swapSlot(int nodeKey, int slot, int in, int out) {
        int node = prepareNodeKey(nodeKey, in, out);
        if (node < 0) {
            return node == NO_RESOURCES ? ResultCode.NO_RESOURCES : ResultCode.VOID;
        }
        int nodeTail = tailAt(nodeKey);
        if ((KeyDescriptor.restrictions(nodeTail) & Restriction.READ_ONLY) != 0) {
            return ResultCode.NO_ACCESS;
        }
        if (slot < 0 || slot >= NodeDescriptor.SLOT_COUNT) {
            return ResultCode.REQUEST_ERROR;
        }
        int extra = weakDiminish(nodeTail);
        int slotLocation = KeyLocation.nodeSlot(node, slot);
        int temp = KeyLocation.scratch(SWAP_TEMP);
        copy(slotLocation, temp, extra);
        copy(in, slotLocation, extra);
        copy(temp, out, 0);
        storeVoid(temp);
        return ResultCode.OK;
    }

    /** Restrictions a key passing through a node key with {@code nodeTail} acquires. */
    private static int weakDiminish(int nodeTail) {
        return (KeyDescriptor.restrictions(nodeTail) & Restriction.WEAK) != 0 ? Restriction.diminished(0) : 0;
    }

    /** Prepares a NODE key, keeping the nodes of the other locations of the order pinned. */
    private int prepareNodeKey(int nodeKey, int other1, int other2) {
        if ((tailAt(nodeKey) & 0xFF) != KeyType.NODE) {
            return NOT_OBJECT;
        }
        int pin1 = pinOwner(other1);
        int pin2 = pinOwner(other2);
        int node = prepare(nodeKey);
        unpinOwner(pin2);
        unpinOwner(pin1);
        return node;
    }

    private int pinOwner(int location) {
        if (location == KeyLocation.NONE || KeyLocation.tag(location) != KeyLocation.NODE_SLOT) {
            return NodeDescriptor.NONE;
        }
        int node = KeyLocation.node(location);
        nodes.pin(node);
        return node;
    }

    private void unpinOwner(int node) {
        if (node != NodeDescriptor.NONE) {
            nodes.unpin(node);
        }
    }
}
