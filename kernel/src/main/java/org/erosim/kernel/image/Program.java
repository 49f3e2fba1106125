package org.erosim.kernel.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.erosim.kernel.abi.Limits;

/**
 * A program as the {@link ImageBuilder} sees it: loadable regions, a stack and an entry
 * point. On first instantiation it is <b>frozen</b> into a sorted page list (one entry per
 * 4 KiB virtual page touched by a region or the stack) with, per page, whether it is
 * writable and its initial bytes; read-only pages and all-read-only subtrees are then made
 * once and shared by every process that instantiates the program.
 */
final class Program {
    private static final long SPACE_END = 1L << 32;

    final String name;
    private final List<long[]> regionRanges = new ArrayList<>(); // {vaddr, end, writable}
    private final List<byte[]> regionBytes = new ArrayList<>();
    int entry;
    private boolean hasEntry;
    private long stackSize;
    long stackTop;
    private boolean frozen;

    // Frozen layout, sorted by virtual page number.
    int pageCount;
    long[] vpn;
    boolean[] writable;
    /** Initial bytes of a page (4096), or null for a zero page. */
    byte[][] content;
    /** Shared read-only page handle per page index, -1 until made. */
    private int[] sharedPage;
    /** Prefix count of writable pages: writableBefore[i] = writable pages among [0, i). */
    private int[] writableBefore;
    boolean anyWritable;
    int height;
    /** Shared read-only subtrees: (height << 40 | base) -> node handle (no boxing per instantiation). */
    private final Long2LongHashMap sharedSubtrees = new Long2LongHashMap(-1);
    /**
     * Handles of the shared read-only nodes above (the values of {@link #sharedSubtrees}):
     * every process running the program may hold keys to them, so they are never modified.
     */
    private final IntHashSet sharedNodes = new IntHashSet();

    Program(String name) {
        this.name = name;
    }

    void addRegion(long vaddr, byte[] bytes, int memSize, boolean isWritable) {
        checkNotFrozen();
        if (bytes == null) {
            throw new ImageException("program '" + name + "': region bytes are null");
        }
        if (memSize < bytes.length) {
            throw new ImageException("program '" + name + "': region at 0x" + Long.toHexString(vaddr)
                + " has memory size " + memSize + " smaller than its " + bytes.length + " file bytes");
        }
        if (vaddr < 0 || vaddr + memSize > SPACE_END) {
            throw new ImageException("program '" + name + "': region at 0x" + Long.toHexString(vaddr)
                + " of " + memSize + " bytes does not fit in the 32-bit address space");
        }
        if (memSize == 0) {
            return;
        }
        checkOverlap(vaddr, vaddr + memSize, "region at 0x" + Long.toHexString(vaddr));
        regionRanges.add(new long[] {vaddr, vaddr + memSize, isWritable ? 1 : 0});
        regionBytes.add(bytes.clone());
    }

    void setStack(int size, long top) {
        checkNotFrozen();
        if (stackSize != 0) {
            throw new ImageException("program '" + name + "' already has a stack");
        }
        if (size <= 0) {
            throw new ImageException("program '" + name + "': stack size " + size + " must be positive");
        }
        if (top - size < 0 || top > SPACE_END) {
            throw new ImageException("program '" + name + "': stack of " + size + " bytes below top 0x"
                + Long.toHexString(top) + " does not fit in the 32-bit address space");
        }
        checkOverlap(top - size, top, "stack");
        stackSize = size;
        stackTop = top;
    }

    void entry(int eip) {
        checkNotFrozen();
        entry = eip;
        hasEntry = true;
    }

    private void checkNotFrozen() {
        if (frozen) {
            throw new ImageException("program '" + name + "' was already instantiated and can no longer change");
        }
    }

    private void checkOverlap(long lo, long hi, String what) {
        for (long[] r : regionRanges) {
            if (lo < r[1] && r[0] < hi) {
                throw new ImageException("program '" + name + "': " + what + " " + range(lo, hi)
                    + " overlaps the region " + range(r[0], r[1]));
            }
        }
        if (stackSize != 0 && lo < stackTop && stackTop - stackSize < hi) {
            throw new ImageException("program '" + name + "': " + what + " " + range(lo, hi) + " overlaps the stack "
                + range(stackTop - stackSize, stackTop));
        }
    }

    private static String range(long lo, long hi) {
        return "[0x" + Long.toHexString(lo) + ", 0x" + Long.toHexString(hi) + ")";
    }

