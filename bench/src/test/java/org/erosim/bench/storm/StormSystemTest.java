package org.erosim.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.sched.WakePolicy;
import org.junit.jupiter.api.Test;

/**
 * The storm systems at small N, counted exactly (docs/storm.md gives the formulas): every
 * sleeper is a real guest process (or a post of one) and every count below follows from the
 * scenario and the wake policy alone. Both consistency checkers must be silent after each.
 */
class StormSystemTest {
    private static final int N = 60;

    static StormResult run(StormScenario scenario, WakePolicy policy, boolean rewake, int n, int segments) {
        StormConfig c = new StormConfig(scenario, n);
        c.policy = policy;
        c.keeperRewake = rewake;
        c.segments = segments;
        return run(c);
    }

    static StormResult run(StormConfig c) {
        try (StormSystem s = StormSystem.build(c, StormProgress.NONE)) {
            StormResult r = s.run(StormProgress.NONE);
            assertEquals(List.of(), r.checkerFindings, "consistency after " + c.scenario.label + " " + c.variant());
            assertEquals(r.retries, r.restalls + r.commits, "every retry re-stalls or commits");
            assertEquals(0, r.servedBeforeTrigger, "nothing is served before the trigger");
            return r;
        }
    }

    @Test
    void keeperSwapWithRewakeRedirectsEveryCallerBeforeTheOldKeeperReturns() {
        StormResult r = run(StormScenario.KEEPER_SWAP, WakePolicy.WAKE_ONE, true, N, 0);
        assertEquals("served", r.end);
        assertEquals(N, r.served);
        assertEquals(N, r.servedBeforeOldKeeperReturned);
        assertEquals(1, r.rewakes);
        assertEquals(N, r.rewakeSleepers);
        // The rewake's herd (N), then K2's replies: each wakes one, whose commit passes one on.
        assertEquals(3L * N - 3, r.wakeups);
        assertEquals(2L * N - 3, r.restalls);
        assertEquals(N, r.commits);
        assertEquals(N, r.latency.getTotalCount());
        assertEquals(-1, r.oldKeeperReturnedAfter);
    }

    @Test
    void keeperSwapWithoutRewakeServesNobodyUntilTheOldKeeperReturns() {
        StormConfig c = new StormConfig(StormScenario.KEEPER_SWAP, N);
        c.keeperRewake = false;
        c.keeperBusy = 5_000_000;
        StormResult r = run(c);
        assertEquals(N, r.served);
        assertEquals(0, r.servedBeforeOldKeeperReturned);
        assertEquals(0, r.rewakes);
        assertTrue(r.oldKeeperReturnedAfter >= 5_000_000, "returned after " + r.oldKeeperReturnedAfter);
        assertTrue(r.latency.getMinValue() >= r.latency.lowestEquivalentValue(r.oldKeeperReturnedAfter));
    }

    @Test
    void keeperSwapUnderWakeAllRetriesQuadratically() {
        StormResult r = run(StormScenario.KEEPER_SWAP, WakePolicy.WAKE_ALL, true, N, 0);
        assertEquals(N, r.served);
        assertEquals((long) N * (N + 1) / 2, r.wakeups);
        assertEquals((long) N * (N - 1) / 2, r.restalls);
        assertEquals(N, r.commits);
    }

    @Test
    void postFireFiresExactlyEveryPostOnce() {
        for (WakePolicy p : WakePolicy.values()) {
            StormResult r = run(StormScenario.POST_FIRE, p, true, N, 0);
            assertEquals(N, r.served);
            assertEquals(N, r.wakeups);
            assertEquals(0, r.restalls);
            assertEquals(N, r.commits);
            assertEquals(N, r.rewakeSleepers);
            assertEquals(0, r.prematureFires);
        }
        StormResult without = run(StormScenario.POST_FIRE, WakePolicy.WAKE_ONE, false, N, 0);
        assertEquals(N, without.served);
        assertEquals(0, without.servedBeforeOldKeeperReturned);
    }

