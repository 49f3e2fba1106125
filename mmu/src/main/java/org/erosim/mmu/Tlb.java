package org.erosim.mmu;

import java.util.Arrays;

/**
 * The software TLB: a direct-mapped cache from linear page to host address, one set for
 * user-mode accesses and one for supervisor accesses (their permissions differ).
 *
 * <pre>
 *  index = ((linear &gt;&gt;&gt; 12) &amp; MASK) + (user ? SIZE : 0)
 *  readTag[index]  == readGen  | linearPage   -&gt; reads may use host[index] + (linear &amp; 0xFFF)
 *  writeTag[index] == writeGen | linearPage   -&gt; writes may, too
 *  phys[index]                                 physical page (the code cache is keyed by it)
 * </pre>
 *
 * <p>Tags carry a generation in their upper 32 bits so that a full flush (CR3 reload, CR0
 * or CR4 paging changes) is a single increment, not a sweep; this matters for the
 * capability kernel, which switches address spaces on every IPC. Write permission has its
 * own generation so that marking a page as code can revoke every fast write at once.
 *
 * <p>Invariants: a write tag is valid only if the page is writable at the entry's privilege,
 * its dirty bit is already set, and the page is RAM not marked as code. An entry's host
 * address always points at a whole page inside a {@link PhysicalMemory} block.
 */
public final class Tlb {
    public static final int BITS = 12;
    public static final int SIZE = 1 << BITS;
    public static final int MASK = SIZE - 1;
    /** Offset of the user-mode set in the arrays. */
    public static final int USER_SET = SIZE;
    /**
     * A third set that never holds an entry: the CPU selects it for user accesses while
     * alignment checking is on (CR0.AM, EFLAGS.AC, CPL 3), so every such access takes the
     * slow path, where alignment is checked, and the fast path stays free of the check.
     */
    public static final int NEVER_SET = 2 * SIZE;
    public static final long INVALID = -1L;

    public final long[] readTag = new long[3 * SIZE];
    public final long[] writeTag = new long[3 * SIZE];
    public final long[] host = new long[3 * SIZE];
    public final int[] phys = new int[3 * SIZE];
    /** Current read generation, pre-shifted into the upper 32 bits. */
    public long readGen = 1L << 32;
    /** Current write generation, pre-shifted into the upper 32 bits. */
    public long writeGen = 1L << 32;
    /**
     * Changes whenever any translation may have changed (flush, INVLPG, revoked writes):
     * whoever caches something derived from translations (the CPU's block links) compares it.
     */
    public long epoch;
    private long flushes;

    /**
     * The cost model's TLB: tags of the pages the guest's own data accesses have walked since
     * the last architectural flush, indexed like the supervisor and user sets. The host TLB
     * above also fills on instruction fetches and loses write permission when the code cache
     * marks a page, both of which depend on how the run is cut into blocks; page-walk cycles
     * are charged against this model instead, so cycle counts are the same however the code
     * is cached. Only {@link #flush} and {@link #invalidatePage} (CR3, CR0/CR4, INVLPG)
     * clear it.
     */
    private final long[] modelTag = new long[2 * SIZE];
    private long modelGen = 1L << 32;

    public Tlb() {
        Arrays.fill(readTag, INVALID);
        Arrays.fill(writeTag, INVALID);
    }

    /** Forgets every entry (CR3 load, paging mode change), of every address space. O(1). */
    public void flush() {
        flushes++;
        forgetSpaces();
        epoch = ++epochs;
        readGen = freshGeneration();
        writeGen = freshGeneration();
        flushModel();
    }

    /** The cost model's TLB forgets everything (what a CR3 load does to hardware). */
    private void flushModel() {
        modelGen += 1L << 32;
        if (modelGen == 0) {
            Arrays.fill(modelTag, 0);
            modelGen = 1L << 32;
        }
    }

    /**
     * A generation no tag in the arrays carries: generations are handed out once each, from
     * one counter for reads and writes of every address space. After 2^32 of them the arrays
     * are swept once and the counting starts again.
     */
    private long freshGeneration() {
        if (++generations == 1L << 32) {
            Arrays.fill(readTag, INVALID);
            Arrays.fill(writeTag, INVALID);
            forgetSpaces();
            generations = 1;
        }
        return generations << 32;
    }

    /** Revokes every fast write permission, keeping reads (a page became code). O(1). */
    public void flushWrites() {
        forgetSpaces(); // their saved write generations would still allow fast writes
        epoch = ++epochs;
        writeGen = freshGeneration();
    }

    /** INVLPG: forgets the entries for one linear page in both sets. */
    public void invalidatePage(int linear) {
        // Other address spaces may cache the page at other (salted) indices: they are all
        // forgotten, so their entries never match again. That also keeps the CPU's block
        // links and jump cache, which compare epochs, from trusting another space's links.
        forgetSpaces();
        epoch = ++epochs;
        int i = ((linear >>> 12) ^ salt) & MASK;
        readTag[i] = INVALID;
        writeTag[i] = INVALID;
        readTag[i + USER_SET] = INVALID;
        writeTag[i + USER_SET] = INVALID;
        int m = (linear >>> 12) & MASK; // the cost model's TLB is not salted
        modelTag[m] = 0;
        modelTag[m + USER_SET] = 0;
    }

