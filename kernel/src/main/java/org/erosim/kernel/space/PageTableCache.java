package org.erosim.kernel.space;

import static org.erosim.kernel.space.PageTableFrameDescriptor.DIRECTORY;
import static org.erosim.kernel.space.PageTableFrameDescriptor.EMPTY_DIRECTORY;
import static org.erosim.kernel.space.PageTableFrameDescriptor.ENTRIES_OFFSET;
import static org.erosim.kernel.space.PageTableFrameDescriptor.FREE;
import static org.erosim.kernel.space.PageTableFrameDescriptor.INDEX_OFFSET;
import static org.erosim.kernel.space.PageTableFrameDescriptor.KIND_OFFSET;
import static org.erosim.kernel.space.PageTableFrameDescriptor.LINK_OFFSET;
import static org.erosim.kernel.space.PageTableFrameDescriptor.OWNER_OFFSET;
import static org.erosim.kernel.space.PageTableFrameDescriptor.TABLE;
import static org.erosim.kernel.space.PageTableFrameDescriptor.recordOffset;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.FrameTable;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.mmu.Mmu;
import org.erosim.mmu.PhysicalMemory;

/**
 * IA-32 page tables as a cache of segment trees (kernel.md §7), built lazily on page faults
 * in a bounded pool of kernel-reserved frames of emulated RAM, walked by the {@link Mmu}.
 *
 * <h2>Structure</h2>
 * <ul>
 *   <li>One page directory per distinct space key, identified by the key's tail without
 *   flags (type, restrictions, height) and the handle of the object it names. Processes
 *   whose space slots hold equal keys share the directory ({@link #directoryFor}). Page
 *   tables are not shared between directories (left for later).</li>
 *   <li>A PTE maps the page the {@link SegmentWalker} found: P, U/S, and R/W only if the
 *   walk's accumulated restrictions allow writing <em>and</em> the page is dirty or the
 *   fault was a write. So the first guest write to a clean page faults, marks the page
 *   dirty and upgrades the PTE (kernel-objects.md, "Dirty pages"). PDEs are P, R/W, U/S:
 *   permission is decided per PTE.</li>
 *   <li>Every PTE has an edge in the {@link DependencyTable} for every key location its walk
 *   read ({@link WalkResult#dependency}).</li>
 * </ul>
 *
 * <h2>Invalidation</h2>
 * As the {@link SlotWriteListener}, every key change at a location except a preparation
 * (representation only) invalidates exactly the PTEs with an edge on that location: the PTE
 * is cleared, its edges removed, its TLB entry dropped ({@link Mmu#invalidatePage}; the
 * linear address may be cached for any directory, so it is dropped whichever is loaded),
 * and a page table left empty is freed and its PDE cleared. Writes and revocation (WRITE,
 * VOID) change what the tree says; a DEPREPARE happens when the named object leaves memory,
 * and every node on a mapping's path has a prepared key in a slot the mapping depends on
 * (the slot it was left through), as does a page, so evicting any node or page of the path
 * invalidates the mapping. Hence: <b>a present PTE always agrees with a fresh walk</b>.
 *
 * <h2>Bounds</h2>
 * Pool frames and edges are fixed at construction (run options). At most half the pool
 * (frame 0, the empty directory, excluded) holds directories. When a fault finds no free
 * frame for a page table or not enough edges, every page table and edge is reclaimed (all
 * PDEs cleared, TLB flushed; directories stay where they are); the fault then always
 * succeeds. When a new space needs a directory and none is free, everything is reset
 * (directories included): CR3 values handed out before are stale then, so a CR3 from
 * {@link #directoryFor} is valid only until the next call of {@link #directoryFor} or
 * {@link #handleFault} (the dispatcher asks again before resuming a process). Nothing
 * grows on the host.
 *
 * <p>Not thread safe; allocation-free after construction.
 */
public final class PageTableCache implements SlotWriteListener {
    /** Smallest pool: the empty directory, one directory and one table... and one spare. */
    public static final int MIN_FRAMES = 4;
    /** Largest pool: 1 GiB of tables (mapping ids, RAM views and per-PTE heads stay in int range). */
    public static final int MAX_FRAMES = 1 << 18;
    /** Smallest edge pool: enough for the deepest possible walk, twice. */
    public static final int MIN_DEPENDENCIES = 2 * WalkResult.MAX_DEPENDENCIES;
    public static final int ENTRIES_PER_TABLE = 1024;

