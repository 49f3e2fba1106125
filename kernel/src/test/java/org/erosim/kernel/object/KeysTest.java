package org.erosim.kernel.object;

import static org.erosim.kernel.object.Fixture.FIRST_NODE;
import static org.erosim.kernel.object.Fixture.FIRST_PAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.key.KeyDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeysTest {
    private static final long HOLDER = FIRST_NODE;
    private static final long TARGET = FIRST_NODE + 1;
    private static final long OTHER = FIRST_NODE + 2;
    private static final long PAGE = FIRST_PAGE;

    private Fixture f;
    private Keys keys;

    @BeforeEach
    void setUp() {
        f = new Fixture(8, 4);
        keys = f.keys;
        f.putNode(HOLDER, 0, 0);
        f.putNode(TARGET, 5, 9);
        f.putNode(OTHER, 0, 0);
        f.putPage(PAGE, 3, 0xCAFE);
    }

    @AfterEach
    void tearDown() {
        f.assertConsistent();
        f.close();
    }

    private int holderSlot(int slot) {
        return f.slot(HOLDER, slot);
    }

    private int restrictionsAt(int location) {
        return KeyDescriptor.restrictions(keys.tailAt(location));
    }

    @Test
    void prepareLinksTheKeyAndDeprepareRestoresOidAndCount() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, Restriction.READ_ONLY, 0);
        int target = keys.prepare(k);

        assertEquals(f.nodes.find(TARGET), target);
        assertTrue(KeyDescriptor.isPrepared(keys.tailAt(k)));
        assertEquals(target, keys.word2At(k));
        assertArrayEquals(new int[] {k}, f.nodeRing(target));
        f.assertConsistent();

        keys.deprepare(k);
        assertFalse(KeyDescriptor.isPrepared(keys.tailAt(k)));
        assertEquals(TARGET, keys.oidAt(k));
        assertEquals(5, keys.word2At(k));
        assertEquals(Restriction.READ_ONLY, restrictionsAt(k));
        assertEquals(KeyType.NODE, KeyDescriptor.type(keys.tailAt(k)));
        assertArrayEquals(new int[0], f.nodeRing(target));
    }

    @Test
    void preparingAPreparedKeyAgainReturnsTheSameObjectWithoutRelinking() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.PAGE, PAGE, 3, 0, 0);
        int frame = keys.prepare(k);
        assertEquals(frame, keys.prepare(k));
        assertEquals(0xCAFE, f.frames.data().getInt(f.frames.dataOffset(frame)));
    }

    @Test
    void deprepareRingKeysInSlotLeavesThoseKeysStaleForARescindInsteadOfVoid() {
        int inSlot3 = holderSlot(3);
        int inSlot4 = holderSlot(4);
        keys.storeObjectKey(inSlot3, KeyType.NODE, TARGET, 5, 0, 0);
        keys.storeObjectKey(inSlot4, KeyType.NODE, TARGET, 5, 0, 0);
        int target = keys.prepare(inSlot3);
        keys.prepare(inSlot4);
        keys.deprepareRingKeysInSlot(target, 3);
        assertFalse(KeyDescriptor.isPrepared(keys.tailAt(inSlot3)));
        assertEquals(TARGET, keys.oidAt(inSlot3));
        assertTrue(KeyDescriptor.isPrepared(keys.tailAt(inSlot4)));
        assertEquals(ResultCode.OK, keys.rescind(inSlot4));
        // The slot-4 key was voided on the ring; the slot-3 key is stale and dies at its next use.
        assertEquals(KeyType.VOID, KeyDescriptor.type(keys.tailAt(inSlot4)));
        assertEquals(KeyType.NODE, KeyDescriptor.type(keys.tailAt(inSlot3)));
        assertEquals(Keys.NOT_OBJECT, keys.prepare(inSlot3));
        assertEquals(KeyType.VOID, KeyDescriptor.type(keys.tailAt(inSlot3)));
    }

    @Test
    void prepareVoidsAKeyWhoseAllocationCountIsStale() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 4, 0, 0);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(k));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(k));
        assertEquals(0L, keys.oidAt(k));
    }

    @Test
    void resumeKeysAreCheckedAgainstTheCallCountNotTheAllocationCount() {
        int good = holderSlot(0);
        int stale = holderSlot(1);
        keys.storeObjectKey(good, KeyType.RESUME, TARGET, 9, 0, 0);
        keys.storeObjectKey(stale, KeyType.RESUME, TARGET, 5, 0, 0);
        assertTrue(keys.prepare(good) >= 0);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(stale));
    }

    @Test
    void prepareVoidsAKeyNamingAnOidTheSourceDoesNotHold() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, 0xDEAD, 0, 0, 0);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(k));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(k));
        assertEquals(-1, f.nodes.find(0xDEAD));
    }

    @Test
    void prepareVoidsAPageKeyNamingANodeAndANodeKeyNamingAPage() {
        int pageKey = holderSlot(0);
        int nodeKey = holderSlot(1);
        keys.storeObjectKey(pageKey, KeyType.PAGE, TARGET, 5, 0, 0);
        keys.storeObjectKey(nodeKey, KeyType.SEGMENT, PAGE, 3, 0, 2);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(pageKey));
        assertEquals(Keys.NOT_OBJECT, keys.prepare(nodeKey));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(pageKey));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(nodeKey));
    }

    @Test
    void numberAndKernelKeysAreNotPrepared() {
        int n = holderSlot(0);
        int r = holderSlot(1);
        keys.storeNumber(n, 1, 2, 3);
        keys.storeKernelKey(r, KeyType.RANGE, 0);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(n));
        assertEquals(Keys.NOT_OBJECT, keys.prepare(r));
        assertEquals(KeyType.NUMBER, KeyDescriptor.type(keys.tailAt(n)));
        assertEquals(KeyType.RANGE, KeyDescriptor.type(keys.tailAt(r)));
    }

    @Test
    void rescindVoidsEveryPreparedCopyInMemory() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        keys.prepare(k);
        int elsewhere = f.slot(OTHER, 7);
        keys.copy(k, holderSlot(1), 0);
        keys.copy(k, elsewhere, Restriction.WEAK);
        keys.copy(k, KeyLocation.scratch(3), 0);

        assertEquals(ResultCode.OK, keys.rescind(holderSlot(1)));

        for (int location : new int[] {k, holderSlot(1), elsewhere, KeyLocation.scratch(3)}) {
            assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(location), KeyLocation.describe(location));
        }
        int target = f.nodes.find(TARGET);
        assertEquals(6, f.nodes.allocationCount(target));
        assertEquals(10, f.nodes.callCount(target));
        assertArrayEquals(new int[0], f.nodeRing(target));
    }

    @Test
    void rescindVoidsCopiesInEvictedNodesWhenTheyAreNextPrepared() {
        int k = f.slot(OTHER, 4);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        keys.prepare(k);
        f.cache.evict(f.nodes.find(OTHER));
        assertEquals(-1, f.nodes.find(OTHER));
        assertEquals(KeyType.NODE, KeyDescriptor.type(f.sourceTail(OTHER, 4)));
        assertEquals(5, f.sourceCount(OTHER, 4));

        int mine = holderSlot(0);
        keys.storeObjectKey(mine, KeyType.NODE, TARGET, 5, 0, 0);
        assertEquals(ResultCode.OK, keys.rescind(mine));

        int again = f.slot(OTHER, 4);
        assertEquals(KeyType.NODE, KeyDescriptor.type(keys.tailAt(again)), "still unprepared, not yet void");
        assertEquals(Keys.NOT_OBJECT, keys.prepare(again));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(again));
    }

    @Test
    void rescindReachesTheSourceSoAKeyThatWasNeverInMemoryDiesToo() {
        f.putNode(OTHER + 10, 0, 0);
        int holder = f.node(OTHER + 10);
        keys.storeObjectKey(KeyLocation.nodeSlot(holder, 0), KeyType.NODE, TARGET, 5, 0, 0);
        f.cache.evict(holder);

        int mine = holderSlot(0);
        keys.storeObjectKey(mine, KeyType.NODE, TARGET, 5, 0, 0);
        keys.rescind(mine);
        f.cache.evict(f.nodes.find(TARGET));
        assertEquals(6, f.source.allocationCount(TARGET), "the bumped count was written back");

        int theirs = f.slot(OTHER + 10, 0);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(theirs));
    }

    @Test
    void rescindOfAPageVoidsItsKeysAndBumpsItsCount() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.PAGE, PAGE, 3, Restriction.READ_ONLY, 0);
        int frame = keys.prepare(k);
        keys.copy(k, holderSlot(1), 0);
        assertEquals(ResultCode.OK, keys.rescind(k));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(holderSlot(1)));
        assertEquals(4, f.frames.allocationCount(frame));
    }

    @Test
    void rescindThroughAVoidKeyAnswersVoid() {
        assertEquals(ResultCode.VOID, keys.rescind(holderSlot(0)));
    }

    @Test
    void rescindKillsResumeKeysBecauseItBumpsTheCallCount() {
        int resume = holderSlot(0);
        keys.storeObjectKey(resume, KeyType.RESUME, TARGET, 9, 0, 0);
        int node = holderSlot(1);
        keys.storeObjectKey(node, KeyType.NODE, TARGET, 5, 0, 0);
        keys.rescind(node);
        assertEquals(Keys.NOT_OBJECT, keys.prepare(resume), "an unprepared resume key dies at preparation");
    }

    @Test
    void resumeKeysGoToTheRingTailAndAllAreFoundFromIt() {
        List<Integer> resumes = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            int k = holderSlot(s);
            if (s % 3 == 0) {
                keys.storeObjectKey(k, KeyType.RESUME, TARGET, 9, 0, 0);
                resumes.add(k);
            } else {
                keys.storeObjectKey(k, s % 3 == 1 ? KeyType.START : KeyType.NODE, TARGET, 5, 0, 0);
            }
            keys.prepare(k);
        }
        int copy = f.slot(OTHER, 0);
        keys.copy(resumes.get(1), copy, 0);
        resumes.add(copy);
        int start = f.slot(OTHER, 1);
        keys.copy(holderSlot(1), start, 0);

        int[] fromTail = f.nodeRingFromTail(f.nodes.find(TARGET));
        assertEquals(14, fromTail.length);
        List<Integer> tailSegment = new ArrayList<>();
        for (int k : fromTail) {
            if (KeyDescriptor.type(keys.tailAt(k)) != KeyType.RESUME) {
                break;
            }
            tailSegment.add(k);
        }
        assertEquals(resumes.size(), tailSegment.size());
        assertTrue(tailSegment.containsAll(resumes));
    }

    @Test
    void copyOfAPreparedKeyJoinsTheSameRing() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        int target = keys.prepare(k);
        keys.copy(k, holderSlot(1), 0);
        assertTrue(KeyDescriptor.isPrepared(keys.tailAt(holderSlot(1))));
        assertEquals(target, keys.word2At(holderSlot(1)));
        assertEquals(2, f.nodeRing(target).length);
    }

    @Test
    void restrictionsOnlyAccumulateOverCopies() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, Restriction.READ_ONLY, 0);
        keys.copy(k, holderSlot(1), Restriction.NO_CALL);
        keys.copy(holderSlot(1), holderSlot(2), 0);
        keys.copy(holderSlot(2), holderSlot(3), Restriction.OPAQUE);
        assertEquals(Restriction.READ_ONLY | Restriction.NO_CALL, restrictionsAt(holderSlot(2)));
        assertEquals(Restriction.READ_ONLY | Restriction.NO_CALL | Restriction.OPAQUE, restrictionsAt(holderSlot(3)));
        keys.prepare(holderSlot(3));
        keys.copy(holderSlot(3), holderSlot(4), 0);
        assertEquals(Restriction.READ_ONLY | Restriction.NO_CALL | Restriction.OPAQUE, restrictionsAt(holderSlot(4)));
        assertEquals(Restriction.READ_ONLY, restrictionsAt(k), "the source key is unchanged");
    }

    @Test
    void numberKeysCopyAsDataWithoutRestrictions() {
        int n = holderSlot(0);
        keys.storeNumber(n, 0x11, 0x22, 0x33);
        keys.copy(n, holderSlot(1), Restriction.ALL);
        int c = holderSlot(1);
        assertEquals(KeyDescriptor.tail(KeyType.NUMBER, 0, 0, 0), keys.tailAt(c));
        assertEquals(0x2200000011L, keys.oidAt(c));
        assertEquals(0x33, keys.word2At(c));
    }

    @Test
    void fetchingThroughAWeakNodeKeyYieldsAWeakReadOnlyKey() {
        int inTarget = f.slot(TARGET, 3);
        keys.storeObjectKey(inTarget, KeyType.PAGE, PAGE, 3, 0, 0);
        f.nodes.pin(f.nodes.find(TARGET));
        int weak = holderSlot(0);
        keys.storeObjectKey(weak, KeyType.NODE, TARGET, 5, Restriction.WEAK, 0);
        int strong = holderSlot(1);
        keys.storeObjectKey(strong, KeyType.NODE, TARGET, 5, 0, 0);

        assertEquals(ResultCode.OK, keys.fetchSlot(weak, 3, holderSlot(2)));
        assertEquals(ResultCode.OK, keys.fetchSlot(strong, 3, holderSlot(3)));
        f.nodes.unpin(f.nodes.find(TARGET));

        assertEquals(Restriction.WEAK | Restriction.READ_ONLY, restrictionsAt(holderSlot(2)));
        assertEquals(0, restrictionsAt(holderSlot(3)));
        assertEquals(0, restrictionsAt(f.slot(TARGET, 3)), "the slot itself keeps its key");
    }

    @Test
    void writingThroughAWeakNodeKeyStoresTheKeyDiminished() {
        int weak = holderSlot(0);
        keys.storeObjectKey(weak, KeyType.NODE, TARGET, 5, Restriction.WEAK, 0);
        int page = holderSlot(1);
        keys.storeObjectKey(page, KeyType.PAGE, PAGE, 3, Restriction.NO_CALL, 0);

        assertEquals(ResultCode.OK, keys.storeSlot(weak, 7, page));
        assertEquals(Restriction.NO_CALL | Restriction.WEAK | Restriction.READ_ONLY, restrictionsAt(f.slot(TARGET, 7)));
        assertEquals(Restriction.NO_CALL, restrictionsAt(page));
    }

    @Test
    void swappingThroughAWeakNodeKeyDiminishesBothWays() {
        keys.storeObjectKey(f.slot(TARGET, 2), KeyType.NODE, OTHER, 0, 0, 0);
        int weak = holderSlot(0);
        keys.storeObjectKey(weak, KeyType.NODE, TARGET, 5, Restriction.WEAK, 0);
        int in = holderSlot(1);
        keys.storeObjectKey(in, KeyType.PAGE, PAGE, 3, 0, 0);
        assertEquals(ResultCode.OK, keys.swapSlot(weak, 2, in, in));
        assertEquals(KeyType.NODE, KeyDescriptor.type(keys.tailAt(in)));
        assertEquals(Restriction.WEAK | Restriction.READ_ONLY, restrictionsAt(in));
        assertEquals(KeyType.PAGE, KeyDescriptor.type(keys.tailAt(f.slot(TARGET, 2))));
        assertEquals(Restriction.WEAK | Restriction.READ_ONLY, restrictionsAt(f.slot(TARGET, 2)));
    }

    @Test
    void writesThroughAReadOnlyNodeKeyAreRefused() {
        int ro = holderSlot(0);
        keys.storeObjectKey(ro, KeyType.NODE, TARGET, 5, Restriction.READ_ONLY, 0);
        keys.storeNumber(holderSlot(1), 7, 7, 7);
        assertEquals(ResultCode.NO_ACCESS, keys.storeSlot(ro, 0, holderSlot(1)));
        assertEquals(ResultCode.NO_ACCESS, keys.swapSlot(ro, 0, holderSlot(1), holderSlot(2)));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(f.slot(TARGET, 0)));
        assertEquals(ResultCode.OK, keys.fetchSlot(ro, 0, holderSlot(3)), "reading is allowed");
    }

    @Test
    void nodeOrdersRejectBadSlotsAndNonNodeKeys() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        assertEquals(ResultCode.REQUEST_ERROR, keys.fetchSlot(k, 32, holderSlot(1)));
        assertEquals(ResultCode.REQUEST_ERROR, keys.storeSlot(k, -1, holderSlot(1)));
        keys.storeObjectKey(holderSlot(2), KeyType.PAGE, PAGE, 3, 0, 0);
        assertEquals(ResultCode.VOID, keys.fetchSlot(holderSlot(2), 0, holderSlot(1)));
        assertEquals(ResultCode.VOID, keys.fetchSlot(holderSlot(5), 0, holderSlot(1)), "void key");
    }

    @Test
    void overwritingASlotUnlinksTheOldKeyFromItsRing() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        int target = keys.prepare(k);
        keys.copy(k, holderSlot(1), 0);
        keys.storeNumber(k, 1, 2, 3);
        assertArrayEquals(new int[] {holderSlot(1)}, f.nodeRing(target));
        keys.storeObjectKey(holderSlot(2), KeyType.PAGE, PAGE, 3, 0, 0);
        keys.prepare(holderSlot(2));
        keys.copy(holderSlot(2), holderSlot(1), 0);
        assertArrayEquals(new int[0], f.nodeRing(target));
    }

    @Test
    void swappingTwoPreparedKeysKeepsBothRingsWellFormed() {
        int a = holderSlot(0);
        int b = f.slot(OTHER, 5);
        keys.storeObjectKey(a, KeyType.NODE, TARGET, 5, 0, 0);
        keys.storeObjectKey(b, KeyType.PAGE, PAGE, 3, 0, 0);
        int target = keys.prepare(a);
        keys.prepare(b);
        keys.swap(a, b);
        assertEquals(KeyType.PAGE, KeyDescriptor.type(keys.tailAt(a)));
        assertEquals(KeyType.NODE, KeyDescriptor.type(keys.tailAt(b)));
        assertArrayEquals(new int[] {b}, f.nodeRing(target));
        assertEquals(KeyDescriptor.VOID_TAIL, keys.tailAt(KeyLocation.scratch(0)));
    }

    @Test
    void copyingAKeyOntoItselfKeepsItOnItsRing() {
        int k = holderSlot(0);
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        int target = keys.prepare(k);
        keys.copy(k, k, Restriction.READ_ONLY);
        assertArrayEquals(new int[] {k}, f.nodeRing(target));
        assertEquals(Restriction.READ_ONLY, restrictionsAt(k));
    }

    @Test
    void theListenerSeesTheOldAndNewKeyOfEveryWrite() {
        List<String> seen = new ArrayList<>();
        keys.setListener((location, oldTail, oldBody01, oldBody2, newTail, cause) ->
            seen.add(KeyLocation.describe(location) + " " + KeyType.name(KeyDescriptor.type(oldTail)) + "/"
                + Long.toHexString(oldBody01) + "/" + oldBody2 + " -> " + KeyType.name(KeyDescriptor.type(newTail))
                + " cause " + cause));
        int k = holderSlot(0);
        String where = KeyLocation.describe(k);
        keys.storeObjectKey(k, KeyType.START, TARGET, 5, 0, 0x42);
        int target = keys.prepare(k);
        keys.storeNumber(k, 1, 0, 0);
        keys.setListener(null);
        assertEquals(List.of(
            where + " void/0/0 -> start cause 0",
            where + " start/1001/5 -> start cause 2",
            where + " start/" + Long.toHexString(((long) KeyLocation.nodeAnchor(target) << 32)
                | (KeyLocation.nodeAnchor(target) & 0xFFFFFFFFL)) + "/" + target + " -> number cause 0"),
            seen);
    }

    @Test
    void semanticWritesMakeTheNodeDirtyButPreparationDoesNot() {
        int holder = f.node(HOLDER);
        int k = KeyLocation.nodeSlot(holder, 0);
        assertFalse(f.nodes.isDirty(holder));
        keys.storeObjectKey(k, KeyType.NODE, TARGET, 5, 0, 0);
        assertTrue(f.nodes.isDirty(holder));
        f.cache.writeBackNode(holder);
        keys.prepare(k);
        assertFalse(f.nodes.isDirty(holder));
        keys.deprepare(k);
        assertFalse(f.nodes.isDirty(holder));
    }
}
