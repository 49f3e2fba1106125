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
 * Queued POST fire (kernel.md §11), kernel path only: {@value #POSTS} posts wait on one
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
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true"})
public class PostFireBenchmark {
    static final int POSTS = 1_000;

    @State(Scope.Thread)
    public static class Gate {
        PostFireSystem system;

        @Setup(Level.Trial)
        public void boot() {
            system = new PostFireSystem(POSTS);
        }

        /** Closes the gate and queues the posts again: they wait on the keeper's queue. */
        @Setup(Level.Invocation)
        public void park() {
            system.closeGate();
            system.queue(POSTS);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            system.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(POSTS)
    public int fire1kPerPost(Gate g) {
        int fired = g.system.release(POSTS);
        if (fired != POSTS || g.system.waiting() != 0) {
            throw new IllegalStateException("fired " + fired + " of " + POSTS + ", " + g.system.waiting() + " still waiting");
        }
        return fired;
    }
}
