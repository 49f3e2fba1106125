package org.erosim.kernel.process;

import static org.erosim.kernel.process.ProcessDescriptor.*;

import org.agrona.collections.Long2LongHashMap;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.object.StallQueueWaker;

/**
 * The process table (kernel.md §3, §12): an off-heap, bounded cache of loaded processes in
 * {@link ProcessDescriptor} records, addressed by int entry handles.
 *
 * <p><b>Load.</b> {@link #load} faults the root node in through the {@link ObjectCache},
 * checks it (slots 8-13 must be number keys, the run state one of AVAILABLE, RUNNING,
 * WAITING, slot 3 a node key whose node exists), prepares the key-registers key and copies
 * slots 8-13 into the entry. A malformed root answers {@link #MALFORMED} (the fault code
 * {@link FaultCode#MALFORMED_PROCESS}, negated), never an exception, and leaves nothing loaded.
 *
 * <p><b>Pin discipline.</b> While an entry is in use, its root node and its key-registers node
 * each hold one pin (a count, so a root that is its own key-registers node holds two). The
 * entry's registers are the truth while it is loaded; the root's slots 8-13 are stale until
 * {@link #unload} writes them back, so the root must not leave memory before that, and the
 * pins guarantee it. The root is pinned as soon as it is faulted in, before the key-registers
 * node is faulted, because that fault may evict. Entry pins ({@link #pin}) are separate: the
 * invocation path pins the entries it is working on so that a process-table fault in the
 * middle of a dry run cannot unload them.
 *
 * <p><b>Unload.</b> {@link #unload} writes registers, fault code and info, run word and
 * receive descriptor back to slots 8-13 through the single slot-write path
 * ({@link Keys#storeNumber}; only slots whose value changed are written, so an unchanged
 * process does not dirty its root), unpins both nodes, frees the entry and hands its stall
 * queue to the {@link StallQueueWaker}: the sleepers retry and find the process again by
 * loading it (harmless by design). Only entries without an activity (AVAILABLE or WAITING
 * processes) and without pins are unloaded; when the table is full, {@link #load} picks such
 * a victim with a CLOCK hand (two sweeps; referenced entries survive one).
 *
 * <p>Invariants: an entry is in use iff the OID map names it; in-use entries' root and
 * key-registers nodes are in the node table and pinned; stall head/tail are -1 together.
 * Not thread safe; allocation-free after construction (the OID map is presized so it never
 * rehashes).
 */
public final class ProcessTable implements Keys.RootSlotWatcher {
    /** {@link #load}: the source holds no node with that OID. */
    public static final int ABSENT = -1;
    /** {@link #load}: no entry free and none unloadable, or the nodes cannot be brought in. */
    public static final int NO_ROOM = -2;
    /** {@link #load}: the root is not a well-formed process root ({@link FaultCode#MALFORMED_PROCESS}). */
    public static final int MALFORMED = -FaultCode.MALFORMED_PROCESS;

    /** No entry (also {@link #find}'s answer for a process that is not loaded). */
    public static final int NONE = ProcessDescriptor.NONE;

    private static final long MISSING = -1L;

    private final ObjectCache cache;
    private final NodeTable nodes;
    private final RecordBuffer nodeBuffer;
    private final Keys keys;
    private final int capacity;
    private final RecordBuffer buffer;
    private final Long2LongHashMap byOid;
    private StallQueueWaker waker = StallQueueWaker.NONE;
    private int freeHead;
    private int inUse;
    private int hand;

    private long loads;
    private long unloads;
    private long unloadsWithSleepers;
    private long victims;
    private long malformed;

    public ProcessTable(ObjectCache cache, int capacity) {
        if (capacity < 1 || (long) capacity * RECORD_LENGTH > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("process-table capacity out of range: " + capacity);
        }
        this.cache = cache;
        this.nodes = cache.nodes();
        this.nodeBuffer = nodes.buffer();
        this.keys = cache.keys();
        this.capacity = capacity;
        this.buffer = new RecordBuffer(capacity * RECORD_LENGTH);
        // Load factor 0.5 on twice the capacity: size never exceeds the resize threshold.
        this.byOid = new Long2LongHashMap(2 * capacity, 0.5f, MISSING);
        for (int e = capacity - 1; e >= 0; e--) {
            clear(e);
            buffer.putInt(recordOffset(e) + LINK_OFFSET, e + 1 == capacity ? NONE : e + 1);
        }
        freeHead = 0;
        keys.setRootSlotWatcher(this);
    }

