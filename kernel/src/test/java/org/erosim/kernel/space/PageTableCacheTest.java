package org.erosim.kernel.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.mmu.Mmu;
import org.erosim.mmu.Tlb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PageTableCacheTest {
    private final SpaceFixture f = new SpaceFixture(64, 32, 16);
    private final PageTableCache tables = new PageTableCache(f.cache, f.mmu, f.poolAddress, 16, 512);
    private final MappingChecker checker = new MappingChecker(f, tables);
    private final WalkResult r = new WalkResult();
    private final long holder = f.newNode();
    private final long root = f.newNode();
    private final long leafA = f.newNode();
    private final long leafB = f.newNode();
    private final long pageA = f.newPage(0xA);
    private final long pageB = f.newPage(0xB);
    private final long pageC = f.newPage(0xC);

    PageTableCacheTest() {
        f.keys.setListener(new SlotWriteFanout(2).add(tables));
        // root (height 3): slot 0 -> leafA (height 1), slot 9 -> leafB (height 2, read-only)
        f.segmentKey(holder, 2, root, 3, 0);
        f.segmentKey(root, 0, leafA, 1, 0);
        f.segmentKey(root, 9, leafB, 2, Restriction.READ_ONLY);
        f.pageKey(leafA, 0, pageA, 0);
        f.pageKey(leafA, 1, pageB, 0);
        f.pageKey(leafB, 0, pageC, 0);
    }

    @AfterEach
    void tearDown() {
        checker.check("after the test");
        f.assertConsistent();
        f.close();
    }

    private int space() {
        return f.slot(holder, 2);
    }

    private static final int A = 0x0000_0010;
    private static final int B = 0x0000_1020;
    private static final int C = 9 << 22 | 0x30;

    private void load() {
        f.mmu.configure(true, true, false, (int) tables.directoryFor(space()));
    }

    private long translate(int linear, boolean write) {
        return f.mmu.translate(linear, Mmu.ACC_USER | (write ? Mmu.ACC_WRITE : 0), false);
    }

    private long physical(long page, int linear) {
        return f.frames.physicalAddress(f.frame(page)) + (linear & 0xFFF);
    }

    @Test
    void builtEntriesTranslateThroughTheMmuLikeTheWalker() {
        load();
        assertTrue(translate(A, false) < 0, "nothing is mapped before a fault");
        assertTrue(tables.handleFault(space(), A, false, r));
        assertTrue(tables.handleFault(space(), B, true, r));
        assertTrue(tables.handleFault(space(), C, false, r));
        load();
        assertEquals(physical(pageA, A), translate(A, false) & 0xFFFFFFFFL);
        assertEquals(physical(pageB, B), translate(B, true) & 0xFFFFFFFFL);
        assertEquals(physical(pageC, C), translate(C, false) & 0xFFFFFFFFL);
        assertEquals(3, checker.check("filled"));
        assertEquals(0x0A, f.memory.read32(physical(pageA, 0)), "the PTE names the object page's frame");
    }

    @Test
    void cleanPageIsMappedReadOnlyUntilTheFirstWriteFaultMarksItDirty() {
        f.cache.writeBackAll();
        assertFalse(f.frames.isDirty(f.frame(pageA)));
        assertTrue(tables.handleFault(space(), A, false, r));
        load();
        long w = translate(A, true);
        assertTrue(w < 0);
        assertEquals(Mmu.PF_PRESENT | Mmu.PF_WRITE | Mmu.PF_USER, Mmu.faultErrorCode(w));
        assertTrue(tables.handleFault(space(), A, true, r));
        assertTrue(f.frames.isDirty(f.frame(pageA)));
        assertEquals(physical(pageA, A), translate(A, true) & 0xFFFFFFFFL);
        assertEquals(1, checker.check("upgraded"));
    }

    @Test
    void readOnlyPathMapsReadOnlyAndRefusesWrites() {
        assertFalse(tables.handleFault(space(), C, true, r));
        assertEquals(FaultCode.ACCESS_VIOLATION, r.faultCode());
        assertTrue(tables.handleFault(space(), C, false, r));
        load();
        assertTrue(translate(C, true) < 0, "a read-only segment key makes a read-only PTE even for a dirty page");
        assertTrue(f.frames.isDirty(f.frame(pageC)));
    }

    @Test
    void faultsLeaveNoMapping() {
        assertFalse(tables.handleFault(space(), 5 << 22, false, r));
        assertEquals(FaultCode.INVALID_ADDR, r.faultCode());
        assertEquals(0, tables.tableCount());
        assertEquals(0, tables.dependencies().used());
    }

    @Test
    void slotWriteInvalidatesExactlyTheMappingsBuiltFromIt() {
        tables.handleFault(space(), A, false, r);
        tables.handleFault(space(), B, false, r);
        tables.handleFault(space(), C, false, r);
        load();
        f.mmu.fill(A, Mmu.ACC_USER);
        f.mmu.fill(B, Mmu.ACC_USER);
        int ia = Tlb.index(A, true);
        int ib = Tlb.index(B, true);
        assertNotEquals(Tlb.INVALID, f.mmu.tlb.readTag[ia]);
        f.voidSlot(leafA, 0);
        assertEquals(Tlb.INVALID, f.mmu.tlb.readTag[ia], "the TLB entry of the dead mapping is dropped");
        assertNotEquals(Tlb.INVALID, f.mmu.tlb.readTag[ib], "other TLB entries stay");
        assertTrue(translate(A, false) < 0);
        assertEquals(physical(pageB, B), translate(B, false) & 0xFFFFFFFFL);
        assertEquals(physical(pageC, C), translate(C, false) & 0xFFFFFFFFL);
        assertEquals(2, checker.check("leaf slot written"));
        // Replacing the root slot kills everything below it, and nothing else.
        f.segmentKey(root, 0, leafB, 1, 0);
        assertTrue(translate(B, false) < 0);
        assertEquals(physical(pageC, C), translate(C, false) & 0xFFFFFFFFL);
        assertEquals(1, checker.check("root slot written"));
        // The new tree is what the next fault maps.
        assertTrue(tables.handleFault(space(), A, false, r));
        assertEquals(physical(pageC, A), translate(A, false) & 0xFFFFFFFFL);
    }

    /** The generation moves with every event that may take a translation away, and only then. */
    @Test
    void theGenerationCountsInvalidationsReclaimsAndResets() {
        long g = tables.generation();
        assertEquals(tables.invalidations() + tables.reclaims() + tables.resets(), g);
        tables.handleFault(space(), A, false, r);
        tables.handleFault(space(), B, false, r);
        assertEquals(g, tables.generation(), "fills only add translations");
        f.voidSlot(leafA, 0);
        assertEquals(g + 1, tables.generation(), "one mapping invalidated");
        tables.reclaimTables();
        assertEquals(g + 2, tables.generation(), "tables reclaimed");
        tables.resetAll();
        assertEquals(g + 3, tables.generation(), "pool reset");
        assertEquals(tables.invalidations() + tables.reclaims() + tables.resets(), tables.generation());
    }

    /** With the TLB tagged by address space (the kernel machine's setting), a switch keeps entries. */
    @Test
    void aMappingTakenAwayWhileAnotherSpaceRunsIsNotRestoredWithItsSpace() {
        long otherHolder = f.newNode();
        f.segmentKey(otherHolder, 2, leafA, 1, Restriction.READ_ONLY); // another space: another directory
        int other = f.slot(otherHolder, 2);
        f.mmu.setSpaceTagging(true);
        tables.handleFault(space(), A, false, r);
        tables.handleFault(space(), B, false, r);
        tables.handleFault(other, A, false, r);
        int mine = (int) tables.directoryFor(space());
        int theirs = (int) tables.directoryFor(other);
        assertNotEquals(mine, theirs);
        Tlb tlb = f.mmu.tlb;
        f.mmu.configure(true, true, false, mine);
        f.mmu.fill(A, Mmu.ACC_USER);
        f.mmu.fill(B, Mmu.ACC_USER);
        f.mmu.configure(true, true, false, theirs); // a switch, not a flush
        f.mmu.fill(A, Mmu.ACC_USER);
        f.mmu.configure(true, true, false, mine);
        assertEquals(Tlb.tagOf(tlb.readGen, A), tlb.readTag[tlb.slot(A, true)], "my entries survived the switch");
        f.mmu.configure(true, true, false, theirs);
        f.pageKey(leafA, 1, pageC, 0); // takes my B away while the other space is loaded
        f.mmu.configure(true, true, false, mine);
        assertNotEquals(Tlb.tagOf(tlb.readGen, B), tlb.readTag[tlb.slot(B, true)], "B's stale entry is not restored");
        assertNotEquals(Tlb.tagOf(tlb.readGen, A), tlb.readTag[tlb.slot(A, true)],
            "nor anything else of mine: the whole saved space is forgotten");
        assertTrue(translate(B, false) < 0, "and the walk finds no mapping");
        assertEquals(physical(pageA, A), translate(A, false) & 0xFFFFFFFFL);
    }

    @Test
    void theDirectoryMemoFollowsTheSpaceKeyAndResets() {
        long cr3 = tables.directoryFor(space());
        assertEquals(cr3, tables.directoryFor(space()), "asked again: the same directory");
        f.segmentKey(holder, 2, leafA, 1, 0); // another space key in the slot
        long other = tables.directoryFor(space());
        assertNotEquals(cr3, other, "a new key: another directory, not the memo");
        f.segmentKey(holder, 2, root, 3, 0);
        assertEquals(cr3, tables.directoryFor(space()), "the first key again: its directory");
        tables.resetAll(); // every directory freed
        long fresh = tables.directoryFor(space());
        assertTrue(tables.handleFault(space(), A, false, r));
        f.mmu.configure(true, true, false, (int) fresh);
        assertEquals(physical(pageA, A), translate(A, false) & 0xFFFFFFFFL,
            "after a reset the memo gives a directory that exists, where the fill went");
    }

    @Test
    void aCallersMemoFollowsTheSpaceKeyAndResetsAndIsRightInAnyEntry() {
        RecordBuffer memo = new RecordBuffer(2 * PageTableCache.MEMO_LENGTH);
        int at = PageTableCache.MEMO_LENGTH; // anywhere in the caller's buffer
        long cr3 = tables.directoryFor(space(), memo, at);
        assertEquals(cr3, tables.directoryFor(space()), "the same directory as without a memo");
        assertEquals((int) cr3, memo.getInt(at + PageTableCache.MEMO_CR3), "remembered");
        assertEquals(cr3, tables.directoryFor(space(), memo, at), "asked again: the memo's");
        f.segmentKey(holder, 2, leafA, 1, 0); // another space key in the slot
        long other = tables.directoryFor(space(), memo, at);
        assertNotEquals(cr3, other, "a new key: another directory, not the memo");
        assertEquals(other, tables.directoryFor(space()));
        f.segmentKey(holder, 2, root, 3, 0);
        assertEquals(cr3, tables.directoryFor(space(), memo, at), "the first key again: its directory");
        tables.resetAll(); // every directory freed: the generation moves on
        long fresh = tables.directoryFor(space(), memo, at);
        assertEquals(fresh, tables.directoryFor(space()), "after a reset, the directory that exists now");
        assertTrue(tables.handleFault(space(), A, false, r));
        f.mmu.configure(true, true, false, (int) tables.directoryFor(space(), memo, at));
        assertEquals(physical(pageA, A), translate(A, false) & 0xFFFFFFFFL, "the fill went where the memo points");
        assertEquals(0, memo.getInt(0) | memo.getInt(4) | memo.getInt(8), "nothing outside the caller's place");
    }

    @Test
    void writingTheSameKeyAgainStillInvalidates() {
        tables.handleFault(space(), A, false, r);
        f.pageKey(leafA, 0, pageA, 0);
        assertEquals(0, checker.check("rewritten"));
        assertEquals(0, tables.tableCount(), "the emptied table is freed");
    }

    @Test
    void representationOnlyChangesKeepMappings() {
        tables.handleFault(space(), A, false, r);
        long before = tables.invalidations();
        tables.slotWritten(f.slot(leafA, 0), 0, 0, 0, 0, SlotWriteListener.CAUSE_PREPARE);
        assertEquals(before, tables.invalidations());
        assertEquals(1, checker.check("prepare"));
    }

    @Test
    void rescindingAPageInvalidatesItsMappings() {
        tables.handleFault(space(), A, false, r);
        tables.handleFault(space(), B, false, r);
        f.keys.storeObjectKey(f.slot(holder, 5), KeyType.PAGE, pageA, 0, 0, 0);
        f.keys.rescind(f.slot(holder, 5));
        assertEquals(1, checker.check("rescinded"));
        assertFalse(tables.handleFault(space(), A, false, r));
        assertEquals(FaultCode.INVALID_ADDR, r.faultCode());
    }

    @Test
    void redSegmentFormatWriteInvalidates() {
        f.format(leafA, 2, 31, 31, 1);
        assertTrue(tables.handleFault(space(), B, false, r));
        f.format(leafA, 1, 31, 31, 1);
        assertEquals(0, checker.check("format written"));
        assertFalse(tables.handleFault(space(), B, false, r));
        assertEquals(FaultCode.INVALID_ADDR, r.faultCode());
    }

    @Test
    void evictingAPageOrANodeOfThePathInvalidates() {
        tables.handleFault(space(), A, false, r);
        tables.handleFault(space(), C, false, r);
        f.cache.evictPage(f.frame(pageA));
        assertEquals(1, checker.check("page evicted"));
        f.cache.evict(f.node(leafB));
        assertEquals(0, checker.check("node evicted"));
        // Both come back on the next faults.
        assertTrue(tables.handleFault(space(), A, false, r));
        assertTrue(tables.handleFault(space(), C, false, r));
        load();
        assertEquals(physical(pageA, A), translate(A, false) & 0xFFFFFFFFL);
        assertEquals(physical(pageC, C), translate(C, false) & 0xFFFFFFFFL);
    }

    @Test
    void evictingTheSpaceRootInvalidatesAllItsMappings() {
        tables.handleFault(space(), A, false, r);
        tables.handleFault(space(), C, false, r);
        f.cache.evict(f.node(root));
        assertEquals(0, checker.check("root evicted"));
        assertTrue(tables.handleFault(space(), C, false, r));
    }

    @Test
    void pageKeySpaceDependsOnItsSlot() {
        f.pageKey(holder, 3, pageA, 0);
        int space = f.slot(holder, 3);
        assertTrue(tables.handleFault(space, 0x10, false, r));
        f.cache.evictPage(f.frame(pageA));
        assertEquals(0, checker.check("space page evicted"));
    }

    @Test
    void processesWithEqualSpaceKeysShareADirectory() {
        long other = f.newNode();
        f.segmentKey(other, 2, root, 3, 0);
        long third = f.newNode();
        f.segmentKey(third, 2, root, 3, Restriction.READ_ONLY);
        long cr3 = tables.directoryFor(space());
        assertEquals(cr3, tables.directoryFor(f.slot(other, 2)));
        assertNotEquals(cr3, tables.directoryFor(f.slot(third, 2)), "other restrictions, other directory");
        tables.handleFault(f.slot(other, 2), A, false, r);
        load();
        assertEquals(physical(pageA, A), translate(A, false) & 0xFFFFFFFFL, "a mapping made for one sharer serves all");
    }

    @Test
    void unusableSpaceKeyGetsTheEmptyDirectory() {
        f.voidSlot(holder, 2);
        assertEquals(f.poolAddress, tables.directoryFor(space()));
        f.keys.storeNumber(space(), 1, 2, 3);
        assertEquals(f.poolAddress, tables.directoryFor(space()));
        assertFalse(tables.handleFault(space(), A, false, r));
        assertEquals(FaultCode.MALFORMED_SPACE, r.faultCode());
    }

    @Test
    void poolOutOfRangeOrNotRamIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PageTableCache(f.cache, f.mmu, f.poolAddress, 3, 512));
        assertThrows(IllegalArgumentException.class, () -> new PageTableCache(f.cache, f.mmu, f.poolAddress, 4, 10));
        assertThrows(IllegalArgumentException.class, () -> new PageTableCache(f.cache, f.mmu, f.poolAddress + 1, 4, 512));
        assertThrows(IllegalArgumentException.class, () -> new PageTableCache(f.cache, f.mmu, f.poolAddress, 17, 512));
        assertThrows(IllegalArgumentException.class,
            () -> new PageTableCache(f.cache, f.mmu, f.poolAddress, PageTableCache.MAX_FRAMES + 1, 512));
    }
}
