package org.erosim.kernel.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.NodeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentWalkerTest {
    private final SpaceFixture f = new SpaceFixture(64, 32, 8);
    private final SegmentWalker walker = new SegmentWalker(f.cache);
    private final WalkResult r = new WalkResult();
    /** The node whose slot 2 holds the space key, like a process root. */
    private final long holder = f.newNode();

    @AfterEach
    void tearDown() {
        f.assertConsistent();
        f.close();
    }

    private int space() {
        return f.slot(holder, 2);
    }

    private boolean walk(int address, boolean write) {
        return walker.walk(space(), address, write, r);
    }

    private void assertFault(int code, int address, boolean write) {
        assertFalse(walk(address, write), "translated 0x" + Integer.toHexString(address));
        assertEquals(WalkResult.FAULTED, r.status());
        assertEquals(code, r.faultCode(), "fault code at 0x" + Integer.toHexString(address));
    }

    private void assertPage(long pageOid, int address, boolean write) {
        assertTrue(walk(address, write), () -> "fault " + r.faultCode() + " at 0x" + Integer.toHexString(address));
        assertEquals(f.frame(pageOid), r.frame());
        assertEquals(address & 0xFFF, r.pageOffset());
    }

    @Test
    void pageKeySpaceCoversItsOnePage() {
        long page = f.newPage(7);
        f.pageKey(holder, 2, page, 0);
        assertPage(page, 0x123, true);
        assertFault(FaultCode.INVALID_ADDR, 0x1000, false);
        assertEquals(1, r.dependencyCount());
        assertEquals(space(), r.dependency(0));
    }

    @Test
    void twoLevelTreeTranslatesEverySlotToItsPage() {
        long root = f.newNode();
        long leaf = f.newNode();
        long p1 = f.newPage(1);
        long p2 = f.newPage(2);
        f.segmentKey(holder, 2, root, 2, 0);
        f.segmentKey(root, 3, leaf, 1, 0);
        f.pageKey(leaf, 0, p1, 0);
        f.pageKey(leaf, 31, p2, 0);
        assertPage(p1, 3 << 17 | 0x45, false);
        assertPage(p2, 3 << 17 | 31 << 12 | 0xFFF, true);
        assertEquals(5, r.dependencyCount());
        assertEquals(f.slot(root, 31), r.dependency(1));
        assertEquals(f.slot(root, 3), r.dependency(2));
        assertEquals(f.slot(leaf, 31), r.dependency(3));
        assertEquals(f.slot(leaf, 31), r.dependency(4));
        assertEquals(2, r.levels());
        assertFault(FaultCode.INVALID_ADDR, 3 << 17 | 1 << 12, false);
        assertFault(FaultCode.INVALID_ADDR, 4 << 17, false);
    }

    @Test
    void heightFourSpaceCoversTheWholeAddressRange() {
        long root = f.newNode();
        long page = f.newPage(1);
        f.segmentKey(holder, 2, root, 4, 0);
        f.pageKey(root, 31, page, 0);
        // A page key in a height-4 slot is a short-circuit: only the first page of the slot is mapped.
        assertPage(page, 0xF8000ABC, false);
        assertFault(FaultCode.INVALID_ADDR, 0xF8001000, false);
        assertFault(FaultCode.INVALID_ADDR, 0xFFFFFFFF, false);
    }

    @Test
    void shortCircuitKeyOfSmallerHeightCoversOnlyItsSpan() {
        long root = f.newNode();
        long small = f.newNode();
        long page = f.newPage(1);
        f.segmentKey(holder, 2, root, 3, 0);
        f.segmentKey(root, 1, small, 1, 0);
        f.pageKey(small, 2, page, 0);
        assertPage(page, 1 << 22 | 2 << 12 | 5, false);
        // Slot 1 of a height-3 node spans 4 MiB; the height-1 key only its first 128 KiB.
        assertFault(FaultCode.INVALID_ADDR, 1 << 22 | 1 << 17, false);
    }

    @Test
    void offsetBeyondTheSpaceKeySpanIsInvalid() {
        long root = f.newNode();
        f.pageKey(root, 0, f.newPage(1), 0);
        f.segmentKey(holder, 2, root, 1, 0);
        assertTrue(walk(0x10, false));
        assertFault(FaultCode.INVALID_ADDR, 1 << 17, false);
    }

    @Test
    void writeThroughReadOnlyOrWeakKeyIsAccessViolationButReadsWork() {
        long root = f.newNode();
        long p1 = f.newPage(1);
        long p2 = f.newPage(2);
        f.segmentKey(holder, 2, root, 1, 0);
        f.pageKey(root, 0, p1, Restriction.READ_ONLY);
        f.pageKey(root, 1, p2, Restriction.WEAK);
        assertPage(p1, 0x10, false);
        assertFault(FaultCode.ACCESS_VIOLATION, 0x10, true);
        assertEquals(f.frame(p1), r.frame());
        assertPage(p2, 0x1010, false);
        assertFault(FaultCode.ACCESS_VIOLATION, 0x1010, true);
    }

    @Test
    void restrictionsAccumulateDownTheWalk() {
        long root = f.newNode();
        long leaf = f.newNode();
        long page = f.newPage(1);
        f.segmentKey(holder, 2, root, 2, Restriction.READ_ONLY);
        f.segmentKey(root, 0, leaf, 1, Restriction.NO_CALL);
        f.pageKey(leaf, 0, page, 0);
        assertTrue(walk(0, false));
        assertEquals(Restriction.READ_ONLY | Restriction.NO_CALL, r.restrictions());
        assertFalse(SegmentWalker.writable(r.restrictions()));
        assertFault(FaultCode.ACCESS_VIOLATION, 0, true);
    }

    @Test
    void wrongKeyTypesAndBadHeightsAreMalformedSpace() {
        long root = f.newNode();
        long other = f.newNode();
        f.segmentKey(holder, 2, root, 2, 0);
        assertFault(FaultCode.INVALID_ADDR, 0, false);
        f.keys.storeNumber(f.slot(root, 0), 1, 2, 3);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.keys.storeObjectKey(f.slot(root, 0), KeyType.NODE, other, 0, 0, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.keys.storeKernelKey(f.slot(root, 0), KeyType.RANGE, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        // A slot of a height-2 node may hold heights 0 (page) and 1 only.
        f.segmentKey(root, 0, other, 2, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.segmentKey(root, 0, other, 0, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.segmentKey(holder, 2, root, 5, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.keys.storeObjectKey(space(), KeyType.START, root, 0, 0, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
    }

    @Test
    void voidSpaceKeyIsInvalidAddr() {
        assertFault(FaultCode.INVALID_ADDR, 0x1234, false);
        assertEquals(NodeDescriptor.NONE, r.keptNode());
    }

    @Test
    void revokedKeyIsInvalidAddr() {
        long root = f.newNode();
        long page = f.newPage(1);
        f.segmentKey(holder, 2, root, 1, 0);
        f.keys.storeObjectKey(f.slot(root, 0), KeyType.PAGE, page, 5, 0, 0);
        assertFault(FaultCode.INVALID_ADDR, 0, false);
        assertEquals(KeyType.VOID, f.keys.tailAt(f.slot(root, 0)) & 0xFF);
    }

    @Test
    void redSegmentMapsOnlyItsInitialSlotsWithoutBackground() {
        long red = f.newNode();
        long page = f.newPage(1);
        f.segmentKey(holder, 2, red, 1, 0);
        f.format(red, 2, 31, 31, 1);
        f.pageKey(red, 1, page, 0);
        f.pageKey(red, 2, f.newPage(2), 0);
        assertPage(page, 0x1008, false);
        assertEquals(f.slot(red, 31), r.dependency(1));
        assertEquals(f.slot(red, 1), r.dependency(2));
        // Slot 2 holds a page, but it is not an initial slot.
        assertFault(FaultCode.INVALID_ADDR, 0x2008, false);
    }

    @Test
    void redSegmentTranslatesUncoveredOffsetsThroughTheBackgroundWithTheSameOffset() {
        long red = f.newNode();
        long background = f.newNode();
        long mine = f.newPage(1);
        long theirs = f.newPage(2);
        long far = f.newPage(3);
        f.segmentKey(holder, 2, red, 2, 0);
        f.format(red, 1, 31, 20, 1);
        f.pageKey(red, 0, mine, 0);
        f.segmentKey(red, 20, background, 2, Restriction.READ_ONLY);
        f.pageKey(background, 0, theirs, 0);
        f.pageKey(background, 5, far, 0);
        assertPage(mine, 0x0FFF, true);
        assertEquals(0, r.restrictions());
        // Offset 0x1000 goes to the background's slot 0, whose page key maps only its first page.
        assertFault(FaultCode.INVALID_ADDR, 0x1000, false);
        assertEquals(f.slot(red, 20), r.dependency(2));
        // Beyond the red node's own span (height 1 = 128 KiB) the taller key reaches the background too.
        assertPage(far, 5 << 17 | 0x10, false);
        assertEquals(Restriction.READ_ONLY, r.restrictions());
        assertFault(FaultCode.ACCESS_VIOLATION, 5 << 17 | 0x10, true);
    }

    @Test
    void malformedFormatIsMalformedSpace() {
        long red = f.newNode();
        f.segmentKey(holder, 2, red, 1, 0);
        f.pageKey(red, 0, f.newPage(1), 0);
        f.format(red, 1, 31, 31, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.keys.storeNumber(f.slot(red, 31), 1 << 24 | 1 << 20 | 1, 0, 0);
        assertFault(FaultCode.MALFORMED_SPACE, 0, false);
        f.format(red, 1, 31, 31, 1);
        assertTrue(walk(0, false));
    }

    @Test
    void twentyLevelsTranslateAndTheTwentyFirstIsTraverseLimit() {
        long page = f.newPage(1);
        long[] chain = new long[21];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = f.newNode();
            f.format(chain[i], 0, 31, 0, 1);
        }
        for (int i = 0; i + 1 < chain.length; i++) {
            f.segmentKey(chain[i], 0, chain[i + 1], 1, 0);
        }
        f.pageKey(chain[20], 0, page, 0);
        f.segmentKey(holder, 2, chain[1], 1, 0);
        assertPage(page, 0x10, false);
        assertEquals(20, r.levels());
        f.segmentKey(holder, 2, chain[0], 1, 0);
        assertFault(FaultCode.TRAVERSE_LIMIT, 0x10, false);
    }

    @Test
    void backgroundCycleEndsInTraverseLimit() {
        long red = f.newNode();
        f.segmentKey(holder, 2, red, 1, 0);
        f.format(red, 0, 31, 0, 1);
        f.segmentKey(red, 0, red, 1, 0);
        assertFault(FaultCode.TRAVERSE_LIMIT, 0, false);
        assertEquals(21, r.levels());
    }

    @Test
    void innermostKeptRedSegmentIsReportedWithTheOffsetWithinIt() {
        long outer = f.newNode();
        long inner = f.newNode();
        long keeper = f.newNode();
        f.segmentKey(holder, 2, outer, 2, 0);
        f.format(outer, 8, 30, 31, 2);
        f.startKey(outer, 30, keeper);
        f.segmentKey(outer, 3, inner, 1, 0);
        f.format(inner, 4, 29, 31, 1);
        f.startKey(inner, 29, keeper);
        f.pageKey(inner, 0, f.newPage(1), 0);
        assertFault(FaultCode.INVALID_ADDR, 3 << 17 | 2 << 12 | 0x34, false);
        assertEquals(f.node(inner), r.keptNode());
        assertEquals(2 << 12 | 0x34, r.keptOffset());
        // A fault in the outer segment outside the inner one goes to the outer keeper.
        assertFault(FaultCode.INVALID_ADDR, 5 << 17 | 0x10, false);
        assertEquals(f.node(outer), r.keptNode());
        assertEquals(5 << 17 | 0x10, r.keptOffset());
        // A translation reports no keeper.
        assertTrue(walk(3 << 17 | 0x10, false));
        assertEquals(NodeDescriptor.NONE, r.keptNode());
    }

    @Test
    void keptRedSegmentBelowANoCallKeyIsNotReported() {
        long outer = f.newNode();
        long inner = f.newNode();
        long keeper = f.newNode();
        f.segmentKey(holder, 2, outer, 2, 0);
        f.format(outer, 8, 30, 31, 2);
        f.startKey(outer, 30, keeper);
        f.segmentKey(outer, 3, inner, 1, Restriction.NO_CALL);
        f.format(inner, 4, 29, 31, 1);
        f.startKey(inner, 29, keeper);
        assertFault(FaultCode.INVALID_ADDR, 3 << 17 | 0x10, false);
        assertEquals(f.node(outer), r.keptNode());
        assertEquals(3 << 17 | 0x10, r.keptOffset());
        f.segmentKey(holder, 2, outer, 2, Restriction.NO_CALL);
        assertFault(FaultCode.INVALID_ADDR, 3 << 17 | 0x10, false);
        assertEquals(NodeDescriptor.NONE, r.keptNode());
    }

    @Test
    void redSegmentWithoutStartKeyInKeeperSlotIsNotKept() {
        long red = f.newNode();
        f.segmentKey(holder, 2, red, 1, 0);
        f.format(red, 4, 30, 31, 1);
        f.pageKey(red, 30, f.newPage(1), 0);
        assertFault(FaultCode.INVALID_ADDR, 0, false);
        assertEquals(NodeDescriptor.NONE, r.keptNode());
    }

    @Test
    void pathThatCannotBeBroughtInIsNoResourcesNotAFault() {
        try (SpaceFixture tiny = new SpaceFixture(2, 4, 4)) {
            long child = tiny.newNode();
            tiny.pageKey(child, 0, tiny.newPage(1), 0);
            long top = tiny.newNode();
            tiny.cache.evict(tiny.node(child));
            long root = tiny.newNode();
            tiny.segmentKey(root, 0, child, 1, 0);
            tiny.segmentKey(top, 2, root, 2, 0);
            SegmentWalker w = new SegmentWalker(tiny.cache);
            assertFalse(w.walk(KeyLocation.nodeSlot(tiny.node(top), 2), 0, false, r));
            assertEquals(WalkResult.NO_RESOURCES, r.status());
            assertEquals(FaultCode.NONE, r.faultCode());
            assertEquals(0, tiny.nodes.pinCount(tiny.node(top)), "the walk unpins its path");
            tiny.assertConsistent();
        }
    }
}