    private void clear(int e) {
        int r = recordOffset(e);
        buffer.setMemory(r, RECORD_LENGTH, (byte) 0);
        buffer.putInt(r + ROOT_NODE_OFFSET, NONE);
        buffer.putInt(r + KEY_REGISTERS_NODE_OFFSET, NONE);
        buffer.putInt(r + STALL_HEAD_OFFSET, NONE);
        buffer.putInt(r + STALL_TAIL_OFFSET, NONE);
        buffer.putInt(r + ACTIVITY_OFFSET, NONE);
        buffer.putInt(r + LINK_OFFSET, NONE);
        buffer.putInt(r + RING_OFFSET, NONE);
        buffer.putInt(r + RING_OFFSET + 4, NONE);
    }

    /** Where the stall queues of unloaded entries go (the scheduler plugs itself in). */
    public void setStallQueueWaker(StallQueueWaker waker) {
        this.waker = waker == null ? StallQueueWaker.NONE : waker;
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

    public ObjectCache cache() {
        return cache;
    }

    // ------------------------------------------------------------------ load

    /** The entry of the loaded process with root {@code rootOid}, or {@link #NONE}. */
    public int find(long rootOid) {
        return (int) byOid.get(rootOid);
    }

    /**
     * The entry of process {@code rootOid}, loading it if needed (see the class comment).
     *
     * @return the entry handle, or {@link #ABSENT}, {@link #NO_ROOM} or {@link #MALFORMED}
     */
    public int load(long rootOid) {
        int e = find(rootOid);
        if (e != NONE) {
            markReferenced(e);
            return e;
        }
        if (freeHead == NONE && unloadVictim() == NONE) {
            return NO_ROOM;
        }
        int root = cache.faultNode(rootOid);
        if (root == ObjectCache.ABSENT) {
            return ABSENT;
        }
        if (root == ObjectCache.NO_ROOM) {
            return NO_ROOM;
        }
        nodes.pin(root);
        int fault = checkRoot(root);
        if (fault != FaultCode.NONE) {
            nodes.unpin(root);
            malformed++;
            return MALFORMED;
        }
        int keyRegisters = keys.prepare(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_KEY_REGISTERS));
        if (keyRegisters == Keys.NO_RESOURCES) {
            nodes.unpin(root);
            return NO_ROOM;
        }
        if (keyRegisters < 0) {
            // The key was void after all: a count mismatch or an OID the source lacks.
            nodes.unpin(root);
            malformed++;
            return MALFORMED;
        }
        nodes.pin(keyRegisters);
        e = freeHead;
        int r = recordOffset(e);
        freeHead = buffer.getInt(r + LINK_OFFSET);
        clear(e);
        buffer.putLong(r + ROOT_OID_OFFSET, rootOid);
        buffer.putInt(r + ROOT_NODE_OFFSET, root);
        buffer.putInt(r + KEY_REGISTERS_NODE_OFFSET, keyRegisters);
        readRoot(root, r);
        buffer.putInt(r + FLAGS_OFFSET, FLAG_IN_USE | FLAG_REFERENCED); // nothing checked yet
        nodes.setProcessEntry(root, e);
        byOid.put(rootOid, e);
        inUse++;
        loads++;
        return e;
    }

    /**
     * {@link FaultCode#NONE} if node {@code root} is shaped like a process root: slots 8-13
     * number keys, a defined run state, slot 3 a node key. Else {@link FaultCode#MALFORMED_PROCESS}.
     */
    public int checkRoot(int root) {
        for (int s = ProcessLayout.SLOT_FAULT_AND_STATE; s <= ProcessLayout.SLOT_RECEIVE; s++) {
            if (KeyDescriptor.type(nodes.keyTail(root, s)) != KeyType.NUMBER) {
                return FaultCode.MALFORMED_PROCESS;
            }
        }
        int runState = word(root, ProcessLayout.SLOT_FAULT_AND_STATE, 2) & RUN_STATE_MASK;
        if (runState > ProcessLayout.WAITING) {
            return FaultCode.MALFORMED_PROCESS;
        }
        if (KeyDescriptor.type(nodes.keyTail(root, ProcessLayout.SLOT_KEY_REGISTERS)) != KeyType.NODE) {
            return FaultCode.MALFORMED_PROCESS;
        }
        return FaultCode.NONE;
    }