    @Test
    void sharedKeeperWakesEverySleeperButServesOneSegment() {
        int m = 3;
        int s = N / m; // the balanced assignment gives segment 0 exactly N / M
        StormResult all = run(StormScenario.SHARED_KEEPER, WakePolicy.WAKE_ALL, true, N, m);
        assertEquals(s, all.expected);
        assertEquals(s, all.served);
        assertEquals(N, all.rewakeSleepers);
        assertEquals(N + (long) s * (s - 1) / 2, all.wakeups); // the herd, then a herd per reply
        assertEquals(N - s + (long) s * (s - 1) / 2, all.restalls);
        StormResult one = run(StormScenario.SHARED_KEEPER, WakePolicy.WAKE_ONE, true, N, m);
        assertEquals(s, one.served);
        assertEquals(N + 2L * s - 3, one.wakeups);
        assertEquals(N - s + 2L * s - 3, one.restalls);
        StormResult none = run(StormScenario.SHARED_KEEPER, WakePolicy.WAKE_ONE, false, N, m);
        assertEquals(0, none.served);
        assertEquals(0, none.wakeups);
    }

    @Test
    void evictedGatesFirePrematurelyUnlessPostsRecheck() {
        StormConfig c = new StormConfig(StormScenario.EVICTION, 200);
        StormResult r = run(c);
        assertEquals(20, r.segments);
        assertTrue(r.prematureFires > 0, "premature " + r.prematureFires);
        assertEquals(r.prematureFires, r.prematureDelivered);
        assertEquals(200, r.prematureDelivered + r.served);
        c.postRecheck = true;
        StormResult recheck = run(c);
        assertEquals(0, recheck.prematureFires);
        assertEquals(200, recheck.served);
    }

    @Test
    void badConfigurationsNameTheOptionThatFixesThem() {
        assertTrue(message(new StormConfig(StormScenario.POST_FIRE, 0)).startsWith("--sleepers must be at least 1"));
        assertTrue(message(new StormConfig(StormScenario.POST_FIRE, 2_000_000)).contains("use --sleepers 1864"));
        StormConfig small = new StormConfig(StormScenario.KEEPER_SWAP, 100);
        small.processes = 50;
        assertTrue(message(small).contains("use --processes 103 or more"), message(small));
        StormConfig herd = new StormConfig(StormScenario.KEEPER_SWAP, 20_000);
        herd.policy = WakePolicy.WAKE_ALL;
        assertTrue(message(herd).contains("use --wake-policy wake-one"), message(herd));
    }

    private static String message(StormConfig c) {
        return assertThrows(IllegalArgumentException.class, c::validate).getMessage();
    }

    @Test
    void theBenchmarkHerdRestallsEverySleeperOnEachSwapWithoutAllocating() {
        try (StormSystem herd = StormSystem.buildHerd(N)) {
            herd.settle();
            long sum = 0;
            for (int i = 0; i < 10; i++) {
                sum += herd.swapKeeper(); // the controller sleeps on the old keeper too: N + 1 every other swap
            }
            assertEquals(10L * N + 5, sum);
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long allocated = -1;
            for (int round = 0; round < 20 && allocated != 0; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    herd.swapKeeper();
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "a warmed-up storm allocates nothing");
            assertEquals(List.of(), herd.machine().consistencyFindings(), "consistency after the run");
        }
    }

    @Test
    void segmentAssignmentIsBalancedAndSeeded() {
        int[] a = StormSystem.assignSegments(1000, 7, 42);
        int[] counts = new int[7];
        for (int s : a) {
            counts[s]++;
        }
        for (int k : counts) {
            assertTrue(k == 142 || k == 143, "count " + k);
        }
        assertTrue(java.util.Arrays.equals(a, StormSystem.assignSegments(1000, 7, 42)));
    }
}
