package org.erosim.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.sched.WakePolicy;
import org.junit.jupiter.api.Test;

class StormSystemTest {
    static StormResult run(StormConfig c) {
        try (StormSystem s = StormSystem.build(c, StormProgress.NONE)) {
            StormResult r = s.run(StormProgress.NONE);
            System.out.printf("%s %s N=%d M=%d: end %s served %d/%d before-return %d before-trigger %d wakeups %d retries %d "
                + "restalls %d commits %d premature %d rewakes %d/%d cycles %d ns %d p50 %d max %d mem %.0f checker %s%n",
                c.scenario.label, c.variant(), r.sleepers, r.segments, r.end, r.served, r.expected,
                r.servedBeforeOldKeeperReturned, r.servedBeforeTrigger, r.wakeups, r.retries, r.restalls, r.commits,
                r.prematureFires, r.rewakes, r.rewakeSleepers, r.stormCycles, r.stormNanos, r.percentile(50),
                r.latency.getMaxValue(), r.memoryPerSleeper(), r.checkerFindings);
            return r;
        }
    }

    @Test
    void smoke() {
        for (StormScenario sc : StormScenario.values()) {
            for (WakePolicy p : WakePolicy.values()) {
                for (boolean rewake : new boolean[] {true, false}) {
                    StormConfig c = new StormConfig(sc, Integer.getInteger("n", 100));
                    c.policy = p;
                    c.keeperRewake = rewake;
                    StormResult r = run(c);
                    assertEquals(List.of(), r.checkerFindings);
                }
            }
        }
        StormConfig c = new StormConfig(StormScenario.EVICTION, 100);
        c.postRecheck = true;
        run(c);
        assertTrue(true);
    }
}
