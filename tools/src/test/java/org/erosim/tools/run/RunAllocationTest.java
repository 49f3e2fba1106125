package org.erosim.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel.md §15 for the dispatcher and the kernel-key invocation path: once warm, a run of
 * two processes trapping into the kernel (NUMBER GET, SYSTRACE MARK, SEND to void) and
 * being preempted by time slices allocates nothing on the host; nor does a process invoking
 * the process, page, sleep, systrace and checkpoint orders, nor gate round trips.
 */
class RunAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    /** One measured round: runs some kernel work and returns the bytes the thread allocated meanwhile. */
    @FunctionalInterface
    private interface Round {
        long allocated(long threadId) throws Exception;
    }

    /**
     * Steady state = 3 consecutive rounds that allocate 0 bytes, within {@code maxRounds}: a
     * JIT deoptimisation now and then allocates a few hundred bytes once, while an allocation
     * on the measured path would show in every round.
     */
    private static void assertThreeCleanRounds(String what, int maxRounds, Round round) throws Exception {
        long tid = Thread.currentThread().getId();
        StringBuilder history = new StringBuilder();
        int clean = 0;
        for (int r = 0; clean < 3; r++) {
            assertTrue(r < maxRounds, "bytes allocated by " + what + ", per round: " + history);
            long allocated = round.allocated(tid);
            history.append(allocated).append(' ');
            clean = allocated == 0 ? clean + 1 : 0;
        }
    }


    @Test
    void steadyStateTrapsInvocationsAndPreemptionsAllocateNothing() throws Exception {
        Path img = dir.resolve("spin.img");
        int mk = Main.execute(new String[] {"mkimage", "src/test/resources/images/run-spin.erosys", "-o", img.toString()},
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertEquals(0, mk);
        RunOptions options = new RunOptions();
        options.slice = 2_000;
        try (ImageRun run = new ImageRun(img, options, new ByteArrayOutputStream())) {
            KernelMachine m = run.machine();
            // Boot and warm up: page tables filled, blocks compiled, and long enough for the
            // JIT to settle (C1/C2 transitions allocate a few bytes now and then before that).
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(20_000_000));
            assertThreeCleanRounds("2M cycles of traps and invocations", 30, tid -> {
                long marksBefore = m.marks();
                long before = THREADS.getThreadAllocatedBytes(tid);
                RunEnd end = m.run(m.cpu.cycles + 2_000_000);
                long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
                assertEquals(RunEnd.CYCLE_LIMIT, end);
                assertTrue(m.marks() - marksBefore > 1_000, "the guests kept invoking: " + (m.marks() - marksBefore));
                return allocated;
            });
        }
    }
    @Test
    void steadyStateProcessPageSleepCounterAndCheckpointOrdersAllocateNothing() throws Exception {
        Path img = dir.resolve("orders-spin.img");
        int mk = Main.execute(new String[] {"mkimage", "src/test/resources/images/run-orders-spin.erosys", "-o",
            img.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertEquals(0, mk);
        try (ImageRun run = new ImageRun(img, new RunOptions(), new ByteArrayOutputStream())) {
            KernelMachine m = run.machine();
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(20_000_000));
            assertThreeCleanRounds("2M cycles of kernel-key orders", 30, tid -> {
                long marksBefore = m.marks();
                long before = THREADS.getThreadAllocatedBytes(tid);
                RunEnd end = m.run(m.cpu.cycles + 2_000_000);
                long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
                assertEquals(RunEnd.CYCLE_LIMIT, end);
                assertTrue(m.marks() - marksBefore > 50, "the guest kept invoking: " + (m.marks() - marksBefore));
                return allocated;
            });
        }
    }

    @Test
    void steadyStateGateCallsAndResumeReturnsAllocateNothing() throws Exception {
        Path img = dir.resolve("bench.img");
        int mk = Main.execute(new String[] {"mkimage", "src/test/resources/images/run-bench.erosys", "-o", img.toString()},
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertEquals(0, mk);
        // Warm the JIT on whole runs of the benchmark (1024 round trips, about 600 000 cycles each).
        for (int i = 0; i < 15; i++) {
            try (ImageRun warm = new ImageRun(img, new RunOptions(), new ByteArrayOutputStream())) {
                assertEquals(RunEnd.STOPPED, warm.run());
            }
        }
        // One round = one fresh run: its first 200 000 cycles fill page tables and code cache,
        // the next 200 000 are measured.
        assertThreeCleanRounds("200 000 cycles of CALL/RETURN round trips", 15, tid -> {
            try (ImageRun run = new ImageRun(img, new RunOptions(), new ByteArrayOutputStream())) {
                KernelMachine m = run.machine();
                assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(200_000));
                long gatesBefore = m.gateInvocations();
                long before = THREADS.getThreadAllocatedBytes(tid);
                RunEnd end = m.run(m.cpu.cycles + 200_000);
                long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
                assertEquals(RunEnd.CYCLE_LIMIT, end);
                assertTrue(m.gateInvocations() - gatesBefore > 300, "round trips happened: "
                    + (m.gateInvocations() - gatesBefore));
                return allocated;
            }
        });
    }
}
