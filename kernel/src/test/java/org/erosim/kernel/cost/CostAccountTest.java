package org.erosim.kernel.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charging into per-cost counters and the total, and the breakdown table. */
class CostAccountTest {
    @TempDir
    Path dir;

    @Test
    void chargesAccumulatePerCostAndInTotalAndReturnTheCyclesCharged() {
        CostModel m = CostModel.defaults();
        CostAccount a = new CostAccount(m);
        assertEquals(m.trapEntry, a.charge(CostModel.TRAP_ENTRY));
        assertEquals(m.trapEntry, a.charge(CostModel.TRAP_ENTRY));
        assertEquals(4L * m.wordCopy, a.charge(CostModel.WORD_COPY, 4));
        assertEquals(0L, a.charge(CostModel.WAKEUP_PER_SLEEPER, 0));
        assertEquals(2 * m.stringCopyPer16Bytes, a.chargeString(17));
        assertEquals(2L * m.trapEntry, a.cycles(CostModel.TRAP_ENTRY));
        assertEquals(2, a.count(CostModel.TRAP_ENTRY));
        assertEquals(4, a.count(CostModel.WORD_COPY));
        assertEquals(0, a.count(CostModel.WAKEUP_PER_SLEEPER));
        assertEquals(2, a.count(CostModel.STRING_COPY_PER_16_BYTES));
        long sum = 0;
        for (int id = 0; id < CostModel.COUNT; id++) {
            sum += a.cycles(id);
        }
        assertEquals(2L * m.trapEntry + 4L * m.wordCopy + 2L * m.stringCopyPer16Bytes, a.total());
        assertEquals(sum, a.total());
        a.reset();
        assertEquals(0, a.total());
        assertEquals(0, a.count(CostModel.TRAP_ENTRY));
    }

    @Test
    void chargesUseTheOverriddenModel() throws Exception {
        Path f = Files.writeString(dir.resolve("o.costs"), "post_fire = 1000\n");
        CostAccount a = new CostAccount(CostModel.defaults().withOverrides(f));
        a.charge(CostModel.POST_FIRE, 3);
        assertEquals(3000, a.total());
    }

    @Test
    void breakdownListsChargedCostsInIdOrderWithUnitsCyclesShareAndTotal() throws Exception {
        Path f = Files.writeString(dir.resolve("o.costs"), "trap_entry = 1500\ntrap_exit = 500\n");
        CostAccount a = new CostAccount(CostModel.defaults().withOverrides(f));
        a.charge(CostModel.TRAP_EXIT);
        a.charge(CostModel.TRAP_ENTRY, 2);
        a.charge(CostModel.TRAP_EXIT);
        assertEquals(""
            + "kernel cost                         units           cycles   share\n"
            + "trap_entry                              2            3,000   75.0%\n"
            + "trap_exit                               2            1,000   25.0%\n"
            + "total                                                4,000  100.0%\n",
            a.breakdown().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void breakdownOfAnEmptyAccountIsJustTheTotal() {
        assertEquals(""
            + "kernel cost                         units           cycles   share\n"
            + "total                                                    0    0.0%\n",
            new CostAccount(CostModel.defaults()).breakdown().replace(System.lineSeparator(), "\n"));
    }
}
