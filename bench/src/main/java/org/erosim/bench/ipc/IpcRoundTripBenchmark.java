package org.erosim.bench.ipc;

import java.util.concurrent.TimeUnit;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.KernelPathDriver;
import org.erosim.kernel.run.RunEnd;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * IPC through gate keys between processes in different address spaces (kernel.md §4,
 * quality.md "IPC round trip"), on a booted {@link KernelMachine} ({@link IpcSystem}: an echo
 * server and CALLing or SENDing clients, all ring-3 guest code):
 *
 * <ul>
 *   <li>{@code roundTripGuest}: one null round trip with the guest code: the client's CALL
 *   on the start key (4 words, no keys, no string; the kernel fabricates the resume key),
 *   the server's {@code xor; jmp; int 0x31} RETURN on that resume key (consumed), the
 *   client's {@code inc; xor; jmp; int 0x31} back to its CALL. Two traps, two gate
 *   invocations, two context and address-space switches, run by the dispatcher loop and the
 *   interpreter. Quality target: 150 ns, 0 B.</li>
 *   <li>{@code roundTripKernel}: the same round trip on the kernel path only
 *   ({@link KernelPathDriver}): the client's CALL trap and the server's RETURN trap are
 *   handled as in a run, but no guest instruction executes between them. Target: 50 ns, 0 B.</li>
 *   <li>{@code send}: kernel path: the client SENDs to the AVAILABLE server (the server gets
 *   an activity of its own, the client stays RUNNING), the client yields the processor (as
 *   at a slice end), the server RETURNs on its void key register 4 and is AVAILABLE again.
 *   Without the yield the client's next SEND would find the server busy and stall.</li>
 *   <li>{@code stallAndWakeOne}: kernel path, two clients and the server: a client CALLs
 *   the server while it serves the other client and stalls on the server's queue; the
 *   server's RETURN to the other client wakes it (wake-all of one sleeper); it re-executes
 *   its trap and its CALL commits. One op = those three traps: one stall, one wake, one
 *   retry, one round trip.</li>
 *   <li>{@code stallAndWakeOneGuest}: the same cycle with the guest code, in the dispatcher.</li>
 * </ul>
 *
 * <p>The auxiliary counter {@code cycles} counts emulated cycles (guest instructions plus the
 * kernel's cost-model charges); {@code erosim bench} shows it per operation, the emulated
 * cost of a null round trip (kernel.md §14). Every benchmark checks that its operations
 * happened (traps left the processor as expected, gate invocations committed) and throws
 * otherwise, so a broken system is not timed.
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
public class IpcRoundTripBenchmark {
    /** Operations per JMH invocation of the dispatcher-driven (guest) benchmarks. */
    static final int GUEST_OPS = 64;

    /** One echo server and one client calling it. */
    @State(Scope.Thread)
    public static class Caller {
        IpcSystem system;

        @Setup(Level.Trial)
        public void boot() {
            system = new IpcSystem(1, false);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            system.close();
        }
    }

    /** One echo server and one client sending to it. */
    @State(Scope.Thread)
    public static class Sender {
        IpcSystem system;

        @Setup(Level.Trial)
        public void boot() {
            system = new IpcSystem(1, true);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            system.close();
        }
    }

    /**
     * One echo server and two clients calling it, in the stall-and-wake cycle: the first
     * client's first CALL has committed, so the server is busy and the second client's CALL
     * is next.
     */
    @State(Scope.Thread)
    public static class TwoCallers {
        IpcSystem system;

        @Setup(Level.Trial)
        public void boot() {
            system = new IpcSystem(2, false);
            if (system.driver.trap() != KernelPathDriver.LEFT || system.machine.gateInvocations() != 1) {
                throw new IllegalStateException("the first client's CALL did not commit: " + system.machine.report());
            }
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            system.close();
        }
    }

    /** Emulated cycles of the iteration; {@code erosim bench} reports them per operation. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Cycles {
        public long cycles;

        @Setup(Level.Iteration)
        public void reset() {
            cycles = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(GUEST_OPS)
    public long roundTripGuest(Caller s, Cycles counter) {
        return runGuest(s.system.machine, 2L * GUEST_OPS, counter);
    }

    @Benchmark
    public long roundTripKernel(Caller s, Cycles counter) {
        KernelMachine m = s.system.machine;
        KernelPathDriver d = s.system.driver;
        long cycles = m.cpu.cycles;
        int call = d.trap();
        int reply = d.trap();
        if (call != KernelPathDriver.LEFT | reply != KernelPathDriver.LEFT) {
            throw failed("round trip", call, reply, m);
        }
        counter.cycles += m.cpu.cycles - cycles;
        return m.gateInvocations();
    }

    @Benchmark
    public long send(Sender s, Cycles counter) {
        KernelMachine m = s.system.machine;
        KernelPathDriver d = s.system.driver;
        long cycles = m.cpu.cycles;
        int send = d.trap();
        d.yieldRunning();
        int reply = d.trap();
        if (send != KernelPathDriver.RESUMED | reply != KernelPathDriver.LEFT) {
            throw failed("SEND", send, reply, m);
        }
        counter.cycles += m.cpu.cycles - cycles;
        return m.gateInvocations();
    }

    @Benchmark
    public long stallAndWakeOne(TwoCallers s, Cycles counter) {
        KernelMachine m = s.system.machine;
        KernelPathDriver d = s.system.driver;
        long cycles = m.cpu.cycles;
        long gates = m.gateInvocations();
        int stall = d.trap();
        int reply = d.trap();
        int retry = d.trap();
        // The stall commits nothing; the RETURN and the retried CALL are gate invocations.
        if (stall != KernelPathDriver.LEFT | reply != KernelPathDriver.LEFT | retry != KernelPathDriver.LEFT
            || m.gateInvocations() - gates != 2) {
            throw failed("stall and wake", stall, reply, m);
        }
        counter.cycles += m.cpu.cycles - cycles;
        return m.gateInvocations();
    }

    @Benchmark
    @OperationsPerInvocation(GUEST_OPS)
    public long stallAndWakeOneGuest(TwoCallers s, Cycles counter) {
        // Each op: the RETURN that wakes the stalled client and that client's retried CALL.
        return runGuest(s.system.machine, 2L * GUEST_OPS, counter);
    }

    /** Runs the guests until {@code gates} more gate invocations have committed. */
    private static long runGuest(KernelMachine m, long gates, Cycles counter) {
        long cycles = m.cpu.cycles;
        long target = m.gateInvocations() + gates;
        RunEnd end = m.runGateInvocations(gates, Long.MAX_VALUE);
        if (end != RunEnd.CYCLE_LIMIT || m.gateInvocations() != target) {
            throw new IllegalStateException("the guests stopped: " + end + " " + m.report());
        }
        counter.cycles += m.cpu.cycles - cycles;
        return target;
    }

    private static IllegalStateException failed(String what, int first, int second, KernelMachine m) {
        return new IllegalStateException(what + " did not happen (trap outcomes " + first + ", " + second + "): "
            + m.report());
    }
}
