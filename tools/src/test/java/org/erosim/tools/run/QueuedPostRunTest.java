package org.erosim.tools.run;

import static org.erosim.tools.run.RunFixture.cli;
import static org.erosim.tools.run.RunFixture.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.run.RunFixture.Cli;
import org.erosim.tools.run.RunFixture.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queued POST (kernel.md §11) end to end: posts parked on a closed red segment and released
 * by one slot write (qpost.erosys), pool exhaustion without loss, and premature fire on
 * eviction against recheck mode (qpost-evict.erosys).
 */
class QueuedPostRunTest {
    @TempDir
    Path dir;

    @Test
    void oneSlotWriteReleasesEveryParkedPostAndABusyClientGetsItsPostLater() throws Exception {
        Path img = new RunFixture(dir).image("qpost");
        Cli run = cli("run", img.toString(), "--stats");
        assertEquals(0, run.status(), run.out() + run.err());
        // Client 0 is busy when the posts fire, so its post waits on it and arrives last;
        // the others arrive in queue order.
        assertEquals(String.join("\n",
            "server: queued 8, refused 0",
            "server: gate opened, result 00000000",
            "server: reposted 0",
            "collector: 1 2 3 4 5 6 7 0",
            "collector: 8 messages, each client exactly once",
            ""), run.out());
        assertTrue(run.err().contains("queued posts: queued 8, fired at once 0, fired after waiting 8, fired "
            + "prematurely 0, delivered 8, dropped 0, refused NO_RESOURCES 0, refused REQUEST_ERROR 0, gate waits 8, "
            + "target waits 1, waiting now 0"), run.err());
        assertEquals(RunEnd.STOPPED, runChecked(img, new RunOptions()).end());
    }

    @Test
    void aFullPostPoolAnswersNoResourcesAndNothingIsLost() throws Exception {
        Path img = new RunFixture(dir).image("qpost");
        Cli run = cli("run", img.toString(), "--posts", "5", "--stats");
        assertEquals(0, run.status(), run.out() + run.err());
        // Three posts are refused; after the gate opens the server posts them again and,
        // the gate being open, they fire at once. Every client still hears exactly once.
        assertTrue(run.out().startsWith("server: queued 5, refused 3\nserver: gate opened, result 00000000\n"
            + "server: reposted 3\n"), run.out());
        assertTrue(run.out().endsWith("collector: 8 messages, each client exactly once\n"), run.out());
        assertTrue(run.err().contains("queued 8, fired at once 3, fired after waiting 5, fired prematurely 0, "
            + "delivered 8, dropped 0"), run.err());

        RunOptions small = new RunOptions();
        small.posts = 5;
        Outcome o = runChecked(img, small);
        assertEquals(0, o.status());
    }

    @Test
    void evictedGatesFirePrematurelyByDefaultAndNeverInRecheckMode() throws Exception {
        Path img = new RunFixture(dir).image("qpost-evict");
        Cli big = cli("run", img.toString(), "--stats");
        // Enough nodes: the gates stay in memory and never open, so the posts wait for good.
        assertEquals(1, big.status(), big.err());
        assertTrue(big.err().contains("fired prematurely 0, delivered 0"), big.err());
        assertTrue(big.err().contains("  post 7 (activity "), big.err());

        Cli small = cli("run", img.toString(), "--nodes", "60", "--stats");
        assertEquals(0, small.status(), small.err());
        assertTrue(small.out().endsWith("collector: 0 1 2 3 4 5 6 7\ncollector: 8 messages, each client exactly once\n"),
            small.out());
        assertTrue(small.err().contains("fired prematurely 8, delivered 8"), small.err());

        Cli recheck = cli("run", img.toString(), "--nodes", "60", "--post-recheck", "--stats");
        assertEquals(1, recheck.status(), recheck.err());
        assertEquals("evictor: queued 8\nevictor: touched the directory\n", recheck.out());
        assertTrue(recheck.err().contains("fired prematurely 0, delivered 0"), recheck.err());

        RunOptions o = new RunOptions();
        o.nodes = 60;
        o.postRecheck = true;
        assertEquals(RunEnd.HALTED, runChecked(img, o).end()); // deadlocked: nothing opens the gates
    }
}
