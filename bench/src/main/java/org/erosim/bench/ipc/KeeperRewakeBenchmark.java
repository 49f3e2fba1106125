package org.erosim.bench.ipc;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.kernel.sched.KeeperRewake;
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
 * Keeper rewake (kernel.md §10), kernel side: N sleepers are stalled on the busy keeper of a
 * red segment; one op per sleeper is its share of: overwrite the red segment's keeper slot
 * with a start key to the other (equally busy) keeper — {@link Keys#storeObjectKey}, the one
 * write path, whose {@link KeeperRewake} listener wakes the old keeper's queue — then each
 * woken sleeper is dispatched and stalls again on the new keeper's queue (its retry found it
 * busy too). The next invocation swaps back. Trap re-execution is not included; the
 * sleepers are detached activities, so N does not need N processes.
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
public class KeeperRewakeBenchmark {
    static final long KEEPER_A = 0x1000;
    static final long KEEPER_B = 0x1002;
    static final long RED = 0x1004;
    static final int KEEPER_SLOT = 4;

    /** Two busy (WAITING) keepers, a red segment kept by the first, N sleepers on its queue. */
    @State(Scope.Thread)
    public abstract static class Herd {
        PhysicalMemory memory;
        Scheduler scheduler;
        Keys keys;
        KeeperRewake rewake;
        int keeperSlot;
        int queueA;
        int queueB;
        boolean atA = true;

        abstract int sleepers();

        @Setup(Level.Trial)
        public void setUp() {
            int n = sleepers();
            MemoryObjectSource source = new MemoryObjectSource(0x10000, 16);
            UnsafeBuffer slots = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
            putProcess(source, slots, KEEPER_A);
            putProcess(source, slots, KEEPER_B);
            clear(slots);
            source.writeNode(new ObjectHeader().set(ObjectSource.KIND_NODE, RED, 0, 0), slots, 0);
            memory = new PhysicalMemory(4 * PhysicalMemory.PAGE_SIZE);
            ObjectCache cache = new ObjectCache(source, 16, memory, PhysicalMemory.PAGE_SIZE, 2);
            ProcessTable processes = new ProcessTable(cache, 4);
            ActivityTable table = new ActivityTable(n);
            scheduler = new Scheduler(cache, processes, table, WakePolicy.WAKE_ALL, 1_000_000);
            keys = cache.keys();
            rewake = new KeeperRewake(keys, cache.nodes(), processes, scheduler);
            keys.setListener(rewake);
            queueA = QueueId.process(scheduler.load(KEEPER_A));
            queueB = QueueId.process(scheduler.load(KEEPER_B));
            int red = cache.faultNode(RED);
            cache.nodes().pin(red);
            keys.storeNumber(KeyLocation.nodeSlot(red, RedSegmentFormat.FORMAT_SLOT),
                RedSegmentFormat.encode(1, KEEPER_SLOT, RedSegmentFormat.NONE, 0, 1), 0, 0);
            keeperSlot = KeyLocation.nodeSlot(red, KEEPER_SLOT);
            keys.storeObjectKey(keeperSlot, KeyType.START, KEEPER_A, 0, 0, 0);
            for (int i = 0; i < n; i++) {
                scheduler.stall(table.allocate(ActivityDescriptor.KIND_POST, i), queueA, 0);
            }
        }

        private static void clear(UnsafeBuffer slots) {
            for (int s = 0; s < 32; s++) {
                slots.setMemory(s * KeyDescriptor.LENGTH, 12, (byte) 0);
                slots.putInt(s * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
            }
        }

        /** A WAITING process: root at {@code root}, key registers at {@code root + 1}. */
        private static void putProcess(MemoryObjectSource source, UnsafeBuffer slots, long root) {
            clear(slots);
            source.writeNode(new ObjectHeader().set(ObjectSource.KIND_NODE, root + 1, 0, 0), slots, 0);
            int k = ProcessLayout.SLOT_KEY_REGISTERS * KeyDescriptor.LENGTH;
            slots.putLong(k, root + 1);
            slots.putInt(k + KeyDescriptor.TAIL_OFFSET, KeyType.NODE);
            for (int s = ProcessLayout.SLOT_FAULT_AND_STATE; s <= ProcessLayout.SLOT_RECEIVE; s++) {
                slots.putInt(s * KeyDescriptor.LENGTH + KeyDescriptor.TAIL_OFFSET, KeyType.NUMBER);
            }
            slots.putInt(ProcessLayout.SLOT_FAULT_AND_STATE * KeyDescriptor.LENGTH + KeyDescriptor.WORD2_OFFSET,
                ProcessLayout.WAITING);
            source.writeNode(new ObjectHeader().set(ObjectSource.KIND_NODE, root, 0, 0), slots, 0);
        }

        /** One rewake of all N and their re-stalls; returns the sleepers woken. */
        int swapKeeper() {
            int to = atA ? queueB : queueA;
            long before = rewake.sleepersWoken();
            keys.storeObjectKey(keeperSlot, KeyType.START, atA ? KEEPER_B : KEEPER_A, 0, 0, 0);
            atA = !atA;
            int woken = (int) (rewake.sleepersWoken() - before);
            if (woken != sleepers()) {
                // The op count is fixed (@OperationsPerInvocation): a short wake would show as a speed-up.
                throw new IllegalStateException("woke " + woken + " of " + sleepers() + " sleepers");
            }
            for (int i = 0; i < woken; i++) {
                if (scheduler.stall(scheduler.dispatch(), to, 0) != ResultCode.OK) {
                    throw new IllegalStateException("sleeper " + i + " did not stall again");
                }
            }
            return woken;
        }

        @TearDown(Level.Trial)
        public void close() {
            memory.close();
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

    @Benchmark
    @OperationsPerInvocation(1_000)
    public int rewake1kPerSleeper(Herd1k h) {
        return h.swapKeeper();
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public int rewake100kPerSleeper(Herd100k h) {
        return h.swapKeeper();
    }
}
