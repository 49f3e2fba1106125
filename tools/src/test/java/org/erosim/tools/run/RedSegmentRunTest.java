package org.erosim.tools.run;

import static org.erosim.tools.run.RunFixture.cli;
import static org.erosim.tools.run.RunFixture.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.run.RunFixture.Cli;
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
}
