package org.erosim.bench.ipc;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
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
 * The key operations under every invocation (kernel.md §2): preparation, copy and swap of a
 * key, on the off-heap node table, with {@code -prof gc} to show they allocate nothing.
 *
 * <ul>
 *   <li>{@code prepare}: deprepare then prepare a node key whose node is in memory: OID
 *   lookup, count check, ring unlink and relink, two trips through the slot-write path.</li>
 *   <li>{@code prepareWithFaultIn}: write an unprepared key to one of 64 nodes and prepare it
 *   through an 8-node cache, so nearly every operation evicts a node (deprepare its ring,
 *   write it back if dirty) and faults one in from a {@link MemoryObjectSource}.</li>
 *   <li>{@code copy}: copy a prepared key to another slot (unlink the old key there, link
 *   the copy into the ring).</li>
 *   <li>{@code swap}: exchange two prepared keys to different objects (three copies through
 *   a kernel scratch register).</li>
 *   <li>{@code swapSlotThroughNodeKey}: the NODE SWAP_SLOT order: prepare the node key,
 *   check its restrictions, exchange a key with the slot.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The forked JVM is started with -cp, so the jar manifest's Add-Exports does not apply there.
// Agrona's bounds checks are off, as in production (docs/performance.md, "Agrona bounds checks"); tests keep them.
// Uncompressed oops: the kernel paths are chains of loads through the machine's objects
// to off-heap tables, each a compressed reference to decode (docs/performance.md, "Compressed oops").
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-XX:-UseCompressedOops"})
public class KeyOperationsBenchmark {
    static final long HOLDER = 0x1000;
    static final long FIRST_TARGET = 0x2000;
    static final long PAGE = 0x8000;
    static final int TARGETS = 64;

    /** A source of one holder node, 64 target nodes and a page, behind a cache of the given size. */
    @State(Scope.Thread)
    public static class World {
        PhysicalMemory memory;
        ObjectCache cache;
        Keys keys;
        int holder;
        int nodeKey;
        int pageKey;
        int other;
        int next;

        void build(int cachedNodes) {
            MemoryObjectSource source = new MemoryObjectSource(0x10000, 1024);
            UnsafeBuffer voids = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
            for (int s = 0; s < 32; s++) {
                voids.putInt(s * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
            }
            ObjectHeader header = new ObjectHeader();
            source.writeNode(header.set(ObjectSource.KIND_NODE, HOLDER, 0, 0), voids, 0);
            for (int t = 0; t < TARGETS; t++) {
                source.writeNode(header.set(ObjectSource.KIND_NODE, FIRST_TARGET + t, 0, 0), voids, 0);
            }
            source.writePage(header.set(ObjectSource.KIND_PAGE, PAGE, 0, 0),
                new UnsafeBuffer(new byte[ObjectSource.PAGE_LENGTH]), 0);
            memory = new PhysicalMemory(4 * PhysicalMemory.PAGE_SIZE);
            cache = new ObjectCache(source, cachedNodes, memory, PhysicalMemory.PAGE_SIZE, 2);
            keys = cache.keys();
            holder = cache.faultNode(HOLDER);
            cache.nodes().pin(holder);
            nodeKey = KeyLocation.nodeSlot(holder, 0);
            pageKey = KeyLocation.nodeSlot(holder, 1);
            other = KeyLocation.nodeSlot(holder, 2);
            keys.storeObjectKey(nodeKey, KeyType.NODE, FIRST_TARGET, 0, 0, 0);
            keys.storeObjectKey(pageKey, KeyType.PAGE, PAGE, 0, Restriction.READ_ONLY, 0);
            int target = keys.prepare(nodeKey);
            cache.nodes().pin(target);
            keys.prepare(pageKey);
            keys.copy(pageKey, other, 0);
        }

        @TearDown(Level.Trial)
        public void close() {
            memory.close();
        }
    }

    /** Everything fits: no eviction. */
    public static class Cached extends World {
        @Setup(Level.Trial)
        public void setUp() {
            build(TARGETS + 2);
        }
    }

    /** 8 nodes cached out of 65: preparation faults and evicts. */
    public static class Thrashing extends World {
        @Setup(Level.Trial)
        public void setUp() {
            build(8);
        }
    }

    @Benchmark
    public int prepare(Cached w) {
        w.keys.deprepare(w.nodeKey);
        return w.keys.prepare(w.nodeKey);
    }

    @Benchmark
    public int prepareWithFaultIn(Thrashing w) {
        int t = w.next = (w.next + 1) & (TARGETS - 1);
        int k = KeyLocation.nodeSlot(w.holder, 3);
        w.keys.storeObjectKey(k, KeyType.NODE, FIRST_TARGET + t, 0, 0, 0);
        return w.keys.prepare(k);
    }

    @Benchmark
    public int copy(Cached w) {
        int to = KeyLocation.nodeSlot(w.holder, 4 + (w.next = (w.next + 1) & 7));
        w.keys.copy(w.nodeKey, to, 0);
        return to;
    }

    @Benchmark
    public int swap(Cached w) {
        w.keys.swap(w.nodeKey, w.other);
        return w.nodeKey;
    }

    @Benchmark
    public int swapSlotThroughNodeKey(Cached w) {
        return w.keys.swapSlot(w.nodeKey, 7, w.pageKey, w.pageKey);
    }
}