    void freeze(ImageBuilder builder) {
        if (frozen) {
            return;
        }
        if (!hasEntry) {
            throw new ImageException("program '" + name + "' has no entry point");
        }
        if (regionRanges.isEmpty() && stackSize == 0) {
            throw new ImageException("program '" + name + "' has no regions and no stack");
        }
        Map<Long, Integer> index = new HashMap<>();
        List<Long> pages = new ArrayList<>();
        for (long[] r : regionRanges) {
            for (long p = r[0] >>> 12; p <= (r[1] - 1) >>> 12; p++) {
                if (index.putIfAbsent(p, -1) == null) {
                    pages.add(p);
                }
            }
        }
        if (stackSize != 0) {
            for (long p = (stackTop - stackSize) >>> 12; p <= (stackTop - 1) >>> 12; p++) {
                if (index.putIfAbsent(p, -1) == null) {
                    pages.add(p);
                }
            }
        }
        pageCount = pages.size();
        vpn = new long[pageCount];
        for (int i = 0; i < pageCount; i++) {
            vpn[i] = pages.get(i);
        }
        Arrays.sort(vpn);
        for (int i = 0; i < pageCount; i++) {
            index.put(vpn[i], i);
        }
        writable = new boolean[pageCount];
        content = new byte[pageCount][];
        for (int r = 0; r < regionRanges.size(); r++) {
            long[] range = regionRanges.get(r);
            byte[] bytes = regionBytes.get(r);
            for (long p = range[0] >>> 12; p <= (range[1] - 1) >>> 12; p++) {
                int i = index.get(p);
                writable[i] |= range[2] != 0;
                long pageStart = p << 12;
                long from = Math.max(pageStart, range[0]);
                long to = Math.min(pageStart + Limits.PAGE_SIZE, range[0] + bytes.length);
                if (from < to) {
                    if (content[i] == null) {
                        content[i] = new byte[Limits.PAGE_SIZE];
                    }
                    System.arraycopy(bytes, (int) (from - range[0]), content[i], (int) (from - pageStart), (int) (to - from));
                }
            }
        }
        if (stackSize != 0) {
            for (long p = (stackTop - stackSize) >>> 12; p <= (stackTop - 1) >>> 12; p++) {
                writable[index.get(p)] = true;
            }
        }
        writableBefore = new int[pageCount + 1];
        for (int i = 0; i < pageCount; i++) {
            writableBefore[i + 1] = writableBefore[i] + (writable[i] ? 1 : 0);
        }
        anyWritable = writableBefore[pageCount] > 0;
        sharedPage = new int[pageCount];
        Arrays.fill(sharedPage, -1);
        long end = (vpn[pageCount - 1] + 1) << 12;
        height = 1;
        while (height < Limits.MAX_HEIGHT && (1L << (12 + 5 * height)) < end) {
            height++;
        }
        frozen = true;
    }

    /** Index of the first page with vpn >= {@code v}, or pageCount. */
    int firstPageAtOrAbove(long v) {
        int lo = 0;
        int hi = pageCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (vpn[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether any writable page lies in virtual pages [fromVpn, toVpn). */
    boolean anyWritableIn(long fromVpn, long toVpn) {
        return writableBefore[firstPageAtOrAbove(toVpn)] - writableBefore[firstPageAtOrAbove(fromVpn)] > 0;
    }

    int sharedPage(ImageBuilder b, int pageIndex) {
        int h = sharedPage[pageIndex];
        if (h < 0) {
            byte[] c = content[pageIndex];
            h = c == null ? b.zeroPage() : b.pageSharingContent(c);
            sharedPage[pageIndex] = h;
        }
        return h;
    }

    /** The shared node of {@code h} spanning from {@code spanBase}; holds only read-only pages. */
    int sharedSubtree(ImageBuilder b, int h, long spanBase) {
        long key = (long) h << 40 | spanBase;
        long node = sharedSubtrees.get(key);
        if (node >= 0) {
            return (int) node;
        }
        // No writable page below, so buildSpace only creates shared pages and shared subtrees.
        int made = b.buildSpace(this, h, spanBase);
        sharedSubtrees.put(key, made);
        sharedNodes.add(made);
        return made;
    }

    /** Whether {@code node} is one of the program's shared read-only subtrees (never to be modified). */
    boolean isSharedNode(int node) {
        return sharedNodes.contains(node);
    }

    /**
     * Refuses a page-aligned range [lo, hi) that overlaps a region or the stack. For
     * page-aligned ranges overlapping a region's bytes and overlapping its pages are the
     * same thing, so this is exactly "no page of the program lies in the range".
     */
    void checkFree(long lo, long hi, String what) {
        checkOverlap(lo, hi, what);
    }
}
