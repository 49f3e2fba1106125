package org.erosim.bench.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The post-fire benchmark's system does what the benchmark claims, round after round. */
class PostFireSystemTest {
    @Test
    void postsWaitOnTheClosedGateAndOneSlotWriteFiresThemAll() {
        try (PostFireSystem s = new PostFireSystem(100)) {
            for (int round = 0; round < 3; round++) {
                s.closeGate();
                s.queue(100);
                assertEquals(100, s.waiting(), "queued and waiting");
                assertEquals(100, s.release(100), "every dispatched activity was a post");
                assertEquals(0, s.waiting(), "all fired");
            }
            String stats = s.machine.stats();
            assertEquals(true, stats.contains("queued 300, fired at once 0, fired after waiting 300, fired prematurely 0, "
                + "delivered 0, dropped 300"), stats);
        }
    }
}
