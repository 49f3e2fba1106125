package org.erosim.bench.cpu;

import java.util.concurrent.TimeUnit;
import org.erosim.cpu.Reg;
import org.erosim.mmu.PhysicalMemory;
import org.erosim.mmu.Tlb;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Raw interpreter throughput: guest instructions per second of host time, in 32-bit flat
 * protected mode at ring 0 with 4 KiB paging on (see {@link GuestMachine}).
 *
 * <ul>
 *   <li>{@code compute}: a register-only integer loop ({@code guest/compute.S}): decoding is
 *   amortised by the block cache, so this is the per-instruction dispatch and lazy-flags cost.</li>
 *   <li>{@code pageWalk}: a loop that walks a 16 MiB array with a page stride and random-ish
 *   accesses ({@code guest/pagewalk.S}); the array spans four times as many pages as the
 *   software TLB has entries, so most data accesses take the TLB-miss path and walk the page
 *   tables.</li>
 * </ul>
 *
 * <p>One operation is {@link #SLICE} = 1,000,000 guest instructions, so the primary score in
 * ops/s reads directly as MIPS. The auxiliary counter {@code instructions} reports the same
 * work in instructions per second. {@code -prof gc} gives B/op per million instructions;
 * the design goal is zero.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// The forked JVM is started with -cp, so the jar manifest's Add-Exports does not apply there.
// Agrona's bounds checks are off, as in production (docs/performance.md, "Agrona bounds checks"); tests keep them.
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true"})
public class InterpreterThroughputBenchmark {
    /** Guest instructions per JMH operation. */
    public static final int SLICE = 1_000_000;
    /** 16 MiB: four times the pages the direct-mapped software TLB holds. */
    static final int ARRAY_PAGES = 4 * Tlb.SIZE;

    /** The machine running {@code guest/compute.S}. */
    @State(Scope.Thread)
    public static class ComputeGuest {
        GuestMachine machine;

        @Setup(Level.Trial)
        public void boot() {
            machine = new GuestMachine("compute", 0);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            machine.close();
        }
    }

    /** The machine running {@code guest/pagewalk.S} over its data array. */
    @State(Scope.Thread)
    public static class PageWalkGuest {
        GuestMachine machine;

        @Setup(Level.Trial)
        public void boot() {
            machine = new GuestMachine("pagewalk", ARRAY_PAGES);
            machine.cpu().r[Reg.EBX] = GuestMachine.ARRAY_BASE;
            machine.cpu().r[Reg.EBP] = ARRAY_PAGES * PhysicalMemory.PAGE_SIZE - 1;
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            machine.close();
        }
    }

    /**
     * Guest instructions executed in the current iteration; JMH reports them per second.
     * {@code erosim bench} derives MIPS from a counter of this name (tools' BenchSummary).
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Instructions {
        public long instructions;

        @Setup(Level.Iteration)
        public void reset() {
            instructions = 0;
        }
    }

    @Benchmark
    public void compute(ComputeGuest guest, Instructions counter) {
        guest.machine.run(SLICE);
        counter.instructions += SLICE;
    }

    @Benchmark
    public void pageWalk(PageWalkGuest guest, Instructions counter) {
        guest.machine.run(SLICE);
        counter.instructions += SLICE;
    }
}
