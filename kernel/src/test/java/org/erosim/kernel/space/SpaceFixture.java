package org.erosim.kernel.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.object.ConsistencyChecker;
import org.erosim.kernel.object.FrameTable;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.mmu.Mmu;
import org.erosim.mmu.PhysicalMemory;

/**
 * An object world for address-space tests: an in-memory source, RAM with frames for object
 * pages followed by the page-table pool, a cache, an MMU over the same RAM and helpers that
 * build segment trees by OID (so they survive eviction).
 */
final class SpaceFixture implements AutoCloseable {
    final MemoryObjectSource source = new MemoryObjectSource(0x100000, 1 << 20);
    final PhysicalMemory memory;
    final ObjectCache cache;
    final Keys keys;
    final NodeTable nodes;
    final FrameTable frames;
    final Mmu mmu;
    final ConsistencyChecker checker;
    /** First frame of the page-table pool. */
    final long poolAddress;
    final int poolFrames;

    SpaceFixture(int nodeCapacity, int frameCapacity, int poolFrames) {
        this.poolFrames = poolFrames;
        memory = new PhysicalMemory((long) (1 + frameCapacity + poolFrames) * PhysicalMemory.PAGE_SIZE);
        cache = new ObjectCache(source, nodeCapacity, memory, PhysicalMemory.PAGE_SIZE, frameCapacity);
        keys = cache.keys();
        nodes = cache.nodes();
        frames = cache.frames();
        mmu = new Mmu(memory);
        checker = new ConsistencyChecker(cache);
        poolAddress = (long) (1 + frameCapacity) * PhysicalMemory.PAGE_SIZE;
    }

    /** A new node (all slots void); returns its OID. */
    long newNode() {
        int i = cache.newNode();
        if (i < 0) {
            throw new AssertionError("no room for a node");
        }
        return nodes.oid(i);
    }

    /** A new page whose first int is {@code marker}; returns its OID. */
    long newPage(int marker) {
        int i = cache.newPage();
        if (i < 0) {
            throw new AssertionError("no room for a page");
        }
        frames.data().putInt(frames.dataOffset(i), marker);
        return frames.oid(i);
    }

    int node(long oid) {
        int i = cache.faultNode(oid);
        if (i < 0) {
            throw new AssertionError("node 0x" + Long.toHexString(oid) + " did not fault in: " + i);
        }
        return i;
    }

    int frame(long oid) {
        int i = cache.faultPage(oid);
        if (i < 0) {
            throw new AssertionError("page 0x" + Long.toHexString(oid) + " did not fault in: " + i);
        }
        return i;
    }

    int slot(long nodeOid, int slot) {
        return KeyLocation.nodeSlot(node(nodeOid), slot);
    }

    void segmentKey(long holder, int slot, long nodeOid, int height, int restrictions) {
        keys.storeObjectKey(slot(holder, slot), KeyType.SEGMENT, nodeOid, 0, restrictions, height);
    }

    void pageKey(long holder, int slot, long pageOid, int restrictions) {
        keys.storeObjectKey(slot(holder, slot), KeyType.PAGE, pageOid, 0, restrictions, 0);
    }

    void startKey(long holder, int slot, long processOid) {
        keys.storeObjectKey(slot(holder, slot), KeyType.START, processOid, 0, 0, 0);
    }

    void format(long node, int initial, int keeper, int background, int height) {
        keys.storeNumber(slot(node, RedSegmentFormat.FORMAT_SLOT),
            RedSegmentFormat.encode(initial, keeper, background, 0, height), 0, 0);
    }

    void voidSlot(long node, int slot) {
        keys.storeVoid(slot(node, slot));
    }

    void assertConsistent() {
        List<String> findings = checker.check();
        assertEquals(List.of(), findings, "consistency findings");
    }

    @Override
    public void close() {
        memory.close();
    }
}
