package org.erosim.bench.ipc;

import java.util.concurrent.TimeUnit;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.space.PageTableCache;
import org.erosim.kernel.space.SegmentWalker;
import org.erosim.kernel.space.WalkResult;
import org.erosim.mmu.Mmu;
import org.erosim.mmu.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Address spaces (kernel.md §7, {@code docs/address-spaces.md}), with {@code -prof gc} to show
 * they allocate nothing. The space is a three-level tree (heights 3, 2, 1) with all nodes and
 * pages in memory.
 *
 * <ul>
 *   <li>{@code walk}: translate one address through the tree (three nodes, prepared keys).</li>
 *   <li>{@code faultAndInvalidate}: a page fault that walks and enters a PTE with its seven
 *   dependency edges, then the invalidation of that location: edges removed, PTE cleared,
 *   page table freed, TLB entry dropped.</li>
 *   <li>{@code unrelatedSlotWrite}: a key write to a slot no mapping depends on: the cost
 *   the page-table cache's listener adds to every key write (one hash probe).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Uncompressed oops: the kernel paths are chains of loads through the machine's objects
// to off-heap tables, each a compressed reference to decode (docs/performance.md, "Compressed oops").
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-XX:-UseCompressedOops"})
public class AddressSpaceBenchmark {
    static final int ADDRESS = 1 << 22 | 2 << 17 | 3 << 12 | 0x10;

    @State(Scope.Thread)
    public static class World {
        PhysicalMemory memory;
        ObjectCache cache;
        Keys keys;
        PageTableCache tables;
        SegmentWalker walker;
        final WalkResult result = new WalkResult();
        int space;
        int leafSlot;
        int unrelated;

        @Setup(Level.Trial)
        public void setUp() {
            memory = new PhysicalMemory(32 * PhysicalMemory.PAGE_SIZE);
            cache = new ObjectCache(new MemoryObjectSource(0x10000, 1024), 16, memory, PhysicalMemory.PAGE_SIZE, 8);
            keys = cache.keys();
            NodeTable nodes = cache.nodes();
            tables = new PageTableCache(cache, new Mmu(memory), 16 * PhysicalMemory.PAGE_SIZE, 16, 1024);
            keys.setListener(tables);
            walker = tables.walker();
            int holder = cache.newNode();
            int root = cache.newNode();
            int middle = cache.newNode();
            int leaf = cache.newNode();
            int page = cache.newPage();
            for (int n : new int[] {holder, root, middle, leaf}) {
                nodes.pin(n);
            }
            cache.frames().pin(page);
            space = KeyLocation.nodeSlot(holder, 2);
            keys.storeObjectKey(space, KeyType.SEGMENT, nodes.oid(root), 0, 0, 3);
            keys.storeObjectKey(KeyLocation.nodeSlot(root, 1), KeyType.SEGMENT, nodes.oid(middle), 0, 0, 2);
            keys.storeObjectKey(KeyLocation.nodeSlot(middle, 2), KeyType.SEGMENT, nodes.oid(leaf), 0, 0, 1);
            leafSlot = KeyLocation.nodeSlot(leaf, 3);
            keys.storeObjectKey(leafSlot, KeyType.PAGE, cache.frames().oid(page), 0, 0, 0);
            unrelated = KeyLocation.nodeSlot(holder, 9);
            if (!walker.walk(space, ADDRESS, true, result)) {
                throw new IllegalStateException("benchmark space does not translate: " + result.faultCode());
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            memory.close();
        }
    }

    @Benchmark
    public int walk(World w) {
        w.walker.walk(w.space, ADDRESS, false, w.result);
        return w.result.frame();
    }

    @Benchmark
    public long faultAndInvalidate(World w) {
        w.tables.handleFault(w.space, ADDRESS, false, w.result);
        w.tables.invalidateLocation(w.leafSlot);
        return w.tables.invalidations();
    }

    @Benchmark
    public int unrelatedSlotWrite(World w) {
        w.keys.storeNumber(w.unrelated, 1, 2, 3);
        return w.unrelated;
    }
}
