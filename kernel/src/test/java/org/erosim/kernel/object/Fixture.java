package org.erosim.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.mmu.PhysicalMemory;

/**
 * A small object world for tests: a source (in memory by default, or any other, e.g. a
 * store file), RAM for frames, a cache and a checker.
 */
final class Fixture implements AutoCloseable {
    /** Nodes the tests put on the source start here; pages at {@link #FIRST_PAGE}. */
    static final long FIRST_NODE = 0x1000;
    static final long FIRST_PAGE = 0x8000;

    /** The in-memory source, or null when the fixture runs on another {@link #objects}. */
    final MemoryObjectSource source;
    /** The source the cache faults from and writes back to. */
    final ObjectSource objects;
    final PhysicalMemory memory;
    final ObjectCache cache;
    final Keys keys;
    final NodeTable nodes;
    final FrameTable frames;
    final ConsistencyChecker checker;
    private final UnsafeBuffer scratchNode = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
    private final UnsafeBuffer scratchPage = new UnsafeBuffer(new byte[ObjectSource.PAGE_LENGTH]);
    private final ObjectHeader header = new ObjectHeader();

    Fixture(int nodeCapacity, int frameCapacity) {
        this(new MemoryObjectSource(0x100000, 1 << 20), nodeCapacity, frameCapacity);
    }

    Fixture(ObjectSource objects, int nodeCapacity, int frameCapacity) {
        this.objects = objects;
        this.source = objects instanceof MemoryObjectSource ? (MemoryObjectSource) objects : null;
        memory = new PhysicalMemory((long) (frameCapacity + 1) * PhysicalMemory.PAGE_SIZE);
        cache = new ObjectCache(objects, nodeCapacity, memory, PhysicalMemory.PAGE_SIZE, frameCapacity);
        keys = cache.keys();
        nodes = cache.nodes();
        frames = cache.frames();
        checker = new ConsistencyChecker(cache);
    }

    /** Puts a node with all slots void on the source. */
    void putNode(long oid, int allocationCount, int callCount) {
        for (int s = 0; s < 32; s++) {
            scratchNode.setMemory(s * 16, 12, (byte) 0);
            scratchNode.putInt(s * 16 + 12, KeyDescriptor.VOID_TAIL);
        }
        objects.writeNode(header.set(ObjectSource.KIND_NODE, oid, allocationCount, callCount), scratchNode, 0);
    }

    /** Puts a page on the source whose first int is {@code marker}. */
    void putPage(long oid, int allocationCount, int marker) {
        scratchPage.setMemory(0, 4096, (byte) 0);
        scratchPage.putInt(0, marker);
        objects.writePage(header.set(ObjectSource.KIND_PAGE, oid, allocationCount, 0), scratchPage, 0);
    }

    /** The key tail stored on the source for node {@code oid}, slot {@code slot}. */
    int sourceTail(long oid, int slot) {
        return sourceNode(oid).getInt(slot * 16 + 12);
    }

    long sourceOid(long oid, int slot) {
        return sourceNode(oid).getLong(slot * 16);
    }

    int sourceCount(long oid, int slot) {
        return sourceNode(oid).getInt(slot * 16 + 8);
    }

    /** Node {@code oid}'s 512 key bytes as the source holds them (the header in {@link #sourceHeader}). */
    UnsafeBuffer sourceNode(long oid) {
        if (!objects.readNode(oid, header, scratchNode, 0)) {
            throw new AssertionError("the source has no node " + oid);
        }
        return scratchNode;
    }

    /** Page {@code oid}'s bytes as the source holds them (the header in {@link #sourceHeader}). */
    UnsafeBuffer sourcePage(long oid) {
        if (!objects.readPage(oid, header, scratchPage, 0)) {
            throw new AssertionError("the source has no page " + oid);
        }
        return scratchPage;
    }

    /** The header read by the last {@link #sourceNode} or {@link #sourcePage}. */
    ObjectHeader sourceHeader() {
        return header;
    }

    /** Faults node {@code oid} in and returns its index; fails the test if it cannot. */
    int node(long oid) {
        int i = cache.faultNode(oid);
        if (i < 0) {
            throw new AssertionError("node 0x" + Long.toHexString(oid) + " did not fault in: " + i);
        }
        return i;
    }

    int slot(long oid, int slot) {
        return KeyLocation.nodeSlot(node(oid), slot);
    }

    void assertConsistent() {
        List<String> findings = checker.check();
        assertEquals(List.of(), findings, "consistency findings");
    }

    /** Locations on the ring of node {@code i}, head to tail. */
    int[] nodeRing(int i) {
        return ring(KeyLocation.nodeAnchor(i), false);
    }

    /** Locations on the ring of node {@code i}, tail to head. */
    int[] nodeRingFromTail(int i) {
        return ring(KeyLocation.nodeAnchor(i), true);
    }

    private int[] ring(int anchor, boolean backwards) {
        int[] out = new int[0];
        for (int k = backwards ? keys.ringPrev(anchor) : keys.ringNext(anchor); k != anchor;
            k = backwards ? keys.ringPrev(k) : keys.ringNext(k)) {
            out = java.util.Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = k;
        }
        return out;
    }

    @Override
    public void close() {
        memory.close();
        if (objects instanceof AutoCloseable) {
            try {
                ((AutoCloseable) objects).close();
            } catch (Exception e) {
                throw new AssertionError("closing the source", e);
            }
        }
    }
}
