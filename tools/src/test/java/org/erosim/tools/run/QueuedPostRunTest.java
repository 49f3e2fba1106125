package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;
import static org.erosim.tools.run.RunFixture.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Cli;
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
            "server: bad gates -> 80000003 80000003", // nothing queued: the stats below count 8
            "server: queued 8, refused 0",
            "server: gate opened, result 00000000",
            "server: reposted 0",
            "collector: 1 2 3 4 5 6 7 0",
            "collector: 8 messages, each client exactly once",
            ""), run.out());
        assertTrue(run.err().contains("queued posts: queued 8, fired at once 0, fired after waiting 8, fired "
            + "prematurely 0, delivered 8, dropped 0, refused NO_RESOURCES 0, refused REQUEST_ERROR 2, gate waits 8, "
            + "target waits 1, waiting now 0"), run.err());
        assertEquals(RunEnd.STOPPED, runChecked(img, new RunOptions()).end());
    }

    /**
     * Ten thousand client processes, one post each on one closed gate, released by one slot
     * write: every client receives exactly one message, in queue order. The image is written
     * here (a three-level directory of start keys for qpost-fanout.c) rather than kept as a
     * 100,000-line resource. Wake-one: the clients' calls to the collector would otherwise be
     * a herd of 10,000 (that storm is issue 7's business, not this test's).
     */
    @Test
    void tenThousandPostsParkedOnOneGateAreReleasedByOneSlotWriteInQueueOrder() throws Exception {
        int n = 10_000;
        Path description = dir.resolve("fanout.erosys");
        Files.writeString(description, fanoutImage(n, Path.of("target/guest").toAbsolutePath()));
        Path img = dir.resolve("fanout.img");
        Cli mk = cli("mkimage", description.toString(), "-o", img.toString());
        assertEquals(0, mk.status(), mk.err());
        Cli run = cli("run", img.toString(), "--processes", "10010", "--activities", "20100", "--nodes", "80000",
            "--frames", "12000", "--page-table-frames", "40000", "--wake-policy", "wake-one", "--stats");
        assertEquals(0, run.status(), run.err());
        assertEquals(String.join("\n",
            "fanout: queued 10000, refused 0",
            "fanout: gate opened, result 00000000",
            "collector:",
            "collector: 10000 messages, each client exactly once",
            "collector: 0 out of queue order",
            ""), run.out());
        assertTrue(run.err().contains("queued 10000, fired at once 0, fired after waiting 10000, fired prematurely 0, "
            + "delivered 10000, dropped 0"), run.err());
        assertTrue(run.err().contains("keeper rewake on: rewakes 1,"), run.err()); // the one write woke them all
    }

    /** The fan-out system: a closed gate, a collector, the server and {@code n} clients. */
    private static String fanoutImage(int n, Path guests) {
        StringBuilder b = new StringBuilder();
        for (String p : new String[] {"qpost-fanout", "qpost-client", "qpost-collector", "qpost-closed"}) {
            b.append("program ").append(p).append(" \"").append(guests.resolve(p + ".elf")).append("\" stack 4K\n");
        }
        b.append("red-segment gate {\n    height 1\n    initial 1\n    keeper 4 = start closed\n}\n");
        b.append("process closed {\n    space qpost-closed\n    keyreg 2 = start closed\n    run\n}\n");
        b.append("process collector {\n    space qpost-collector\n    keyreg 1 = console\n    keyreg 2 = systrace\n"
            + "    keyreg 3 = number ").append(n).append("\n    run\n}\n");
        int leaves = (n + 31) / 32;
        int mids = (leaves + 31) / 32;
        for (int d = 0; d < leaves; d++) {
            b.append("node leaf").append(d).append(" {\n");
            for (int s = 0; s < 32 && d * 32 + s < n; s++) {
                b.append("    slot ").append(s).append(" = start c").append(d * 32 + s).append('\n');
            }
            b.append("}\n");
        }
        for (int m = 0; m < mids; m++) {
            b.append("node mid").append(m).append(" {\n");
            for (int s = 0; s < 32 && m * 32 + s < leaves; s++) {
                b.append("    slot ").append(s).append(" = node leaf").append(m * 32 + s).append('\n');
            }
            b.append("}\n");
        }
        b.append("node top {\n");
        for (int m = 0; m < mids; m++) {
            b.append("    slot ").append(m).append(" = node mid").append(m).append('\n');
        }
        b.append("}\n");
        b.append("process server {\n    space qpost-fanout\n    keyreg 1 = console\n    keyreg 2 = segment gate\n"
            + "    keyreg 3 = node gate\n    keyreg 4 = node top\n    keyreg 5 = number ").append(n).append("\n    run\n}\n");
        for (int i = 0; i < n; i++) {
            b.append("process c").append(i).append(" {\n    space qpost-client\n    keyreg 2 = start collector\n"
                + "    keyreg 3 = number ").append(i).append("\n    run\n}\n");
        }
        return b.toString();
    }

    @Test
    void aFullPostPoolAnswersNoResourcesAndNothingIsLost() throws Exception {
        Path img = new RunFixture(dir).image("qpost");
        Cli run = cli("run", img.toString(), "--posts", "5", "--stats");
        assertEquals(0, run.status(), run.out() + run.err());
        // Three posts are refused; after the gate opens the server posts them again and,
        // the gate being open, they fire at once. Every client still hears exactly once.
        assertTrue(run.out().startsWith("server: bad gates -> 80000003 80000003\nserver: queued 5, refused 3\nserver: gate opened, result 00000000\n"
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

    /**
     * Eight posts on one gate: its eviction fires them prematurely in the order they were
     * queued (the gate's list is oldest first), as posts woken together by an opening fire.
     */
    @Test
    void postsOfOneEvictedGateFirePrematurelyInQueueOrder() throws Exception {
        Path img = new RunFixture(dir).image("qpost-evict-one-gate");
        Cli small = cli("run", img.toString(), "--nodes", "60", "--stats");
        assertEquals(0, small.status(), small.err());
        assertTrue(small.out().endsWith("collector: 0 1 2 3 4 5 6 7\ncollector: 8 messages, each client exactly once\n"),
            small.out());
        assertTrue(small.err().contains("fired prematurely 8, delivered 8"), small.err());
        RunOptions o = new RunOptions();
        o.nodes = 60;
        assertEquals(0, runChecked(img, o).status());
    }
}
