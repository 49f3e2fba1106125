package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.process.ProcessTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random workloads over small tables (so that loads unload victims and faults evict
 * nodes with sleepers): load, start, dispatch, stall, commit, exit, wake (both policies),
 * sleep, advance time, unload, evict. Both checkers run after every step, and a few
 * global facts are compared with a recount.
 */
class RandomWorkloadTest {
    private static final int PROCESSES = 12;
    private static final int NODES = 10;
    private static final int STEPS = 1_500;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomSchedulingWorkloadStaysConsistent(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        WakePolicy policy = seed % 2 == 0 ? WakePolicy.WAKE_ALL : WakePolicy.WAKE_ONE;
        try (World w = new World(20, 5, 6, policy, 50)) {
            for (int p = 0; p < PROCESSES; p++) {
                w.putProcess(p, ProcessLayout.AVAILABLE);
            }
            for (int n = 0; n < NODES; n++) {
                w.putNode(World.nodeOid(n));
            }
            Scheduler s = w.scheduler;
            ProcessTable pt = w.processes;
            NodeTable nodes = w.cache.nodes();
            int evictedWithSleepers = 0;
            int unloadedWithSleepers = 0;
            for (int step = 0; step < STEPS; step++) {
                int op = random.nextInt(13);
                int running = s.dispatch();
                switch (op) {
                    case 0: // load, and start if it can run
                    case 1: {
                        int e = s.load(World.rootOf(random.nextInt(PROCESSES)));
                        if (e >= 0 && pt.activity(e) == ActivityDescriptor.NONE && random.nextBoolean()) {
                            s.start(e);
                        }
                        break;
                    }
                    case 2: // stall on a node
                    case 3: {
                        if (running != ActivityDescriptor.NONE) {
                            int i = w.cache.faultNode(World.nodeOid(random.nextInt(NODES)));
                            if (i >= 0) {
                                assertEquals(ResultCode.OK, s.stall(running, QueueId.node(i), random.nextInt(100)));
                            }
                        }
                        break;
                    }
                    case 4: { // stall on a loaded process (possibly its own)
                        int e = random.nextInt(pt.capacity());
                        if (running != ActivityDescriptor.NONE && pt.isInUse(e)) {
                            s.stall(running, QueueId.process(e), random.nextInt(100));
                        }
                        break;
                    }
                    case 5: // commit; then finish as a CALL or a RETURN, or keep running
                        if (running != ActivityDescriptor.NONE) {
                            s.committed(running);
                            int how = random.nextInt(3);
                            if (how < 2) {
                                s.exit(running, how == 0 ? ProcessLayout.WAITING : ProcessLayout.AVAILABLE);
                            }
                        }
                        break;
                    case 6: { // wake some queue
                        int q = random.nextBoolean() ? QueueId.node(random.nextInt(nodes.capacity()))
                            : QueueId.process(random.nextInt(pt.capacity()));
                        int kind = random.nextInt(3);
                        if (kind == 0) {
                            s.wake(q);
                        } else if (kind == 1) {
                            s.wakeAll(q);
                        } else {
                            s.wakeOne(q);
                        }
                        break;
                    }
                    case 7: { // unload
                        int e = random.nextInt(pt.capacity());
                        boolean sleepers = pt.isInUse(e) && pt.stallHead(e) != ActivityDescriptor.NONE;
                        if (pt.unload(e) && sleepers) {
                            unloadedWithSleepers++;
                        }
                        break;
                    }
                    case 8: { // evict a node
                        int i = random.nextInt(nodes.capacity());
                        if (nodes.isInUse(i) && nodes.pinCount(i) == 0) {
                            if (nodes.stallHead(i) != ActivityDescriptor.NONE) {
                                evictedWithSleepers++;
                            }
                            w.cache.evict(i);
                        }
                        break;
                    }
                    case 9: // sleep
                        if (running != ActivityDescriptor.NONE) {
                            s.sleep(running, s.now() + random.nextInt(200));
                        }
                        break;
                    case 10: // time passes
                        s.advanceTo(s.now() + random.nextInt(100));
                        break;
                    case 11: // run a little
                        if (running != ActivityDescriptor.NONE && s.charge(running, random.nextInt(40))) {
                            s.preempt(running);
                        }
                        break;
                    default: // make a waiting process runnable again (a reply)
                    {
                        int e = random.nextInt(pt.capacity());
                        if (pt.isInUse(e) && pt.runState(e) == ProcessLayout.WAITING) {
                            s.start(e);
                        }
                        break;
                    }
                }
                List<String> findings = w.checker.check();
                assertEquals(List.of(), findings, "seed " + seed + ", step " + step + ", op " + op);
                assertEquals(List.of(), w.objectChecker.check(), "seed " + seed + ", step " + step);
                int withActivity = 0;
                for (int e = 0; e < pt.capacity(); e++) {
                    if (pt.isInUse(e) && pt.activity(e) != ActivityDescriptor.NONE) {
                        withActivity++;
                    }
                }
                assertEquals(withActivity, w.activities.inUse(), "every activity belongs to one loaded process");
            }
            assertTrue(s.wakeups() > 0 && s.restalls() > 0 && s.commitsAfterWake() > 0, "the workload must exercise wakeups");
            assertTrue(evictedWithSleepers + unloadedWithSleepers > 0, "owners must leave with sleepers");
            // retries() is re-stalls + commits after wake by construction; what can fail is the
            // order: a retry (either ending) without a wakeup before it.
            assertTrue(s.retries() <= s.wakeups(), "every retry follows a wakeup");
            // Drain: end every activity, unload everything; nothing may be left behind.
            for (int a = 0; a < w.activities.capacity(); a++) {
                if (w.activities.isInUse(a)) {
                    s.exit(a, ProcessLayout.WAITING);
                }
            }
            pt.unloadAll();
            assertEquals(0, pt.inUse());
            assertEquals(0, w.activities.inUse());
            w.assertConsistent();
        }
    }
}
