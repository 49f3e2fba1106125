package org.erosim.bench.ipc;

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
 * Queued POST fire (kernel.md §11), kernel path only: 1,000 (or 100,000) posts wait on one
 * closed kept red segment; one op per post is its share of opening the gate with one slot
 * write (keeper rewake of all of them) and then dispatching each woken post, which evaluates
 * the gate (open: its keeper slot holds no start key any more), fires, and is dropped (its
 * target is the void key, so there is no delivery to a process: that part costs what a SEND
 * costs, see roundTrip/send). Queueing the posts again is per-invocation setup, not timed.
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
public class PostFireBenchmark {
    /** The posts of one gate, closed, booted once per trial; each invocation queues them again. */
    @State(Scope.Thread)
    public abstract static class Gate {
        PostFireSystem system;

        abstract int posts();

        @Setup(Level.Trial)
        public void boot() {
            system = new PostFireSystem(posts());
        }

        /** Closes the gate and queues the posts again: they wait on the keeper's queue. */
        @Setup(Level.Invocation)
        public void park() {
            system.closeGate();
            system.queue(posts());
        }

        /** Opens the gate and runs the woken posts; fails unless every one fired. */
        int release() {
            int n = posts();
            int fired = system.release(n);
            if (fired != n || system.waiting() != 0) {
                // The op count is fixed (@OperationsPerInvocation): a short fire would show as a speed-up.
                throw new IllegalStateException("fired " + fired + " of " + n + ", " + system.waiting() + " still waiting");
            }
            return fired;
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            system.close();
        }
    }

    @State(Scope.Thread)
    public static class Gate1k extends Gate {
        @Override
        int posts() {
            return 1_000;
        }
    }

    /** As many posts as KeeperRewakeBenchmark's larger herd: how the fire scales. */
    @State(Scope.Thread)
    public static class Gate100k extends Gate {
        @Override
        int posts() {
            return 100_000;
        }
    }

    @Benchmark
    @OperationsPerInvocation(1_000)
    public int fire1kPerPost(Gate1k g) {
        return g.release();
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public int fire100kPerPost(Gate100k g) {
        return g.release();
    }
}
