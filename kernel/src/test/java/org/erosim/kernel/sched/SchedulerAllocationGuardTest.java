package org.erosim.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.process.ProcessTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backs the 0 B/op claim for stall, wake and process-table paths (kernel.md §15): after
 * warm-up, rounds of (1) wake-all of 100,000 sleepers and their re-stall (enqueue), (2) a
 * wake-one drain of a 1,000-activity herd through committed(), and (3) process loads and
 * unloads through a 2-entry table (CLOCK victims, register write-back through the slot-write
 * path, root nodes evicted and written back to the source) allocate nothing on this thread.
 * The herds are detached (post) activities, so no process is needed for each sleeper.
 */
class SchedulerAllocationGuardTest {
    private static final int BIG_HERD = 100_000;
    private static final int SMALL_HERD = 1_000;
    private static final int PROCESSES = 6;
    private static final int LOADS_PER_ROUND = 2_000;
    private static final int WARM_UP_ROUNDS = 8;
    private static final int CLEAN_ROUNDS = 3;
    private static final int MAX_ROUNDS = 40;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private World w;
    private int bigQueue;
    private int smallFrom;
    private int smallTo;
    private int[] pinnedNodes;
    private long sink;

    @BeforeEach
    void setUp() {
        w = new World(12, 2, BIG_HERD + SMALL_HERD, WakePolicy.WAKE_ALL, 1000);
        for (int p = 0; p < PROCESSES; p++) {
            w.putProcess(p, ProcessLayout.AVAILABLE);
        }
        pinnedNodes = new int[3];
        for (int n = 0; n < 3; n++) {
            w.putNode(World.nodeOid(n));
            pinnedNodes[n] = w.cache.faultNode(World.nodeOid(n));
            w.cache.nodes().pin(pinnedNodes[n]); // the herds' queues must not be evicted under them
        }
        bigQueue = QueueId.node(pinnedNodes[0]);
        smallFrom = QueueId.node(pinnedNodes[1]);
        smallTo = QueueId.node(pinnedNodes[2]);
        for (int i = 0; i < BIG_HERD + SMALL_HERD; i++) {
            int a = w.activities.allocate(ActivityDescriptor.KIND_POST, i);
            assertEquals(ResultCode.OK, w.scheduler.stall(a, i < BIG_HERD ? bigQueue : smallFrom, 0));
        }
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @AfterEach
    void tearDown() {
        for (int n : pinnedNodes) {
            w.cache.nodes().unpin(n);
        }
        w.assertConsistent();
        w.close();
    }

    private long round() {
        Scheduler s = w.scheduler;
        long sum = 0;
        // (1) wake-all of the big herd, then every sleeper retries and stalls again.
        sum += s.wakeAll(bigQueue);
        for (int a = s.dispatch(); a != ActivityDescriptor.NONE; a = s.dispatch()) {
            s.stall(a, bigQueue, 3);
        }
        // (2) wake-one drain: each commit passes the wakeup to the next sleeper.
        sum += s.wakeOne(smallFrom);
        for (int a = s.dispatch(); a != ActivityDescriptor.NONE; a = s.dispatch()) {
            s.committed(a);
            s.stall(a, smallTo, 0);
        }
        int t = smallFrom;
        smallFrom = smallTo;
        smallTo = t;
        // (3) loads and unloads through a table smaller than the process set.
        ProcessTable pt = w.processes;
        for (int i = 0; i < LOADS_PER_ROUND; i++) {
            int e = pt.load(World.rootOf(i % PROCESSES));
            pt.set(e, ProcessDescriptor.EAX_OFFSET, i);
            if ((i & 3) == 0) {
                pt.unload(e);
            }
            sum += e;
        }
        return sum;
    }

    @Test
    void stallWakeDrainAndProcessLoadUnloadAllocateNothingAfterWarmUp() {
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            sink += round();
        }
        long thread = Thread.currentThread().getId();
        long wakeupsBefore = w.scheduler.wakeups();
        long unloadsBefore = w.processes.unloads();
        long evictionsBefore = w.cache.evictions();
        StringBuilder history = new StringBuilder();
        int clean = 0;
        int rounds = 0;
        while (clean < CLEAN_ROUNDS) {
            assertTrue(rounds++ < MAX_ROUNDS, () -> "no " + CLEAN_ROUNDS + " consecutive allocation-free rounds; bytes per round: "
                + history);
            long before = threads.getThreadAllocatedBytes(thread);
            sink += round();
            long bytes = threads.getThreadAllocatedBytes(thread) - before;
            history.append(bytes).append(' ');
            // A deoptimisation now and then allocates a few dozen bytes once (see the object
            // package's AllocationGuardTest); an allocation on these paths would cost at least
            // 16 bytes per sleeper, over 1.6 MB per round, in every round.
            clean = bytes == 0 ? clean + 1 : 0;
        }
        assertTrue(w.scheduler.wakeups() - wakeupsBefore >= (long) rounds * (BIG_HERD + SMALL_HERD),
            "every round wakes both herds");
        assertTrue(w.processes.unloads() - unloadsBefore >= (long) rounds * LOADS_PER_ROUND / 4, "and unloads processes");
        assertTrue(w.cache.evictions() > evictionsBefore, "and evicts roots");
    }
}
