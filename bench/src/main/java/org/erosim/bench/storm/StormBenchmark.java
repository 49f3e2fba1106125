package org.erosim.bench.storm;

import java.util.concurrent.TimeUnit;
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
 * {@code erosim bench storm}: host nanoseconds per woken sleeper — wake, retry and re-stall —
 * for N = 10³ … 10⁶ real guest processes (quality.md's wakeup-storm row). The system is
 * {@link StormSystem#buildHerd}'s: N callers of a kept red segment, stalled on its busy
 * keeper, and a second keeper that is busy too. One operation is one storm: a write of the
 * red segment's keeper slot (through the kernel's slot-write path, so keeper rewake wakes the
 * whole queue), after which the kernel dispatches every sleeper, resumes it in ring 3, the
 * guest re-executes its {@code INT 0x31}, the invocation path decodes the descriptor, follows
 * the red segment to the new keeper, finds it busy and stalls the sleeper on its queue. The
 * score is per sleeper ({@code @OperationsPerInvocation(N)}).
 *
 * <p>Building the million-process system takes several seconds and about 2 GB of off-heap
 * tables; each trial builds its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Forked with -cp, where the jar manifest's exports do not apply; the store file (Chronicle
// Bytes) needs the same flags as the CLI. Uncompressed oops as for the ipc suite
// (docs/performance.md, "Compressed oops").
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-XX:+UseParallelGC",
    "-Dagrona.disable.bounds.checks=true", "-XX:-UseCompressedOops"})
public class StormBenchmark {
    /** A settled herd of N sleepers; JMH needs a constant per method for per-sleeper scores. */
    @State(Scope.Thread)
    public abstract static class Herd {
        StormSystem system;

        abstract int sleepers();

        @Setup(Level.Trial)
        public void setUp() {
            system = StormSystem.buildHerd(sleepers());
            system.settle();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
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
    public static class Herd10k extends Herd {
        @Override
        int sleepers() {
            return 10_000;
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
    @OperationsPerInvocation(1_000)
    public long wakeRetryRestall1kPerSleeper(Herd1k h) {
        return h.system.swapKeeper();
    }

    @Benchmark
    @OperationsPerInvocation(10_000)
    public long wakeRetryRestall10kPerSleeper(Herd10k h) {
        return h.system.swapKeeper();
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public long wakeRetryRestall100kPerSleeper(Herd100k h) {
        return h.system.swapKeeper();
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long wakeRetryRestall1mPerSleeper(Herd1m h) {
        return h.system.swapKeeper();
    }
}
