package org.erosim.bench.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Reg;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark machines do what InterpreterThroughputBenchmark says they do: the guests run
 * in flat protected mode with paging, the page walk really misses the TLB, and executing
 * pre-decoded code allocates nothing (the allocation guard behind the 0 B/op claim).
 */
class GuestMachineTest {
    private static final int SLICE = 1_000_000;

    private static GuestMachine boot(String program) {
        if (program.equals("compute")) {
            return new GuestMachine("compute", 0);
        }
        GuestMachine m = new GuestMachine("pagewalk", InterpreterThroughputBenchmark.ARRAY_PAGES);
        m.cpu().r[Reg.EBX] = GuestMachine.ARRAY_BASE;
        m.cpu().r[Reg.EBP] = InterpreterThroughputBenchmark.ARRAY_PAGES * PhysicalMemory.PAGE_SIZE - 1;
        return m;
    }

    @Test
    void computeLoopStaysInRegistersInThirtyTwoBitProtectedModeWithPaging() {
        try (GuestMachine m = boot("compute")) {
            m.run(SLICE);
            Cpu c = m.cpu();
            long walks = c.mmu.walkCount();
            m.run(SLICE);
            assertTrue(c.code32 && c.mmu.pagingEnabled() && c.cpl == 0, c::toString);
            assertEquals(SLICE * 2L, c.instructions);
            assertEquals(walks, c.mmu.walkCount(), "register-only code walks no page tables once warm");
        }
    }

    @Test
    void pageWalkMissesTheTlbAboutOnceEveryTenInstructions() {
        try (GuestMachine m = boot("pagewalk")) {
            m.run(SLICE); // every dirty bit set, every block decoded
            long walks = m.cpu().mmu.walkCount();
            m.run(SLICE);
            long perMillion = m.cpu().mmu.walkCount() - walks;
            assertTrue(perMillion > SLICE / 10, perMillion + " page walks per million instructions");
        }
    }

    /**
     * A slice that decodes nothing must allocate nothing. A budget that ends mid-block makes
     * the next run start at a new entry point, which is decoded (and allocates) once; so
     * slices are judged one by one, and enough of them must have decoded nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"compute", "pagewalk"})
    void executingDecodedBlocksAllocatesNothing(String program) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (GuestMachine m = boot(program)) {
            for (int k = 0; k < 10; k++) {
                m.run(SLICE); // warm: decode, dirty bits, JIT
            }
            int judged = 0;
            for (int k = 0; k < 20; k++) {
                long decoded = m.cpu().codeCache.blocksDecoded();
                long before = threads.getCurrentThreadAllocatedBytes();
                m.run(SLICE);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (m.cpu().codeCache.blocksDecoded() == decoded) {
                    assertEquals(0, allocated, program + ": bytes allocated by a million decoded instructions");
                    judged++;
                }
            }
            assertTrue(judged >= 5, "only " + judged + " slices ran without decoding");
        }
    }
}
