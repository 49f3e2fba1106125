package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;
import static org.erosim.tools.run.RunFixture.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Cli;
import org.erosim.tools.run.RunFixture.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red segments as gates (kernel.md §8) and keeper rewake (§10), end to end: rseg-rewake.erosys
 * has four clients calling one kept red segment, a keeper busy with a long first job, a
 * second keeper and a switcher that swaps the second keeper into the keeper slot while the
 * other clients are parked on the first.
 */
class RedSegmentRunTest {
    @TempDir
    Path dir;

    /** Lines every run prints first: client 1 reached keeper 1 through the red segment. */
    private static final String START = String.join("\n",
        "keeper 1: order 42 from client 1, red segment format 00107c81", // key 2 = node key to the red segment
        "switcher: keeper slot swapped, result 00000000",
        "");

    private static String served(int client, int keeper) {
        return String.format("keeper %d: order 42 from client %d, red segment format 00107c81%n"
            + "client %d: served by keeper %d%n", keeper, client, client, keeper);
    }

    private static final String KEEPER1_REPLIES = "keeper 1: replying after a long job\n" + "client 1: served by keeper 1\n";

    @Test
    void withRewakeTheParkedClientsAreServedByTheNewKeeperWhileTheOldOneIsBusy() throws Exception {
        Path img = new RunFixture(dir).image("rseg-rewake");
        Cli run = cli("run", img.toString(), "--stats");
        assertEquals(0, run.status(), run.err());
        assertEquals(START + served(2, 2) + served(3, 2) + served(4, 2) + KEEPER1_REPLIES, run.out());
        assertTrue(run.err().contains("keeper rewake on: rewakes 1, sleepers woken 3"), run.err());
        assertTrue(run.err().contains("red segment invocations redirected to a keeper 10"), run.err());

        Outcome o = runChecked(img, new RunOptions());
        assertEquals(RunEnd.IDLE, o.end());
        assertEquals(List.of(), o.report());
    }

    @Test
    void withoutRewakeTheyStayParkedUntilTheOldKeeperReplies() throws Exception {
        Path img = new RunFixture(dir).image("rseg-rewake");
        Cli run = cli("run", img.toString(), "--no-keeper-rewake", "--stats");
        assertEquals(0, run.status(), run.err());
        // The flaw: nobody is served until keeper 1 is AVAILABLE again; then the retries are
        // redirected to keeper 2, the keeper the red segment names now.
        assertEquals(START + KEEPER1_REPLIES + served(2, 2) + served(3, 2) + served(4, 2), run.out());
        assertTrue(run.err().contains("keeper rewake off: rewakes 0, sleepers woken 0"), run.err());

        RunOptions off = new RunOptions();
        off.keeperRewake = false;
        Outcome o = runChecked(img, off);
        assertEquals(RunEnd.IDLE, o.end());
        // Both orders are deterministic; the fix serves the three parked clients sooner.
        Outcome on = runChecked(img, new RunOptions());
        assertTrue(on.console().indexOf("client 4") < on.console().indexOf("keeper 1: replying"), on.console());
        assertTrue(o.console().indexOf("client 4") > o.console().indexOf("keeper 1: replying"), o.console());
    }

    private static String servedWithFormat(int client, int keeper, String format) {
        return String.format("keeper %d: order 42 from client %d, red segment format %s%n"
            + "client %d: served by keeper %d%n", keeper, client, format, client, keeper);
    }

    /** The same flaw and fix when the format key is rewritten so that the keeper slot moves. */
    @Test
    void rewritingTheFormatKeyRewakesTheOldKeepersSleepers() throws Exception {
        Path img = new RunFixture(dir).image("rseg-format");
        String start = "keeper 1: order 42 from client 1, red segment format 00107c81\n"
            + "switcher: format key rewritten, result 00000000\n";
        String served = servedWithFormat(2, 2, "00107ca1") + servedWithFormat(3, 2, "00107ca1")
            + servedWithFormat(4, 2, "00107ca1");
        Cli on = cli("run", img.toString());
        assertEquals(0, on.status(), on.err());
        assertEquals(start + served + KEEPER1_REPLIES, on.out());
        Cli off = cli("run", img.toString(), "--no-keeper-rewake");
        assertEquals(0, off.status(), off.err());
        assertEquals(start + KEEPER1_REPLIES + served, off.out());
        assertEquals(RunEnd.IDLE, runChecked(img, new RunOptions()).end());
    }

    /**
     * And for process keepers: three faulters' upcalls are parked on a keeper that is never
     * available; swapping their keeper slots (PROCESS SWAP_SLOT 1) rewakes them to the new
     * keeper. Without rewake they stay parked for good: the run ends deadlocked.
     */
    @Test
    void swappingAProcessKeeperSlotRewakesTheStalledUpcalls() throws Exception {
        Path img = new RunFixture(dir).image("pkeeper-rewake");
        String swaps = "switcher: process keeper swapped, result 00000000\n".repeat(3);
        Cli on = cli("run", img.toString(), "--stats");
        assertEquals(1, on.status(), on.err());
        assertEquals(swaps + "keeper: badge 00000007 fault 00000026 info 00000000 registers ok, decline\n".repeat(3),
            on.out());
        assertTrue(on.err().contains("keeper rewake on: rewakes 1, sleepers woken 4"), on.err()); // 3 upcalls + 'closed' itself
        assertEquals(3, on.err().split("declined by its keeper", -1).length - 1, on.err());

        Cli off = cli("run", img.toString(), "--no-keeper-rewake");
        assertEquals(1, off.status(), off.err());
        assertEquals(swaps, off.out());
        assertEquals(4, off.err().split("stalled on process 0x1\n", -1).length - 1, off.err());

        Outcome o = runChecked(img, new RunOptions());
        assertEquals(RunEnd.HALTED, o.end());
    }
}
