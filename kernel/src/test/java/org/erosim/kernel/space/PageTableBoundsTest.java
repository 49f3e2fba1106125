package org.erosim.kernel.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.testing.AllocationGuard;
import org.erosim.mmu.Mmu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool and edge bounds give clean results when exhausted, and steady state allocates nothing. */
class PageTableBoundsTest {
    private final SpaceFixture f = new SpaceFixture(64, 64, 8);
    private final WalkResult r = new WalkResult();
    private final long holder = f.newNode();
    private final long root = f.newNode();

    @AfterEach
    void tearDown() {
        f.assertConsistent();
        f.close();
    }

    private int space() {
        return f.slot(holder, 2);
    }

    private void assertMapped(PageTableCache tables, int space, int linear, long page) {
        f.mmu.configure(true, true, false, (int) tables.directoryFor(space));
        long t = f.mmu.translate(linear, Mmu.ACC_USER, false);
        assertTrue(t >= 0, "0x" + Integer.toHexString(linear) + " is mapped");
        assertEquals(f.frames.physicalAddress(f.frame(page)) + (linear & 0xFFF), t & 0xFFFFFFFFL);
    }

    @Test
    void exhaustedFramePoolReclaimsTablesAndTheFaultStillSucceeds() {
        PageTableCache tables = new PageTableCache(f.cache, f.mmu, f.poolAddress, PageTableCache.MIN_FRAMES, 256);
        f.keys.setListener(tables);
        MappingChecker checker = new MappingChecker(f, tables);
        f.segmentKey(holder, 2, root, 3, 0);
        long[] pages = new long[8];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = f.newPage(i);
            f.pageKey(root, i, pages[i], 0);
        }
        // Each page sits in its own 4 MiB region, so each needs its own page table; the pool
        // holds the empty directory, one directory and two tables.
        for (int i = 0; i < pages.length; i++) {
            int linear = i << 22 | 0x10;
            assertTrue(tables.handleFault(space(), linear, false, r));
            assertMapped(tables, space(), linear, pages[i]);
            assertTrue(tables.tableCount() <= 2);
            checker.check("region " + i);
        }
        assertTrue(tables.reclaims() >= 3, "reclaims: " + tables.reclaims());
    }

    @Test
    void exhaustedDependencyEdgesReclaimAndTheFaultStillSucceeds() {
        PageTableCache tables = new PageTableCache(f.cache, f.mmu, f.poolAddress, 8, PageTableCache.MIN_DEPENDENCIES);
        f.keys.setListener(tables);
        MappingChecker checker = new MappingChecker(f, tables);
        long middle = f.newNode();
        long leaf = f.newNode();
        f.segmentKey(holder, 2, root, 3, 0);
        f.segmentKey(root, 0, middle, 2, 0);
        f.segmentKey(middle, 0, leaf, 1, 0);
        long[] pages = new long[32];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = f.newPage(i);
            f.pageKey(leaf, i, pages[i], 0);
        }
        for (int i = 0; i < pages.length; i++) {
            assertTrue(tables.handleFault(space(), i << 12, false, r));
            assertEquals(7, r.dependencyCount());
            assertMapped(tables, space(), i << 12, pages[i]);
            assertTrue(tables.dependencies().used() <= PageTableCache.MIN_DEPENDENCIES);
            checker.check("page " + i);
        }
        assertTrue(tables.reclaims() > 0);
        // Whatever survived the reclaims is still invalidated by a write above it.
        f.voidSlot(middle, 0);
        assertEquals(0, checker.check("after the write"));
    }

    @Test
    void exhaustedDirectoriesResetTheCacheAndSpacesAreRebuilt() {
        PageTableCache tables = new PageTableCache(f.cache, f.mmu, f.poolAddress, PageTableCache.MIN_FRAMES, 256);
        f.keys.setListener(tables);
        MappingChecker checker = new MappingChecker(f, tables);
        long page = f.newPage(1);
        long otherHolder = f.newNode();
        f.segmentKey(holder, 2, root, 3, 0);
        f.pageKey(root, 0, page, 0);
        f.pageKey(otherHolder, 2, page, 0);
        int other = f.slot(otherHolder, 2);
        assertTrue(tables.handleFault(space(), 0x10, false, r));
        assertTrue(tables.handleFault(other, 0x20, false, r));
        assertEquals(1, tables.directoryCount(), "one directory fits: the second space reset the cache");
        assertTrue(tables.resets() >= 2, "constructor reset plus one");
        assertMapped(tables, other, 0x20, page);
        assertTrue(tables.handleFault(space(), 0x10, false, r));
        assertMapped(tables, space(), 0x10, page);
        checker.check("rebuilt");
    }

    @Test
    void walkFaultFillAndInvalidationAllocateNothingInSteadyState() {
        PageTableCache tables = new PageTableCache(f.cache, f.mmu, f.poolAddress, 8, 512);
        f.keys.setListener(new SlotWriteFanout(2).add(tables).add((l, ot, ob, o2, nt, c) -> { }));
        long leaf = f.newNode();
        long pageA = f.newPage(1);
        long pageB = f.newPage(2);
        f.segmentKey(holder, 2, root, 2, 0);
        f.segmentKey(root, 1, leaf, 1, 0);
        f.pageKey(leaf, 0, pageA, 0);
        f.pageKey(leaf, 1, pageB, 0);
        int space = space();
        int leafSlot0 = f.slot(leaf, 0);
        int a = 1 << 17 | 0x10;
        int b = 1 << 17 | 1 << 12 | 0x20;
        SegmentWalker walker = tables.walker();
        Runnable round = () -> {
            for (int i = 0; i < 200; i++) {
                tables.handleFault(space, a, false, r);
                tables.handleFault(space, b, true, r);
                walker.walk(space, b, true, r);
                f.mmu.fill(a, Mmu.ACC_USER);
                // A semantic write (invalidates a), a page eviction (invalidates b), refaults.
                f.keys.storeObjectKey(leafSlot0, KeyType.PAGE, pageA, 0, 0, 0);
                f.cache.evictPage(f.cache.faultPage(pageB));
                tables.handleFault(space, a, false, r);
                tables.invalidateLocation(KeyLocation.nodeSlot(KeyLocation.node(leafSlot0), 1));
            }
        };
        for (int i = 0; i < 20; i++) {
            round.run();
        }
        assertTrue(tables.invalidations() > 0);
        AllocationGuard.assertSteadyStateAllocatesNothing("page-table fill and invalidation", round, 3, 50);
        new MappingChecker(f, tables).check("after the guard");
    }
}
