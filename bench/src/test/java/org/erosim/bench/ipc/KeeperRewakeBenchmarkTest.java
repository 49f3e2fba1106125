package org.erosim.bench.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The benchmark's operation does what it claims: every sleeper is woken and re-stalls, both ways. */
class KeeperRewakeBenchmarkTest {
    @Test
    void everySwapWakesTheWholeHerdAndItParksOnTheNewKeeper() {
        KeeperRewakeBenchmark.Herd1k h = new KeeperRewakeBenchmark.Herd1k();
        h.setUp();
        try {
            for (int round = 0; round < 4; round++) {
                assertEquals(1_000, h.swapKeeper(), "round " + round);
                assertEquals(0, h.scheduler.readyCount());
            }
            assertEquals(4, h.rewake.rewakes());
        } finally {
            h.close();
        }
    }
}