    static final int PTE_P = 1;
    static final int PTE_RW = 2;
    static final int PTE_US = 4;
    private static final int PDE_BITS = PTE_P | PTE_RW | PTE_US;
    private static final int NO_FRAME = PageTableFrameDescriptor.NONE;
    private static final int IDENTITY_MASK = ~(0x7 << 8);

    private final Keys keys;
    private final FrameTable objectFrames;
    private final SegmentWalker walker;
    private final Mmu mmu;
    private final RecordBuffer ram;
    private final RecordBuffer meta;
    private final DependencyTable dependencies;
    private final long poolAddress;
    private final int frameCount;
    private final int maxDirectories;
    /** Directory hash buckets (pool indices), power of two. */
    private final int[] directoryBuckets;
    private int freeHead;
    private int directoryCount;
    private int tableCount;

    private long fills;
    private long invalidations;
    private long reclaims;
    private long resets;

    /**
     * @param cache the object cache whose trees are mapped
     * @param mmu the MMU whose TLB is kept coherent (its RAM holds the pool)
     * @param poolAddress physical address of the first pool frame (page aligned RAM)
     * @param frameCount pool frames (run option), {@link #MIN_FRAMES}..{@link #MAX_FRAMES}
     * @param dependencyCapacity edges (run option), at least {@link #MIN_DEPENDENCIES}
     */
    public PageTableCache(ObjectCache cache, Mmu mmu, long poolAddress, int frameCount, int dependencyCapacity) {
        if (frameCount < MIN_FRAMES || frameCount > MAX_FRAMES || dependencyCapacity < MIN_DEPENDENCIES) {
            throw new IllegalArgumentException("page-table pool out of range: " + frameCount + " frames ("
                + MIN_FRAMES + ".." + MAX_FRAMES + "), " + dependencyCapacity + " dependencies (minimum "
                + MIN_DEPENDENCIES + ")");
        }
        PhysicalMemory memory = mmu.mem;
        if ((poolAddress & PhysicalMemory.PAGE_MASK) != 0
            || !memory.isRam(poolAddress, (long) frameCount * PhysicalMemory.PAGE_SIZE)) {
            throw new IllegalArgumentException("page-table pool at 0x" + Long.toHexString(poolAddress) + " ("
                + frameCount + " frames) is not page-aligned RAM");
        }
        this.keys = cache.keys();
        this.objectFrames = cache.frames();
        this.walker = new SegmentWalker(cache);
        this.mmu = mmu;
        this.poolAddress = poolAddress;
        this.frameCount = frameCount;
        this.maxDirectories = (frameCount - 1) / 2;
        this.ram = new RecordBuffer(memory.ramView(poolAddress, frameCount * PhysicalMemory.PAGE_SIZE).addressOffset(),
            frameCount * PhysicalMemory.PAGE_SIZE);
        this.meta = new RecordBuffer(frameCount * PageTableFrameDescriptor.LENGTH);
        this.dependencies = new DependencyTable(dependencyCapacity, frameCount * ENTRIES_PER_TABLE);
        this.directoryBuckets = new int[Integer.highestOneBit(Math.max(maxDirectories, 1)) * 2];
        resetAll();
    }

    public SegmentWalker walker() {
        return walker;
    }

    // ------------------------------------------------------------------ directories

    /**
     * The CR3 value (physical address of the page directory) for the space key at
     * {@code spaceLocation}, creating an empty directory if needed. A key that is not a
     * segment or page key, or cannot be prepared, gets the permanently empty directory:
     * every access faults and {@link #handleFault} reports why.
     */
    public long directoryFor(int spaceLocation) {
        int m = (spaceLocation ^ spaceLocation >>> 5) & DIRECTORY_MEMO_MASK;
        int at = m * MEMO_LENGTH;
        if (memoLocation[m] == spaceLocation) {
            long cr3 = memoised(spaceLocation, sharedMemo, at);
            if (cr3 >= 0) {
                return cr3;
            }
        }
        long cr3 = directoryLookup(spaceLocation);
        if (memoise(spaceLocation, cr3, sharedMemo, at)) {
            memoLocation[m] = spaceLocation;
        }
        return cr3;
    }

