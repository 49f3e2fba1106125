package org.erosim.bench.ipc;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.kernel.sched.QueueId;
import org.erosim.kernel.sched.Scheduler;
import org.erosim.kernel.sched.WakePolicy;
import org.erosim.mmu.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stall queues (kernel.md §6), scheduler side only (no trap, no gate check):
 *
 * <ul>
 *   <li>{@code stallAndWakeOne}: dispatch one activity, stall it on a node's queue, wake the
 *   queue (wake-all policy, one sleeper): one full stall/wake cycle.</li>
 *   <li>{@code wakeStorm1k/100k/1mPerSleeper}: wake-all of N sleepers on one node queue, then each is
 *   dispatched and re-stalls on the same queue (the retry found the gate closed). Reported per
 *   sleeper ({@code @OperationsPerInvocation(N)}), the quantity of quality.md's "wakeup
 *   storm" row (trap re-execution not included).</li>
 * </ul>
 * The sleepers are detached (post) activities, so N does not need N processes.
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
public class StallWakeBenchmark {
    static final long NODE = 0x1000;

    /** A cache with one pinned node, whose stall queue the activities use. */
    @State(Scope.Thread)
    public static class World {
        PhysicalMemory memory;
        Scheduler scheduler;
        int queue;

        void build(int activities) {
            MemoryObjectSource source = new MemoryObjectSource(0x10000, 16);
            UnsafeBuffer voids = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
            for (int s = 0; s < 32; s++) {
                voids.putInt(s * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
            }
            source.writeNode(new ObjectHeader().set(ObjectSource.KIND_NODE, NODE, 0, 0), voids, 0);
            memory = new PhysicalMemory(4 * PhysicalMemory.PAGE_SIZE);
            ObjectCache cache = new ObjectCache(source, 4, memory, PhysicalMemory.PAGE_SIZE, 2);
            ProcessTable processes = new ProcessTable(cache, 1);
            ActivityTable table = new ActivityTable(activities);
            scheduler = new Scheduler(cache, processes, table, WakePolicy.WAKE_ALL, 1_000_000);
            int node = cache.faultNode(NODE);
            cache.nodes().pin(node);
            queue = QueueId.node(node);
            for (int i = 0; i < activities; i++) {
                int a = table.allocate(ActivityDescriptor.KIND_POST, i);
                scheduler.stall(a, queue, 0);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            memory.close();
        }
    }

    @State(Scope.Thread)
    public static class One extends World {
        @Setup(Level.Trial)
        public void setUp() {
            build(1);
            scheduler.wakeAll(queue);
        }
    }

    /** N sleepers on the node's queue; JMH needs a constant per method for per-sleeper scores. */
    @State(Scope.Thread)
    public abstract static class Herd extends World {
        abstract int sleepers();

        @Setup(Level.Trial)
        public void setUp() {
            build(sleepers());
        }
    }

    @State(Scope.Thread)
    public static class Herd1k extends Herd {
        @Override
        int sleepers() {
            return 1_000;
        }
    }

    @State(Scope.Thread)
    public static class Herd100k extends Herd {
        @Override
        int sleepers() {
            return 100_000;
        }
    }

    @State(Scope.Thread)
    public static class Herd1m extends Herd {
        @Override
        int sleepers() {
            return 1_000_000;
        }
    }

    @Benchmark
    public int stallAndWakeOne(One w) {
        Scheduler s = w.scheduler;
        int a = s.dispatch();
        s.stall(a, w.queue, 0);
        return s.wake(w.queue);
    }

    @Benchmark
    @OperationsPerInvocation(1_000)
    public long wakeStorm1kPerSleeper(Herd1k w) {
        return storm(w);
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public long wakeStorm100kPerSleeper(Herd100k w) {
        return storm(w);
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long wakeStorm1mPerSleeper(Herd1m w) {
        return storm(w);
    }

    static long storm(Herd w) {
        Scheduler s = w.scheduler;
        long n = s.wakeAll(w.queue);
        for (int a = s.dispatch(); a != ActivityDescriptor.NONE; a = s.dispatch()) {
            s.stall(a, w.queue, 0);
        }
        return n;
    }
}