    /**
     * Cost model: whether a data access to {@code linear} needs a page walk, i.e. the page
     * has not been walked at this privilege since the last flush. Records it as walked.
     */
    public boolean modelWalk(int linear, boolean user) {
        int i = index(linear, user);
        long tag = modelGen | (linear & 0xFFFFF000L);
        if (modelTag[i] == tag) {
            return false;
        }
        modelTag[i] = tag;
        return true;
    }

    // ------------------------------------------------------------------ address-space tags

    /*
     * With tagging (Mmu.setSpaceTagging, used by the capability kernel, whose page tables only
     * the host changes), a CR3 load does not flush: the outgoing space's read and write
     * generations and epoch are saved under its directory address, and the incoming space's
     * are restored if they were saved since the last event that may have taken a translation
     * away (flush, INVLPG, revoked writes: forgetSpaces). Entries of other spaces stay in the
     * arrays, unmatched, until their space is current again or a collision overwrites them.
     * Tags stay unique because every generation is handed out once (freshGeneration), and so
     * is every epoch (epochs). The cost model's TLB still flushes on every CR3 load.
     */
    private static final int SPACE_SLOTS = 64;
    private final int[] spaceDirectory = new int[SPACE_SLOTS];
    private final long[] spaceReadGen = new long[SPACE_SLOTS];
    private final long[] spaceWriteGen = new long[SPACE_SLOTS];
    private final long[] spaceEpoch = new long[SPACE_SLOTS];
    private final long[] spaceStamp = new long[SPACE_SLOTS];
    /** Bumped by forgetSpaces: a saved space state is valid iff saved under the current stamp. */
    private long stamp = 1;
    private long generations = 1;
    private long epochs;
    private int currentDirectory;
    private long spaceSwitches;
    /**
     * XORed into the page number to index the host TLB (and the CPU's jump cache): 0 without
     * tagging; with it, derived from the current directory, so that spaces with the same
     * layout (programs linked at one address) keep their entries at different indices.
     */
    public int salt;
    private boolean salted;

    /** Every saved address-space state becomes invalid. O(1). */
    private void forgetSpaces() {
        stamp++;
    }

    /**
     * The current address space gives way to the one whose page directory is at {@code to}:
     * with tagging, instead of {@link #flush}. O(1).
     */
    public void switchSpace(int to) {
        spaceSwitches++;
        int s = spaceSlot(currentDirectory);
        spaceDirectory[s] = currentDirectory;
        spaceReadGen[s] = readGen;
        spaceWriteGen[s] = writeGen;
        spaceEpoch[s] = epoch;
        spaceStamp[s] = stamp;
        int t = spaceSlot(to);
        if (spaceDirectory[t] == to && spaceStamp[t] == stamp) {
            readGen = spaceReadGen[t];
            writeGen = spaceWriteGen[t];
            epoch = spaceEpoch[t];
            spaceStamp[t] = 0; // restored: the state is current, not saved
        } else {
            readGen = freshGeneration();
            writeGen = freshGeneration();
            epoch = ++epochs;
        }
        currentDirectory = to;
        salt = salted ? saltOf(to) : 0;
        flushModel();
    }

    /**
     * Tells the TLB which directory its entries belong to (after a flush, or at start) and
     * whether indices are salted by it (address-space tagging). Call only right after a
     * {@link #flush}: the salt moves where entries are looked up.
     */
    public void setDirectory(int directory, boolean salted) {
        currentDirectory = directory;
        this.salted = salted;
        salt = salted ? saltOf(directory) : 0;
    }

    private static int saltOf(int directory) {
        return ((directory >>> 12) * 0x9E3779B1 >>> 20) & MASK;
    }

    private static int spaceSlot(int directory) {
        return (directory >>> 12) & (SPACE_SLOTS - 1);
    }

    /** CR3 loads that switched address spaces without a flush (statistics). */
    public long spaceSwitches() {
        return spaceSwitches;
    }

    /** Number of full flushes so far (statistics). */
    public long flushCount() {
        return flushes;
    }

    /** The cost model's index (never salted). */
    public static int index(int linear, boolean user) {
        return ((linear >>> 12) & MASK) + (user ? USER_SET : 0);
    }

    /** Where the host TLB keeps {@code linear} in the current address space: salted by {@link #salt}. */
    public int slot(int linear, boolean user) {
        return (((linear >>> 12) ^ salt) & MASK) + (user ? USER_SET : 0);
    }

    public static long tagOf(long gen, int linear) {
        return gen | (linear & 0xFFFFF000L);
    }
}
