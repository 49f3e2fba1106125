package org.erosim.kernel.object;

import static org.erosim.kernel.object.Fixture.FIRST_NODE;
import static org.erosim.kernel.object.Fixture.FIRST_PAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectCacheTest {
    private Fixture f;

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void faultingMoreNodesThanFitEvictsByClockAndKeepsTheIndexCorrect() {
        f = new Fixture(4, 2);
        for (int n = 0; n < 20; n++) {
            f.putNode(FIRST_NODE + n, n, 0);
        }
        for (int n = 0; n < 20; n++) {
            int i = f.node(FIRST_NODE + n);
            assertEquals(n, f.nodes.allocationCount(i));
            assertEquals(i, f.nodes.find(FIRST_NODE + n));
            assertTrue(f.nodes.inUse() <= 4);
            f.assertConsistent();
        }
        assertEquals(16, f.cache.evictions());
        assertEquals(0, f.cache.writeBacks(), "clean nodes are not written back");
    }

    @Test
    void evictionDepreparesTheRingAndTheVictimsOwnKeysAndWritesBackUnprepared() {
        f = new Fixture(4, 2);
        f.putNode(FIRST_NODE, 0, 0);
        f.putNode(FIRST_NODE + 1, 2, 0);
        f.putPage(FIRST_PAGE, 1, 0);
        Keys keys = f.keys;
        int holder = f.node(FIRST_NODE);
        f.nodes.pin(holder);
        int victim = f.node(FIRST_NODE + 1);
        int toVictim = KeyLocation.nodeSlot(holder, 0);
        keys.storeObjectKey(toVictim, KeyType.NODE, FIRST_NODE + 1, 2, Restriction.READ_ONLY, 0);
        keys.prepare(toVictim);
        int own = KeyLocation.nodeSlot(victim, 9);
        keys.storeObjectKey(own, KeyType.PAGE, FIRST_PAGE, 1, 0, 0);
        int frame = keys.prepare(own);
        int self = KeyLocation.nodeSlot(victim, 10);
        keys.storeObjectKey(self, KeyType.NODE, FIRST_NODE + 1, 2, 0, 0);
        keys.prepare(self);

        f.cache.evict(victim);

        assertFalse(KeyDescriptor.isPrepared(keys.tailAt(toVictim)));
        assertEquals(FIRST_NODE + 1, keys.oidAt(toVictim));
        assertEquals(2, keys.word2At(toVictim));
        assertEquals(Restriction.READ_ONLY, KeyDescriptor.restrictions(keys.tailAt(toVictim)));
        assertArrayEquals(new int[0], ringOfFrame(frame));
        assertEquals(KeyType.PAGE, KeyDescriptor.type(f.sourceTail(FIRST_NODE + 1, 9)));
        assertEquals(FIRST_PAGE, f.sourceOid(FIRST_NODE + 1, 9));
        assertEquals(1, f.sourceCount(FIRST_NODE + 1, 9));
        assertEquals(FIRST_NODE + 1, f.sourceOid(FIRST_NODE + 1, 10));
        assertEquals(-1, f.nodes.find(FIRST_NODE + 1));
        f.assertConsistent();

        assertTrue(keys.prepare(toVictim) >= 0, "the deprepared key prepares again");
        f.nodes.unpin(holder);
        f.assertConsistent();
    }

    private int[] ringOfFrame(int frame) {
        int anchor = KeyLocation.frameAnchor(frame);
        int[] out = new int[0];
        for (int k = f.keys.ringNext(anchor); k != anchor; k = f.keys.ringNext(k)) {
            out = java.util.Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = k;
        }
        return out;
    }

    @Test
    void writeBackOfANodeInMemoryConvertsPreparedKeysWithoutDepreparingThem() {
        f = new Fixture(4, 2);
        f.putNode(FIRST_NODE, 0, 0);
        f.putNode(FIRST_NODE + 1, 7, 3);
        int holder = f.node(FIRST_NODE);
        int k = KeyLocation.nodeSlot(holder, 1);
        f.keys.storeObjectKey(k, KeyType.RESUME, FIRST_NODE + 1, 3, 0, KeyDescriptor.KEYDATA_FAULT);
        f.keys.prepare(k);
        f.cache.writeBackAll();
        assertTrue(KeyDescriptor.isPrepared(f.keys.tailAt(k)));
        assertEquals(KeyDescriptor.tail(KeyType.RESUME, 0, 0, KeyDescriptor.KEYDATA_FAULT), f.sourceTail(FIRST_NODE, 1));
        assertEquals(FIRST_NODE + 1, f.sourceOid(FIRST_NODE, 1));
        assertEquals(3, f.sourceCount(FIRST_NODE, 1));
        assertFalse(f.nodes.isDirty(holder));
    }

    @Test
    void pagesLiveInFramesOfPhysicalMemoryAndDirtyPagesAreWrittenBack() {
        f = new Fixture(4, 2);
        for (int p = 0; p < 3; p++) {
            f.putPage(FIRST_PAGE + p, 0, 100 + p);
        }
        int frame = f.cache.faultPage(FIRST_PAGE);
        long pa = f.frames.physicalAddress(frame);
        assertEquals(100, f.memory.read32(pa), "the page's bytes are in emulated RAM");
        f.memory.write32(pa + 8, 0x5EED);
        f.frames.markDirty(frame);
        f.cache.faultPage(FIRST_PAGE + 1);
        f.cache.faultPage(FIRST_PAGE + 2);
        assertEquals(-1, f.frames.find(FIRST_PAGE), "two frames, three pages: the first was evicted");
        assertEquals(0x5EED, f.source.buffer().getInt(f.source.payloadOffset(FIRST_PAGE) + 8));
        int back = f.cache.faultPage(FIRST_PAGE);
        assertEquals(0x5EED, f.frames.data().getInt(f.frames.dataOffset(back) + 8));
        f.assertConsistent();
    }

    @Test
    void evictionHandsTheStallQueueToTheWaker() {
        f = new Fixture(1, 1);
        f.putNode(FIRST_NODE, 0, 0);
        f.putNode(FIRST_NODE + 1, 0, 0);
        List<int[]> woken = new ArrayList<>();
        f.cache.setStallQueueWaker((head, tail) -> woken.add(new int[] {head, tail}));
        int i = f.node(FIRST_NODE);
        f.nodes.setStallQueue(i, 17, 23);
        f.node(FIRST_NODE + 1);
        assertEquals(1, woken.size());
        assertArrayEquals(new int[] {17, 23}, woken.get(0));
        int j = f.node(FIRST_NODE);
        assertEquals(-1, f.nodes.stallHead(j), "a node comes back with an empty stall queue");
        f.node(FIRST_NODE + 1);
        assertEquals(1, woken.size(), "empty queues are not woken");
    }

    @Test
    void whenEveryNodeIsPinnedFaultingAnswersNoRoomAndPreparationLeavesTheKeyAlone() {
        f = new Fixture(2, 1);
        for (int n = 0; n < 3; n++) {
            f.putNode(FIRST_NODE + n, 0, 0);
        }
        int a = f.node(FIRST_NODE);
        int b = f.node(FIRST_NODE + 1);
        f.nodes.pin(a);
        f.nodes.pin(b);
        assertEquals(ObjectCache.NO_ROOM, f.cache.faultNode(FIRST_NODE + 2));
        int k = KeyLocation.nodeSlot(a, 0);
        f.keys.storeObjectKey(k, KeyType.NODE, FIRST_NODE + 2, 0, 0, 0);
        assertEquals(Keys.NO_RESOURCES, f.keys.prepare(k));
        assertEquals(KeyType.NODE, KeyDescriptor.type(f.keys.tailAt(k)));
        assertEquals(FIRST_NODE + 2, f.keys.oidAt(k));
        f.nodes.unpin(b);
        assertTrue(f.keys.prepare(k) >= 0);
        f.nodes.unpin(a);
        f.assertConsistent();
        assertThrows(IllegalStateException.class, () -> f.nodes.unpin(a));
    }

    @Test
    void theNodeHoldingAKeyIsNotEvictedWhileItsObjectFaultsIn() {
        f = new Fixture(1, 1);
        f.putNode(FIRST_NODE, 0, 0);
        f.putNode(FIRST_NODE + 1, 0, 0);
        int holder = f.node(FIRST_NODE);
        int k = KeyLocation.nodeSlot(holder, 0);
        f.keys.storeObjectKey(k, KeyType.NODE, FIRST_NODE + 1, 0, 0, 0);
        assertEquals(Keys.NO_RESOURCES, f.keys.prepare(k), "the only record holds the key being prepared");
        assertEquals(holder, f.nodes.find(FIRST_NODE));
        f.assertConsistent();
    }

    @Test
    void newObjectsGetFreshOidsVoidSlotsZeroDataAndReachTheSource() {
        f = new Fixture(2, 2);
        int n = f.cache.newNode();
        int p = f.cache.newPage();
        long nodeOid = f.nodes.oid(n);
        long pageOid = f.frames.oid(p);
        assertTrue(nodeOid != pageOid);
        for (int s = 0; s < 32; s++) {
            assertEquals(KeyDescriptor.VOID_TAIL, f.nodes.keyTail(n, s));
        }
        for (int b = 0; b < PhysicalMemory.PAGE_SIZE; b += 4) {
            assertEquals(0, f.frames.data().getInt(f.frames.dataOffset(p) + b));
        }
        f.cache.evictAll();
        assertEquals(ObjectSource.KIND_NODE, f.source.kind(nodeOid));
        assertEquals(ObjectSource.KIND_PAGE, f.source.kind(pageOid));
        f.assertConsistent();
    }

    @Test
    void newObjectsAnswerNoRoomWhenTheSourceIsFull() {
        f = new Fixture(2, 2);
        MemoryObjectSource tiny = new MemoryObjectSource(1, 0);
        ObjectCache cache = new ObjectCache(tiny, 2, f.memory, PhysicalMemory.PAGE_SIZE, 1);
        assertEquals(ObjectCache.NO_ROOM, cache.newNode());
        assertEquals(ObjectCache.NO_ROOM, cache.newPage());
    }

    @Test
    void aNewNodeNothingRefersToCanBeGivenBackAndNeverReachesTheSource() {
        f = new Fixture(2, 1);
        int n = f.cache.newNode();
        long oid = f.nodes.oid(n);
        f.cache.discardNewNode(n);
        assertEquals(0, f.nodes.inUse());
        assertEquals(NodeDescriptor.NONE, f.nodes.find(oid));
        f.cache.evictAll();
        assertFalse(f.source.contains(oid));
        f.assertConsistent();
        // A new node a key refers to, or a pinned one, is in use.
        int m = f.cache.newNode();
        f.keys.store(KeyLocation.scratch(3), KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0), 0L, m,
            SlotWriteListener.CAUSE_WRITE);
        assertThrows(IllegalStateException.class, () -> f.cache.discardNewNode(m));
        f.keys.storeVoid(KeyLocation.scratch(3));
        f.nodes.pin(m);
        assertThrows(IllegalStateException.class, () -> f.cache.discardNewNode(m));
        f.nodes.unpin(m);
        f.cache.discardNewNode(m);
        f.assertConsistent();
    }

    @Test
    void aFrameTheCacheFillsAgainDropsTheInstructionsTheCpuDecodedFromIt() {
        f = new Fixture(2, 1);
        List<Long> written = new ArrayList<>();
        f.memory.setCodeWriteListener((pa, length) -> written.add(pa));
        f.putPage(FIRST_PAGE, 0, 0x90);
        int p = f.cache.faultPage(FIRST_PAGE);
        long pa = f.frames.physicalAddress(p);
        f.memory.markCode(pa); // as if a process had executed the page
        f.cache.evictPage(p);
        int q = f.cache.newPage(); // the one frame again, now a zero page
        assertEquals(pa, f.frames.physicalAddress(q));
        assertEquals(List.of(pa), written, "the new page's zeroing is reported");
        f.cache.evictPage(q);
        f.cache.faultPage(FIRST_PAGE); // and the page read back from the source
        assertEquals(List.of(pa, pa), written);
    }

    @Test
    void malformedKeysFromTheSourceAreRepairedAtFaultIn() {
        f = new Fixture(2, 1);
        f.putNode(FIRST_NODE, 0, 0);
        org.agrona.MutableDirectBuffer raw = (org.agrona.MutableDirectBuffer) f.source.buffer();
        int at = f.source.payloadOffset(FIRST_NODE);
        raw.putInt(at + 12, KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0));
        raw.putInt(at + 16 + 12, 200);
        raw.putInt(at + 32 + 12, KeyDescriptor.tail(KeyType.NUMBER, KeyDescriptor.FLAG_WRITE_HAZARD, 0, 0));
        raw.putInt(at + 48 + 12, KeyType.PAGE | 0x10 << 11);
        int i = f.node(FIRST_NODE);
        assertEquals(KeyDescriptor.VOID_TAIL, f.nodes.keyTail(i, 0));
        assertEquals(KeyDescriptor.VOID_TAIL, f.nodes.keyTail(i, 1));
        assertEquals(KeyDescriptor.tail(KeyType.NUMBER, 0, 0, 0), f.nodes.keyTail(i, 2));
        assertEquals(KeyDescriptor.VOID_TAIL, f.nodes.keyTail(i, 3));
        assertEquals(4, f.cache.repairedKeys());
        f.assertConsistent();
    }

    @Test
    void invalidCapacitiesAndFrameRangesAreRejectedWithTheReason() {
        f = new Fixture(1, 1);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new NodeTable(0));
        assertEquals("node table capacity must be between 1 and 3728270, got 0", zero.getMessage());
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
            () -> new FrameTable(f.memory, PhysicalMemory.PAGE_SIZE, 2));
        assertTrue(beyond.getMessage().contains("not page-aligned RAM"), beyond.getMessage());
    }

    @Test
    void pinsNestAndAnUnpinTooManyNamesTheObjectsKind() {
        f = new Fixture(1, 1);
        f.putNode(FIRST_NODE, 0, 0);
        f.putPage(FIRST_PAGE, 0, 0);
        int n = f.node(FIRST_NODE);
        int p = f.cache.faultPage(FIRST_PAGE);
        assertTrue(p >= 0);
        f.nodes.pin(n);
        f.nodes.pin(n);
        f.frames.pin(p);
        assertEquals(2, f.nodes.pinCount(n));
        assertEquals(1, f.frames.pinCount(p));
        f.nodes.unpin(n);
        f.nodes.unpin(n);
        f.frames.unpin(p);
        IllegalStateException node = assertThrows(IllegalStateException.class, () -> f.nodes.unpin(n));
        assertEquals("node 0x1000 unpinned more often than pinned", node.getMessage());
        IllegalStateException page = assertThrows(IllegalStateException.class, () -> f.frames.unpin(p));
        assertEquals("page 0x8000 unpinned more often than pinned", page.getMessage());
        assertEquals(0, f.nodes.pinCount(n));
        f.assertConsistent();
    }

    @Test
    void theSourceRefusesPreparedKeysAndShrinkingCounts() {
        f = new Fixture(1, 1);
        f.putNode(FIRST_NODE, 5, 5);
        IllegalStateException smaller = assertThrows(IllegalStateException.class, () -> f.putNode(FIRST_NODE, 4, 5));
        assertEquals("object 0x1000 written with a smaller count", smaller.getMessage());
        org.agrona.concurrent.UnsafeBuffer keys = new org.agrona.concurrent.UnsafeBuffer(new byte[512]);
        keys.putInt(12, KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0));
        IllegalStateException prepared = assertThrows(IllegalStateException.class,
            () -> f.source.writeNode(new ObjectHeader().set(ObjectSource.KIND_NODE, FIRST_NODE, 5, 5), keys, 0));
        assertEquals("node 0x1000 slot 0 written to the source prepared", prepared.getMessage());
    }
}