    /**
     * {@link #directoryFor(int)} through a memo the caller keeps, {@link #MEMO_LENGTH} bytes at
     * {@code at} in {@code memo} (zeroed when new): the dispatcher keeps one in each
     * process-table entry, so that resuming any of a million processes finds its directory
     * without the OID-less hash walk (the shared memo below has 64 places).
     */
    public long directoryFor(int spaceLocation, RecordBuffer memo, int at) {
        long cr3 = memoised(spaceLocation, memo, at);
        if (cr3 < 0) {
            cr3 = directoryFor(spaceLocation);
            memoise(spaceLocation, cr3, memo, at);
        }
        return cr3;
    }

    /**
     * The directory memoised at {@code at} in {@code memo} for the key at {@code spaceLocation},
     * or -1 if the memo does not hold it. Valid while the key there has the same tail and
     * handle and {@link #generation} is unchanged: within one generation (a directory is
     * freed only by a reset) a prepared space key's tail and handle determine its directory,
     * whatever slot or process it is in. A hit does what prepare() of a prepared key does:
     * it marks the key's object referenced.
     */
    private long memoised(int spaceLocation, RecordBuffer memo, int at) {
        int tail = keys.tailAt(spaceLocation);
        int handle = keys.word2At(spaceLocation);
        if (memo.getLong(at + MEMO_GENERATION) != generation() || memo.getInt(at + MEMO_TAIL) != tail
            || memo.getInt(at + MEMO_HANDLE) != handle || !KeyDescriptor.isPrepared(tail)) {
            return -1; // (a zeroed memo never matches: its tail 0 is no prepared key)
        }
        keys.markReferenced(tail, handle);
        return memo.getInt(at + MEMO_CR3) & 0xFFFFFFFFL;
    }

    /**
     * A hit of {@link #directoryFor(int, RecordBuffer, int)}'s memo at {@code at} in
     * {@code memo} for a caller that knows the memo holds the key now in its space slot (the
     * process table's FLAG_SPACE_CHECKED: {@link #memoHolds} was true and the slot has not
     * been written since), so the slot is not read again. -1 if the generation moved on since
     * the memo was made. Like every hit, it marks the key's object referenced.
     */
    public long memoisedDirectory(RecordBuffer memo, int at) {
        if (memo.getLong(at + MEMO_GENERATION) != generation()) {
            return -1;
        }
        keys.markReferenced(memo.getInt(at + MEMO_TAIL), memo.getInt(at + MEMO_HANDLE));
        return memo.getInt(at + MEMO_CR3) & 0xFFFFFFFFL;
    }

    /** Whether the memo at {@code at} in {@code memo} holds the prepared key at {@code spaceLocation} (its tail and handle). */
    public boolean memoHolds(int spaceLocation, RecordBuffer memo, int at) {
        return memoHolds(keys, spaceLocation, memo, at);
    }

    /** {@link #memoHolds(int, RecordBuffer, int)} for a checker that has the keys but not the cache. */
    public static boolean memoHolds(Keys keys, int spaceLocation, RecordBuffer memo, int at) {
        int tail = keys.tailAt(spaceLocation);
        return KeyDescriptor.isPrepared(tail) && memo.getInt(at + MEMO_TAIL) == tail
            && memo.getInt(at + MEMO_HANDLE) == keys.word2At(spaceLocation);
    }

    /** Memoises directory {@code cr3} of the key at {@code spaceLocation}, unless it is the empty one or the key is not prepared. */
    private boolean memoise(int spaceLocation, long cr3, RecordBuffer memo, int at) {
        int tail = keys.tailAt(spaceLocation);
        if (cr3 == frameAddress(EMPTY_DIRECTORY) || !KeyDescriptor.isPrepared(tail)) {
            return false;
        }
        memo.putInt(at + MEMO_CR3, (int) cr3);
        memo.putInt(at + MEMO_TAIL, tail);
        memo.putInt(at + MEMO_HANDLE, keys.word2At(spaceLocation));
        memo.putLong(at + MEMO_GENERATION, generation());
        return true;
    }

