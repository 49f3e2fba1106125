package org.erosim.bench.storm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.erosim.kernel.sched.WakePolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trap replay (KernelMachine#replayTrap) changes host time only: every storm scenario under
 * both wake policies, run with it on and off, gives the same emulated figures — cycles,
 * counts, the time series and the latency distribution — and with it on, the sleeping
 * processes' retries were replayed (so the comparison is not vacuous).
 */
class TrapReplayStormTest {
    private static final int N = 40;

    static Stream<Arguments> variants() {
        List<Arguments> a = new ArrayList<>();
        for (StormScenario s : StormScenario.values()) {
            for (WakePolicy p : WakePolicy.values()) {
                a.add(Arguments.of(s, p, true));
            }
        }
        a.add(Arguments.of(StormScenario.KEEPER_SWAP, WakePolicy.WAKE_ALL, false));
        a.add(Arguments.of(StormScenario.POST_FIRE, WakePolicy.WAKE_ONE, false));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} rewake={2}")
    @MethodSource("variants")
    void replayedAndInterpretedRetriesGiveTheSameStorm(StormScenario scenario, WakePolicy policy, boolean rewake) {
        StormConfig c = new StormConfig(scenario, N);
        c.policy = policy;
        c.keeperRewake = rewake;
        StormConfig off = c.copy();
        off.trapReplay = false;
        StormResult on = StormSystemTest.run(c);
        StormResult interpreted = StormSystemTest.run(off);
        String what = scenario.label + " " + c.variant();
        assertEquals(0, interpreted.trapsReplayed, what + ": nothing replayed with replay off");
        if (!scenario.posts) {
            // The sleepers are processes retrying their trap (a post's retry is kernel work: no trap).
            assertTrue(on.trapsReplayed >= N, what + ": " + on.retries + " retries, " + on.trapsReplayed + " replayed");
        }
        assertEquals(interpreted.served, on.served, what + ": served");
        assertEquals(interpreted.servedBeforeOldKeeperReturned, on.servedBeforeOldKeeperReturned, what);
        assertEquals(interpreted.prematureDelivered, on.prematureDelivered, what);
        assertEquals(interpreted.wakeups, on.wakeups, what + ": wakeups");
        assertEquals(interpreted.retries, on.retries, what + ": retries");
        assertEquals(interpreted.restalls, on.restalls, what + ": re-stalls");
        assertEquals(interpreted.commits, on.commits, what + ": commits");
        assertEquals(interpreted.prematureFires, on.prematureFires, what);
        assertEquals(interpreted.rewakes, on.rewakes, what);
        assertEquals(interpreted.rewakeSleepers, on.rewakeSleepers, what);
        assertEquals(interpreted.setupCycles, on.setupCycles, what + ": setup cycles");
        assertEquals(interpreted.triggerCycle, on.triggerCycle, what + ": trigger cycle");
        assertEquals(interpreted.stormCycles, on.stormCycles, what + ": storm cycles");
        assertEquals(interpreted.oldKeeperReturnedAfter, on.oldKeeperReturnedAfter, what);
        assertArrayEquals(interpreted.seriesCycles, on.seriesCycles, what + ": series");
        assertArrayEquals(interpreted.seriesWakeups, on.seriesWakeups, what + ": series");
        assertArrayEquals(interpreted.seriesRetries, on.seriesRetries, what + ": series");
        assertArrayEquals(interpreted.seriesServed, on.seriesServed, what + ": series");
        assertEquals(interpreted.latency, on.latency, what + ": latency distribution");
    }
}