    private int word(int node, int slot, int w) {
        return nodeBuffer.getInt(nodes.slotOffset(node, slot) + 4 * w);
    }

    private void readRoot(int root, int r) {
        buffer.putInt(r + FAULT_CODE_OFFSET, word(root, ProcessLayout.SLOT_FAULT_AND_STATE, 0));
        buffer.putInt(r + FAULT_INFO_OFFSET, word(root, ProcessLayout.SLOT_FAULT_AND_STATE, 1));
        buffer.putInt(r + RUN_WORD_OFFSET, word(root, ProcessLayout.SLOT_FAULT_AND_STATE, 2));
        buffer.putInt(r + EIP_OFFSET, word(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0));
        buffer.putInt(r + ESP_OFFSET, word(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1));
        buffer.putInt(r + EFLAGS_OFFSET, word(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 2));
        buffer.putInt(r + EAX_OFFSET, word(root, ProcessLayout.SLOT_EAX_EBX_ECX, 0));
        buffer.putInt(r + EBX_OFFSET, word(root, ProcessLayout.SLOT_EAX_EBX_ECX, 1));
        buffer.putInt(r + ECX_OFFSET, word(root, ProcessLayout.SLOT_EAX_EBX_ECX, 2));
        buffer.putInt(r + EDX_OFFSET, word(root, ProcessLayout.SLOT_EDX_ESI_EDI, 0));
        buffer.putInt(r + ESI_OFFSET, word(root, ProcessLayout.SLOT_EDX_ESI_EDI, 1));
        buffer.putInt(r + EDI_OFFSET, word(root, ProcessLayout.SLOT_EDX_ESI_EDI, 2));
        buffer.putInt(r + EBP_OFFSET, word(root, ProcessLayout.SLOT_EBP, 0));
        buffer.putInt(r + RCV_KEYS_OFFSET, word(root, ProcessLayout.SLOT_RECEIVE, 0));
        buffer.putInt(r + RCV_PTR_OFFSET, word(root, ProcessLayout.SLOT_RECEIVE, 1));
        buffer.putInt(r + RCV_LIMIT_OFFSET, word(root, ProcessLayout.SLOT_RECEIVE, 2));
    }

    // ------------------------------------------------------------------ unload

    /** True if entry {@code e} may be unloaded now: in use, unpinned, no activity. */
    public boolean isUnloadable(int e) {
        return isInUse(e) && pinCount(e) == 0 && activity(e) == NONE;
    }

    /**
     * Unloads entry {@code e} (see the class comment). Returns false, changing nothing, if it
     * is not in use, pinned, or has an activity (a RUNNING process stays loaded).
     */
    public boolean unload(int e) {
        if (!isUnloadable(e)) {
            return false;
        }
        int r = recordOffset(e);
        int root = buffer.getInt(r + ROOT_NODE_OFFSET);
        writeRoot(root, r);
        int head = buffer.getInt(r + STALL_HEAD_OFFSET);
        int tail = buffer.getInt(r + STALL_TAIL_OFFSET);
        nodes.setProcessEntry(root, NONE);
        nodes.unpin(root);
        nodes.unpin(buffer.getInt(r + KEY_REGISTERS_NODE_OFFSET));
        byOid.remove(buffer.getLong(r + ROOT_OID_OFFSET));
        clear(e);
        buffer.putInt(r + LINK_OFFSET, freeHead);
        freeHead = e;
        inUse--;
        unloads++;
        // Last, so that the waker sees a consistent table (the entry is already free).
        if (head != NONE) {
            unloadsWithSleepers++;
            waker.wakeAll(head, tail);
        }
        return true;
    }