    /** Layout of a directory memo ({@link #directoryFor(int, RecordBuffer, int)}). */
    public static final int MEMO_CR3 = 0;
    public static final int MEMO_TAIL = 4;
    public static final int MEMO_HANDLE = 8;
    public static final int MEMO_GENERATION = 16;
    public static final int MEMO_LENGTH = 24;

    /**
     * The shared memo of {@link #directoryFor(int)}, by space location: 64 memos of the
     * layout above, and the location each one is for.
     */
    private static final int DIRECTORY_MEMO_MASK = 63;
    private final RecordBuffer sharedMemo = new RecordBuffer((DIRECTORY_MEMO_MASK + 1) * MEMO_LENGTH);
    private final int[] memoLocation = newMemoLocations();

    private static int[] newMemoLocations() {
        int[] a = new int[DIRECTORY_MEMO_MASK + 1];
        java.util.Arrays.fill(a, KeyLocation.NONE);
        return a;
    }

    private long directoryLookup(int spaceLocation) {
        int type = KeyDescriptor.type(keys.tailAt(spaceLocation));
        if (type != KeyType.SEGMENT && type != KeyType.PAGE) {
            return frameAddress(EMPTY_DIRECTORY);
        }
        int handle = keys.prepare(spaceLocation);
        if (handle < 0) {
            return frameAddress(EMPTY_DIRECTORY);
        }
        return frameAddress(directory(keys.tailAt(spaceLocation) & IDENTITY_MASK, handle));
    }

    /** The directory for a prepared space key's identity, created (or made room for) if absent. */
    private int directory(int identity, int handle) {
        int bucket = (identity * 31 + handle) * 0x9E3779B9 >>> 1 & (directoryBuckets.length - 1);
        for (int d = directoryBuckets[bucket]; d != NO_FRAME; d = getMeta(d, LINK_OFFSET)) {
            if (getMeta(d, OWNER_OFFSET) == identity && getMeta(d, INDEX_OFFSET) == handle) {
                return d;
            }
        }
        if (directoryCount == maxDirectories || freeHead == NO_FRAME) {
            resetAll();
        }
        int d = allocateFrame(DIRECTORY);
        putMeta(d, OWNER_OFFSET, identity);
        putMeta(d, INDEX_OFFSET, handle);
        putMeta(d, LINK_OFFSET, directoryBuckets[bucket]);
        directoryBuckets[bucket] = d;
        directoryCount++;
        return d;
    }

    // ------------------------------------------------------------------ page faults

    /**
     * A page fault at {@code linear} in the space at {@code spaceLocation}: walks the tree
     * and, if it translates, enters the PTE (with its dependencies) into that space's
     * directory. On a fault or NO_RESOURCES, {@code result} says what to deliver (the
     * segment keeper in {@link WalkResult#keptNode}) and no table changes. Afterwards the
     * caller loads {@link #directoryFor} again (a reset may have moved directories) and
     * retries the access.
     *
     * @return whether a mapping was entered
     */
    public boolean handleFault(int spaceLocation, int linear, boolean write, WalkResult result) {
        if (!walker.walk(spaceLocation, linear, write, result)) {
            return false;
        }
        // The walk prepared the space key; nothing below touches the object cache, so the
        // frame and the dependency locations in the result stay valid.
        int directory = directory(keys.tailAt(spaceLocation) & IDENTITY_MASK, keys.word2At(spaceLocation));
        if (dependencies.free() < result.dependencyCount()) {
            reclaimTables();
        }
        int pdeIndex = linear >>> 22;
        int pteIndex = (linear >>> 12) & (ENTRIES_PER_TABLE - 1);
        int pdeOffset = frameOffset(directory) + pdeIndex * 4;
        int pde = ram.getInt(pdeOffset);
        if ((pde & PTE_P) != 0) {
            int mapping = tableOf(pde) * ENTRIES_PER_TABLE + pteIndex;
            if ((ram.getInt(pteOffset(mapping)) & PTE_P) != 0) {
                // An upgrade (read-only to writable) or a stale retry: rebuild it from this walk.
                invalidateMapping(mapping);
                pde = ram.getInt(pdeOffset);
            }
        }
        int table;
        if ((pde & PTE_P) == 0) {
            if (freeHead == NO_FRAME) {
                reclaimTables();
            }
            table = allocateFrame(TABLE);
            putMeta(table, OWNER_OFFSET, directory);
            putMeta(table, INDEX_OFFSET, pdeIndex);
            ram.putInt(pdeOffset, (int) frameAddress(table) | PDE_BITS);
            putMeta(directory, ENTRIES_OFFSET, getMeta(directory, ENTRIES_OFFSET) + 1);
            tableCount++;
        } else {
            table = tableOf(pde);
        }
        int mapping = table * ENTRIES_PER_TABLE + pteIndex;
        int frame = result.frame();
        boolean writable = SegmentWalker.writable(result.restrictions()) && (write || objectFrames.isDirty(frame));
        if (writable) {
            objectFrames.markDirty(frame);
        }
        ram.putInt(pteOffset(mapping), (int) objectFrames.physicalAddress(frame) | PTE_P | PTE_US
            | (writable ? PTE_RW : 0));
        putMeta(table, ENTRIES_OFFSET, getMeta(table, ENTRIES_OFFSET) + 1);
        for (int i = 0; i < result.dependencyCount(); i++) {
            dependencies.add(result.dependency(i), mapping);
        }
        // No TLB work: a PTE that was absent cannot be cached, and one being upgraded was
        // dropped by invalidateMapping above.
        fills++;
        return true;
    }

