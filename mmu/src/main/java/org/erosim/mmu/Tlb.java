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

    /** Forgets every entry (CR3 load, paging mode change). O(1). */
    public void flush() {
        flushes++;
        epoch++;
        readGen += 1L << 32;
        writeGen += 1L << 32;
        modelGen += 1L << 32;
        if (modelGen == 0) {
            Arrays.fill(modelTag, 0);
            modelGen = 1L << 32;
        }
        if (readGen == 0 || writeGen == 0) { // wrapped after 2^32 flushes: sweep once
            Arrays.fill(readTag, INVALID);
            Arrays.fill(writeTag, INVALID);
            readGen = 1L << 32;
            writeGen = 1L << 32;
        }
    }

    /** Revokes every fast write permission, keeping reads (a page became code). O(1). */
    public void flushWrites() {
        epoch++;
        writeGen += 1L << 32;
        if (writeGen == 0) {
            Arrays.fill(writeTag, INVALID);
            writeGen = 1L << 32;
        }
    }

    /** INVLPG: forgets the entries for one linear page in both sets. */
    public void invalidatePage(int linear) {
        epoch++;
        int i = (linear >>> 12) & MASK;
        readTag[i] = INVALID;
        writeTag[i] = INVALID;
        readTag[i + USER_SET] = INVALID;
        writeTag[i + USER_SET] = INVALID;
        modelTag[i] = 0;
        modelTag[i + USER_SET] = 0;
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

    /** Number of full flushes so far (statistics). */
    public long flushCount() {
        return flushes;
    }

    public static int index(int linear, boolean user) {
        return ((linear >>> 12) & MASK) + (user ? USER_SET : 0);
    }

    public static long tagOf(long gen, int linear) {
        return gen | (linear & 0xFFFFF000L);
    }
}
