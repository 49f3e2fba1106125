package org.erosim.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.testing.AllocationGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel.md §15 for the dispatcher and the kernel-key invocation path: once warm, a run of
 * two processes trapping into the kernel (NUMBER GET, SYSTRACE MARK, SEND to void) and
 * being preempted by time slices allocates nothing on the host; nor does a process invoking
 * the process, page, sleep, systrace and checkpoint orders, nor gate round trips.
 */
class RunAllocationTest {
    @TempDir
    Path dir;

    @Test
    void steadyStateTrapsInvocationsAndPreemptionsAllocateNothing() throws Exception {
        Path img = new RunFixture(dir).image("run-spin");
        RunOptions options = new RunOptions();
        options.slice = 2_000;
        try (ImageRun run = new ImageRun(img, options, new ByteArrayOutputStream())) {
            KernelMachine m = run.machine();
            // Boot and warm up: page tables filled, blocks compiled, and long enough for the
            // JIT to settle (C1/C2 transitions allocate a few bytes now and then before that).
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(20_000_000));
            AllocationGuard.assertSteadyState("2M cycles of traps and invocations", () -> {
                long marksBefore = m.marks();
                long before = AllocationGuard.allocatedBytes();
                RunEnd end = m.run(m.cpu.cycles + 2_000_000);
                long allocated = AllocationGuard.allocatedBytes() - before;
                assertEquals(RunEnd.CYCLE_LIMIT, end);
                assertTrue(m.marks() - marksBefore > 1_000, "the guests kept invoking: " + (m.marks() - marksBefore));
                return allocated;
            }, 3, 30);
        }
    }

    @Test
    void steadyStateProcessPageSleepCounterAndCheckpointOrdersAllocateNothing() throws Exception {
        Path img = new RunFixture(dir).image("run-orders-spin");
        try (ImageRun run = new ImageRun(img, new RunOptions(), new ByteArrayOutputStream())) {
            KernelMachine m = run.machine();
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(20_000_000));
            AllocationGuard.assertSteadyState("2M cycles of kernel-key orders", () -> {
                long marksBefore = m.marks();
                long before = AllocationGuard.allocatedBytes();
                RunEnd end = m.run(m.cpu.cycles + 2_000_000);
                long allocated = AllocationGuard.allocatedBytes() - before;
                assertEquals(RunEnd.CYCLE_LIMIT, end);
                assertTrue(m.marks() - marksBefore > 50, "the guest kept invoking: " + (m.marks() - marksBefore));
                return allocated;
            }, 3, 30);
        }
    }

    @Test
    void steadyStateGateCallsAndResumeReturnsAllocateNothing() throws Exception {
        Path img = new RunFixture(dir).image("run-bench");
        // Warm the JIT on whole runs of the benchmark (1024 round trips, about 600 000 cycles each).
        for (int i = 0; i < 15; i++) {
            try (ImageRun warm = new ImageRun(img, new RunOptions(), new ByteArrayOutputStream())) {
                assertEquals(RunEnd.STOPPED, warm.run());
            }
        }
        // One round = one fresh run: its first 200 000 cycles fill page tables and code cache,
        // the next 200 000 are measured.
        AllocationGuard.assertSteadyState("200 000 cycles of CALL/RETURN round trips", () -> {
            try (ImageRun run = new ImageRun(img, new RunOptions(), new ByteArrayOutputStream())) {
                KernelMachine m = run.machine();
                assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(200_000));
                long gatesBefore = m.gateInvocations();
                long before = AllocationGuard.allocatedBytes();
                RunEnd end = m.run(m.cpu.cycles + 200_000);
                long allocated = AllocationGuard.allocatedBytes() - before;
                assertEquals(RunEnd.CYCLE_LIMIT, end);
                assertTrue(m.gateInvocations() - gatesBefore > 300, "round trips happened: "
                    + (m.gateInvocations() - gatesBefore));
                return allocated;
            }
        }, 3, 15);
    }
}