    // ------------------------------------------------------------------ invalidation

    @Override
    public void slotWritten(int location, int oldTail, long oldBody01, int oldBody2, int newTail, int cause) {
        if (cause != SlotWriteListener.CAUSE_PREPARE) {
            invalidateLocation(location);
        }
    }

    /** Invalidates every mapping that depends on the key at {@code location}. */
    public void invalidateLocation(int location) {
        for (int m = dependencies.firstMapping(location); m != DependencyDescriptor.NONE;
            m = dependencies.firstMapping(location)) {
            invalidateMapping(m);
        }
    }

    private void invalidateMapping(int mapping) {
        dependencies.removeMapping(mapping);
        int table = mapping / ENTRIES_PER_TABLE;
        int entry = mapping % ENTRIES_PER_TABLE;
        ram.putInt(pteOffset(mapping), 0);
        mmu.invalidatePage(getMeta(table, INDEX_OFFSET) << 22 | entry << 12);
        invalidations++;
        int left = getMeta(table, ENTRIES_OFFSET) - 1;
        putMeta(table, ENTRIES_OFFSET, left);
        if (left == 0) {
            int directory = getMeta(table, OWNER_OFFSET);
            ram.putInt(frameOffset(directory) + getMeta(table, INDEX_OFFSET) * 4, 0);
            putMeta(directory, ENTRIES_OFFSET, getMeta(directory, ENTRIES_OFFSET) - 1);
            // Every PTE was cleared one by one (the MMU sets A/D bits only in present ones),
            // so the frame is already zero.
            freeFrame(table, false);
            tableCount--;
        }
    }

    /**
     * Frees every page table and every dependency edge; directories stay (empty). The TLB is
     * flushed. Used when a fault finds the pool or the edges exhausted.
     */
    public void reclaimTables() {
        for (int f = 0; f < frameCount; f++) {
            int kind = getMeta(f, KIND_OFFSET);
            if (kind == TABLE) {
                freeFrame(f, true);
            } else if (kind == DIRECTORY && getMeta(f, ENTRIES_OFFSET) != 0) {
                ram.setMemory(frameOffset(f), PhysicalMemory.PAGE_SIZE, (byte) 0);
                putMeta(f, ENTRIES_OFFSET, 0);
            }
        }
        tableCount = 0;
        dependencies.clear();
        mmu.tlb.flush();
        reclaims++;
    }