    /** Unloads every unloadable entry (a clean shutdown, or a test's round trip); returns how many. */
    public int unloadAll() {
        int n = 0;
        for (int e = 0; e < capacity; e++) {
            if (unload(e)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes loaded entry {@code e}'s registers, fault code and info, run word and receive
     * descriptor to its root's slots 8-13, as {@link #unload} does, but leaves it loaded (a
     * checkpoint: the root becomes dirty if anything changed, and the store then holds the
     * process as it is now). The entry stays the truth.
     */
    public void syncRoot(int e) {
        if (!isInUse(e)) {
            throw new IllegalStateException("process entry " + e + " is not in use");
        }
        int r = recordOffset(e);
        writeRoot(buffer.getInt(r + ROOT_NODE_OFFSET), r);
    }

    /**
     * After {@link #syncRoot}: loaded entry {@code e}'s root records {@code result} as the
     * result code of its last answer (EAX) instead of the entry's. For a checkpoint of a
     * sleeper (RESTART); the entry keeps its own, and an unload writes that.
     */
    public void recordResultInRoot(int e, int result) {
        int r = recordOffset(e);
        writeSlot(buffer.getInt(r + ROOT_NODE_OFFSET), ProcessLayout.SLOT_EAX_EBX_ECX, result, buffer.getInt(r + EBX_OFFSET),
            buffer.getInt(r + ECX_OFFSET));
    }

    private void writeRoot(int root, int r) {
        writeSlot(root, ProcessLayout.SLOT_FAULT_AND_STATE, buffer.getInt(r + FAULT_CODE_OFFSET),
            buffer.getInt(r + FAULT_INFO_OFFSET), buffer.getInt(r + RUN_WORD_OFFSET));
        writeSlot(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, buffer.getInt(r + EIP_OFFSET), buffer.getInt(r + ESP_OFFSET),
            buffer.getInt(r + EFLAGS_OFFSET));
        writeSlot(root, ProcessLayout.SLOT_EAX_EBX_ECX, buffer.getInt(r + EAX_OFFSET), buffer.getInt(r + EBX_OFFSET),
            buffer.getInt(r + ECX_OFFSET));
        writeSlot(root, ProcessLayout.SLOT_EDX_ESI_EDI, buffer.getInt(r + EDX_OFFSET), buffer.getInt(r + ESI_OFFSET),
            buffer.getInt(r + EDI_OFFSET));
        writeSlot(root, ProcessLayout.SLOT_EBP, buffer.getInt(r + EBP_OFFSET), 0, 0);
        writeSlot(root, ProcessLayout.SLOT_RECEIVE, buffer.getInt(r + RCV_KEYS_OFFSET), buffer.getInt(r + RCV_PTR_OFFSET),
            buffer.getInt(r + RCV_LIMIT_OFFSET));
    }

    /** Writes a number key through the one write path, unless the slot already holds exactly it. */
    private void writeSlot(int root, int slot, int w0, int w1, int w2) {
        int o = nodes.slotOffset(root, slot);
        if (nodeBuffer.getInt(o + KeyDescriptor.TAIL_OFFSET) == KeyType.NUMBER && nodeBuffer.getInt(o) == w0
            && nodeBuffer.getInt(o + 4) == w1 && nodeBuffer.getInt(o + 8) == w2) {
            return;
        }
        keys.storeNumber(KeyLocation.nodeSlot(root, slot), w0, w1, w2);
    }

    /** Runs the CLOCK hand until it unloads an entry; returns it (now free) or NONE. */
    private int unloadVictim() {
        for (int step = 0; step <= 2 * capacity; step++) {
            int e = hand;
            hand = e + 1 == capacity ? 0 : e + 1;
            if (!isUnloadable(e)) {
                continue;
            }
            int f = recordOffset(e) + FLAGS_OFFSET;
            int flags = buffer.getInt(f);
            if ((flags & FLAG_REFERENCED) != 0) {
                buffer.putInt(f, flags & ~FLAG_REFERENCED);
                continue;
            }
            unload(e);
            victims++;
            return e;
        }
        return NONE;
    }

    // ------------------------------------------------------------------ accessors

    public boolean isInUse(int e) {
        return e >= 0 && e < capacity && (buffer.getInt(recordOffset(e) + FLAGS_OFFSET) & FLAG_IN_USE) != 0;
    }

    // ------------------------------------------------------------------ root slots the dispatch checked

    /*
     * Every dispatch of a process checks two root slots: the schedule key (slot 0, NO_SCHEDULE
     * without one) and the address-space key (slot 2, whose directory the directory memo
     * remembers by the key's tail and handle). Reading them is two dependent loads into the
     * root node per trap. Instead, an entry remembers that it found them good, and forgets it
     * when either slot is written: Keys tells the entry of every store to slot 0 or 2 of a
     * loaded root (rootSlotWritten), whatever its cause (a write, a void, a preparation or
     * depreparation). Invariants (SchedulerChecker): FLAG_SCHEDULE_CHECKED => root slot 0 holds
     * a schedule key; FLAG_SPACE_CHECKED => root slot 2 holds the prepared key whose tail and
     * handle the directory memo holds.
     */

    /** True if entry {@code e}'s schedule slot held a schedule key when last checked and has not been written since. */
    public boolean isScheduleChecked(int e) {
        return hasFlag(e, FLAG_SCHEDULE_CHECKED);
    }

    /** Entry {@code e}'s root slot 0 was just found to hold a schedule key. */
    public void setScheduleChecked(int e) {
        setFlag(e, FLAG_SCHEDULE_CHECKED);
    }

    /** True if entry {@code e}'s directory memo holds the key in its root slot 2 (not written since it was found so). */
    public boolean isSpaceChecked(int e) {
        return hasFlag(e, FLAG_SPACE_CHECKED);
    }

    /** Entry {@code e}'s directory memo was just found to hold the key in root slot 2. */
    public void setSpaceChecked(int e) {
        setFlag(e, FLAG_SPACE_CHECKED);
    }

    @Override
    public void rootSlotWritten(int e, int slot) {
        int f = recordOffset(e) + FLAGS_OFFSET;
        buffer.putInt(f, buffer.getInt(f) & ~(slot == ProcessLayout.SLOT_SCHEDULE ? FLAG_SCHEDULE_CHECKED : FLAG_SPACE_CHECKED));
    }

    public void markReferenced(int e) {
        setFlag(e, FLAG_REFERENCED);
    }

    public boolean isReferenced(int e) {
        return hasFlag(e, FLAG_REFERENCED);
    }

    private boolean hasFlag(int e, int flag) {
        return (buffer.getInt(recordOffset(e) + FLAGS_OFFSET) & flag) != 0;
    }

    private void setFlag(int e, int flag) {
        int f = recordOffset(e) + FLAGS_OFFSET;
        buffer.putInt(f, buffer.getInt(f) | flag);
    }

    public long rootOid(int e) {
        return buffer.getLong(recordOffset(e) + ROOT_OID_OFFSET);
    }

    public int rootNode(int e) {
        return buffer.getInt(recordOffset(e) + ROOT_NODE_OFFSET);
    }

    public int keyRegistersNode(int e) {
        return buffer.getInt(recordOffset(e) + KEY_REGISTERS_NODE_OFFSET);
    }

    /** A 32-bit field of the entry at a {@link ProcessDescriptor} offset (registers, receive fields). */
    public int get(int e, int fieldOffset) {
        return buffer.getInt(recordOffset(e) + fieldOffset);
    }

    public void set(int e, int fieldOffset, int value) {
        buffer.putInt(recordOffset(e) + fieldOffset, value);
    }

    /**
     * Entry {@code e} receives a message (abi.md §1): the four words in EAX..EDX, the length
     * of the string it received in ESI and the keyInfo in EDI. The one place every delivery
     * (gate call, kernel-key answer, keeper upcall, queued post) writes them.
     */
    public void setMessage(int e, int w0, int w1, int w2, int w3, int length, int keyInfo) {
        int r = recordOffset(e);
        buffer.putInt(r + ProcessDescriptor.EAX_OFFSET, w0);
        buffer.putInt(r + ProcessDescriptor.EBX_OFFSET, w1);
        buffer.putInt(r + ProcessDescriptor.ECX_OFFSET, w2);
        buffer.putInt(r + ProcessDescriptor.EDX_OFFSET, w3);
        buffer.putInt(r + ProcessDescriptor.ESI_OFFSET, length);
        buffer.putInt(r + ProcessDescriptor.EDI_OFFSET, keyInfo);
    }

    public int runState(int e) {
        return buffer.getInt(recordOffset(e) + RUN_WORD_OFFSET) & RUN_STATE_MASK;
    }

    /** Sets the run state, keeping the flag bits of the run word. */
    public void setRunState(int e, int state) {
        int at = recordOffset(e) + RUN_WORD_OFFSET;
        buffer.putInt(at, (buffer.getInt(at) & ~RUN_STATE_MASK) | (state & RUN_STATE_MASK));
    }

    public int faultCode(int e) {
        return buffer.getInt(recordOffset(e) + FAULT_CODE_OFFSET);
    }

    public int faultInfo(int e) {
        return buffer.getInt(recordOffset(e) + FAULT_INFO_OFFSET);
    }

    public void setFault(int e, int code, int info) {
        int r = recordOffset(e);
        buffer.putInt(r + FAULT_CODE_OFFSET, code);
        buffer.putInt(r + FAULT_INFO_OFFSET, info);
    }

    public int stallHead(int e) {
        return buffer.getInt(recordOffset(e) + STALL_HEAD_OFFSET);
    }

    public int stallTail(int e) {
        return buffer.getInt(recordOffset(e) + STALL_TAIL_OFFSET);
    }

    public void setStallQueue(int e, int head, int tail) {
        int r = recordOffset(e);
        buffer.putInt(r + STALL_HEAD_OFFSET, head);
        buffer.putInt(r + STALL_TAIL_OFFSET, tail);
    }

    /** Sets the stall queue's tail only (an append to a non-empty queue). */
    public void setStallTail(int e, int tail) {
        buffer.putInt(recordOffset(e) + STALL_TAIL_OFFSET, tail);
    }

    /** The activity of a RUNNING process, else {@link #NONE}. */
    public int activity(int e) {
        return buffer.getInt(recordOffset(e) + ACTIVITY_OFFSET);
    }

    public void setActivity(int e, int activity) {
        buffer.putInt(recordOffset(e) + ACTIVITY_OFFSET, activity);
    }

    public void pin(int e) {
        int at = recordOffset(e) + PIN_COUNT_OFFSET;
        buffer.putInt(at, buffer.getInt(at) + 1);
    }

    public void unpin(int e) {
        int at = recordOffset(e) + PIN_COUNT_OFFSET;
        int pins = buffer.getInt(at);
        if (pins <= 0) {
            throw new IllegalStateException("process entry " + e + " is not pinned");
        }
        buffer.putInt(at, pins - 1);
    }

    public int pinCount(int e) {
        return buffer.getInt(recordOffset(e) + PIN_COUNT_OFFSET);
    }

    public long cycles(int e) {
        return buffer.getLong(recordOffset(e) + CYCLES_OFFSET);
    }

    public void addCycles(int e, long cycles) {
        int at = recordOffset(e) + CYCLES_OFFSET;
        buffer.putLong(at, buffer.getLong(at) + cycles);
    }

    /** Counter at a {@link ProcessDescriptor} offset (invocations, stalls, queue enqueues/wakeups). */
    public int counter(int e, int counterOffset) {
        return buffer.getInt(recordOffset(e) + counterOffset);
    }

    public void addToCounter(int e, int counterOffset, int delta) {
        int at = recordOffset(e) + counterOffset;
        buffer.putInt(at, buffer.getInt(at) + delta);
    }

    /** Head of the free-entry list (for the checker). */
    public int freeHead() {
        return freeHead;
    }

    public int nextFree(int e) {
        return buffer.getInt(recordOffset(e) + LINK_OFFSET);
    }

    public long loads() {
        return loads;
    }

    public long unloads() {
        return unloads;
    }

    /** Unloads of entries whose stall queue was not empty (its sleepers were woken). */
    public long unloadsWithSleepers() {
        return unloadsWithSleepers;
    }

    /** Entries unloaded by the CLOCK hand to make room. */
    public long victims() {
        return victims;
    }

    public long malformedLoads() {
        return malformed;
    }
}
