package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;
import static org.erosim.tools.run.RunFixture.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Cli;
import org.erosim.tools.run.RunFixture.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment keepers (kernel.md §9) end to end (demand-zero.erosys): a demand-zero keeper
 * supplies new zero pages to a process touching a kept red segment mapped into its space,
 * and the fault it declines goes on to the process keeper.
 */
class SegmentKeeperRunTest {
    @TempDir
    Path dir;

    @Test
    void aDemandZeroKeeperSuppliesPagesAndADeclinedFaultGoesToTheProcessKeeper() throws Exception {
        Path img = new RunFixture(dir).image("demand-zero");
        Cli run = cli("run", img.toString(), "--stats");
        StringBuilder expected = new StringBuilder();
        for (int slot = 0; slot < 16; slot++) {
            expected.append(String.format("demand-zero: fault 00000004 at offset %08x: new zero page in slot %d%n",
                slot * 4096, slot));
        }
        expected.append("demand-user: 16 pages, contents ok\n");
        expected.append("demand-zero: fault 00000004 at offset 00010000: declined\n");
        // The process keeper sees the same fault: code INVALID_ADDR, info = the linear address.
        expected.append("keeper: badge 00000009 fault 00000004 info 30010000 registers ok, decline\n");
        assertEquals(expected.toString(), run.out());
        assertEquals(1, run.status());
        assertTrue(run.err().contains("halted: fault INVALID_ADDR (4), declined by its keeper (result 0x1)"), run.err());
        assertTrue(run.err().contains("keepers: upcalls 18 (segment keepers 17)"), run.err());

        Outcome o = runChecked(img, new RunOptions());
        assertEquals(RunEnd.HALTED, o.end());
        assertEquals(1, o.report().size());
        int faults = 0;
        for (int f : o.faultCodes()) {
            faults += f == FaultCode.INVALID_ADDR ? 1 : 0;
        }
        assertEquals(1, faults, "only the user is left faulted");
    }
}