    /** Frees everything: directories, tables, edges; flushes the TLB. Earlier CR3 values are stale. */
    public void resetAll() {
        freeHead = NO_FRAME;
        for (int f = frameCount - 1; f >= 0; f--) {
            putMeta(f, KIND_OFFSET, FREE);
            putMeta(f, ENTRIES_OFFSET, 0);
            putMeta(f, OWNER_OFFSET, 0);
            putMeta(f, INDEX_OFFSET, 0);
            if (f != EMPTY_DIRECTORY) {
                putMeta(f, LINK_OFFSET, freeHead);
                freeHead = f;
            }
        }
        ram.setMemory(0, frameCount * PhysicalMemory.PAGE_SIZE, (byte) 0);
        putMeta(EMPTY_DIRECTORY, KIND_OFFSET, DIRECTORY);
        putMeta(EMPTY_DIRECTORY, LINK_OFFSET, NO_FRAME);
        java.util.Arrays.fill(directoryBuckets, NO_FRAME);
        directoryCount = 0;
        tableCount = 0;
        dependencies.clear();
        mmu.tlb.flush();
        resets++;
    }

    // ------------------------------------------------------------------ frames

    private int allocateFrame(int kind) {
        int f = freeHead;
        freeHead = getMeta(f, LINK_OFFSET);
        putMeta(f, KIND_OFFSET, kind);
        putMeta(f, LINK_OFFSET, NO_FRAME);
        putMeta(f, ENTRIES_OFFSET, 0);
        // Frames are zero while free: freeing a table clears it (its PTEs were cleared one by
        // one) and a reset zeroes the whole pool.
        return f;
    }

    /** Returns frame {@code f} to the free list; free frames are all zero ({@code zero}: not yet). */
    private void freeFrame(int f, boolean zero) {
        if (zero) {
            ram.setMemory(frameOffset(f), PhysicalMemory.PAGE_SIZE, (byte) 0);
        }
        putMeta(f, KIND_OFFSET, FREE);
        putMeta(f, ENTRIES_OFFSET, 0);
        putMeta(f, LINK_OFFSET, freeHead);
        freeHead = f;
    }

    private int tableOf(int pde) {
        return (int) (((pde & 0xFFFFF000L) - poolAddress) >>> PhysicalMemory.PAGE_SHIFT);
    }

    private static int frameOffset(int f) {
        return f << PhysicalMemory.PAGE_SHIFT;
    }

    private static int pteOffset(int mapping) {
        return mapping << 2;
    }

    private int getMeta(int f, int field) {
        return meta.getInt(recordOffset(f) + field);
    }

    private void putMeta(int f, int field, int value) {
        meta.putInt(recordOffset(f) + field, value);
    }

    // ------------------------------------------------------------------ inspection

    /** Physical address of pool frame {@code f}. */
    public long frameAddress(int f) {
        return poolAddress + ((long) f << PhysicalMemory.PAGE_SHIFT);
    }

    public int frameCount() {
        return frameCount;
    }

    /** FREE, DIRECTORY or TABLE ({@link PageTableFrameDescriptor}). */
    public int frameKind(int f) {
        return getMeta(f, KIND_OFFSET);
    }

    /** Present PDEs of a directory, present PTEs of a table. */
    public int entries(int f) {
        return getMeta(f, ENTRIES_OFFSET);
    }

    /** A table's directory; a directory's identity tail. */
    public int owner(int f) {
        return getMeta(f, OWNER_OFFSET);
    }

    /** A table's PDE index; a directory's identity handle. */
    public int index(int f) {
        return getMeta(f, INDEX_OFFSET);
    }

    /** The PTE of {@code mapping} (pool frame * 1024 + entry), as in RAM. */
    public int pte(int mapping) {
        return ram.getInt(pteOffset(mapping));
    }

    public int directoryCount() {
        return directoryCount;
    }

    public int tableCount() {
        return tableCount;
    }

    public DependencyTable dependencies() {
        return dependencies;
    }

    public long fills() {
        return fills;
    }

    /**
     * Changes whenever an existing translation may have gone: a mapping invalidated, the
     * tables reclaimed or the pool reset (a fill only adds translations, and directories are
     * freed only by a reset). A memo of a translation made through a directory stays right
     * while this is unchanged.
     */
    public long generation() {
        return invalidations + reclaims + resets;
    }

    public long invalidations() {
        return invalidations;
    }

    public long reclaims() {
        return reclaims;
    }

    public long resets() {
        return resets;
    }
}
